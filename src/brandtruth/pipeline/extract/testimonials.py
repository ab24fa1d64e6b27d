"""Testimonials read whole: one quote with its author, and the place and rating where the site gives them.

A quote without anyone to attribute it to is not a testimonial an ad can use, so it is left out;
the quote keeps its own words, without the quote marks around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from lxml.etree import _Element

from .dom import clean, element_text, words_of
from .lexicon import REVIEW_SITES
from .regions import Block, tokens

MAX_TESTIMONIALS = 200  # candidate elements looked at per page
MAX_QUOTE_WORDS = 120
MAX_NODES = 2_000  # elements looked at inside one candidate testimonial
MAX_NAMED_BOXES = 30
MAX_BARE_NODES = 60  # elements looked at for a quote written without paragraphs (and read in each)
MAX_LIST_ITEMS = 50  # reviews looked at in one list of reviews
MAX_LIST_NODES = 20_000
QUOTE_WORDS = {"testimonial", "testimonials", "review", "reviews", "quote", "quotes", "temoignage", "avis",
               "kundenstimmen", "kundenstimme", "bewertung", "testimonio", "testimonios", "opinion", "opiniones",
               "resena"}  # fmt: skip
AUTHOR_WORDS = {"author", "name", "cite", "attribution", "reviewer", "customer", "client", "who", "by", "person", "autor",
                "auteur", "nombre", "blockquote-footer", "byline"}  # fmt: skip
# A name's parts as themes class them ("first-name", "prenom", "vorname", "initial"): one name, read with spaces.
_NAME_PARTS = {"last", "family", "additional", "surname", "lastname", "lname", "initial", "nom", "nachname", "cognome",
               "apellido", "achternaam"}  # fmt: skip
# A surname or an initial: "Kowalski", "K.", "De Luca", "van der Berg", "de la Cruz", "al-Rashid".
_NAME_WORD = re.compile(
    r"(?:(?:van|von|de|der|den|da|di|del|della|la|le|al|el|du|dos|das|ten|ter|bin|ibn)[ -])*[A-ZÀ-Þ][\w'’.-]*"
    r"(?: [A-ZÀ-Þ][\w'’.-]*)?"
)
BYLINE_WORDS = {"cite", "author", "name", "byline", "attribution", "autor", "auteur", "nombre"}  # a box's byline part
# A line under the name that says who they are ("Car accident client", "CEO, Acme"): Divi's testimonial_meta,
# Elementor's testimonial__title. No part of what was said.
ROLE_WORDS = {"meta", "position", "company", "job", "role", "designation", "occupation", "job-title"}
LIST_PARTS = {"item", "items", "card", "slide", "single", "entry", "list", "grid", "row", "col", "column"}
PLACE_WORDS = {"town", "city", "location", "place", "where", "ville", "ort", "ciudad", "lieu"}
RATING_WORDS = {"rating", "stars", "star", "score", "note", "bewertung", "valoracion"}
QUOTE_MARKS = "“”\"‘’«»„‟'"
STARS = re.compile(r"[★⭐]{1,5}")
RATED = re.compile(r"\b([1-5](?:[.,]\d)?)\s*(?:/|out of|sur|von|de)\s*5\b|\b([1-5]) stars?\b", re.I)
TESTIMONIAL_BOX = re.compile(r"testimonial|quote|review|temoignage|avis|kundenstimme|testimonio|opinion")
MIN_QUOTED_CHARS = 12  # a shorter block in a quote's box ("Karen W.") is no part of what was said
MAX_INLINE_BLOCKS = 2_000  # blocks looked at for quotes written as plain paragraphs
MAX_BYLINE_WORDS = 8
SITE_FOOTER = {"site-footer", "colophon", "footer-main", "page-footer", "main-footer", "global-footer"}
NO_QUOTES = {"nav", "cookie", "form", "modal"}
_OPEN, _CLOSE, _NOT_MARK = '[“"«„‘]', '[”"»“’]', '[^“”"«»„]'
_DASH = "[-–—―]"
# “Best birria in Arizona, hands down.” – Marisol G.   (the dash may also open the next line: BYLINE)
# A name (and place) after the dash, no quote in it; a title may open with a number ("5280 Magazine").
_WHO = rf"(?:\d{{1,4}}\s+(?=[A-Z]))?[^\W\d_]{_NOT_MARK}{{1,80}}"
ATTRIBUTED = re.compile(rf"^{_OPEN}\s*(?P<quote>{_NOT_MARK}{{12,800}}?)\s*{_CLOSE}\s*{_DASH}\s*(?P<who>{_WHO})$")
QUOTATION = re.compile(rf"^{_OPEN}\s*{_NOT_MARK}{{12,800}}{_CLOSE}$")
BYLINE = re.compile(rf"^{_DASH}\s*{_WHO}$")
_INITIAL = re.compile(r"(?:^|\s)[A-ZÀ-Þ]\.")
QUOTE_HEADING = re.compile(
    r"\b(?:say|says|said|saying|reviews?|testimonials?|stories|kind words|word for it|happy (?:clients|customers)|"
    r"client love|customers love|love notes|avis|témoignages|bewertungen|kundenstimmen|opiniones|testimonios|recensioni|"
    r"dicono|ervaringen|depoimentos|avaliações)\b",
    re.I,
)
_NOT_A_NAME = re.compile(
    r"\b(?:read|more|learn|see|view|our|services|contact|book|shop|call|get|started|now|today|us|reviews?|menu|home)\b", re.I
)
# The name alone on the line after a quotation, with no dash (Wix, Squarespace): "Sophie L.", "Marta G., Madrid".
NAME_LINE = re.compile(r"^[A-ZÀ-Þ][\w'’-]*\.?(?:\s+[A-ZÀ-Þ][\w'’-]*\.?){0,3}(?:,\s*[A-ZÀ-Þ][\w'’ .-]{1,40})?$")
ROLE = re.compile(r"\b(at|of|CEO|CTO|VP|founder|owner|manager|director|head|chef|lead|co-founder|president)\b", re.I)


@dataclass
class Quote:
    quote: str
    author: str
    place: str = ""
    rating: str = ""


def read_testimonials(doc: _Element) -> list[Quote]:
    nodes = doc.xpath(
        "//blockquote | //*[contains(@class,'testimonial') or contains(@class,'review') or contains(@class,'quote')"
        " or contains(@class,'temoignage') or contains(@class,'avis') or contains(@class,'opinion')"
        " or contains(@class,'kundenstimme') or contains(@class,'testimonio')]"
    )
    out: list[Quote] = []
    seen: set[str] = set()
    for node in _items(nodes[:MAX_TESTIMONIALS]):
        if node.tag != "blockquote" and (node.find(".//blockquote") is not None or not _item(node)):
            continue
        if node.tag == "cite" or tokens(words_of(node)) & BYLINE_WORDS:
            continue  # who said it, never what (Elementor's "__cite": its "__name" over "Owner, Round Rock Realty")
        found = _read(node)
        if found and found.quote.casefold() not in seen:
            seen.add(found.quote.casefold())
            out.append(found)
    return out


def inline_quotes(blocks: list[Block], known: list[Quote]) -> list[Quote]:
    """Testimonials a site writes as plain paragraphs, in any section ("What Tucson says"): a quotation with
    who said it after a dash (“Best birria in Arizona.” – Marisol G.), or a paragraph that is one quotation
    with the dash and the name on the next line. Their blocks are quoted: the customer's "best in Arizona"
    is never the business's own claim."""
    said = {q.quote.casefold() for q in known}
    out: list[Quote] = []
    about_quotes, level = False, 0  # whether the section's heading says it holds customers' words, and its level
    for i, block in enumerate(blocks[:MAX_INLINE_BLOCKS]):
        if block.role == "heading":
            rank = int(block.tag[1]) if re.fullmatch(r"h[1-6]", block.tag) else 6
            if not about_quotes or rank <= level:  # a review's own title ("<h3>Great job</h3>") keeps its section's
                about_quotes, level = QUOTE_HEADING.search(block.text) is not None, rank
        if block.role != "text" or block.region in NO_QUOTES:
            continue
        m = ATTRIBUTED.match(block.text)
        quote, who, by = (m.group("quote"), m.group("who"), block) if m else ("", "", None)
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        named = after is not None and (BYLINE.match(after.text) is not None or _name_line(after, about_quotes))
        if not m and QUOTATION.match(block.text) and after is not None and named:
            quote, who, by = block.text, after.text, after
        if by is None:
            continue
        quote = strip_quote_marks(quote)
        author, place = attribution(who)
        if not author or len(author.split()) > MAX_BYLINE_WORDS or not 4 <= len(quote.split()) <= MAX_QUOTE_WORDS:
            continue
        block.quoted = by.quoted = True
        if quote.casefold() not in said:
            said.add(quote.casefold())
            out.append(Quote(quote, author, place))
    return out


