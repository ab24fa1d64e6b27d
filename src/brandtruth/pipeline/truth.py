"""The truth check: every checkable statement in ad copy must be stated by the site.

Deterministic and offline. It finds numbers, percentages, prices, counts, certifications,
guarantees, awards, press mentions, offers and superlatives in a variant's headline, body and
description, and looks for each in the *evidence* (verbatim site sentences) of the facts the
variant cites. A statement found only in a fact the variant did not cite is still supported, and
the report links it to that fact: the site says it, the citation was merely missing.
Soft wording with nothing checkable in it ("plans for every team") is not the checker's business.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from text_to_num import alpha2digit

from .models import Claim, CopyVariant, Fact, SupportedClaim, TruthReport, card_title

# Numbers as sites write them: "1,200.50", "1.200" and "1.490,50" (de/es), "1 000" (fr, also with
# no-break or narrow spaces), "12,50" (a decimal comma), "4.9". Every repetition is bounded: a hostile page's
# "1,1,1,…" or 20,000 digits backtracked quadratically (8-13 s for 20 KB).
_NUM = re.compile(
    r"(?<![\w.,/])(?P<cur>[$€£¥])?\s?(?P<num>\d{1,3}(?:,\d{3}){1,5}(?:\.\d+)?|\d{1,3}(?:\.\d{3}){1,5}(?:,\d+)?"
    r"|\d{1,3}(?:[\u00a0\u202f ]\d{3}){1,5}(?:,\d+)?(?!\d)|\d+,\d{1,2}(?!\d)|\d{1,24}(?:\.\d{1,24})?)(?![\d,]{0,24}\d)"
)
_TAIL = re.compile(
    r"(?P<scale>\s?(?:k|K|m|M|bn|B)\b|\s(?i:thousand|million|billion)\b)?(?P<plus>\+)?"
    r"(?P<pct>\s?%|\s?per\s?cent\b)?(?P<code>\s?(?:USD|EUR|GBP|CAD|AUD)\b|\s?[€£$](?!\w))?(?P<x>x\b)?"
)
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "b": 1e9, "billion": 1e9}
_CODES = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "$", "AUD": "$", "€": "€", "£": "£", "$": "$"}

# Words that say what a number counts. Same group = compatible ("10,000 users" ~ "10,000 customers").
_UNIT_GROUPS = {
    "second": "s sec second",
    "minute": "min minute minuto minuten",
    "hour": "h hr hour heure stunde hora",
    "day": "d day jour tag día",
    "week": "wk week semaine woche semana",
    "month": "mo month mois monat monaten mes",
    "year": "yr year an ans année jahr jahre jahren año años",
    "star": "star",
    "people": "customer client user member subscriber people person buyer shopper patient student guest "
    "reader fan parent family household homeowner freelancer creator developer marketer professional "
    "owner traveler traveller diner worker employee learner player rider driver seller client kunde kunden "
    "cliente famille familie familien familia",
    "org": "team company business organization organisation brand agency retailer restaurant school "
    "startup enterprise hospital clinic nonprofit partner merchant",
    "review": "review reviewer rating testimonial",
    "place": "country city state location market store office",
    "install": "download install",
    "product": "product item recipe template integration flavor flavour style app",
    "order": "order delivery shipment meal",
    "thing": "invoice transaction message email file project ticket booking "
    "span request trace page post video photo class lesson course",
    "weight": "kg lb oz g gram pound ounce",
    "distance": "km mile",
}
_UNIT = {w: group for group, words in _UNIT_GROUPS.items() for w in words.split()}
_COUNT_WORDS = {"hundreds": 100, "thousands": 1_000, "millions": 1_000_000, "billions": 1_000_000_000}
# Left as written: vague plurals, and digits with a scale word ("100 million", read by _TAIL).
_NUMBER_WORD = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    r"billion|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twelfth|twentieth|dozen)",
    re.I,
)
_LONG_RUN = re.compile(r"(\S{40,})")
_KEEP_AS_WRITTEN = re.compile(
    rf"(\b(?:tens|dozens|{'|'.join(_COUNT_WORDS)})\b|(?<![\d,.])\d[\d,.]{{0,24}}\s*(?:hundred|thousand|million|billion)\b)", re.I
)
# Words before a number that make it a ceiling reached only at best: "up to 50% off" or "nearly 10,000
# customers" promise at most that much, so copy stating the bare number ("50% off", "10,000+
# customers") overclaims. ("Under 5 minutes" is not one: stating "5 minutes" says less, not more.)
_CEILING = re.compile(r"\b(?:up to|nearly|almost|close to|jusqu['’]à|presque|bis zu|fast|hasta|casi)\s*$", re.I)

# (kind, pattern found in copy, pattern the evidence must contain). A None evidence pattern means
# "the same words", compared without case, spaces or hyphens.
_TERMS: list[tuple[str, str, str | None]] = [
    (
        "certification",
        r"\bISO[\s-]?\d{4,5}\b|\bSOC[\s-]?[12](?:\s+Type\s+(?:II|I|2|1))?\b|\bHIPAA\b|\bGDPR\b|"
        r"\bPCI(?:[\s-]DSS)?\b|\bFDA\b|\bUSDA\b|\bB[\s-]?Corp\b|\bFair[\s-]?Trade\b|\bFSC\b|\bLEED\b|\bFedRAMP\b|"
        r"\bEnergy Star\b|\bLeaping Bunny\b|\bnon[\s-]?GMO\b|\bkosher\b|\bhalal\b|\borganic\b|\bvegan\b|"
        r"\b(?:gluten|cruelty|dairy|nut|sugar|BPA)[\s-]free\b|\bcarbon[\s-]neutral\b|\bCE[\s-]marked\b",
        None,
    ),
    (
        "certification",
        r"\b(?:board[\s-])?certified\b|\baccredited\b|\blicensed\b|\binsured\b|\bbonded\b|"
        r"\bclinically (?:proven|tested)\b|\bdermatologist[\s-]tested\b|\b(?:FDA[\s-])?(?:approved|cleared)\b",
        None,
    ),
    ("guarantee", r"\bguarantee[ds]?\b|\bwarrant(?:y|ies)\b", r"guarantee|warrant"),
    ("guarantee", r"\bmoney[\s-]back\b|\brefunds?\b|\brefunded\b", r"money[\s-]back|refund"),
    ("guarantee", r"\brisk[\s-]free\b", r"risk[\s-]free|money[\s-]back|refund|guarantee"),
    ("guarantee", r"\blifetime\b|\bno questions asked\b|\bcancel any ?time\b|\bno credit card\b", None),
    (
        "award",
        r"\baward[\s-]?winning\b|\bawards?\b|\bwinner\b|\bwon\b|\bprize\b|\bhonou?ree\b|\beditor'?s'? choice\b",
        r"award|winner|\bwon\b|prize|honou?ree|editor'?s'? choice",
    ),
    ("award", r"\b(?:top|highly|best)[\s-]rated\b|\brated\b|\branked\b|\bvoted\b", r"rated|ranked|voted|rating|\bstars?\b"),
    ("award", r"\bfeatured (?:in|on|by)\b|\bas seen (?:in|on)\b|\brecogni[sz]ed by\b", r"featured|as seen|recogni[sz]ed"),
    ("superlative", r"#\s?1\b|\bno\.\s?1\b|\bnumber[\s-](?:one|1)\b", r"#\s?1\b|\bno\.\s?1\b|\bnumber[\s-](?:one|1)\b"),
    (
        "superlative",
        r"\b(?:fastest|quickest|cheapest|lowest|highest|largest|biggest|smartest|easiest|simplest|"
        r"strongest|safest|greatest|finest|freshest|unbeatable|unmatched|unrivall?ed|unparalleled)\b|"
        r"\bworld[\s-]class\b|\bbest[\s-]in[\s-]class\b|\bfirst[\s-]ever\b",
        None,
    ),
    ("superlative", r"(?<!your )(?<!at )\bbest\b(?! practices?)(?! regards)(?!-)", r"\bbest\b"),
    ("superlative", r"\b(?:the|our|world's|industry's) only\b", r"\bonly\b"),
    ("superlative", r"\b(?:the|world's|america's|europe's|industry's) first\b", r"\bfirst\b"),
    (
        "superlative",
        r"\b(?:industry|market|category|world)[\s-]lead(?:ing|er)\b|\bleading\b(?! to| up)|\bleader\b",
        r"\blead(?:ing|er)\b",
    ),
    (
        "superlative",
        r"\b(?:the|world's) most (?!of\b)\w+|\bmost (?:trusted|popular|loved|advanced|powerful|reliable|"
        r"affordable|secure|accurate|comprehensive|complete|innovative|awarded|recommended)\b",
        None,
    ),
    ("superlative", r"\btop[\s-](?:\d+|choice|pick|brand|seller|selling)\b", None),
    (
        "superlative",
        r"(?:(?<=\bthe )|(?<=\bour )|(?<='s ))(?!latest|interest|honest|forest|harvest|guest|request)"
        r"[a-z]{3,}est\b",
        None,
    ),
    ("number", r"\bzero\b", r"\bzero\b"),
    ("offer", r"(?<![-\w])(?<!feel )free\b(?!-)(?! of\b)(?! up\b)(?! time\b)(?! your)", r"(?<![-\w])free\b(?!-)"),
    ("offer", r"\bdiscount(?:s|ed)?\b|\bon sale\b|\bsale\b", r"discount|% off|\boff\b|\bsale\b|\bsave\b"),
]
_TERM_RES = [(kind, re.compile(pat, re.I), re.compile(ev, re.I) if ev else None) for kind, pat, ev in _TERMS]


@dataclass(frozen=True)
class Checkable:
    """One thing in the copy that must be backed by evidence."""

    kind: str  # number | percent | price | count | certification | guarantee | award | superlative | offer
    text: str
    value: float | None = None
    unit: str | None = None
    currency: str | None = None
    pattern: re.Pattern[str] | None = None
    ceiling: bool = False  # "up to 50%", "nearly 10,000": at most this much


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9#%]", "", text.lower())


def _unit_after(text: str) -> str | None:
    """The counted thing: the first known unit word among the next three words ("10,000 happy customers")."""
    for word in re.findall(r"[^\W\d_]+", text)[:3]:
        low = word.lower()
        stem = low[:-1] if low.endswith("s") and not low.endswith("ss") and len(low) > 3 else low
        for candidate in (low, stem, low.removesuffix("es"), low[:-3] + "y" if low.endswith("ies") else low):
            if candidate in _UNIT:
                return _UNIT[candidate]
    return None


def _digits(text: str) -> str:
    """Number words as digits ("ten thousand teams" -> "10000 teams"; text2num), so a number written
    out is checked like one in digits. Vague plurals stay words ("thousands of" is a count with a
    floor, not the number 1000; "tens of thousands" is not 10), and "100 million" stays as written."""
    if not _NUMBER_WORD.search(text):
        return text  # nothing to convert
    # Kept as written: vague plurals and scaled numbers (the split's odd parts), and any run of 40 characters
    # without a space (no number word is that long; text2num takes seconds on a hostile run of digits).
    out: list[str] = []
    for i, part in enumerate(_KEEP_AS_WRITTEN.split(text)):
        if i % 2:
            out.append(part)
            continue
        for j, piece in enumerate(_LONG_RUN.split(part)):
            out.append(piece if j % 2 or not _NUMBER_WORD.search(piece) else alpha2digit(piece, "en"))
    return "".join(out)


def _value(num: str) -> float:
    """ "1,200" / "1.200" / "1 200" -> 1200; "12,50" / "12.50" -> 12.5 (the last separator before one or
    two digits, or before a group that is not three digits, is the decimal one)."""
    num = re.sub(r"[\u00a0\u202f ]", "", num)
    if "," in num and "." in num:
        decimal = "," if num.rfind(",") > num.rfind(".") else "."
        return float(num.replace("." if decimal == "," else ",", "").replace(",", "."))
    for sep in (",", "."):
        if sep in num:
            groups = num.split(sep)
            if len(groups) > 2 or len(groups[-1]) == 3:
                return float(num.replace(sep, ""))
            return float(num.replace(sep, "."))
    return float(num)


def _numbers(text: str) -> list[Checkable]:
    text = _digits(text)
    found: list[Checkable] = []
    if "24/7" in text:
        found.append(Checkable("number", "24/7", pattern=re.compile(r"24/7|24 hours a day|round[\s-]the[\s-]clock", re.I)))
        text = text.replace("24/7", " ")
    for m in _NUM.finditer(text):
        if text[max(0, m.start() - 8) : m.start()].lower().rstrip().endswith(("#", "no.", "number")):
            continue  # "#1", "No. 1": a ranking, checked as a superlative
        tail = _TAIL.match(text, m.end())
        assert tail is not None  # every group is optional
        value = _value(m["num"])
        scale = (tail["scale"] or "").strip().lower()
        value *= _SCALES.get(scale, 1)
        currency = m["cur"] or _CODES.get((tail["code"] or "").strip())
        kind = "price" if currency else "percent" if tail["pct"] else "number"
        unit = "x" if tail["x"] else None if kind != "number" else _unit_after(text[tail.end() : tail.end() + 40])
        end = tail.end()
        if unit and unit != "x":
            words = re.match(r"[\s-]*(?:[A-Za-z]+\s+){0,2}?[A-Za-z]+", text[end:])
            end += words.end() if words else 0
        ceiling = bool(_CEILING.search(text[max(0, m.start() - 16) : m.start()]))
        found.append(Checkable(kind, text[m.start() : end].strip(), value=value, unit=unit, currency=currency, ceiling=ceiling))
    for word, floor in _COUNT_WORDS.items():
        for m in re.finditer(rf"\b{word}\b", text, re.I):
            found.append(Checkable("count", m.group(0), value=float(floor), unit=_unit_after(text[m.end() : m.end() + 40])))
    return found


def find_checkables(text: str, brand_name: str = "") -> list[Checkable]:
    """Everything in `text` that needs evidence. The brand's own name is never a claim ("Studio 54")."""
    if brand_name:
        text = re.sub(re.escape(brand_name), " ", text, flags=re.I)
    found = _numbers(text)
    seen: set[tuple[int, int]] = set()
    for kind, pattern, evidence in _TERM_RES:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in seen):
                continue
            seen.add(m.span())
            found.append(Checkable(kind, m.group(0), pattern=evidence))
    return found


