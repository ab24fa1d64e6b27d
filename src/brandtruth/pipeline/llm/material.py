"""What the offline copywriter may say about a brand: typed site material, each piece grounded.

Material comes from typed facts (kind, region, subject, value) and the profile's own fields
(tagline, value propositions, features, offers, testimonials, description). Never from section
headings, navigation, form titles, buttons, legal or cookie text, and never from a disputed fact.
A snippet is usable only if the truth checker finds every checkable thing in it backed by a fact;
it carries the ids of those facts, so copy built from it cites them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..extract.cards import WAS
from ..extract.casing import shouting
from ..extract.facts import split_sentences
from ..extract.lexicon import PHONE, PRICE, RATED_ON
from ..models import BrandProfile, Fact, card_title
from ..truth import find_checkables
from .filters import is_sentence, usable
from .phrases import is_ui_button
from .products import MIN_DETAIL_WORDS, product_and_price, product_line, same_item
from .snippet import Quote, Snippet, ground
from .wording import Casing, bare, clean, proper_words


@dataclass
class Material:
    name: str
    language: str = "en"
    business_type: str = ""
    hero: list[Snippet] = field(default_factory=list)  # tagline and hero lines
    subheads: list[Snippet] = field(default_factory=list)  # the home page's hero lines under its tagline, in order
    description: Snippet | None = None
    values: list[Snippet] = field(default_factory=list)  # value propositions, claims
    features: list[Snippet] = field(default_factory=list)  # services, features, products without a price
    proof: list[Snippet] = field(default_factory=list)  # stats, ratings, awards, certifications
    offers: list[Snippet] = field(default_factory=list)  # offers with their terms, guarantees
    products: list[Snippet] = field(default_factory=list)  # "Drain Clear from $129"
    story: list[Snippet] = field(default_factory=list)  # founding, history, people
    quotes: list[Quote] = field(default_factory=list)
    ctas: list[str] = field(default_factory=list)  # the site's own actions, primary first
    casing: Casing = field(default_factory=lambda: Casing(set(), "en"))
    pages: dict[str, str] = field(default_factory=dict)  # fact id -> the page it was read on

    def page_of(self, snip: Snippet) -> str:
        """The page a snippet's first fact was read on ("" when it cites none)."""
        return next((self.pages[f] for f in snip.fact_ids if f in self.pages), "")

    def sentences(self) -> list[Snippet]:
        """Every snippet that reads as a sentence of its own (for bodies)."""
        pool = [*self.values, *self.proof, *self.offers, *self.story, *([self.description] if self.description else [])]
        return [s for s in pool if is_sentence(s.prose)]


_PROOF = {"stat", "customers", "rating", "award", "certification", "count", "review", "reviews", "press"}
_OFFER = {"offer", "discount", "guarantee", "promotion", "deal", "trial", "shipping"}
_STORY = {"founded", "story", "about", "history", "team", "mission"}
_SKIP_REGIONS = {"nav", "footer", "form", "cookie", "legal", "header", "banner", "button", "heading"}
# A card's line that says whom its plan or service is for, with no clause of its own.
_FOR_WHOM = re.compile(
    r"^(?:ideal |perfect |great |best |made |built |designed )?for\s(?!(?:over|more|nearly|almost|about|every|each|all|the "
    r"past|\d)\b)(?!.*\b(?:is|are|was|were|has|have|had|can|will|we|you|they|our|it)\b)",
    re.I,
)
_OFFERISH = re.compile(
    r"\b(free|% off|off\b|save\s+(?:up to\s+)?(?:\d+(?=\s?%)|[$€£]\s?\d+)|discount|financing|warrant\w*|guarantee\w*|"
    r"trial|refund|credit card|cancel any\s?time|gratuit\w*|offert|"
    r"garantie|kostenlos|gratis|grátis|rabatt|descuento|sconto|korting|desconto|garant[ií]a|garanzia)\b",
    re.I,
)


def _with_terms(offers: list[Snippet], facts: list[Fact]) -> list[Snippet]:
    """Offers that carry their fine print: "$25 off your first exam" heads an ad with "Valid for new clients only."
    under it, and as a body reads with it ("$25 off your first exam (Valid for new clients only)", as the brand kit
    words an offer with its terms, which then is no offer of its own)."""
    terms = {f.subject: f for f in facts if f.kind == "terms" and f.subject}
    out: dict[str, Snippet] = {}
    for offer in offers:
        plain = next((o for o in terms if offer.text == f"{o} ({terms[o].text})"), offer.text)
        fine = terms.get(plain)
        if fine is None or offer.detail:
            out.setdefault(offer.text, offer)
            continue
        ids = tuple(dict.fromkeys((*offer.fact_ids, fine.id)))
        out.setdefault(plain, replace(offer, text=plain, fact_ids=ids, detail=fine.text, full=f"{plain} ({fine.text})"))
    return list(out.values())


