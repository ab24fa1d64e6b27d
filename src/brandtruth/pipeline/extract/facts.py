"""Facts: what a page states that an ad could cite, each with its verbatim evidence and provenance.

Facts come from a page's content regions only (never navigation, forms, cookie banners, modals,
headings, buttons or legal text; a footer only for certifications): sentences of paragraphs, the
items of badge strips and lists, cards read whole (a price with its product, a number with its
label) and testimonials with their author.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from itertools import islice

from ..models import UNTITLED_KINDS, Fact, card_title
from ..truth import find_checkables
from .answers import unanswered
from .cards import Card, heads, lower_first
from .lexicon import (
    ABOUT,
    ASKING,
    BULLETS,
    INCLUDED,
    INSTRUCTION,
    KINDS,
    LEAD_IN,
    NOT_FACT,
    PHONE,
    PREMISE,
    PRICE,
    unbulleted,
    without_pictographs,
)
from .page import ParsedPage
from .pieces import pieces, price_subject, value_of
from .regions import Block

# Words that end in a full stop without ending the sentence.
ABBREVIATIONS = {
    "inc", "ltd", "co", "corp", "llc", "bv", "b.v", "gmbh", "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "st",
    "no", "nr", "approx", "u.s", "u.k", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "min", "max", "ca", "fig", "ave", "bzw", "z.b", "inkl",
    "env", "av", "sr", "sra", "mme", "m",
    # German, French and Spanish price and address notes: "inkl. 19 % MwSt., zzgl. Anfahrt ...", "p. ex.", "aprox."
    "zzgl", "mwst", "ggf", "evtl", "usw", "tel", "ust", "exkl", "str", "cf", "p.ex", "p.ej", "aprox", "pág", "excl",
    "incl", "hrs",
}  # fmt: skip
# A stop, then a footnote's mark ("… sewer repairs.* Apply Now": the mark belongs to the sentence it ends).
_BOUNDARY = re.compile(r"[.!?…]+[*†]*[\"”’)\]]*\s+(?=[\"“‘(¿¡]?[A-Z0-9À-Ý])")
# German writes an ordinal with a full stop: "Bis 31. Januar", "in 3. Generation", "am 1. Mai". Read after these
# words, or before a month, a day's or a generation's number ends no sentence.
# Not after "ab", "bis" alone ("Kinder ab 6. Jetzt anmelden!"): there only before a month ("bis 30. September").
_ORDINAL_BEFORE = {"am", "zum", "vom", "seit", "im", "der", "die", "das", "dem", "den", "des", "zur", "jeden", "jeder"}
_MONTH_AFTER = re.compile(
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|januari|februari|"
    r"maart|mei|juni|juli|augustus|oktober)\b|(?:Generation|Stock|Etage|Jahrhundert|Klasse|Auflage)\b"
)

QUOTE_SECTION = re.compile(r"\b(testimonials?|quotes?|reviews?)\b")
FEATURE_SECTION = re.compile(r"\b(features?|benefits?|how-it-works|services?|capabilit\w*|why)\b")


def split_sentences(text: str) -> list[str]:
    """Sentences of one block, each a verbatim slice of it."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        head = text[start : m.start()]
        words = head.rsplit(" ", 2)
        last = words[-1].lower().rstrip(".")
        if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        if re.match(r"\.{3,}|…", m.group()) and DOT_LEADER.match(text, m.start()):
            continue  # a price list's dot leader: "Coupe homme ........ 28 €" (not "in 2009... 15 years later")
        before = words[-2].lower() if len(words) > 1 else ""
        if len(last) <= 2 and last.isdigit() and (before in _ORDINAL_BEFORE or _MONTH_AFTER.match(text, m.end())):
            continue
        out.append(text[start : m.start() + len(m.group().rstrip())].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def classify(sentence: str, section: str, quoted: bool = False) -> str | None:
    if quoted:
        return "testimonial" if len(sentence.split()) >= 5 else None
    if sentence[:1] in "—–-" and QUOTE_SECTION.search(section):
        return None  # "— Jess M., verified buyer": an attribution line
    for kind, pattern in KINDS:
        if pattern.search(sentence):
            return kind
    if FEATURE_SECTION.search(section) and 6 <= len(sentence.split()) <= 40 and sentence[-1:] in ".!":
        return "feature"
    return None


_STAT_LABEL = re.compile(r"^[\d,.]+[%+x×]?\s+(?=[A-Z])")


def drop_stat_label(sentence: str) -> str:
    """ "2,400+ More than 2,400 teams ..." (a big-number label run into its sentence) -> the sentence.

    The remainder is still a verbatim slice of the page, so it stays valid evidence.
    """
    m = _STAT_LABEL.match(sentence)
    if m and m.group().strip().rstrip("%+x×") in sentence[m.end() :]:
        return sentence[m.end() :]
    return sentence


_AFTER_STARS = re.compile(r"([★⭐]\s+)(Based|From|On|Basé|Sur|Sobre|Basado|Basierend|Aus|Auf|De)\b")


def trim(sentence: str) -> str:
    """The fact's own text: the sentence without quote marks, bullets, a closing full stop or a
    repeated stat label ("2,400+ More than 2,400 ...")."""
    # "… without insurance.*": the mark points to fine print (its own fact, see _terms), no word of the claim.
    text = _unquoted(without_pictographs(sentence.strip())).rstrip("*†‡").rstrip(".!")
    # A dash typed as a bullet goes; a minus before a number is money off ("-10 % sur votre première visite").
    text = re.sub(r"^[-–—](?![-−]?\s?\d)", "", text.lstrip(BULLETS)).lstrip(BULLETS + "–—").strip()
    text = LEAD_IN.sub("", text) or text
    text = DOT_LEADER.sub(" ", text)  # a price list's "Coupe homme ........ 28 €"
    # A rating widget's lines run on from its stars: "4,9 ★★★★★ basé sur 212 avis Google", not "… Basé sur …".
    text = _AFTER_STARS.sub(lambda m: m.group(1) + m.group(2).lower(), text)
    m = _STAT_LABEL.match(text)
    if m and m.group().strip().rstrip("%+x×") in text[m.end() :]:
        text = text[m.end() :]
    return text


# The dots (or rules) a price list or menu leads its eye with from a name to its price.
DOT_LEADER = re.compile(
    r"\s*(?:\.{3,}|…+\.*|·{3,}|_{3,}|-{4,})\s*"
    r"(?=[^.!?]{0,25}\d[\d.,]*\s?(?:€|\$|£|EUR|CHF)?\s?(?:\+|&\s*up|/\s?\w+|\([^)]{0,20}\)|,-)?\s*$)"
)
_OPENERS, _CLOSERS = '“"‘«„', '”"’»“'
_INNER_CLOSERS = '”"»“'  # not ’: it is also an apostrophe ("don’t")


def _unquoted(text: str) -> str:
    """The sentence without the quote marks around it; a quoted phrase it opens with keeps its marks
    (“Fixed right the first time” is our promise...), or the fact would read with one mark only."""
    if text[:1] in _OPENERS and not any(c in _INNER_CLOSERS for c in text[1:].rstrip(".!?…" + _CLOSERS)):
        text = text[1:]
    if text[-1:] in _CLOSERS and not any(c in _OPENERS for c in text[:-1].lstrip()):
        text = text.rstrip(_CLOSERS)
    return text.strip()


# Whom or where an offer is only for: "Local residents only, first-time students.", "Dine-in only."
_ONLY_FOR = r"[\w'’-]+(?: [\w'’-]+){0,2} only(?=[,.;]|$)"
# Fine print's words wherever they stand: "Expires 12/31.", "Not valid with other offers.", "With approved credit."
_FINE_WORDS = (
    r"expires|valid until|restrictions apply|not valid with|cannot be combined|while supplies last|with approved credit|"
    r"on approved credit|see store for details|see dealer for details"
)
# Fine print that may end a paragraph of other sentences: only words no claim starts with ("Conditions we treat
# include sciatica" is no fine print; "Local residents only, first-time students." and "Expires 6/30." are).
TRAILING_TERMS = re.compile(
    rf"^(?:{_ONLY_FOR}|first[- ]time \w+|new (?:customers|clients|patients|students) only|"
    r"offer valid|valid (?:on|for|through|until|with)|expires|not valid|one per|must present|subject to|"
    r"limit (?:one|1) per|excludes|(?:terms|conditions|terms and conditions|t&cs?) apply|nur für (?:neu\w*|mitglieder)|"
    r"nur gültig|gültig bis|válid[oa] hasta|valable jusqu|offre valable|solo para|solo per|alleen voor|geldig tot)|"
    rf"\b(?:{_FINE_WORDS})\b",
    re.I,
)
MAX_FACTS = 60
MAX_BLOCK_SENTENCES = 200
OFFER_KINDS = {"offer", "price", "trial"}
TERMS = re.compile(
    r"^(new customers only|valid|offer valid|expires|terms|not valid|limit|one per|\*|conditions|excludes|must present|"
    r"residential only|subject to|offre valable|valable|gültig|nur für|válido|oferta válida|"
    rf"{_ONLY_FOR}|first[- ]time (?:students|clients|customers|guests|visitors|patients))|"
    rf"\b({_FINE_WORDS}|gültig bis|valable jusqu|subject to credit approval)",
    re.I,
)
# Class words of fine print; "small" but not a type scale's "text-size-small" (Webflow, Tailwind-like
# utilities), which a whole page uses.
FINE_PRINT = re.compile(r"terms|fine|(?<!size-)(?<!text-)small|disclaimer|note|legal|conditions|mentions|hinweis|condiciones")
NO_FACTS = {"nav", "form", "cookie", "modal", "feed"}  # regions that never state facts (a blog teaser, a job ad)
PRESS_HEADING = re.compile(r"(?:as (?:seen|featured) (?:in|on)|featured (?:in|on))", re.I)
MAX_PRESS_TITLES = 8
MAX_TAGLINE_WORDS = 16
MAX_PRICE_UNIT_WORDS = 3  # "$110 per couple"
SKIP_ROLES = {"heading", "button", "label", "legal", "link"}
# What a price sentence says it prices when it does not name it: nothing (the empty first choice), the
# plans, the rates, it.
_UNNAMED_PRICE = re.compile(
    r"|(?:our |the |all )?(?:plans?|prices?|pricing|rates?|packages?|sessions?|visits?|options?|services?|"
    r"it|this|they|these|tarifs?|prix|preise?|precios?|tarifas?)|an? (?:month|year|week|day|hour|visit)"
    r"|from|only|just|starting(?: at)?|ab|dès|desde|à partir de|a partir de",  # "From $55." under the card's heading
    re.I,
)
# A sale's label or a fee, no name of a product: "Was $50", "Reg. $40", "Corkage $15", "Minimum order $30".
_NO_PRODUCT = re.compile(
    r"(?:was|now|reg(?:ular)?\.?|sale|save|special|orig(?:inal)?\.?|compare at|price|down|over|est\.?|avg\.?|free"
    r"(?: over\b.*)?|shipping|delivery)|.*\b(?:fee|charge|deposit|corkage|surcharge|total|subtotal|tax|value|worth|minimum|"
    r"required|included)|(?:minimum|min\.?|average|orders? (?:over|above|of))\b.*",
    re.I,
)
# What a customer must do or pay: a house rule, never an ad's offer.
HOUSE_RULE = re.compile(
    r"\b(is|are) required\b|\brequires? an?\b|\bnon-?refundable\b|\bwill be charged\b|\bno-?show\b|"
    r"\b(cancell?ation|late|rebooking) fee\b|\bmust be (paid|booked|cancell?ed)\b|"
    r"\bcheck-?in (is )?((from|after|at|between)\s*(\d|noon)|\d{1,2}([:.h]\d\d|h\b|\s*[ap]\.?m\b))|"
    r"\bcheck-?out (is )?((by|before|until|at)\s*(\d|noon)|\d{1,2}([:.h]\d\d|h\b|\s*[ap]\.?m\b))|"
    r"\b(additional|extra) (fee|charge)\b|\bsurcharges?\b(?!-free)",  # a hotel's hours, a fee on top: its terms
    re.I,
)
_NEGATED = re.compile(r"\b(no|never|not|without|zero)\b[^.;]{0,30}$", re.I)


def _house_rule(said: str) -> bool:
    """A term the customer is held to ("A 50% deposit is required"), not one waived ("no down payment is required",
    "no late fee ever")."""
    m = HOUSE_RULE.search(said)
    return m is not None and not _NEGATED.search(said[: m.start() + len(m.group().split()[0])])


# Headings whose list items are each of one kind, whatever their words: "Book Direct & Save" over "Free late
# checkout until 12pm", "Awards" over "AA 4 Silver Stars" (not a count of stars) and "The Good Hotel Guide 2026".
# "Daily Specials", "Happy Hour Specials", "Unsere Auszeichnungen"; not "Energy Savings" nor "Recent Home Offers".
_QUALIFIED = (
    r"^(?:(?:our|unsere|nos|nuestras|nuestros|le nostre|onze) )?(?:(?:current|daily|weekly|monthly|seasonal|special|"
    r"exclusive|member|members'|happy hour|holiday|latest|hotel|today's|this month's|online|limited-time|spring|summer|"
    r"fall|autumn|winter|industry|aktuelle) )?"
)
_AND_MORE = r"(?: (?:&|and|und|et|y|e|en) [\w'’ -]{1,30})?$"  # "Awards & Accolades", "Deals & Discounts"
LISTED_AS = (
    (
        "award",
        re.compile(
            _QUALIFIED + r"(?:awards?|accolades|recognition|honou?rs|auszeichnungen|récompenses|distinctions|premios|"
            r"reconocimientos|premi|riconoscimenti|onderscheidingen|prêmios)" + _AND_MORE,
            re.I,
        ),
    ),
    (
        "offer",
        re.compile(
            _QUALIFIED + r"(?:specials|deals|offers|perks|promotions|coupons|offres|angebote|ofertas|offerte|"
            r"aanbiedingen|promociones|vorteile|avantages|ventajas|vantaggi|voordelen|vantagens)" + _AND_MORE + "|"
            r"\b(?:&|and) save$|\bbook(?:ing)? direct\b|\bdirekt buchen\b|\bréservation directe\b|\breserva direct[ao]\b|"
            r"\bprenotazione diretta\b|\bdirect boeken\b",
            re.I,
        ),
    ),
)
MAX_LISTED_WORDS = 16
MAX_TERMS_SENTENCES = 6  # a paragraph that ends in fine print is short
# A heading that names a membership ("Join the Comfort Club", "VIP Membership", "Become a Member"): what its list
# offers, only its members get.
MEMBERSHIP_HEADING = re.compile(
    r"(?:join (?:the |our )?|become an? |our |the )?(?P<club>(?:[\w'’&-]+ ){0,3}(?:club|membership|maintenance plan|"
    r"loyalty program|rewards club|rewards program)|vip(?: club| program)?|members?)(?: perks| benefits)?",
    re.I,
)
# A perk for whoever joins or is referred, not for members: "Save £50 on your joining fee", "Your friend gets 20% off".
NOT_A_PERK = re.compile(r"\b(join\w*|sign[- ]?up|enrol\w*|referr\w*|friends?)\b", re.I)
MAX_PROMISE_HEADING_WORDS = 8
# A section heading over the cards of what the brand sells or does: "Our Services", "Unsere Leistungen", "Nos
# prestations", each card's one-word heading ("Kitchens", "Einbauschränke") names one of them.
SERVICES_HEADING = re.compile(
    r"^(?:our |unsere |nos |nuestros |i nostri |onze |nossos )?(?:(?!(?:reliable|trusted|professional|affordable|quality|"
    r"expert|fast|friendly|local|honest|quick|premium|best|top|complete|comprehensive|full|great|dependable)\b)"
    r"[\w'’-]+ ){0,2}(?:services|products|what we do|leistungen|"
    r"produkte|prestations|produits|servicios|productos|servizi|prodotti|diensten|producten|serviços|produtos)"
    r"(?: (?:&|and|und|et|y) (?:pricing|prices|preise|tarifs|precios|prezzi|prijzen|preços))?$",
    re.I,
)
# A heading that names an offer rather than a product: "New Patient Special", "Spring Tune-Up Deal".
OFFER_NAME = re.compile(
    r"\b(specials?|offers?|deals?|promo(tion)?s?|coupons?|discounts?|bundles?|savings|happy hours?|angebot|aktion|offre|"
    r"promotion|oferta|promoci[oó]n|offerta|promozione|aanbieding|actie)\b",
    re.I,
)
WORD = re.compile(r"[^\W\d_]{2,}")
STEP = re.compile(r"^\s*(?:step|schritt|étape|paso)?\s*\d+\s*[.:)–—-]?\s", re.I)  # "Step 1: Book online", "2. Ship"
# A heading that states them is a fact: "Trusted by 3,000+ restaurants", "Seit 1962 in Familienhand".
PROOF_HEADINGS = {"customers", "award", "founded", "guarantee"}  # and "30-Day Money-Back Guarantee"
# A heading that names a promise ("30-Day Money-Back Guarantee", "7-day freshness promise", "Our Happiness
# Guarantee"): the sentences under it that say what happens if ("Try the course for 30 days", "If your flowers don't
# last 7 days, we'll replace them", "we'll re-clean for free") are that guarantee, not a stat or an offer.
PROMISE_HEADING = re.compile(
    r"\b(guarantee|promise|warranty|money[- ]back|garantie|versprechen|garant[ií]a|garanzia|promesse|promesa|belofte)\b",
    re.I,
)
PROMISE = re.compile(
    r"\b(if|we['’]ll|we will|try|refund\w*|replace|re-?\w+ for free|money back)\b|"
    # Elsewhere a sentence that opens on an "if" and says its remedy or a dissatisfaction: "Wenn Ihre Blumen nicht 7
    # Tage halten, ersetzen wir sie", "Si el producto llega dañado, lo reemplazamos", "Si un détail ne vous convient
    # pas" (not "Si vous habitez hors de Nantes, des frais … s'appliquent", "Si vous commandez avant midi, la
    # livraison est gratuite": free is an offer, no remedy).
    r"^(?:si|se|wenn|falls|als)\b[^.]{0,100}\b(?:rembours\w*|rempla\w*|revenons|convient|ersetz\w*|erstatt\w*|"
    r"umtausch\w*|zufrieden|reemplaz\w*|devolv\w*|satisfech\w*|sostitu\w*|rimbors\w*|soddisf\w*|vervang\w*|"
    r"terugbeta\w*|tevreden)\b",
    re.I,
)
ANNOUNCED = {"certification", "offer", "price", "trial", "guarantee", "service", "founded", "award", "customers"}
ITEM_KINDS = {
    "feature", "certification", "guarantee", "award", "trial", "price", "customers", "founded", "stat", "offer", "service",
    "security",
}  # fmt: skip
REGION_NAMES = {"main": "section", "section": "section", "aside": "section"}
OFFER = re.compile(
    r"\b(free (estimates?|inspections?|quotes?|consultations?|pickup|installation|assessments?|returns?)|"
    r"(?<![\w-])free (?!to\b)(?:[\w-]+ ){0,2}?(?:shipping|delivery)|(is|are) free|"
    r"for free|financing|0\s?% (?:apr|interest|financing)|interest[- ]free|no interest|"
    r"\d+ ?% off|off your first|half[- ]price|half off|save (?:up to )?(?:\d+(?= ?%)|[$€£] ?\d+)|"
    r"\d+ ?% (?:de |di )?(?:réduction|remise|rabatt|descuento|sconto|korting|desconto)|"
    r"moitié prix|halben Preis|mitad de precio|devis gratuit|kostenlose[sn]? (Angebot|Beratung)|presupuesto gratis|"
    # Free delivery where no word below says "free" ("gratuite", "gratuita" do): "Envío gratis", "versandkostenfrei".
    r"preventivo gratuito|gratis (ophalen|bezorg\w*|verzend\w*|levering|offerte|advies|proefles)|orçamento grátis|"
    r"kostenlose[rn]? (Versand|Lieferung)|versandkostenfrei|env[ií]o gratis|frete grátis|envio grátis|"
    r"free cancell?ation|kostenlose Stornierung|annulation gratuite|cancelaci[oó]n gratuita|"
    r"gratuit[oa]s?|gratuite?s?|offerte?s?|financiaci[oó]n|financement|finanzierung|sin intereses|sans frais|zinsfrei)\b|"
    r"[$€£]\s?\d+(?:[.,]\d\d)?\s?off\b|"  # "$10 off any oil change"
    # "-10 % sur votre première visite", "Soldes : -30 % sur toute la boutique": money off as Europe writes it, opening
    # the line or on what it is off (not "réduisent vos émissions de -40 %").
    r"^\W{0,2}[-−]\s?\d+\s?%(?!\w)|(?<![\w-])[-−]\s?\d+\s?%\s+(?:sur|auf|su|op|on|off|em|en tod[oa]s?)\b",
    re.I,
)


def extract_facts(pages: list[ParsedPage], limit: int = MAX_FACTS, brand_name: str = "") -> list[Fact]:
    """`brand_name`: a sentence that tells what the brand does, by its name, is a claim of its own
    ("Tracebolt exports standard OpenTelemetry data, so there is no lock-in.")."""
    speaks = _speaks_as(brand_name)
    facts: list[Fact] = []
    seen: set[str] = set()

    def add(text: str, evidence: str, url: str, kind: str, region: str, subject: str = "", value: str = "") -> None:
        # Once per evidence, and once per claim: the announcement bar's "Free shipping on orders over $40"
        # and the same sentence in the shipping paragraph are one fact.
        keys = {f"e:{evidence.casefold()}", f"t:{kind}:{text.casefold()}"}
        if keys & seen or len(facts) >= limit:
            return
        seen.update(keys)
        if kind in ("price", "offer") and not subject:
            subject = price_subject(evidence)
        value = value or value_of(kind, evidence)
        facts.append(Fact(id=f"f{len(facts) + 1}", text=text, evidence=evidence, source_url=url, kind=kind,
                          region=region, subject=subject, value=value))  # fmt: skip

    for page in pages:
        read: set[int] = set()
        listed = ""  # the kind the last heading gives its list's items
        club: tuple[str, Scope] | None = None  # the membership the last heading names, and where its list is
        promised: Scope | None = None  # where the last heading's guarantee holds, when it names one
        offered: str | None = None  # the section whose heading says its cards are what it offers ("Our Services")
        # A card's paragraphs: not its icon, not its <dt> name.
        # Not a line of its particulars ("American IPA · 6.8% ABV · 65 IBU"), which the heading names no less.
        paragraphs = Counter(
            b.card
            for b in page.blocks
            if b.role == "text" and not heads(b) and len(WORD.findall(b.text)) >= 2 and not _particulars(b)
        )
        for i, block in enumerate(page.blocks):
            if len(facts) >= limit:
                break  # full: the rest of the site can add nothing (a 3 MB page classified every sentence for none)
            card = page.cards[block.card] if 0 <= block.card < len(page.cards) else None
            if card is not None and (card.internal or card.sold_out):
                continue
            press = _press_mention(block, page.blocks[i + 1] if i + 1 < len(page.blocks) else None)
            if press is not None:
                add(*press, page.url, "award", "press")
            if card is not None and card.kind and block.card not in read:
                read.add(block.card)
                _card_fact(card, page.url, add)
            if block.role == "heading":
                said_above = block.text.strip().rstrip(":!.")
                listed = next((kind for kind, words in LISTED_AS if words.search(said_above)), "")
                joined = MEMBERSHIP_HEADING.fullmatch(said_above)
                club = (_members_of(joined.group("club")), (block.section, block.card)) if joined else None
                # Not a question ("How do I make a warranty claim?", "Do you offer a money-back guarantee?").
                asked = block.text.strip().endswith("?")
                names_promise = (
                    not asked and len(said_above.split()) <= MAX_PROMISE_HEADING_WORDS and PROMISE_HEADING.search(said_above)
                )
                promised = (block.section, block.card) if names_promise else None
                if block.card < 0 or block.tag in ("h1", "h2"):  # a section's heading, even where sections repeat
                    offered = block.section if SERVICES_HEADING.match(block.text.strip().rstrip(":")) else None
            hero_h1 = block.tag == "h1" and block.region == "hero"
            hero_heading = block.tag in ("h1", "h2") and block.region == "hero"  # "Over $250 Million Recovered"
            own = not block.quoted and block.region not in NO_FACTS  # not a review's title, a form's heading
            proof = own and block.role == "heading" and (hero_heading or classify(block.text, "") in PROOF_HEADINGS)
            if proof and find_checkables(block.text, ""):
                # The hero's own claim with a number ("Build next week's schedule in 10 minutes", "Zero
                # weekend work") is the tagline, and a heading that counts customers ("Trusted by 3,000+
                # restaurants") is proof: facts too, or no ad could say them (the truth check finds the
                # number nowhere).
                before = len(facts)
                _block_facts(dataclasses.replace(block, role="text"), card, page.url, add)
                if hero_h1 and len(facts) == before and 2 <= len(block.text.split()) <= MAX_TAGLINE_WORDS:
                    add(trim(block.text), block.text, page.url, "about", "hero")
                elif len(facts) == before and not block.text.strip().endswith("?"):
                    # A short heading that states a founding or a guarantee ("Family-Owned Since 1998", "30-Day
                    # Money-Back Guarantee"): too short for a sentence's fact, a fact of its own. A section's, not a card's
                    # (a dish called "Since 1998"); no award: "Top Rated Products" over a shop's grid is its label.
                    kind = classify(block.text, "") or ""
                    founded = kind == "founded" and block.card < 0 and len(block.text.split()) >= 2
                    if founded or (kind == "guarantee" and _names_guarantee(block.text.strip())):
                        add(trim(block.text), block.text, page.url, kind, REGION_NAMES.get(block.region, block.region))
                continue
            if block.role in SKIP_ROLES or block.region in NO_FACTS or block.quoted:
                continue
            if card is not None and card.kind and block.text in card.evidence:
                continue  # already said by the card's own fact
            if card is not None and card.kind in OFFER_KINDS and block.role in ("text", "legal") and TERMS.search(block.text):
                add(trim(block.text), block.text, page.url, "terms", "legal", card.text)  # a coupon's fine print
                continue
            before = len(facts)
            above = i - 1
            while above > 0 and above >= i - 2 and _particulars(page.blocks[above]) and page.blocks[above].card == block.card:
                above -= 1  # the card's line of particulars between its heading and its sentence
            heading = page.blocks[above] if above >= 0 else None
            one = card is not None and paragraphs[block.card] == 1  # a heading over several labels them all
            title = ""
            if card is not None and heading is not None and one and block.region != "hero":  # a hero is no card
                in_offered = offered is not None and block.section.startswith(offered)
                title = card.title if _titles(heading, block, card, one_word=in_offered) else ""
            listed_here = listed if block.tag == "li" and len(block.text.split()) <= MAX_LISTED_WORDS else ""
            # Only in the heading's own card or section: the next section's "if you book today" is no part of it.
            listed_here = "guarantee" if _in_scope(block, promised) and block.role == "text" else listed_here
            member = block.tag == "li" and not NOT_A_PERK.search(block.text)
            perks = club[0] if club is not None and member and _in_scope(block, club[1]) else ""
            _block_facts(block, card, page.url, add, title, speaks, listed_here, perks)
            if len(facts) > before and facts[-1].kind in OFFER_KINDS:
                _terms(facts[-1], block, page.blocks[i + 1 : i + 3], page.url, add)
        for q in page.testimonials:
            add(q.quote, q.quote, page.url, "testimonial", "testimonial", subject=q.author)
    return _one_point_titles(facts)


def _names_guarantee(heading: str) -> bool:
    """A heading that states a guarantee in terms an ad can hold it to ("30-Day Money-Back Guarantee", "Our 200%
    Happiness Guarantee"), not one that labels a section or a card ("Our Guarantees", "Lifetime Guarantee" over "We
    show up when we say we will")."""
    return re.search(r"\d|money[- ]back", heading, re.I) is not None


Scope = tuple[str, int]  # a heading's section and card: where what it says of the blocks under it holds


def _in_scope(block: Block, scope: Scope | None) -> bool:
    """Whether `block` is under the heading of `scope`: in its card (a page builder's column holds the heading's
    widget and the text's, each with a section of its own), else in its section; never the next section's."""
    if scope is None:
        return False
    section, card = scope
    return block.card == card if card >= 0 else block.section.startswith(section)


def _members_of(club: str) -> str:
    """Who a membership's perks are for, said as a label: "Comfort Club" -> "Comfort Club members", "VIP Membership"
    -> "VIP members", "Member" or "Membership" -> "Members"."""
    name = re.sub(r"\s*\bmembership$", "", club, flags=re.I)
    if name.lower() in ("", "member", "members"):
        return "Members"
    return name if name.lower().endswith("members") else f"{name} members"


def _particulars(block: Block) -> bool:
    """A card's line of particulars, two to six short parts between dots or bars ("American IPA · 6.8% ABV · 65
    IBU", "Every Tuesday · 7pm"): what the card's heading names is like, not a paragraph of its own."""
    parts = re.split(r"\s[·•|]\s", block.text.strip())
    return block.role == "text" and 2 <= len(parts) <= 6 and all(len(p) <= 32 and len(p.split()) <= 4 for p in parts)


def _press_mention(block: Block, names: Block | None) -> tuple[str, str] | None:
    """ "As seen in" over a line of publications ("Green Wedding Shoes · Junebug Weddings · Colorado Bride"): the
    press mention an ad can state, as (text, evidence); None for anything else."""
    heading = PRESS_HEADING.fullmatch(block.text.strip().rstrip(":"))
    # Its heading may be a small paragraph ("<p>As featured in</p>"): the words alone say what follows.
    if heading is None or block.role not in ("heading", "text") or names is None or names.role != "text":
        return None
    if block.region in NO_FACTS:
        return None
    if names.section != block.section or names.region != block.region:
        return None  # the next section's line ("Denver, Boulder and Fort Collins" after a wall of press logos)
    titles = [t.strip() for t in re.split(r"\s*[·•|,]\s*|\s+and\s+|\s+&\s+(?=[A-Z])", names.text.rstrip(".")) if t.strip()]
    if not 2 <= len(titles) <= MAX_PRESS_TITLES or not all(t[:1].isupper() and len(t.split()) <= 5 for t in titles):
        return None  # a sentence under the heading, not a list of titles
    said = f"{', '.join(titles[:-1])} and {titles[-1]}"
    return f"{heading.group().capitalize()} {said}", f"{block.text} {names.text}"


def _one_point_titles(facts: list[Fact]) -> list[Fact]:
    """A card heading over several sentences is a label for all of them ("What we believe", "Our
    Guarantees"), not the name of one point: those sentences keep no subject."""

    def title(f: Fact) -> tuple[str, str] | None:
        return (f.source_url, f.subject) if card_title(f) else None

    counts = Counter(title(f) for f in facts)
    return [f.model_copy(update={"subject": ""}) if title(f) and counts[title(f)] > 1 else f for f in facts]


def _terms(offer: Fact, said: Block, following: list[Block], url: str, add) -> None:  # type: ignore[no-untyped-def]
    """The fine print right after an offer ("New customers only... Expires December 31, 2024."), in its
    region and its card (if any): its own fact (kind "terms", subject the offer), so an ad can state the
    terms the site states, and never a claim of its own."""
    for block in following:
        if block.region != said.region or block.card != said.card or block.role not in ("text", "legal"):
            return
        if TERMS.search(block.text) or FINE_PRINT.search(block.section.rsplit(" ", 2)[-1] if block.section else ""):
            add(trim(block.text), block.text, url, "terms", "legal", offer.text)  # fine print: not copy on its own
            return
        # Fine print that ends a paragraph: "Try every class and find your favorites. Local residents only, first-time
        # students." (its first sentence read on its own, as any other).
        sentences = split_sentences(block.text)[:MAX_TERMS_SENTENCES]
        start = next((i for i, sentence in enumerate(sentences) if i and TRAILING_TERMS.search(sentence)), None)
        if start is not None:
            fine = block.text[block.text.index(sentences[start]) :]
            add(trim(fine), fine, url, "terms", "legal", offer.text)
            return


def _card_fact(card: Card, url: str, add) -> None:  # type: ignore[no-untyped-def]
    kind = card.kind
    if kind == "stat":
        said_as = (classify(card.evidence, ""), classify(card.text, ""))  # the text puts "Desde" before its "1987"
        kind = next((k for k in said_as if k in ("founded", "award", "certification", "guarantee")), "stat")
    add(card.text, card.evidence, url, kind, card.region, card.name, card.value)


def with_premises(sentences: list[str], text: str) -> list[str]:
    """Sentences with a short premise question joined to the answer that depends on it: "Late arrival?
    Your service call fee is waived." stays one statement (alone, the answer promises a free visit
    to everyone). Joined only where the two stand together in the page's text, so evidence stays verbatim."""
    out: list[str] = []
    i = 0
    while i < len(sentences):
        cur = sentences[i]
        nxt = sentences[i + 1] if i + 1 < len(sentences) else ""
        premise = cur.endswith("?") and len(cur.split()) <= 4 and not ASKING.match(cur.lstrip("¿¡ "))
        joined = f"{cur} {nxt}"
        if premise and nxt and joined in text:
            out.append(joined)
            i += 2
            continue
        out.append(cur)
        i += 1
    return out


def _priced_line(said: str) -> str:
    """What a card's sentence says of its price, price first: "Make a mug, a bowl and a plate. $240" ->
    "$240 — make a mug, a bowl and a plate."; "Plans start at $45 per visit" stays as it is."""
    m = PRICE.search(said)
    before = said[: m.start()].rstrip() if m else ""
    if m and before[-1:] in ".!" and len(said[m.end() :].split()) <= MAX_PRICE_UNIT_WORDS:
        return f"{said[m.start() :].strip()} — {lower_first(before)}"
    return lower_first(said)


def _titles(heading: Block, block: Block, card: Card, one_word: bool = False) -> bool:
    """Whether `heading` is the heading of `block`'s card right above it that names the card's point
    ("Lead-free glazes" over "We mix every glaze ourselves ..."), not a section's heading over a box of
    questions and answers, a question, a step number or a single word ("Quality"). `one_word`: the cards are
    under a heading of services or products, so one word names one ("Einbauschränke" under "Unsere Leistungen")."""
    if card.kind or not heads(heading) or heading.card != block.card or heading.text != card.title:
        return False
    enough = len(WORD.findall(card.title)) >= (1 if one_word else 2)
    return enough and not card.title.rstrip().endswith("?") and not STEP.match(card.title)


def _speaks_as(name: str) -> re.Pattern[str] | None:
    """The brand's name as a sentence's subject, then a verb in the present ("Tracebolt exports", "Acme
    keeps"); None for a name too short to tell from a word, or too long to be written whole."""
    if len(name) < 4 or len(name.split()) > 4:
        return None
    return re.compile(rf"^{re.escape(name)}(?:'s)?\s+(?:[a-z]+s|is|has|can|will|never|always|runs?|works?)\b")


def _block_facts(  # type: ignore[no-untyped-def]
    block: Block,
    card: Card | None,
    url: str,
    add,
    title: str = "",
    speaks: re.Pattern[str] | None = None,
    listed: str = "",
    perk_of: str = "",
) -> None:
    """`listed`: the kind the heading over this list item gives it ("award" under "Awards"). `perk_of`: the
    membership the heading over it names ("Comfort Club"), whose members alone get an offer listed there."""
    if block.region == "hero":
        card = None  # a hero is no feature card, even where a page builder repeats it like one (Elementor)
    region = "card" if card is not None else REGION_NAMES.get(block.region, block.region)
    items, short = pieces(block)
    sentences = islice(split_sentences(block.text), MAX_BLOCK_SENTENCES)  # no one reads a paragraph past that
    for piece in with_premises(items or list(map(drop_stat_label, sentences)), block.text):
        words = len(piece.split())
        # What a price in it prices, read once: None when it states no price.
        named = price_subject(piece) if PRICE.search(piece) else None
        unnamed = named is not None and _UNNAMED_PRICE.fullmatch(named) is not None
        # A price list's line ("Men's cut $28"): a name and its price, however short.
        named_price = named is not None and not unnamed and _NO_PRODUCT.fullmatch(named) is None
        low = 2 if short or items or named_price else 4
        # "From $55." ending a card's sentence: what the card's heading costs, however short (not "Was $50").
        titled_price = card is not None and bool(card.title) and unnamed
        if (words < low and not titled_price) or words > 60 or piece.endswith("?") or NOT_FACT.search(piece):
            continue
        piece = unbulleted(piece)  # "✓ Workmanship ...", "- Brakes": the tick is the list's, not the claim's
        said = unanswered(piece)  # "No. Evening visits ..." -> "Evening visits ..."; "Yes, on jobs ..." -> None
        if said is None:
            continue
        kind = classify(said, block.section)
        if kind in (None, "stat", "price") and OFFER.search(said):
            kind = "offer"  # "0% financing", "$25 off your first service", "every inspection is free"
        if kind in ("stat", "customers", "price", "offer", "service") and _house_rule(said):
            kind = "policy"  # "A 50% deposit is required for color services over $150": a term, not an offer
        if kind in ("stat", "customers") and INSTRUCTION.match(PREMISE.sub("", said)):
            # "Cancel up to 12 hours before class for a full credit", "First class? Arrive 10 minutes
            # early": a term or a visitor's instruction, not proof.
            kind = "policy"
        if listed == "guarantee":
            # Not money off or financing said there ("Get 0% financing for 18 months if you qualify"): an offer still.
            priced = kind == "offer" and (PRICE.search(said) or re.search(r"\d\s?%", said)) is not None
            kind = "guarantee" if kind in (None, "stat", "offer") and not priced and PROMISE.search(said) else kind
        # A star rating under "Awards" ("AA 4 Silver Stars") is one, not a count of stars.
        elif listed and (kind is None or (listed == "award" and kind == "customers" and re.search(r"\bstars?\b", said, re.I))):
            kind = listed
        if kind is None and INCLUDED.search(said):
            kind = "feature"  # "All mats, blocks and straps are provided.", "Tools included": what comes with it
        if kind is None and ABOUT.match(piece) and block.region in ("hero", "section", "main") and words <= 30:
            kind = "about"
        said_by_name = speaks is not None and speaks.match(said) is not None and block.region in ("main", "section")
        if kind is None and said_by_name and 6 <= words <= 40 and piece[-1:] in ".!":
            kind = "feature"  # what the brand does, said by its name ("Tracebolt exports standard OpenTelemetry data")
        if kind is None and card is not None and 6 <= words <= 40 and piece[-1:] in ".!":
            kind = "feature"  # the sentence of a feature or service card ("Local flour: We bake only with...")
        hero_text = block.region == "hero" and block.tag not in ("h1", "figcaption") and not PHONE.search(said)
        if kind is None and hero_text and 6 <= words <= 40 and find_checkables(said, ""):
            # The hero's sentence with a number ("... fired to 2,300°F so it's dishwasher safe"): the site's
            # value proposition, which no ad could say unless a fact states its number.
            kind = "feature"
        if kind is None or (words < 4 and kind not in ITEM_KINDS):
            continue
        # Footers state little, but a footer's "registered 501(c)(3)" is a real claim; a header's
        # announcement bar states offers ("Free local delivery on orders over $40").
        if block.region == "footer" and kind != "certification":
            continue
        if block.region == "header":
            if kind not in ANNOUNCED or PHONE.search(said):  # "Call 24/7: (916) 555-0110" is how to reach it
                continue
            region = "announcement"
        if kind in ("price", "offer") and title and OFFER_NAME.search(title) and title.casefold() not in said.casefold():
            # "New Patient Special" over "$79 exam, cleaning & X-rays for new patients": an offer, named by its heading.
            add(trim(said), piece, url, "offer", region, title)
        elif kind == "price" and card is not None and card.title and _UNNAMED_PRICE.fullmatch(price_subject(said)):
            # "Plans start at $45 per visit" under the card's "Lawn Care": the card names what it prices.
            add(f"{card.title}: {_priced_line(trim(said))}", piece, url, kind, region, card.title)
        else:
            # A feature card's sentence is about what its heading names ("Your data stays put" over "Queries
            # run inside your own warehouse; ..."): the brand's own short line for it, which an ad can head with.
            # "15% off all repairs" under "Join the Comfort Club" is no offer to everyone: it says whose it is.
            said = f"{perk_of}: {lower_first(trim(said))}" if perk_of and kind == "offer" else trim(said)
            add(said, piece, url, kind, region, title if kind not in UNTITLED_KINDS else "")
