"""Pipeline (the orchestrator both engines share) driven by a fake Runner: no engine, no I/O, a clock
the test moves. Step outputs come from a recorded run (tests/support/canned_run.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

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
    ProgressEvent,
    RunState,
    RunStatus,
    ScoreInput,
    ScoreOutput,
)
from brandtruth.pipeline.orchestrator import ContinueAsNew, DecisionRejected, Pipeline, StepFailed, _batches
from tests.support import canned_run

WAIT_LIMIT = 10.0  # seconds a test waits for the pipeline to reach a point; it gets there in milliseconds


class FakeRunner:
    """A Runner whose steps return the recorded run's outputs (or fail as told), whose clock only
    moves when the test moves it, and whose approval wait ends on a decision or when the clock passes
    its deadline (`advance`). Everything it is given is recorded."""

    def __init__(self) -> None:
        self.clock = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self.calls: list[tuple[str, Any]] = []
        self.failures: dict[str, StepFailed] = {}
        self.checkpoints: list[RunStatus] = []
        self.announced: list[ProgressEvent] = []
        self.waits: list[float] = []
        self.continue_as_new = False
        self._changed = asyncio.Event()
        self.waiting = asyncio.Event()

    def now(self) -> datetime:
        return self.clock

    def advance(self, seconds: float) -> None:
        self.clock += timedelta(seconds=seconds)
        self._changed.set()

    def poke(self) -> None:
        """Something the wait's condition looks at has changed (a decision was applied)."""
        self._changed.set()

    async def _step(self, name: str, inp: Any, work: Callable[[Any], Any]) -> Any:
        self.calls.append((name, inp))
        await asyncio.sleep(0)  # a real step yields to the loop
        if name in self.failures:
            raise self.failures[name]
        return work(inp)

    async def extract(self, inp: ExtractInput) -> BrandProfile:
        return await self._step("extract", inp, canned_run.extract)  # type: ignore[no-any-return]

    async def generate(self, inp: GenerateInput) -> GenerateOutput:
        return await self._step("generate", inp, canned_run.generate)  # type: ignore[no-any-return]

    async def match(self, inp: MatchInput) -> MatchOutput:
        return await self._step("match", inp, canned_run.match)  # type: ignore[no-any-return]

    async def compose(self, inp: ComposeBatchInput) -> ComposeOutput:
        return await self._step("compose", inp, canned_run.compose_batch)  # type: ignore[no-any-return]

    async def score(self, inp: ScoreInput) -> ScoreOutput:
        return await self._step("score", inp, canned_run.score)  # type: ignore[no-any-return]

    async def export(self, inp: ExportInput) -> ExportOutput | None:
        return await self._step("export", inp, canned_run.export)  # type: ignore[no-any-return]

    async def wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        self.waits.append(timeout)
        deadline = self.clock + timedelta(seconds=timeout)
        while not condition():
            if self.clock >= deadline:
                return False
            self._changed.clear()
            self.waiting.set()
            await self._changed.wait()
            self.waiting.clear()
        return True

    async def checkpoint(self, state: RunState) -> None:
        self.checkpoints.append(state.status)

    def cancel_is_final(self) -> bool:
        return True

    def announce(self, event: ProgressEvent) -> None:
        self.announced.append(event)

    def should_continue_as_new(self) -> bool:
        return self.continue_as_new

    def called(self, name: str) -> list[Any]:
        return [inp for step, inp in self.calls if step == name]


async def started(**settings: Any) -> tuple[Pipeline, FakeRunner, asyncio.Task[RunState]]:
    runner = FakeRunner()
    pipeline = Pipeline(canned_run.pipeline_input("pipeline-unit", **settings), runner, engine="local")
    task = asyncio.create_task(pipeline.run())
    await reaches(runner, task)
    return pipeline, runner, task


