"""Grade level of ad copy: the mean of the Automated Readability Index and the Coleman-Liau index.

Both count letters, words and sentences, never syllables (a syllable counter needs a dictionary).
The counting is textstat 0.7's, rule for rule, so scores did not move when textstat (which loads
nltk, 1.6 s of cold import, for these two formulas) was dropped: `tests/pipeline/test_score.py`
pins textstat's values for a few texts.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s")
_PUNCTUATION = re.compile(r"[^\w\s]")
_PUNCTUATION_BUT_APOSTROPHE = re.compile(r"[^\w\s']")
_NON_CONTRACTION_APOSTROPHE = re.compile(r"'(?![tsd]|ve|ll|re)")  # "it's" keeps its apostrophe, "'quoted'" loses it
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def word_count(text: str) -> int:
    """Words once punctuation is gone ('—' alone is none; "don't" and 'well-known' are one each)."""
    return len(_PUNCTUATION_BUT_APOSTROPHE.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", text)).split())


def _sentence_count(text: str) -> int:
    # A run of one or two words between stops ('Free.', 'Save 20%!') is no sentence of its own.
    if not text:
        return 0
    runs = _SENTENCE.findall(text)
    return max(1, sum(1 for run in runs if word_count(run) > 2))


def grade_level(text: str) -> float:
    """School grade needed to read `text`, at least 0; 0 for text without words."""
    words = word_count(text)
    sentences = _sentence_count(text)
    if not words or not sentences:
        return 0.0
    chars = len(_SPACE.sub("", text))  # punctuation counts here, as ARI was defined
    tokens = len(text.split())  # ... so a lone '—' counts as a word here, too
    letters = len(_PUNCTUATION.sub("", _SPACE.sub("", text)))
    ari = 4.71 * (chars / tokens) + 0.5 * (words / sentences) - 21.43
    coleman_liau = 0.058 * (letters / words * 100) - 0.296 * (sentences / words * 100) - 15.8
    if not letters:
        coleman_liau = 0.0
    return max(0.0, (ari + coleman_liau) / 2)
