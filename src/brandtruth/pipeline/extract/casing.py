"""Text a site writes in capitals ("FREE SAME-DAY DELIVERY IN BATH") read as a sentence.

Banners and headings are often typed in capitals rather than styled so; copied into an ad they shout,
and ad platforms refuse excessive capitals. A fact's or tagline's text (not its evidence, which stays
verbatim) is put in sentence case, with the words the site itself writes capitalised in calmer text
kept as it writes them: names and places ("Bath", "Fern & Fable"), acronyms ("AC", "HVAC").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_PARTS = re.compile(r"(?<=[.!?])\s+|\s+[|–—·•-]\s+")  # sentences, and a title's parts ("Name — Slogan")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([^\W\d_])")
MIN_SHOUTED_WORDS = 3
SHOUTED_SHARE = 0.8
MAX_TEXTS = 3_000  # calm texts read for the site's own spellings


def shouting(text: str) -> bool:
    """Written in capitals: most of its words (of two letters or more) are upper case, and there are several."""
    words = [w for w in _WORD.findall(text) if len(w) >= 2]
    if len(words) < MIN_SHOUTED_WORDS:
        return False
    return bool(sum(w.isupper() for w in words) >= SHOUTED_SHARE * len(words))


def site_spellings(texts: Iterable[str], names: Iterable[str] = ()) -> dict[str, str]:
    """Words the site writes with capitals in text that is neither shouting nor Title Case, by their lower
    case: a capital past a sentence's first word (a name, a place) or an acronym; and every word of
    `names` (the brand's) as they are spelled there."""
    found: dict[str, str] = {w.lower(): w for name in names for w in _WORD.findall(name) if not shouting(name)}
    for text in islice(texts, MAX_TEXTS):
        if shouting(text):
            continue
        for sentence in _PARTS.split(text):
            words = _WORD.findall(sentence)
            if not any(len(w) >= 4 and w.islower() for w in words):
                continue  # Title Case ("Seasonal Flowers In Bath") says nothing about which words are names
            for i, word in enumerate(words):
                if (i > 0 and word[:1].isupper()) or (len(word) >= 2 and word.isupper()):
                    found.setdefault(word.lower(), word)
    return found


def calm(text: str, spellings: dict[str, str]) -> str:
    """`text` in sentence case when it is shouting, with the site's own spellings kept; else `text`."""
    if not shouting(text):
        return text
    lowered = _WORD.sub(lambda m: spellings.get(m.group().lower(), m.group().lower()), text)
    lowered = re.sub(r"(\d)(AM|PM)\b", lambda m: m.group(1) + m.group(2).lower(), lowered)
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), lowered)
