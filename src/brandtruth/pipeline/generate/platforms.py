"""Platform presets (length limits), the fixed call-to-action set, and word-boundary fitting."""

from __future__ import annotations

import re

from ..llm.base import PlatformLimits

# Meta: headline 40, primary text 125 before "See more", link description 30.
# Google responsive search: headlines 30, descriptions 90 (our body and description both map to one).
# LinkedIn single image: headline 70 before truncation, intro text 150, description 100.
LIMITS: dict[str, PlatformLimits] = {
    "meta": PlatformLimits(platform="meta", headline=40, body=125, description=30),
    "google": PlatformLimits(platform="google", headline=30, body=90, description=90),
    "linkedin": PlatformLimits(platform="linkedin", headline=70, body=150, description=100),
}

CTAS: tuple[str, ...] = ("Learn More", "Sign Up", "Shop Now", "Get Started", "Book Now", "Contact Us", "Download")

# First match wins; order matters ("start free trial" is Get Started, not Sign Up).
_CTA_RULES: tuple[tuple[str, str], ...] = (
    (r"\b(shop|buy|order|cart|purchase|store)\b", "Shop Now"),
    (r"\b(book|schedule|reserve|appointment|demo|table)\b", "Book Now"),
    (r"\b(download|install|app store|google play)\b", "Download"),
    (r"\b(start|try|get started|begin|free trial)\b", "Get Started"),
    (r"\b(sign ?up|join|register|subscribe|create (an )?account|enrol|enroll)\b", "Sign Up"),
    (r"\b(contact|call|quote|talk|get in touch|email us|message)\b", "Contact Us"),
    (r"\b(learn|discover|explore|see|read|more|find out)\b", "Learn More"),
)

_DANGLING = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "of",
    "to",
    "for",
    "with",
    "in",
    "on",
    "at",
    "by",
    "from",
    "your",
    "our",
    "that",
    "which",
    "who",
    "is",
    "are",
    "as",
    "so",
    "&",
    "-",
    "—",
    "–",
    "+",
    "into",
    "its",
    "their",
    "under",
    "over",
    "about",
    "than",
    "more",
    "less",
    "up",
    "after",
    "before",
    "within",
    "without",
    "via",
    "per",
    "like",
    "just",
    "only",
    "every",
    "all",
    "no",
    "not",
    "can",
    "will",
    "be",
    "you",
    "we",
    "it",
    "this",
    "has",
}


def limits_for(platform: str) -> PlatformLimits:
    return LIMITS.get(platform, LIMITS["meta"])


def normalize_cta(text: str | None, default: str = "Learn More") -> str:
    """Map any call to action (the site's own or a model's) onto the fixed set."""
    if not text:
        return default
    for cta in CTAS:
        if text.strip().lower() == cta.lower():
            return cta
    low = text.lower()
    for pattern, cta in _CTA_RULES:
        if re.search(pattern, low):
            return cta
    return default


def tidy(text: str, language: str = "") -> str:
    """Spaces as the language sets them: French puts one before ! ? ; : (« d’écouter ! »), so only a space
    before a comma or full stop goes there."""
    text = re.sub(r"\s+", " ", text or "").strip()
    marks = ",." if language.split("-")[0].lower() == "fr" else ",.!?;:"
    return re.sub(rf"\s+([{re.escape(marks)}])", r"\1", text)


def fit(text: str, limit: int, language: str = "") -> str:
    """Shorten `text` to at most `limit` characters, never mid-word.

    Prefers whole sentences, then a clause, then whole words without a dangling connector.
    """
    text = tidy(text, language)
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if kept:
        return kept
    head = text[: limit + 1]
    clause = re.split(r"(?<=[,;:—–])\s", head)
    if len(clause) > 1:
        joined = ""
        for part in clause[:-1]:
            if len(f"{joined} {part}".strip()) <= limit:
                joined = f"{joined} {part}".strip()
        joined = joined.rstrip(",;:—– ")
        if len(joined) >= limit // 2:
            return joined
    words = text.split(" ")
    out: list[str] = []
    for word in words:
        if len(" ".join([*out, word])) > limit:
            break
        out.append(word)
    while out and out[-1].lower().strip(",;:") in _DANGLING:
        out.pop()
    return " ".join(out).rstrip(",;:—–- ")