def _name_line(block: Block, about_quotes: bool = False) -> bool:
    """A line that is a customer's name with no dash before it ("Sophie L.", "Mike Thompson", "Marta G., Madrid"): a
    paragraph, not a link's "Read More" nor the next section's heading, and no words of a button or a heading.
    `about_quotes`: the heading above says what follows is what customers say ("What our neighbors say")."""
    if block.role != "text" or not NAME_LINE.match(block.text) or _NOT_A_NAME.search(block.text):
        return False
    # A bare "First Last" only where the page says these are its customers' words: an eyebrow ("Pricing", "Family
    # Owned") after the brand's own pull quote is no name.
    return bool(_INITIAL.search(block.text) or "," in block.text or TESTIMONIAL_BOX.search(block.section) or about_quotes)


def mark_quoted(blocks: list[Block], quotes: list[Quote]) -> None:
    """A testimonial's words are its author's, however its box is marked up (Elementor writes the quote in a
    plain <div>, without quote marks): the blocks that hold them are quoted, never the brand's own claims."""
    said = [q.quote.casefold() for q in quotes]
    for block in blocks:
        text = strip_quote_marks(block.text).casefold()
        if not block.quoted and len(text) >= MIN_QUOTED_CHARS and TESTIMONIAL_BOX.search(block.section):
            block.quoted = any(text in quote for quote in said)


