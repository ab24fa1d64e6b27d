"""Which pieces of site text can stand in an ad: not headings, buttons, nav, legal text, FAQ or fragments.

Used by the offline writer's material (`material.py`); the copy lint (`pipeline/lint.py`) checks the
finished copy, this keeps the wrong text from being picked in the first place.
"""

from __future__ import annotations

import re

from ..extract.lexicon import ASKING, INTERNAL, LEAD_IN
from ..models import BrandProfile
from .phrases import has_ui_phrase, is_ui_button
from .wording import bare, clean

_BOILER = re.compile(
    r"\b(cookies?|gdpr|privacy|datenschutz|confidentialit|rgpd|terms (of|and)|all rights reserved|©|"
    r"your (information|data) will|unsubscribe|newsletter|required field|champs? obligatoires?|"
    r"mwst|zzgl|inkl|ttc|tva|iva incl\w*|plus tax|excl\. vat|incl\. vat|vat)\b",
    re.I,
)
_SECTION = re.compile(
    r"^(about( us)?|our (services|story|team|work|menu|products)|what (our|people) .* say|why (choose|\w+ choose)|"
    r"why .* choose|testimonials?|contact( us)?|faq|pricing|services|features|how it works|get in touch|"
    r"à propos|nos \w+|qui sommes|über uns|unsere \w+|sobre nosotros|nuestros? \w+)\b",
    re.I,
)
_ANAPHORA = re.compile(
    r"^(since then|that's why|this is why|because of this|that|this|these|those|it|they|also|and|but|"
    r"so|then|which|please|click|call|email|fill|see|read|based on|basé sur|basierend auf|basado en|"
    r"cela|ceci|dies|das|esto|eso|"
    r"or|ou|oder|valid|billed|per|plus|excl\w*|incl\w*|up to \d[\d,.]* (?:users|seats|projects|members))\b",
    re.I,
)
_DANGLING_END = re.compile(r"\b(we|and|or|the|a|an|to|of|with|our|your|for|in|on|by|that|is|are|including|such as|dont)$", re.I)
# "... before the coffee is", "... faster than it is": a clause that ends on its verb, not a cut-off line.
_CLAUSE_ENDS_ON_VERB = re.compile(r"\b(before|after|than|as|until|where|when|who|what|how)\s+(\w+\s+){0,3}(is|are)$", re.I)
VERB = re.compile(
    r"\b(is|are|was|were|has|have|had|can|will|get|gets|make|makes|helps?|lets?|keeps?|"
    r"est|sont|a|ont|ist|sind|hat|haben|es|son|tiene|tienen)\b",
    re.I,
)


def leans_back(text: str, name: str = "") -> bool:
    """A sentence that leans on the one before it ("It changed everything.", "That's why ...", "And ..."), or
    half a contrast the next one completes: "Ardent didn't just tell us what to fix." (what else did it do?),
    "Most consultants hand you a deck." (a premise about others, said so that "We stay on the floor" follows)."""
    t = bare(text)
    ours = _OURS.search(t) is not None or (bool(name) and name.lower() in t.lower())
    if _ANAPHORA.match(t) is not None or (_ABOUT_OTHERS.match(t) is not None and not ours):
        return True
    half = _NOT_JUST.search(t)
    return half is not None and not _SECOND_HALF.search(t[half.end() :])


