"""The labelled judgement set (tests/fixtures/judgements.json) and how well the score ranks it.

Each entry is one ad variant for a fixture site, written by us in the style of good ads and of the
real bad outputs quoted in issue 15, labelled "would run" / "would not run" with the reason a
marketer would give. Scoring a site's entries together and comparing every (would run, would not
run) pair gives the pairwise ranking accuracy; the recommended entry should be a "would run" one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from brandtruth.pipeline.models import BrandProfile, Claim, CopyVariant, ScoreInput, VariantScore
from brandtruth.pipeline.score import score_variants
from brandtruth.pipeline.truth import check_variant

JUDGEMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "judgements.json"
WOULD_RUN = "would run"
WOULD_NOT_RUN = "would not run"
HOLDOUT = "holdout"


@dataclass(frozen=True)
class Judged:
    entry: dict[str, str]
    variant: CopyVariant
    score: VariantScore

    @property
    def runs(self) -> bool:
        return self.entry["label"] == WOULD_RUN


def load_judgements(path: Path = JUDGEMENTS) -> dict[str, list[dict[str, str]]]:
    """site -> its entries, in file order."""
    by_site: dict[str, list[dict[str, str]]] = {}
    for entry in json.loads(path.read_text(encoding="utf-8"))["judgements"]:
        by_site.setdefault(entry["site"], []).append(entry)
    return by_site


def as_variant(entry: dict[str, str], vid: str, brand: BrandProfile) -> CopyVariant:
    """The entry as the generate step would hand it on: truth-checked, its supported statements as claims."""
    variant = CopyVariant(
        id=vid,
        angle=entry.get("angle", ""),
        headline=entry["headline"],
        body=entry["body"],
        description=entry.get("description", ""),
        cta=entry["cta"],
    )
    variant.truth = check_variant(variant, brand.facts, brand.name)
    variant.claims = [Claim(text=s.text, fact_ids=[s.fact_id]) for s in variant.truth.supported]
    variant.claims += [Claim(text=t) for t in variant.truth.unsupported]
    variant.fact_ids = [s.fact_id for s in variant.truth.supported]
    return variant


def judge_site(entries: list[dict[str, str]], brand: BrandProfile, platform: str = "meta") -> list[Judged]:
    variants = [as_variant(e, f"v{i}", brand) for i, e in enumerate(entries, start=1)]
    out = score_variants(ScoreInput(run_id="judge", brand=brand, variants=variants, platform=platform))
    by_id = {s.variant_id: s for s in out.scores}
    return [Judged(e, v, by_id[v.id]) for e, v in zip(entries, variants, strict=True)]


def pairwise(judged: list[Judged], holdout_only: bool = False) -> tuple[float, int]:
    """(correctly ordered pairs, all pairs) over every (would run, would not run) pair; a tie is half right.

    With `holdout_only`, only pairs with at least one entry from the holdout set (written after the
    lint and score were tuned on the rest) count.
    """
    pairs = [
        (g.score.score, b.score.score)
        for g in judged
        if g.runs
        for b in judged
        if not b.runs and (not holdout_only or HOLDOUT in (g.entry.get("set"), b.entry.get("set")))
    ]
    correct = sum(1.0 if g > b else 0.5 if g == b else 0.0 for g, b in pairs)
    return correct, len(pairs)


def recommended(judged: list[Judged]) -> Judged | None:
    return next((j for j in judged if j.score.recommended), None)