def supported_by(item: Checkable, evidence: str) -> bool:
    """Whether one evidence sentence states `item`."""
    if item.pattern is not None:
        return bool(item.pattern.search(evidence))
    if item.kind in ("number", "percent", "price"):
        for other in _numbers(evidence):
            if other.kind != item.kind or other.value is None or item.value is None:
                continue
            if abs(other.value - item.value) > 0.005 or (item.currency and other.currency != item.currency):
                continue
            if item.unit and other.unit and item.unit != other.unit:
                continue
            if other.ceiling and not item.ceiling:
                continue  # the site says at most this much; the copy states it flat
            return True
        return False
    if item.kind == "count":
        if re.search(rf"\b{re.escape(item.text)}\b", evidence, re.I):
            return True
        return any(
            o.kind == "number" and (o.value or 0) >= (item.value or 0) and (not item.unit or not o.unit or o.unit == item.unit)
            for o in _numbers(evidence)
        )
    return _norm(item.text) in _norm(evidence)


def _find_support(item: Checkable, cited: list[Fact], others: list[Fact]) -> Fact | None:
    for fact in [*cited, *others]:
        if any(supported_by(item, said) for said in _statements(fact)) or _priced_by_page(item, fact):
            return fact
    return None


def _statements(fact: Fact) -> list[str]:
    """Where the site states `fact`: its evidence, and the heading of the card it was read from ("10-Year
    Warranty" over "Every deck we build is covered for ten years"), which a reader reads as part of it. Only
    a heading over this one sentence (card_title): one over several labels them all. Read apart, so that
    a heading's number never runs into the sentence's ("Top 10" over "100 recipes" is no "10 100")."""
    title = card_title(fact)
    return [fact.evidence, title] if title and title not in fact.evidence else [fact.evidence]


