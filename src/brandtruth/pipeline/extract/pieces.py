"""The pieces a block says things in: badge-strip items, list lines, sentences; and what a price prices.

"Licensed & Insured | 10+ Years Experience" is two statements, not one blob; a list written with
line breaks is one statement a line. A price sentence names what it prices ("Drain cleaning starts
at $249", "$25 off your first service", "Free local delivery on orders over $40").
"""

from __future__ import annotations

import re

from .lexicon import NUM, PRICE
from .regions import Block

SEPARATOR = re.compile(r"\s+[|•·⋅∙◦]\s+|\s+/\s+")
MAX_ITEM_WORDS = 10
MAX_ITEMS = 12
_LEADING = re.compile(
    r"^(?:the |our |a |an |all |every |each |le |la |les |der |die |das |el |los |las )?"
    r"(?P<s>[\w][\w'’&., -]{2,60}?)\s+(?:starts? at|starting at|costs?|is|are|from|priced at|runs?|"
    r"kostet|kosten|ab|coûte|coûtent|à partir de|cuesta|cuestan|desde)\s|^(?P<c>[\w][\w'’&., -]{2,40}?):\s",
    re.I,
)
_FREE = re.compile(
    r"(?<![\w-])(?:free|kostenlose?[rn]?)\s+(?P<s>[\w'’ -]{3,40}?)\s+(?:on|for|with|over|ab|für|bei)\b|"  # not "gluten-free"
    r"\b(?P<n>\w{3,}(?: \w+)?)\s+(?:gratis|grátis|gratuite?s?|offerte?s?|gratuit[oa]s?)(?!\w)",
    re.I,
)
_STOP = {"is", "are", "was", "will", "when", "if", "that", "which", "and", "or", "you", "we", "to", "with", "over",
         "from", "per", "in", "at", "by", "so", "but", "through", "via", "each", "est", "sont", "ist", "sind", "es", "son",
         "et", "und", "y"}  # fmt: skip
# A verb right after a price: the price is the sentence's subject, and what it buys follows.
_PRICE_DOES = re.compile(
    r"(includes?|covers?|gets?|buys?|pays?|gives?|inclut|comprend|couvre|beinhaltet|enthält|deckt|incluye|cubre)$", re.I
)
_TOLD_BEFORE = re.compile(
    r"(?:^|[.!]\s+)(?:our|the|each|every|this|a|an)\s+(?P<s>[\w'’-]+(?:\s+[\w'’-]+){0,4}?)\s+"
    r"(?:is|are|meets|runs|lasts|takes|starts|begins|comes|covers|includes|seats|sleeps|serves)\b[^.!]*[.!]\s*$",
    re.I,
)
_SKIP = {
    "off",
    "on",
    "for",
    "of",
    "with",
    "avec",
    "mit",
    "con",
    "de",
    "sur",
    "auf",
    "pour",
    "für",
    "para",
    "en",
    "réduction",
    "rabatt",
    "descuento",
}
_ON = re.compile(
    r"\b(?:on|for|sur|pour|auf|für|en|para)\s+(?P<s>[\w'’ -]{3,30}?)\s+(?:over|above|from|of|at|dès|ab|ab|desde)$", re.I
)
_OF = re.compile(r"\b(?P<s>[\w'’-]{3,30}) (?:of|de|von|du)$", re.I)  # "A gift of $50", "un don de 20 €"
_PRICED_AT = re.compile(r"\s+(?:(?:is |are )?(?:available|offered|served|sold)\s+)?(?:for|at|only|just|pour|für|por)$", re.I)
_DONATION = re.compile(r"\b(you give|donat\w+|your gift|faire un don|spende\w*|donaci[oó]n\w*|donar)\b", re.I)
# What a price buys, as a short list of three or more right after it: "exam, cleaning & X-rays", "wash, cut and
# blow-dry" (not "deposit and balance on pickup").
_ITEM = r"(?!(?:for|with|to|in|on|at|from|per|when|if|and|or|your|a|the|pour|für|para|avec|mit|con)\b)[\w'’-]+"
_LISTED = re.compile(
    rf"\s*(?P<s>{_ITEM}(?: {_ITEM})?(?:, {_ITEM}(?: {_ITEM})?){{1,3}},? (?:&|and|et|und|y) {_ITEM}(?: {_ITEM})?)(?=[\s.,;:!*]|$)",
    re.I,
)
DONATION = "donation"  # the subject of a gift's amount: no product, and no price to contradict another
_PRONOUNS = {"there", "it", "this", "that", "we", "you", "they", "he", "she", "il", "elle", "es", "wir", "nous", "vous"}
_LIMITS = re.compile(rf"^(?:{NUM})\s?%|^[$€£¥]\s?(?:{NUM})")


