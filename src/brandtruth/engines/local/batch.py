"""Local batches: a bounded in-process queue of normal local runs, persisted in SQLite.

A run holds its slot until it is ready for review or ends, as on Temporal. After a restart, a
batch resumes: runs that already exist are followed, the rest are started.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from brandtruth.engines.base import RunNotFound
from brandtruth.engines.local.engine import LocalEngine
from brandtruth.pipeline.batches import READY_STATUSES, summarize
from brandtruth.pipeline.models import BatchChild, BatchInput, BatchState, PipelineInput

log = logging.getLogger(__name__)


class LocalBatches:
    def __init__(self, engine: LocalEngine):
        self.engine = engine
        self.store = engine.store
        self._live: dict[str, BatchState] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, inp: BatchInput) -> None:
        state = BatchState(
            batch_id=inp.batch_id,
            engine="local",
            max_concurrency=inp.max_concurrency,
            children=[BatchChild(workflow_id=r.workflow_id, url=r.request.url) for r in inp.runs],
            created_at=datetime.now(UTC),
        )
        self._launch(inp, state)
        await self._save(inp, state)

    def _launch(self, inp: BatchInput, state: BatchState) -> None:
        self._live[inp.batch_id] = state
        task = asyncio.create_task(self._drive(inp, state), name=f"batch-{inp.batch_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _save(self, inp: BatchInput, state: BatchState) -> None:
        await asyncio.to_thread(self.store.save_batch, inp, state)

    async def _drive(self, inp: BatchInput, state: BatchState) -> None:
        slots = asyncio.Semaphore(inp.max_concurrency)
        await asyncio.gather(*[self._one(inp, state, run, slots) for run in inp.runs])
        state.status, state.finished_at = "completed", datetime.now(UTC)
        state.summary = summarize(state)
        await self._save(inp, state)
        self._live.pop(inp.batch_id, None)

    async def _one(self, inp: BatchInput, state: BatchState, run: PipelineInput, slots: asyncio.Semaphore) -> None:
        child = next(c for c in state.children if c.workflow_id == run.workflow_id)
        if child.status in READY_STATUSES:
            return
        async with slots:
            child.status, child.started_at = "running", child.started_at or datetime.now(UTC)
            try:
                if not await self.engine.owns(run.workflow_id):
                    await self.engine.start(run)
                await self._save(inp, state)
                async for event in self.engine.subscribe(run.workflow_id, 0):
                    child.percent = event.percent
                    if event.status.value in READY_STATUSES:
                        break
                final = await self.engine.state(run.workflow_id)
                child.status, child.error = final.status.value, final.error
            except (RunNotFound, Exception) as exc:  # one failing site never stops the others
                log.warning("batch %s: run %s failed to start: %s", inp.batch_id, run.workflow_id, exc)
                child.status, child.error = "failed", str(exc)
            child.ready_at = datetime.now(UTC)
            await self._save(inp, state)

    async def owns(self, batch_id: str) -> bool:
        return batch_id in self._live or await asyncio.to_thread(self.store.load_batch, batch_id) is not None

    async def state(self, batch_id: str) -> BatchState:
        state = self._live.get(batch_id)
        if state is None:
            loaded = await asyncio.to_thread(self.store.load_batch, batch_id)
            if loaded is None:
                raise RunNotFound(f"No batch with id {batch_id}")
            state = loaded[1]
        return state.model_copy(update={"summary": summarize(state)}, deep=True)

    async def resume_unfinished(self) -> None:
        for batch_id in self.store.unfinished_batches():
            loaded = self.store.load_batch(batch_id)
            if loaded and batch_id not in self._live:
                self._launch(*loaded)

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
