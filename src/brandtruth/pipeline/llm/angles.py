"""The offline writer's angles: each turns one piece of the brand's strongest material into a draft.

A `Built` is a headline (the brand's own line for the angle, within the limit), body sentences in
priority order (specifics that support the headline, never the headline again) and the snippets
cited. Each angle yields its candidates in preference order; the provider takes the first that is
clean (truth, lint, distinct).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..generate.distinct import similarity
from ..lint_brand import sentences
from ..truth import find_checkables
from .base import PlatformLimits
from .filters import is_sentence, leans_back
from .headlines import headline_forms
from .material import Material, customer_proof, promise
from .phrases import join_list, phrases_for
from .snippet import Quote, Snippet
from .wording import bare, clean, first_sentence, sentence, upper_first

_FOUNDED = re.compile(
    r"\b(founded|started|began|opened|established|since|fondée?|depuis|ouvert|gegründet|seit|"
    r"eröffnet|fundad[ao]|desde|abrió)\b",
    re.I,
)
_PRICE_AT = re.compile(r"(?<= for )[$€£]\s?\d[\d.,]*(?:/\w+)?$|(?<= für )\d[\d.,]*\s?€$")  # "… for $22": one price
MIN_QUOTED_WORDS = 6  # a sentence of a quote that stands on its own in a body
# The "before" half of a customer's before-and-after, which alone tells only the problem.
_BEFORE = re.compile(
    r"\b(used to|our old|my old|the old|previously|we had to|I had to|before (we|I) (found|switched|started)|"
    r"did(n't| not) know|had no idea|(was|were|have been|has been|'ve been|’ve been|'d been|’d been|had been) (so |always |"
    r"really |very )?(worried|nervous|scared|stressed|overwhelmed|terrified|afraid|anxious|frustrated|fed up|skeptical|"
    r"sceptical|embarrassed)|(hated|dreaded|feared|avoided) (going|the|my|our|dentists?|doctors?))\b",
    re.I,
)
MIN_NEW_WORDS = 4  # content words a body sentence adds to its headline to tell something of its own
EXTRA = ("question", "brand")  # on request, and the last resort
_FIGURE = re.compile(r"([^\W\d_]+)\s+(\d+(?:[.,]\d+)*)")


def _said_figures(text: str) -> set[tuple[str, str]]:
    """A text's numbers with the word before each ("since 1952"): the same year after another word ("built
    the house in 1962" under "Family-run since 1962") tells more, the same phrase only repeats."""
    return {(word.lower(), number) for word, number in _FIGURE.findall(text)}


# What a guarantee promises: "we'll refund you in full", "we'll replace them", "we'll re-clean for free".
_PROMISED = re.compile(
    r"\b(guarantee\w*|warrant\w*|promise|money[- ]back|refund\w*|replace|re-?\w+ for free|garanti\w*|rembours\w*|"
    r"erstatt\w*|reembols\w*|rimbors\w*)\b",
    re.I,
)
ORDER = ("benefit", "social_proof", "offer", "product", "testimonial", "story", "feature")


def _speaks_of(quote: str, snip: Snippet) -> bool:
    """The quote names the product or feature: "Prenatal yoga here ..." speaks of "Prenatal Yoga for $25"."""
    name = (snip.subject or snip.text).lower()
    words = {w for w in re.findall(r"[^\W\d_]{4,}", name)}
    return bool(words) and all(w in quote.lower() for w in words)


@dataclass(frozen=True)
class Built:
    angle: str
    headline: str
    body: list[str]  # supporting sentences, best first; the writer keeps one or two that fit and are fresh
    cites: tuple[Snippet, ...]
    lead: str  # the material the headline comes from (so two variants never lead with the same)
    listing: str = ""  # a list of the brand's products or services: one variant per run carries one


