"""AdPipelineWorkflow's orchestration in-process: the real workflow on the real dev server, with fake
activities registered under the real activity names (activity_names.py), the pattern of temporalio's
samples. No site is fetched and nothing is drawn: each fake returns the recorded run's outputs
(tests/support/canned_run.py) through the real activity wrapper (run_step: heartbeats, error
translation, retry reports), and records what the workflow asked of it.

The end-to-end runs through the API and the real steps are in tests/api and the other tests here."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from brandtruth.devserver import DevServer
from brandtruth.engines.temporal.activities.base import run_step
from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES
from brandtruth.engines.temporal.workflows.ad_pipeline import AdPipelineWorkflow, CancelRequest, SnapshotQuery
from brandtruth.pipeline.errors import HttpStatusError, InvalidInputError
from brandtruth.pipeline.models import (
    BrandProfile,
    ComposeBatchInput,
    ComposeOutput,
    DecisionInput,
    ExportInput,
    ExportOutput,
    ExtractInput,
    GenerateInput,
    GenerateOutput,
    MatchInput,
    MatchOutput,
    RunState,
    RunStatus,
    ScoreInput,
    ScoreOutput,
)
from tests.support import canned_run

WAIT_LIMIT = 30.0  # seconds for the workflow to reach a point; it takes well under one


class FakeActivities:
    """The six activities under their real names; `fail[step]` makes a step raise (per attempt)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.fail: dict[str, Callable[[Any, int], Exception | None]] = {}

    async def _run(self, step: str, inp: Any, work: Callable[[Any], Any]) -> Any:
        async def attempt() -> Any:
            self.calls.append((step, inp))
            failure = self.fail.get(step, lambda *_: None)(inp, activity.info().attempt)
            if failure is not None:
                raise failure
            return work(inp)

        return await run_step(attempt())

    @activity.defn(name=ACTIVITY_NAMES["extract"])
    async def extract(self, inp: ExtractInput) -> BrandProfile:
        return await self._run("extract", inp, canned_run.extract)  # type: ignore[no-any-return]

    @activity.defn(name=ACTIVITY_NAMES["generate"])
    async def generate(self, inp: GenerateInput) -> GenerateOutput:
        return await self._run("generate", inp, canned_run.generate)  # type: ignore[no-any-return]

    @activity.defn(name=ACTIVITY_NAMES["match"])
    async def match(self, inp: MatchInput) -> MatchOutput:
        return await self._run("match", inp, canned_run.match)  # type: ignore[no-any-return]

    @activity.defn(name=ACTIVITY_NAMES["compose"])
    async def compose(self, inp: ComposeBatchInput) -> ComposeOutput:
        return await self._run("compose", inp, canned_run.compose_batch)  # type: ignore[no-any-return]

    @activity.defn(name=ACTIVITY_NAMES["score"])
    async def score(self, inp: ScoreInput) -> ScoreOutput:
        return await self._run("score", inp, canned_run.score)  # type: ignore[no-any-return]

    @activity.defn(name=ACTIVITY_NAMES["export"])
    async def export(self, inp: ExportInput) -> ExportOutput:
        return await self._run("export", inp, canned_run.export)  # type: ignore[no-any-return]

    def all(self) -> list[Callable[..., Any]]:
        return [self.extract, self.generate, self.match, self.compose, self.score, self.export]

    def called(self, step: str) -> list[Any]:
        return [inp for name, inp in self.calls if name == step]


class Harness:
    def __init__(self, client: Client, queue: str, fakes: FakeActivities):
        self.client, self.queue, self.fakes = client, queue, fakes

    async def start(self, **settings: Any) -> WorkflowHandle[Any, RunState]:
        run_id = f"pipeline-inproc-{uuid.uuid4().hex[:10]}"
        return await self.client.start_workflow(
            AdPipelineWorkflow.run, canned_run.pipeline_input(run_id, **settings), id=run_id, task_queue=self.queue
        )


@pytest.fixture
async def harness(temporal_server: DevServer) -> AsyncIterator[Harness]:
    client = await Client.connect(temporal_server.address, data_converter=pydantic_data_converter)
    fakes = FakeActivities()
    queue = f"inproc-{uuid.uuid4().hex[:8]}"
    # The sandbox, as in tests/temporal/test_replay.py: a non-deterministic call in the workflow fails here too.
    async with Worker(
        client,
        task_queue=queue,
        workflows=[AdPipelineWorkflow],
        activities=fakes.all(),
        workflow_runner=SandboxedWorkflowRunner(),
    ):
        yield Harness(client, queue, fakes)


async def snapshot(handle: WorkflowHandle[Any, RunState]) -> RunState:
    return await handle.query(AdPipelineWorkflow.snapshot, SnapshotQuery(events_after=0))


async def until(handle: WorkflowHandle[Any, RunState], holds: Callable[[RunState], bool]) -> RunState:
    """The run's state once `holds` is true of it: queried until then, bounded."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_LIMIT
    while not holds(state := await snapshot(handle)):
        assert loop.time() < deadline, f"the run never got there; it is {state.status} with {[e.type for e in state.events]}"
        await asyncio.sleep(0.05)
    return state


def awaiting(round_: int = 0) -> Callable[[RunState], bool]:
    return lambda st: st.status is RunStatus.AWAITING_APPROVAL and st.revision_round == round_


def milestones(state: RunState) -> list[str]:
    """The run's event types, without sub-step progress ('n of total' events)."""
    return [e.type for e in state.events if not (e.data and {"n", "total"} <= set(e.data))]