async def reaches(runner: FakeRunner, task: asyncio.Task[RunState]) -> None:
    """Until the run waits for a decision (or ends)."""
    waiting = asyncio.ensure_future(runner.waiting.wait())
    await asyncio.wait({waiting, task}, timeout=WAIT_LIMIT, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    assert runner.waiting.is_set() or task.done(), "the pipeline neither waits nor ends"


# The run's milestones; progress reported within a step (per creative, say) is left out here.
MILESTONES = {
    "run_started",
    "step_started",
    "step_retrying",
    "step_completed",
    "awaiting_approval",
    "reminder",
    "approval_rejected",
    "revision_requested",
    "revised",
    "approved",
    "exported",
    "completed",
    "failed",
    "expired",
    "cancelled",
    "rejected",
}


def types(state: RunState) -> list[str]:
    return [e.type for e in state.events if e.type in MILESTONES]


FIRST_PASS = ["run_started"] + [
    t for step in ("extract", "generate", "match", "compose", "score") for t in ("step_started", "step_completed")
]


async def test_first_pass_then_an_approval_runs_every_step_once_and_completes() -> None:
    pipeline, runner, task = await started(provider="anthropic", max_pages=3)
    st = pipeline.state
    assert types(st) == FIRST_PASS + ["awaiting_approval"]
    assert st.status is RunStatus.AWAITING_APPROVAL and st.percent == 95 and st.current_step == "approval"
    assert [s.status for s in st.steps] == ["completed"] * 5 and all(s.attempts == 1 for s in st.steps)
    assert runner.checkpoints[-1] is RunStatus.AWAITING_APPROVAL  # persisted before anyone can decide
    # Each step got what the run asked for.
    (ext,) = runner.called("extract")
    assert (ext.run_id, ext.url, ext.max_pages) == ("pipeline-unit", "https://brand.example/", 3)
    (gen,) = runner.called("generate")
    assert (gen.num_variants, gen.platform, gen.provider, gen.revise_ids) == (2, "meta", "anthropic", [])
    (mat,) = runner.called("match")
    assert mat.formats == ["square", "landscape"] and [v.id for v in mat.variants] == ["v1", "v2"]
    (batch,) = runner.called("compose")  # two variants: one call renders both
    assert [v.id for v in batch.variants] == ["v1", "v2"] and {m.variant_id for m in batch.matches} == {"v1", "v2"}
    composed = batch.per_variant()
    assert all({m.variant_id for m in c.matches} == {c.variant.id} for c in composed)  # its own images only
    # Rendering reads the brand's name, colours and logo; its facts and images stay out of each
    # compose activity's input (Temporal history), while scoring gets the whole profile.
    assert st.brand is not None and st.brand.facts and st.brand.images
    assert batch.brand == st.brand.for_rendering() and not (batch.brand.facts or batch.brand.images)
    assert all((c.brand.name, c.brand.colors, c.brand.logo) == (st.brand.name, st.brand.colors, st.brand.logo) for c in composed)
    (sco,) = runner.called("score")
    assert len(sco.creatives) == 4 and sco.provider == "anthropic" and sco.brand == st.brand
    assert st.usage.input_tokens == 10 and st.usage.provider == "anthropic"

    decision = pipeline.apply_decision(DecisionInput(variant_ids=["v2"], approver="ana", via="api"))
    runner.poke()
    assert (await asyncio.wait_for(task, WAIT_LIMIT)) is st
    assert types(st)[-3:] == ["approved", "exported", "completed"]
    assert st.status is RunStatus.COMPLETED and st.percent == 100 and st.decision == decision
    (exp,) = runner.called("export")
    assert [v.id for v in exp.variants] == ["v2"] and {c.variant_id for c in exp.creatives} == {"v2"}
    assert [s.variant_id for s in exp.scores] == ["v2"] and exp.decisions == [decision]
    assert st.export is not None and st.export.key == "pipeline-unit/export/bundle.zip"
    # Every event was announced once, in order, with ids from 1, and stamped with the runner's clock.
    assert runner.announced == st.events and [e.id for e in st.events] == list(range(1, len(st.events) + 1))
    assert {e.timestamp for e in st.events} == {runner.clock}


async def test_a_revision_regenerates_only_the_named_variants() -> None:
    pipeline, runner, task = await started()
    st = pipeline.state
    v1_creatives = [c for c in st.creatives if c.variant_id == "v1"]
    pipeline.apply_decision(DecisionInput(kind="revise", variant_ids=["v2"], comment="more urgent"))
    runner.poke()
    await reaches(runner, task)
    assert types(st)[len(FIRST_PASS) + 1 :] == [
        "revision_requested",
        *("step_started", "step_completed") * 4,  # generate, match, compose, score
        "revised",
        "awaiting_approval",
    ]
    gen = runner.called("generate")[-1]
    assert (gen.revise_ids, gen.feedback, [v.id for v in gen.existing]) == (["v2"], "more urgent", ["v1", "v2"])
    assert [v.id for v in runner.called("match")[-1].variants] == ["v2"]
    assert [v.id for v in runner.called("compose")[-1].variants] == ["v2"]
    assert [v.id for v in runner.called("score")[-1].variants] == ["v1", "v2"]
    assert st.revision_round == 1 and [v.revision for v in st.variants] == [1, 2]
    assert [c for c in st.creatives if c.variant_id == "v1"] == v1_creatives  # kept as they were
    assert {c.revision for c in st.creatives if c.variant_id == "v2"} == {2}
    assert st.events[-1].data == {"variants": pipeline._variant_summaries(), "round": 1}
    assert st.steps[1].attempts == 2  # generate ran twice
    pipeline.apply_decision(DecisionInput(kind="reject", comment="not for us"))
    runner.poke()
    await asyncio.wait_for(task, WAIT_LIMIT)
    assert st.status is RunStatus.REJECTED and types(st)[-1] == "rejected" and not runner.called("export")


async def test_a_failed_step_fails_the_run_and_runs_nothing_after_it() -> None:
    runner = FakeRunner()
    runner.failures["match"] = StepFailed("?", "no image fits", "ExtractionError", retryable=False)
    pipeline = Pipeline(canned_run.pipeline_input("pipeline-unit"), runner, engine="local")
    st = await asyncio.wait_for(pipeline.run(), WAIT_LIMIT)
    assert st.status is RunStatus.FAILED and types(st)[-1] == "failed"
    assert (st.error, st.error_type, st.error_retryable) == ("no image fits", "ExtractionError", False)
    assert st.events[-1].data == {"step": "match", "error_type": "ExtractionError", "retryable": False}
    assert st.events[-1].message == "match failed: no image fits"
    assert [s.status for s in st.steps] == ["completed", "completed", "failed", "pending", "pending"]
    assert [name for name, _ in runner.calls] == ["extract", "generate", "match"]
    assert runner.checkpoints[-1] is RunStatus.FAILED


async def test_without_a_decision_the_run_reminds_then_expires() -> None:
    pipeline, runner, task = await started(approval_timeout_seconds=3 * 3600, reminder_interval_seconds=3600)
    for _ in range(3):
        runner.advance(3600)
        await reaches(runner, task)
    st = await asyncio.wait_for(task, WAIT_LIMIT)
    assert runner.waits == [3600.0] * 3
    reminders = [e for e in st.events if e.type == "reminder"]
    assert [e.data for e in reminders] == [{"expires_in_seconds": 7200}, {"expires_in_seconds": 3600}]
    assert [e.timestamp - reminders[0].timestamp for e in reminders] == [timedelta(0), timedelta(hours=1)]
    assert st.status is RunStatus.EXPIRED and types(st)[-1] == "expired" and not runner.called("export")


async def test_a_resumed_run_only_runs_the_steps_its_state_lacks() -> None:
    pipeline, runner, task = await started()
    # The state as it was stored after compose, before score: what the local engine resumes from.
    st = pipeline.state.model_copy(deep=True)
    first_score = next(i for i, e in enumerate(st.events) if e.data and e.data.get("step") == "score")
    st.events, st.scores, st.status = st.events[:first_score], [], RunStatus.RUNNING
    st.steps[4].status, st.steps[4].attempts = "pending", 0
    resumed_runner = FakeRunner()
    resumed = Pipeline(pipeline.inp, resumed_runner, state=st, engine="local")
    resumed_task = asyncio.create_task(resumed.run())
    await reaches(resumed_runner, resumed_task)
    assert [name for name, _ in resumed_runner.calls] == ["score"]
    assert resumed.state.status is RunStatus.AWAITING_APPROVAL
    assert [e.id for e in resumed.state.events] == list(range(1, len(resumed.state.events) + 1))
    assert types(resumed.state) == types(pipeline.state)  # the same story, told once
    for t in (task, resumed_task):
        t.cancel()
    await asyncio.gather(task, resumed_task, return_exceptions=True)


async def test_cancel_while_waiting_ends_the_run_cancelled_and_an_approval_cannot_be_cancelled() -> None:
    pipeline, runner, task = await started()
    pipeline.request_cancel()
    task.cancel()  # what both engines do after accepting a cancel
    st = await asyncio.wait_for(task, WAIT_LIMIT)
    assert st.status is RunStatus.CANCELLED and types(st)[-1] == "cancelled"
    with pytest.raises(DecisionRejected) as refused:
        pipeline.validate_cancel()
    assert refused.value.reason == "wrong_state"

    pipeline, runner, task = await started()
    pipeline.apply_decision(DecisionInput(variant_ids=["v1"]))
    with pytest.raises(DecisionRejected, match="approved run cannot be cancelled"):
        pipeline.request_cancel()
    runner.poke()
    assert (await asyncio.wait_for(task, WAIT_LIMIT)).status is RunStatus.COMPLETED


async def test_invalid_decisions_are_refused_and_a_signalled_one_is_recorded() -> None:
    pipeline, runner, task = await started()
    with pytest.raises(DecisionRejected) as unknown:
        pipeline.apply_decision(DecisionInput(variant_ids=["v9"]))
    assert unknown.value.reason == "invalid" and "v9" in unknown.value.message
    with pytest.raises(DecisionRejected, match="feedback is empty"):
        pipeline.apply_decision(DecisionInput(kind="revise", variant_ids=["v1"], comment=" "))
    pipeline.record_rejected_decision(DecisionInput(variant_ids=["v9"], via="signal"), unknown.value.message)
    last = pipeline.state.events[-1]
    assert last.type == "approval_rejected" and last.data == {"variant_ids": ["v9"], "via": "signal", "kind": "approve"}
    assert pipeline.state.status is RunStatus.AWAITING_APPROVAL and not pipeline.state.decisions
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_long_wait_asks_to_continue_as_new_with_the_state_unchanged() -> None:
    pipeline, runner, task = await started()
    before = pipeline.state.model_copy(deep=True)
    runner.continue_as_new = True
    runner.poke()
    with pytest.raises(ContinueAsNew):
        await asyncio.wait_for(task, WAIT_LIMIT)
    assert pipeline.state == before


def test_variants_are_composed_in_as_few_near_equal_batches_as_the_size_allows() -> None:
    first = canned_run.RECORDED.variants[0]
    variants = [first.model_copy(update={"id": f"v{i}"}) for i in range(1, 11)]
    sizes = {n: [len(b) for b in _batches(variants[:n], 4)] for n in (1, 3, 4, 5, 6, 10)}
    assert sizes == {1: [1], 3: [3], 4: [4], 5: [2, 3], 6: [3, 3], 10: [3, 3, 4]}
    assert [[v.id for v in b] for b in _batches(variants[:3], 1)] == [["v1"], ["v2"], ["v3"]]
    # every variant once, in order
    assert [v.id for b in _batches(variants, 4) for v in b] == [f"v{i}" for i in range(1, 11)]


async def test_a_runner_that_takes_one_variant_per_compose_gets_one_call_each() -> None:
    """Temporal replaying a history from before batches: one compose activity per variant, as it ran."""
    runner = FakeRunner()
    runner.variants_per_compose = lambda: 1  # type: ignore[attr-defined]
    pipeline = Pipeline(canned_run.pipeline_input("pipeline-unit"), runner, engine="local")
    task = asyncio.create_task(pipeline.run())
    await reaches(runner, task)
    assert [[v.id for v in b.variants] for b in runner.called("compose")] == [["v1"], ["v2"]]
    rendered = [e.data for e in pipeline.state.events if e.type == "creative_rendered"]
    assert [(d["n"], d["total"], d["part"]) for d in rendered] == [(2, 4, "v1"), (4, 4, "v2")]  # one per result
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_batch_result_completes_its_variants_count_in_one_event() -> None:
    pipeline, runner, task = await started()
    rendered = [e.data for e in pipeline.state.events if e.type == "creative_rendered"]
    assert rendered == [{"step": "compose", "n": 4, "total": 4, "part": "v2"}]
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
