"""The two penalties that dominate the score: copy-lint faults and claims the site does not back.

A marketer would not run a variant with a button label for a headline or a number the site never
states, however well it scores on length and contrast. Each is a negative component with its own
reason naming what is wrong, large enough that such a variant ranks below clean ones on the same
site, and `_rank` (score/__init__) never recommends it while a clean, truthful one exists.
"""

from __future__ import annotations

from ..lint import lint_variant
from ..models import BrandProfile, CopyVariant, LintFault, ScoreComponent

LINT_FIRST = 30.0  # points lost for the first fault
LINT_EACH = 8.0  # and for each further one
LINT_MAX = 50.0
UNSUPPORTED_PENALTY = 40.0

# What a marketer would say about each fault, shortest first.
_PLAIN = {
    "ui_label": "a button label",
    "heading_as_copy": "a section heading as copy",
    "legal_text": "legal/cookie text",
    "glued_tokens": "glued words",
    "separator_strip": "a separator strip",
    "headline_repeats_body": "headline repeats the body",
    "wrong_language": "wrong language",
    "mixed_language": "mixed languages",
    "names_nothing": "stock filler naming nothing of the brand",
    "broken_casing": "broken casing",
    "unfinished_sentence": "an unfinished sentence",
    "placeholder": "a placeholder/test item",
}


def describe(fault: LintFault) -> str:
    return f"{_PLAIN.get(fault.code, fault.code)} ({fault.field}: \u201c{fault.text}\u201d)"


def lint_component(faults: list[LintFault]) -> ScoreComponent:
    if not faults:
        return ScoreComponent(
            name="copy_lint",
            weight=-LINT_MAX,
            value=0.0,
            points=0.0,
            reason="clean: no UI labels, headings, filler, glue, repeats or language slips",
        )
    penalty = min(LINT_MAX, LINT_FIRST + LINT_EACH * (len(faults) - 1))
    shown = "; ".join(describe(f) for f in faults[:3]) + (f"; +{len(faults) - 3} more" if len(faults) > 3 else "")
    return ScoreComponent(
        name="copy_lint",
        weight=-LINT_MAX,
        value=round(penalty / LINT_MAX, 4),
        points=-penalty,
        reason=f"{len(faults)} fault{'s' if len(faults) > 1 else ''} a marketer would not run: {shown}",
    )


def truth_component(variant: CopyVariant) -> ScoreComponent:
    report = variant.truth
    if report is None or report.verdict != "unsupported":
        return ScoreComponent(
            name="unsupported_claims",
            weight=-UNSUPPORTED_PENALTY,
            value=0.0,
            points=0.0,
            reason="no claim the site does not back" if report else "not truth-checked yet",
        )
    shown = ", ".join(f"\u201c{t}\u201d" for t in report.unsupported[:3]) or "some statements"
    return ScoreComponent(
        name="unsupported_claims",
        weight=-UNSUPPORTED_PENALTY,
        value=1.0,
        points=-UNSUPPORTED_PENALTY,
        reason=f"states what the site does not: {shown}",
    )


def penalties(variant: CopyVariant, brand: BrandProfile) -> tuple[list[ScoreComponent], list[LintFault]]:
    faults = lint_variant(variant, brand)
    return [lint_component(faults), truth_component(variant)], faults
