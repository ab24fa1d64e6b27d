"""Facts: sentences a page states that an ad could cite, each kept verbatim as its own evidence."""

from __future__ import annotations

import re

from ..models import Fact
from .page import ParsedPage

# Words that end in a full stop without ending the sentence.
ABBREVIATIONS = {
    "inc",
    "ltd",
    "co",
    "corp",
    "llc",
    "bv",
    "b.v",
    "gmbh",
    "e.g",
    "i.e",
    "etc",
    "vs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "nr",
    "approx",
    "u.s",
    "u.k",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "min",
    "max",
    "ca",
    "fig",
    "ave",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*\s+(?=[\"“‘(¿¡]?[A-Z0-9À-Ý])")

NUM = r"\d[\d,.]*"


def _any(*alternatives: str) -> re.Pattern[str]:
    """One case-insensitive pattern from readable alternatives."""
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)


COUNTED = (
    r"teams|customers|companies|businesses|users|clients|members|people|families|households|homes|volunteers|donors|"
    r"developers|downloads|stars|installs|countries|cities|meals|trees|students|patients|kids|children|orders|stores|"
    r"contributors|projects|repositories|requests|jobs|pets|dogs|cats|reviews|locations|items|products|parts|tools|"
    r"partners|pantries|schools|shelters|organi[sz]ations|nonprofits|charities|towns|bottles|hours of \w+"
)
UNITS = r"minutes|hours|days|weeks|months|years|seconds|ms|km|kg|g|miles|tons|tonnes|litres|liters|ml|oz|lbs?|mph|GB|MB|TB"
# Order matters: the first kind that matches names the fact.
KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("plan", _any(r"^(up to|unlimited)\b")),
    (
        "certification",
        _any(
            r"\bSOC ?[12]\b",
            r"\bISO ?\d{4,5}\b",
            r"\bGDPR\b",
            r"\bHIPAA\b",
            r"\bPCI[- ]DSS\b",
            r"\bB Corp",
            r"\b(certified|accredited|licen[cs]ed|insured|bonded|compliant|approved by)\b",
            r"\bregistered (charity|nonprofit|non-profit)\b",
            r"\b501\(c\)\(3\)",
        ),
    ),
    ("guarantee", _any(r"\b(guarantee[ds]?|money-back|refunds?|warrant(y|ies)|risk-free|free returns?)\b")),
    (
        "award",
        _any(
            r"\b(awards?|award-winning|winner|won|voted|named (a|the)|rated|ratings?|Leader in|best [a-z]+ of|top \d+)\b",
            r"\bnamed\b.*\b(best|top|leader)\b",
            r"\b(\d|five|four)-star\b",
        ),
    ),
    (
        "trial",
        _any(r"\bfree trial\b", r"\b\d+[- ]day (free )?trial\b", r"\bno credit card\b", r"\bfree (for|tier|plan|forever)\b"),
    ),
    (
        "price",
        _any(
            rf"[$€£¥]\s?{NUM}",
            rf"\b{NUM}\s?(USD|EUR|GBP|dollars|euros?)\b",
            rf"\b{NUM}\s?% off\b",
            r"\bper (month|year|hour|visit)\b",
            r"\b(extra|hidden) (charges?|fees?)\b",
            r"/(mo|month|year|hr)\b",
            r"\bfree (shipping|delivery)\b",
            r"\bsave \d+ ?%",
        ),
    ),
    ("customers", _any(rf"\b{NUM}\+?\s?(k|m|million|thousand)?\s+(\w+\s)?({COUNTED})\b", r"\bteam of \d+")),
    (
        "founded",
        _any(
            r"\b(founded|established|since|est\.|serving .* since)\s+(in\s+)?(1[89]|20)\d\d\b",
            r"\b(began|started|opened|launched|founded)\b.{0,40}\bin (1[89]|20)\d\d\b",
        ),
    ),
    (
        "security",
        _any(r"\b(encrypt\w*|TLS|AES-\d+|penetration test\w*|two-factor|2FA|SSO|SAML|uptime|SLA|open[- ]source)\b"),
    ),
    (
        "stat",
        _any(
            rf"\b{NUM}\s?%",
            rf"\b{NUM}\s?(x|×)\b",
            r"\b\d+(\.\d+)?\s?(out of|/)\s?(5|10)\b",
            rf"\b{NUM}\s+({UNITS})\b",
            rf"\b{NUM}\s?(million|billion)\b",
            rf"\b{NUM}\s+cents\b",
            rf"\b(more than|over|nearly|almost|at least)\s+{NUM}\b",
        ),
    ),
]
QUOTE_SECTION = re.compile(r"\b(testimonials?|quotes?|reviews?)\b")
FEATURE_SECTION = re.compile(r"\b(features?|benefits?|how-it-works|services?|capabilit\w*|why)\b")
NOT_FACT = re.compile(r"(©|\ball rights reserved\b|\bcookies?\b|\bprivacy\b|\bjavascript\b|\bpublished\b)", re.I)


def split_sentences(text: str) -> list[str]:
    """Sentences of one block, each a verbatim slice of it."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        head = text[start : m.start()]
        last = head.rsplit(" ", 1)[-1].lower().rstrip(".")
        if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        out.append(text[start : m.start() + len(m.group().rstrip())].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def classify(sentence: str, section: str, quoted: bool = False) -> str | None:
    if quoted:
        return "testimonial" if len(sentence.split()) >= 5 else None
    if sentence[:1] in "—–-" and QUOTE_SECTION.search(section):
        return None  # "— Jess M., verified buyer": an attribution line
    for kind, pattern in KINDS:
        if pattern.search(sentence):
            return kind
    if FEATURE_SECTION.search(section) and 6 <= len(sentence.split()) <= 40 and sentence[-1:] in ".!":
        return "feature"
    return None


_STAT_LABEL = re.compile(r"^[\d,.]+[%+x×]?\s+(?=[A-Z])")


def drop_stat_label(sentence: str) -> str:
    """ "2,400+ More than 2,400 teams ..." (a big-number label run into its sentence) -> the sentence.

    The remainder is still a verbatim slice of the page, so it stays valid evidence.
    """
    m = _STAT_LABEL.match(sentence)
    if m and m.group().strip().rstrip("%+x×") in sentence[m.end() :]:
        return sentence[m.end() :]
    return sentence


def trim(sentence: str) -> str:
    """The fact's own text: the sentence without a repeated stat label ("2,400+ More than 2,400 ...")."""
    text = sentence.strip().strip('“”"‘’').rstrip(".!").strip()
    m = re.match(r"^[\d,.]+[%+x×]?\s+(?=[A-Z])", text)
    if m and m.group().strip().rstrip("%+x×") in text[m.end() :]:
        text = text[m.end() :]
    return text


def extract_facts(pages: list[ParsedPage], limit: int = 60) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[str] = set()
    for page in pages:
        for block in page.blocks:
            if block.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt"):
                continue
            for sentence in map(drop_stat_label, split_sentences(block.text)):
                words = len(sentence.split())
                if words < 4 or words > 60 or sentence.endswith("?") or NOT_FACT.search(sentence):
                    continue
                key = sentence.casefold()
                if key in seen:
                    continue
                kind = classify(sentence, block.section, block.quoted)
                # Navigation and footers state little, but a footer's "registered 501(c)(3)" is a real claim.
                if kind is None or (block.in_chrome and kind != "certification"):
                    continue
                seen.add(key)
                facts.append(
                    Fact(id=f"f{len(facts) + 1}", text=trim(sentence), evidence=sentence, source_url=page.url, kind=kind)
                )
                if len(facts) >= limit:
                    return facts
    return facts
