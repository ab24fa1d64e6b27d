"""The Temporal engine behind the API: start, query, update, signal, cancel, and live event feeds.

Live events come from the workflow's `snapshot` query, polled by one watcher per run no matter how
many browsers follow it; an approve or cancel made through this API wakes the watcher at once.
Finished runs are read from the workflow result (history alone, no worker needed) and cached.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from src.engines import EngineError, EngineUnavailable, EventFeed, InvalidRequest, RunNotFound, WrongState
from src.metrics import RUNS_FINISHED
from src.pipeline.models import Decision, DecisionInput, PipelineInput, ProgressEvent, RunState, RunStatus, RunSummary
from src.temporal.client import TemporalConnection
from src.temporal.workflows.ad_pipeline import REJECTION_HTTP_STATUS, AdPipelineWorkflow, SnapshotQuery

log = logging.getLogger(__name__)

POLL_ACTIVE_SECONDS = 0.05  # while steps run: keeps event delivery well under 150 ms
POLL_IDLE_SECONDS = 0.5  # while waiting for a person
POLL_ERROR_MAX_SECONDS = 2.0
FINISHED_CACHE_SIZE = 256
QUERY_TIMEOUT = timedelta(seconds=5)
QUERY_ATTEMPTS = 3
QUERY_RETRY_SECONDS = 0.2


class TemporalEngine:
    name = "temporal"

    def __init__(self, conn: TemporalConnection):
        self.conn = conn
        self._finished: OrderedDict[str, RunState] = OrderedDict()
        self._watchers: dict[str, _Watcher] = {}

    async def _client(self) -> Client:
        try:
            return await self.conn.client()
        except Exception as exc:
            raise EngineUnavailable(f"Temporal is unreachable ({type(exc).__name__}); try again shortly") from exc

    async def _handle(self, run_id: str) -> WorkflowHandle:
        return (await self._client()).get_workflow_handle(run_id, result_type=RunState)

    async def start(self, inp: PipelineInput) -> None:
        client = await self._client()
        await client.start_workflow(
            AdPipelineWorkflow.run, inp, id=inp.workflow_id, task_queue=self.conn.settings.temporal_task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            memo={"url": inp.request.url},  # lets run lists show the site without reading each run
        )

    async def owns(self, run_id: str) -> bool:
        try:
            await (await self._handle(run_id)).describe()
            return True
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return False
            raise EngineUnavailable(f"Temporal error: {exc.message}") from exc

    async def _snapshot(self, run_id: str, events_after: int | None) -> RunState:
        """State (with events after `events_after`); finished runs come from their result."""
        if run_id in self._finished:
            state = self._finished[run_id]
            return state.model_copy(update={"events": [e for e in state.events if e.id > (events_after or 0)]})
        handle = await self._handle(run_id)
        try:
            desc = await handle.describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise RunNotFound(f"No run with id {run_id}") from exc
            raise EngineUnavailable(f"Temporal error while reading {run_id}: {exc.message}") from exc
        if desc.status == WorkflowExecutionStatus.COMPLETED:
            state = await handle.result()
            self._remember(state)
            return await self._snapshot(run_id, events_after)
        if desc.status != WorkflowExecutionStatus.RUNNING:
            # Terminated / timed out / failed outside the orchestrator: say so honestly.
            raise EngineUnavailable(f"Run {run_id} ended abnormally in Temporal ({getattr(desc.status, 'name', 'UNKNOWN')})")
        # A query can fail transiently (e.g. a worker restarting, or the run's first task in flight):
        # a few quick retries before telling the client to come back.
        for attempt in range(QUERY_ATTEMPTS):
            try:
                return await handle.query(AdPipelineWorkflow.snapshot, SnapshotQuery(events_after=events_after),
                                          rpc_timeout=QUERY_TIMEOUT)
            except (RPCError, WorkflowQueryFailedError) as exc:
                if attempt == QUERY_ATTEMPTS - 1:
                    raise EngineUnavailable(
                        f"Run {run_id} cannot be read right now (is a worker running?): {exc}") from exc
                await asyncio.sleep(QUERY_RETRY_SECONDS)
        raise AssertionError("unreachable")

    def _remember(self, state: RunState) -> None:
        if state.workflow_id not in self._finished:
            RUNS_FINISHED.labels("temporal", state.status.value).inc()  # as first observed by this API
        self._finished[state.workflow_id] = state
        while len(self._finished) > FINISHED_CACHE_SIZE:
            self._finished.popitem(last=False)

    async def poll(self, run_id: str, events_after: int) -> RunState:
        """The watcher's fast path: one query RPC; falls back to describe/result when that fails."""
        if run_id not in self._finished:
            try:
                handle = await self._handle(run_id)
                return await handle.query(AdPipelineWorkflow.snapshot, SnapshotQuery(events_after=events_after),
                                          rpc_timeout=QUERY_TIMEOUT)
            except Exception as exc:  # no worker, server blip, closed run: the slow path decides
                log.debug("fast poll of %s failed: %s", run_id, exc)
        return await self._snapshot(run_id, events_after)

    async def state(self, run_id: str) -> RunState:
        return await self._snapshot(run_id, None)

    async def full_state(self, run_id: str) -> RunState:
        return await self._snapshot(run_id, 0)

    async def decide(self, run_id: str, d: DecisionInput) -> Decision:
        handle = await self._handle(run_id)
        await self._require_running(run_id, handle)
        update = {"approve": AdPipelineWorkflow.approve, "revise": AdPipelineWorkflow.revise,
                  "reject": AdPipelineWorkflow.reject}[d.kind]
        try:
            decision = await handle.execute_update(update, d.model_copy(update={"via": "update"}))
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            if isinstance(cause, ApplicationError) and cause.type in REJECTION_HTTP_STATUS:
                error = WrongState if REJECTION_HTTP_STATUS[cause.type] == 409 else InvalidRequest
                raise error(cause.message) from exc
            raise
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:  # the run closed while the update was on its way
                raise WrongState(f"Run {run_id} has already finished; nothing to {d.kind}.") from exc
            raise EngineUnavailable(f"Temporal error: {exc.message}") from exc
        self._poke(run_id)
        return decision

    async def approve_async(self, run_id: str, d: DecisionInput) -> None:
        handle = await self._handle(run_id)
        await self._require_running(run_id, handle)
        await handle.signal(AdPipelineWorkflow.approve_signal, d.model_copy(update={"via": "signal"}))
        self._poke(run_id)

    async def cancel(self, run_id: str) -> None:
        handle = await self._handle(run_id)
        await self._require_running(run_id, handle)
        await handle.cancel()
        self._poke(run_id)

    async def _require_running(self, run_id: str, handle: WorkflowHandle) -> None:
        state = await self.state(run_id)
        if state.status.terminal:
            raise WrongState(f"Run {run_id} is already {state.status.value}")

    def _poke(self, run_id: str) -> None:
        if watcher := self._watchers.get(run_id):
            watcher.wake.set()

    async def subscribe(self, run_id: str, after: int) -> AsyncIterator[ProgressEvent]:
        watcher = self._watchers.get(run_id)
        if watcher is None or watcher.done:
            watcher = self._watchers[run_id] = _Watcher(self, run_id)
        watcher.subscribers += 1
        watcher.ensure_running()
        try:
            async for event in watcher.feed.follow(after):
                yield event
        finally:
            watcher.subscribers -= 1
            if watcher.subscribers == 0:
                watcher.stop()
                self._watchers.pop(run_id, None)

    async def list_runs(self, limit: int, offset: int) -> list[RunSummary]:
        """Newest first from Temporal visibility, each with its real status (finished runs are cached)."""
        client = await self._client()
        found = []
        async for wf in client.list_workflows('WorkflowType = "AdPipelineWorkflow"', limit=offset + limit):
            found.append(wf)
        page = found[offset:]

        async def summary(wf: Any) -> RunSummary:
            memo = await wf.memo()
            try:
                status = (await self.state(wf.id)).status.value
            except EngineError:
                status = "running" if wf.status == WorkflowExecutionStatus.RUNNING else "unknown"
            return RunSummary(workflow_id=wf.id, engine=self.name, status=status, url=str(memo.get("url", "")),
                              created_at=wf.start_time)

        return list(await asyncio.gather(*[summary(wf) for wf in page]))