def stated(fact: Fact) -> str:
    """What a reader reads where the site states `fact`, shown as a claim's evidence: the card's heading, then
    its sentence (see _statements)."""
    return " ".join(reversed(_statements(fact)))


def _priced_by_page(item: Checkable, fact: Fact) -> bool:
    """A menu's line gives the bare amount ("Margherita 14") on a page that writes its other prices in "$":
    the price fact's value carries that currency ("$14"). The evidence must still state the number (so "up
    to" and units still count) and write no currency of its own; the value must carry the copy's."""
    if fact.kind != "price" or item.kind != "price" or not item.currency or item.currency not in fact.value:
        return False
    if any(symbol in fact.evidence for symbol in "$€£¥"):
        return False
    return supported_by(dataclasses.replace(item, kind="number", currency=None), fact.evidence)


def check_copy(
    texts: list[str], claims: list[Claim], cited_ids: list[str], facts: list[Fact], brand_name: str = "", attempts: int = 1
) -> TruthReport:
    """Check copy fields against facts; `cited_ids` are the fact ids the variant rests on.
    A disputed fact (the site contradicts it elsewhere) supports nothing until a person checks it."""
    disputed = {f.id for f in facts if f.disputed}
    by_id = {f.id: f for f in facts if not f.disputed}
    facts = list(by_id.values())
    unsupported: list[str] = []
    for claim in claims:
        for fid in claim.fact_ids:
            if fid in disputed:
                unsupported.append(f'claim "{claim.text}" cites {fid}, which the site contradicts on another page')
            elif fid not in by_id:
                unsupported.append(f'claim "{claim.text}" cites {fid}, which is not a fact from the site')
    ids = list(dict.fromkeys([*cited_ids, *(fid for c in claims for fid in c.fact_ids)]))
    cited = [by_id[i] for i in ids if i in by_id]
    others = [f for f in facts if f.id not in ids]
    supported: list[SupportedClaim] = []
    seen: set[tuple[str, str]] = set()

    def add(text: str, fact: Fact) -> None:
        if (text, fact.id) not in seen:
            seen.add((text, fact.id))
            supported.append(SupportedClaim(text=text, fact_id=fact.id, evidence=stated(fact), source_url=fact.source_url))

    # A cited quote's byline is who said it, not a claim: "“…” — 5280 Magazine" states no number. Only right
    # after the quote's closing mark, the name whole or its first part ("— Rosa Delgado").
    names = {n for f in cited if f.kind == "testimonial" and f.subject for n in (f.subject, f.subject.split(",")[0])}
    byline = (
        re.compile(rf"(?<=[”\"’»])\s*—\s*(?:{'|'.join(map(re.escape, sorted(names, key=len, reverse=True)))})\b")
        if names
        else None
    )
    for text in texts:
        if byline is not None:
            text = byline.sub(" —", text)
        for item in find_checkables(text, brand_name):
            fact = _find_support(item, cited, others)
            if fact is None:
                unsupported.append(f'"{item.text}" ({item.kind}) is not stated on the site')
            else:
                add(item.text, fact)
    for claim in claims:
        for fid in claim.fact_ids:
            if fid in by_id:
                add(claim.text, by_id[fid])
    unsupported = list(dict.fromkeys(unsupported))
    return TruthReport(
        verdict="unsupported" if unsupported else "supported", supported=supported, unsupported=unsupported, attempts=attempts
    )


def check_variant(variant: CopyVariant, facts: list[Fact], brand_name: str = "", attempts: int = 1) -> TruthReport:
    return check_copy(
        [variant.headline, variant.body, variant.description], variant.claims, variant.fact_ids, facts, brand_name, attempts
    )
