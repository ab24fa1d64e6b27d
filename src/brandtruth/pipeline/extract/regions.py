"""Page regions and text blocks with their provenance: where on the page each run of text sits.

One top-down walk gives every block its region (nav, header, hero, main, section, card, form,
footer, cookie, modal, aside) and its role (heading, text, button, label, legal), the way a reader
tells a cookie notice or a form label from a statement. Regions come from tags, ARIA roles, class
and id words, and form ancestry; an inner region refines an outer one, except that nothing inside
navigation, a footer, a form, a cookie banner or a modal is ever promoted to content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from lxml import etree
from lxml.etree import _Element

from .dom import (
    MAX_TEXT_NODES,
    SKIP_TAGS,
    clean,
    element_lines,
    element_paragraphs,
    element_text,
    hidden,
    is_box,
    is_button,
    tag_of,
    words_of,
)

MAX_ELEMENTS = 20_000  # elements looked at per page; the rest of a giant page is not read
MAX_BLOCKS = 5_000  # text blocks per page; a page past it is named in ParsedPage.capped
MAX_SECTION_WORDS = 200  # characters of ancestor class/id words kept per block
ATOMIC = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "button", "label", "legend", "summary", "dt", "caption",
          "figcaption", "address"}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MAX_STYLED_HEADING_WORDS = 20  # a paragraph in a heading's style is still a paragraph
MAX_LINKLESS_NODES = 200  # elements looked at in a box that says "nav": a menu is small
STICKY = {"cookie", "modal", "nav", "footer", "form"}  # nothing inside these is content
CHROME = {"cookie", "modal", "nav", "footer"}
_TOKEN = re.compile(r"[a-z0-9]+")
COOKIE = re.compile(r"cookie|consent|gdpr|rgpd|dsgvo|cmp-|onetrust|cookiebot|privacy-banner")
MODAL = {"modal", "popup", "lightbox", "dialog", "drawer", "offcanvas"}
NAV = {"nav", "navbar", "navigation", "menubar", "breadcrumb", "breadcrumbs", "skip", "pagination", "mainmenu",
       "topnav", "sidenav", "submenu", "dropdown", "menu-toggle"}  # fmt: skip
FOOTER = {"footer", "colophon", "copyright", "legal", "site-info", "pied", "fusszeile", "pie-de-pagina"}
HEADER = {"header", "masthead", "topbar", "top-bar", "announcement", "utility", "entete", "kopfzeile", "cabecera"}
FORM = {"form", "newsletter", "subscribe", "signup", "sign-up", "optin", "contact-form", "callback", "wpcf7"}
# What else a home page lists besides the business's own claims: blog teasers (tips for anyone: "Here are five
# signs it's time to book a dental visit") and job openings. Not news: an organisation's news is its own record
# ("The fall harvest drive collected 31 tonnes of food").
FEED = {"blog", "blog-posts", "latest-posts", "recent-posts", "related-posts", "wp-block-latest-posts", "careers", "hiring",
        "vacancies", "karriere", "stellenangebote", "emplois", "empleo"}  # fmt: skip
HERO = {"hero", "jumbotron", "banner", "splash", "intro", "cover", "showcase", "above-fold", "hero-section",
        "banniere", "accroche", "buehne", "bühne", "portada"}  # fmt: skip
# The slider a WordPress theme opens its home page with (Slider Revolution's <rs-module>, LayerSlider, Smart
# Slider, a theme's "home-slider"): its hero, where a testimonial or product slider is none (Flickity calls every
# carousel "main-carousel": carousels are not named here).
HERO_SLIDER = re.compile(
    r"\brs-module|\brev_?slider|\brevslider|\blayerslider|\bsmart-?slider|\bn2-section-smartslider|\bmetaslider|"
    r"\b(?:hero|home|banner|header)[-_]?(?:slider|slideshow)\b",
    re.I,
)
MAX_HERO_BLOCKS = 4  # a page with no marked hero: its h1 and the few lines after it
LEGAL = re.compile(
    r"\b(cookies?|privacy|datenschutz|confidentialit\w+|privacidad|terms (of|and) (use|service)|"
    r"all rights reserved|tous droits|alle rechte|todos los derechos|processed in (line|accordance) with|"
    r"personal data|données personnelles|personenbezogen\w*|datos personales|unsubscribe|consent)\b|©",
    re.I,
)
SEPARATED = re.compile(r"\s[|•·]\s")
# A footnote: the fine print an asterisk or dagger in a claim points to ("*Cannot be combined with other offers.").
# Not a line typed with "* " as its bullet (a builder's paragraph per line), nor "*NEW*" emphasis.
FOOTNOTE = re.compile(r"^\*{1,3}(?=[^\W\d_])(?![^*\s]{0,12}\*)|^[†‡]{1,2}\s?(?=[^\W\d_])")


@dataclass
class Block:
    """A leaf-ish run of visible text: a paragraph, list item, heading, table cell, card part..."""

    tag: str
    text: str
    in_chrome: bool = False  # navigation, footer, cookie banner, modal: not statements
    section: str = ""  # class/id words of enclosing elements, e.g. "features pricing"
    quoted: bool = False  # someone else's words: inside <blockquote>/<q>, or a quote in a testimonial box
    region: str = "main"  # nav, header, hero, main, section, card, form, footer, cookie, modal, aside
    role: str = "text"  # heading, text, button, label, legal, link
    card: int = -1  # index of the card (a repeated sibling box) it belongs to, or -1
    lines: tuple[str, ...] = ()  # the text cut at <br>s, when it has any


def tokens(words: str) -> set[str]:
    return set(_TOKEN.findall(words)) | set(words.split())


def own_region(el: _Element, tag: str, words: str, parent_region: str, in_article: bool) -> str:
    """The region this element opens, or its parent's."""
    if parent_region in ("cookie", "modal"):
        return parent_region
    role = (el.get("role") or "").lower()
    toks = tokens(words)
    label = (el.get("aria-label") or "").lower()
    if COOKIE.search(words) or "cookie" in label:
        return "cookie"
    if role in ("dialog", "alertdialog") or toks & MODAL or tag == "dialog":
        return "modal"
    if parent_region in STICKY:
        return parent_region
    if role in ("navigation", "menubar", "menu") or ((tag == "nav" or toks & NAV) and not _linkless(el)):
        return "nav"
    if (tag == "footer" and not in_article) or role == "contentinfo" or toks & FOOTER:
        return "footer"
    if tag == "form" or role in ("form", "search") or toks & FORM:
        return "form"
    if toks & FEED and tag not in ("html", "body", "main"):  # WordPress marks a home page of posts <body class="blog">
        return "feed"
    if toks & HERO or HERO_SLIDER.search(f"{tag} {words}"):
        return "hero"
    if (tag == "header" and not in_article) or role == "banner" or toks & HEADER:
        return "header" if parent_region != "hero" else "hero"
    if tag == "aside" or role == "complementary":
        return "aside"
    if tag == "main" or role == "main":
        return "main" if parent_region in ("", "main") else parent_region
    if tag in ("section", "article") and parent_region in ("", "main", "section"):
        return "section"
    return parent_region or "main"


