"""Price facts as product lines for ads: "{product} from {low}" / "{product} for {price}" in the site's
language, with what the card says of the product; never a donation, a free plan, a threshold or a
name the site never wrote."""

from __future__ import annotations

import re

from ..extract.cards import WAS
from ..models import Fact
from .phrases import is_ui_button, phrases_for
from .snippet import Snippet, ground
from .wording import bare, clean, upper_first

MIN_DETAIL_WORDS = 4  # "single fixture" qualifies a price; it says too little to stand as a sentence
MIN_SENTENCE_WORDS = 2  # words besides its prices that make a price line a sentence of its own
_WORDS = re.compile(r"[^\W\d_]{3,}")
_PRICES = re.compile(r"[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?[$€£]")
# The words a card's sale says its old price with ("was", "au lieu de"): extract/cards.py writes them.
_WAS_WORDS = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(set(WAS.values())))) + r")\b", re.I)


def product_and_price(fact: Fact) -> tuple[str, str]:
    """(product, price) of a price fact: typed, or read from "Country Sourdough: $7.75"."""
    if fact.subject and fact.value:
        return bare(fact.subject), clean(fact.value)
    card = re.fullmatch(r"(.{3,48}?):\s*([$€£]\s?\d[\d.,]*(?:/\w+)?|\d[\d.,]*\s?[€$£](?:/\w+)?)", bare(fact.text))
    return (card.group(1).strip(), card.group(2).strip()) if card else ("", "")


def product_line(fact: Fact, language: str, brand_name: str) -> Snippet | None:
    """A price fact as "{product} from {low}" / "{product} for {price}", in the site's language."""
    ph = phrases_for(language)
    subject, value = product_and_price(fact)
    if ph is None or not subject or not value or len(subject.split()) > 6 or is_ui_button(subject):
        return None
    if _NOT_PRODUCT.match(subject) or re.search(rf"{_THRESHOLD}\s*{re.escape(value)}", fact.evidence, re.I):
        return None  # "Envío", "Key cutting … with any purchase over $20": a threshold, not a price
    if (
        _NO_ITEM.fullmatch(subject)
        or _ZERO.fullmatch(value)
        or not _MONEY.search(value)  # "annual billing: 20%": a discount, not a price
        or subject.lower() not in f"{fact.evidence} {fact.text}".lower()  # the text: a card's heading names it
    ):
        return None  # "Gift for $50", "Free for $0/month", a name the site never wrote: not a product
    # The unit a price is quoted in belongs to it: "$0.20 per million spans", "$45/2 weeks".
    # It ends where the card's next line starts ("$45/2 weeks Unlimited classes ...": "/2 weeks").
    # German capitalises the unit's noun ("ab CHF 45.– pro Stunde"): one such word, or a run up to a capital.
    unit = re.search(
        re.escape(value) + r"(\s*(?:/|per |a |an |each |pro |je |par |por )(?:[A-ZÄÖÜ][a-zäöüß]+\b|[^,.;:—–()A-ZÀ-Ý]{1,30}))",
        fact.evidence,
    )
    unit_text = re.sub(r"(\s+(for|and|or|with|the|a|an|pour|et|für|und|para|y|de))+\s*$", "", unit.group(1)) if unit else ""
    value = value + unit_text.rstrip() if unit_text and not re.search(r"/|per ", value) else value
    # "3 x $69", "4 payments of $25": the amount is one instalment of the price, said with how many.
    times = re.search(
        rf"\b\d+\s?[x×]\s?{re.escape(value)}|\b\d+ (?:\w+ )?{_INSTALMENTS} of {re.escape(value)}", fact.evidence, re.I
    )
    value = times.group() if times else value
    # "ab 1.490 €", "from $99", "dès 12 €": the site already says it is a starting price.
    floor = re.match(_FLOOR + r"\s+", value, re.I)
    value = value[floor.end() :] if floor else value
    # "Celebration cakes start at $36 for a 6-inch cake": the evidence makes it a starting price too.
    floor = floor or re.search(_FLOOR + r"\s*" + re.escape(value), fact.evidence, re.I)
    floor = floor or re.search(re.escape(value) + r"\+(?![^\W\d_])", fact.evidence)  # "$220+": from $220; not "$25+tax"
    value = re.sub(r"([.,])[–-](?!\d)", "", value)  # "CHF 120.–", "690,– €": a whole amount, said without its dash
    # A range's low end ("$129–$249", "10 a 20 €"), not a unit's article ("$5 a slice").
    amount = r"(?=(?:[A-Z]{1,2})?[$€£¥₹]?\s?\d)"
    low = re.split(rf"\s*[–—-]\s*{amount}|\s+(?:to|à|bis|a)\s+{amount}", value)[0].strip()
    form = ph.price_from if low != value or floor else ph.price_at
    text = form.format(subject=subject, value=low)
    if not ground(text, [fact], brand_name):
        return None
    return Snippet(text, (fact.id,), subject=subject, full=_priced_sentence(fact, subject, low), detail=_detail(fact, brand_name))