async def test_first_pass_then_approval_by_update_completes(harness: Harness) -> None:
    handle = await harness.start()
    ready = await until(handle, awaiting())
    assert [s.status for s in ready.steps] == ["completed"] * 5
    assert [name for name, _ in harness.fakes.calls] == ["extract", "generate", "match", "compose", "score"]  # one batch
    decision = await handle.execute_update(AdPipelineWorkflow.approve, DecisionInput(variant_ids=["v1"], approver="ana"))
    assert decision.variant_ids == ["v1"] and decision.via == "update"
    final = await asyncio.wait_for(handle.result(), WAIT_LIMIT)
    assert final.status is RunStatus.COMPLETED and final.decision == decision
    assert milestones(final)[-4:] == ["awaiting_approval", "approved", "exported", "completed"]
    (exported,) = harness.fakes.called("export")
    assert [v.id for v in exported.variants] == ["v1"] and {c.variant_id for c in exported.creatives} == {"v1"}
    assert final.export is not None and final.export.files == [
        "creatives/v1-r1-landscape.png",
        "creatives/v1-r1-square.png",
        "manifest.json",
    ]


async def test_a_revision_reruns_the_steps_for_the_named_variant_only(harness: Harness) -> None:
    handle = await harness.start()
    await until(handle, awaiting())
    await handle.execute_update(AdPipelineWorkflow.revise, DecisionInput(variant_ids=["v2"], comment="shorter"))
    revised = await until(handle, awaiting(1))
    gen = harness.fakes.called("generate")
    assert len(gen) == 2 and (gen[1].revise_ids, gen[1].feedback) == (["v2"], "shorter")
    assert [[v.id for v in m.variants] for m in harness.fakes.called("match")] == [["v1", "v2"], ["v2"]]
    assert [[v.id for v in c.variants] for c in harness.fakes.called("compose")] == [["v1", "v2"], ["v2"]]
    assert [v.revision for v in revised.variants] == [1, 2]
    assert {(c.variant_id, c.revision) for c in revised.creatives} == {("v1", 1), ("v2", 2)}
    await handle.execute_update(AdPipelineWorkflow.reject, DecisionInput(comment="not this season"))
    final = await asyncio.wait_for(handle.result(), WAIT_LIMIT)
    assert final.status is RunStatus.REJECTED and not harness.fakes.called("export")


async def test_invalid_decisions_never_reach_the_run_and_a_signalled_one_is_recorded(harness: Harness) -> None:
    handle = await harness.start()
    await until(handle, awaiting())
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(AdPipelineWorkflow.approve, DecisionInput(variant_ids=["v9"]))
    assert isinstance(refused.value.cause, ApplicationError) and refused.value.cause.type == "InvalidDecision"
    await handle.signal(AdPipelineWorkflow.approve_signal, DecisionInput(variant_ids=["v9"]))
    rejected = await until(handle, lambda st: st.events[-1].type == "approval_rejected")
    assert rejected.events[-1].data is not None and rejected.events[-1].data["via"] == "signal"
    assert rejected.status is RunStatus.AWAITING_APPROVAL and not rejected.decisions  # the update left no trace
    await handle.signal(AdPipelineWorkflow.approve_signal, DecisionInput(variant_ids=["v2"]))
    final = await asyncio.wait_for(handle.result(), WAIT_LIMIT)
    assert final.status is RunStatus.COMPLETED and final.decision is not None and final.decision.via == "signal"


async def test_a_non_retryable_failure_fails_the_run_at_once(harness: Harness) -> None:
    harness.fakes.fail["match"] = lambda inp, attempt: InvalidInputError("no image can be used")
    handle = await harness.start()
    final = await asyncio.wait_for(handle.result(), WAIT_LIMIT)  # the run ends as failed: no workflow error
    assert final.status is RunStatus.FAILED
    assert (final.error, final.error_type, final.error_retryable) == ("no image can be used", "InvalidInputError", False)
    assert len(harness.fakes.called("match")) == 1 and not harness.fakes.called("compose")
    assert [s.status for s in final.steps] == ["completed", "completed", "failed", "pending", "pending"]
    assert final.events[-1].data == {"step": "match", "error_type": "InvalidInputError", "retryable": False}


async def test_a_retryable_failure_is_retried_and_the_retry_shows(harness: Harness) -> None:
    def once(inp: ComposeBatchInput, attempt: int) -> Exception | None:
        return HttpStatusError("image host answered 503", 503) if attempt == 1 else None

    harness.fakes.fail["compose"] = once
    handle = await harness.start()
    ready = await until(handle, awaiting())
    compose = ready.steps[3]
    assert compose.status == "completed" and compose.attempts == 2
    retries = [e.data for e in ready.events if e.type == "step_retrying"]
    assert retries == [{"step": "compose", "attempt": 2}]
    # The batch (both variants, one activity) is tried again whole.
    assert [[v.id for v in c.variants] for c in harness.fakes.called("compose")] == [["v1", "v2"], ["v1", "v2"]]
    await handle.execute_update(AdPipelineWorkflow.cancel, CancelRequest())
    assert (await asyncio.wait_for(handle.result(), WAIT_LIMIT)).status is RunStatus.CANCELLED


async def test_no_decision_before_the_timeout_expires_the_run(harness: Harness) -> None:
    handle = await harness.start(approval_timeout_seconds=1.0, reminder_interval_seconds=3600)
    final = await asyncio.wait_for(handle.result(), WAIT_LIMIT)
    assert final.status is RunStatus.EXPIRED and milestones(final)[-2:] == ["awaiting_approval", "expired"]
    assert not harness.fakes.called("export")
    waited = final.events[-1].timestamp - next(e.timestamp for e in final.events if e.type == "awaiting_approval")
    assert waited >= timedelta(seconds=1)
