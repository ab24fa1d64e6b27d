"""API views of a RunState: the progress summary and the complete result."""

from __future__ import annotations

from brandtruth.pipeline.models import (
    Creative,
    CreativeView,
    RunProgress,
    RunResult,
    RunState,
    VariantResult,
    VariantSummary,
)


def artifact_url(key: str) -> str:
    """Where the API serves an artifact key ("<run_id>/<name>")."""
    return f"/workflow/artifacts/{key}"


def creative_view(c: Creative) -> CreativeView:
    return CreativeView(
        **c.model_dump(),
        url=artifact_url(c.key),
        jpeg_url=artifact_url(c.jpeg_key) if c.jpeg_key else None,
        thumb_url=artifact_url(c.thumb_key) if c.thumb_key else None,
    )


def progress_view(state: RunState) -> RunProgress:
    scores = {s.variant_id: s.score for s in state.scores}
    return RunProgress(
        workflow_id=state.workflow_id,
        engine=state.engine,
        status=state.status,
        percent=state.percent,
        current_step=state.current_step,
        steps=state.steps,
        variants=[
            VariantSummary(id=v.id, headline=v.headline, cta=v.cta, score=scores.get(v.id), revision=v.revision)
            for v in state.variants
        ],
        error=state.error,
        last_event_id=state.events[-1].id if state.events else 0,
        updated_at=state.updated_at,
    )


def result_view(state: RunState) -> RunResult:
    approved = state.decision.variant_ids if state.decision and state.decision.kind == "approve" else []
    facts = {f.id: f for f in (state.brand.facts if state.brand else [])}
    scores = {s.variant_id: s for s in state.scores}
    variants = []
    for v in state.variants:
        fact_ids = list(dict.fromkeys(v.fact_ids + [fid for c in v.claims for fid in c.fact_ids]))
        variants.append(
            VariantResult(
                variant=v,
                creatives=[creative_view(c) for c in state.creatives if c.variant_id == v.id],
                matches=[m for m in state.matches if m.variant_id == v.id],
                score=scores.get(v.id),
                evidence=[facts[f] for f in fact_ids if f in facts],
                approved=v.id in approved,
            )
        )
    return RunResult(
        workflow_id=state.workflow_id,
        engine=state.engine,
        status=state.status,
        request=state.request,
        brand=state.brand,
        variants=variants,
        approved_variant_ids=approved,
        decision=state.decision,
        decisions=state.decisions,
        usage=state.usage,
        error=state.error,
        error_type=state.error_type,
        error_retryable=state.error_retryable,
        revision_round=state.revision_round,
        export=state.export,
        export_url=artifact_url(state.export.key) if state.export else None,
        contact_sheet_url=f"/workflow/contact-sheet/{state.workflow_id}" if state.creatives else None,
        created_at=state.created_at,
        updated_at=state.updated_at,
    )
