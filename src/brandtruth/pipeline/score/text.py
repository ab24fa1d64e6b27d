"""Copy components of the score: headline fit, readability, specificity, CTA, truth, distinctness.

Each function returns `(value, reason)`: a value in 0..1 and one line a marketer can act on.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..models import BrandProfile, CopyVariant
from .grade import grade_level, word_count
from .platforms import PlatformSpec

Rated = tuple[float, str]

# Grade-level metrics that count letters, not syllables (grade.py): a syllable counter needs a
# dictionary, which a deterministic offline scorer must not fetch.
_EASY_GRADE = 6.0
_HARD_GRADE = 14.0

# Action verbs a button starts with (German puts its verb last); French, German and Spanish too.
_STRONG_VERBS = frozenset(
    (
        "commander réserver acheter découvrir essayer contacter appeler télécharger demander donner bestellen "
        "buchen kaufen anfragen vereinbaren entdecken testen herunterladen spenden comprar reservar pedir "
        "descubrir probar contactar llamar descargar donar solicitar read give volunteer talk email shop buy "
        "get start try book order join claim download subscribe sign register request reserve save apply "
        "discover explore see watch contact call schedule install grab unlock build create upgrade switch "
        "find plan compare taste meet visit enroll donate "
    ).split()
)
_WEAK_CTAS = frozenset({"learn more", "click here", "submit", "more", "read more", "continue", "go", "ok"})
_STOPWORDS = frozenset(
    (
        "the and for with your you our are from that this was will can all not but its it's into more than "
        "have has get out now new just "
    ).split()
)
_FILLER = frozenset({"more", "here", "your", "now", "today", "free", "with", "about"})
_CONCRETE = re.compile(r"\d|%|\$|€|£")


def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _norm(text: str) -> str:
    return re.sub(r"[^\w\s]", "", text.lower()).strip()


def headline_fit(variant: CopyVariant, spec: PlatformSpec, brand_name: str = "") -> Rated:
    headline = variant.headline.strip()
    n, words = len(headline), len(headline.split())
    if n == 0:
        return 0.0, "no headline"
    if words < 2:
        return 0.6, f"one-word headline ({n} chars) leaves the message to the image"
    if brand_name and _norm(headline) == _norm(brand_name):
        return 0.6, "the brand's name alone says nothing of what it offers"
    if n <= spec.headline_ideal:
        return 1.0, f"{n} chars: fits {spec.label}'s {spec.headline_ideal}-char sweet spot"
    if n <= spec.headline_limit:
        value = 1.0 - 0.3 * (n - spec.headline_ideal) / (spec.headline_limit - spec.headline_ideal)
        return value, f"{n} chars: within {spec.label}'s {spec.headline_limit} limit but may truncate on mobile"
    over = n - spec.headline_limit
    value = 0.5 * clamp(1.0 - over / spec.headline_limit)
    return value, f"{n} chars: {over} over {spec.label}'s {spec.headline_limit}-char limit, will be cut off"


def readability(variant: CopyVariant) -> Rated:
    parts = [variant.headline.strip().rstrip(".!?"), variant.body.strip(), variant.description.strip()]
    text = ". ".join(p for p in parts if p)
    if not text or word_count(text) == 0:
        return 0.0, "no copy to read"
    grade = grade_level(text)
    if grade <= _EASY_GRADE:
        value, verdict = 1.0, "easy for a broad audience"
    elif grade <= _HARD_GRADE:
        value = 1.0 - 0.8 * (grade - _EASY_GRADE) / (_HARD_GRADE - _EASY_GRADE)
        verdict = "fine" if grade <= 9 else "dense for a scrolling reader; shorten words and sentences"
    else:
        value = 0.2 * clamp(1.0 - (grade - _HARD_GRADE) / 6)
        verdict = "hard to read at a glance; shorten words and sentences"
    return value, f"reads at about grade {grade:.0f} (ARI/Coleman-Liau): {verdict}"


def _backed_claims(variant: CopyVariant, brand: BrandProfile) -> tuple[int, int]:
    known = {f.id for f in brand.facts}
    supported = {_norm(c.text) for c in variant.truth.supported} if variant.truth else set()
    unsupported = {_norm(t) for t in variant.truth.unsupported} if variant.truth else set()
    backed = 0
    for claim in variant.claims:
        text = _norm(claim.text)
        if text in unsupported:
            continue
        if text in supported or any(fid in known for fid in claim.fact_ids):
            backed += 1
    return backed, len(variant.claims)


def specificity(variant: CopyVariant, brand: BrandProfile) -> Rated:
    copy = f"{variant.headline} {variant.body} {variant.description}"
    lowered = copy.lower()
    markers = len(_CONCRETE.findall(copy))
    named = [t for t in [*brand.features, *brand.offers] if len(t) >= 4 and t.lower() in lowered]
    concrete = clamp((min(markers, 2) + len(named)) / 2)
    backed, total = _backed_claims(variant, brand)
    if total:
        evidence = backed / total
        claim_note = f"{backed}/{total} claims backed by the site"
    else:
        grounded = any(fid in {f.id for f in brand.facts} for fid in variant.fact_ids)
        own_lines = _site_lines(variant, brand)
        # The brand's own line (hero, value proposition, testimonial) is material, numbers or not.
        evidence = 0.8 if own_lines else 0.4 if grounded else 0.2
        claim_note = "no itemised claims" + (
            " (uses the site's own lines)" if own_lines else " (copy cites site facts)" if grounded else ""
        )
    value = 0.7 * evidence + 0.3 * concrete
    detail = "concrete details (numbers, named features)" if concrete >= 0.5 else "few concrete details"
    return value, f"{claim_note}; {detail}"


def _site_lines(variant: CopyVariant, brand: BrandProfile) -> int:
    """How many of the headline and body sentences are the site's own wording (its lines, facts, quotes)."""
    lines = [
        brand.tagline,
        brand.description,
        *brand.value_props,
        *brand.features,
        *brand.offers,
        *(f.evidence for f in brand.facts),
        *(t.quote for t in brand.testimonials),
    ]
    site = " | ".join(_norm(t) for t in lines if t)
    parts = [variant.headline, *re.split(r"(?<=[.!?])\s+", variant.body)]
    return sum(1 for p in parts if len(_norm(p).split()) >= 3 and _norm(p) in site)