def _items(nodes: list[_Element]) -> list[_Element]:
    """The candidates, a list of reviews whose own boxes say nothing of reviews read as its reviews: Judge.me
    writes "jdgm-rev" boxes in a "jdgm-rev-widg__reviews" list, and the list read whole was one quote of
    two customers, under one of their names."""
    out: list[_Element] = []
    budget = MAX_LIST_NODES  # elements looked at over all candidates: a hostile page has thousands of them
    for node in nodes:
        groups: dict[tuple[str, str], list[_Element]] = {}
        for child in islice(node, MAX_LIST_ITEMS):
            if not isinstance(child.tag, str) or budget <= 0:
                continue
            inside = list(islice(child.iter(), MAX_BARE_NODES))
            budget -= len(inside)
            if any(el.tag == "p" for el in inside):
                groups.setdefault((child.tag, child.get("class") or ""), []).append(child)
        repeated = max(groups.values(), key=len, default=[])
        out += repeated if len(repeated) >= 2 and node.tag != "blockquote" else [node]
    return list(dict.fromkeys(out))[:MAX_TESTIMONIALS]


def _item(node: _Element) -> bool:
    """One testimonial, not the section holding several: it has no testimonial box inside but its own parts
    (Divi's "et_pb_testimonial" holds "et_pb_testimonial_description" and "et_pb_testimonial_content")."""
    own = tuple(f"{word}{sep}" for word in (node.get("class") or "").split() for sep in ("_", "-"))
    names = MAX_NAMED_BOXES  # inner boxes looked into for a name: a hostile page nests thousands
    for inner in islice(node.iterdescendants(), MAX_NODES):
        if not isinstance(inner.tag, str) or not tokens(words_of(inner)) & QUOTE_WORDS:
            continue
        classes = (inner.get("class") or "").split()
        if own and classes and all(word.startswith(own) for word in classes) and not _listed(classes, own):
            continue  # a part of this box, named after it
        if inner.find(".//p") is None:
            names -= 1
            if names < 0 or not _named(inner):
                continue  # no box of a quote of its own: no paragraph, no name and text parts (Trustindex's items)
        return False
    return True


