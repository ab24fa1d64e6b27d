"""The verbal brand kit: name (reconciled from several sources), tagline, copy lists, language, voice."""

from __future__ import annotations

import re
from collections import Counter

from ..models import Fact, Testimonial
from .actions import business_type as business_type  # part of the kit
from .actions import primary_cta as primary_cta
from .actions import ranked_actions
from .facts import FINE_PRINT, TERMS, split_sentences
from .lexicon import HOURS, NOT_FACT, PHONE, unbulleted
from .naming import brand_name as brand_name  # reconciled in naming.py, part of the kit
from .page import ParsedPage
from .pieces import pieces
from .regions import Block

TITLE_SPLIT = re.compile(r"\s+[|–—\-:·•»]\s+")
GENERIC_HEADINGS = re.compile(
    r"^(features?|pricing|faq|questions|testimonials?|customers|about( us)?|contact( us)?|blog|news|team|menu|home|plans)$", re.I
)
PROP_REGIONS = {"hero", "header", "section", "main", "card"}
# A section of features or services (not "featured-listings", "featured-products": a shop window).
FEATURE_WORDS = re.compile(
    r"feature(?!d)|benefit|service|capabilit|leistung|prestation|servicio|why|pourquoi|warum|reason|promise|commitment|"
    r"engagement|avantage|vorteil|versprechen|ventaja|compromiso|usp|perch[eé]|vantagg|serviz|waarom|voordel|dienst|"
    r"vantage|servi[cç]"
)
MAX_BLOCKS_READ = 1500
# A heading or a label line over what the business offers.
SERVICES_LABEL = re.compile(
    r"^(our |nos |unsere |nuestros )?(services?|what we (do|offer)|we offer|specialties|leistungen|prestations|servicios)\b",
    re.I,
)
# A question (an FAQ), an attribution ("— Dana R., night nurse") or a street address is not a feature.
NOT_A_FEATURE = re.compile(
    r"\?$|^[—–-]|\b\d+\s+\w+(\s\w+)?\s(St|Street|Ave|Avenue|Rd|Road|Blvd|Lane|Way|Straße|Str\.|rue|calle)\b|"
    r"^(call|email|text|contact|write to|phone) (us|now|today)\b|" + HOURS.pattern,  # how to reach it, and when
    re.I,
)
STOPWORDS = {
    "en": {"the", "and", "to", "of", "you", "your", "for", "with", "is", "our", "we", "in"},
    "de": {"der", "die", "und", "das", "ist", "mit", "für", "wir", "sie", "nicht", "ein", "zu"},
    "fr": {"le", "la", "les", "et", "des", "pour", "vous", "nous", "est", "une", "avec", "du"},
    "es": {"el", "la", "los", "y", "de", "para", "con", "es", "nuestro", "una", "que", "su"},
    "nl": {"de", "het", "en", "van", "een", "voor", "met", "wij", "je", "jouw", "onze", "is"},
    "it": {"il", "di", "che", "della", "per", "anche", "sono", "questo", "nel", "gli", "nostro", "nostra"},
    "pt": {"não", "você", "são", "uma", "com", "nosso", "nossa", "também", "pelo", "pela", "seu", "sua"},
}


