"""Sub-step progress in the orchestrator (issue 19): reports may come late, twice or out of order
(Temporal's are throttled signals), yet the events count n of N only upwards, inside the step."""

from __future__ import annotations

from datetime import UTC, datetime

from brandtruth.pipeline.models import PipelineInput, RunOptions, StepProgress
from brandtruth.pipeline.orchestrator import STEP_PERCENT, STEP_START_PERCENT, Pipeline


class Runner:
    def now(self) -> datetime:
        return datetime(2026, 1, 1, tzinfo=UTC)

    def announce(self, event: object) -> None:
        return None


def new_pipeline() -> Pipeline:
    return Pipeline(PipelineInput(workflow_id="pipeline-p", request=RunOptions(url="https://example.com/")), Runner())  # type: ignore[arg-type]


def _progress_events(pipeline) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    return [
        (e.type, e.data["n"], e.data["total"]) for e in pipeline.state.events if e.type in ("page_fetched", "creative_rendered")
    ]


def test_reports_count_up_only_while_the_step_runs() -> None:
    pipeline = new_pipeline()
    extract = next(s for s in pipeline.state.steps if s.name == "extract")
    pipeline.note_progress(StepProgress(step="extract", done=1, total=4))
    assert _progress_events(pipeline) == []  # the step is not running: nothing to say

    extract.status = "running"
    pipeline.state.percent = STEP_START_PERCENT["extract"]
    for done in (1, 3, 2, 3, 4, 4):  # a late report and duplicates
        pipeline.note_progress(StepProgress(step="extract", done=done, total=4))
    assert _progress_events(pipeline) == [("page_fetched", 1, 4), ("page_fetched", 3, 4), ("page_fetched", 4, 4)]
    percents = [e.percent for e in pipeline.state.events if e.type == "page_fetched"]
    assert percents == sorted(percents) and STEP_START_PERCENT["extract"] <= percents[-1] < STEP_PERCENT["extract"]

    extract.status = "completed"
    pipeline.note_progress(StepProgress(step="extract", done=4, total=4))
    pipeline.note_progress(StepProgress(step="generate", done=1, total=2))  # a step without progress events
    assert len(_progress_events(pipeline)) == 3


def test_parts_of_a_step_add_up_to_one_count() -> None:
    pipeline = new_pipeline()
    next(s for s in pipeline.state.steps if s.name == "compose").status = "running"
    for part, done in (("v1", 1), ("v2", 1), ("v1", 3), ("v2", 2), ("v2", 1), ("v2", 3)):
        pipeline.note_progress(StepProgress(step="compose", part=part, done=done, total=3))
    assert [n for _, n, _ in _progress_events(pipeline)] == [1, 2, 4, 5, 6]
    assert _progress_events(pipeline)[-1] == ("creative_rendered", 6, 6)
    last = pipeline.state.events[-1]
    assert last.data == {"step": "compose", "n": 6, "total": 6, "part": "v2"}
    assert last.message == "Rendered 6 of 6 creatives"