_TEXT_PARTS = {"content", "text", "body", "comment", "message", "quote"}
MIN_TEXT_PART_WORDS = 3


def _named(box: _Element) -> bool:
    """Whether a box is a review of its own, written without paragraphs: among its first few elements a name part
    and a part for its text (Trustindex's "ti-name" and "ti-review-content"), not a byline's name and role only
    (Elementor's "testimonial-meta")."""
    name = text = False
    for el in islice(box.iterdescendants(), MAX_BARE_NODES):
        if isinstance(el.tag, str):
            words = tokens(words_of(el))
            name = name or el.tag == "cite" or bool(words & AUTHOR_WORDS)
            text = text or (bool(words & _TEXT_PARTS) and len(element_text(el, MAX_BARE_NODES).split()) >= MIN_TEXT_PART_WORDS)
    return name and text


def _listed(classes: list[str], own: tuple[str, ...]) -> bool:
    """Whether classes named after a box make an item of a list ("testimonials__item", "reviews-card"), not
    a part of one testimonial ("et_pb_testimonial_content")."""
    for word in classes:
        prefix = next((p for p in own if word.startswith(p)), "")
        if re.split(r"[-_]+", word[len(prefix) :].lstrip("-_"))[0] in LIST_PARTS:
            return True
    return False


def _role_line(p: _Element) -> bool:
    """A line under the name that says who they are: a class word naming both the testimonial and the role
    ("et_pb_testimonial_meta", "elementor-testimonial__job"), never a utility ("position-relative")."""
    words = (p.get("class") or "").lower().split()
    return any(len(t := tokens(word)) > 1 and t & ROLE_WORDS and t & QUOTE_WORDS for word in words)


def _read(node: _Element) -> Quote | None:
    author_el = _author_element(node)
    place_el = _first(node, (), PLACE_WORDS)
    if place_el is None and author_el is not None and author_el.tag != "cite":
        place_el = _first(author_el, ("cite",), set())  # Bootstrap: "Name, <cite>Town</cite>"
    quote_el = node.find(".//blockquote") if node.tag != "blockquote" else node
    found = islice((quote_el if quote_el is not None else node).iter("p", "q"), 20)
    paras = [p for p in found if not _inside(p, author_el) and not _role_line(p)]
    quote = " ".join(t for t in (element_text(p) for p in paras) if t) if paras else ""
    if not quote and quote_el is not None:
        quote = element_text(quote_el)
    if not quote:
        quote = _bare_quote(node, author_el, place_el)
    author = _byline(author_el) if author_el is not None else ""
    if not author:
        strong = node.find(".//strong")
        author = element_text(strong) if strong is not None and not _inside(strong, quote_el) else ""
    if author and quote.endswith(author):
        quote = quote[: -len(author)].strip()
    quote = strip_quote_marks(quote)
    author, place = attribution(author, element_text(place_el) if place_el is not None else "")
    if not author or len(quote.split()) < 4 or len(quote.split()) > MAX_QUOTE_WORDS or len(author.split()) > 12:
        return None
    return Quote(quote, author, place, _rating(node))