def _linkless(el: _Element) -> bool:
    """A <nav> or "dropdown" with paragraphs and no link is no navigation: Webflow's dropdown (w-dropdown,
    its list a <nav>) is also its FAQ accordion."""
    nodes = [n.tag for n in islice(el.iter(), MAX_LINKLESS_NODES + 1)]  # a menu is small; a bigger box that says "nav" is one
    return len(nodes) <= MAX_LINKLESS_NODES and "a" not in nodes and "p" in nodes


@dataclass
class _Ctx:
    region: str = "main"
    section: str = ""
    quoted: bool = False
    in_article: bool = False
    card: int = -1


def has_box_inside(body: _Element) -> set[_Element]:
    """Elements with a box (block-level) element somewhere inside: one bottom-up pass. (A set of the
    elements themselves, not their ids: it keeps lxml's proxies alive, so identity stays meaningful.)"""
    boxed: set[_Element] = set()
    walker = etree.iterwalk(body, events=("start", "end"))
    for count, (event, node) in enumerate(walker):
        if count > 2 * MAX_ELEMENTS:
            break
        tag = tag_of(node)
        if event == "start":
            if not tag or tag in SKIP_TAGS or hidden(node):
                walker.skip_subtree()
            continue
        parent = node.getparent()
        if parent is not None and (is_box(node) or node in boxed):
            boxed.add(parent)
    return boxed