def pieces(block: Block) -> tuple[list[str], bool]:
    """The statements of one block, each a verbatim slice of it, and whether they are short items
    (badge, list line) rather than sentences."""
    lines = [line for line in block.lines if line]
    if len(lines) >= 2 and all(len(line.split()) <= MAX_ITEM_WORDS for line in lines):
        return lines[:MAX_ITEMS], True
    parts = [p.strip() for p in SEPARATOR.split(block.text)]
    if len(parts) >= 2 and all(0 < len(p.split()) <= MAX_ITEM_WORDS for p in parts):
        if "/" not in block.text or all(len(p.split()) >= 2 for p in parts):
            return parts[:MAX_ITEMS], True
    return [], block.tag == "li" and len(block.text.split()) <= MAX_ITEM_WORDS


def price_subject(sentence: str) -> str:
    """What a price sentence prices, in its own words, or "" when it does not say."""
    price = PRICE.search(sentence) or re.search(rf"(?:{NUM})\s?%", sentence)
    lead = _LEADING.match(sentence)
    if lead and (price is None or lead.end() <= price.start() + 1):
        return _tidy(lead.group("s") or lead.group("c"))
    free = _FREE.search(sentence)
    if free:
        return _tidy(free.group("s") or free.group("n"))
    if price is None:
        return ""
    if _DONATION.search(sentence):
        return DONATION  # "Every $1 you give provides 3 meals": what the money is, not a product
    before = sentence[: price.start()].rstrip()
    # "Extra cheese for $2", "Gluten-free crust available for $3": the words before "for" name it.
    named = _PRICED_AT.sub("", before)
    line = _tidy(named) if len(sentence.split()) <= 8 and sentence[price.end() :].strip(" .") == "" else ""
    if line:
        return line  # "Trail Bottle 1 L $39.00": a product line, name then price
    attached = _ON.search(before) or _OF.search(before)
    if attached and _tidy(attached.group("s")):
        return _tidy(attached.group("s"))
    after = sentence[price.end() :]
    words = re.findall(r"[\w'’-]+|[,.;:!?]", after)
    listed = _LISTED.match(after)
    if listed and words[0].lower() not in _SKIP and not _PRICE_DOES.match(words[0]):
        return _tidy(listed.group("s"))  # "$79 exam, cleaning & X-rays for new patients": all three, not "exam"
    if words and _PRICE_DOES.match(words[0]):
        # "$285 includes clay, glazes and firing": the price is the sentence's subject; what it prices is
        # the one the sentence before speaks of ("Our six-week wheel class meets Tuesday evenings."), if any.
        told = _TOLD_BEFORE.search(before)
        return _tidy(told.group("s")) if told else ""
    while words and words[0].lower() in _SKIP:
        words.pop(0)
    out: list[str] = []
    for word in words:
        if word in ",.;:!?" or word.lower() in _STOP or len(out) >= 4:
            break
        out.append(word)
    return _tidy(" ".join(out)) if out and out[-1].lower() not in ("your", "any", "every", "the", "a") else ""


# An invitation before the name a label gives ("Start with our Intro Offer: ...", "Try our Tasting Menu: ..."); not a
# name's own first word ("Get the Look Kit").
_INVITED = re.compile(r"^(?:start with (?:our |the |an? )?|(?:try|check out|discover|enjoy) our |get our |try the )", re.I)


def _tidy(subject: str) -> str:
    subject = _INVITED.sub("", subject.strip(" ,.-–—:"))
    first = subject.split(" ", 1)[0].lower() if subject else ""
    if first in _PRONOUNS or not 1 <= len(subject.split()) <= 6 or _LIMITS.match(subject):
        return ""
    return subject


def value_of(kind: str, text: str) -> str:
    """The number, price or term as the site writes it."""
    if kind in ("price", "offer"):
        m = PRICE.search(text) or re.search(rf"(?:{NUM})\s?%", text)
        return m.group().strip() if m else ""
    if kind == "founded":
        m = re.search(r"\b(?:1[89]|20)\d\d\b", text)
        return m.group() if m else ""
    found = [m.group().strip() for m in re.finditer(rf"(?:{NUM})\+?\s?(?:%|x|×)?", text)]
    counts = [v for v in found if not re.fullmatch(r"(?:1[89]|20)\d\d", v)]  # "In 2023 we served 61,000 people"
    return (counts or found or [""])[0]