_FREE_IN_NAME = re.compile(r"\b[A-Z][\w-]*\s+Free(?:\s+[A-Z][\w-]*)+")  # "Fear Free Certified", "Smoke Free Homes"
_STRONG_OFFER = re.compile(
    r"\b(free|off|trial|discount|save|gratuit\w*|offert\w*|kostenlos|gratis|grátis|rabatt|descuento|sconto|korting|"
    r"desconto)\b|%",
    re.I,
)


def _proof_strength(text: str, name: str) -> int:
    """0 for people, reviews and ratings counted ("12,000 freelancers", "4.8 out of 5"), 1 for awards,
    certifications and years, 2 for anything else."""
    found = find_checkables(text, name)
    if (
        any(c.unit in ("people", "org", "review", "star") for c in found)
        or re.search(r"out of 5|/5|★", text)
        or RATED_ON.search(text)
    ):
        return 0
    return 1 if any(c.kind in ("award", "certification", "count") or c.unit == "year" for c in found) else 2


def customer_proof(text: str, name: str) -> bool:
    """Proof that customers give: people or reviews counted, a rating ("1,800 customers", "4.9 out of 5")."""
    return _proof_strength(text, name) == 0 or bool(_SATISFIED.search(text) or _PEOPLE.search(text))


# A count of the people who use or buy it: "80,000 writers", "12,000+ freelancers", "Más de 8.000 clientes".
_PEOPLE = re.compile(
    # ... or a share of them: "87% of our GCSE students improved by at least one grade".
    r"(?:\d[\d,.]*\s?%\s+of\s+(?:our\s+)?(?:\w+\s){0,2}|\d[\d,. ]*\+?\s*(k|m|million)?\+?\s+(\w+\s)?)"
    r"(writers|users|customers|clients|clientes|kunden|clienti|klanten|"
    r"teams|developers|"
    r"freelancers|families|familles|familias|households|patients|members|people|homeowners|readers|subscribers|"
    r"students|guests|parents|businesses|companies|makers|creators|designers)\b",
    re.I,
)
_SATISFIED = re.compile(r"\b(satisf\w*|recommend\w*|zufrieden\w*|empfehl\w*|recomiend\w*|recomend\w*)\b", re.I)


_BADGE = re.compile(
    r"\b(certified|licen[cs]ed|insured|bonded|accredited|B Corp|since|founded|est\.|depuis|seit|desde|"
    r"certifi\w+|zertifiziert|Meisterbetrieb|versichert|dal|sinds|gecertificeerd)\b",
    re.I,
)


def promise(text: str) -> bool:
    """A line of what the brand does for people ("Bottles that go the distance"), not a badge ("Licensed &
    Insured", "We are a certified B Corp"), an offer, a year or a label in Title Case."""
    words = re.findall(r"[^\W\d_]+", text)
    titled = len(words) >= 2 and sum(w[:1].isupper() for w in words) * 2 > len(words)
    label = len(words) < 4 or ":" in text or len(re.findall(r"\d", text)) >= 7  # "60-day returns", a phone line
    return not (titled or label or _BADGE.search(text) or _OFFERISH.search(text) or re.search(r"[$€£]|\b(1[89]|20)\d\d\b", text))


def _opens_small(label: str) -> bool:
    """A stat card's label that reads on from its number ("98.7%" / "Of list price, on average"): the card's
    capital is layout, not the start of a sentence."""
    return re.match(r"(?:of|in|on|per|from|for|to|at)\b", clean(label), re.I) is not None


def _sentence_case(label: str) -> bool:
    """A label of several words whose first alone is capitalised ("Families helped home"), not Title Case
    ("Projects Completed") or a name ("Google Reviews")."""
    words = label.split()
    return len(words) >= 2 and words[0][:1].isupper() and not any(w[:1].isupper() for w in words[1:])


def _stat(fact: Fact, casing: Casing) -> str:
    """A stat card as one phrase, the label as the site writes it: "1000+ Projects Completed"; a label in sentence
    case reads on from the number in lower case, but for a name ("18 days on market", "4.9 Google rating")."""
    label = clean(fact.subject)
    joined = f"{clean(fact.value)} {label}"
    # Only as the site writes it: "48 h de fermentation ..." never becomes "48 h fermentation ...". A label that
    # opens on a small word reads on from the number in lower case ("98.7% of list price", not "98.7% Of list price").
    if (
        fact.value
        and fact.subject
        and not _opens_small(fact.subject)
        and fact.value not in fact.subject
        and joined.lower() in clean(fact.evidence).lower()
    ):
        return f"{clean(fact.value)} {casing.item(label)}" if _sentence_case(label) else joined
    return fact.text