def _bare_quote(node: _Element, author_el: _Element | None, place_el: _Element | None) -> str:
    """The quote of a testimonial written without <blockquote>, <p> or <q> (Elementor's testimonial widget:
    a content <div> beside the name): the longest text in it that holds neither who said it nor where."""
    best = ""
    for el in islice(node.iterdescendants(), MAX_BARE_NODES):  # a widget is small; each read is bounded too
        if not isinstance(el.tag, str) or _holds(el, author_el) or _holds(el, place_el):
            continue
        if _inside(el, author_el) or _inside(el, place_el):
            continue
        text = element_text(el, MAX_BARE_NODES)
        if len(text) > len(best):
            best = text
    return best


def _site_footer(el: _Element) -> bool:
    parent = el.getparent()
    words = tokens(words_of(el))
    return parent is None or parent.tag == "body" or el.get("role") == "contentinfo" or bool(words & SITE_FOOTER)


_LINE_TAGS = ("div", "p", "cite", "h3", "h4", "h5", "h6")


def _byline(el: _Element) -> str:
    """Who said it, its lines joined as a list: a caption of two blocks, "Rosa Delgado" over "Operations
    Director, Taco Loco", reads "Rosa Delgado, Operations Director, Taco Loco" (not one run-on name); so do two
    spans a theme sets on lines of their own (Elementor's "__name" and "__title": "Ashley T., South Austin")."""
    lines = [
        line
        for line in islice(el.iter(*_LINE_TAGS), MAX_NODES)
        if line is not el and not any(isinstance(d.tag, str) and d.tag in _LINE_TAGS for d in line.iterdescendants())
    ]
    texts = [t for t in (element_text(line) for line in lines) if t]
    if len(texts) < 2 and not (el.text or "").strip():
        parts = [c for c in islice(el, MAX_NODES) if isinstance(c.tag, str)]
        named = [c for c in parts if c.tag == "span" and tokens(c.get("class") or "")]
        loose = any((c.tail or "").strip() for c in parts)  # "<span>Ashley</span> from Austin": one line of text
        if len(named) >= 2 and len(named) == len(parts) and not loose:
            texts = [t for t in (element_text(c) for c in named) if t]
            # A name in parts ("first-name" + "last-name", "prenom" + "nom", "name" + "initial") is one name: "Sarah
            # Kowalski", never "Sarah, Kowalski"; a company or a town after it stays apart ("Sarah K., Acme Inc").
            if all(tokens(c.get("class") or "") & _NAME_PARTS and _NAME_WORD.fullmatch(element_text(c)) for c in named[1:]):
                return " ".join(texts)
    return ", ".join(texts) if len(texts) >= 2 else element_text(el)


def _holds(el: _Element, inner: _Element | None) -> bool:
    return inner is not None and _inside(inner, el)


def _author_element(node: _Element) -> _Element | None:
    """Who said it: an author-named element or <cite> inside the testimonial, its <footer>/<figcaption>,
    or the caption right after a blockquote or of its <figure> (Bootstrap's blockquote-footer)."""
    for found in (_first(node, ("cite",), AUTHOR_WORDS), _first(node, ("footer", "figcaption"), set())):
        if found is not None:
            return found
    after = node.getnext()
    if after is not None and (after.tag in ("figcaption", "footer", "cite") or tokens(words_of(after)) & AUTHOR_WORDS):
        # Not the page's own footer after the last section (its address and copyright are nobody's byline).
        if not (after.tag == "footer" and _site_footer(after)):
            return after
    parent = node.getparent()
    if parent is not None and parent.tag == "figure":
        return parent.find("figcaption")
    return None