def walk_blocks(body: _Element, boxed: set[_Element], cards: dict[_Element, int]) -> tuple[list[Block], bool]:
    """Every block of visible text in reading order, with region, role and card (`cards` maps a
    card's element to its index), and whether the whole page was read (False past a bound)."""
    blocks: list[Block] = []
    stack: list[tuple[_Element, _Ctx]] = [(body, _Ctx())]
    seen = 0
    while stack and seen < MAX_ELEMENTS and len(blocks) < MAX_BLOCKS:
        el, parent = stack.pop()
        seen += 1
        tag = tag_of(el)
        if not tag or tag in SKIP_TAGS or hidden(el):
            continue
        words = words_of(el)
        ctx = _Ctx(
            own_region(el, tag, words, parent.region, parent.in_article),
            (parent.section + " " + words.strip())[-MAX_SECTION_WORDS:] if words.strip() else parent.section,
            parent.quoted or tag in ("blockquote", "q"),
            parent.in_article or tag in ("article", "blockquote", "figure"),
            cards.get(el, parent.card),
        )
        if ctx.card >= 0 and ctx.region not in STICKY:
            ctx.region = ctx.region if ctx.region in ("hero", "feed") else "card"  # a blog teaser is no feature card
        if is_button(el) or (el not in boxed and not any(is_button(c) for c in islice(el, MAX_TEXT_NODES))) or (tag in HEADINGS):
            _emit(blocks, el, tag, ctx)
            continue
        for child, run in reversed(_inline_runs(el, boxed)):
            if run is None:
                stack.append((child, ctx))
            else:
                _emit(blocks, child, tag, ctx, run)
    _hero_fallback(blocks)
    return blocks, not stack


def _hero_fallback(blocks: list[Block]) -> None:
    """No element says "hero": the page's h1 and the lines right after it are its hero, as a reader sees it."""
    if any(b.region == "hero" for b in blocks):
        return
    start = next((i for i, b in enumerate(blocks) if b.tag == "h1" and b.region in ("main", "section", "header")), -1)
    if start < 0:
        return
    region = blocks[start].region
    for block in blocks[start : start + MAX_HERO_BLOCKS]:
        if block.region != region or (block.role == "heading" and block is not blocks[start]):
            return
        block.region = "hero"


def region_at(el: _Element) -> str:
    """The region one element sits in (for a link or button read outside the walk)."""
    region, in_article = "main", False
    chain = [el, *el.iterancestors()][:200]
    for node in reversed(chain):
        tag = tag_of(node)
        region = own_region(node, tag, words_of(node), region, in_article)
        in_article = in_article or tag in ("article", "blockquote", "figure")
    return region


# A mailing list's sign-up box (Mailchimp, Klaviyo, MailerLite, a theme's "newsletter" section).
NEWSLETTER = re.compile(
    r"newsletter|mailchimp|mc4wp|mc-embedded|klaviyo|mailerlite|convertkit|sib-form|sendinblue|mailpoet|"
    r"nieuwsbrief|infolettre|boletin|iscriviti alla",
    re.I,
)
MAX_NEWS_ANCESTORS = 12
MAX_NEWS_CHILDREN = 8


