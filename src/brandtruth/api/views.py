"""API views of a RunState: the progress summary and the complete result."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from brandtruth.pipeline.compose import artifact_url
from brandtruth.pipeline.models import (
    ClaimView,
    CopyVariant,
    Creative,
    CreativeView,
    EvidenceView,
    Fact,
    RevisionView,
    RunProgress,
    RunResult,
    RunState,
    VariantResult,
    VariantRevision,
    VariantSummary,
)

# A text fragment names a long sentence by its first and last words (textStart,textEnd): shorter to
# send, and it still matches when the page's whitespace or a word in the middle differs slightly.
# A browser matches a textStart or a whole text within one block of the page only, so evidence read
# from several blocks (a card: "Starter" / "$49/month" / "Up to 10 users", joined with spaces) is
# named by its first and last word: the range from one block to another is found, the whole is not.
FRAGMENT_EDGE_WORDS = 4
SENTENCE_END = re.compile(r"[.!?…]['\"’”)]*\s*$")  # one sentence of prose: from one block


def creative_view(c: Creative) -> CreativeView:
    return CreativeView(
        **c.model_dump(),
        url=artifact_url(c.key),
        jpeg_url=artifact_url(c.jpeg_key) if c.jpeg_key else None,
        thumb_url=artifact_url(c.thumb_key) if c.thumb_key else None,
    )


def _fragment_part(text: str) -> str:
    # '-', ',' and '&' mean something inside a text directive: percent-encode them too.
    return quote(text, safe="").replace("-", "%2D")


def text_fragment_link(source_url: str, sentence: str) -> str:
    """`source_url` opened at `sentence`, highlighted: a text fragment (`#:~:text=`) link. Any fragment
    the URL had is replaced; a URL that is not http(s) is returned as it is."""
    parts = urlsplit(source_url)
    words = sentence.split()
    if parts.scheme not in ("http", "https") or not words:
        return source_url
    edge = FRAGMENT_EDGE_WORDS if SENTENCE_END.search(sentence) else 1  # prose, or blocks joined (see above)
    if len(words) <= 2 * edge and (edge > 1 or len(words) == 1):
        directive = _fragment_part(" ".join(words))
    else:
        start, end = " ".join(words[:edge]), " ".join(words[-edge:])
        directive = f"{_fragment_part(start)},{_fragment_part(end)}"
    return urlunsplit(parts._replace(fragment=f":~:text={directive}"))


def evidence_view(f: Fact) -> EvidenceView:
    return EvidenceView(**f.model_dump(), link=text_fragment_link(f.source_url, f.evidence))


def claim_views(v: CopyVariant, facts: dict[str, Fact]) -> list[ClaimView]:
    """Each claim of the copy with each fact that backs it, where that fact was read (its own page)."""
    out = []
    for claim in v.claims:
        for fid in claim.fact_ids:
            f = facts.get(fid)
            if f is not None:
                link = text_fragment_link(f.source_url, f.evidence)
                out.append(ClaimView(text=claim.text, fact_id=fid, evidence=f.evidence, source_url=f.source_url, link=link))
    return out


def revision_view(r: VariantRevision) -> RevisionView:
    urls = {fmt: artifact_url(key) for fmt, key in r.before.creative_keys.items()}
    return RevisionView(**r.model_dump(), before_creative_urls=urls)


def temporal_ui_link(ui_url: str, namespace: str, workflow_id: str) -> str | None:
    """The run's page in the Temporal web UI, or None without a UI address."""
    return (
        f"{ui_url.rstrip('/')}/namespaces/{quote(namespace, safe='')}/workflows/{quote(workflow_id, safe='')}" if ui_url else None
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


def result_view(state: RunState, temporal_ui: tuple[str, str] = ("", "")) -> RunResult:
    """`temporal_ui`: (the Temporal UI's address, the namespace), for a link to a Temporal run."""
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
                evidence=[evidence_view(facts[f]) for f in fact_ids if f in facts],
                claims=claim_views(v, facts),
                revisions=[revision_view(r) for r in state.revisions if r.variant_id == v.id],
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
        temporal_ui_url=temporal_ui_link(*temporal_ui, state.workflow_id) if state.engine == "temporal" else None,
        created_at=state.created_at,
        updated_at=state.updated_at,
    )
