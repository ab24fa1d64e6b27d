"""AdPipelineWorkflow: the shared orchestrator driven by Temporal activities.

Deterministic by construction: the orchestrator gets time from workflow.now() and does all work
through activities. Approval comes by a validated Update (`approve`) or a Signal (`approve_signal`);
the API cancels by the validated `cancel` Update (an approved run refuses it); state and events are
read with the `snapshot` Query. A long approval wait continues-as-new before its history grows large,
carrying the whole state, events and their ids included, into the next run. Every terminal outcome (completed, failed,
cancelled, expired) is returned as the workflow result, so a finished run stays readable from
history alone, with no worker running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, is_cancelled_exception
from temporalio.exceptions import TimeoutError as ActivityTimeoutError

with workflow.unsafe.imports_passed_through():
    from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES, COMPOSE_ONE_VARIANT
    from brandtruth.engines.temporal.search_attributes import RunIndexKeeper
    from brandtruth.pipeline.batches import READY_STATUSES
    from brandtruth.pipeline.models import (
        BrandProfile,
        ChildUpdate,
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
    from brandtruth.pipeline.orchestrator import (
        MAX_RECORDED_REJECTIONS,
        VARIANTS_PER_COMPOSE,
        ContinueAsNew,
        DecisionRejected,
        Pipeline,
        StepFailed,
    )
    from brandtruth.pipeline.policies import STEP_POLICIES, StepPolicy

T = TypeVar("T")

# Runs recorded before the export step existed replay without it.
EXPORT_PATCH = "export-step-v1"
# Runs recorded before events were written to history replay without those memo upserts.
EVENTS_IN_HISTORY_PATCH = "events-in-history-v1"
EVENT_MEMO_KEY = "event"
# Recorded the first time a run continues-as-new; older histories never reached the limit.
CONTINUE_AS_NEW_PATCH = "continue-as-new-v1"
# Recorded when a run first refuses to record one more invalid signalled decision.
BOUNDED_REJECTIONS_PATCH = "bounded-rejections-v1"
# Recorded at a run's first sub-step progress event; older histories have none of them.
PROGRESS_PATCH = "sub-step-progress-v1"
# Recorded at a run's first compose; before it, compose was one activity per variant.
COMPOSE_BATCH_PATCH = "compose-batches-v1"


def activity_options(policy: StepPolicy) -> dict[str, Any]:
    return {
        "start_to_close_timeout": timedelta(seconds=policy.start_to_close_seconds),
        "heartbeat_timeout": timedelta(seconds=policy.heartbeat_seconds) if policy.heartbeat_seconds else None,
        "retry_policy": RetryPolicy(
            initial_interval=timedelta(seconds=policy.initial_interval_seconds),
            backoff_coefficient=policy.backoff,
            maximum_interval=timedelta(seconds=policy.max_interval_seconds),
            maximum_attempts=policy.max_attempts,
        ),
    }


class SnapshotQuery(BaseModel):
    """Argument of the `snapshot` query: events after this id (None: no events, just state)."""

    events_after: int | None = 0


class CancelRequest(BaseModel):
    """Argument of the `cancel` update."""

    reason: str | None = None


class _ActivityRunner:
    """The orchestrator's Runner, backed by activities and workflow time."""

    def __init__(self, history_limit: int) -> None:
        self._told_parent: str | None = None
        self._history_limit = history_limit
        self.index: RunIndexKeeper | None = None  # the run's search attributes, set by the workflow

    def now(self) -> datetime:
        return workflow.now()

    async def _call(self, step: str, arg: Any, result_type: type[T], activity: str | None = None) -> T:
        try:
            result: T = await workflow.execute_activity(
                activity or ACTIVITY_NAMES[step], arg, result_type=result_type, **activity_options(STEP_POLICIES[step])
            )
            return result
        except ActivityError as exc:
            if is_cancelled_exception(exc):
                raise asyncio.CancelledError() from exc
            cause = exc.cause
            if isinstance(cause, ActivityTimeoutError):
                # cause.type is a TimeoutType enum, not an error name: stored as-is it made the whole
                # RunState undecodable. Say which timeout, in the local engine's terms.
                kind = (getattr(cause.type, "name", None) or "start_to_close").lower().replace("_", "-")
                policy = STEP_POLICIES[step]
                seconds = (policy.heartbeat_seconds if kind == "heartbeat" else None) or policy.start_to_close_seconds
                raise StepFailed(step, f"{step} timed out ({kind}, {seconds:g}s)", "StepTimeout", True) from exc
            message = getattr(cause, "message", None) or str(cause or exc)
            error_type = str(getattr(cause, "type", None) or type(cause).__name__)
            non_retryable = getattr(cause, "non_retryable", None)
            retryable = None if non_retryable is None else not non_retryable
            raise StepFailed(step, message, error_type, retryable) from exc

    async def extract(self, inp: ExtractInput) -> BrandProfile:
        return await self._call("extract", inp, BrandProfile)

    async def generate(self, inp: GenerateInput) -> GenerateOutput:
        return await self._call("generate", inp, GenerateOutput)

    async def match(self, inp: MatchInput) -> MatchOutput:
        return await self._call("match", inp, MatchOutput)

    def variants_per_compose(self) -> int:
        return VARIANTS_PER_COMPOSE if workflow.patched(COMPOSE_BATCH_PATCH) else 1

    async def compose(self, inp: ComposeBatchInput) -> ComposeOutput:
        if workflow.patched(COMPOSE_BATCH_PATCH):
            return await self._call("compose", inp, ComposeOutput)
        (one,) = inp.per_variant()  # a history from before batches: variants_per_compose() said 1
        return await self._call("compose", one, ComposeOutput, activity=COMPOSE_ONE_VARIANT)

    async def score(self, inp: ScoreInput) -> ScoreOutput:
        return await self._call("score", inp, ScoreOutput)

    async def export(self, inp: ExportInput) -> ExportOutput | None:
        if not workflow.patched(EXPORT_PATCH):
            return None
        return await self._call("export", inp, ExportOutput)

    async def wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        try:
            await workflow.wait_condition(condition, timeout=timedelta(seconds=timeout))
            return True
        except TimeoutError:
            return False

    async def checkpoint(self, state: RunState) -> None:
        # Temporal's history is the checkpoint; the only thing to do is tell a parent batch that
        # this run is ready for review or finished, so the batch can free the slot.
        parent = workflow.info().parent
        status = state.status.value
        if parent is None or status not in READY_STATUSES or status == self._told_parent:
            return
        self._told_parent = status
        try:
            await workflow.get_external_workflow_handle(parent.workflow_id).signal(
                "child_progress", ChildUpdate(workflow_id=state.workflow_id, status=status, error=state.error)
            )
        except Exception:  # the batch may already be complete; the child's own run goes on
            workflow.logger.info("batch %s no longer listening", parent.workflow_id)

    def cancel_is_final(self) -> bool:
        return True  # In a workflow, cancellation only ever comes from a cancel request.

    def announce(self, event: ProgressEvent) -> None:
        # Each event also goes into history (as a memo upsert), so the API reads live progress by
        # long-polling history on the server, without asking a busy worker to answer queries.
        if workflow.patched(EVENTS_IN_HISTORY_PATCH):
            workflow.upsert_memo({EVENT_MEMO_KEY: event.model_dump(mode="json")})
        if self.index:
            self.index.update()

    def reports_progress(self) -> bool:
        return workflow.patched(PROGRESS_PATCH)

    def should_continue_as_new(self) -> bool:
        info = workflow.info()
        if not (info.is_continue_as_new_suggested() or info.get_current_history_length() >= self._history_limit):
            return False
        return workflow.patched(CONTINUE_AS_NEW_PATCH)


