"""The verbal brand kit: name (reconciled from several sources), tagline, copy lists, language, voice."""

from __future__ import annotations

import re
from collections import Counter

from ..models import Fact, Testimonial
from .naming import brand_name, name_candidates  # noqa: F401 (reconciled in naming.py, part of the kit)
from .page import ParsedPage

TITLE_SPLIT = re.compile(r"\s+[|–—\-:·•»]\s+")
GENERIC_HEADINGS = re.compile(
    r"^(features?|pricing|faq|questions|testimonials?|customers|about( us)?|contact( us)?|blog|news|team|menu|home|plans)$", re.I
)
STOPWORDS = {
    "en": {"the", "and", "to", "of", "you", "your", "for", "with", "is", "our", "we", "in"},
    "de": {"der", "die", "und", "das", "ist", "mit", "für", "wir", "sie", "nicht", "ein", "zu"},
    "fr": {"le", "la", "les", "et", "des", "pour", "vous", "nous", "est", "une", "avec", "du"},
    "es": {"el", "la", "los", "y", "de", "para", "con", "es", "nuestro", "una", "que", "su"},
    "nl": {"de", "het", "en", "van", "een", "voor", "met", "wij", "je", "jouw", "onze", "is"},
}


def tagline(home: ParsedPage, name: str) -> str:
    h1 = next((t for tag, t in home.headings if tag == "h1"), "")
    greeting = re.match(r"^(welcome|hello|hi)\b", h1, re.I)
    if h1 and not greeting and h1.casefold() != name.casefold() and 2 <= len(h1.split()) <= 14:
        return h1
    for part in TITLE_SPLIT.split(home.title):
        if part.casefold() != name.casefold() and len(part.split()) >= 2:
            return part
    return ""


def description(home: ParsedPage) -> str:
    for key in ("description", "og:description", "twitter:description"):
        value = home.meta.get(key) or home.opengraph.get(key)
        if value:
            return value
    return next((b.text for b in home.blocks if b.tag == "p" and len(b.text) > 60 and not b.in_chrome), "")


def value_props(home: ParsedPage) -> list[str]:
    props = []
    for tag, text in home.headings:
        if tag in ("h2", "h3") and len(text.split()) >= 3 and not GENERIC_HEADINGS.match(text):
            props.append(text)
    return list(dict.fromkeys(props))[:8]


def features(pages: list[ParsedPage]) -> list[str]:
    found: list[str] = []
    for page in pages:
        for block in page.blocks:
            if block.in_chrome or not re.search(r"feature|benefit|service|capabilit", block.section + " " + page.url):
                continue
            if block.tag in ("h3", "h4") or (block.tag == "li" and len(block.text.split()) <= 12):
                found.append(block.text)
    return list(dict.fromkeys(found))[:12]


def offers(facts: list[Fact]) -> list[str]:
    return [f.text for f in facts if f.kind in ("price", "trial", "guarantee")][:8]


def ctas(pages: list[ParsedPage]) -> list[str]:
    counts: Counter[str] = Counter(c for p in pages for c in p.ctas if 1 <= len(c.split()) <= 6)
    return [c for c, _ in counts.most_common(8)]


def testimonials(pages: list[ParsedPage]) -> list[Testimonial]:
    out: dict[str, Testimonial] = {}
    for page in pages:
        for quote, author in page.testimonials:
            out.setdefault(quote, Testimonial(quote=quote, author=author, source_url=page.url))
    return list(out.values())[:10]


def language(pages: list[ParsedPage]) -> str:
    home = pages[0]
    if home.lang:
        return home.lang
    locale = home.opengraph.get("og:locale", "")
    if locale:
        return locale.split("_")[0].lower()
    words = Counter(w for p in pages for w in re.findall(r"[a-zäöüéèàçñ]+", p.text.lower()))
    scores = {lang: sum(words[w] for w in stop) for lang, stop in STOPWORDS.items()}
    return max(scores, key=lambda k: scores[k]) if any(scores.values()) else "en"


def voice(pages: list[ParsedPage]) -> str:
    text = " ".join(b.text for p in pages for b in p.blocks if not b.in_chrome)
    words = re.findall(r"[A-Za-z']+", text.lower())
    if not words:
        return ""
    total = len(words)
    you = sum(w in ("you", "your", "you're", "yours") for w in words) / total
    we = sum(w in ("we", "our", "us", "we're", "ours") for w in words) / total
    sentences = max(1, len(re.findall(r"[.!?](\s|$)", text)))
    avg = total / sentences
    bangs = text.count("!") / sentences
    traits = [
        "playful and energetic"
        if bangs > 0.15
        else "warm"
        if you > 0.03 and avg < 14
        else "formal"
        if avg > 22
        else "confident and direct"
    ]
    if you >= we and you > 0.01:
        traits.append("speaks to the reader as 'you'")
    if we > you and we > 0.01:
        traits.append("speaks as 'we'")
    traits.append("short sentences" if avg < 13 else "medium-length sentences" if avg < 22 else "long sentences")
    if re.search(r"\b\w+'(re|ll|ve|s|t)\b", text):
        traits.append("uses contractions")
    return "; ".join(traits)
