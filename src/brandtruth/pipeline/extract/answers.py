"""FAQ answers read without their question: "Yes, on jobs over $1,000 ..." means nothing on its own.

An answer that opens with an answer word (Yes/No/Oui/Non/Ja/Nein/Sí) depends on its question. It
is a fact only when what follows the answer word is a complete sentence of its own ("No. Evening
visits until 7pm cost the same as daytime visits."); the fact's text then drops the answer word
while its evidence stays the page's verbatim sentence. A fragment ("Yes, on jobs over $1,000 through
our lending partner.", "Yes, we do.") is kept out of facts and so out of copy material.
"""

from __future__ import annotations

import re

# The answer word, then the punctuation that makes it one ("No hidden fees" is not an answer).
_ANSWER = re.compile(r"^(yes|no|yep|nope|oui|non|ja|nein|sí|si)\s*([.!,;:—–-]+)(?!\s*\d)\s*", re.I)  # "No. 1" is a rank
# Words a clause starts with when it has its own subject (after "Yes," / "Non," / "Ja,").
_SUBJECT = set(
    "we you they it he she i there this that these those our your their its all every each the a an "
    "nous vous ils elles il elle c’est c'est notre nos votre vos leur leurs le la les un une tous toutes chaque "
    "wir sie es er ihr unser unsere ihre der die das ein eine alle jede jeder jedes "
    "nosotros nosotras usted ustedes ellos ellas él ella nuestro nuestra nuestros nuestras su sus el los las "
    "una todos todas cada".split()
)
# A finite verb the clause must carry (a subject and a verb make the sentence).
_VERB = re.compile(
    r"\b(is|are|was|were|be|has|have|had|do|does|did|can|could|will|would|may|might|must|should|shall|"
    r"costs?|comes?|includes?|gets?|offers?|takes?|works?|runs?|stays?|opens?|closes?|arrives?|provides?|"
    r"accepts?|covers?|charges?|delivers?|ships?|bakes?|needs?|means?|apply|applies|"
    r"est|sont|ont|peut|peuvent|coûte\w*|livr\w+|acceptons|proposons|faisons|sommes|avons|"
    r"ist|sind|hat|haben|kann|können|kostet|kosten|wird|werden|liefern|bieten|nehmen|"
    r"es|son|está|están|tiene|tienen|puede|pueden|cuesta\w*|ofrecemos|aceptamos|enviamos|somos|tenemos)\b"
    r"|\w+(ed|ons|ez|en|amos|emos|imos)\b",
    re.I,
)
_AUX_END = re.compile(r"\b(do|does|did|can|will|are|is|have|has|would|could|should|too|so)\s*[.!]?$", re.I)


def unanswered(sentence: str) -> str | None:
    """The sentence as a fact's text without a leading answer word, or None when it needs its question.

    A sentence that is no answer comes back unchanged.
    """
    m = _ANSWER.match(sentence)
    if not m:
        return sentence
    rest = sentence[m.end() :].strip()
    words = rest.split()
    if len(words) < 4 or _AUX_END.search(rest):
        return None  # "Yes, we do.", "No, it is not.": an echo of the question
    new_sentence = any(c in m.group(2) for c in ".!") and rest[:1].isupper()
    if not new_sentence:
        first = words[0].lower().strip(",")
        if first not in _SUBJECT or not _VERB.search(" ".join(words[1:])):
            return None  # "on jobs over $1,000 through our lending partner": a fragment of the answer
    return rest[:1].upper() + rest[1:]