def cta_strength(variant: CopyVariant, brand: BrandProfile, spec: PlatformSpec) -> Rated:
    cta = _norm(variant.cta)
    if not cta:
        return 0.0, "no call to action"
    words = cta.split()
    if cta in _WEAK_CTAS:
        value, kind = 0.35, "low-intent wording"
    elif words[0] in _STRONG_VERBS or words[-1] in _STRONG_VERBS:  # German puts the verb last
        value, kind = 0.6, "starts with an action verb"
    else:
        value, kind = 0.3, "does not start with an action verb"
    if len(words) <= 3 and len(variant.cta.strip()) <= 20:
        value += 0.2
        kind += ", short"
    elif len(words) <= 5:
        value += 0.1
    else:
        kind += ", too long for a button"
    site_ctas = {_norm(c) for c in brand.ctas if c.strip()}
    if cta in site_ctas or any(c and (c in cta or cta in c) for c in site_ctas):
        value += 0.2
        kind += ", matches the site's own CTA"
    elif _same_intent(words, site_ctas):
        value += 0.2
        kind += ", same intent as the site's own CTA"
    elif cta in spec.cta_buttons:
        value += 0.15
        kind += f", a standard {spec.label} button"
    return clamp(value), f"'{variant.cta.strip()}': {kind}"


def _stem(word: str) -> str:
    return word[:4]


def _same_intent(words: list[str], site_ctas: set[str]) -> bool:
    """'Get Started' and the site's 'Start your free trial' ask for the same thing."""
    mine = {_stem(w) for w in words if len(w) >= 4 and w not in _FILLER}
    theirs = {_stem(w) for c in site_ctas for w in c.split() if len(w) >= 4 and w not in _FILLER}
    return bool(mine & theirs)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def truth(variant: CopyVariant) -> Rated:
    """The checker's verdict, counted in the variant's claims (not in the checkable details it found).

    "All 5 claims backed" on a variant with one claim was the checker's five numbers and terms; a
    marketer counts claims, so details are named as details.
    """
    report = variant.truth
    if report is None:
        return 0.5, "not truth-checked yet (neutral)"
    n_sup, n_uns = len(report.supported), len(report.unsupported)
    details = f"{_plural(n_sup, 'checkable detail')} found on the site"
    if report.verdict == "unsupported":
        what = _plural(n_uns, "statement") if n_uns else "some statements"
        return 0.0, f"failed the truth check: {what} the site does not back"
    if n_uns:
        return n_sup / (n_sup + n_uns), f"{n_uns} of {n_sup + n_uns} checkable details not backed by the site"
    if n_sup == 0:
        return 0.9, "passed the truth check; makes no checkable claims"
    n_claims = len(variant.claims)
    if n_claims == 0:
        return 1.0, f"passed the truth check: no itemised claims; {details}"
    claims = "its claim" if n_claims == 1 else f"all {n_claims} claims"
    return 1.0, f"passed the truth check: {claims} backed ({details})"


def _tokens(variant: CopyVariant) -> frozenset[str]:
    words = re.findall(r"[a-z0-9']+", f"{variant.headline} {variant.body}".lower())
    return frozenset(w for w in words if len(w) > 2 and w not in _STOPWORDS)


def similarity(a: CopyVariant, b: CopyVariant) -> float:
    """0..1: half word overlap of the whole copy, half closeness of the headlines."""
    ta, tb = _tokens(a), _tokens(b)
    jaccard = len(ta & tb) / len(ta | tb) if ta | tb else 1.0
    first, second = sorted((_norm(a.headline), _norm(b.headline)))  # ratio() is order-sensitive
    headline = SequenceMatcher(None, first, second).ratio()
    return 0.5 * jaccard + 0.5 * headline


def distinctness(variant: CopyVariant, others: list[CopyVariant]) -> Rated:
    if not others:
        return 1.0, "the only variant, nothing to overlap with"
    sim, closest = max((similarity(variant, o), o.id) for o in others)
    value = clamp(1.0 - sim)
    if sim >= 0.9:
        return value, f"near-duplicate of {closest} ({sim:.0%} similar); rewrite or drop one"
    if sim >= 0.5:
        return value, f"overlaps {closest} ({sim:.0%} similar); give it a different angle"
    return value, f"distinct: closest is {closest} at {sim:.0%} similar"
