"""Revisions: whether the feedback can be followed at all, and whether a revised variant did.

Feedback naming material the site never states ("lead with the $25 off offer" on a site with no
such offer) is not sent to a provider: the variant is kept and its `revision_note` says why, so the
reviewer never gets an unrelated variant in its place. Otherwise each revised draft must visibly
follow the feedback (`feedback.follows`); one that does not is sent back like an unsupported claim.
"""

from __future__ import annotations

from ..llm.feedback import Wish, describe, follows, missing_material, read
from ..models import BrandProfile, CopyVariant


def wish_for(feedback: str, brand: BrandProfile, revising: bool) -> Wish | None:
    if not revising or not feedback.strip():
        return None
    wish = read(feedback, brand)
    return None if wish.empty else wish


def cannot_follow(wish: Wish | None, brand: BrandProfile) -> str:
    """Why no copy can follow this feedback, or "" when it can."""
    if wish is None:
        return ""
    missing = missing_material(wish, brand)
    if not missing:
        return ""
    named = ", ".join(f'"{m}"' for m in missing)
    return (
        f"Not revised: the site never states {named}, so the copy cannot lead with it. "
        f"Add it to the site (or name material the site has) and revise again."
    )


def kept(variant: CopyVariant, note: str) -> CopyVariant:
    return variant.model_copy(update={"revision_note": note})


def gaps(wish: Wish | None, new: CopyVariant, old: CopyVariant | None) -> list[str]:
    if wish is None:
        return []
    return [f"the revision {gap} (feedback: “{wish.text.strip()}”)" for gap in follows(wish, new, old)]


def note(wish: Wish | None, new: CopyVariant, old: CopyVariant | None, others: list[CopyVariant]) -> str:
    """How the revision followed the feedback; what it could not, and why when another variant holds it."""
    if wish is None:
        return ""
    unmet = follows(wish, new, old)
    if not unmet:
        return describe(wish, new, old)
    why = []
    for term in wish.terms:
        holder = next((v.id for v in others if v.id != new.id and term.lower() in v.headline.lower()), None)
        if holder and term.lower() not in new.headline.lower():
            why.append(f"“{term}” already leads {holder}, so this one does not repeat it")
    done = describe(wish, new, old).removeprefix("Revised as asked: ").rstrip(".")
    parts = [*why, *(f"it {gap}" for gap in unmet if not why or "mention" not in gap and "lead with" not in gap)]
    return f"Partly revised{': ' + done if done else ''}. " + "; ".join(parts).capitalize() + "."