# A review app's badge after the reviewer's name ("Megan T. Verified Buyer", "Rachel P. Google Review"): said of
# every review, no part of a name. A review site's name alone is kept: it may be the reviewer's employer
# ("Tom R., Head of Growth, Facebook").
_REVIEW_WORDS = ("review", "reviews", "user", "local guide", "avis", "bewertung", "bewertungen", "reseña", "reseñas")
BADGES = (
    "verified buyer", "verified purchase", "verified customer", "verified reviewer", "verified owner", "achat vérifié",
    "acheteur vérifié", "verifizierter kauf", "verifizierter käufer", "verifizierte käuferin", "compra verificada",
    "comprador verificado",
    *(f"{site}{gap}{word}" for site in REVIEW_SITES for gap in (" ", "-") for word in _REVIEW_WORDS),
    *(f"{via} {site}" for site in REVIEW_SITES for via in ("via", "on", "from", "sur", "auf", "en")),
)  # fmt: skip
_BADGES_LONGEST_FIRST = sorted(BADGES, key=len, reverse=True)


def without_badges(text: str) -> str:
    """`text` without the review badges it ends on; string tests, no regex: an author line is page text of any length."""
    for _ in range(3):
        low = text.lower()
        badge = next((b for b in _BADGES_LONGEST_FIRST if low.endswith(b) and not low[-len(b) - 1 : -len(b)].isalnum()), "")
        if not badge:
            break
        text = text[: -len(badge)].rstrip(" ,·|-–—")
    return text


def attribution(text: str, place: str = "") -> tuple[str, str]:
    """ "Lena Okoro — freelance UX designer, Lisbon" -> ("Lena Okoro", "Lisbon"); a company role stays with
    the name ("Maya Okafor, VP Finance at Lumen Bikes"); a plain occupation is dropped ("novelist")."""
    text = without_badges(clean(text)).lstrip("—–-― ").strip(" ,")
    if place and text.endswith(place):
        text = text[: -len(place)].rstrip(" ,–—-")
    parts = [p for p in re.split(r"\s*[,—–]\s*|\s+-\s+", text) if p]
    if not parts:
        return "", place
    name, rest = parts[0], parts[1:]
    if len(rest) >= 2 and re.fullmatch(r"[A-Z]{2}", rest[-1]) and _placelike(rest[-2]):
        rest = [*rest[:-2], f"{rest[-2]}, {rest[-1]}"]  # "Portland, OR"
    if not place and rest and _placelike(rest[-1]):
        place = rest.pop()
    roles = [r for r in rest if ROLE.search(r)]
    return ", ".join([name, *roles]), place


def _placelike(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 4 and text[:1].isupper() and not ROLE.search(text) and not any(c.isdigit() for c in text)


def strip_quote_marks(text: str) -> str:
    """The quote's words: the marks around it gone, and a stray unmatched mark at either end."""
    text = clean(text)
    while text and (text[0] in QUOTE_MARKS or text[-1] in QUOTE_MARKS):
        text = text.strip(QUOTE_MARKS).strip()
    return text


def _first(node: _Element, tags: tuple[str, ...], words: set[str]) -> _Element | None:
    for el in islice(node.iterdescendants(), MAX_NODES):
        if not isinstance(el.tag, str):
            continue
        if el.tag in tags or (words and tokens(words_of(el)) & words):
            return el
    return None


def _inside(el: _Element, container: _Element | None) -> bool:
    return container is not None and (el is container or any(a is container for a in el.iterancestors()))


def _rating(node: _Element) -> str:
    for el in islice(node.iter(), MAX_NODES):
        if not isinstance(el.tag, str):
            continue
        label = clean(el.get("aria-label") or el.get("title") or el.get("data-rating"))
        if (
            label
            and (RATED.search(label) or label.replace(".", "").isdigit())
            and (tokens(words_of(el)) & RATING_WORDS or RATED.search(label))
        ):
            m = RATED.search(label)
            return f"{m.group(1) or m.group(2)}/5" if m else f"{label}/5"
    text = element_text(node)
    stars = STARS.search(text)
    if stars:
        return stars.group()
    m = RATED.search(text)
    return f"{m.group(1) or m.group(2)}/5" if m else ""
