"""How alike two pieces of copy are, so variants stay distinct.

The measure is the larger of word-set Jaccard (same words, any order) and a character sequence
ratio (same phrasing, small edits), on lower-cased text without punctuation or filler words.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

HEADLINE_THRESHOLD = 0.6
BODY_THRESHOLD = 0.8

_FILLER = {"a", "an", "the", "and", "or", "of", "to", "for", "with", "your", "you", "our", "is", "are", "in", "on"}


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9%$€£]+", text.lower()) if w not in _FILLER]


@lru_cache(maxsize=8192)  # a run's attempts and revisions compare the same copy again and again
def similarity(a: str, b: str) -> float:
    """0 (nothing shared) .. 1 (same words or same phrasing)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 1.0 if " ".join(wa) == " ".join(wb) else 0.0
    sa, sb = set(wa), set(wb)
    jaccard = len(sa & sb) / len(sa | sb)
    ja, jb = " ".join(wa), " ".join(wb)
    # SequenceMatcher is not symmetric; the larger of both orders keeps "a like b" the same as "b like a".
    ratio = max(SequenceMatcher(None, ja, jb).ratio(), SequenceMatcher(None, jb, ja).ratio())
    return max(jaccard, ratio)


def headline_similarity(a: str, b: str, name: str = "") -> float:
    """similarity() of two headlines without the brand's `name`, which is said everywhere: "Petal & Stem,
    since 2016" says something else than a quote ad headed "Petal & Stem"."""
    if name:
        said = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I)
        a_rest, b_rest = said.sub(" ", a), said.sub(" ", b)
        # One headline is the name alone: the other says little more ("Petal & Stem in Austin") or something
        # of its own ("Petal & Stem, since 2016": two words of its own).
        if not _words(a_rest) or not _words(b_rest):
            return similarity(a, b) if len(_words(a_rest) + _words(b_rest)) < 2 else 0.0
        a, b = a_rest, b_rest
    return similarity(a, b)


def too_similar(headline: str, body: str, others: list[tuple[str, str, str]], name: str = "") -> str | None:
    """The id of an earlier variant this one is too close to, or None. `others` is (id, headline, body);
    headlines are compared without the brand's `name` (headline_similarity)."""
    for other_id, other_headline, other_body in others:
        if headline.strip().lower() == other_headline.strip().lower():
            return other_id
        if headline_similarity(headline, other_headline, name) >= HEADLINE_THRESHOLD:
            return other_id
        if similarity(body, other_body) >= BODY_THRESHOLD:
            return other_id
        if similarity(headline, other_body) >= BODY_THRESHOLD and similarity(body, other_headline) >= BODY_THRESHOLD:
            return other_id  # the same two lines, swapped: "Licensed & Insured | 4.9★ …" after "4.9★ … | Licensed & Insured"
    return None
