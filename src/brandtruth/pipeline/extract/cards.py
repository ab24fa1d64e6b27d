"""Cards: repeated boxes (products, plans, stats, price-list rows) read as one structured statement.

A card is found by structure — siblings that repeat the same tag and class, or a box whose class
says card/product/plan/stat — and read from its blocks: a name (heading, title line or image alt),
a price or a number, a short label or description. "Add to Cart" and other buttons are never part
of what a card says; obviously internal items (test products, staff-only, lorem ipsum) are dropped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import islice
from typing import Any

from lxml.etree import _Element

from .dom import clean, tag_of, words_of
from .lexicon import CUR, INTERNAL, KNOWN_NAMES, PRICE, SINCE, STAT_HEAD, STAT_VALUE, YEAR
from .pieces import DONATION
from .regions import HEADINGS, STICKY, Block, tokens
from .widgets import MAX_CARD_NODES, struck_prices

MAX_CARDS = 80
MAX_CARD_CHARS = 600  # a longer box is a section, not a card
MAX_SCAN = 20_000
CARD_TAGS = {"div", "li", "article", "section", "tr", "figure", "a", "dl"}
CARD_WORDS = {"card", "product", "plan", "tier", "package", "stat", "stats-item", "counter", "metric", "price-card",
              "pricing-card", "pricing-plan", "service-card", "menu-item", "grid-item", "tile"}  # fmt: skip
# A coupon's headline: money off ("$50 OFF", "Save $25", "20% Off", "−15 % Rabatt") or something free ("FREE
# Estimates"), over the line that says on what ("Any plumbing repair over $300", "On water heater replacement").
MONEY_OFF = re.compile(
    rf"(?:save\s+)?(?:(?:up to|bis zu|jusqu'à|hasta|fino a|tot)\s+)?(?:{CUR}\s?\d[\d,.]*|[-−]?\d+\s?%)\s*(?:{CUR})?\s*"
    r"(?:off|rabatt|de réduction|de remise|de descuento|"
    r"di sconto|korting|de desconto)!?|save\s+(?:[$€£]\s?\d[\d,.]*|\d+\s?%)!?",
    re.I,
)
FREE_THING = re.compile(r"(?:free|gratis|kostenlose?[rsn]?|gratuit[oae]?s?)\s+[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,3}!?", re.I)
MAX_COUPON_WORDS = 5  # "Free Check Engine Light Scan", "Save $25 Today"
# What a shop gives free from an amount on ("Free Shipping", "Kostenloser Versand"), not a product ("Free Range Eggs").
FROM_AMOUNT = re.compile(
    r"\b(ab|over|above|from|dès|à partir|desde|a partir|sopra|oltre|vanaf|boven|min(?:imum)?|orders?|bestellwert|"
    r"d'achat|de compra|di spesa|spend|or more|and up|bei|bij)\b|\d\s?\+",
    re.I,
)
FREE_SERVICE = re.compile(
    r"\b(shipping|delivery|returns?|versand|lieferung|livraison|envío|envio|spedizione|consegna|verzending|bezorging|frete|"
    r"gifts?|geschenk|cadeau|regalo|obsequio|sample|échantillon)\b",
    re.I,
)
ON_WHAT = re.compile(r"^(?:on|for|with|when|sur|pour|auf|für|en|para|su|per|op|voor)\b", re.I)
# "FREE Estimates" over "Any size project", "FREE Shipping" over "All orders over $50": what the free thing comes with,
# read with "on" (not "FREE Parking" over "All hotel guests", nor "FREE Breakfast" over "Every morning 7-10am").
ON_ANY = re.compile(
    r"^(?:any|all|every)\b(?!.*\b(?:is|are|was|were|be|gets?|includes?|comes?|has|have|can|will)\b)"
    r"(?!.*\b(?:guests?|members?|residents?|rooms?|suites?|students?|patients?|clients?|customers?|visitors?|morning|day|"
    r"night|week|evening)\b)",
    re.I,
)
# A product page's price box, named by its own class ("price price--on-sale", Shopify's Dawn; "product__price",
# "price-box"): a card of the page's product, though nothing repeats it. Not "price-list", a whole menu.
PRICE_BOX = re.compile(r"(?:^|\s)(?:product[-_]+)?price(?:[-_]+box)?(?:\s|$)", re.I)
MAX_PRICE_BOX_WORDS = 3
MIN_LISTED_PRICES = 3
PRICING_WORDS = re.compile(r"pric|plans?\b|tarif|preis|precio|menu|carte|shop|product|boutique|tienda", re.I)
LEADING_STAT = re.compile(rf"^({STAT_HEAD})\s+([^\d\s][^.!?]{{2,60}})$", re.I)
# The price a sale replaced, in the page's language: "€49,00 (invece di €58,00)".
WAS = {"en": "was", "fr": "au lieu de", "de": "statt", "es": "antes", "it": "invece di", "nl": "was", "pt": "antes"}
# A box of a numbered process ("How it works": "01" over "Discovery call"), whose number orders it and counts nothing.
STEPS = re.compile(r"step|process|how-it-works|howitworks|timeline|roadmap|journey|etape|schritt|paso|fasi|stappen", re.I)
_ORDINAL = re.compile(r"0\d{1,2}\.?|#?\d\.?")


def _step_number(text: str, steps: bool) -> bool:
    """ "01", "02": a step's number, never a stat; "1", "2" too in a box of steps."""
    return (text.startswith("0") and text[1:2].isdigit()) or (steps and _ORDINAL.fullmatch(text) is not None)