class _Watcher:
    """Polls one run's snapshot query and publishes new events to its feed."""

    def __init__(self, engine: TemporalEngine, run_id: str):
        self.engine, self.run_id = engine, run_id
        self.feed = EventFeed()
        self.wake = asyncio.Event()
        self.subscribers = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def done(self) -> bool:
        return self._task is not None and self._task.done()

    def ensure_running(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=f"watch-{self.run_id}")

    def stop(self) -> None:
        if self._task and not self._task.done():
            self._task.cancel()

    async def _loop(self) -> None:
        error_delay = POLL_ACTIVE_SECONDS
        while not self.feed.closed:
            try:
                state = await self.engine.poll(self.run_id, self.feed.last_id)
                await self.feed.publish(state.events, terminal=state.status.terminal)
                delay = POLL_IDLE_SECONDS if state.status == RunStatus.AWAITING_APPROVAL else POLL_ACTIVE_SECONDS
                error_delay = POLL_ACTIVE_SECONDS
            except RunNotFound:
                await self.feed.publish([], terminal=True)
                return
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except Exception as exc:  # Temporal down or worker gone: keep the stream, retry with backoff
                log.warning("watching %s: %s", self.run_id, exc)
                error_delay = min(POLL_ERROR_MAX_SECONDS, error_delay * 2)
                delay = error_delay
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=delay)
            except TimeoutError:
                pass