@workflow.defn(name="AdPipelineWorkflow")
class AdPipelineWorkflow:
    @workflow.init
    def __init__(self, inp: PipelineInput) -> None:
        # A continued run starts from the state its predecessor carried over (events and ids included).
        runner = _ActivityRunner(inp.continue_as_new_after_events)
        self._pipeline = Pipeline(inp, runner, state=inp.resume, engine="temporal")
        runner.index = RunIndexKeeper(lambda: self._pipeline.state)
        self._task: asyncio.Task[RunState] | None = None

    @workflow.run
    async def run(self, inp: PipelineInput) -> RunState:
        # The pipeline runs as its own task so the `cancel` update can stop it (a Temporal cancel
        # request reaches it too: cancelling this coroutine cancels the task it awaits).
        while True:
            self._task = asyncio.create_task(self._pipeline.run())
            try:
                state = await self._task
                break
            except ContinueAsNew:
                # A decision or cancel handler may be running; let it finish so nothing is lost.
                await workflow.wait_condition(workflow.all_handlers_finished)
                if not self._pipeline.cancel_requested:
                    workflow.continue_as_new(inp.model_copy(update={"resume": self._pipeline.state}))
                # A cancel was accepted meanwhile: run on, and the pipeline ends the run as cancelled.
        # An approve Update may still be returning its result; finish it before closing the run.
        await workflow.wait_condition(workflow.all_handlers_finished)
        return state

    @workflow.query
    def snapshot(self, q: SnapshotQuery) -> RunState:
        state = self._pipeline.state
        after = q.events_after
        events = [] if after is None else [e for e in state.events if e.id > after]
        return state.model_copy(update={"events": events})

    # Decisions: each Update's validator rejects bad input before it reaches history.

    @workflow.update
    async def approve(self, d: DecisionInput) -> Decision:
        return self._pipeline.apply_decision(d.model_copy(update={"kind": "approve"}))

    @approve.validator
    def _validate_approve(self, d: DecisionInput) -> None:
        self._validate(d.model_copy(update={"kind": "approve"}))

    @workflow.update
    async def revise(self, d: DecisionInput) -> Decision:
        return self._pipeline.apply_decision(d.model_copy(update={"kind": "revise"}))

    @revise.validator
    def _validate_revise(self, d: DecisionInput) -> None:
        self._validate(d.model_copy(update={"kind": "revise"}))

    @workflow.update
    async def reject(self, d: DecisionInput) -> Decision:
        return self._pipeline.apply_decision(d.model_copy(update={"kind": "reject"}))

    @reject.validator
    def _validate_reject(self, d: DecisionInput) -> None:
        self._validate(d.model_copy(update={"kind": "reject"}))

    def _validate(self, d: DecisionInput) -> None:
        try:
            self._pipeline.validate_decision(d)
        except DecisionRejected as exc:
            raise ApplicationError(exc.message, type=_REJECTION_TYPES[exc.reason], non_retryable=True) from None

    @workflow.update
    def cancel(self, _: CancelRequest) -> None:
        """Cancel the run unless it is approved; the validator refuses, so the API can answer 409."""
        self._pipeline.request_cancel()
        if self._task is not None:
            self._task.cancel()  # else the run has not begun: Pipeline.run() sees cancel_requested

    @cancel.validator
    def _validate_cancel(self, _: CancelRequest) -> None:
        try:
            self._pipeline.validate_cancel()
        except DecisionRejected as exc:
            raise ApplicationError(exc.message, type=_REJECTION_TYPES[exc.reason], non_retryable=True) from None

    @workflow.signal
    def step_retry(self, retry: StepRetry) -> None:
        """Sent by an activity starting an attempt after its first, so retries show while they happen."""
        self._pipeline.note_retry(retry)

    @workflow.signal
    def step_progress(self, p: StepProgress) -> None:
        """Sent by a running activity (throttled): pages fetched, creatives rendered, as they happen."""
        self._pipeline.note_progress(p)

    @workflow.signal
    def approve_signal(self, d: DecisionInput) -> None:
        """Fire-and-forget approval; an invalid one is recorded as an approval_rejected event."""
        d = d.model_copy(update={"kind": "approve", "via": "signal"})
        try:
            self._pipeline.apply_decision(d)
        except DecisionRejected as exc:
            # Histories from before the bound recorded every one: only past the bound is the patch asked.
            full = self._pipeline.recorded_rejections() >= MAX_RECORDED_REJECTIONS
            self._pipeline.record_rejected_decision(
                d, exc.message, bounded=not full or workflow.patched(BOUNDED_REJECTIONS_PATCH)
            )


# Update-failure types the API maps to HTTP codes.
_REJECTION_TYPES = {"wrong_state": "WrongState", "invalid": "InvalidDecision"}
REJECTION_HTTP_STATUS = {"WrongState": 409, "InvalidDecision": 422}
