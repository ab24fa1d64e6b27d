"""What the offline copywriter may say about a brand: site text sorted by use, each piece grounded.

A snippet is usable only if the truth checker finds nothing in it, or finds every checkable thing
in it backed by a fact; it then carries the ids of those facts, so copy built from it cites them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import BrandProfile, Fact
from ..truth import check_copy, find_checkables


@dataclass(frozen=True)
class Snippet:
    text: str
    fact_ids: tuple[str, ...] = ()


@dataclass
class Material:
    name: str
    tagline: Snippet | None = None
    description: Snippet | None = None
    value_props: list[Snippet] = field(default_factory=list)
    features: list[Snippet] = field(default_factory=list)
    headings: list[Snippet] = field(default_factory=list)
    proof: list[Snippet] = field(default_factory=list)  # counts, ratings, awards, certifications
    offers: list[Snippet] = field(default_factory=list)  # prices, free trials, discounts, guarantees
    quotes: list[tuple[Snippet, str]] = field(default_factory=list)  # (quote, author)
    ctas: list[str] = field(default_factory=list)


_PROOF_KINDS = {"number", "count", "award", "certification", "superlative", "percent"}
_OFFER_KINDS = {"price", "offer", "guarantee"}


def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip().strip("\"“”")
    return text.strip()


def sentence(text: str) -> str:
    text = clean(text).rstrip(" ,;:—–-")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def bare(text: str) -> str:
    """A snippet without its closing full stop, for headlines and lists."""
    return clean(text).rstrip(" .;:,")


def lower_first(text: str, keep: str = "") -> str:
    word = text.split(" ", 1)[0]
    if not text or word.isupper() or (keep and text.startswith(keep)) or any(c.isupper() for c in word[1:]):
        return text
    return text[0].lower() + text[1:]


def ground(text: str, facts: list[Fact], brand_name: str) -> Snippet | None:
    text = clean(text)
    if not text:
        return None
    report = check_copy([text], [], [], facts, brand_name)
    if report.verdict != "supported":
        return None
    return Snippet(text, tuple(dict.fromkeys(s.fact_id for s in report.supported)))


def _fact_snippet(fact: Fact, brand_name: str) -> Snippet | None:
    """The fact's own short text when it is grounded in its evidence, else the evidence sentence."""
    for text in (fact.text, fact.evidence):
        snip = ground(text, [fact], brand_name)
        if snip is not None and len(clean(text)) >= 8:
            return Snippet(snip.text, (fact.id,))
    return None


def _kinds(text: str, brand_name: str) -> set[str]:
    return {c.kind for c in find_checkables(text, brand_name)}


def gather(brand: BrandProfile) -> Material:
    name, facts = brand.name, brand.facts
    mat = Material(name=name, ctas=list(brand.ctas))

    def many(texts: list[str]) -> list[Snippet]:
        out: list[Snippet] = []
        seen: set[str] = set()
        for text in texts:
            snip = ground(text, facts, name)
            key = bare(text).lower()
            if snip and key not in seen and 3 <= len(key) <= 220:
                seen.add(key)
                out.append(snip)
        return out

    mat.tagline = ground(brand.tagline, facts, name) if brand.tagline else None
    mat.description = ground(brand.description, facts, name) if brand.description else None
    mat.value_props = many(brand.value_props)
    mat.features = many(brand.features)
    mat.headings = many([h for h in brand.headings if 2 <= len(h.split()) <= 9])
    for fact in facts:
        snip = _fact_snippet(fact, name)
        if snip is None:
            continue
        kinds = _kinds(fact.evidence, name) | {fact.kind}
        if kinds & _OFFER_KINDS or re.search(r"\b(trial|shipping|returns?|off)\b", fact.evidence, re.I):
            mat.offers.append(snip)
        elif kinds & _PROOF_KINDS:
            mat.proof.append(snip)
        elif snip.text.lower() not in {v.text.lower() for v in mat.value_props}:
            mat.value_props.append(snip)
    for offer in many(brand.offers):
        if offer.text.lower() not in {o.text.lower() for o in mat.offers}:
            mat.offers.append(offer)
    for t in brand.testimonials:
        snip = ground(t.quote, facts, name)
        if snip and 20 <= len(snip.text) <= 240:
            mat.quotes.append((snip, clean(t.author)))
    return mat