# Words that make an amount money off rather than a price: "$2 off all pints", "10 € Rabatt auf alles", "Save $25".
_OFF_AFTER = re.compile(r"\s*(?:off|rabatt|de réduction|de remise|de descuento|di sconto|korting|de desconto)(?![-\w])", re.I)
_SAVE_BEFORE = re.compile(r"\b(?:save|spare|économisez|sparen sie|ahorra|risparmia|bespaar)\s*$", re.I)


def money_off(text: str) -> bool:
    """Whether every amount in a line is money off ("$2 off all pints Monday–Thursday"): an offer, never a price of
    what the line names."""
    found = list(PRICE.finditer(text))
    return bool(found) and all(_OFF_AFTER.match(text, m.end()) or _SAVE_BEFORE.search(text, 0, m.start()) for m in found)


OTHER_WAY_TO_PAY = re.compile(
    r"\b(or|ou|oder|o|of|payments?|installments?|instalments?|deposit|then|per|each|and|et|und|y|plus|"
    r"mensualités|Raten|cuotas|rate|termijnen|parcelas)\b|\d\s?[x×]",
    re.I,
)
# What a gift does, said by a donation tier's line: "Vaccinates one puppy", "Feeds a family for a week".
IMPACT = re.compile(
    r"(?:provides|feeds|covers|buys|pays for|funds|sponsors|gives|vaccinates|spays|neuters|plants|sends|supplies|"
    r"shelters|saves|trains|fills|delivers|stocks|rescues|houses|heals)\s",
    re.I,
)
SINCE_LABEL = re.compile(rf"(?:{SINCE})\s*:?", re.I)  # a counter's label that says since when, not what it counts
STATISH = re.compile(r"stat|counter|metric|number|figure|kpi|achievement|facts|zahlen|chiffres|cifras", re.I)
MAX_NAME_WORDS = 10
MAX_PRICE_LINE_WORDS = 8  # a line that prices the card, not a sentence that mentions a price
MAX_TITLE_GAP = 3  # blocks between a product page's <h1> and its price box (a vendor line, a rating)
# A menu's line that ends on an amount with no currency ("Margherita 14", "Funghi 18.50"), and the class
# words that make a box a menu's item or a price.
BARE_AMOUNT = re.compile(r"^(?P<name>[^\W\d][^$€£¥]{1,60}?)\s+(?P<amount>\d{1,3}(?:[.,]\d{2})?)$")
MENU_WORDS = {"menu", "carte", "speisekarte", "carta", "dish", "dishes", "gericht", "plat", "plats"}
# A line ending in a number that counts, not one that prices: "Serves 4", "Calories 450", "Step 2".
COUNTED_LINE = re.compile(
    r"\b(serves?|calories|kcal|cal|step|level|size|since|no|nr|pcs|qty|page|room|table|floor|year|age|grade|"
    r"portions?|personnes|personen|pers|g|ml|cl|l|kg|oz|lbs?|min|minutes?|h)\.?$",
    re.I,
)
SYMBOLS = "$€£¥"
# A line that says what an amount beside it was won as ("Settlement for a client injured...", "Jury verdict").
# Only the line after the amount, and only words a shop's card never opens with ("Recovery Massage", "Award-
# winning coffee" are products).
RESULT_LINE = re.compile(
    r"(?:jury |confidential |record )?(?:settlements?|verdicts?|recovered|awarded|judgm?ents?|arbitration award)(?=[\s.,]|$)",
    re.I,
)
_SCALE_WORD = re.compile(r"(?<=\d )(?:Million|Billion|Thousand)\b")
# A box of amounts won for clients: case results, verdicts, settlements (class words, whole).
RESULT_WORDS = {"results", "result", "verdicts", "verdict", "settlements", "settlement", "recoveries"}
NOT_RESULTS = {"search", "product", "products", "shop", "pricing", "plan", "plans", "cart"}
CURRENCY_CODES = {"USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "EUR": " €", "GBP": "£"}
MAX_LD_NODES = 500
# The label of an amount that counts business done, not a price: "In sales volume", "Of inventory freed up".
MONEY_MOVED = re.compile(
    r"(?:in|of) (?:\w+ )?(?:sales|volume|revenue|savings|funding|donations|settlements|verdicts|transactions|"
    r"assets|claims|loans)\b",
    re.I,
)
# Words that go with a price, not with the name of what it prices.
PRICE_LEAD = re.compile(r"(?:^|\s)(from|only|just|starting at|for|à partir de|dès|ab|nur|desde|por)\s*$", re.I)
PRICE_TAIL = re.compile(r"^(?:/|per\b|a (?:month|year|week|day)\b|each\b|pro\b|par\b|al\b|TTC\b|HT\b|inkl)", re.I)
MAX_LABEL_WORDS = 8
MAX_DESC_WORDS = 16
MAX_UNIT_WORDS = 3
# What a shop's theme writes beside every price, of no product in particular.
SHOP_NOTE = re.compile(
    r"calculated at checkout|(?:tax(?:es)?|vat|mwst\.?|tva) (?:included|incl\w*|excluded|inkl\w*|compris\w*)|"
    r"\b(?:in stock|sold out|out of stock|unit price|ausverkauft|épuisé|agotado)\b",
    re.I,
)
# Class words that say a product card is sold out, whole or as a BEM modifier ("price--sold-out"); not a badge's
# own class ("price__badge-sold-out"), which a theme writes into every price box.
SOLD_OUT = {"sold-out", "soldout", "out-of-stock", "outofstock", "is-sold-out"}
# A shop theme's badge on a product's image or price, never the product's name.
SHOP_BADGE = re.compile(
    r"\W*(?:(?:on )?sale|sold out|new(?: in| arrival)?|best ?seller|hot|limited(?: edition)?|back in stock|pre-?order|"
    r"(?:save|sparen|économisez|ahorra)?\s*-?\d+\s*%(?: off)?|soldes?|promo|neu|nouveau|nouveauté|oferta|rebajas|nuevo|"
    r"ausverkauft|épuisé|agotado|angebot)\W*",
    re.I,
)
MAX_WRAPPER_DEPTH = 12
TEXT_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
INLINE_TAGS = {"span", "strong", "b", "em", "i", "u", "small", "mark", "sup", "sub", "br", "font"}


@dataclass
class Card:
    kind: str = ""  # "price", "stat", or "" (a card with nothing structured to say, e.g. a feature box)
    name: str = ""  # what the card is about: the product, plan, service, or the stat's label
    value: str = ""  # the price or number as written
    evidence: str = ""  # its parts as a reader sees them, block boundaries as spaces
    text: str = ""  # readable form: "Drain Clear: $129–$249 — single fixture"
    region: str = "card"
    internal: bool = False
    sold_out: bool = False  # a product no one can buy: nothing it says is any ad's
    alt: str = ""
    words: str = ""  # class/id words of the card and its row ("stat stats-row")
    title: str = ""  # its heading, whatever its kind: what a sentence of a feature card speaks of ("Lawn Care")
    named_by_page: bool = False  # its price is named by the page's <h1> (a product page's price box)


def find_cards(body: _Element, boxed: set[_Element]) -> list[tuple[_Element, str, str]]:
    """Card elements, each with the alt text of its first image. A repeated box is a card (the
    innermost, when repeated boxes nest); a box whose class says "card" is one only outside every
    other card (themes nest card__inner, card__content... inside the card itself)."""
    repeated: list[_Element] = []
    named: list[_Element] = []
    for count, parent in enumerate(body.iter()):
        if count > MAX_SCAN or len(repeated) + len(named) > 4 * MAX_CARDS:
            break
        if len(parent) < 1 or not tag_of(parent):
            continue
        groups: dict[tuple[str, str], list[_Element]] = defaultdict(list)
        for child in islice(parent, MAX_SCAN):  # 60,000 links in one <div> are one parent's children
            tag = tag_of(child)
            if tag in CARD_TAGS:
                groups[(tag, (child.get("class") or "").split(" ", 1)[0])].append(child)  # utility classes vary
        for (tag, _cls), members in groups.items():
            if len(members) >= 2 and all(_structured(m, boxed, tag) for m in members):
                repeated += members
            elif len(members) == 1 and _named_card(members[0]) and _structured(members[0], boxed, tag):
                named += members
    rep, nam = set(repeated), set(named)
    # Inside a repeated box, a run of one-block wrappers is its parts, not cards of their own.
    parts = {el for el in rep if _one_block(el) and any(a in rep for a in el.iterancestors())}
    outer = {anc for el in rep - parts for anc in el.iterancestors() if anc in rep}
    cards = [el for el in repeated if el not in outer and el not in parts]
    kept = set(cards)
    cards += [el for el in named if not any(a in kept or a in nam for a in el.iterancestors())]
    cards = [el for el in cards if el in kept or not any(a in nam for a in el.iterancestors())]
    ordered = sorted(dict.fromkeys(cards), key=_position(body))[:MAX_CARDS]
    return [(el, _first_alt(el), _row_words(el)) for el in ordered]


def _named_card(el: _Element) -> bool:
    return bool(tokens(words_of(el)) & CARD_WORDS) or (PRICE_BOX.search(el.get("class") or "") is not None and _price_box(el))


def _price_box(el: _Element) -> bool:
    """Only prices, their labels and badges ("Regular price", "$88.00 USD", "Sold out"): not a price list under its
    own heading, nor a hero's "Just $4/month" over "Cancel anytime. 14-day free trial."."""
    for node in islice(el.iter(), MAX_CARD_NODES):
        if tag_of(node) in HEADINGS:
            return False
        for text in (node.text, node.tail if node is not el else None):
            if text and len(text.split()) > MAX_PRICE_BOX_WORDS:
                return False
    return True


def _row_words(el: _Element) -> str:
    parent = el.getparent()
    return f"{words_of(el)} {words_of(parent) if parent is not None else ''}".strip()


def _position(body: _Element):  # type: ignore[no-untyped-def]
    order = {el: i for i, el in enumerate(body.iter()) if i <= MAX_SCAN}
    return lambda el: order.get(el, MAX_SCAN + 1)


def _structured(el: _Element, boxed: set[_Element], tag: str) -> bool:
    if len(el) < 2 and el not in boxed:
        return False
    length = len(el.text_content())
    if not (3 <= length <= MAX_CARD_CHARS and (tag != "tr" or len(el) >= 2)):
        return False
    # A box with a menu is the page's header, however short (Elementor writes it as one more of its
    # repeated sections). An <h1> says nothing: Bootstrap's pricing cards write the price in one.
    return next(el.iter("nav"), None) is None


def _one_block(el: _Element) -> bool:
    """A box that only wraps one block of text: Wix's rich-text <div>, Elementor's widget container,
    Squarespace's sqs-block, each around one heading or paragraph. Page builders wrap every block so,
    and a product's name, description and price, each wrapped, repeat tag and class like cards: read as
    three cards, the price became one with nothing it prices."""
    for _ in range(MAX_WRAPPER_DEPTH):
        children = [c for c in el if isinstance(c.tag, str)]
        if el.tag in TEXT_TAGS or len(children) != 1 or clean(el.text) or clean(children[0].tail):
            break
        el = children[0]
    return el.tag in TEXT_TAGS and all(c.tag in INLINE_TAGS for c in el if isinstance(c.tag, str))


def _first_alt(el: _Element) -> str:
    img = next(el.iter("img"), None)
    return clean(img.get("alt")) if img is not None else ""


def read_cards(
    blocks: list[Block], found: list[tuple[_Element, str, str]], page_url: str, lang: str = "", currency: str = ""
) -> list[Card]:
    """What each card says, from its blocks (in reading order). German keeps its capitals mid-phrase.
    `currency`: how the page writes its prices ("$", or "€" after the amount: " €"), for a menu's bare amounts."""
    parts: list[list[Block]] = [[] for _ in found]
    titles = [""] * len(found)  # the product page's title above each card: a price box names nothing itself
    title, since = "", 0
    for block in blocks:
        if block.tag == "h1":
            title, since = (block.text if len(block.text.split()) <= MAX_NAME_WORDS else ""), 0
        else:
            since += 1
        if 0 <= block.card < len(parts):
            parts[block.card].append(block)
            titles[block.card] = titles[block.card] or (title if since <= MAX_TITLE_GAP else "")
    keep = lang == "de"
    was = WAS.get(lang.split("-")[0].lower(), WAS["en"])
    cards = [
        _read(p, el, alt, words, page_url, keep, currency, titles[i], was)
        for i, (p, (el, alt, words)) in enumerate(zip(parts, found, strict=True))
    ]
    # A product page has one price box its title names; several nameless prices under one heading ("Book a session
    # with us" over "$120" and "$200") are no one product's.
    if sum(c.named_by_page for c in cards) > 1:
        for card in cards:
            if card.named_by_page:
                card.kind = card.name = card.value = card.text = card.evidence = ""
                card.named_by_page = False
    return cards


def page_currency(blocks: list[Block], jsonld: list[dict[str, Any]]) -> str:
    """How the page writes a price: "$" before the amount, " €" after it; "" when it shows no currency
    anywhere (its prices as written, or its structured data's priceRange "$$" or priceCurrency)."""
    seen: Counter[str] = Counter()
    for block in islice((b for b in blocks if b.region not in STICKY), MAX_SCAN):
        for m in islice(PRICE.finditer(block.text), 4):
            symbol = next((c for c in m.group() if c in SYMBOLS), "")
            if symbol:
                seen[symbol if m.group().lstrip().startswith(symbol) else f" {symbol}"] += 1
    if seen:
        return seen.most_common(1)[0][0]
    # Else the currency its structured data declares (an offer's priceCurrency; "priceRange": "$$" is a
    # price level, written so in Europe too, never a currency).
    stack: list[Any] = list(jsonld)
    for _ in range(MAX_LD_NODES):
        if not stack:
            break
        node = stack.pop()
        if isinstance(node, dict):
            code = str(node.get("priceCurrency", "")).upper()
            if code in CURRENCY_CODES:
                return CURRENCY_CODES[code]
            stack += [v for v in node.values() if isinstance(v, (dict, list))]
        elif isinstance(node, list):
            stack += node[:50]
    return ""


def _menu_priced(text: str, words: str, currency: str) -> str:
    """A menu line's bare amount with the page's currency ("Margherita 14" -> "Margherita $14"), in a card
    whose own class words say it is a menu's item; else the text as it is."""
    m = BARE_AMOUNT.match(text) if currency and tokens(words) & MENU_WORDS else None
    if m is None or COUNTED_LINE.search(m.group("name")):
        return text
    amount = m.group("amount")
    priced = f"{currency}{amount}" if not currency.startswith(" ") else f"{amount}{currency}"
    return f"{(m.group('name') or '').strip()} {priced}".strip()


def _read(
    parts: list[Block],
    el: _Element,
    alt: str,
    words: str,
    page_url: str,
    keep_case: bool = False,
    currency: str = "",
    page_title: str = "",
    was_word: str = "was",
) -> Card:
    card = Card(alt=alt, region=parts[0].region if parts else "card", words=words)
    written = [b.text for b in parts]  # as the page writes it: the evidence
    card.internal = any(INTERNAL.search(t) for t in [*written, alt])
    if card.internal or not parts or parts[0].region in STICKY or parts[0].region == "feed":
        return card
    if sold_out(el):
        card.sold_out = True
        return card
    # A card that writes a price of its own prices nothing from a bare number ("Projects 3" over "$9/mo").
    priced = any(PRICE.search(t) for t in written)
    texts = written if priced else [_menu_priced(t, words, currency) for t in written]
    short = [len(t.split()) for t in texts]
    card.title = next((b.text for b in parts if heads(b) and len(b.text.split()) <= MAX_NAME_WORDS), "")
    # A theme writes the price before a sale twice: struck through, and as the regular price its CSS hides on
    # sale (Shopify's "$19.00 USD" beside "$19.00 USD $16.00 USD"). A line of old prices only is no price.
    struck = struck_prices(el) if sum(len(PRICE.findall(t)) for t in texts) > 1 else set()
    old = {
        i
        for i, t in enumerate(texts)
        if struck and PRICE.search(t) and all(m.group().strip() in struck for m in PRICE.finditer(t))
    }
    price = next(
        (
            i
            for i, t in enumerate(texts)
            if short[i] <= MAX_PRICE_LINE_WORDS and PRICE.search(t) and i not in old and not money_off(t)
        ),
        -1,
    )
    steps = STEPS.search(words) is not None
    stat = next((i for i, t in enumerate(texts) if STAT_VALUE.match(t) and not _step_number(t, steps)), -1)
    result = price + 1 if 0 <= price < len(texts) - 1 and RESULT_LINE.match(texts[price + 1]) else -1
    if result >= 0 and len(PRICE.findall(texts[price])) == 1 and short[price] <= 4:
        # A law firm's case result: "$4.2 Million" over "Settlement for a client injured by a truck on I-10." Money
        # won for a client, said as one line ("$4.2 million settlement for a client ..."), never a price.
        amount = _SCALE_WORD.sub(lambda m: m.group().lower(), texts[price])
        lo, hi = sorted((price, result))
        card.kind, card.value, card.name, card.region = "stat", texts[price], "", "stat"
        card.evidence = " ".join(written[lo : hi + 1])
        won_as = texts[result].rstrip(".")
        card.text = f"{amount} {won_as if keep_case else lower_first(won_as)}"
        return card
    if sum(1 for t in texts if len(PRICE.findall(t)) == 1 and _named_price(t)) >= MIN_LISTED_PRICES:
        # A price list in one box ("Coupe femme ... 48 €", "Coupe homme ... 28 €", under "Nos tarifs" or "Cuts"): each
        # line is its own price, not the first one's description.
        return card
    coupon = _coupon(parts, texts)
    if coupon >= 0:
        # "$50 OFF" over "Any plumbing repair over $300": one offer, said as one line ("$50 off any plumbing
        # repair over $300"), its fine print the card's terms; never a product called "OFF" for $50.
        card.kind, card.value, card.name = "offer", texts[coupon], ""
        card.evidence = f"{written[coupon]} {written[coupon + 1]}"
        card.text = _coupon_line(texts[coupon], texts[coupon + 1].rstrip("."))
        return card
    if price >= 0:
        prices = [m.group().strip() for m in PRICE.finditer(texts[price])]
        own = _named_price(texts[price]) if len(prices) == 1 else None
        name = _name(parts, exclude={price} | old)
        # The price's own line names it when it is a heading, or when nothing else short does (Elementor's
        # price list: "Zimmer streichen ab 249 €" over "Wände und Decke, bis 20 m², Farbe inklusive.").
        menu_line = texts[price] != written[price]  # "Margherita 14": a menu's line names its dish
        # Not a line below the price, which describes it (Elementor's price list: "Coupe femme à partir de 45 €" over
        # "Shampoing, coupe et coiffage").
        below = name > price
        if own and (parts[price].role == "heading" or name < 0 or texts[name].endswith(".") or menu_line or below):
            name = price
        else:
            own = None
        was = [p for p in prices if p in struck]
        now = [p for p in prices if p not in was]
        if was and now:  # the markup says which price is struck through, whatever the order
            prices = [was[0], now[0]]
        # Two prices: struck-through, then the sale price ("$42.00 $36.00", "Reg. $32 Sale $26", "Prix habituel
        # 12,00 € Prix soldé 9,50 €"), unless the words between them offer another way to pay ("$2,400, or three
        # payments of $850"): then the line is the price as written, its first amount the price.
        sale = len(prices) > 1 and (bool(was and now) or not OTHER_WAY_TO_PAY.search(PRICE.sub(" ", texts[price])))
        if len(prices) > 1 and not sale:
            prices = prices[:1]
        card.kind, card.value = "price", prices[-1]
        card.name = own[0] if own else texts[name] if name >= 0 else alt or page_title
        card.named_by_page = not own and name < 0 and not alt and bool(page_title)
        if not card.name:  # a price says nothing without what it prices
            card.kind = card.value = ""
            return card
        span = sorted({price, name} - {-1})
        lo, hi = span[0], span[-1]
        after = hi + 1
        if (
            after < len(parts)
            and parts[after].role in ("text", "heading")
            and short[after] <= 12
            and not SHOP_BADGE.fullmatch(texts[after])
        ):
            hi = after
        if any(parts[i].role == "button" for i in range(lo, hi + 1)):
            lo = hi = price
        card.evidence = " ".join(written[lo : hi + 1])
        # What the card says of it: the line after its name and price, or the one between them (a menu's
        # "Birria Tacos / Three corn tortillas, braised beef... / $14").
        between = [i for i in range(lo + 1, hi) if i not in (price, name) and i not in old]
        line = between[0] if len(between) == 1 else -1
        said = line >= 0 and parts[line].role == "text" and short[line] <= MAX_DESC_WORDS
        desc = texts[hi] if hi not in (price, name) else texts[line] if said else ""
        desc = "" if SHOP_NOTE.search(desc) else desc  # "Shipping calculated at checkout." says nothing of it
        desc = desc if re.search(r"[^\W\d_]", desc) else ""  # a rating's count "(1,203)" neither ("250 g" does say)
        # Shopify's Dawn writes a card's price twice, the second for a sale its CSS shows only then: no description.
        again = [m.group().strip() for m in PRICE.finditer(desc)]
        bare_price = again and set(again) <= set(prices) and not re.sub(r"\b[A-Z]{3}\b", "", PRICE.sub("", desc)).strip()
        desc = "" if bare_price else desc  # "$14.00 USD" again ("250 g", "$3.99 / lb" stay: what the price buys)
        one = texts[price]
        before, stop, tail = one.rpartition(". ")
        if stop and not own and len(prices) == 1 and PRICE.search(tail) and not PRICE.search(before):
            # "Bath, blow-dry, haircut and nail trim. From $55.": the price is its last sentence, the rest describes it
            one, desc = tail, desc or f"{before}."
        one = one.rstrip(".") if keep_case else lower_first(one.rstrip("."))
        shown = own[1] if own else one if len(prices) == 1 else f"{prices[-1]} ({was_word} {prices[0]})"
        card.text = f"{card.name}: {shown}" + (f" — {desc if keep_case else lower_first(desc)}" if desc else "")
        free_from = FREE_SERVICE.search(card.name) and FROM_AMOUNT.search(texts[price])  # free from an amount on
        if FREE_THING.fullmatch(card.name.strip()) and free_from and len(prices) == 1 and name >= 0:
            # "Kostenloser Versand ab 50 €", "Free Shipping" over "on orders over $50": what is free from that amount
            # on, an offer said as one line, never a product called "Free Shipping" at that price.
            lo, hi = min(price, name), max(price, name)
            card.kind, card.value, card.name = "offer", prices[0], ""
            card.evidence = " ".join(written[lo : hi + 1])
            card.text = texts[price].rstrip(".") if own else f"{texts[name].strip()} {one}"
            return card
        if IMPACT.match(card.name) and len(card.name.split()) >= 3 and not own:
            # A donation tier ("$25" over "Vaccinates one puppy"): what a gift does, not a product called "Vaccinates ...".
            card.text, card.name = f"{shown} {lower_first(card.name)}", DONATION
        section = " ".join(b.section for b in parts[:1])
        card.region = "pricing" if PRICING_WORDS.search(f"{section} {page_url}") else "card"
        classes = tokens(f"{words} {section}")
        # A stat box's amount ("$310M / In sales volume"), or money its label says was moved, not charged: a stat,
        # said as one ("$310M in sales volume"). A product that starts like one ("Collected Poems") stays a price.
        counted = bool(STATISH.search(words) and not PRICING_WORDS.search(words)) or MONEY_MOVED.match(card.name) is not None
        if counted:
            # "$140M+" over "in ad spend managed": the plus says "more than", and stays.
            plus = "+" if re.fullmatch(rf"\s*{re.escape(card.value)}\s?\+\s*", texts[price]) else ""
            card.text = f"{card.value}{plus} {lower_first(card.name)}"
        if classes & RESULT_WORDS and not classes & NOT_RESULTS and not counted:
            # "$4.2 Million / Trucking Accident Settlement" under "Results": money won for a client, not a price, said
            # as one line ("$4.2 million trucking accident settlement").
            amount = _SCALE_WORD.sub(lambda m: m.group().lower(), card.value)
            card.text = f"{amount} {card.name if keep_case else lower_title(card.name)}"
        if (classes & RESULT_WORDS and not classes & NOT_RESULTS) or counted:
            card.kind, card.name, card.region = "stat", "", "stat"
        return card
    # A comparison table's row ("Practitioners | 1 | 10"): numbers in columns, no stat; a stats table's row ("350+ |
    # weddings photographed") is one.
    compared = tag_of(el) == "tr" and sum(1 for t in texts if STAT_VALUE.match(t)) >= 2
    if stat >= 0 and not compared:
        label = next((i for i in (stat + 1, stat - 1) if 0 <= i < len(parts) and _label_like(parts[i])), -1)
        if label >= 0 and short[label] <= MAX_LABEL_WORDS:
            lo, hi = sorted((stat, label))
            card.kind, card.value, card.name, card.region = "stat", texts[stat], texts[label], "stat"
            card.evidence = " ".join(written[lo : hi + 1])
            card.text = f"{texts[stat]} {texts[label] if keep_case else lower_title(texts[label])}"
            if re.fullmatch(YEAR, texts[stat]) and SINCE_LABEL.fullmatch(texts[label]):
                card.text = f"{texts[label]} {texts[stat]}"  # a counter "1987" over "Desde": "Desde 1987", a founding
        return card
    for i, text in enumerate(texts if STATISH.search(words) else []):
        m = LEADING_STAT.match(text) if short[i] <= MAX_LABEL_WORDS + 1 else None
        if m and STAT_VALUE.match(m.group(1)) and parts[i].role in ("text", "heading"):
            card.kind, card.value, card.region = "stat", m.group(1), "stat"
            card.name = re.sub(r"^(?:de|d’|d'|of|von|del?)\s*", "", m.group(2))  # "48 h de fermentation" -> "fermentation"
            shown = m.group(2) if keep_case else lower_title(m.group(2))
            card.evidence, card.text = text, f"{m.group(1)} {shown}"
            break
    return card


def _coupon_line(headline: str, what: str) -> str:
    """A coupon said as one line: "$50 OFF" + "Any plumbing repair" -> "$50 off any plumbing repair"; "FREE Estimates"
    + "Any size project" -> "Free estimates on any size project"."""
    head = re.sub(r"\b[A-Z]{2,}\b|(?<=\S )Off\b", lambda m: m.group().lower(), headline)  # "$50 OFF", "Up to $1,500 Off"
    free = FREE_THING.fullmatch(headline) is not None
    if free:
        head = lower_title(head[:1].upper() + head[1:])  # "Free Estimates" reads as a Title Case label
        what = f"on {lower_first(what)}" if ON_ANY.match(what) else what
    head = head if head[:1].isdigit() else head[:1].upper() + head[1:]
    return f"{head} {lower_first(what)}"


def _coupon(parts: list[Block], texts: list[str]) -> int:
    """The index of a coupon's headline ("$50 OFF", "FREE Estimates") followed by the line that says on what, or -1.
    Not a plan card's "Save 20%" badge (the card has a price of its own), nor a feature box's "Free Inspection" over
    its sentence ("Every roof we look at gets ...")."""
    for i, text in enumerate(texts[:-1]):
        if len(text.split()) > MAX_COUPON_WORDS or not (MONEY_OFF.fullmatch(text) or FREE_THING.fullmatch(text)):
            continue
        after, what = parts[i + 1], texts[i + 1]
        words = len(what.split())
        # Another line that is a price of the card's own ("$8/month"), not fine print that names an amount.
        priced = any(PRICE.fullmatch(t.strip()) or _named_price(t) for j, t in enumerate(texts) if j not in (i, i + 1))
        if after.role != "text" or not 2 <= words <= MAX_DESC_WORDS or PRICE.fullmatch(what.strip()) or priced:
            return -1
        sentence = what.rstrip().endswith(".")
        if MONEY_OFF.fullmatch(text) or ((ON_WHAT.match(what) or ON_ANY.match(what)) and not sentence):
            return i
        return -1
    return -1


def sold_out(card: _Element) -> bool:
    """Whether a product card says, by a class on it or inside it, that it is sold out (Shopify's
    "price--sold-out", WooCommerce's "outofstock"). Not by the words "Sold out": a theme writes its sold-out
    badge into every price box and shows it only by that class."""
    for node in islice(card.iter(), MAX_CARD_NODES):
        classes = (node.get("class") or "").lower().split() if isinstance(node.tag, str) else []
        if any(c.rsplit("--", 1)[-1] in SOLD_OUT for c in classes):
            return True
    return False


def heads(block: Block) -> bool:
    """A heading, or a definition list's term (Tailwind UI's feature grid: <dt>name</dt><dd>sentence</dd>)."""
    return block.role == "heading" or (block.tag == "dt" and block.role == "text")


def _label_like(block: Block, *roles: str) -> bool:
    return block.role in (roles or ("text", "heading")) and not PRICE.search(block.text) and not STAT_VALUE.match(block.text)


def _named_price(heading: str) -> tuple[str, str] | None:
    """A heading that names an offer with its one price ("$89 Tune-Up Special", "Tune-Up Special from $89")
    as (name, price as said); None when the words beside the price only qualify it ("$29 / month")."""
    m = PRICE.search(heading)
    if m is None:
        return None
    before, after = heading[: m.start()], heading[m.end() :].strip(" -–—:|·,")
    before = re.sub(r"\s*(?:\.{2,}|…+)\s*$", "", before).strip(" -–—:|·,")  # "Coupe homme ........ 28 €"
    lead = PRICE_LEAD.search(before)
    said = f"{lead.group(1)} {m.group().strip()}" if lead else m.group().strip()
    if before and PRICE_TAIL.match(after) and len(after.split()) <= MAX_UNIT_WORDS:
        said, after = f"{said} {after}", ""  # "Fassadenanstrich ab 29 € / m²": the unit is the price's
    name = (before[: lead.start()] if lead else before).strip(" -–—:|·,") if before else after
    if (before and after) or not re.search(r"[^\W\d_]{3}", name) or PRICE_TAIL.match(after or name):
        return None
    return name, said


def _name(parts: list[Block], exclude: set[int]) -> int:
    """The card's name: its heading, else its first short line of text, else its title link (a shop grid's
    product name is often a bare link: Squarespace's summary-title)."""
    for want in ("heading", "text", "link"):
        for i, b in enumerate(parts):
            if (
                i not in exclude
                and b.role == want
                and len(b.text.split()) <= MAX_NAME_WORDS
                and _label_like(b, want)
                and not SHOP_BADGE.fullmatch(b.text)
            ):
                return i
    return -1


def lower_first(text: str) -> str:
    """ "Single fixture" -> "single fixture"; names and acronyms ("Wi-Fi", "GDPR", "iPhone") stay."""
    words = text.split(" ", 2)
    first = words[0].rstrip(",;:")
    named = len(words) > 1 and words[1][:1].isupper()  # "San Marzano tomato, ...": a name of two capitals
    letters = first.rstrip(".").replace("-", "")  # "On-time delivery", "Sq. ft. facility"
    if first.endswith(".") and letters.lower() in _KEPT_ABBREVIATIONS:
        return text  # "Mr. and Mrs. Smith", "Dr. med. Müller", "Jan. 2024"
    if first == "A" or (len(first) > 1 and first[0].isupper() and first[1:].islower() and letters.isalpha() and not named):
        return text[0].lower() + text[1:]  # not "I"
    return text


# Abbreviations that keep their capital mid-sentence: titles and months.
_KEPT_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                       "sept", "oct", "nov", "dec"}  # fmt: skip
# The small words Title Case leaves in lower case ("Recovered for Clients", "Years of Experience").
_TITLE_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "per", "the",
                      "to", "with", "de", "des", "du", "et", "la", "le", "les", "y", "del", "el"}  # fmt: skip


def lower_title(label: str) -> str:
    """A Title Case label as running text ("Projects Completed" -> "projects completed", "Recovered for
    Clients" -> "recovered for clients")."""
    words = label.split()
    capitals = [w for w in words if w not in _TITLE_SMALL_WORDS]
    if len(capitals) > 1 and all(w[:1].isupper() and (w[1:].islower() or not w[1:].isalpha()) for w in capitals):
        return " ".join(w.lower() if w[1:].islower() and w.lower() not in KNOWN_NAMES else w for w in words)
    return lower_first(label)
