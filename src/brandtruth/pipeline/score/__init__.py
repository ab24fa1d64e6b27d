"""Predicted-performance score: a documented, deterministic 0..100 model per variant and creative.

Nine components, each valued 0..1 with a one-line reason, times its weight (`ScoreWeights`,
normalised so the weights sum to 100 points):

    copy      headline_fit   headline length against the platform's sweet spot and hard limit
              readability    grade level of the copy (ARI + Coleman-Liau, grade.py)
              specificity    share of claims backed by site facts, plus concrete details
              cta            action verb, button length, matches the site's or platform's CTAs
              truth          the truth checker's verdict (neutral until checked)
              distinctness   1 - similarity to the closest other variant
    creative  contrast       weakest text contrast margin over WCAG AA (3:1 headline, 4.5:1 other text)
              text_area      share of the image covered by text against the platform's guidance
              brand_color    share of the render in the brand's primary/secondary/accent colours

Two penalties dominate them (score/gate.py): `copy_lint`, points lost for copy-lint faults (a button
label, a heading as copy, stock filler, a headline repeating the body...; 30 for the first, 8 for
each further, at most 50), and `unsupported_claims` (40 when the truth check fails). Each reason
names the offending text, and a variant with either is never recommended while a clean one exists.

A creative's score is the copy components plus its own creative components; a variant's creative
components are the mean over its creatives (neutral 0.5, explained, when nothing is rendered yet).
Points are rounded to 0.01 and the score is their sum (never below 0), so a breakdown always adds up.
"""

from __future__ import annotations

import re

from ..errors import InvalidInputError
from ..models import (
    Creative,
    ScoreComponent,
    ScoreInput,
    ScoreOutput,
    ScoreWeights,
    VariantScore,
)
from . import gate, text, visual
from .platforms import PLATFORMS, spec_for
from .visual import NEUTRAL, measure_palette

__all__ = ["PLATFORMS", "measure_palette", "score_variants"]

COPY_COMPONENTS = ("headline_fit", "readability", "specificity", "cta", "truth", "distinctness")
CREATIVE_COMPONENTS = ("contrast", "text_area", "brand_color")

Rated = text.Rated


def _normalised(weights: ScoreWeights) -> dict[str, float]:
    raw = weights.model_dump()
    total = sum(raw.values())
    if total <= 0:
        raise InvalidInputError("score weights must not all be zero; set at least one to a positive number")
    return {name: 100.0 * w / total for name, w in raw.items()}


def _component(name: str, weight: float, rated: Rated) -> ScoreComponent:
    value, reason = rated
    value = round(text.clamp(value), 4)
    return ScoreComponent(name=name, weight=round(weight, 4), value=value, points=round(weight * value, 2), reason=reason)


def _total(components: list[ScoreComponent]) -> float:
    return round(sum(c.points for c in components), 2)


def _latest_creatives(creatives: list[Creative]) -> dict[str, dict[str, Creative]]:
    """variant id -> format -> the newest revision of that creative."""
    out: dict[str, dict[str, Creative]] = {}
    for c in creatives:
        current = out.setdefault(c.variant_id, {}).get(c.format)
        if current is None or c.revision >= current.revision:
            out[c.variant_id][c.format] = c
    return out


def _creative_rated(creative: Creative, inp: ScoreInput) -> dict[str, Rated]:
    spec = spec_for(inp.platform)
    return {
        "contrast": visual.contrast(creative),
        "text_area": visual.text_area(creative, spec),
        "brand_color": visual.brand_color(creative, inp.brand),
    }


def _mean_rated(per_format: dict[str, dict[str, Rated]], name: str) -> Rated:
    if not per_format:
        return NEUTRAL, "no creatives rendered yet (neutral)"
    values = {fmt: rated[name] for fmt, rated in per_format.items()}
    mean = sum(v for v, _ in values.values()) / len(values)
    worst_fmt, (_, worst_reason) = min(values.items(), key=lambda kv: (kv[1][0], kv[0]))
    if len(values) == 1:
        return mean, f"{worst_fmt}: {worst_reason}"
    return mean, f"mean of {len(values)} creatives; weakest {worst_fmt}: {worst_reason}"


