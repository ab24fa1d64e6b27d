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
    if not text or (word.isupper() and word != "A") or (keep and text.startswith(keep)) or any(c.isupper() for c in word[1:]):
        return text
    return text[0].lower() + text[1:]


_HANGING = {"come", "comes", "start", "starts", "stored", "go", "goes", "get", "gets", "begin", "begins", "made", "built"}
_PREPS = {"with", "on", "for", "in", "at", "by", "from", "when", "if", "across", "through", "to", "against"}
_QUALIFIED_COUNT = re.compile(
    r"(?:\b(?:more than|over|nearly|almost|about|around|up to)\s+)?[$€£]?\d[\d,.]*\+?(?:\s(?:million|thousand|billion))?"
    r"(?:\s[a-z-]+){0,2}?\s(?:customers|clients|users|developers|teams|companies|businesses|people|families|members|"
    r"reviews|stars|volunteers|meals|children|contributors|countries|cities|locations|years|patients|students)\b", re.I)


def headline_forms(text: str, count: bool = False) -> list[str]:
    """Ways to headline a sentence, longest first: whole, its first clause, its count ("More than 14,000 developers")."""
    whole = bare(text)
    forms = [whole]
    clause = re.split(r"[,;:](?=\s)|\s+[—–·-]\s+", whole)[0].strip()
    if clause != whole and len(clause.split()) >= 3 and not re.search(r"\b(and|or|the|a|of|to|with)$", clause, re.I):
        forms.append(clause)
    words = whole.split()
    # Shorter: the sentence up to a trailing condition ("Free key cutting | with any purchase over $20").
    # The body always carries the whole sentence when the headline is a shortened form.
    for i in range(len(words) - 1, 2, -1):
        if words[i].lower() in _PREPS and not _DANGLING_END.search(words[i - 1]) and words[i - 1].lower() not in _HANGING:
            forms.append(" ".join(words[:i]).rstrip(",;:"))
    found = _QUALIFIED_COUNT.search(whole) if count else None
    if found:
        phrase = found.group(0)
        forms.append(phrase[0].upper() + phrase[1:])
    return forms


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


_DANGLING_END = re.compile(r"\b(we|and|or|the|a|an|to|of|with|our|your|for|in|on|by|that|is|are)$", re.I)
_NAV = re.compile(r"^(about|our|shop|contact|reviews?|blog|faq|pricing|home|shipping|bestsellers|careers|menu|"
                  r"log ?in|sign ?(in|up)|volunteer|donate|give|learn|read|see|view|all|welcome|features|guestbook)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|my|me|mine)\b")
_PEOPLE_UNITS = {"people", "org", "review", "star", "place"}


def copyworthy(text: str, ctas: list[str]) -> bool:
    """Whether a piece of site text can stand in an ad: not navigation, not a fragment, not a CTA."""
    t = bare(text)
    words = t.split()
    if len(words) < 2 or _DANGLING_END.search(t) or t.startswith(("—", "-", "–")):
        return False
    if (len(words) <= 3 or t.lower().startswith("welcome")) and _NAV.match(t):
        return False
    return t.lower() not in {c.lower().strip() for c in ctas} and not _FIRST_PERSON.search(t)


def _is_proof(fact: Fact, brand_name: str) -> bool:
    if fact.kind in ("customers", "founded", "certification", "award", "rating"):
        return True
    items = find_checkables(fact.evidence, brand_name)
    return any(c.kind in ("count", "award", "certification") or c.unit in _PEOPLE_UNITS for c in items)


def _is_offer(fact: Fact, brand_name: str) -> bool:
    if fact.kind in ("price", "offer", "guarantee", "discount") or "pricing" in fact.source_url:
        return True
    kinds = _kinds(fact.evidence, brand_name)
    return bool(kinds & _OFFER_KINDS) or bool(re.search(r"\b(trial|shipping|returns?|% off|up to)\b", fact.evidence, re.I))


def _quotes(brand: BrandProfile, facts: list[Fact], name: str) -> list[tuple[Snippet, str]]:
    """Testimonials (and testimonial facts), each with its author; a lone "— Name" line is the author."""
    raw = [(t.quote, t.author) for t in brand.testimonials] + [(f.evidence, "") for f in facts if f.kind == "testimonial"]
    out: list[tuple[Snippet, str]] = []
    seen: set[str] = set()
    for i, (quote, author) in enumerate(raw):
        text = clean(quote)
        stat = re.search(r"\brated\b|out of 5|\breviews\b|\bcustomers\b", text, re.I) and not _FIRST_PERSON.search(text)
        if text.startswith(("—", "–", "-")) or stat:
            continue
        nxt = clean(raw[i + 1][0]) if i + 1 < len(raw) else ""
        if not author and nxt.startswith(("—", "–")):
            author = nxt.lstrip("—– ").strip()
        snip = ground(text, facts, name)
        if snip and 20 <= len(text) <= 240 and bare(text).lower() not in seen:
            seen.add(bare(text).lower())
            out.append((snip, clean(author)))
    return out


def gather(brand: BrandProfile) -> Material:
    name, facts = brand.name, brand.facts
    mat = Material(name=name, ctas=list(brand.ctas))

    def many(texts: list[str], strict: bool = True) -> list[Snippet]:
        out: list[Snippet] = []
        seen: set[str] = set()
        for text in texts:
            key = bare(text).lower()
            if key in seen or not 3 <= len(key) <= 220 or (strict and not copyworthy(text, brand.ctas)):
                continue
            snip = ground(text, facts, name)
            if snip:
                seen.add(key)
                out.append(snip)
        return out

    mat.tagline = ground(brand.tagline, facts, name) if copyworthy(brand.tagline, brand.ctas) else None
    mat.description = ground(brand.description, facts, name) if brand.description else None
    mat.value_props = many(brand.value_props)
    mat.features = many(brand.features)
    mat.headings = many([h for h in brand.headings if 2 <= len(h.split()) <= 9])
    known = {v.text.lower() for v in mat.value_props + mat.features}
    for fact in facts:
        quote_like = fact.kind == "testimonial" and not re.search(r"\brated\b|out of 5|\breviews\b", fact.text, re.I)
        if quote_like or not copyworthy(fact.text, brand.ctas):
            continue
        snip = _fact_snippet(fact, name)
        if snip is None:
            continue
        if _is_offer(fact, name):
            mat.offers.append(snip)
        elif _is_proof(fact, name):
            mat.proof.append(snip)
        elif snip.text.lower() not in known:
            mat.value_props.append(snip)
    offered = {o.text.lower() for o in mat.offers}
    mat.offers += [o for o in many(brand.offers) if o.text.lower() not in offered]
    mat.quotes = _quotes(brand, facts, name)
    return mat
