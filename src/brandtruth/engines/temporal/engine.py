"""The Temporal engine behind the API: start, query, update, signal, cancel, and live event feeds.

Live events: one watcher per run, however many browsers follow it, long-polls the run's history and
runs the `snapshot` query only when a workflow task has completed (that is when the run's state can
have changed), plus a slow safety poll. Queries cost the worker time; under load, polling them on a
timer starved it. Finished runs are read from the workflow result (history alone, no worker needed)
and cached.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from temporalio.api.enums.v1 import EventType
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from brandtruth.engines.base import (
    EngineError,
    EngineUnavailable,
    EventFeed,
    InvalidRequest,
    RunNotFound,
    UnreadableRun,
    WrongState,
    decode_state,
    unreadable_event,
)
from brandtruth.engines.listing import ListedPage, ListQuery
from brandtruth.engines.temporal import run_index
from brandtruth.engines.temporal import search_attributes as sa
from brandtruth.engines.temporal.client import TemporalConnection
from brandtruth.engines.temporal.workflows.ad_pipeline import (
    EVENT_MEMO_KEY,
    REJECTION_HTTP_STATUS,
    AdPipelineWorkflow,
    CancelRequest,
    SnapshotQuery,
)
from brandtruth.metrics import RUNS_FINISHED
from brandtruth.pipeline.models import Decision, DecisionInput, PipelineInput, ProgressEvent, RunState, RunStatus

log = logging.getLogger(__name__)

SAFETY_POLL_SECONDS = 2.0  # a query even when history shows nothing new, in case a long-poll was lost
POLL_ERROR_MIN_SECONDS = 0.1
POLL_ERROR_MAX_SECONDS = 2.0
KNOWN_RUNS_CACHE_SIZE = 4096
# History events after which the run's state may have changed.
WAKE_EVENT_TYPES = frozenset(
    {
        EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
    }
)
CLOSE_EVENT_TYPES = WAKE_EVENT_TYPES - {EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED}
FINISHED_CACHE_SIZE = 256
FIRST_WINDOWS_KEPT = 64
QUERY_TIMEOUT = timedelta(seconds=5)
UPDATE_RPC_TIMEOUT = timedelta(seconds=10)  # how long a decision or cancel waits for a worker to take it
QUERY_ATTEMPTS = 3
QUERY_RETRY_SECONDS = 0.2


class TemporalEngine:
    name = "temporal"

    def __init__(self, conn: TemporalConnection):
        self.conn = conn
        self._finished: OrderedDict[str, RunState] = OrderedDict()
        self._known: OrderedDict[str, None] = OrderedDict()  # run ids seen to exist: they never stop existing
        self._watchers: dict[str, _Watcher] = {}
        self._index_ready: bool | None = None  # whether the namespace has the run index's attributes
        self._first_windows: OrderedDict[tuple[str | None, str], float] = OrderedDict()  # see list_runs

    async def _client(self) -> Client:
        try:
            return await self.conn.client()
        except Exception as exc:
            raise EngineUnavailable(f"Temporal is unreachable ({type(exc).__name__}); try again shortly") from exc

    async def _handle(self, run_id: str) -> WorkflowHandle[Any, Any]:
        # Results and query answers arrive as plain JSON and are decoded by decode_state(), so a
        # state that no longer fits RunState gives a clear answer instead of an error on every read.
        return (await self._client()).get_workflow_handle(run_id, result_type=dict)

    async def _result(self, handle: WorkflowHandle[Any, Any]) -> RunState:
        return decode_state(await handle.result(), handle.id)

    async def _query(self, handle: WorkflowHandle[Any, Any], events_after: int | None, timeout: timedelta) -> RunState:
        raw = await handle.query("snapshot", SnapshotQuery(events_after=events_after), result_type=dict, rpc_timeout=timeout)
        return decode_state(raw, handle.id)

    async def start(self, inp: PipelineInput) -> None:
        client = await self._client()
        attributes = await self._start_attributes(inp.request.url)
        options: dict[str, Any] = {
            "id": inp.workflow_id,
            "task_queue": self.conn.settings.temporal_task_queue,
            "id_reuse_policy": WorkflowIDReusePolicy.REJECT_DUPLICATE,
            # Lets run lists show the site and the thumbnail (its key follows from the first format)
            # without reading each run.
            "memo": {"url": inp.request.url, "format": inp.request.formats[0]},
        }
        try:
            await client.start_workflow(AdPipelineWorkflow.run, inp, search_attributes=attributes, **options)
        except RPCError as exc:
            # The namespace refused the index's attributes (not registered): run without the index.
            if (
                attributes is None
                or exc.status != RPCStatusCode.INVALID_ARGUMENT
                or "search attribute" not in exc.message.lower()
            ):
                raise
            log.warning(
                "Temporal refused the run index's search attributes (%s); %s",
                exc.message,
                sa.create_command(self.conn.settings.temporal_namespace),
            )
            self._index_ready = False
            await client.start_workflow(AdPipelineWorkflow.run, inp, **options)
        self._remember_known(inp.workflow_id)

    def knows(self, run_id: str) -> bool:
        return run_id in self._known or run_id in self._finished

    async def owns(self, run_id: str) -> bool:
        if self.knows(run_id):
            return True
        try:
            await (await self._handle(run_id)).describe()
            self._remember_known(run_id)
            return True
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return False
            raise EngineUnavailable(f"Temporal error: {exc.message}") from exc

    def _remember_known(self, run_id: str) -> None:
        self._known[run_id] = None
        while len(self._known) > KNOWN_RUNS_CACHE_SIZE:
            self._known.popitem(last=False)

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
            state = await self._result(handle)
            self._remember(state)
            return await self._snapshot(run_id, events_after)
        if desc.status != WorkflowExecutionStatus.RUNNING:
            self._remember(await self._abnormal_end(handle, getattr(desc.status, "name", "UNKNOWN")))
            return await self._snapshot(run_id, events_after)
        # A query can fail transiently (e.g. a worker restarting, or the run's first task in flight):
        # a few quick retries before telling the client to come back.
        for attempt in range(QUERY_ATTEMPTS):
            try:
                return await self._query(handle, events_after, QUERY_TIMEOUT)
            except (RPCError, WorkflowQueryFailedError) as exc:
                if attempt == QUERY_ATTEMPTS - 1:
                    raise EngineUnavailable(f"Run {run_id} cannot be read right now (is a worker running?): {exc}") from exc
                await asyncio.sleep(QUERY_RETRY_SECONDS)
        raise AssertionError("unreachable")

    async def _abnormal_end(self, handle: WorkflowHandle[Any, Any], how: str) -> RunState:
        """A run terminated, timed out or failed outside the orchestrator (e.g. by an operator): its last
        state (replayed by a worker) plus an honest closing event, so streams end and results say why."""
        try:
            state = await self._query(handle, 0, QUERY_TIMEOUT)
        except UnreadableRun:
            raise
        except Exception as exc:
            raise EngineUnavailable(
                f"Run {handle.id} ended in Temporal as {how}; its state needs a running worker to be read"
            ) from exc
        message = f"The workflow ended in Temporal as {how}"
        state.status, state.error, state.error_type = RunStatus.FAILED, message, f"Workflow{how.title()}"
        state.events.append(
            ProgressEvent(
                id=len(state.events) + 1,
                type="failed",
                status=RunStatus.FAILED,
                percent=state.percent,
                message=message,
                timestamp=datetime.now(UTC),
                data={"error_type": state.error_type, "retryable": False},
            )
        )
        return state

    def _remember(self, state: RunState) -> None:
        if state.workflow_id not in self._finished:
            RUNS_FINISHED.labels("temporal", state.status.value).inc()  # as first observed by this API
        self._finished[state.workflow_id] = state
        while len(self._finished) > FINISHED_CACHE_SIZE:
            self._finished.popitem(last=False)

    async def poll(self, run_id: str, events_after: int, closed: bool = False) -> RunState:
        """The watcher's read: one query while the run is open; the cached result once it has closed."""
        if not closed and run_id not in self._finished:
            try:
                handle = await self._handle(run_id)
                return await self._query(handle, events_after, QUERY_TIMEOUT)
            except Exception as exc:  # no worker, server blip, just-closed run: the slow path decides
                log.debug("query of %s failed: %s", run_id, exc)
        return await self._snapshot(run_id, events_after)

    async def delivered_all(self, run_id: str, after: int) -> bool:
        """Whether a client that has seen events up to `after` has seen the whole, finished run.

        Called as a stream opens, so it first makes sure the run can be found (from memory when this
        API has seen it): a run Temporal cannot serve right now is a 503 to retry, not a stream
        left waiting with nothing to say, and an unknown id is a 404."""
        if not await self.owns(run_id):
            raise RunNotFound(f"No run with id {run_id}")
        if after <= 0:
            return False
        watcher = self._watchers.get(run_id)
        if watcher and watcher.feed.closed:
            return after >= watcher.feed.last_id
        if run_id not in self._finished:
            handle = await self._handle(run_id)
            if (await handle.describe()).status != WorkflowExecutionStatus.COMPLETED:
                return False
            self._remember(await self._result(handle))
        state = await self._snapshot(run_id, after)
        return state.status.terminal and not state.events

    async def state(self, run_id: str) -> RunState:
        return await self._snapshot(run_id, None)

    async def full_state(self, run_id: str) -> RunState:
        return await self._snapshot(run_id, 0)

    async def decide(self, run_id: str, d: DecisionInput) -> Decision:
        handle = await self._handle(run_id)
        update = {
            "approve": AdPipelineWorkflow.approve,
            "revise": AdPipelineWorkflow.revise,
            "reject": AdPipelineWorkflow.reject,
        }[d.kind]
        try:
            decision: Decision = await _execute_update(handle, update, d.model_copy(update={"via": "update"}))
        except WorkflowUpdateFailedError as exc:
            _raise_rejection(exc)
        except WorkflowUpdateRPCTimeoutOrCancelledError as exc:
            raise _no_worker(d.kind) from exc
        except RPCError as exc:
            raise await self._closed_or_unavailable(run_id, exc, d.kind) from exc
        self._poke(run_id)
        return decision

    async def approve_async(self, run_id: str, d: DecisionInput) -> None:
        handle = await self._handle(run_id)
        try:
            await handle.signal(AdPipelineWorkflow.approve_signal, d.model_copy(update={"via": "signal"}))
        except RPCError as exc:
            raise await self._closed_or_unavailable(run_id, exc, "approve") from exc
        self._poke(run_id)

    async def cancel(self, run_id: str) -> None:
        handle = await self._handle(run_id)
        try:
            if run_id in self._finished or (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
                raise WrongState(f"Run {run_id} is already {(await self.state(run_id)).status.value}; nothing to cancel.")
            # An update, not a Temporal cancel request: the run decides, in order with decisions, whether
            # it can still be cancelled (an approved run cannot), and the answer here says which.
            await _execute_update(handle, AdPipelineWorkflow.cancel, CancelRequest())
        except WorkflowUpdateFailedError as exc:
            _raise_rejection(exc)
        except WorkflowUpdateRPCTimeoutOrCancelledError as exc:
            raise _no_worker("cancel") from exc
        except RPCError as exc:
            raise await self._closed_or_unavailable(run_id, exc, "cancel") from exc
        self._poke(run_id)

    async def _closed_or_unavailable(self, run_id: str, exc: RPCError, action: str) -> Exception:
        """A NOT_FOUND from an open-run call means the run has closed: say how it ended (409)."""
        if exc.status != RPCStatusCode.NOT_FOUND:
            return EngineUnavailable(f"Temporal error: {exc.message}")
        try:
            status = (await self.state(run_id)).status.value
        except EngineError:
            status = "finished"
        return WrongState(f"Run {run_id} is already {status}; nothing to {action}.")

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

    async def list_runs(self, query: ListQuery) -> ListedPage:
        """Newest first, filtered and searched, from Temporal visibility alone (see run_index): no
        worker is asked, so a busy or absent worker never slows or falsifies the list."""
        client = await self._client()
        # A first page starts from the window the last first page with these filters ended with.
        hint_key = (query.status, query.q)
        if query.before is None and query.window_seconds is None and hint_key in self._first_windows:
            query = dataclasses.replace(query, window_seconds=self._first_windows[hint_key])
        try:
            page, rows = await run_index.list_page(client, self.conn.settings.temporal_task_queue, query)
        except RPCError as exc:
            raise EngineUnavailable(f"Temporal visibility could not list runs: {exc.message}") from exc
        if query.before is None and page.window_seconds:
            self._first_windows[hint_key] = page.window_seconds
            while len(self._first_windows) > FIRST_WINDOWS_KEPT:
                self._first_windows.popitem(last=False)
        page.runs = list(await asyncio.gather(*[run_index.listed(wf, await self._outcome_without_index(wf)) for wf in rows]))
        return page

    async def count_runs(self, q: str, statuses: tuple[str, ...]) -> dict[str, int]:
        client = await self._client()
        try:
            return await run_index.count_by_status(client, self.conn.settings.temporal_task_queue, q, statuses)
        except RPCError as exc:
            raise EngineUnavailable(f"Temporal visibility could not count runs: {exc.message}") from exc

    async def _outcome_without_index(self, wf: Any) -> str | None:
        """A finished run from before the index: its outcome from its result (history, no worker), cached."""
        if wf.status != WorkflowExecutionStatus.COMPLETED or wf.typed_search_attributes.get(sa.STATUS) in run_index.CLOSED:
            return None
        try:
            return (await self.state(wf.id)).status.value
        except UnreadableRun:
            return "unreadable"
        except EngineError:
            return None

    async def index_missing(self) -> list[str]:
        """The run index's search attributes the namespace lacks ([] when all are there)."""
        client = await self._client()
        return await sa.missing(client, self.conn.settings.temporal_namespace)

    async def _start_attributes(self, url: str) -> TypedSearchAttributes | None:
        """The run's index at start, when the namespace has the attributes (checked once per process)."""
        if self._index_ready is None:
            try:
                missing = await self.index_missing()
            except Exception as exc:  # e.g. an API key without operator rights: try, and learn from the start
                log.info("could not list the namespace's search attributes (%s); will try them on start", exc)
                return sa.at_start(url)
            self._index_ready = not missing
        return sa.at_start(url) if self._index_ready else None


# The server refuses an update whose workflow task failed (e.g. the SDK's deadlock detector on a
# starved machine) with this message; the task is retried, so the update can be sent again.
_TASK_FAILED = "unexpected workflow task failure"
UPDATE_ATTEMPTS = 3


async def _execute_update(handle: WorkflowHandle[Any, Any], update: Any, arg: Any) -> Any:
    """Run an update, sending it again (same update id, so never applied twice) when the server
    dropped it because the workflow task that was to deliver it failed; bounded to UPDATE_ATTEMPTS."""
    update_id = str(uuid.uuid4())
    for attempt in range(1, UPDATE_ATTEMPTS + 1):
        try:
            return await handle.execute_update(update, arg, id=update_id, rpc_timeout=UPDATE_RPC_TIMEOUT)
        except RPCError as exc:
            if _TASK_FAILED not in exc.message or attempt == UPDATE_ATTEMPTS:
                raise
            log.warning("update %s on %s: %s; sending it again (attempt %d)", update_id, handle.id, exc.message, attempt + 1)
            await asyncio.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def _raise_rejection(exc: WorkflowUpdateFailedError) -> NoReturn:
    """A refused update as the engine error the API maps to its code (409 or 422). Any other failure
    (e.g. a worker of an older version without the handler, mid-deploy) is a 503 to retry, never a 500."""
    cause = exc.cause
    if isinstance(cause, ApplicationError) and cause.type in REJECTION_HTTP_STATUS:
        error = WrongState if REJECTION_HTTP_STATUS[cause.type] == 409 else InvalidRequest
        raise error(cause.message) from exc
    raise EngineUnavailable(f"The run's worker could not take the request ({cause or exc}); try again shortly.") from exc


def _no_worker(action: str) -> EngineUnavailable:
    """Decisions and cancels are updates, answered by a worker: with none polling the client would wait
    for ever, so it waits UPDATE_RPC_TIMEOUT and says what is going on."""
    seconds = UPDATE_RPC_TIMEOUT.total_seconds()
    return EngineUnavailable(
        f"No Temporal worker answered the {action} within {seconds:g} s (are the workers running?); "
        "it takes effect if a worker picks it up later, and repeating it is safe."
    )


class _Watcher:
    """Follows one run by long-polling its history on the Temporal server.

    Runs recorded since events went into history carry every event as a memo upsert: those are read
    straight from history, with no worker involved, so a busy worker never delays a stream. Older
    runs, and runs ended abnormally, fall back to the snapshot query after each completed workflow
    task and on a slow safety timer.
    """

    def __init__(self, engine: TemporalEngine, run_id: str):
        self.engine, self.run_id = engine, run_id
        self.feed = EventFeed()
        self.wake = asyncio.Event()
        self.closed_seen = False
        self.from_history = False
        self.history_unreadable = False
        self.subscribers = 0
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def done(self) -> bool:
        return bool(self._tasks) and self._tasks[0].done()

    def ensure_running(self) -> None:
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._loop(), name=f"watch-{self.run_id}"),
                asyncio.create_task(self._follow_history(), name=f"history-{self.run_id}"),
            ]

    def stop(self) -> None:
        for task in self._tasks:
            if not task.done():
                task.cancel()

    async def _follow_history(self) -> None:
        # A run that continued-as-new is a chain of executions, each with its own history numbered
        # from 1, and the events of the run spread over them. So: first walk back from the latest
        # execution to the first, then read forward, moving on at each continuation. The feed only
        # takes the next id in sequence, so each event reaches subscribers once, in order.
        execution: str | None = None  # None: the latest
        rewinding = True
        seen = 0
        delay = POLL_ERROR_MIN_SECONDS
        while not self.feed.closed:
            moved = False
            try:
                client = await self.engine._client()
                handle = client.get_workflow_handle(self.run_id, run_id=execution)
                async for ev in handle.fetch_history_events(wait_new_event=True):
                    if ev.event_id <= seen:
                        continue  # a restarted follow re-reads from the start
                    seen = ev.event_id
                    delay = POLL_ERROR_MIN_SECONDS
                    if ev.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
                        before = ev.workflow_execution_started_event_attributes.continued_execution_run_id
                        if rewinding and before:
                            execution, seen, moved = before, 0, True
                            break
                        rewinding = False
                    elif ev.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
                        after = ev.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
                        execution, seen, moved = after, 0, True
                        break
                    elif ev.event_type == EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
                        payload = ev.workflow_properties_modified_event_attributes.upserted_memo.fields.get(EVENT_MEMO_KEY)
                        if payload is not None:
                            try:
                                [event] = await client.data_converter.decode([payload], [ProgressEvent])
                            except Exception as exc:  # undecodable: the query path reads this run instead
                                log.warning("run %s: event in history cannot be read: %s", self.run_id, exc)
                                self.history_unreadable, self.from_history = True, False
                                self.wake.set()
                                continue
                            self.from_history = not self.history_unreadable
                            await self.feed.publish([event])
                    elif ev.event_type in WAKE_EVENT_TYPES:
                        self.closed_seen = self.closed_seen or ev.event_type in CLOSE_EVENT_TYPES
                        if self.closed_seen or not self.from_history:
                            self.wake.set()
                if self.closed_seen:
                    return
                if moved:
                    continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Temporal down: retry the follow with backoff (streams stay open)
                log.debug("history follow of %s: %s", self.run_id, exc)
            await asyncio.sleep(delay)
            delay = min(POLL_ERROR_MAX_SECONDS, delay * 2)

    async def _loop(self) -> None:
        """The query fallback: reads the snapshot when woken, or on the safety timer.

        It waits before its first read: the history follow usually shows within one long-poll that
        the run carries its events, and then no query is needed at all (a burst of new streams used to
        send the busy worker one query per run)."""
        delay: float | None = SAFETY_POLL_SECONDS
        error_delay = POLL_ERROR_MIN_SECONDS
        if self.run_id in self.engine._finished:
            self.wake.set()  # its whole story is cached here: read it now, not after history
        while not self.feed.closed:
            if self.from_history and not self.closed_seen:
                delay = None  # history brings every event; wait for the close (or a poke)
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=delay)
            except TimeoutError:
                pass
            self.wake.clear()
            if self.from_history and not self.closed_seen:
                continue
            try:
                state = await self.engine.poll(self.run_id, self.feed.last_id, closed=self.closed_seen)
                await self.feed.publish(state.events, terminal=state.status.terminal)
                delay, error_delay = SAFETY_POLL_SECONDS, POLL_ERROR_MIN_SECONDS
            except RunNotFound:
                await self.feed.publish([], terminal=True)
                return
            except UnreadableRun as exc:  # final: say so and end the stream, rather than retry forever
                await self.feed.publish([unreadable_event(self.feed.last_id + 1, exc.detail)], terminal=True)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Temporal down or worker gone: keep the stream, retry with backoff
                log.warning("watching %s: %s", self.run_id, exc)
                error_delay = min(POLL_ERROR_MAX_SECONDS, error_delay * 2)
                delay = error_delay