def signs_up_for_news(el: _Element) -> bool:
    """Whether a button subscribes to the site's mailing list: its box is named for it (Mailchimp's, a theme's
    "newsletter" section), or its form sits under a heading that says so ("Iscriviti alla newsletter"). Not a
    hero's own form (a newsletter's main action), nor a button outside any form beside such a heading (a
    one-column Carrd page: "Book a free call" above "Join my newsletter")."""
    chain = list(islice(el.iterancestors(), MAX_NEWS_ANCESTORS))
    if any(tokens(words_of(node)) & HERO for node in chain):
        return False
    if any(NEWSLETTER.search(words_of(node)) for node in chain):
        return True
    form = next((i for i, node in enumerate(chain) if tag_of(node) == "form"), -1)
    boxes = chain[form : form + 2] if form >= 0 else []  # the form, and the box that holds it and its heading
    headings = (c for box in boxes for c in islice(box, MAX_NEWS_CHILDREN) if tag_of(c) in NEWS_HEADINGS)
    return any(NEWSLETTER.search(_heading_text(h)) for h in headings)


NEWS_HEADINGS = ("h2", "h3", "h4", "legend")


def _heading_text(heading: _Element) -> str:
    """The start of a heading's text, read in bounded pieces: a page of 2,000 buttons beside a 1 MB heading must
    not copy it once for each."""
    return "".join(t[:120] for t in islice(heading.itertext(), 20))[:120]


@dataclass
class _Run:
    """Anonymous inline content between a container's box children: its text and linked characters."""

    text: str
    linked: int


def _inline_runs(el: _Element, boxed: set[_Element]) -> list[tuple[_Element, _Run | None]]:
    """A container's children in order: box children to walk (run None), and the anonymous runs of
    inline content between them. When the container has no text of its own (a flex row), every
    child is walked on its own, so each becomes its own block."""
    textless = not (el.text or "").strip() and all(not (c.tail or "").strip() for c in el)
    out: list[tuple[_Element, _Run | None]] = []
    run: list[str] = [el.text or ""]
    linked = 0

    def flush() -> None:
        nonlocal linked
        text = clean("".join(run))
        if text:
            out.append((el, _Run(text, linked)))
        run.clear()
        linked = 0

    for child in el:
        tag = tag_of(child)
        if is_box(child) or child in boxed or textless or is_button(child):
            flush()
            out.append((child, None))
        elif tag and tag not in SKIP_TAGS:
            text = element_text(child) if tag != "br" else ""
            run.append(text or " ")
            linked += len(text) if tag == "a" else 0
        run.append(child.tail or "")
    flush()
    return out


# A class that styles an element as a heading of some level: Bootstrap's .h1-.h6 and .display-1-6,
# Webflow's Client-First .heading-style-h1, theme classes such as .heading-2 or .title-h3.
_STYLED_HEADING = re.compile(r"(?:^|\s)(?:h|heading-style-h|heading-|title-h|display-)([1-6])(?:$|\s)")


def styled_level(el: _Element, text: str) -> str:
    """ "h1".."h6" when the element's class styles it as a heading of that level (display-N: "h1"); else "".
    `text`: the element's text, as read."""
    m = _STYLED_HEADING.search((el.get("class") or "").lower())
    if m is None or len(text.split()) > MAX_STYLED_HEADING_WORDS:
        return ""
    return "h1" if "display-" in m.group() else f"h{m.group(1)}"


