"""Chooses the engine: Temporal when it is healthy at start time, else the local engine.

Every run is placed (run id -> engine, and for an Idempotency-Key the request it stands for) in the
local SQLite store before it starts, so one key or one id never means two runs, on one engine or
across both, and later calls go to the engine the run was placed on. An id with no placement (a run
from before placements, or from another API sharing the Temporal cluster) is looked for in SQLite,
then in Temporal; while Temporal is down such an id is a 503 with Retry-After, never a false 404.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from temporalio.exceptions import WorkflowAlreadyStartedError

from brandtruth.api.store_health import StoreHealth
from brandtruth.config import Settings
from brandtruth.engines import listing
from brandtruth.engines.base import Engine, EngineError, EngineUnavailable, InvalidRequest, RunNotFound, WrongState
from brandtruth.engines.listing import ListedPage, ListedRun
from brandtruth.engines.local.batch import LocalBatches
from brandtruth.engines.local.engine import LocalEngine
from brandtruth.engines.local.store import Placement
from brandtruth.engines.temporal import search_attributes
from brandtruth.engines.temporal.batch import TemporalBatches
from brandtruth.engines.temporal.client import TemporalConnection
from brandtruth.engines.temporal.engine import TemporalEngine
from brandtruth.metrics import BATCHES_STARTED, DECISIONS, RUNS_STARTED
from brandtruth.pipeline.models import BatchInput, BatchState, Decision, DecisionInput, PipelineInput, StartRequest

log = logging.getLogger(__name__)

RUN_ID_PATTERN = re.compile(r"^pipeline-[A-Za-z0-9_-]{1,64}$")
BATCH_ID_PATTERN = re.compile(r"^batch-[A-Za-z0-9_-]{1,64}$")
KEY_REUSED = "This Idempotency-Key was already used for a different request; use a new key."


class RunList(NamedTuple):
    """A page of /workflow/list (or the counts of /workflow/list/counts)."""

    runs: list[ListedRun]
    next_cursor: str | None
    incomplete: list[str]  # engines that could not answer, and why
    counts: dict[str, int] | None = None


def new_run_id() -> str:
    return f"pipeline-{secrets.token_hex(6)}"


def idempotent_run_id(key: str, owner: str | None) -> str:
    """The run id an Idempotency-Key stands for; scoped to the caller so keys cannot collide across users."""
    return "pipeline-k" + hashlib.sha256(f"{owner or ''}\x00{key}".encode()).hexdigest()[:24]


class RunService:
    store_health: StoreHealth | None = None  # the artifact store's line in health (set by the app)

    def __init__(
        self,
        settings: Settings,
        temporal: TemporalEngine,
        local: LocalEngine,
        conn: TemporalConnection,
        temporal_batches: TemporalBatches,
        local_batches: LocalBatches,
    ):
        self.settings = settings
        self.temporal = temporal
        self.local = local
        self.conn = conn
        self.temporal_batches = temporal_batches
        self.local_batches = local_batches
        self.store = local.store
        self._idempotency_lock = asyncio.Lock()
        self._temporal_seen_recorded = False

    def pipeline_input(self, req: StartRequest, run_id: str) -> PipelineInput:
        s = self.settings
        return PipelineInput(
            workflow_id=run_id,
            request=req.options(),  # the durable form: an API body is never stored with a run
            provider=req.provider or s.resolved_provider(),
            max_pages=req.max_pages or s.max_pages,
            approval_timeout_seconds=req.approval_timeout_seconds or s.approval_timeout_seconds,
            reminder_interval_seconds=req.reminder_interval_seconds or s.reminder_interval_seconds,
            max_revision_rounds=s.max_revision_rounds,
            continue_as_new_after_events=s.continue_as_new_after_events,
        )

    async def start(self, req: StartRequest, idempotency_key: str | None = None, owner: str | None = None) -> tuple[str, str]:
        """Start a run; with an Idempotency-Key, the same key (per caller) always means the same run."""
        if not idempotency_key:
            return await self._start_new(req, new_run_id())
        run_id = idempotent_run_id(idempotency_key, owner)
        # One lock for all keyed starts: two concurrent requests with one key must not both start.
        async with self._idempotency_lock:
            placed = await asyncio.to_thread(self.store.placement, run_id)
            if placed is None and self.store.placements_complete:
                return await self._start_new(req, run_id, keyed=True)  # a key never used here
            if placed is None or placed.request_json is None:
                # A store from before placements: the key may have started a run that was not placed (or
                # was placed on a lookup, without its request). Only the run itself can say; 503 meanwhile.
                try:
                    existing = await (await self.engine_for(run_id)).state(run_id)
                except RunNotFound:
                    return await self._start_new(req, run_id, keyed=True)
                if existing.request != req.options():
                    raise InvalidRequest(KEY_REUSED)
                await asyncio.to_thread(self.store.place, run_id, existing.engine, existing.request.model_dump_json())
                return run_id, existing.engine
            if StartRequest.model_validate_json(placed.request_json) != req:
                raise InvalidRequest(KEY_REUSED)
            if not await self._exists(run_id, placed):  # placed, then the API stopped before it started
                return await self._start_new(req, run_id, keyed=True, engine=placed.engine)
            return run_id, placed.engine

    async def _exists(self, run_id: str, placed: Placement) -> bool:
        """Whether a placed run was started; while Temporal is down, a run placed there is taken as started."""
        if placed.engine == self.local.name:
            return await self.local.owns(run_id)
        try:
            return await self.temporal.owns(run_id)
        except EngineUnavailable:
            return True

    async def _start_new(self, req: StartRequest, run_id: str, keyed: bool = False, engine: str | None = None) -> tuple[str, str]:
        """Place the run (durably, before anything starts), then start it there.

        `engine` re-starts a run placed earlier that never started, on the engine it was placed on."""
        inp = self.pipeline_input(req, run_id)
        if engine is None:
            health = await self.conn.health()
            engine = self.temporal.name if health.temporal_available else self.local.name
            if health.temporal_available:
                await self._note_temporal_seen()
            # Idempotent runs carry their request, so a repeated key is answered from here, Temporal or not.
            await asyncio.to_thread(self.store.place, run_id, engine, req.model_dump_json() if keyed else None)
        if engine == self.temporal.name:
            try:
                await self.temporal.start(inp)
                RUNS_STARTED.labels("temporal").inc()
                return run_id, self.temporal.name
            except WorkflowAlreadyStartedError:
                return run_id, self.temporal.name  # the same idempotent run, started by a concurrent request
            except Exception as exc:  # Temporal fell over between the probe and the start
                log.warning("Temporal start failed (%s); running %s locally", exc, run_id)
                self.conn.invalidate()
                await asyncio.to_thread(self.store.move, run_id, self.local.name)
        try:
            await self.local.start(inp)
        except Exception as exc:
            raise EngineUnavailable(f"Neither engine can take the run right now: {exc}") from exc
        RUNS_STARTED.labels("local").inc()
        return run_id, self.local.name

    async def decide(self, run_id: str, d: DecisionInput) -> Decision:
        engine = await self.engine_for(run_id)
        try:
            decision = await engine.decide(run_id, d)
        except WrongState:
            # Repeating an approval that already happened returns it, with no second effect.
            recorded = (await engine.state(run_id)).decision
            if d.kind == "approve" and recorded and set(recorded.variant_ids) == set(d.variant_ids):
                return recorded
            raise
        DECISIONS.labels(d.kind).inc()
        return decision

    async def approve_async(self, run_id: str, d: DecisionInput) -> None:
        await (await self.engine_for(run_id)).approve_async(run_id, d)

    async def engine_for(self, run_id: str) -> Engine:
        if not RUN_ID_PATTERN.match(run_id):
            raise RunNotFound(f"No run with id {run_id!r}; run ids look like pipeline-1a2b3c4d5e6f")
        for engine in (self.local, self.temporal):  # memory first: no SQLite read or RPC per request
            if engine.knows(run_id):
                return engine
        # Where it was placed when it started, whatever is reachable now: a Temporal run is never
        # looked for (or started again) locally just because Temporal is down.
        placed = await asyncio.to_thread(self.store.placement, run_id)
        if placed is not None:
            return self.temporal if placed.engine == self.temporal.name else self.local
        if await self.local.owns(run_id):
            return self.local
        if await self._in_temporal(self.temporal.owns, run_id, "run"):
            # Placed now, so the next outage finds it here instead of answering 503 for it.
            await asyncio.to_thread(self.store.place, run_id, self.temporal.name)
            return self.temporal
        raise RunNotFound(f"No run with id {run_id}")

    async def _in_temporal(self, owns: Callable[[str], Awaitable[bool]], id_: str, what: str) -> bool:
        try:
            found = await owns(id_)
        except EngineUnavailable:
            # Once this API has reached Temporal (recorded durably: it survives a restart during an
            # outage), an id it cannot place may well live there: 503, retry, rather than a false 404.
            if self.conn.ever_connected or await asyncio.to_thread(self.store.temporal_seen):
                raise EngineUnavailable(
                    f"Temporal is unavailable, so {what} {id_} cannot be looked up right now; retry shortly."
                ) from None
            raise RunNotFound(f"No {what} with id {id_} (Temporal has not been reachable from this server)") from None
        await self._note_temporal_seen()
        return found

    async def _note_temporal_seen(self) -> None:
        if not self._temporal_seen_recorded:
            self._temporal_seen_recorded = True
            await asyncio.to_thread(self.store.mark_temporal_seen)  # once per process: one tiny write

    async def start_batch(self, requests: list[StartRequest], max_concurrency: int) -> tuple[str, str, list[str]]:
        batch_id = f"batch-{secrets.token_hex(6)}"
        inp = BatchInput(
            batch_id=batch_id, max_concurrency=max_concurrency, runs=[self.pipeline_input(r, new_run_id()) for r in requests]
        )
        run_ids = [r.workflow_id for r in inp.runs]
        if (await self.conn.health()).temporal_available:
            await self._note_temporal_seen()
            await asyncio.to_thread(self._place_all, run_ids, self.temporal.name)
            try:
                await self.temporal_batches.start(inp)
                BATCHES_STARTED.labels("temporal").inc()
                return batch_id, "temporal", run_ids
            except Exception as exc:
                log.warning("Temporal batch start failed (%s); running %s locally", exc, batch_id)
                self.conn.invalidate()
        await asyncio.to_thread(self._place_all, run_ids, self.local.name)
        await self.local_batches.start(inp)
        BATCHES_STARTED.labels("local").inc()
        return batch_id, "local", run_ids

    def _place_all(self, run_ids: list[str], engine: str) -> None:
        for run_id in run_ids:  # fresh random ids: placing is recording (or moving, after a failed start)
            if self.store.place(run_id, engine) is not None:
                self.store.move(run_id, engine)

    async def batch_state(self, batch_id: str) -> BatchState:
        if not BATCH_ID_PATTERN.match(batch_id):
            raise RunNotFound(f"No batch with id {batch_id!r}; batch ids look like batch-1a2b3c4d5e6f")
        if await self.local_batches.owns(batch_id):
            state = await self.local_batches.state(batch_id)
        elif await self._in_temporal(self.temporal_batches.owns, batch_id, "batch"):
            state = await self.temporal_batches.state(batch_id)
        else:
            raise RunNotFound(f"No batch with id {batch_id}")
        return await self._with_live_children(state)

    async def _with_live_children(self, state: BatchState) -> BatchState:
        """Children keep going after their batch is done; show each one's current status."""
        engine: Engine = self.temporal if state.engine == "temporal" else self.local
        for child in state.children:
            if child.status == "pending":
                continue
            try:
                run = await engine.state(child.workflow_id)
            except EngineError:
                continue
            child.status, child.percent, child.error = run.status.value, run.percent, run.error
        return state

    async def health(self) -> dict[str, Any]:
        h = await self.conn.health()
        if h.temporal_available:
            await self._note_temporal_seen()
        return h.as_dict(
            engine="temporal" if h.temporal_available else "local",
            task_queue=self.settings.temporal_task_queue,
            namespace=self.settings.temporal_namespace,
            temporal_host=self.settings.temporal_host,
            provider=self.settings.resolved_provider(),
            **({"artifacts": await self.store_health.status()} if self.store_health else {}),
        )

    async def list_runs(
        self, limit: int, status: str | None = None, q: str = "", cursor: str | None = None, offset: int | None = None
    ) -> RunList:
        """One page of runs across both engines, newest first by (created_at, workflow_id), each engine
        answering from its own index (no worker is asked). `cursor` continues after the last run of
        the page before; `offset` (old clients) counts from the newest and may repeat a run when new
        ones start meanwhile."""
        status = listing.check_status(status)
        if offset:
            if cursor:
                raise InvalidRequest("Pass cursor or offset, not both: cursor continues where a page ended (use it).")
            page = await self.list_runs(offset + limit, status, q)
            return RunList(page.runs[offset:], page.next_cursor, page.incomplete)
        before, window = listing.decode_cursor(cursor) if cursor else (None, None)
        query = listing.ListQuery(limit=limit, before=before, status=status, q=q, window_seconds=window)
        incomplete: list[str] = []

        async def from_temporal() -> list[ListedPage]:
            if (unlisted := await self._temporal_unlisted()) is not None:
                incomplete.extend([unlisted] if unlisted else [])
                return []
            try:
                return [await self.temporal.list_runs(query)]
            except EngineUnavailable as exc:
                incomplete.append(f"temporal: {exc.detail}")
                return []

        local, remote = await asyncio.gather(self.local.list_runs(query), from_temporal())
        pages = [local, *remote]
        runs = await self._one_per_id([r for p in pages for r in p.runs])
        runs.sort(key=listing.key_of, reverse=True)
        shown = runs[:limit]
        more = len(runs) > limit or any(p.more for p in pages)
        hint = next((p.window_seconds for p in pages if p.window_seconds), None)
        next_cursor = listing.encode_cursor(listing.key_of(shown[-1]), hint) if more and shown else None
        return RunList(shown, next_cursor, incomplete)

    async def count_runs(self, q: str = "") -> RunList:
        """Runs per status across both engines, among those `q` finds."""
        counts = await self.local.count_runs(q, listing.STATUSES)
        incomplete: list[str] = []
        if (unlisted := await self._temporal_unlisted()) is not None:
            incomplete.extend([unlisted] if unlisted else [])
        else:
            try:
                remote = await self.temporal.count_runs(q, listing.STATUSES)
                counts = {s: counts[s] + remote[s] for s in listing.STATUSES}
            except EngineUnavailable as exc:
                incomplete.append(f"temporal: {exc.detail}")
        return RunList([], None, incomplete, counts)

    async def _temporal_unlisted(self) -> str | None:
        """None: ask Temporal's visibility (it answers without workers, so not only when healthy; not
        when this API has never reached it, as each try would wait for a connect timeout). Otherwise
        why Temporal's runs are missing from the list ("" when it has none that this API knows of)."""
        try:
            if (await self.conn.health()).temporal_available or self.conn.ever_connected:
                return None
        except EngineUnavailable:
            pass
        if await asyncio.to_thread(self.store.temporal_seen):
            return f"temporal: unreachable at {self.settings.temporal_host}; its runs are not listed"
        return ""

    async def check_run_index(self) -> None:
        """At start-up: say clearly when the Temporal namespace lacks the run index's search attributes."""
        ns = self.settings.temporal_namespace
        try:
            missing = await self.temporal.index_missing()
        except Exception as exc:  # unreachable now, or no operator rights: said, not fatal
            log.info("run index: could not check namespace %s's search attributes (%s)", ns, exc)
            return
        if missing:
            log.error(
                "run index: Temporal namespace %s lacks the search attributes %s, so new runs there are listed "
                "without status, filters or search. Register them once with: %s",
                ns,
                ", ".join(missing),
                search_attributes.create_command(ns),
            )

    async def _one_per_id(self, runs: list[ListedRun]) -> list[ListedRun]:
        """A run id started on both engines (possible before placements) is listed once: where it is
        placed. Checked for every run of the page, not only ids seen twice on it, since the two copies
        may fall on different pages."""
        if not runs or self.temporal.name not in {r.engine for r in runs}:
            return runs
        placed = await asyncio.to_thread(self.store.engines_of, [r.workflow_id for r in runs])
        first: dict[str, ListedRun] = {}  # unplaced twins (runs from before placements): the first
        for r in runs:
            if placed.get(r.workflow_id, r.engine) == r.engine:
                first.setdefault(r.workflow_id, r)
        return list(first.values())
