"""Claims a site contradicts across its pages: founding years ("Opened in 1995" / "Est. 1998"),
counts of the same thing ("3 dentists" / "4 dentists"), prices of the same product.

Each side of a contradiction is a disputed fact: kept in the profile for the reviewer, never used
as copy material or as support in the truth check. The run gets one warning per contradiction,
naming both claims and their pages. A claim that was not a fact yet (a badge like "Est. 1998" is
too short to be one) is added as a disputed fact, so the reviewer sees both sides.

Counts compare as ranges: "more than 4,000 patients" and "4,500 patients" agree; "4,000 patients"
and "3,000 patients" do not. Counts tied to a period ("this year", "per month") are not compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from ..models import Fact
from .facts import split_sentences
from .page import ParsedPage
from .pieces import DONATION

_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
FOUNDED = re.compile(
    r"\b(?:founded|established|est\.?|opened|started|family[- ]owned since|in business since|serving\b.{0,40}?\bsince|"
    r"fond[ée]e?s?|ouvert|depuis|gegründet|seit|eröffnet|fundad[oa]s?|abiert[oa]|desde)\s+(?:our doors\s+)?"
    rf"(?:in\s+|en\s+|im jahr\s+|el año\s+)?{_YEAR}\b",
    re.IGNORECASE,
)
# Things a business has a fixed number of at any one time; counts of people served or work done
# vary by period and are left alone.
COUNTED = (
    r"dentists|hygienists|doctors|physicians|vets|veterinarians|nurses|therapists|technicians|engineers|employees|"
    r"staff|stylists|chefs|bakers|booksellers|instructors|coaches|trucks|vans|locations|branches|offices|stores|shops|"
    r"clinics|studios|warehouses|patients|customers|clients|members|families|volunteers|beds|rooms|acres"
)
# At most four thousands groups: unbounded, a run of 3-digit numbers ("100 101 102 ...", a page of
# 60,000 links) read as one number, then backtracked at every start: quadratic, ~1 s a block.
_NUMBER = r"\d{1,3}(?:[,.\u202f\u00a0 ]\d{3}){1,4}|\d+"
COUNT = re.compile(
    rf"(?P<bound>more than|over|at least|nearly|almost|up to|under|fewer than|less than)?\s*(?P<num>{_NUMBER})"
    rf"(?P<plus>\+)?\s+(?:[a-z-]+\s+)?(?P<noun>{COUNTED})\b",
    re.IGNORECASE,
)
_PERIODS = r"(day|week|month|year|season|quarter|summer|winter)"
PERIOD = re.compile(
    rf"\b(this|last|next|per|each|every)\s+{_PERIODS}\b|\b(daily|weekly|monthly|yearly|annually|today|"
    r"so far)\b",
    re.IGNORECASE,
)
PER_PERIOD = re.compile(rf"^\W*(\w+\W+)?(a|an)\s+{_PERIODS}\b", re.IGNORECASE)  # "200 families a month"


MAX_CLAIMS_PER_SLOT = 40
MAX_SENTENCES = 200  # read per block for claims
MAX_CLAIMS = 20  # founding years per block, counts per sentence


@dataclass(frozen=True)
class Claim:
    slot: str  # what is claimed: "founding year", "number of dentists", "price of Teeth Whitening"
    low: float
    high: float
    said: str  # the claim as written: "Opened in 1995"
    sentence: str  # the verbatim sentence it is in
    url: str
    kind: str

    def agrees(self, other: Claim) -> bool:
        return self.low <= other.high and other.low <= self.high


def _count_range(bound: str, number: float, plus: bool) -> tuple[float, float]:
    bound = bound.lower()
    if plus or bound in ("more than", "over", "at least"):
        return number, float("inf")
    if bound in ("up to", "under", "fewer than", "less than"):
        return 0.0, number
    if bound in ("nearly", "almost"):
        return number * 0.8, number
    return number, number


_AMOUNT = re.compile(r"\d[\d,.\u202f\u00a0 ]*\d|\d")
_CURRENCY = re.compile(r"[$€£¥]|\b(USD|EUR|GBP|CHF|CAD|AUD)\b|\b(dollars?|euros?|pounds?)\b", re.IGNORECASE)
_PER = re.compile(
    r"(?:/|\bper\s|\ba\s|\bpar\s|\bpro\s|\bal\s)\s?(mo|month|yr|year|hr|hour|h|week|day|night|visit|person|"
    r"user|seat|kg|lb|mois|an|heure|Monat|Jahr|Stunde|mes|año|hora)\b",
    re.IGNORECASE,
)
_FROM = re.compile(r"\b(from|starting at|starts at|à partir de|ab|desde)\b", re.IGNORECASE)


def _amount(text: str) -> float | None:
    """'1,299' -> 1299; '12,50' -> 12.5; '1.299,00' -> 1299.0 (a final 1-2 digit group is the decimals)."""
    decimals = re.fullmatch(r"(.*?)[.,](\d{1,2})", text)
    whole, cents = (decimals.group(1), decimals.group(2)) if decimals else (text, "0")
    digits = re.sub(r"\D", "", whole) or "0"
    return float(f"{digits}.{cents}") if len(digits) <= 12 else None


def _price_claim(fact: Fact) -> Claim | None:
    """A price fact's range, in its currency and per its unit: "$129–$249" -> 129..249; "from $99" -> 99..inf.
    None for a gift: "$25 vaccinates one puppy" and "$75 spays a cat" are two tiers a donor picks from."""
    if fact.subject == DONATION:
        return None
    amounts = [a for a in (_amount(m) for m in _AMOUNT.findall(fact.value)) if a is not None]
    if not amounts:
        return None
    low, high = min(amounts), max(amounts)
    if len(amounts) == 1 and _FROM.search(fact.evidence.split(fact.value)[0][-20:] if fact.value in fact.evidence else ""):
        high = float("inf")
    currency = _CURRENCY.search(fact.value)
    tail = fact.evidence.split(fact.value, 1)[1][:20] if fact.value in fact.evidence else ""
    per = _PER.search(fact.value) or _PER.search(tail)
    unit = f"{currency.group(0).lower() if currency else ''} {'per ' + per.group(1).lower() if per else ''}".strip()
    return Claim(f"price of {fact.subject} ({unit})" if unit else f"price of {fact.subject}", low, high,
                 f"{fact.subject}: {fact.value}", fact.evidence, fact.source_url, "price")  # fmt: skip


def claims_in(text: str, url: str) -> list[Claim]:
    """The founding years and counts one block of text states; each claim keeps its verbatim sentence."""
    found: list[Claim] = []
    # Bounded: a hostile block of 20,000 "Founded in 1998." looked every year up in every sentence (4,000: 2.3 s;
    # quadratic). A real block states a handful.
    sentences = list(islice(split_sentences(text), MAX_SENTENCES))
    for m in islice(FOUNDED.finditer(text), MAX_CLAIMS):  # in the whole block: "Est. 1998" is two "sentences"
        year = float(m.group("year"))
        sentence = min((s for s in sentences if m.group(0) in s), key=len, default=text)
        found.append(Claim("founding year", year, year, m.group(0), sentence, url, "founded"))
    for sentence in sentences:
        if PERIOD.search(sentence):
            continue
        for m in islice(COUNT.finditer(sentence), MAX_CLAIMS):
            if PER_PERIOD.match(sentence[m.end() :]):
                continue
            number = float(re.sub(r"\D", "", m.group("num")))
            low, high = _count_range(m.group("bound") or "", number, bool(m.group("plus")))
            noun = m.group("noun").lower()
            found.append(Claim(f"number of {noun}", low, high, m.group(0).strip(), sentence, url, "customers"))
    return found


def _page_claims(pages: list[ParsedPage]) -> list[Claim]:
    claims: list[Claim] = []
    for page in pages:
        for block in page.blocks:
            if not block.quoted:  # a customer's words are theirs, not the business's claims
                claims += claims_in(block.text, page.url)
    return claims


def _fact_claims(facts: list[Fact]) -> list[Claim]:
    """Prices of named products, from price facts that carry their product (subject) and price (value)."""
    priced = (_price_claim(f) for f in facts if f.kind == "price" and f.subject and f.value)
    return [claim for claim in priced if claim is not None]


def _slot_key(slot: str) -> str:
    return re.sub(r"\W+", " ", slot.casefold()).strip()


def find_contradictions(pages: list[ParsedPage], facts: list[Fact]) -> tuple[list[Fact], list[str]]:
    """`facts` with both sides of every contradiction disputed (added when not yet facts), and one
    warning per contradiction."""
    by_slot: dict[str, list[Claim]] = {}
    for claim in _page_claims(pages) + _fact_claims(facts):
        same = by_slot.setdefault(_slot_key(claim.slot), [])
        if len(same) < MAX_CLAIMS_PER_SLOT:  # compared pairwise: bounded, whatever the site repeats
            same.append(claim)
    disputed: list[Claim] = []
    warnings: list[str] = []
    for claims in by_slot.values():
        # The first claim and the first one it disagrees with name the contradiction; all that
        # disagree with anything else are disputed.
        clashes = [(a, b) for i, a in enumerate(claims) for b in claims[i + 1 :] if not a.agrees(b)]
        if not clashes:
            continue
        a, b = clashes[0]
        warnings.append(
            f'contradiction on the site: "{a.said}" ({a.url}) vs "{b.said}" ({b.url}): the {a.slot} differs; '
            "neither is used in copy until a person checks the site"
        )
        disputed += [c for pair in clashes for c in pair]
    if not disputed:
        return facts, []
    out = [f.model_copy() for f in facts]
    for claim in dict.fromkeys(disputed):
        matching = [f for f in out if claim.sentence in f.evidence or f.evidence in claim.sentence]
        for fact in matching:
            fact.disputed = True
        if not matching:
            out.append(
                Fact(
                    id=f"f{len(out) + 1}",
                    text=claim.sentence.rstrip("."),
                    evidence=claim.sentence,
                    source_url=claim.url,
                    kind=claim.kind,
                    value=claim.said,
                    disputed=True,
                )
            )
    return _unique_ids(out), warnings


def _unique_ids(facts: list[Fact]) -> list[Fact]:
    taken: set[str] = set()
    for i, fact in enumerate(facts, 1):
        if fact.id in taken:
            fact.id = f"f{i}d"
        taken.add(fact.id)
    return facts
