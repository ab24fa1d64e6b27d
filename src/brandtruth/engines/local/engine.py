"""The local (degraded-mode) engine: the shared orchestrator in the API process, state in SQLite.

Each run is an asyncio task driving `Pipeline` with a runner that calls the steps directly, retries
them with the same policies Temporal would use, and saves the run after every step and decision.
On start-up, unfinished runs are resumed from their last finished step.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from brandtruth.engines.base import EventFeed, InvalidRequest, RunNotFound, UnreadableRun, WrongState, unreadable_event
from brandtruth.engines.listing import ListedPage, ListQuery
from brandtruth.engines.local.store import LocalRunStore, state_row
from brandtruth.logs import workflow_id_var
from brandtruth.metrics import RUNS_FINISHED
from brandtruth.pipeline.errors import PipelineError, unexpected_error_message
from brandtruth.pipeline.models import (
    BrandProfile,
    ComposeBatchInput,
    ComposeOutput,
    Decision,
    DecisionInput,
    ExportInput,
    ExportOutput,
    ExtractInput,
    GenerateInput,
    GenerateOutput,
    MatchInput,
    MatchOutput,
    PipelineInput,
    ProgressEvent,
    RunState,
    ScoreInput,
    ScoreOutput,
    StepProgress,
    StepRetry,
)
from brandtruth.pipeline.orchestrator import DecisionRejected, Pipeline, StepFailed
from brandtruth.pipeline.policies import STEP_POLICIES
from brandtruth.steps import Steps

log = logging.getLogger(__name__)
A = TypeVar("A")
T = TypeVar("T")


@dataclass
class _LiveRun:
    inp: PipelineInput
    pipeline: Pipeline
    feed: EventFeed
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[Any] | None = None
    saved_events: int = 0  # how many of the run's events are in the store
    saved_row: str | None = None  # the state as last stored (store.state_row), to tell what changed
    # One save at a time per run, each of the state as it is when its turn comes: a slower, older
    # save must never land after a newer one (a decision would be lost on disk).
    save_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class _LocalRunner:
    def __init__(self, engine: LocalEngine, run: _LiveRun):
        self.engine, self.run = engine, run
        self._progress_saver: asyncio.Task[None] | None = None
        self._progress_unsaved = False

    def _progress(self, p: StepProgress) -> None:
        """A step's progress report, straight to the orchestrator (Temporal sends it as a signal);
        its event is saved and published by one saver at a time, as events come."""
        told = len(self.run.pipeline.state.events)
        self.run.pipeline.note_progress(p)
        if len(self.run.pipeline.state.events) == told:
            return
        self._progress_unsaved = True
        if self._progress_saver is None or self._progress_saver.done():
            self._progress_saver = asyncio.create_task(self._save_progress())

    async def _save_progress(self) -> None:
        while self._progress_unsaved:
            self._progress_unsaved = False
            await self.engine.save(self.run)

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def _call(self, step: str, fn: Callable[[A], Awaitable[T]], arg: A) -> T:
        policy = STEP_POLICIES[step]
        for attempt in range(1, policy.max_attempts + 1):
            try:
                return await asyncio.wait_for(fn(arg), timeout=policy.start_to_close_seconds)
            except PipelineError as exc:
                if not exc.retryable or attempt == policy.max_attempts:
                    raise StepFailed(step, exc.message, exc.type, exc.retryable) from exc
                delay = exc.retry_after or policy.delay_before(attempt + 1)
            except TimeoutError as exc:
                if attempt == policy.max_attempts:
                    raise StepFailed(
                        step, f"{step} timed out (start-to-close, {policy.start_to_close_seconds:g}s)", "StepTimeout", True
                    ) from exc
                delay = policy.delay_before(attempt + 1)
            except Exception as exc:  # an unexpected bug: retried like Temporal retries it
                log.exception("%s attempt %d failed", step, attempt)
                if attempt == policy.max_attempts:
                    raise StepFailed(step, unexpected_error_message(exc), type(exc).__name__, True) from exc
                delay = policy.delay_before(attempt + 1)
            log.warning("%s: %s attempt %d failed, retrying in %.1fs", self.run.inp.workflow_id, step, attempt, delay)
            await asyncio.sleep(delay)
            self.run.pipeline.note_retry(StepRetry(step=step, attempt=attempt + 1))
            await self.engine.save(self.run)
        raise AssertionError("unreachable")

    async def extract(self, inp: ExtractInput) -> BrandProfile:
        return await self._call("extract", functools.partial(self.engine.steps.extract, progress=self._progress), inp)

    async def generate(self, inp: GenerateInput) -> GenerateOutput:
        return await self._call("generate", self.engine.steps.generate, inp)

    async def match(self, inp: MatchInput) -> MatchOutput:
        return await self._call("match", self.engine.steps.match, inp)

    async def compose(self, inp: ComposeBatchInput) -> ComposeOutput:
        return await self._call("compose", functools.partial(self.engine.steps.compose, progress=self._progress), inp)

    async def score(self, inp: ScoreInput) -> ScoreOutput:
        return await self._call("score", self.engine.steps.score, inp)

    async def wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            self.run.changed.clear()
            try:
                await asyncio.wait_for(self.run.changed.wait(), timeout=remaining)
            except TimeoutError:
                pass
        return True

    async def export(self, inp: ExportInput) -> ExportOutput:
        return await self._call("export", self.engine.steps.export, inp)

    async def checkpoint(self, state: RunState) -> None:
        await self.engine.save(self.run)

    def cancel_is_final(self) -> bool:
        return self.run.pipeline.cancel_requested

    def announce(self, event: ProgressEvent) -> None:
        return None  # local readers are woken by checkpoint(), which persists first

    def should_continue_as_new(self) -> bool:
        return False  # events are appended to SQLite, so a long wait costs one row per reminder


class LocalEngine:
    name = "local"

    def __init__(self, store: LocalRunStore, steps: Steps):
        self.store = store
        self.steps = steps
        self._live: dict[str, _LiveRun] = {}

    # ------------------------------------------------------------------ lifecycle

    async def start(self, inp: PipelineInput) -> None:
        self._launch(inp, None)
        await self.save(self._live[inp.workflow_id])

    def _launch(self, inp: PipelineInput, state: RunState | None) -> None:
        run = _LiveRun(inp=inp, pipeline=None, feed=EventFeed())  # type: ignore[arg-type]
        run.pipeline = Pipeline(inp, _LocalRunner(self, run), state=state, engine="local")
        run.feed.events = list(run.pipeline.state.events)
        run.saved_events = len(run.feed.events)
        self._live[inp.workflow_id] = run
        run.task = asyncio.create_task(self._drive(run), name=f"local-{inp.workflow_id}")

    async def _drive(self, run: _LiveRun) -> None:
        workflow_id_var.set(run.inp.workflow_id)
        try:
            await run.pipeline.run()
            RUNS_FINISHED.labels("local", run.pipeline.state.status.value).inc()
        except asyncio.CancelledError:
            log.info("local run %s paused for shutdown; it resumes on next start", run.inp.workflow_id)
            raise
        except Exception:
            log.exception("local run %s crashed", run.inp.workflow_id)
        finally:
            if run.pipeline.state.status.terminal:
                self._live.pop(run.inp.workflow_id, None)

    def live_run_ids(self) -> list[str]:
        return list(self._live)

    async def resume_unfinished(self) -> list[str]:
        resumed = []
        for run_id in self.store.unfinished():
            try:
                loaded = self.store.load(run_id)
            except UnreadableRun as exc:  # left as it is: reads of it say why; other runs go on
                log.error("not resuming %s: %s", run_id, exc.detail)
                continue
            if loaded and run_id not in self._live:
                self._launch(*loaded)
                resumed.append(run_id)
        if resumed:
            log.info("resumed %d local run(s): %s", len(resumed), ", ".join(resumed))
        return resumed

    async def shutdown(self) -> None:
        tasks = [r.task for r in self._live.values() if r.task and not r.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._live.clear()

    async def save(self, run: _LiveRun) -> None:
        """Persist what changed since the last save: new events are appended; the state row is
        rewritten only when something besides events changed (a reminder rewrites nothing)."""
        async with run.save_lock:
            state = run.pipeline.state
            new_events = state.events[run.saved_events :]
            # Whether these events end the run, read with them: the run may end while this save writes,
            # and a feed closed after an earlier event never sends the final one to live streams.
            ends_run = state.status.terminal
            row = state_row(state)
            if row == run.saved_row:
                await asyncio.to_thread(self.store.append, state, new_events)
            else:
                await asyncio.to_thread(self.store.save, run.inp, state, new_events, row)
                run.saved_row = row
            run.saved_events += len(new_events)
            await run.feed.publish(new_events, terminal=ends_run)

    # ------------------------------------------------------------------ reads

    def knows(self, run_id: str) -> bool:
        return run_id in self._live

    async def owns(self, run_id: str) -> bool:
        return self.knows(run_id) or await asyncio.to_thread(self.store.has, run_id)

    async def full_state(self, run_id: str) -> RunState:
        if live := self._live.get(run_id):
            return live.pipeline.state.model_copy(deep=True)
        loaded = await asyncio.to_thread(self.store.load, run_id)
        if loaded is None:
            raise RunNotFound(f"No run with id {run_id}")
        return loaded[1]

    async def state(self, run_id: str) -> RunState:
        return (await self.full_state(run_id)).model_copy(update={"events": []})

    async def subscribe(self, run_id: str, after: int) -> AsyncIterator[ProgressEvent]:
        live = self._live.get(run_id)
        if live is not None:
            feed = live.feed
        else:
            feed = EventFeed()
            try:
                events = (await self.full_state(run_id)).events
            except UnreadableRun as exc:  # its story so far, then why it ends (as the Temporal engine does)
                told = await asyncio.to_thread(self.store.events_after, run_id, 0)
                events = [*told, unreadable_event(len(told) + 1, exc.detail)]
            await feed.publish(events, terminal=True)
        async for event in feed.follow(after):
            yield event

    async def delivered_all(self, run_id: str, after: int) -> bool:
        if after <= 0 or run_id in self._live:
            return False
        state = await self.full_state(run_id)
        return state.status.terminal and bool(state.events) and after >= state.events[-1].id

    async def list_runs(self, query: ListQuery) -> ListedPage:
        return await asyncio.to_thread(self.store.list_runs, query)

    async def count_runs(self, q: str, statuses: tuple[str, ...]) -> dict[str, int]:
        counts = await asyncio.to_thread(self.store.count_runs, q)
        return {s: counts.get(s, 0) for s in statuses}

    # ------------------------------------------------------------------ decisions

    def _live_run(self, run_id: str) -> _LiveRun:
        run = self._live.get(run_id)
        if run is None:
            if self.store.has(run_id):
                loaded = self.store.load(run_id)
                status = loaded[1].status.value if loaded else "finished"
                raise WrongState(f"Run {run_id} is already {status}")
            raise RunNotFound(f"No run with id {run_id}")
        return run

    async def decide(self, run_id: str, d: DecisionInput) -> Decision:
        run = self._live_run(run_id)
        try:
            decision = run.pipeline.apply_decision(d)
        except DecisionRejected as exc:
            raise (WrongState if exc.reason == "wrong_state" else InvalidRequest)(exc.message) from exc
        await self.save(run)  # the decision is on disk before anyone hears of it
        run.changed.set()
        return decision

    async def approve_async(self, run_id: str, d: DecisionInput) -> None:
        run = self._live_run(run_id)
        d = d.model_copy(update={"kind": "approve", "via": "signal"})  # recorded as Temporal records its signal
        try:
            run.pipeline.apply_decision(d)
        except DecisionRejected as exc:
            run.pipeline.record_rejected_decision(d, exc.message)
        await self.save(run)
        run.changed.set()

    async def cancel(self, run_id: str) -> None:
        run = self._live_run(run_id)
        try:
            # Decisions and cancels are applied on this event loop without an await in between, so
            # the first to arrive wins and the other is refused: an approved run is never cancelled.
            run.pipeline.request_cancel()
        except DecisionRejected as exc:
            raise WrongState(exc.message) from exc
        if run.task:
            run.task.cancel()
            await asyncio.gather(run.task, return_exceptions=True)
