"""Text helpers for the offline writer: tidy site text, make sentences, keep the site's casing.

Casing is the site's: a word is only lower-cased when it starts a list item or a Title-Case label
and the site never writes it capitalised mid-sentence (so "Huila, Colombia" and "Google" stay,
"Projects Completed" becomes "projects completed"). German nouns are never lower-cased.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..extract.casing import site_spellings
from ..extract.lexicon import KNOWN_NAMES
from ..lint_brand import sentences

_WORD = re.compile(r"[^\W\d_][\w'’-]*")


_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_]|[.!?)])[*†‡]+$")  # "without insurance.*", not a "5*" rating


def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return _FOOTNOTE_MARK.sub("", text.strip('"“”«»„ ')).strip()


def bare(text: str) -> str:
    """A snippet without its closing full stop, for headlines and lists."""
    return clean(text).rstrip(" .;:,")


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def sentence(text: str) -> str:
    text = clean(text).rstrip(" ,;:—–-")
    if not text:
        return ""
    text = upper_first(text)
    return text if text[-1] in ".!?…" else text + "."


def first_sentence(text: str) -> str:
    """The first sentence, read past a title or company suffix ("Dr. Hale talked me through ...")."""
    return (sentences(clean(text)) or [""])[0]


def proper_words(texts: Iterable[str]) -> set[str]:
    """Words the site writes capitalised in the middle of a sentence (names, places, products) or as
    acronyms, as it spells them (extract/casing.py reads them)."""
    return set(site_spellings(texts).values())


class Casing:
    """Lower-cases the first letter of list items and Title-Case labels, never a name."""

    def __init__(self, proper: set[str], language: str, keep: Iterable[str] = ()):
        self.proper = proper | {w for k in keep for w in _WORD.findall(k)}
        self.language = language

    def lower_word(self, word: str) -> str:
        core = word.strip(".,;:!?()\"'“”«»")
        if (
            self.language == "de"
            or core in self.proper
            or core.lower() in KNOWN_NAMES  # "Google rating": a name, wherever the site writes it
            or core.isupper()
            or any(c.isupper() for c in core[1:])
        ):
            return word
        return word[:1].lower() + word[1:]

    def item(self, text: str) -> str:
        """A phrase placed mid-sentence ("… and drain cleaning")."""
        text = bare(text)
        words = text.split(" ")
        if len(words) >= 2 and all(w[:1].isupper() for w in words if _WORD.fullmatch(w) and len(w) > 3):
            return " ".join(self.lower_word(w) for w in words)  # a Title-Case label
        return " ".join([self.lower_word(words[0]), *words[1:]])
