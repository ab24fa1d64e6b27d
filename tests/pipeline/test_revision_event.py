"""The revised event says how each revision followed its feedback, or why it could not (orchestrator, in-process)."""

from __future__ import annotations

from datetime import UTC, datetime

from brandtruth.pipeline.generate import generate_copy
from brandtruth.pipeline.llm import OfflineProvider
from brandtruth.pipeline.models import (
    ComposeOutput,
    Decision,
    GenerateInput,
    GenerateOutput,
    MatchOutput,
    PipelineInput,
    RunOptions,
    ScoreOutput,
)
from brandtruth.pipeline.orchestrator import Pipeline
from tests.pipeline import brands_typed as typed


class CopyOnlyRunner:
    """The real generate step; the image and score steps answer empty, instantly."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def generate(self, inp: GenerateInput) -> GenerateOutput:
        return await generate_copy(inp, OfflineProvider())

    async def match(self, inp: object) -> MatchOutput:
        return MatchOutput(matches=[])

    async def compose(self, inp: object) -> ComposeOutput:
        return ComposeOutput(creatives=[])

    async def score(self, inp: object) -> ScoreOutput:
        return ScoreOutput(scores=[])

    async def checkpoint(self, state: object) -> None:
        return None

    def announce(self, event: object) -> None:
        return None


async def revised_event(feedback: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    brand = typed.roofer()
    pipeline = Pipeline(
        PipelineInput(workflow_id="pipeline-t", request=RunOptions(url=brand.url, num_variants=3)), CopyOnlyRunner()
    )  # type: ignore[arg-type]
    pipeline.state.brand = brand
    pipeline.state.variants = (
        await generate_copy(GenerateInput(run_id="pipeline-t", brand=brand, num_variants=3), OfflineProvider())
    ).variants
    await pipeline._revise(Decision(kind="revise", variant_ids=["v2"], comment=feedback, at=datetime.now(UTC)))
    event = next(e for e in reversed(pipeline.state.events) if e.type == "revised")
    return event.data or {}, event.message


async def test_revised_event_says_why_feedback_could_not_be_followed() -> None:
    data, message = await revised_event("Lead with the $25 off offer")
    assert data["notes"]["v2"].startswith("Not revised") and '"$25"' in data["notes"]["v2"]
    assert "v2: Not revised" in message


async def test_revised_event_says_how_feedback_was_followed() -> None:
    data, message = await revised_event("Tell our story")
    assert data["revisions"] == {"v2": 2}
    assert data["notes"]["v2"].startswith("Revised as asked") and "story" in data["notes"]["v2"]
