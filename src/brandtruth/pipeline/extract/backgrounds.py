"""Photos set as CSS backgrounds: url(...) in style="" attributes and in the stylesheet rules that
apply to the page's elements (a selector whose rightmost compound names a tag, class or id present).

Hero and section photos on many themes are `background-image`, never an <img>. What is found here
joins the <img> candidates and passes the same download checks (type, decode, pixel limit, size).
"""

from __future__ import annotations

import re

import tinycss2

from ..urls import join
from .page import ImageRef, ParsedPage
from .styled import HERO_WORDS, StyledElement, css_urls

BACKGROUND_PROPS = {"background", "background-image", "--bg", "--background", "--hero-image", "--image"}
# CSS is untrusted and large: bounded reading (characters, rules with a url(), selector parts, and
# elements tried per selector), so the cost stays linear and small whatever a site serves.
MAX_CSS_CHARS = 2_000_000
MAX_RULES = 5_000  # rules with a background url() read across a site's CSS
MAX_SELECTOR_PARTS = 32
MAX_CANDIDATES = 200
SIMPLE = re.compile(r"([.#]?)(-?[_a-zA-Z][\w-]*)")
PSEUDO = re.compile(r"::?[\w-]+(\([^)]*\))?")


def background_refs(pages: list[ParsedPage], css: list[tuple[str, str]]) -> list[ImageRef]:
    """Background photo candidates, hero/banner ones first. `css` is (stylesheet URL, text) pairs;
    inline <style> text comes with its page's URL, so relative url()s resolve as the browser would."""
    hero: list[ImageRef] = []
    rest: list[ImageRef] = []

    def add(url: str, el: StyledElement | None, selector: str = "") -> None:
        words = f"{' '.join(el.classes)} {el.id} {selector}".lower() if el else selector.lower()
        ref = ImageRef(url, "", el.text if el else "", hints=f"css-background {words}".strip())
        (hero if HERO_WORDS.search(words) or (el and el.role == "hero") else rest).append(ref)

    for page in pages:
        for bg in page.styled.inline_backgrounds:
            add(bg.url, bg.element)
    rules, budget = 0, MAX_CSS_CHARS
    index = _index(pages)
    for base, text in css:
        if budget <= 0:
            break
        text, budget = text[:budget], budget - len(text)
        for selector, value in _background_rules(text):
            rules += 1
            if rules > MAX_RULES:
                break
            el = _applies(selector, index)
            if el is not None:
                for url in css_urls(value):
                    joined = join(base, url)
                    if joined is not None:  # "url(http://[oops/x.jpg)" is no address: skipped
                        add(joined, el, selector)
    return list({r.url: r for r in hero + rest}.values())


def _background_rules(text: str, depth: int = 0) -> list[tuple[str, str]]:
    """(selector, value) of each declaration that can carry a background image, @media blocks included."""
    found: list[tuple[str, str]] = []
    if "url(" not in text:
        return found
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        nested = rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer")
        if nested and rule.content and depth < 3:
            found += _background_rules(tinycss2.serialize(rule.content), depth + 1)
        if rule.type != "qualified-rule":
            continue
        body = tinycss2.serialize(rule.content)
        if "url(" not in body:
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        for decl in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            name = decl.name if getattr(decl, "type", "") == "declaration" else ""
            if name.lower() in BACKGROUND_PROPS:
                found.append((selector, tinycss2.serialize(decl.value)))
    return found


def _index(pages: list[ParsedPage]) -> dict[str, list[StyledElement]]:
    """Elements by each token a selector can name (".hero", "#about", "section"), in page order."""
    index: dict[str, list[StyledElement]] = {}
    for page in pages:
        for el in page.styled.elements:
            for token in (el.tag, *(f".{c}" for c in el.classes), *([f"#{el.id}"] if el.id else [])):
                index.setdefault(token, []).append(el)
        for token in page.styled.tokens:  # bare tags without class or id (`header`, `body`) too
            index.setdefault(token, [])
    return index


def _applies(selector: str, index: dict[str, list[StyledElement]]) -> StyledElement | None:
    """The first element that the rightmost compound of one of `selector`'s parts names."""
    for part in selector.split(",")[:MAX_SELECTOR_PARTS]:
        compound = re.split(r"[\s>+~]+", PSEUDO.sub("", part).strip())[-1]
        wanted = SIMPLE.findall(re.sub(r"\[[^\]]*\]", "", compound))[:8]
        if not wanted or compound.startswith("*"):
            continue
        tokens = [kind + name if kind else name.lower() for kind, name in wanted]
        if not all(t in index for t in tokens):
            continue
        rarest = min(tokens, key=lambda t: len(index[t]))
        found = next((el for el in index[rarest][:MAX_CANDIDATES] if _matches(el, wanted)), None)
        if found is not None:
            return found
        if len(wanted) == 1 and not wanted[0][0]:  # a bare tag such as `header` or `body`
            return StyledElement(tokens[0], "", (), "hero" if tokens[0] == "header" else "")
    return None


def _matches(el: StyledElement, wanted: list[tuple[str, str]]) -> bool:
    for kind, name in wanted:
        if kind == "." and name not in el.classes:
            return False
        if kind == "#" and name != el.id:
            return False
        if not kind and name.lower() != el.tag:
            return False
    return True
