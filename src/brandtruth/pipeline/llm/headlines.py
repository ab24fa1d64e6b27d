"""Headline forms of a line of the site's own: whole, its first clause when that stands alone, a count.

A shortened form is only offered when it says no more than the whole line ("We are licensed" is not
offered for "We are licensed, bonded and insured"; "More than 14 people" never for "no more than 14").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lint_brand import sentences
from .filters import VERB as _VERB
from .wording import bare, upper_first

# A first clause stands alone as a headline unless what follows finishes it: the rest of a list
# ("We are licensed, bonded and insured") or a qualification ("…, not subcontractors").
_FINISHES = re.compile(
    r"^(?:[\w'’-]+(?: [\w'’-]+)?(?:,| and | or | et | ou | und | oder | y | o )|"
    r"(?:not|but|except|excluding|only|unless|if|pas|sauf|nicht|außer|no|salvo)\b)",
    re.I,
)
_SUBORDINATE = re.compile(
    r"(when|if|because|while|as|although|since|whether|quand|lorsque|si|wenn|als|weil|cuando|"
    r"porque|aunque)\b",
    re.I,
)
_PREPOSITION = re.compile(
    r"(since|for|in|at|on|with|from|after|before|over|depuis|pour|dans|avec|après|seit|für|mit|im|"
    r"nach|vor|desde|para|con|en|tras)\b",
    re.I,
)
# A clause ending in an adjective ("plastic-free", "compostable", "hand-made", "natural") leaves its noun to the rest.
_LIST_END = re.compile(r"\b(and|or|et|ou|und|oder|y|o|e|ed)\b", re.I)
# Dutch joins a list's last item with "en", which is "in" in French and Spanish ("tostado en Valencia").
_LIST_END_BY_LANGUAGE = {"nl": re.compile(r"\b(en|of)\b", re.I)}
_MODIFIER_END = re.compile(r"(-\w+|\w+(able|ible|ful|ous|ive|al|ic|less|proof|free))$", re.I)
_COUNT_LEAD = re.compile(r"[A-Z]?\w+ed|(?:used|trusted|loved|chosen|rated) by|served|over|more than", re.I)
_COUNT = re.compile(
    r"(?:\b(?:more than|over|nearly|almost|plus de|über|mehr als|más de)\s+)?(?<![\d.,] )(?<![\w.,])\d[\d,.]*\+?"
    r"(?:\s(?:million|thousand|billion))?(?:\s(?!across|to|from|in|of|on|serves?|for)[\w-]+)?\s(?:customers|clients|families|homes|projects|reviews|members|volunteers|meals|people|"
    r"users|teams|developers|students|patients|years|countries|clientes|kunden|avis|projets|familles|jahre|años|ans)\b",
    re.I,
)


# The rest of an offer that is its condition ("— for new customers who book online", "— expires 12/31", "— Wake County
# only"): it stays with the offer. "only" counts at the end, not inside a second statement ("tracked only with ...").
_CONDITION = re.compile(
    r"\b(valid|expires?|ends?|until|code|new (customers|clients|patients)|limit|exclud\w*|minimum|min\.|first|not valid|"
    r"with any|combined)\b|\bonly\W*$",
    re.I,
)


def headline_forms(text: str, whole_only: bool = False, language: str = "") -> list[str]:
    """The line whole; its first clause when that stands alone; for a count, the count ("Over 1,200 reviews")."""
    return list(_headline_forms(text, whole_only, language))


# A run's writer asks for the same site sentences' forms thousands of times (each candidate headline
# against each supporting sentence); the forms depend on the text alone.
@lru_cache(maxsize=4096)
def _headline_forms(text: str, whole_only: bool, language: str) -> tuple[str, ...]:
    whole = upper_first(bare(text))
    # "Track your hours. Send the invoice.": a full stop inside keeps the last one ("Hail damage? Free
    # inspection" reads as written).
    if any(x.rstrip('”"»’').endswith((".", "!")) for x in sentences(whole)[:-1]) and whole[-1:] not in "!?…":
        whole += "."
    forms = [whole]
    if whole_only:
        # An offer keeps its terms ("Free delivery on orders over £40"), not a second statement after a spaced dash
        # ("— order by 2pm for same-day dispatch").
        first, dash, rest = whole.partition(" — ")
        if dash and len(first.split()) >= 3 and not _CONDITION.search(rest):
            forms.append(first.strip())
        return tuple(forms)
    parts = re.split(r"[,;:](?=\s)|\s+[—–-]\s+", whole, maxsplit=1)
    if len(parts) == 2:
        clause, rest = parts[0].strip(), parts[1].strip()
        if (
            len(clause.split()) >= 3
            and not _FINISHES.match(rest)
            # "in plastic-free, compostable packaging": after a modifier, a short rest with no verb is the
            # noun the clause still needs ("Le bon pain du quartier, cuit chaque matin" stands).
            and not (_MODIFIER_END.search(clause) and len(rest.split()) <= 3 and not _VERB.search(rest))
            and not _SUBORDINATE.match(clause)
            and not (_PREPOSITION.match(clause) and not _VERB.search(clause))  # "Depuis plus de 20 ans"
            # "supports Python 3.9+, Go 1.21+ and Node.js 18+": the comma is the list's, its first item no line
            and not (_lists(rest, language) and "," not in rest and not _VERB.search(rest) and len(rest.split()) <= 6)
            and not re.search(r"\b(and|or|the|a|of|to|with|et|und|y|de|der|die|das|le|la|el)$", clause, re.I)
        ):
            forms.append(clause)
    count = _COUNT.search(whole)
    lead_in = whole[: count.start()].strip() if count else ""
    # A count stands alone only when nothing before it changes what it counts ("no more than 14 people").
    if count and len(count.group(0).split()) >= 3 and (not lead_in or _COUNT_LEAD.fullmatch(lead_in)):
        forms.append(upper_first(count.group(0)))
    return tuple(forms)


def _lists(rest: str, language: str) -> bool:
    """Whether the rest of a line ends a list ("Sparta and Batavus", "Sparta en Batavus" in Dutch)."""
    own = _LIST_END_BY_LANGUAGE.get(language)
    return bool(_LIST_END.search(rest) or (own is not None and own.search(rest)))