def _emit(blocks: list[Block], el: _Element, tag: str, ctx: _Ctx, run: _Run | None = None) -> None:
    text = element_text(el) if run is None else run.text
    if not text:
        return
    whole = len(text) <= MAX_BLOCK_CHARS
    text = text if whole else _cut(text)
    role = "text"
    level = styled_level(el, text) if tag not in HEADINGS and tag != "p" and run is None else ""  # a <p class="h5">: a paragraph
    if level:
        tag = level  # <div class="heading-style-h1">: a heading in all but its tag
    if tag in HEADINGS or el.get("role") == "heading":
        role = "heading"
    elif is_button(el) or tag == "input":
        role = "button"
    elif tag in ("label", "legend") or (ctx.region == "form" and len(text.split()) <= 6):
        role = "label"
    elif LEGAL.search(text) or (FOOTNOTE.match(text) and tag != "li" and el.find(".//br") is None):
        role = "legal"
    if run is not None:
        linked = run.linked
    elif tag == "a":
        linked = len(text)
    else:
        # The text read is bounded (MAX_TEXT_NODES), so are the links weighed against it: a block of
        # 60,000 links cost ~1 s here.
        linked = sum(len(element_text(a)) for a in islice(el.iter("a", "button"), MAX_TEXT_NODES) if a is not el)
    # A run of links ("Home | Products | About") is navigation even with its separators and a bold current page.
    link_only = role not in ("heading",) and linked >= (0.5 if SEPARATED.search(text) else 0.8) * len(text)
    if link_only and role == "text":
        role = "link"
    chrome = ctx.region in CHROME or (link_only and not is_button(el))
    section = ctx.section.lower()
    quoted = ctx.quoted or (re.search(r"testimonial|quote|review", section) is not None and text[:1] in '“"‘«„')
    lines = tuple(element_lines(el)) if whole and run is None and el.find(".//br") is not None else ()
    if lines and role == "text" and not chrome:
        parts = _paragraphs(el)
        # A page of <font> and <br>: its paragraphs, labels and lists, each a block of its own (so many only as a
        # page has paragraphs: a hostile element of 10,000 <br>s stays one block).
        if 1 < len(parts) <= MAX_PARAGRAPH_BLOCKS:
            for part, label in parts:
                part_role = "heading" if label else "text"
                blocks.append(Block(tag, " ".join(part), chrome, clean(section), quoted, ctx.region, part_role, ctx.card,
                                    tuple(part) if len(part) > 1 else ()))  # fmt: skip
            return
    blocks.append(Block(tag, text, chrome, clean(section), quoted, ctx.region, role, ctx.card, lines))


def _cut(text: str) -> str:
    """A block longer than any paragraph a reader reads, cut after its last sentence within MAX_BLOCK_CHARS:
    what every later pass reads of it (a 2.4 MB paragraph cost seconds in each), a verbatim start of it."""
    head = text[:MAX_BLOCK_CHARS]
    end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    return head[: end + 1] if end > 0 else head.rsplit(" ", 1)[0]


# A line that labels what follows it: "OUR SERVICES:", "Hours:", "WHAT OUR CUSTOMERS SAY:".
_LABEL_LINE = re.compile(r"^[^\W\d_][^.!?:]{0,40}:$")
MAX_LABEL_LINE_WORDS = 6
MAX_PARAGRAPH_BLOCKS = 60
MAX_BLOCK_CHARS = 20_000  # ~3,000 words: no paragraph, list or card on a page anyone reads is longer


def _paragraphs(el: _Element) -> list[tuple[list[str], bool]]:
    """An element's text as a reader sees it when it is written with <br>s: its paragraphs (a blank line
    ends one), a labelling line ("OUR SERVICES:") apart from the lines it labels; each with whether it
    is a label."""
    out: list[tuple[list[str], bool]] = []
    for paragraph in element_paragraphs(el):
        run: list[str] = []
        for line in paragraph:
            if _LABEL_LINE.match(line) and len(line.split()) <= MAX_LABEL_LINE_WORDS:
                if run:
                    out.append((run, False))
                out.append(([line], True))
                run = []
            else:
                run.append(line)
        if run:
            out.append((run, False))
    return out