_ANSWERED = re.compile(r"^(yes|no|yep|nope|oui|non|ja|nein|sí|si)\s*[.!,;:—–-](?!\s*\d)", re.I)


def _fact_text(fact: Fact, mat: Material, ok: Callable[[str], bool]) -> Snippet | None:
    """The fact's own short text when grounded in its evidence, else the evidence sentence; with
    the evidence as its whole sentence when that reads as one (for bodies)."""
    # "No. Evening visits ...": an FAQ answer's evidence leans on its question; its text stands alone. So
    # does evidence typed in capitals: the fact's text is the same words in sentence case (extract/casing.py).
    evidence = "" if _ANSWERED.match(fact.evidence) or shouting(fact.evidence) else fact.evidence
    # A card's evidence is its lines run together ("Free For individuals trying things out. $0/month"): no sentence.
    label = clean(fact.subject)
    carded = fact.region in ("card", "pricing") and clean(fact.evidence) != fact.text
    lines = (fact.kind in ("price", "offer") and carded) or (
        fact.kind == "stat" and (_opens_small(label) or _sentence_case(label))
    )
    full = clean(evidence) if evidence and not lines and ok(evidence) and is_sentence(evidence) else ""
    full = full if ground(full, [fact], mat.name) else ""
    said, read = full.rstrip(".!"), fact.text.rstrip(".!")
    if said != read and said.casefold() == read.casefold():
        full = ""  # the same words, cased as the fact reads them ("$4.2 million settlement", not "$4.2 Million Settlement")
    texts = [_stat(fact, mat.casing)] if fact.kind in _PROOF else []
    for text in [*texts, fact.text, *([evidence] if evidence else [])]:
        snip = ground(text, [fact], mat.name) if ok(text) else None
        if snip is not None and len(clean(text)) >= 8:
            full = full if full != snip.text else ""
            return Snippet(snip.text, (fact.id,), subject=fact.subject, full=full, title=card_title(fact), kind=fact.kind)
    return None


def _quotes(brand: BrandProfile, facts: list[Fact], mat: Material, headings: set[str]) -> list[Quote]:
    """Testimonials whole, each with an author; a quote without one is not used."""
    raw = [(t.quote, t.author, t.place) for t in brand.testimonials]
    raw += [(f.evidence, f.subject, "") for f in facts if f.kind == "testimonial" and f.subject]
    out: list[Quote] = []
    seen: set[str] = set()
    for quote, author, place in raw:
        text, author = clean(quote), clean(author).lstrip("—–- ").strip()
        if not author or len(text.split()) < 5 or not usable(text, brand, headings, whole=True) or bare(text).lower() in seen:
            continue
        snip = ground(text, facts, mat.name)
        if snip and len(text) <= 220:
            seen.add(bare(text).lower())
            out.append(Quote(snip, author, clean(place)))
    return out


