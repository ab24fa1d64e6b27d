"""Temporal batches: start BatchPipelineWorkflow and read its state (query while open, result after)."""

from __future__ import annotations

import logging
from datetime import timedelta

from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from brandtruth.engines.base import EngineUnavailable, RunNotFound
from brandtruth.engines.temporal import search_attributes
from brandtruth.engines.temporal.client import TemporalConnection
from brandtruth.engines.temporal.workflows.batch import BatchPipelineWorkflow
from brandtruth.pipeline.batches import summarize
from brandtruth.pipeline.models import BatchInput, BatchState

log = logging.getLogger(__name__)

QUERY_TIMEOUT = timedelta(seconds=5)


class TemporalBatches:
    def __init__(self, conn: TemporalConnection):
        self.conn = conn

    async def start(self, inp: BatchInput) -> None:
        client = await self.conn.client()
        try:  # runs are listed, filtered and searched like single runs when the namespace has the index
            inp.index = not await search_attributes.missing(client, self.conn.settings.temporal_namespace)
        except Exception as exc:  # e.g. no operator rights: without the index rather than failing every run
            log.info(
                "batch %s: could not list the namespace's search attributes (%s); runs start without the index", inp.batch_id, exc
            )
        await client.start_workflow(
            BatchPipelineWorkflow.run, inp, id=inp.batch_id, task_queue=self.conn.settings.temporal_task_queue
        )

    async def owns(self, batch_id: str) -> bool:
        try:
            await self._describe(batch_id)
            return True
        except RunNotFound:
            return False

    async def _describe(self, batch_id: str):  # type: ignore[no-untyped-def]
        try:
            client = await self.conn.client()
            handle = client.get_workflow_handle(batch_id, result_type=BatchState)
            return handle, await handle.describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise RunNotFound(f"No batch with id {batch_id}") from exc
            raise EngineUnavailable(f"Temporal error while reading {batch_id}: {exc.message}") from exc
        except Exception as exc:
            raise EngineUnavailable(f"Temporal is unreachable ({type(exc).__name__}); try again shortly") from exc

    async def state(self, batch_id: str) -> BatchState:
        handle, desc = await self._describe(batch_id)
        if desc.status == WorkflowExecutionStatus.COMPLETED:
            state: BatchState = await handle.result()
        else:
            state = await handle.query(BatchPipelineWorkflow.snapshot, rpc_timeout=QUERY_TIMEOUT)
        return state.model_copy(update={"summary": summarize(state)})