# "didn't just", "not only", "ne ... pas seulement", "nicht nur", "no solo": the first half of a contrast.
_NOT_JUST = re.compile(
    r"\b(?:(?:didn't|did not|don't|do not|doesn't|does not|isn't|is not|aren't|wasn't|won't|not) (?:just|only|merely|simply)|"
    r"pas (?:seulement|que|juste)|nicht nur|no (?:solo|sólo|solamente))\b",
    re.I,
)
# What completes it in the same sentence: "…, we build brands", "not only fast but also secure".
_SECOND_HALF = re.compile(r"[,;:—–]|\b(?:but|also|mais|aussi|sondern|auch|sino|también|pero)\b", re.I)
# What others do, said to set up what the brand does: "Most consultants hand you a deck."
_ABOUT_OTHERS = re.compile(
    r"^(?:most|many|other|too many|traditional|typical|la plupart des|viele|die meisten|muchos|la mayoría de)\s+(?:\w+\s+){0,2}?"
    r"(?:consultants?|consultancies|agenc(?:y|ies)|compan(?:y|ies)|firms?|providers?|brands?|gyms?|shops?|stores?|banks?|"
    r"dentists?|contractors?|plumbers?|roofers?|vendors?|tools?|platforms?|apps?|software|competitors?|others|businesses|"
    r"cabinets?|agences?|entreprises?|anbieter|firmen|agenturen|empresas|agencias)\b",
    re.I,
)
_OURS = re.compile(r"\b(?:we|our|us|nous|notre|nos|wir|unser\w*|nosotros|nuestr[oa]s?)\b", re.I)


def is_sentence(text: str) -> bool:
    """A complete statement (has a verb, or ends with a stop), not a bare noun phrase."""
    t = clean(text)
    return bool(VERB.search(t)) or len(t.split()) >= 6  # "Anfahrt außerhalb von 30 km." is a note, not a sentence


_EYEBROW = re.compile(
    r"^(?:new|neu|nouveau|nouveauté|nuevo|novità|nieuw|novo|introducing|announcing|just launched)(?:\s*[:!—–]|\s+-\s)", re.I
)
_RUN_TOGETHER = re.compile(
    r"\s[|•·]\s|[a-z][$€£]\d|\d[A-Z][a-z]|[a-z]\.[A-Z]|[$€£]\d[\d.,]*\s(?!(?:Million|Billion|Thousand)\b)[A-Z]|[$€£%][A-ZÀ-Þ]"
)


def usable(text: str, brand: BrandProfile, headings: set[str], whole: bool = False) -> bool:
    """Whether a piece of site text can stand in an ad: not a heading, button, nav item, legal text or fragment.
    `whole`: the text is known complete (a customer's quote: "Crust worth crossing town for.")."""
    t = bare(text)
    words = t.split()
    # A quote that ends on its stop is whole ("Crust worth crossing town for."); one cut off by a widget ("...") is not.
    complete = whole and re.search(r"[^.][.!?][”\"’»]?\s*$", text.strip()) is not None
    dangling = not complete and _DANGLING_END.search(t) and not _CLAUSE_ENDS_ON_VERB.search(t)
    if len(words) < 2 or len(t) > 240 or dangling or LEAD_IN.search(t) or t.startswith(("—", "-", "–", "|")):
        return False
    if (
        t.lower() in headings
        or _SECTION.match(t)
        or _BOILER.search(t)
        or INTERNAL.search(t)
        or is_ui_button(t)
        or has_ui_phrase(t)
    ):
        return False
    if _EYEBROW.match(t):
        return False  # a hero's announcement ("New: AI reply suggestions"), no promise of the brand's
    if _RUN_TOGETHER.search(t):
        return False  # separator strips, glued tokens, a card's price run into its next line (not "$250 Million")
    if ASKING.match(t) and t.endswith("?"):
        return False  # an FAQ question ("Does Sproutly run on Windows?") is the page's, not the ad's
    if re.match(r"O\s", t) and (brand.language or "").split("-")[0] in ("es", "it") and not whole:
        return False  # "O si lo prefieres, ...": Spanish and Italian "or", leaning on the sentence before (Portuguese "the")
    if (leans_back(t, brand.name) and not whole) or _run_in_title(words):
        return False  # leans on a sentence before it; a card title run into its text ("Financing 0% financing")
    return t.lower() not in {c.lower().strip() for c in brand.ctas}


def _run_in_title(words: list[str]) -> bool:
    """A card's title glued to its text, which says the word again ("Financing 0% financing"); not a list of
    parallel claims, which repeats it after a comma ("No contracts, no sign-up fees", "Free shipping, free returns")."""
    first = words[0].lower()
    for i, word in enumerate(words[1:4], start=1):
        if word.lower() == first:
            return not any(w.endswith((",", ";")) for w in words[:i])
    return False