class Angles:
    def __init__(self, mat: Material, lim: PlatformLimits):
        self.mat, self.lim = mat, lim
        self.ph = phrases_for(mat.language)

    # ------------------------------------------------------------------ helpers

    def heads(self, snips: list[Snippet], whole_only: bool = False) -> Iterator[tuple[str, Snippet]]:
        for snip in snips:
            for form in headline_forms(snip.text, whole_only, self.mat.language):
                if len(form) <= self.lim.headline:
                    yield form, snip
                    break

    def support(self, headline: str, lead: Snippet, *pools: list[Snippet]) -> list[Snippet]:
        """Sentences that back the headline: not the lead itself, nothing that repeats the headline."""
        out: list[Snippet] = []
        for snip in (s for pool in pools for s in pool):
            if snip.text == lead.text or snip.prose == lead.prose or snip in out or not is_sentence(snip.prose):
                continue
            first_clause = headline_forms(snip.prose)[-1]
            if similarity(headline, first_clause) >= 0.5 or bare(headline).lower() in snip.prose.lower():
                continue
            if _said_figures(headline) & _said_figures(snip.prose):
                continue  # says it again: "Deutsche Qualität since 1952" over "Family owned ... since 1952"
            out.append(snip)
        return out

    def built(self, angle: str, headline: str, lead: Snippet, body: Sequence[Snippet | str]) -> Built:
        texts = [sentence(b.prose) if isinstance(b, Snippet) else b for b in body]
        cites = (lead, *(b for b in body if isinstance(b, Snippet)))
        return Built(angle, headline, texts, cites, lead.text)

    def titled(self, angle: str, lead: Snippet, *pools: list[Snippet]) -> Iterator[Built]:
        """A card as the brand wrote it: its heading over its sentence ("Your data stays put | Queries run
        inside your own warehouse; ..."), when the heading fits a headline and the sentence does not already
        say it."""
        title = upper_first(bare(clean(lead.title)))
        # An offer's own line, then its fine print ("New Patient Special | $79 exam, … insurance. Cannot be combined …").
        said = [sentence(lead.text), sentence(lead.detail)] if angle == "offer" and lead.detail else [sentence(lead.prose)]
        if title and len(title) <= self.lim.headline and title.lower() not in lead.prose.lower():
            yield self.built(angle, title, lead, [*said, *self.support(title, lead, *pools)[:5]])

    def generic(self, angle: str, leads: list[Snippet], *pools: list[Snippet]) -> Iterator[Built]:
        for lead in leads:
            # A card's heading over its sentence: "30-day returns" over "Send it back within 30 days for a full
            # refund.", "Proven results" over "87% of our GCSE students improved by at least one grade in 2025."
            # (Proof only when customers give it: a feature card's number, "90% recycled steel", is no proof.)
            if angle == "offer" or (angle == "social_proof" and customer_proof(lead.text, self.mat.name)):
                yield from self.titled(angle, lead, *pools)
            # An offer's fine print is said right under it ("$25 off your first exam | Valid for new clients only.").
            terms = [sentence(lead.detail)] if angle == "offer" and lead.detail else []
            for headline, _ in self.heads([lead], whole_only=angle == "offer"):  # an offer keeps its terms
                support = self.support(headline, lead, *pools)
                if _PROMISED.search(headline):  # "Our 200% Happiness Guarantee": what it promises, before any deal
                    support.sort(key=lambda s: not _PROMISED.search(s.prose))
                yield self.built(angle, headline, lead, [*terms, *support[:6]])

    # ------------------------------------------------------------------ angles

    def benefit(self) -> Iterator[Built]:
        m = self.mat
        yield from self.generic(
            "benefit", [*m.hero, *m.values], m.subheads, m.values, [m.description] if m.description else [], m.proof, m.story
        )

    def social_proof(self) -> Iterator[Built]:
        m = self.mat
        headed = False  # whether any proof fit a headline
        for built in self.generic("social_proof", m.proof, m.proof, m.story):
            headed = True
            yield built
        # Then proof under proof, where the site says no sentence more of it: "30 Jahre Erfahrung" over
        # "2.500+ gestrichene Räume."; a value line under proof ("12 Years in business" over "We help
        # ambitious companies find their voice") is no proof, and comes last.
        counted = [p for p in m.proof if re.search(r"\d", p.text)]
        for headline, lead in self.heads(counted):
            others = [p for p in counted if p.text != lead.text and bare(p.text).lower() not in headline.lower()]
            if others:
                headed = True
                yield self.built("social_proof", headline, lead, others[:2])
        yield from self.generic("social_proof", m.proof, m.values, m.features)
        # An award or customers' verdict that fits no headline ("Gold Medal – Great American Beer Festival 2024
        # (Kölsch)"), where no proof did: under the business's name, which it is proof of, rather than as the
        # body of an unrelated feature. Not where customers' quotes need the name to head them.
        strong = [p for p in m.proof if p.kind == "award" or customer_proof(p.text, m.name)]
        if not headed and strong and not m.quotes and len(m.name) <= self.lim.headline:
            yield self.built("social_proof", m.name, strong[0], [strong[0], *self.support(m.name, strong[0], strong)[:2]])

    def offer(self) -> Iterator[Built]:
        m = self.mat
        yield from self.generic("offer", m.offers, m.offers, m.proof, m.values)

    def product(self) -> Iterator[Built]:
        m = self.mat
        for headline, lead in self.priced_heads(m.products):
            # Beside it, what the same page offers: the workshop's other repairs under "Screen repair from
            # $15", not the shop's hammers, which read as a second ad. Its page's sentences first, too.
            page = m.page_of(lead)
            others = [p for p in m.products if p.text != lead.text and m.page_of(p) == page][:2]
            # Under its name alone, the sentence that prices it; else what the product is, as its card says
            # ("San Marzano tomato, fior di latte, basil."), or that sentence ("Exam, X-rays and cleaning for $99
            # when you don't have insurance." under "New Patient Special for $99").
            titled = headline == upper_first(lead.subject)
            said = lead.detail or ("" if titled else lead.full)
            body: list[Snippet | str] = [sentence(lead.full)] if titled else []
            body += [sentence(said)] if said else []
            listing = ""
            if others and self.ph:
                # Product names are names: "… and Water Heater Flush for $149", as the site writes them; at one
                # price the price is said once ("Morning Vinyasa Flow and Yin & Restore, $22 each").
                listing = sentence(self.listing(others))
                body.append(listing)
            # Never the same product again in a sentence of its own ("Starter: $49/month — up to 10 users").
            names = [p.subject.lower() for p in [lead, *others] if p.subject]
            rest = [
                s
                for s in self.support(headline, lead, m.offers, m.values, m.proof)
                if not any(n in s.prose.lower() for n in names)
            ]
            rest.sort(key=lambda s: bool(page) and m.page_of(s) != page)
            body += rest[:4]
            yield Built(
                "product",
                headline,
                [b if isinstance(b, str) else sentence(b.prose) for b in body],
                (lead, *others, *(b for b in body if isinstance(b, Snippet))),
                lead.text,
                listing=listing,
            )

    def priced_heads(self, products: list[Snippet]) -> Iterator[tuple[str, Snippet]]:
        """Each product's headline: the line with its price whole ("Margherita for $14"); too long for one, its
        name, when the sentence below it states the price ("Weekly Flower Subscription | A fresh seasonal
        bouquet on your doorstep every week, from $45 per delivery.")."""
        for lead in products:
            whole = next(self.heads([lead], whole_only=True), None)
            if whole:
                yield whole
            elif lead.full and lead.subject and len(lead.subject) <= self.lim.headline:
                yield upper_first(lead.subject), lead

    def listing(self, products: list[Snippet]) -> str:
        found = [_PRICE_AT.search(p.text) for p in products]
        prices = {m.group(0) if m else "" for m in found}
        (price,) = prices if len(prices) == 1 else ("",)
        plain = all(p.subject and p.text.startswith(p.subject) for p in products)
        if self.ph and self.ph.each and price and plain and len(products) >= 2:
            names = join_list([p.subject for p in products], self.mat.language)
            return self.ph.each.format(x=names, value=price)
        return join_list([p.text for p in products], self.mat.language)

    def quote_line(self, q: Quote, text: str, name_only: bool = False) -> str:
        marks = self.ph.quote if self.ph else ("“", "”")
        # A place with a number ("Lyon 4e") would read as a claim to check; the name alone attributes it.
        place = q.place if q.place and q.place not in q.author and not re.search(r"\d", q.place) else ""
        if name_only:
            return f"{marks[0]}{sentence(text)}{marks[1]} — {q.author.split(',')[0]}"
        return f"{marks[0]}{sentence(text)}{marks[1]} — {q.author}" + (f", {place}" if place else "")

    def testimonial(self) -> Iterator[Built]:
        m = self.mat
        # A badge ("Licensed & Insured"), an offer or a founding year above a customer's words reads as
        # two ads in one: only what customers say in numbers (reviews, ratings, customers) or a promise.
        voices = [s for s in m.proof if customer_proof(s.text, m.name)]
        promises = [s for s in [*m.hero, *m.values] if promise(s.text)]
        lines = {q.snip.text: self.quote_lines(q) for q in m.quotes}  # once per quote, not per headline tried
        for q in m.quotes:
            whole = bare(q.snip.text)
            first = first_sentence(whole)
            marks = self.ph.quote if self.ph else ("“", "”")
            rest = bare(whole[len(first) :].strip())
            if rest and len(first) + 2 <= self.lim.headline:
                yield Built(
                    "testimonial", f"{marks[0]}{bare(first)}{marks[1]}", [self.quote_line(q, rest)], (q.snip,), q.snip.text
                )
            # Else headed by a line of the brand's own (voices, promises); a product or feature only when the
            # customer speaks of it (a price above an unrelated quote reads as an ad for something the
            # customer never mentions).
            spoken = [s for s in [*m.features, *m.products] if _speaks_of(whole, s)]
            for headline, lead in self.heads([*voices, *promises, *spoken]):
                for line in lines[q.snip.text]:
                    yield Built("testimonial", headline, [line], (q.snip, lead), q.snip.text)
        # Last, each quote under the business's name, which the customer speaks of: a quote whose first
        # sentence is too long to head it, on a site with no line of its own left to head it with.
        for q in m.quotes if len(m.name) <= self.lim.headline else []:
            for line in lines[q.snip.text]:
                yield Built("testimonial", m.name, [line], (q.snip,), q.snip.text)  # a quote leads one ad, however headed

    def quote_lines(self, q: Quote) -> list[str]:
        """The quote whole with its byline; longer than a body, whole under the name alone ("— Priya Raman",
        not her title); longer still, one of its sentences that stands alone, verbatim, under the byline:
        the ones with a number first ("Now it takes my managers ten minutes, and our labor cost dropped 4
        points."), never the "before" half of a before-and-after ("We used to spend Sunday nights on it.")."""
        whole = bare(q.snip.text)
        lines = [self.quote_line(q, whole)]
        if len(lines[0]) <= self.lim.body:
            return lines
        named = self.quote_line(q, whole, name_only=True)
        if named != lines[0]:
            lines.append(named)
        parts = sentences(whole)
        # The quote from its turn on ("Dr. Raman was so patient ... My kids look forward to their cleanings now!"),
        # without the "before" it opens with ("I've been terrified of the dentist my whole life."): verbatim still.
        turn = next((i for i, p in enumerate(parts) if not _BEFORE.search(p)), 0)
        if 0 < turn < len(parts) - 1 and not leans_back(parts[turn]):
            lines.append(self.quote_line(q, bare(" ".join(parts[turn:]))))
        alone = [p for p in parts if len(p.split()) >= MIN_QUOTED_WORDS and not leans_back(p) and not _BEFORE.search(p)]
        alone.sort(key=lambda p: not find_checkables(p, self.mat.name))  # what the customer counts first
        return lines + [self.quote_line(q, bare(p)) for p in alone if len(parts) > 1]

    def story(self) -> Iterator[Built]:
        m = self.mat
        desc = [m.description] if m.description else []
        yield from self.generic("story", [*m.story, *desc], m.story, desc, m.values, m.proof)
        for snip in m.story:  # "Crumb & Co., since 2016", told by the founding sentence itself
            year = re.search(r"\b(1[89]\d\d|20\d\d)\b", snip.text)
            if self.ph and year and _FOUNDED.search(snip.text):
                headline = self.ph.since.format(name=m.name, year=year.group(1))
                # The founding sentence tells the story when it says more than the headline: "Serving Austin since
                # 2009" under "Green Acres Landscaping, since 2009" only says it twice.
                told = [sentence(snip.text)] if _says_more(snip.text, headline) else []
                support = [sentence(s.text) for s in self.support(headline, snip, m.proof, desc, m.values)[:3]]
                if len(headline) <= self.lim.headline and (told or support):
                    yield Built(
                        "story",
                        headline,
                        [*told, *support],
                        (snip,),
                        snip.text + "#since",
                    )

    def feature(self) -> Iterator[Built]:
        m = self.mat
        phrases = [f for f in m.features if not is_sentence(f.text) and len(f.text) <= 48]
        desc = [m.description] if m.description else []
        for lead in m.features:
            yield from self.titled("feature", lead, m.values, m.proof, m.story, desc, m.offers)
        for headline, lead in self.heads(m.features):
            others = [f for f in phrases if f.text != lead.text][:3]
            body: list[Snippet | str] = []
            if len(others) >= 2 and self.ph:
                listed = join_list([m.casing.item(f.text) for f in others], m.language)
                body.append(self.ph.offers.format(name=m.name, x=listed))
            body += self.support(headline, lead, m.values, m.proof, m.story, desc, m.offers)[:4]
            cites = (lead, *(others if len(others) >= 2 else ()), *(b for b in body if isinstance(b, Snippet)))
            listing = body[0] if body and isinstance(body[0], str) else ""
            yield Built(
                "feature",
                headline,
                [b if isinstance(b, str) else sentence(b.prose) for b in body],
                cites,
                lead.text,
                listing=listing,
            )

    def question(self) -> Iterator[Built]:
        m = self.mat
        asks = [(bare(s.text), s) for s in [*m.hero, *m.values] if clean(s.text).endswith("?")]
        if self.ph and self.ph.need:
            asks += [
                (self.ph.need.format(x=m.casing.item(f.text)), f)
                for f in m.features
                if not is_sentence(f.text) and not re.search(r"\d", f.text)
            ]
        for headline, lead in asks:
            if len(headline) <= self.lim.headline:
                yield self.built(
                    "question",
                    headline if headline.endswith("?") else headline + "?",
                    lead,
                    self.support(headline, lead, m.proof, m.values, m.offers)[:6],
                )

    def brand(self) -> Iterator[Built]:
        """The brand's name as the headline, its strongest sentences below: the fallback when none of
        its own lines fits a short headline (Google's 30 characters)."""
        m = self.mat
        if len(m.name) <= self.lim.headline:
            lead = Snippet(m.name)
            desc = [m.description] if m.description else []
            yield self.built(
                "brand", m.name, lead, self.support(m.name, lead, m.proof, m.offers, m.values, desc, m.story, m.hero)[:6]
            )

    def by_name(self, angle: str) -> Iterator[Built]:
        return getattr(self, angle)() if angle in (*ORDER, *EXTRA) else iter(())


def _says_more(text: str, headline: str) -> bool:
    """Whether a sentence tells more than the headline above it: at least MIN_NEW_WORDS words of four or
    more letters the headline does not have."""
    said = {w.lower() for w in re.findall(r"[^\W\d_]{4,}", headline)}
    return len({w.lower() for w in re.findall(r"[^\W\d_]{4,}", text)} - said) >= MIN_NEW_WORDS