_WORDPRESS_DEFAULT = re.compile(
    r"just another wordpress(?:\.com)? (?:site|weblog|blog)|un site utilisant wordpress|eine weitere wordpress-website|"
    r"otro sitio realizado con "
    r"wordpress|un altro sito wordpress|zomaar een wordpress|só mais um site wordpress|mein wordpress blog",
    re.I,
)
# "Welcome to Rosie's", in any language read: no line of the brand's.
_GREETING = re.compile(
    r"^(welcome|hello|hi|willkommen|herzlich willkommen|bienvenue|bienvenido|bienvenidos|benvenut[io]|welkom|"
    r"bem-vindo|hola|bonjour|hallo|ciao)\b",
    re.I,
)
# A hero heading that is a label or an invitation, no slogan: "Summer Sale", "Now Open", "New in", "Free
# Consultation", "Get a free quote today" (not "New York's favorite bagels", "Free Range, Slow Grown").
_LABEL = re.compile(
    r"^(now open|new(?: in| arrivals?| collection| season| menu)?[!:]?$|neu(?: im shop)?$|nouveau(?:té)?s?$|nuevo$|"
    r"novità$|nieuw$|get|book|call|shop|order|try|start|contact|request|schedule|claim|join|save|jetzt|"
    # News and a short invitation to look ("Nuevo menú de temporada", "View our menu", "Découvrez nos nouveautés"),
    # not a slogan that starts alike ("Discover the taste of Provence").
    r"(?:nouveau|nouvelle|nuevo|nueva|nieuw|novità)\b|"
    r"(?:view|see|explore|browse|discover|découvrez|entdecken|descubre|scopri|bekijk)(?: \S+){1,2}$|"
    r"free (?:consultation|quote|estimate|shipping|delivery|trial|returns?|gift)s?|kostenlose?\w* (?:Beratung|Angebot))\b|"
    r"\b(sale|soldes|rebajas|saldi|uitverkoop)\b",
    re.I,
)
MIN_HERO_SLOGAN_WORDS = 3  # "Best Sellers", "Our Menu", "Gift Cards": a section's label
_SLOGAN_WORDS = {"site-description", "site-tagline", "tagline", "slogan", "site-slogan"}


def tagline(home: ParsedPage, name: str) -> str:
    """The hero's headline (the page's h1 outside forms and chrome), else the title's slogan part."""
    h1 = next((t for tag, t in home.headings if tag == "h1"), "")
    if h1 and not _GREETING.match(h1) and h1.casefold() != name.casefold() and 2 <= len(h1.split()) <= 14:
        return h1
    # The h1 is the name ("Rosie's Diner"), or the logo, or none (a page builder's hero heading is an h2): the hero's
    # next heading is its line ("All-day breakfast since 1979", "Flowers grown close to home").
    hero = (b.text for b in home.blocks[:MAX_BLOCKS_READ] if b.region == "hero" and b.role == "heading")
    line = next((t for t in hero if t.casefold() not in (name.casefold(), h1.casefold())), "")
    if h1.casefold() == name.casefold() and 2 <= len(line.split()) <= 14 and not _GREETING.match(line):
        return line
    # No h1 but the logo's: the hero's first heading, when it reads as a slogan, not a label or a button's words.
    if not h1.strip() and MIN_HERO_SLOGAN_WORDS <= len(line.split()) <= 14 and not (_GREETING.match(line) or _LABEL.search(line)):
        return line
    for part in TITLE_SPLIT.split(home.title):
        if part.casefold() != name.casefold() and len(part.split()) >= 2:
            return part
    # A theme's line under the site's name ("Hand-poured in the Cotswolds", WordPress's site-description).
    said = (b.text for b in home.blocks[:MAX_BLOCKS_READ] if b.region == "header" and _SLOGAN_WORDS & set(b.section.split()))
    # Not the line WordPress writes until the owner changes it ("Just another WordPress site", in any language).
    fresh = (t for t in said if not _WORDPRESS_DEFAULT.search(t))
    return next((t for t in fresh if 2 <= len(t.split()) <= 14 and t.casefold() != name.casefold()), "")


def description(home: ParsedPage) -> str:
    for key in ("description", "og:description", "twitter:description"):
        value = home.meta.get(key) or home.opengraph.get(key)
        if value:
            return value
    # Else the page's first paragraph that says what the business is: not a customer's words, nor fine print
    # ("*Valid for new clients only. Cannot be combined with other offers."), which no ad says on its own.
    said = (b for b in home.blocks if b.tag == "p" and len(b.text) > 60 and not b.in_chrome and not b.quoted)
    return next((b.text for b in said if not _fine_print(b)), "")