def _claims(text: str) -> list[str]:
    """A value proposition's sentences, a question kept with its answer ("Burst pipe at 2 am? Our licensed
    plumbers answer the phone day and night.")."""
    out: list[str] = []
    for part in split_sentences(text):
        if out and out[-1].endswith("?"):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def gather(brand: BrandProfile) -> Material:
    facts = [f for f in brand.facts if not f.disputed]
    texts = [
        brand.description,
        *brand.value_props,
        *brand.features,
        *brand.offers,
        *(f.evidence for f in facts),
        *(t.quote for t in brand.testimonials),
    ]
    language = (brand.language or "en").split("-")[0].lower()
    mat = Material(
        name=brand.name,
        language=language,
        business_type=brand.business_type,
        casing=Casing(proper_words(texts), language, keep=[brand.name]),
        pages={f.id: f.source_url for f in facts},
    )
    # Headings are no copy, but the tagline and a heading the extractor read as a fact ("Trusted by 3,000+
    # restaurants") are the brand's own claims.
    claimed = {bare(brand.tagline).lower(), *(bare(f.evidence).lower() for f in facts)}
    headings = {bare(h).lower() for h in brand.headings} - claimed
    ctas = [brand.primary_cta, *brand.ctas]
    mat.ctas = list(dict.fromkeys(c.strip() for c in ctas if c and c.strip() and not is_ui_button(c)))
    seen: set[str] = set()

    def add(bucket: list[Snippet], snip: Snippet | None) -> None:
        if snip is not None and bare(snip.text).lower() not in seen:
            seen.add(bare(snip.text).lower())
            bucket.append(snip)

    def own(bucket: list[Snippet], texts: list[str]) -> None:
        for text in texts:
            if usable(text, brand, headings):
                add(bucket, ground(text, facts, brand.name))

    if usable(brand.tagline, brand, headings):
        add(mat.hero, ground(brand.tagline, facts, brand.name))
    unlisted: set[str] = set()
    for fact in facts:
        if fact.region in _SKIP_REGIONS or fact.kind in ("testimonial", "policy"):  # a house rule is no copy
            continue
        if fact.region == "card" and _FOR_WHOM.match(fact.text):
            continue  # "For teams over 10, with SSO ...": whom its card's plan is for, no line of its own
        if fact.kind == "price" and product_and_price(fact)[0]:
            product = product_line(fact, mat.language, brand.name)
            if product is not None and not product.detail:
                product = _with_cards_sentence(product, fact, facts)
            if product is not None and any(same_item(product, p) for p in mat.products):
                continue  # "diagnosis fee for $89" after "Service call and diagnosis for $89"
            if product is not None:
                add(mat.products, product)
                was = re.search(rf"\((?:{'|'.join(sorted(set(WAS.values())))})\s[^)]+\)", fact.text, re.I)
                if was:  # a sale is an offer too: "Fig & Cedar for $26.00 (was $32.00)"
                    add(mat.offers, ground(f"{product.text} {was.group()}", [fact], brand.name))
                continue
            if re.match(r"[^:]{1,48}: ", fact.text) and bare(fact.text) not in fact.evidence:
                unlisted.add(fact.text)
                continue  # a card read as "Free: $0/month — for individuals…": no product, and no line of copy
        if not usable(fact.text, brand, headings) and not usable(fact.evidence, brand, headings):
            continue
        if PHONE.search(fact.text):
            continue  # "24/7 emergency line: (503) 555-0142": a contact line, not an ad's claim
        kind = fact.kind.lower()
        # Not a name with "Free" in it ("Fear Free Certified® team", a certification): proof still.
        unnamed = _FREE_IN_NAME.sub(" ", fact.text)
        offerish = kind in _OFFER or kind == "price" or (kind in _PROOF and bool(_OFFERISH.search(unnamed)))
        # The hero's lines are the brand's promise; a trial or offer there ("Free for 14 days") is an offer still.
        bucket = (
            mat.offers
            if offerish and kind != "price"
            else mat.hero
            if fact.region == "hero"
            else mat.offers
            if offerish
            else mat.proof
            if kind in _PROOF
            else mat.story
            if kind in _STORY
            else mat.features
            if kind == "feature"
            else mat.values
        )
        add(bucket, _fact_text(fact, mat, lambda t: usable(t, brand, headings)))
    # A price card listed among the offers is already a product ("Country Sourdough: $7.75").
    priced = tuple(p.subject.lower() for p in mat.products if p.subject)
    own(mat.offers, [o for o in brand.offers if not (priced and o.lower().startswith(priced)) and o not in unlisted])
    # A value proposition of several sentences is as many claims, each a body of its own: the hero's two
    # sentences (150 characters) fit no body together.
    props = [s for v in brand.value_props for s in _claims(clean(v))]
    own(mat.values, props)
    # The home page's own benefit lines lead, its hero's subhead first (what the tagline means).
    said = [bare(p).lower() for p in props]
    rank = {text: i for i, text in reversed(list(enumerate(said)))}
    mat.values.sort(key=lambda s: rank.get(bare(s.text).lower(), len(said)))  # in the page's own order of them
    mat.subheads = sorted((s for s in mat.hero if bare(s.text).lower() in said), key=lambda s: said.index(bare(s.text).lower()))
    own(mat.features, brand.features)
    if brand.description and usable(brand.description, brand, headings):
        mat.description = ground(brand.description, facts, brand.name)
    mat.quotes = _quotes(brand, facts, mat, headings)
    # The strongest proof first: counts of people and reviews, ratings, awards, years in business.
    mat.proof.sort(key=lambda s: _proof_strength(s.text, brand.name))
    mat.offers.sort(key=lambda s: not _STRONG_OFFER.search(s.text))  # a free trial or money off before a list price
    mat.offers = _with_terms(mat.offers, facts)
    mat.features.sort(key=lambda s: len(s.text.split()) < 3)  # "Roof Repair" alone is a label, not a line
    return mat


def _with_cards_sentence(product: Snippet, price: Fact, facts: list[Fact]) -> Snippet:
    """A product priced on a line of its own ("From $55.") with what its card says of it: the card's sentence
    ("Bath, blow-dry, haircut, nail trim and ear cleaning.") under the same heading on the same page."""
    said = next(
        (f for f in facts if f.source_url == price.source_url and f.kind != "price" and card_title(f) == product.subject),
        None,
    )
    if said is None or len(said.text.split()) < MIN_DETAIL_WORDS or PRICE.search(said.text):
        return product
    return replace(product, detail=said.text, fact_ids=(*product.fact_ids, said.id))
