"""Parse one HTML page (lxml + extruct) into the plain pieces the brand kit is built from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

import lxml.html
from lxml.etree import ParserError, _Element

from . import styled
from .styled import Styled

BLOCK_TAGS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "dd",
    "dt",
    "blockquote",
    "figcaption",
    "caption",
    "summary",
}
SKIP_TAGS = {"script", "style", "template", "svg", "noscript", "head", "title", "select", "option", "textarea"}
CHROME_TAGS = {"nav", "footer"}
CTA_CLASS = re.compile(r"\b(btn|button|cta)\b", re.IGNORECASE)
WS = re.compile(r"\s+")


def clean(text: str | None) -> str:
    return WS.sub(" ", text or "").strip()


@dataclass
class Block:
    """A leaf-ish run of visible text: a paragraph, list item, heading, table cell..."""

    tag: str
    text: str
    in_chrome: bool = False  # inside <nav>/<footer>: navigation, not statements
    section: str = ""  # class/id words of enclosing sections, e.g. "features pricing"
    quoted: bool = False  # someone else's words: inside <blockquote>/<q>, or a quote in a testimonial box


@dataclass
class ImageRef:
    url: str
    alt: str = ""
    nearby_text: str = ""
    hints: str = ""  # class/id/src words, used by the logo ranking
    in_header: bool = False
    inline_svg: str = ""


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
    testimonials: list[tuple[str, str]] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)
    icons: list[tuple[str, str]] = field(default_factory=list)  # (rel, url)
    stylesheets: list[str] = field(default_factory=list)
    inline_css: list[str] = field(default_factory=list)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    opengraph: dict[str, str] = field(default_factory=dict)
    microdata: list[dict[str, Any]] = field(default_factory=list)
    noscript_only: bool = False
    styled: Styled = field(default_factory=Styled)  # classes/ids/roles and inline backgrounds, for CSS

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def element_text(el: _Element) -> str:
    parts: list[str] = []
    for node in el.iter():
        if node is not el and (not isinstance(node.tag, str) or node.tag in SKIP_TAGS):
            if isinstance(node.tag, str) and node.tail:
                parts.append(node.tail)  # text after a skipped element still belongs to the block
            continue
        if node.tag == "br":
            parts.append(" ")
        if node.text and node is el or (node.text and node is not el):
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return clean("".join(parts))


def _context(el: _Element) -> tuple[bool, str, bool]:
    chrome, header, words = False, False, []
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        chrome |= tag in CHROME_TAGS or "footer" in (anc.get("class") or "") or anc.get("role") == "navigation"
        header |= tag == "header" or "header" in (anc.get("class") or "")
        words.append(f"{anc.get('class') or ''} {anc.get('id') or ''}")
    return chrome, clean(" ".join(words)).lower(), header


def parse_page(html: str, url: str) -> ParsedPage:
    page = ParsedPage(url=url)
    try:
        doc = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ParserError, ValueError):
        return page
    base = doc.xpath("//base/@href")
    base_url = urljoin(url, base[0]) if base else url
    _structured(page, doc, base_url)
    page.title = clean(doc.findtext(".//title"))
    page.lang = (doc.get("lang") or doc.get("xml:lang") or "").split("-")[0].lower()
    for meta in doc.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").lower()
        if key and meta.get("content") and key not in page.meta:
            page.meta[key] = clean(meta.get("content"))
    for link in doc.iter("link"):
        rel, href = (link.get("rel") or "").lower(), link.get("href")
        if not href:
            continue
        if "stylesheet" in rel:
            page.stylesheets.append(urljoin(base_url, href))
        elif "icon" in rel or "mask-icon" in rel:
            page.icons.append((rel, urljoin(base_url, href)))
    page.inline_css = [s.text_content() for s in doc.iter("style")]
    page.inline_css += [f"x{{{el.get('style')}}}" for el in doc.xpath("//*[@style]")]
    page.inline_css += _legacy_css(doc)
    _blocks(page, doc)
    _links_and_ctas(page, doc, base_url)
    _images(page, doc, base_url)
    page.styled = styled.scan(doc, base_url)
    _testimonials(page, doc)
    visible = sum(len(b.text) for b in page.blocks if not b.in_chrome)
    noscript = " ".join(clean(n.text_content()) for n in doc.iter("noscript"))
    page.noscript_only = visible < 40 and bool(noscript)
    if page.noscript_only:
        # Server-rendered fallback content lives in <noscript>: parse it as markup.
        for ns in doc.iter("noscript"):
            frag = lxml.html.fragment_fromstring(ns.text_content() or "", create_parent="div")
            page.blocks += [Block("p", t) for t in (element_text(e) for e in frag.iter("p", "h1", "h2", "li")) if t]
    return page


def _legacy_css(doc: _Element) -> list[str]:
    """Pre-CSS presentational attributes (bgcolor, <font color/face>, body text/link) as CSS rules."""
    rules = [f"{el.tag}{{background-color:{el.get('bgcolor')}}}" for el in doc.xpath("//*[@bgcolor]")]
    rules += [f"font{{color:{el.get('color')}}}" for el in doc.xpath("//font[@color]")]
    rules += [f"font{{font-family:{el.get('face')}}}" for el in doc.xpath("//font[@face]")]
    for body in doc.xpath("//body[@text or @link]"):
        rules += [f"body{{color:{body.get('text')}}}"] if body.get("text") else []
        rules += [f"a{{color:{body.get('link')}}}"] if body.get("link") else []
    return rules


def _structured(page: ParsedPage, doc: _Element, base_url: str) -> None:
    # Imported here: extruct brings ~30 MB of modules, needed only where pages are parsed (the CPU
    # pool's processes), not in every process that imports this module's types.
    from extruct.jsonld import JsonLdExtractor
    from extruct.opengraph import OpenGraphExtractor
    from extruct.w3cmicrodata import MicrodataExtractor

    try:
        page.jsonld = JsonLdExtractor().extract_items(doc, base_url=base_url)
    except Exception:  # extruct raises on malformed JSON in a <script>; the rest of the page still counts
        page.jsonld = []
    try:
        for item in OpenGraphExtractor().extract_items(doc, base_url=base_url):
            for key, value in item.get("properties", []):
                page.opengraph.setdefault(key, value)
    except Exception:
        pass
    try:
        page.microdata = MicrodataExtractor().extract_items(doc, base_url, base_url)
    except Exception:
        page.microdata = []


def _blocks(page: ParsedPage, doc: _Element) -> None:
    body = doc.find("body")
    if body is None:
        return
    for el in body.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        leafish = tag in BLOCK_TAGS or (
            tag == "div"
            and not any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS | {"div", "section", "ul", "ol", "table"} for c in el)
        )
        if not leafish or any(a.tag in SKIP_TAGS for a in el.iterancestors()):
            continue
        # A <p> inside an <li> or <blockquote> is its own block; skip the container's duplicate.
        if tag in ("li", "blockquote", "td", "dd") and el.find(".//p") is not None:
            continue
        text = element_text(el)
        if not text:
            continue
        chrome, section, _ = _context(el)
        # A block that is nothing but links or buttons ("Start free trial Book a demo") is navigation.
        linked = sum(len(element_text(a)) for a in el.iter("a", "button") if a is not el)
        chrome = chrome or (tag not in ("h1", "h2", "h3") and linked >= 0.8 * len(text))
        in_quote = tag == "blockquote" or any(a.tag in ("blockquote", "q") for a in el.iterancestors())
        quoted = in_quote or (re.search(r"testimonial|quote", section) is not None and text[:1] in '“"‘«„')
        page.blocks.append(Block(tag, text, chrome, section, quoted))
        if tag in ("h1", "h2", "h3"):
            page.headings.append((tag, text))


def _links_and_ctas(page: ParsedPage, doc: _Element, base_url: str) -> None:
    for a in doc.iter("a", "button"):
        text = element_text(a) or clean(a.get("aria-label") or a.get("value"))
        if a.tag == "a" and a.get("href"):
            href = urldefrag(urljoin(base_url, a.get("href").strip()))[0]
            page.links.append((href, text))
        is_cta = a.tag == "button" or CTA_CLASS.search(a.get("class") or "") or a.get("role") == "button"
        if is_cta and text and len(text.split()) <= 6 and a.get("type") != "reset":
            page.ctas.append(text)
    for inp in doc.xpath("//input[@type='submit' and @value]"):
        page.ctas.append(clean(inp.get("value")))


def _nearby(el: _Element) -> str:
    for anc in el.iterancestors():
        if anc.tag in ("header", "nav", "body"):
            return ""
        cap = anc.find("figcaption") if anc.tag == "figure" else None
        if cap is not None:
            return element_text(cap)
        if anc.tag in ("section", "article", "figure", "div", "td"):
            text = element_text(anc)
            if len(text) > 20:
                return text[:280]
    return ""


def _images(page: ParsedPage, doc: _Element, base_url: str) -> None:
    for img in doc.iter("img", "source"):
        src = img.get("src") or img.get("data-src") or ""
        srcset = img.get("srcset") or ""
        if srcset:  # the largest candidate of a srcset
            best = max((c.strip().split() for c in srcset.split(",") if c.strip()), key=lambda c: _width(c), default=None)
            src = best[0] if best else src
        if not src or src.startswith("data:"):
            continue
        _chrome, section, header = _context(img)
        alt = clean(img.get("alt"))
        if img.tag == "source":
            parent = img.getparent()
            alt = clean(parent.find(".//img").get("alt")) if parent is not None and parent.find(".//img") is not None else ""
        hints = f"{img.get('class') or ''} {img.get('id') or ''} {section.split(' ')[0] if section else ''} {src}".lower()
        page.images.append(ImageRef(urljoin(base_url, src), alt, _nearby(img), hints, header))
    for svg in doc.iter("svg"):
        _c, section, header = _context(svg)
        label = clean(svg.get("aria-label") or svg.findtext(".//title"))
        hints = f"{svg.get('class') or ''} {svg.get('id') or ''} {section[:80]} {label}".lower()
        if "logo" in hints or header:
            markup = lxml.html.tostring(svg, encoding="unicode")
            page.images.append(ImageRef(page.url + "#inline-svg", label, "", hints, header, inline_svg=markup))


def _width(candidate: list[str]) -> float:
    if len(candidate) > 1 and candidate[1][:-1].replace(".", "", 1).isdigit():
        return float(candidate[1][:-1])
    return 1.0


def _testimonials(page: ParsedPage, doc: _Element) -> None:
    nodes = doc.xpath(
        "//blockquote | //*[contains(@class,'testimonial') or contains(@class,'review') or contains(@class,'quote')]"
    )
    seen: set[str] = set()
    for node in nodes:
        if node.tag != "blockquote" and node.find(".//blockquote") is not None:
            continue
        cite = node.find(".//cite")
        if cite is None:
            cite = node.find(".//footer")
        author = element_text(cite) if cite is not None else ""
        quote_el = node.find(".//p") if node.find(".//p") is not None else node
        quote = element_text(quote_el)
        if author and quote.endswith(author):
            quote = quote[: -len(author)].strip()
        quote = quote.strip().strip('“”"').strip()
        if len(quote) > 15 and quote not in seen:
            seen.add(quote)
            page.testimonials.append((quote, author.lstrip("—–- ").strip()))
