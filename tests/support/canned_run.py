"""Step outputs taken from a real recorded run (tests/fixtures/runstate_local_completed_v1.json), for
fake steps: the orchestrator's unit tests (a fake Runner) and the in-process workflow tests (fake
activities under the real activity names) get realistic brands, variants and creatives without
fetching, writing or drawing anything.

The recorded run has variants v1 and v2, in the square and landscape formats."""

from __future__ import annotations

from pathlib import Path

from brandtruth.pipeline.models import (
    BrandProfile,
    ComposeBatchInput,
    ComposeInput,
    ComposeOutput,
    ExportInput,
    ExportOutput,
    ExtractInput,
    GenerateInput,
    GenerateOutput,
    MatchInput,
    MatchOutput,
    PipelineInput,
    RunOptions,
    RunState,
    ScoreInput,
    ScoreOutput,
    Usage,
)

RECORDED = RunState.model_validate_json(
    (Path(__file__).resolve().parent.parent / "fixtures" / "runstate_local_completed_v1.json").read_text()
)
STEPS = ("extract", "generate", "match", "compose", "score", "export")


def pipeline_input(run_id: str, **settings: object) -> PipelineInput:
    """The input of a run like the recorded one: two variants, square and landscape."""
    options = RunOptions(url="https://brand.example/", num_variants=2, formats=["square", "landscape"])
    return PipelineInput.model_validate({"workflow_id": run_id, "request": options, **settings})


def extract(inp: ExtractInput) -> BrandProfile:
    assert RECORDED.brand is not None
    return RECORDED.brand.model_copy(update={"url": inp.url})


def generate(inp: GenerateInput) -> GenerateOutput:
    """First round: the recorded variants at revision 1. A revision: the named ones one revision on."""
    if not inp.revise_ids:
        variants = [v.model_copy(update={"revision": 1, "revision_note": ""}) for v in RECORDED.variants[: inp.num_variants]]
    else:
        variants = [
            v.model_copy(
                update={
                    "revision": v.revision + 1,
                    "headline": f"{v.headline} (r{v.revision + 1})",
                    "revision_note": inp.feedback,
                }
            )
            if v.id in inp.revise_ids
            else v
            for v in inp.existing
        ]
    return GenerateOutput(variants=variants, usage=Usage(provider=inp.provider, input_tokens=10, output_tokens=20))


def match(inp: MatchInput) -> MatchOutput:
    ids = {v.id for v in inp.variants}
    return MatchOutput(matches=[m for m in RECORDED.matches if m.variant_id in ids and m.format in inp.formats])


def compose_batch(inp: ComposeBatchInput) -> ComposeOutput:
    return ComposeOutput(creatives=[c for one in inp.per_variant() for c in compose(one).creatives])


def compose(inp: ComposeInput) -> ComposeOutput:
    v = inp.variant
    return ComposeOutput(
        creatives=[
            c.model_copy(update={"revision": v.revision, "key": f"{inp.run_id}/{v.id}-r{v.revision}-{c.format}.png"})
            for c in RECORDED.creatives
            if c.variant_id == v.id and c.format in inp.formats
        ]
    )


def score(inp: ScoreInput) -> ScoreOutput:
    ids = [v.id for v in inp.variants]
    return ScoreOutput(scores=[s for s in RECORDED.scores if s.variant_id in ids])


def export(inp: ExportInput) -> ExportOutput:
    files = sorted(f"creatives/{c.variant_id}-r{c.revision}-{c.format}.png" for c in inp.creatives) + ["manifest.json"]
    return ExportOutput(key=f"{inp.run_id}/export/bundle.zip", size_bytes=1000, files=files)