_FINE_BOXES = {"fine", "fineprint", "disclaimer", "legal", "terms", "conditions"}


def _fine_print(block: Block) -> bool:
    """A footnote ("*Valid for new clients only."), terms ("Expires 6/30"), or a paragraph in a box of fine print."""
    said = TERMS.search(block.text)
    terms = said is not None and not block.text[said.end() : said.end() + 1].isalpha()  # "Limit 1", not "Limited-edition"
    own = set(re.split(r"[-_]+", block.section.rsplit(" ", 1)[-1].lower())) if block.section else set()
    return block.text[:1] in "*†‡" or terms or bool(own & _FINE_BOXES)


def value_props(home: ParsedPage) -> list[str]:
    """The brand's short benefit lines, in its words: hero subheads, badge items, benefit list items.
    Never a heading, a button, a form label or legal text."""
    cta_texts = {t.casefold() for t, _r in home.actions}
    props: list[str] = []
    previous = None
    for block in home.blocks[:MAX_BLOCKS_READ]:
        labelled = _services_list(previous, block)
        prior, previous = previous, block
        if block.role != "text" or block.region not in PROP_REGIONS or block.quoted or NOT_FACT.search(block.text):
            continue
        if labelled:
            continue  # the lines under "OUR SERVICES:" are what it offers (features), not why to choose it
        if (block.card >= 0 and block.region != "hero") or FINE_PRINT.search(
            block.section.rsplit(" ", 3)[-1] if block.section else ""
        ):
            continue  # cards are read whole as facts; fine print is terms, not a benefit
        items, short = pieces(block)
        text = unbulleted(block.text)
        if items:
            props += [unbulleted(i) for i in items if len(i.split()) >= 2 and i[:1] not in "—–,;("]
        elif block.region == "hero" and 3 <= len(text.split()) <= 30 and len(split_sentences(text)) <= 2:
            # The line right under the hero's h1 says what the headline means: first, before an eyebrow or an
            # announcement bar above it.
            subhead = prior is not None and prior.tag == "h1" and prior.region == "hero"
            props.insert(0 if subhead else len(props), text)
        elif (
            block.tag == "li"
            and 2 <= len(text.split()) <= 16
            and (block.region in ("hero", "header") or FEATURE_WORDS.search(block.section))
        ):
            props.append(text)
    fragment = re.compile(r"^[—–\-,;(]|^[a-zà-ÿ]")  # a continuation, not a line of its own
    props = [p for p in dict.fromkeys(props) if not fragment.match(p) and not NOT_A_FEATURE.search(p)]
    return [p for p in props if p.casefold() not in cta_texts][:8]


def _services_list(label: Block | None, block: Block) -> bool:
    """Whether `block` is a list written with line breaks right under a line that labels what the business
    offers ("OUR SERVICES:" over "- Brakes & Rotors", "- Oil Changes")."""
    return (
        label is not None
        and label.role == "heading"
        and label.region == block.region
        and SERVICES_LABEL.search(label.text) is not None
        and len(block.lines) >= 2
        and block.card < 0
    )


def features(pages: list[ParsedPage]) -> list[str]:
    """What the brand offers, as lines a reader sees under its services/features: list items and the
    description of each feature or service card (not the card's heading)."""
    found: list[str] = []
    for page in pages:
        # Cards holding a quote are testimonials, cards holding a question are an FAQ: not features.
        described = {b.card for b in page.blocks[:MAX_BLOCKS_READ] if b.card >= 0 and (b.quoted or b.text.endswith("?"))}
        previous = None
        for block in page.blocks[:MAX_BLOCKS_READ]:
            labelled = _services_list(previous, block)
            previous = block
            if block.role != "text" or block.region in ("nav", "footer", "form", "cookie", "modal", "feed") or block.quoted:
                continue
            if labelled:
                # A list typed with line breaks under its label ("OUR SERVICES:", "- Brakes & Rotors", ...).
                items = (unbulleted(line) for line in block.lines)
                found += [i for i in items if 1 <= len(i.split()) <= 8 and not NOT_A_FEATURE.search(i) and not PHONE.search(i)]
                continue
            if block.tag in ("figcaption", "address", "cite") or NOT_A_FEATURE.search(block.text):
                continue
            card = page.cards[block.card] if 0 <= block.card < len(page.cards) else None
            featured = FEATURE_WORDS.search(f"{block.section} {page.url}") is not None
            if card is not None and card.kind == "" and block.card not in described and 5 <= len(block.text.split()) <= 30:
                described.add(block.card)
                found.append(unbulleted(block.text))
            elif featured and block.tag == "li" and 2 <= len(block.text.split()) <= 12:
                found.append(unbulleted(block.text))

    return [f for f in dict.fromkeys(found) if not NOT_FACT.search(f)][:12]