def _natural(variant_id: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", variant_id)
    return (int(digits) if digits else 0, variant_id)


def score_variants(inp: ScoreInput) -> ScoreOutput:
    weights = _normalised(inp.weights or ScoreWeights())
    spec = spec_for(inp.platform)
    creatives = _latest_creatives(inp.creatives)
    scores: list[VariantScore] = []
    clean: dict[str, bool] = {}
    for variant in inp.variants:
        others = [o for o in inp.variants if o.id != variant.id]
        copy_rated: dict[str, Rated] = {
            "headline_fit": text.headline_fit(variant, spec, inp.brand.name),
            "readability": text.readability(variant),
            "specificity": text.specificity(variant, inp.brand),
            "cta": text.cta_strength(variant, inp.brand, spec),
            "truth": text.truth(variant),
            "distinctness": text.distinctness(variant, others),
        }
        copy_components = [_component(n, weights[n], copy_rated[n]) for n in COPY_COMPONENTS]
        per_format = {fmt: _creative_rated(c, inp) for fmt, c in sorted(creatives.get(variant.id, {}).items())}
        creative_components = {
            fmt: copy_components + [_component(n, weights[n], rated[n]) for n in CREATIVE_COMPONENTS]
            for fmt, rated in per_format.items()
        }
        components = copy_components + [_component(n, weights[n], _mean_rated(per_format, n)) for n in CREATIVE_COMPONENTS]
        penalties, faults = gate.penalties(variant, inp.brand)
        clean[variant.id] = not faults
        creative_components = {fmt: _penalised(cs, penalties) for fmt, cs in creative_components.items()}
        components = _penalised(components, penalties)
        scores.append(
            VariantScore(
                variant_id=variant.id,
                score=_total(components),
                components=components,
                reasons=[f"{c.name}: {c.reason}" for c in components],
                creative_scores={fmt: _total(cs) for fmt, cs in creative_components.items()},
                creative_components=creative_components,
            )
        )
    _rank(scores, {v.id: v.truth.verdict if v.truth else None for v in inp.variants}, clean)
    return ScoreOutput(scores=scores)


def _penalised(components: list[ScoreComponent], penalties: list[ScoreComponent]) -> list[ScoreComponent]:
    """Append the penalties, each cut to what is left so the score never goes below zero."""
    left = _total(components)
    out = list(components)
    for p in penalties:
        points = -min(-p.points, left)
        left = round(left + points, 2)
        out.append(p.model_copy(update={"points": round(points, 2)}))
    return out


def _rank(scores: list[VariantScore], verdicts: dict[str, str | None], clean: dict[str, bool]) -> None:
    """Rank by score (ties: lower variant number first); recommend the best clean, truthful one.

    Lint faults and failed truth checks already cost most of a score; this makes it a rule: while a
    clean, truthful variant exists none with a fault is recommended. With none clean, the best
    truthful one is recommended and its first reason says it still has faults.
    """
    ordered = sorted(scores, key=lambda s: (-s.score, _natural(s.variant_id)))
    truthful = [s for s in ordered if verdicts.get(s.variant_id) != "unsupported"]
    recommended = next((s for s in truthful if clean.get(s.variant_id, True)), truthful[0] if truthful else None)
    for rank, s in enumerate(ordered, start=1):
        s.rank = rank
        s.recommended = s is recommended
        where = f"rank {rank} of {len(ordered)}"
        if s.recommended and not clean.get(s.variant_id, True):
            s.reasons.insert(0, f"recommended: {where}, but no variant is free of copy-lint faults; fix before running")
        elif s.recommended:
            s.reasons.insert(0, f"recommended: {where}")
        elif verdicts.get(s.variant_id) == "unsupported":
            s.reasons.insert(0, f"{where}; not recommended: failed the truth check")
        elif not clean.get(s.variant_id, True):
            s.reasons.insert(0, f"{where}; not recommended: copy-lint faults (see copy_lint)")
        else:
            s.reasons.insert(0, where)
