"""What CSS on one page can apply to: its elements' tags, classes and ids with the role each plays
(button, link, header, logo, hero...), and the background images set in style="" attributes.

Read once while the page is parsed (page.py hooks `scan` in) and kept compact, so the stylesheet
rules fetched later (backgrounds.py) and the Tailwind class names (colors.py) can be matched against
the page without its DOM. Bounded like the rest of a page: an untrusted page can be huge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from lxml.etree import _Element

from ..urls import join
from .lexicon import LOGO_WALL

MAX_ELEMENTS = 3_000  # elements with a class or id that are indexed (a real page has a few hundred)
MAX_INLINE = 200  # style="" attributes read for background images
URL_IN_CSS = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)", re.I)
BUTTON_WORDS = re.compile(r"\b(btn|button|cta)\b|(^|[\s_-])(btn|button|cta)([\s_-]|$)")
HERO_WORDS = re.compile(r"hero|banner|masthead|cover|jumbotron|splash|slide|parallax|feature-image|bg-image|backdrop")
LOGO_WORDS = re.compile(r"logo|brand|site-title|wordmark")
SKIP = {"script", "style", "template", "noscript", "head", "title", "meta", "link"}


@dataclass
class StyledElement:
    tag: str
    id: str
    classes: tuple[str, ...]
    role: str  # "button", "link", "logo", "header", "nav", "hero", "footer" or "" (body content)
    text: str = ""  # the element's own text, short: nearby text for a background photo


@dataclass
class Background:
    """A url(...) in an element's style="" attribute: a photo candidate with its element's context."""

    url: str
    element: StyledElement


# Where a lazy loader (lazysizes' bgset, WP Rocket, theme builders) keeps a background image until it
# writes it into style: the hero photo of many sites is only there.
LAZY_BACKGROUNDS = ("data-bg", "data-background-image", "data-bg-image", "data-background")
LAZY_URL = re.compile(r"url\(|^\s*(https?:)?/|\.(jpe?g|png|webp|avif|gif)\b", re.I)  # not a colour or a flag


@dataclass
class Styled:
    tokens: set[str] = field(default_factory=set)  # "div", ".hero", "#about": what a selector can name
    elements: list[StyledElement] = field(default_factory=list)
    inline_backgrounds: list[Background] = field(default_factory=list)


def css_urls(value: str) -> list[str]:
    """Every url(...) in a CSS value, data: URLs and fragments left out (they are not photos)."""
    urls = [m.group(2).strip() for m in URL_IN_CSS.finditer(value)]
    return [u for u in urls if u and not u.lower().startswith(("data:", "#", "javascript:"))]


def _role(el: _Element, tag: str, words: str, ancestors: list[tuple[str, str]]) -> str:
    if (
        tag == "button"
        or BUTTON_WORDS.search(words)
        or el.get("role") == "button"
        or (tag == "input" and (el.get("type") or "").lower() in ("submit", "button"))
    ):
        return "button"
    if LOGO_WORDS.search(words) and not LOGO_WALL.search(words) and not any(t == "footer" for t, _ in ancestors):
        return "logo"
    if tag == "a":
        return "link"
    if tag == "header" or "header" in words.split() or "navbar" in words:
        return "header"
    if tag == "nav":
        return "nav"
    if tag == "footer":
        return "footer"
    if HERO_WORDS.search(words):
        return "hero"
    return ""


def scan(doc: _Element, base_url: str) -> Styled:
    out = Styled()
    body = doc.find("body")
    root = body if body is not None else doc
    for el in islice((e for e in root.iter() if isinstance(e.tag, str) and e.tag not in SKIP), MAX_ELEMENTS * 3):
        tag = el.tag.lower()
        out.tokens.add(tag)
        classes = tuple((el.get("class") or "").split())[:40]
        ident = (el.get("id") or "").strip()
        style = el.get("style") or ""
        lazy = next((v.strip() for a in LAZY_BACKGROUNDS if (v := el.get(a)) and LAZY_URL.search(v)), "")
        if lazy and "url(" not in lazy:  # a lazy loader's attribute holds the bare URL
            lazy = f"url({lazy})"
        style = f"{style};background-image:{lazy}" if lazy else style
        if not classes and not ident and "url(" not in style and tag not in ("a", "button", "header", "nav"):
            continue
        out.tokens.update(f".{c}" for c in classes)
        if ident:
            out.tokens.add(f"#{ident}")
        if len(out.elements) >= MAX_ELEMENTS:
            continue
        words = f"{' '.join(classes)} {ident}".lower()
        ancestors = [(str(a.tag), (a.get("class") or "").lower()) for a in islice(el.iterancestors(), 30)]
        item = StyledElement(tag, ident, classes, _role(el, tag, words, ancestors), _own_text(el))
        out.elements.append(item)
        if "url(" in style and len(out.inline_backgrounds) < MAX_INLINE:
            for url in css_urls(style):
                joined = join(base_url, url)
                if joined is not None:  # "url(http://[oops/x.jpg)" is no address: skipped
                    out.inline_backgrounds.append(Background(joined, item))
    return out


def _own_text(el: _Element) -> str:
    text = " ".join(t.strip() for t in islice(el.itertext(), 60) if t.strip())
    return re.sub(r"\s+", " ", text)[:280]