def offers(facts: list[Fact]) -> list[str]:
    """Offers with their terms, strongest first: deals, then prices with what they price, trials, guarantees."""
    order = {"offer": 0, "price": 1, "trial": 2, "guarantee": 3}
    terms = {f.subject: f.text for f in facts if f.kind == "terms"}
    chosen = sorted((f for f in facts if f.kind in order), key=lambda f: order[f.kind])
    return [f"{f.text} ({terms[f.text]})" if f.text in terms else f.text for f in chosen][:8]


def ctas(pages: list[ParsedPage]) -> list[str]:
    """The site's own actions, main one first (see actions.ranked_actions); never a footer's newsletter
    "Subscribe" or a navigation link."""
    chrome = {t.casefold() for p in pages for t, region in p.actions if region in ("footer", "nav")}
    content = {t.casefold() for p in pages for t, region in p.actions if region not in ("footer", "nav")}
    return [t for t in ranked_actions(pages) if t.casefold() in content or t.casefold() not in chrome][:8]


def testimonials(pages: list[ParsedPage]) -> list[Testimonial]:
    out: dict[str, Testimonial] = {}
    for page in pages:
        for q in page.testimonials:
            out.setdefault(
                q.quote.casefold(),
                Testimonial(quote=q.quote, author=q.author, place=q.place, rating=q.rating, source_url=page.url),
            )
    return list(out.values())[:10]


def language(pages: list[ParsedPage]) -> str:
    home = pages[0]
    if home.lang:
        return home.lang
    locale = home.opengraph.get("og:locale", "")
    if locale:
        return locale.split("_")[0].lower()
    words = Counter(w for p in pages for w in re.findall(r"[a-zäöüéèàçñ]+", p.text.lower()))
    scores = {lang: sum(words[w] for w in stop) for lang, stop in STOPWORDS.items()}
    return max(scores, key=lambda k: scores[k]) if any(scores.values()) else "en"


def voice(pages: list[ParsedPage]) -> str:
    text = " ".join(b.text for p in pages for b in p.blocks if not b.in_chrome)
    words = re.findall(r"[A-Za-z']+", text.lower())
    if not words:
        return ""
    total = len(words)
    you = sum(w in ("you", "your", "you're", "yours") for w in words) / total
    we = sum(w in ("we", "our", "us", "we're", "ours") for w in words) / total
    sentences = max(1, len(re.findall(r"[.!?](\s|$)", text)))
    avg = total / sentences
    bangs = text.count("!") / sentences
    traits = [
        "playful and energetic"
        if bangs > 0.15
        else "warm"
        if you > 0.03 and avg < 14
        else "formal"
        if avg > 22
        else "confident and direct"
    ]
    if you >= we and you > 0.01:
        traits.append("speaks to the reader as 'you'")
    if we > you and we > 0.01:
        traits.append("speaks as 'we'")
    traits.append("short sentences" if avg < 13 else "medium-length sentences" if avg < 22 else "long sentences")
    if re.search(r"\b\w+'(re|ll|ve|s|t)\b", text):
        traits.append("uses contractions")
    return "; ".join(traits)