def _priced_sentence(fact: Fact, subject: str, price: str) -> str:
    """The site's own sentence that states the price, from "Weekly Flower Subscription: a fresh seasonal
    bouquet on your doorstep every week, from $45 per delivery": the body under the product's name when
    "{product} from {price}" is too long to head an ad."""
    said = bare(fact.text).split(": ", 1)
    named = len(said) == 2 and (said[0] == subject or said[0].endswith(f" {subject}"))  # "Start with our Intro Offer"
    if not named or price not in said[1] or len(said[1].split()) < MIN_DETAIL_WORDS:
        return ""
    if " — " in said[1]:
        return ""  # a card's price line and its next line ("ab CHF 120.– — Für Wohnungen bis 4 Zimmer"): no sentence
    if len(_WORDS.findall(_WAS_WORDS.sub(" ", _PRICES.sub(" ", said[1])))) < MIN_SENTENCE_WORDS:
        # The price and the one it replaced ("6,80 € (au lieu de 8,50 €)"): the headline says the price, the body
        # what it was ("Au lieu de 8,50 €.").
        was = re.search(r"\(([^()]+)\)", said[1])
        return upper_first(was.group(1)) if was and _WAS_WORDS.match(was.group(1)) else ""
    return upper_first(said[1])


def _detail(fact: Fact, brand_name: str) -> str:
    """The description a price card gives its product ("Birria Tacos: $14 — three corn tortillas, braised
    beef, consommé for dipping."), as a sentence of the body; "" when it is no plain description."""
    said = bare(fact.text).split(" — ", 1)
    detail = said[1] if len(said) == 2 and ":" in said[0] else ""
    if len(detail.split()) < MIN_DETAIL_WORDS or _MONEY.search(detail) or not ground(detail, [fact], brand_name):
        return ""
    return detail


# What a price buys that is no product: a donation amount, a free plan, the "other amount" field.
_NO_ITEM = re.compile(
    r"(an? )?(donations?|gifts?|amount|other( amount)?|custom( amount)?|free|gratuit|kostenlos|gratis|dons?|spenden?|"
    r"donativos?|donaci[oó]n(es)?|monthly gift|one[- ]time gift|"
    r"(orders?|pedidos?|commandes?|bestellungen?|annual billing|billing)( \w+)?|"
    # How to pay, not what ("Pay in full: $197", "Payment plan: 3 x $69"): a course's or a plan's checkout options.
    r"pay(ment)? in full|(monthly )?payment plans?|(one|single)[- ]time payments?|pay (monthly|annually|yearly)|"
    r"(monthly|annual|yearly|split) payments?|instal?lments?)",
    re.I,
)
_INSTALMENTS = r"(?:payments?|instal?lments?|mensualités|Raten|cuotas|rate|termijnen|parcelas)"
_MONEY = re.compile(r"[$€£¥₹]|\b(EUR|USD|GBP|CHF|euros?|dollars?)\b", re.I)
_ZERO = re.compile(r"(?:[A-Z]{1,2})?[$€£¥₹]?\s?0(?:[.,]00?)?\s?[$€£]?(?:\s?/\s?\w+)?")
_FLOOR = r"(?:from|starting at|starts? at|ab|dès|à partir de|desde|a partir de|starting from)"
_NOT_PRODUCT = re.compile(
    r"(shipping|delivery|envío|envio|livraison|versand|lieferung|spedizione|verzending|frete|bundle|total|subtotal)$", re.I
)
# "ab", "dès": a floor, not a threshold.
_THRESHOLD = r"(?:over|above|more than|at least|minimum|min\.|plus de|über|más de|acima de|sopra i|oltre|boven)"


def same_item(a: Snippet, b: Snippet) -> bool:
    """Two products at the same price whose names share a word: the same thing said twice."""
    words = re.compile(r"[^\W\d_]{4,}")
    same_price = set(_PRICES.findall(a.text)) == set(_PRICES.findall(b.text))
    return same_price and bool(set(words.findall(a.subject.lower())) & set(words.findall(b.subject.lower())))
