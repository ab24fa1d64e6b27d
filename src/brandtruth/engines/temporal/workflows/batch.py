"""BatchPipelineWorkflow: many sites as child AdPipelineWorkflows, at most `max_concurrency` working at once.

A child holds its slot until it is ready for review (or ends): children tell the batch with the
`child_progress` signal. Children outlive the batch (ABANDON) because each waits for its own
reviewer; the batch completes once every child is ready or finished. One failing site never stops
the others.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ChildWorkflowError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from brandtruth.engines.temporal.search_attributes import at_start
    from brandtruth.pipeline.batches import READY_STATUSES, summarize
    from brandtruth.pipeline.models import BatchChild, BatchInput, BatchState, ChildUpdate, PipelineInput, RunState

    from .ad_pipeline import AdPipelineWorkflow


@workflow.defn(name="BatchPipelineWorkflow")
class BatchPipelineWorkflow:
    @workflow.init
    def __init__(self, inp: BatchInput) -> None:
        self._state = BatchState(
            batch_id=inp.batch_id,
            engine="temporal",
            max_concurrency=inp.max_concurrency,
            children=[BatchChild(workflow_id=r.workflow_id, url=r.request.url) for r in inp.runs],
            created_at=workflow.now(),
        )

    @workflow.run
    async def run(self, inp: BatchInput) -> BatchState:
        slots = asyncio.Semaphore(inp.max_concurrency)
        await asyncio.gather(*[self._one(run, slots, inp.index) for run in inp.runs])
        self._state.status, self._state.finished_at = "completed", workflow.now()
        self._state.summary = summarize(self._state)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    def _child(self, workflow_id: str) -> BatchChild:
        return next(c for c in self._state.children if c.workflow_id == workflow_id)

    async def _one(self, run: PipelineInput, slots: asyncio.Semaphore, index: bool) -> None:
        child = self._child(run.workflow_id)
        async with slots:
            child.status, child.started_at = "running", workflow.now()
            try:
                handle = await workflow.start_child_workflow(
                    AdPipelineWorkflow.run,
                    run,
                    id=run.workflow_id,
                    parent_close_policy=ParentClosePolicy.ABANDON,
                    memo={"url": run.request.url, "format": run.request.formats[0]},
                    # The run index, as TemporalEngine.start sets it, when the namespace has it.
                    search_attributes=at_start(run.request.url) if index else None,
                )  # as for single runs: lists show the site and thumbnail without a query
            except Exception as exc:  # e.g. id already in use: this child fails, the others go on
                child.status, child.error = "failed", str(exc)
                return
            finished = asyncio.ensure_future(handle)
            await workflow.wait_condition(lambda: child.status in READY_STATUSES or finished.done())
            if finished.done() and child.status not in READY_STATUSES:
                self._record_result(child, finished)
            child.ready_at = child.ready_at or workflow.now()

    def _record_result(self, child: BatchChild, finished: asyncio.Future[RunState]) -> None:
        try:
            result = finished.result()
            child.status, child.error = result.status.value, result.error
        except ChildWorkflowError as exc:
            child.status, child.error = "failed", str(exc.cause or exc)
        except asyncio.CancelledError:
            child.status = "cancelled"

    @workflow.signal
    def child_progress(self, update: ChildUpdate) -> None:
        child = next((c for c in self._state.children if c.workflow_id == update.workflow_id), None)
        if child is not None:
            child.status, child.error = update.status, update.error
            if update.status in READY_STATUSES and child.ready_at is None:
                child.ready_at = workflow.now()

    @workflow.query
    def snapshot(self) -> BatchState:
        return self._state.model_copy(update={"summary": summarize(self._state)})
