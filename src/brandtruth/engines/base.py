"""One contract, two engines: the Engine protocol, its errors, and the live event feed.

Routes talk only to this interface; `src/brandtruth/engines/temporal/engine.py` and `src/brandtruth/engines/local/engine.py`
implement it. Errors here map one-to-one to HTTP codes in the routes.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from brandtruth.pipeline.models import (
    Decision,
    DecisionInput,
    PipelineInput,
    ProgressEvent,
    RunState,
    RunStatus,
)

if TYPE_CHECKING:  # listing.py imports this module's errors
    from brandtruth.engines.listing import ListedPage, ListQuery

log = logging.getLogger(__name__)


class EngineError(Exception):
    status_code = 500
    headers: dict[str, str] | None = None  # extra response headers

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class RunNotFound(EngineError):
    status_code = 404


class WrongState(EngineError):
    status_code = 409


class InvalidRequest(EngineError):
    status_code = 422


class TooManyRequests(EngineError):
    status_code = 429


class EngineUnavailable(EngineError):
    """Try again shortly: Temporal is down (or neither engine can take a run). Clients retry, bounded."""

    status_code = 503
    headers = {"Retry-After": "3"}


class UnreadableRun(EngineError):
    """The run exists but its stored state no longer decodes: final for this run, so never a 5xx a
    client would retry forever; streams end on it."""

    status_code = 409


# Fields without which a state means nothing; any other field that no longer decodes takes its default.
_ESSENTIAL_FIELDS = frozenset({"workflow_id", "request", "status"})
_MAX_REPAIRS = 50


def decode_state(raw: str | bytes | dict[str, Any], run_id: str) -> RunState:
    """A stored RunState, tolerant of damage: a field (or list item) that no longer decodes is dropped
    back to its default, with a warning, so one bad value (e.g. an enum stored as a number) cannot
    make the whole run unreadable. UnreadableRun when even that cannot give a state."""
    try:
        return RunState.model_validate_json(raw) if isinstance(raw, str | bytes) else RunState.model_validate(raw)
    except ValidationError as exc:
        first = exc
    unreadable = UnreadableRun(
        f"Run {run_id}'s stored state cannot be read ({_brief(first)}); it cannot be shown "
        "or changed any more. Start a new run for the same site."
    )
    try:
        data = json.loads(raw) if isinstance(raw, str | bytes) else json.loads(json.dumps(raw, default=str))
    except ValueError:
        raise unreadable from first
    dropped: list[str] = []
    for _ in range(_MAX_REPAIRS):
        try:
            state = RunState.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            loc = list(error["loc"])
            if error["type"] == "missing":
                loc = loc[:-1]  # a required field is gone: drop what holds it
            path = _drop(data, loc)
            if not path or (len(path) == 1 and path[0] in _ESSENTIAL_FIELDS):
                raise unreadable from first
            dropped.append(".".join(map(str, path)))
            continue
        log.warning("run %s: stored state partly unreadable; dropped %s", run_id, ", ".join(dropped))
        return state
    raise unreadable from first


def _drop(data: Any, loc: list[Any]) -> list[Any]:
    """Delete the deepest item of `loc` that exists in `data`; return its path ([] if none)."""
    node, path = data, []
    for key in loc:
        found = (isinstance(node, dict) and key in node) or (
            isinstance(node, list) and isinstance(key, int) and -len(node) <= key < len(node)
        )
        if not found:
            break
        parent, node = node, node[key]
        path.append(key)
    if not path:
        return []
    del parent[path[-1]]
    return path


def unreadable_event(event_id: int, detail: str) -> ProgressEvent:
    """The closing event of a stream whose run cannot be read: says why, and ends the stream."""
    return ProgressEvent(
        id=event_id,
        type="failed",
        status=RunStatus.FAILED,
        percent=0,
        message=detail,
        timestamp=datetime.now(UTC),
        data={"error_type": "UnreadableState", "retryable": False},
    )


def _brief(exc: ValidationError) -> str:
    e = exc.errors()[0]
    return f"{'.'.join(map(str, e['loc'])) or 'state'}: {e['msg']}"


class Engine(Protocol):
    name: str

    async def start(self, inp: PipelineInput) -> None: ...
    async def owns(self, run_id: str) -> bool: ...
    def knows(self, run_id: str) -> bool:
        """owns() from memory alone, with no I/O: True means the run is this engine's; False, ask owns()."""
        ...

    async def state(self, run_id: str) -> RunState:
        """Current state without events."""
        ...

    async def full_state(self, run_id: str) -> RunState:
        """Current state with every event."""
        ...

    async def decide(self, run_id: str, d: DecisionInput) -> Decision:
        """Apply an approve/revise/reject decision and return it as recorded."""
        ...

    async def approve_async(self, run_id: str, d: DecisionInput) -> None:
        """Fire-and-forget approval (a Temporal signal); invalid ones are recorded as events."""
        ...

    async def cancel(self, run_id: str) -> None: ...
    def subscribe(self, run_id: str, after: int) -> AsyncIterator[ProgressEvent]: ...
    async def delivered_all(self, run_id: str, after: int) -> bool:
        """Whether a client that has seen events up to `after` has seen the whole, finished run."""
        ...

    async def list_runs(self, query: ListQuery) -> ListedPage:
        """Newest first by (created_at, workflow_id), older than `query.before`, filtered and searched
        as engines/listing.py says; the status from the engine's own record, never guessed."""
        ...

    async def count_runs(self, q: str, statuses: tuple[str, ...]) -> dict[str, int]:
        """Runs per status among those `q` finds."""
        ...


class EventFeed:
    """The events of one run as seen by this process, with wake-ups for stream subscribers."""

    def __init__(self) -> None:
        self.events: list[ProgressEvent] = []
        self.closed = False
        # Set (and replaced) by each publish. A Condition under wait_for() here let a stream fail with
        # "cannot wait on un-acquired lock" on Python 3.11 when a long wait's events and a subscriber
        # leaving met; an Event needs no lock, and everything below runs on one loop without an await
        # between reading the events and taking the Event to wait on.
        self._changed = asyncio.Event()

    @property
    def last_id(self) -> int:
        return self.events[-1].id if self.events else 0

    async def publish(self, events: list[ProgressEvent], terminal: bool = False) -> None:
        fresh: list[ProgressEvent] = []
        for event in sorted(events, key=lambda e: e.id):
            # Only the next id in sequence: a client resuming after id N must never skip N+1.
            if event.id == self.last_id + len(fresh) + 1:
                fresh.append(event)
        if not fresh and not (terminal and not self.closed):
            return
        self.events.extend(fresh)
        self.closed = self.closed or terminal or any(e.status.terminal for e in fresh)
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def follow(self, after: int, idle_timeout: float = 15.0) -> AsyncIterator[ProgressEvent]:
        """Yield every event with id > after, once each, until the run ends."""
        cursor = after
        while True:
            # Read `closed` before taking the events: publish() appends before it closes, so a feed seen
            # closed here has all its events in the list below. Checking after the loop instead would
            # drop whatever was published while a yield was suspended (the terminal event, typically).
            closed = self.closed
            for event in [e for e in self.events if e.id > cursor]:
                cursor = event.id
                yield event
            if closed:
                return
            if self.last_id <= cursor and not self.closed:
                try:
                    await asyncio.wait_for(self._changed.wait(), timeout=idle_timeout)
                except TimeoutError:
                    pass  # re-check: a missed wake-up costs at most this long
