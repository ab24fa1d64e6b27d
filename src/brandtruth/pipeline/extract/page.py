"""Parse one HTML page (lxml + extruct) into the plain pieces the brand kit is built from."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import urldefrag

import lxml.html
from lxml.etree import ParserError, _Element

from ..urls import join
from . import dom, styled
from .cards import Card, find_cards, page_currency, read_cards
from .dom import INVISIBLE, clean, is_button, is_control, prune
from .lexicon import LOGO_WALL
from .metadata import MAX_STYLES, legacy_css, structured_data
from .regions import MAX_BLOCKS, MAX_ELEMENTS, Block, has_box_inside, region_at, signs_up_for_news, walk_blocks
from .styled import Styled
from .testimonials import Quote, inline_quotes, mark_quoted, read_testimonials
from .widgets import settle_counters

__all__ = ["Block", "ImageRef", "ParsedPage", "clean", "element_text", "parse_page"]

# A page is untrusted input: each kind of element is read up to a bound, so neither parsing nor what
# the later steps do with a page (ranking links, picking a logo, parsing CSS) grows without limit.
# A real page is far below each; a page past one is named in ParsedPage.capped (a run warning).
MAX_LINKS = 2_000  # <a> and <button> elements: same-site links to rank, CTAs
MAX_IMAGES = 300  # <img>/<source> and inline <svg> elements
# Where an image's URL may be, best first: a lazy loader's attributes before the ones it fills in later
# (with a placeholder until then: a data: URI, or a 1x1 blank.gif that the size checks drop).
LAZY_SRCSETS = ("data-srcset", "data-lazy-srcset", "srcset")
LAZY_SRCS = ("data-src", "data-lazy-src", "data-original", "data-lazy", "src")
# The invisible characters (dom.INVISIBLE) as entities; both removed with regexes (str.translate took 25x as
# long on 4 MB).
_INVISIBLE_ENTITY = re.compile(
    r"&(?:#0*8203|#x0*200b|zerowidthspace|#0*8288|#x0*2060|nobreak|#0*65279|#x0*feff|shy|#0*173|#x0*ad"
    r"|#x0*(?:e[0-9a-f]{3}|f[0-8][0-9a-f]{2})|#0*(?:5734[4-9]|573[5-9]\d|57[4-9]\d\d|5[89]\d{3}|6[0-2]\d{3}|63[0-6]\d\d|637[0-3]\d|6374[0-3]));",
    re.I,
)  # the last two: the Private Use Area, U+E000-U+F8FF (57344-63743)
MAX_HEAD_TAGS = 500  # <meta> and <link> elements
MAX_NEARBY_NODES = 2_000  # elements read looking for one image's nearby text
MIN_WALL = 3  # logos side by side outside the header: a wall, not the brand's mark


@dataclass
class ImageRef:
    url: str
    alt: str = ""
    nearby_text: str = ""
    hints: str = ""  # class/id/src words, used by the logo ranking
    in_header: bool = False
    inline_svg: str = ""
    others: bool = False  # one of a row of other organisations' logos (customers, partners, press)


@dataclass
class ParsedPage:
    url: str
    title: str = ""
    lang: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    headings: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    ctas: list[str] = field(default_factory=list)
    actions: list[tuple[str, str]] = field(default_factory=list)  # (button or CTA text, its region)
    testimonials: list[Quote] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)
    icons: list[tuple[str, str]] = field(default_factory=list)  # (rel, url)
    stylesheets: list[str] = field(default_factory=list)
    inline_css: list[str] = field(default_factory=list)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    opengraph: dict[str, str] = field(default_factory=dict)
    microdata: list[dict[str, Any]] = field(default_factory=list)
    noscript_only: bool = False
    capped: list[str] = field(default_factory=list)  # kinds of element past their bound, e.g. "links"
    bad_urls: list[str] = field(default_factory=list)  # hrefs/srcs that are no usable URL, skipped
    styled: Styled = field(default_factory=Styled)  # classes/ids/roles and inline backgrounds, for CSS

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def element_text(el: _Element, max_nodes: int | None = None) -> str:
    """Visible text with block boundaries as spaces (see dom.py), from at most `max_nodes` nodes."""
    return dom.element_text(el, max_nodes or dom.MAX_TEXT_NODES)


def _context(el: _Element) -> tuple[bool, str, bool]:
    chrome, header, words = False, False, []
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        chrome |= tag in ("nav", "footer") or "footer" in (anc.get("class") or "") or anc.get("role") == "navigation"
        header |= tag == "header" or "header" in (anc.get("class") or "")
        words.append(f"{anc.get('class') or ''} {anc.get('id') or ''}")
    return chrome, clean(" ".join(words)).lower(), header


def parse_page(html: str, url: str) -> ParsedPage:
    page = ParsedPage(url=url)
    html = _INVISIBLE_ENTITY.sub("", INVISIBLE.sub("", html))
    try:
        doc = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ParserError, ValueError):
        return page
    cut = prune(doc, MAX_ELEMENTS)  # what regions.py reads; every later pass costs at most that much
    base = doc.xpath("//base/@href")
    base_url = (join(url, base[0]) if base else None) or url
    page.jsonld, page.opengraph, page.microdata = structured_data(doc, base_url)
    page.title = clean(doc.findtext(".//title"))
    page.lang = (doc.get("lang") or doc.get("xml:lang") or "").split("-")[0].lower()
    settle_counters(doc, page.lang)  # "40,000 cups poured", not the "0" a count-up widget starts from
    for meta in islice(doc.iter("meta"), MAX_HEAD_TAGS):
        key = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").lower()
        if key and meta.get("content") and key not in page.meta:
            page.meta[key] = clean(meta.get("content"))
    for tags in (page.meta, page.opengraph):  # an og:image that is no URL is dropped here, once for every reader
        if tags.get("og:image") and join(base_url, tags["og:image"]) is None:
            page.bad_urls.append(tags.pop("og:image"))
    for link in islice(doc.iter("link"), MAX_HEAD_TAGS):
        rel, href = (link.get("rel") or "").lower(), link.get("href")
        if not href:
            continue
        joined = join(base_url, href)
        if joined is None:
            page.bad_urls.append(href)
        elif "stylesheet" in rel:
            page.stylesheets.append(joined)
        elif "icon" in rel or "mask-icon" in rel:
            page.icons.append((rel, joined))
    page.inline_css = [s.text_content() for s in islice(doc.iter("style"), MAX_STYLES)]
    page.inline_css += [f"x{{{el.get('style')}}}" for el in doc.xpath("//*[@style]")[:MAX_STYLES]]
    page.inline_css += legacy_css(doc)
    _blocks(page, doc)
    _links_and_ctas(page, doc, base_url)
    _images(page, doc, base_url)
    page.styled = styled.scan(doc, base_url)
    page.testimonials = read_testimonials(doc)
    page.testimonials += inline_quotes(page.blocks, page.testimonials)
    mark_quoted(page.blocks, page.testimonials)
    if cut:
        page.capped.append("elements")
    visible = sum(len(b.text) for b in page.blocks if not b.in_chrome)
    noscript = " ".join(clean(n.text_content()) for n in doc.iter("noscript"))
    page.noscript_only = visible < 40 and bool(noscript)
    if page.noscript_only:
        # Server-rendered fallback content lives in <noscript>: parse it as markup.
        for ns in doc.iter("noscript"):
            frag = lxml.html.fragment_fromstring(ns.text_content() or "", create_parent="div")
            found = islice(frag.iter("p", "h1", "h2", "li"), MAX_BLOCKS)
            page.blocks += [Block("p", t) for t in (element_text(e) for e in found) if t]
    return page


def _blocks(page: ParsedPage, doc: _Element) -> None:
    body = doc.find("body")
    if body is None:
        return
    boxed = has_box_inside(body)
    found = find_cards(body, boxed)
    page.blocks, complete = walk_blocks(body, boxed, {el: i for i, (el, _alt, _words) in enumerate(found)})
    if not complete:
        page.capped.append("blocks")
    page.cards = read_cards(page.blocks, found, page.url, page.lang, page_currency(page.blocks, page.jsonld))
    chrome = ("nav", "form", "cookie", "modal", "footer")
    page.headings = [(b.tag, b.text) for b in page.blocks if b.tag in ("h1", "h2", "h3") and b.region not in chrome]


def _links_and_ctas(page: ParsedPage, doc: _Element, base_url: str) -> None:
    for n, a in enumerate(doc.iter("a", "button")):
        if n >= MAX_LINKS:
            page.capped.append("links")
            break
        text = element_text(a) or clean(a.get("aria-label") or a.get("value"))
        if a.tag == "a" and a.get("href"):
            href = join(base_url, a.get("href").strip())
            if href is None:
                page.bad_urls.append(a.get("href").strip())
            else:
                page.links.append((urldefrag(href)[0], text))
        is_cta = (is_button(a) or a.get("type") == "submit") and not is_control(a, text) and not signs_up_for_news(a)
        if is_cta and text and len(text.split()) <= 6 and a.get("type") != "reset":
            region = region_at(a)
            page.actions.append((text, region))
            if region not in ("cookie", "modal"):
                page.ctas.append(text)
    for inp in doc.xpath("//input[@type='submit' and @value]"):
        page.ctas.append(clean(inp.get("value")))


def _nearby(el: _Element) -> str:
    # Each image reads at most MAX_NEARBY_NODES elements in all: reading every enclosing section
    # whole made a page of many images in one big section quadratic (60,000 images: minutes).
    budget = MAX_NEARBY_NODES
    for anc in el.iterancestors():
        if anc.tag in ("header", "nav", "body") or budget <= 0:
            return ""
        cap = anc.find("figcaption") if anc.tag == "figure" else None
        if cap is not None:
            return element_text(cap, budget)
        if anc.tag in ("section", "article", "figure", "div", "td"):
            text = element_text(anc, budget)
            if len(text) > 20:
                return text[:280]
            budget -= sum(1 for _ in islice(anc.iter(), budget))
    return ""


def _images(page: ParsedPage, doc: _Element, base_url: str) -> None:
    placed: list[tuple[ImageRef, str]] = []  # each <img> with the class words around it
    for n, img in enumerate(doc.iter("img", "source")):
        if n >= MAX_IMAGES:
            page.capped.append("images")
            break
        src = _image_source(img)
        if not src:
            continue
        _chrome, section, header = _context(img)
        alt = clean(img.get("alt"))
        if img.tag == "source":
            parent = img.getparent()
            alt = clean(parent.find(".//img").get("alt")) if parent is not None and parent.find(".//img") is not None else ""
        hints = f"{img.get('class') or ''} {img.get('id') or ''} {section.split(' ')[0] if section else ''} {src}".lower()
        joined = join(base_url, src)
        if joined is None:
            page.bad_urls.append(src)
            continue
        ref = ImageRef(joined, alt, _nearby(img), hints, header, others=not header and bool(LOGO_WALL.search(section)))
        page.images.append(ref)
        placed.append((ref, section))
    _mark_walls(placed)
    for svg in islice(doc.iter("svg"), MAX_IMAGES):
        _c, section, header = _context(svg)
        label = clean(svg.get("aria-label") or svg.findtext(".//title"))
        hints = f"{svg.get('class') or ''} {svg.get('id') or ''} {section[:80]} {label}".lower()
        if "logo" in hints or header:
            markup = lxml.html.tostring(svg, encoding="unicode")
            page.images.append(ImageRef(page.url + "#inline-svg", label, "", hints, header, inline_svg=markup))


def _mark_walls(placed: list[tuple[ImageRef, str]]) -> None:
    """Logos that share their place (the classes around them) with two or more other logos outside the
    header are a wall of other organisations' logos ("Trusted by", "As seen in"), never the brand's
    own, whatever the row is called."""
    rows: defaultdict[str, set[str]] = defaultdict(set)
    for img, section in placed:
        if not img.in_header and "logo" in f"{img.hints} {img.alt}".lower():
            rows[section].add(img.url)
    for img, section in placed:
        if len(rows.get(section, ())) >= MIN_WALL:
            img.others = True


def _image_source(img: _Element) -> str:
    """The URL an <img> or <source> shows: the largest candidate of its srcset, else its src. A lazily
    loaded image (lazysizes, WP Rocket, jQuery lazyload) keeps the real one in a data- attribute and a
    placeholder in src, which is never the photo."""
    for attr in LAZY_SRCSETS:
        srcset = img.get(attr) or ""
        best = max((c.strip().split() for c in srcset.split(",") if c.strip()), key=_width, default=None)
        if best and not best[0].lower().startswith("data:"):
            return best[0]
    for attr in LAZY_SRCS:
        src = (img.get(attr) or "").strip()
        if src and not src.lower().startswith("data:"):
            return src
    return ""


def _width(candidate: list[str]) -> float:
    if len(candidate) > 1 and candidate[1][:-1].replace(".", "", 1).isdigit():
        return float(candidate[1][:-1])
    return 1.0
