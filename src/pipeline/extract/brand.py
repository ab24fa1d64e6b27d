"""The verbal brand kit: name (reconciled from several sources), tagline, copy lists, language, voice."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from ..models import Fact, Testimonial
from .page import ParsedPage, clean

TITLE_SPLIT = re.compile(r"\s+[|–—\-:·•»]\s+")
ORG_TYPES = {
    "Organization",
    "Corporation",
    "LocalBusiness",
    "NGO",
    "Brand",
    "WebSite",
    "Store",
    "OnlineStore",
    "ProfessionalService",
    "HomeAndConstructionBusiness",
    "Plumber",
    "Electrician",
    "Restaurant",
    "Bakery",
}
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


def _items(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [i for n in node for i in _items(n)]
    if isinstance(node, dict):
        return [node] + _items(node.get("@graph", []))
    return []


def _type(item: dict[str, Any]) -> set[str]:
    t = item.get("@type") or item.get("type") or []
    return {str(x).rsplit("/", 1)[-1] for x in (t if isinstance(t, list) else [t])}


def name_candidates(pages: list[ParsedPage]) -> Counter[str]:
    votes: Counter[str] = Counter()
    spelled: dict[str, str] = {}

    def vote(name: str | None, weight: int) -> None:
        name = clean(name).strip(" -|·")
        if not name or len(name.split()) > 6 or len(name) > 60:
            return
        key = name.casefold()
        spelled.setdefault(key, name)
        votes[spelled[key]] += weight

    home = pages[0]
    vote(home.opengraph.get("og:site_name") or home.meta.get("og:site_name"), 4)
    vote(home.meta.get("application-name"), 3)
    for item in _items(home.jsonld) + _items(home.microdata):
        props = item.get("properties", item)
        if _type(item) & ORG_TYPES:
            vote(props.get("name"), 4)
    for img in home.images[:5]:
        if "logo" in f"{img.hints} {img.alt}".lower() or img.in_header:
            vote(re.sub(r"\b(logo|home|homepage)\b", "", img.alt, flags=re.I), 3)
    for page in pages:
        parts = TITLE_SPLIT.split(page.title)
        if len(parts) > 1:
            for part in parts:
                vote(part, 1)
        for block in page.blocks:
            m = re.search(r"©\s*(?:\d{4}\s*[-–]?\s*\d{0,4})?\s*([^.|]+?)(?:\.|,|\s+All rights|$)", block.text)
            if m and block.in_chrome:
                vote(re.sub(r"\b(Inc|Ltd|LLC|B\.V|GmbH)\b\.?", "", m.group(1)).strip(" ,"), 1)
    return votes


def brand_name(pages: list[ParsedPage]) -> str:
    votes = name_candidates(pages)
    if votes:
        return votes.most_common(1)[0][0]
    home = pages[0]
    if home.title:
        return TITLE_SPLIT.split(home.title)[0]
    host = urlsplit(home.url).hostname or ""
    return host.removeprefix("www.").split(".")[0].replace("-", " ").title() or "Brand"


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
