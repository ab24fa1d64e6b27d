"""What page-builder widgets show a visitor, where their static HTML says something else.

Count-up counters (Elementor, Divi, countUp.js, jQuery counterUp) ship their start value ("0") as text
and the number they count to in an attribute; a script animates it once the visitor scrolls there. Read
as written, "40,000 cups poured" became the fact "0 cups poured last year", ready for an ad. Here the
counter shows its final number, as it does on screen.

A sale price and the price it replaced sit side by side; only the markup says which one is struck
through (`<s>`, `<del>`, a line-through class), and themes put it before or after the sale price.
`struck_prices` names those, so a card never advertises the old price as the current one.
"""

from __future__ import annotations

import re
from itertools import islice

from lxml.etree import _Element

from .dom import clean, tag_of, words_of
from .lexicon import PRICE

# Attributes counter widgets keep their final number in, most specific first.
COUNTER_ATTRS = (
    "data-to-value",  # Elementor
    "data-number-value",  # Divi
    "data-count-to",
    "data-countup",
    "data-count",
    "data-counter",
    "data-target",
    "data-to",
    "data-end",
    "data-end-value",
    "data-final",
    "data-number",
    "data-value",
)
_SHOWN_NUMBER = re.compile(r"^\d[\d.,\s]*$")  # what a counter shows before it runs: "0", "1", "0.0"
_TARGET = re.compile(r"^\d+(?:\.\d+)?$")
_COUNTERISH = re.compile(r"count|counter|number|numb|odometer|stat|value|percent", re.I)
# How a number's thousands are grouped when the widget names no delimiter, by the page's language; from
# five digits only (a four-digit counter is often a year: "since 1998"). French groups with a space, which
# a creative's line never breaks (compose/text.py).
GROUPING = {"en": ",", "de": ".", "es": ".", "it": ".", "nl": ".", "pt": ".", "fr": " "}
MAX_AFFIX_CHARS = 3  # a counter's prefix or suffix: "+", "%", "k", "$"
MAX_COUNTERS = 200
MAX_SCAN = 20_000
MAX_CARD_NODES = 400  # a card is a small box: what it shows struck through is within its first elements
STRUCK_TAGS = ("s", "del", "strike")
STRUCK_WORDS = re.compile(
    r"(?:^|\s)(?:line-through|(?:compare|was|old|original|before)[-_]?(?:at[-_]?)?price|"
    r"price[-_]+(?:compare|old|was|original|rrp|non-sale)(?:[-_]\w+)?)(?:\s|$)",
    re.I,
)


def settle_counters(doc: _Element, lang: str = "") -> None:
    """Give each count-up counter of `doc` its final number as text, grouped as the widget says (or as
    `lang` writes numbers)."""
    changed = 0
    for count, el in enumerate(doc.iter()):
        if count > MAX_SCAN or changed >= MAX_COUNTERS:
            break
        if not tag_of(el) or not el.attrib:
            continue
        target = next((v.strip() for a in COUNTER_ATTRS if _TARGET.match((v := el.get(a) or "").strip())), "")
        if not target:
            continue
        shows = _display(el)
        named = shows is not el or _counterish(el)  # a descendant is chosen for its class ("percent-value")
        if shows is None or not _before_count(clean(shows.text), target, named):
            continue
        delimiter = el.get("data-delimiter") or el.get("data-separator") or el.get("data-number-separator")
        shows.text = _formatted(target, delimiter) if delimiter else _formatted(target, GROUPING.get(lang, ""), min_digits=5)
        _join_affixes(shows)
        changed += 1


def _display(el: _Element) -> _Element | None:
    """The element that shows the counter's number: itself when it has no child elements, else its first
    childless descendant named for a number or value (Divi's `.percent-value`)."""
    if len(el) == 0:
        return el
    for node in islice(el.iter(), 1, 40):
        if tag_of(node) and len(node) == 0 and _COUNTERISH.search(node.get("class") or "") and not clean(node.text):
            return node
    return None


def _join_affixes(number: _Element) -> None:
    """A counter lays out its number, prefix and suffix in one row (a flex box: the whitespace between
    them is not shown): "1,500+", not "1,500 +"."""
    before = number.getprevious()
    for gap, affix in ((number, number.getnext()), (before, before)):  # the whitespace is the tail of `gap`
        if gap is None or affix is None or not gap.tail or gap.tail.strip():
            continue
        if 0 < len(clean(affix.text_content())) <= MAX_AFFIX_CHARS:
            gap.tail = ""


def _counterish(el: _Element) -> bool:
    return bool(_COUNTERISH.search(words_of(el)))


def _before_count(shown: str, target: str, named: bool) -> bool:
    """Whether `shown` is what a counter shows before it runs to `target`: a smaller number, or nothing
    at all on an element whose class says it is a counter (a `data-value` on a plain element is no counter)."""
    if not shown:
        return named
    if not _SHOWN_NUMBER.match(shown):
        return False
    digits = re.sub(r"[^\d.]", "", shown.replace(",", ""))
    try:
        return float(digits or 0) < float(target)
    except ValueError:
        return False


def _formatted(target: str, delimiter: str, min_digits: int = 4) -> str:
    whole, dot, frac = target.partition(".")
    if delimiter and len(whole) >= min_digits:
        whole = f"{int(whole):,}".replace(",", delimiter)
    return whole + dot + frac


def struck_prices(card: _Element) -> set[str]:
    """The prices `card` shows struck through (the price before a sale), as written."""
    found: set[str] = set()
    for node in islice(card.iter(), MAX_CARD_NODES):
        tag = tag_of(node)
        style = (node.get("style") or "").replace(" ", "").lower()
        if tag in STRUCK_TAGS or STRUCK_WORDS.search(node.get("class") or "") or "line-through" in style:
            found.update(m.group().strip() for m in PRICE.finditer(clean(node.text_content())))
    return found
