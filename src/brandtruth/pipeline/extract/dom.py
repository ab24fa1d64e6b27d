"""Visible text of an element as a reader sees it: block boundaries kept as single spaces.

`text_content()` glues a card's parts together ("Drain Clear$129–$249Single fixture"); a browser
lays block-level children, table cells, buttons and the items of a flex row out apart. So the text
here gets a space wherever layout would separate two runs, and nowhere else ("<b>1,200</b> homes").
"""

from __future__ import annotations

import html
import re
from itertools import islice

from lxml import etree
from lxml.etree import _Element

SKIP_TAGS = {"script", "style", "template", "svg", "noscript", "head", "title", "select", "option", "textarea"}
# Elements a browser lays out as their own box (or as an inline-block control, like a button).
BOX_TAGS = {
    "address", "article", "aside", "blockquote", "body", "button", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "iframe", "img", "input", "label", "legend", "li", "main", "nav", "ol", "p", "picture", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "video",
}  # fmt: skip
WS = re.compile(r"\s+")


# Where a custom element sits inside a line of text (<p>Only <sale-price>$16</sale-price> today</p>): inline there.
_RUNNING_TEXT = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "a", "span", "strong", "em", "b", "i", "u", "small", "label",
    "button", "q", "cite", "mark", "sup", "sub", "font", "dt", "dd", "figcaption", "blockquote",
}  # fmt: skip


def is_box(el: _Element) -> bool:
    """Laid out as a box of its own: a block-level tag, or a custom element (Slider Revolution's <rs-layer>,
    Shopify's <product-form>, Wix's <wow-image>) outside running text, which themes style as blocks."""
    tag = tag_of(el)
    if tag in BOX_TAGS:
        return True
    if "-" not in tag:
        return False
    parent = el.getparent()
    return parent is None or tag_of(parent) not in _RUNNING_TEXT


# Where two inline runs of a text-less row meet without a space: "$" + "129", "12" + ",50", "1000" + "+".
_NO_GAP_BEFORE = set(".,;:!?%)]}+€’”»/")
_NO_GAP_AFTER = set("$€£¥(#[{‘“«/")
# A counter's scale after its number, in a span of its own: "85" + "M+", "1,500" + "k", "10" + "x".
_SCALE_AFFIX = re.compile(r"(?:[kKmMB]|bn|x)\+?")
MAX_TEXT_NODES = 4000  # an element's text is read from at most this many nodes (a page body is bigger)
_HARD, _SOFT, _BR = "\x00hard", "\x00soft", "\x00br"
_LINE = "\x01"  # a <br> where the source's own line ends must not count as one


# An entity left in text after parsing: the page encoded it twice ("Bob&amp;#039;s", a WordPress SEO plugin's
# og:site_name), and a reader of the page sees it decoded.
_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-f]{2,6}|[a-z][a-z0-9]{1,30});", re.I)
# Characters a reader never sees that page builders leave in text (Wix's zero-width spaces between words, soft
# hyphens, byte-order marks mid-file): kept, they split words for every matcher and print as boxes in a creative.
# Zero-width joiners stay: emoji and some scripts need them. page.py removes them before parsing; clean() again
# where an entity encoded twice brings one back.
# Also the Private Use Area: icon fonts' glyphs (Divi's et-pb-icon, Font Awesome written as text) print as
# icons on the site and as boxes or nothing anywhere else; no reader reads them as words.
INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\ue000-\uf8ff]")


def clean(text: str | None) -> str:
    text = text or ""
    for _ in range(2):  # encoded twice is common, three times never: bounded, and clean(clean(x)) == clean(x)
        if "&" not in text or not _ENTITY.search(text):
            break
        text = INVISIBLE.sub("", _ENTITY.sub(lambda m: html.unescape(m.group()), text))
    return WS.sub(" ", text).strip()


# Class words, BEM parts included: WordPress's "wp-block-button__link", "btn_primary".
BUTTON_CLASS = re.compile(r"(?<![^\W_])(btn|button|cta|calltoaction|bouton|knopf|boton|botón)(?![^\W_])")
TAILWIND_FILL = re.compile(r"\bbg-[a-z]+-\d{2,3}\b")  # with px-/py- padding: a Tailwind button
# Screen-reader-only and hidden utilities of the common frameworks and themes (Bootstrap, WordPress, Elementor,
# HTML5 Boilerplate, Foundation, Drupal) and their responsive "hidden on a desktop" forms.
HIDDEN_CLASSES = {
    "visually-hidden", "visuallyhidden", "sr-only", "screen-reader-text", "screen-reader-only", "elementor-screen-only",
    "show-for-sr", "element-invisible", "u-visually-hidden", "is-visually-hidden", "a11y-hidden", "hidden", "d-none",
    "is-hidden", "hidden-lg", "hide-for-large", "show-for-small-only", "show-for-medium-only",
}  # fmt: skip
# Tailwind's and Bootstrap's display utilities, each at a breakpoint or none. A page is read as a 1280 px wide
# desktop shows it: "hidden md:block" (desktop-only text) is shown, "md:hidden" (a phone's copy of the menu or
# the button) is not. Breakpoints past 1280 px (2xl, xxl) do not apply.
_DISPLAYS = "block|flex|inline|inline-block|inline-flex|grid|inline-grid|table|table-cell|contents"
_TAILWIND_DISPLAY = re.compile(rf"(?:(sm|md|lg|xl|2xl):)?(hidden|{_DISPLAYS})")
_BOOTSTRAP_DISPLAY = re.compile(rf"d-(?:(sm|md|lg|xl|xxl)-)?(none|{_DISPLAYS})")
_DESKTOP_BREAKPOINTS = {"": 0, "sm": 1, "md": 2, "lg": 3, "xl": 4}


def shown_on_desktop(classes: list[str]) -> bool | None:
    """What the display utilities among `classes` say at a desktop's width: shown, hidden, or None (none)."""
    widest, shown = -1, None
    for word in classes:
        if not (word.startswith("d-") or "hidden" in word or ":" in word or word in ("block", "flex", "inline", "grid")):
            continue
        m = _TAILWIND_DISPLAY.fullmatch(word) or _BOOTSTRAP_DISPLAY.fullmatch(word)
        breakpoint = _DESKTOP_BREAKPOINTS.get(m.group(1) or "") if m else None
        if m is None or breakpoint is None or breakpoint < widest:
            continue
        this = m.group(2) not in ("hidden", "none")
        # At one breakpoint "hidden" wins, whatever the order of the words: both frameworks define it last.
        shown = this if breakpoint > widest or shown is None else shown and this
        widest = breakpoint
    return shown


# Rotating words in a headline or a line ("We make dental visits <easy|painless|affordable>"): the theme shows one
# at a time, the one marked as shown; read together they make no sentence.
_ROTATOR = re.compile(r"rotat|typed|dynamic-wrapper|words-wrapper|cd-words", re.I)
_SHOWN_WORD = {"is-visible", "visible", "active", "is-active", "current", "elementor-headline-text-active"}
MAX_ROTATED_WORDS = 20
MAX_ROTATOR_DEPTH = 3
MAX_INLINE_ROTATED_WORDS = 4
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _rotated_away(el: _Element, words: list[str]) -> bool:
    """A rotating word not shown now: a sibling is marked as the one shown, and this one is not."""
    if el.tag != "span" or not _SHOWN_WORD.isdisjoint(words):
        return False
    parent = el.getparent()
    if parent is None or not _ROTATOR.search(parent.get("class") or ""):
        return False
    # Rotating within a line ("We make <easy|painless>", "Open <7 days a week|24 hours>"): a "typed-text" box that is
    # nothing but its sentences shows each in turn.
    line = parent.getparent()
    said = line is not None and (
        bool((line.text or "").strip()) or any((s.tail or "").strip() for s in islice(line, MAX_ROTATED_WORDS) if s is not parent)
    )
    headline = any(tag_of(a) in _HEADINGS for a in islice(parent.iterancestors(), MAX_ROTATOR_DEPTH))
    # In a line of text, words or a short phrase rotate; whole sentences ("Free shipping on orders over $50.") are shown
    # in turn, each read.
    short = len((el.text or "").split()) <= MAX_INLINE_ROTATED_WORDS
    if not (headline or (said and short)):
        return False
    return any(not _SHOWN_WORD.isdisjoint((s.get("class") or "").split()) for s in islice(parent, MAX_ROTATED_WORDS))


def hidden(el: _Element) -> bool:
    """Not shown to a sighted reader on a desktop: hidden, display:none, a screen-reader-only label ("Regular
    price"), a phone's copy ("md:hidden", "d-lg-none"), or a rotating word not shown now."""
    if el.get("hidden") is not None:
        return True
    cls = el.get("class")
    if el.tag == "span" and _rotated_away(el, cls.split() if cls else []):
        return True
    if cls:
        words = cls.split()
        shown = shown_on_desktop(words)
        if shown is not None:
            if not shown:
                return True
            words = [w for w in words if w not in ("hidden", "d-none")]  # "hidden md:flex": hidden on a phone only
        if not HIDDEN_CLASSES.isdisjoint(words):
            return True
    style = el.get("style")
    return bool(style) and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style) is not None


def is_button(el: _Element) -> bool:
    """A control a visitor clicks: <button>, role=button, or a link styled as one (btn/button/cta
    class words in en/fr/de/es, or a Tailwind fill colour with padding)."""
    tag = tag_of(el)
    if tag == "button" or el.get("role") == "button":
        return True
    if tag not in ("a", "input"):
        return False
    words = words_of(el)
    if BUTTON_CLASS.search(words):
        return True
    # Builders whose class names are hashes name their parts in data attributes: GoDaddy's data-ux="ButtonPrimary"
    # / "ContentCardButton", Framer's data-framer-name="Primary Button".
    if tag == "a" and "button" in f"{el.get('data-ux') or ''} {el.get('data-framer-name') or ''}".lower():
        return True  # component names, PascalCase: a word inside them counts
    if ("px-" in words or "py-" in words) and TAILWIND_FILL.search(words) is not None:
        return True
    # Site builders style a box around the link, or a label inside it: Wix's
    # <div class="wixui-button"><a><span class="wixui-button__label">Shop Bouquets</span></a></div>.
    parent = el.getparent()
    if (
        tag == "a"
        and parent is not None
        and el.getprevious() is None  # its parent's only child; never len(parent): lxml counts every
        and el.getnext() is None  # child, and 60,000 links in one box made that quadratic (4.7 s a page)
        and tag_of(parent) not in _RUNNING_TEXT  # a link inside a sentence is a link, whatever its paragraph's class
        and not (parent.text or "").strip()
        and not (el.tail or "").strip()
        and BUTTON_CLASS.search(words_of(parent))
    ):
        return True
    return tag == "a" and len(el) == 1 and BUTTON_CLASS.search(words_of(el[0])) is not None


# Buttons that work the page itself, never an action the site asks for: tabs and switches (a pricing
# page's "Monthly" / "Annual (save 20%)"), and a carousel's arrows.
CONTROL_ROLES = {"tab", "switch", "option", "radio", "checkbox", "menuitemradio", "menuitemcheckbox", "slider"}
CAROUSEL_CONTROL = re.compile(r"\b(slick-(prev|next|arrow)|swiper-button-\w+|carousel-control-\w+|owl-(prev|next)|"
                              r"flickity-button|splide__arrow\S*|glide__arrow\S*)\b")  # fmt: skip


MAX_SWITCH_BUTTONS = 12
# A button that opens a menu, in a box of languages, currencies or navigation: "English", "USD $".
MENU_OPENER = re.compile(r"dropdown-toggle|navbar-toggler|menu-toggle|nav-toggle|hamburger", re.I)
LOCALE_MENU = re.compile(r"switcher|language|lang\b|currency|locale|country|region|navbar|nav\b|menu", re.I)
# A box of buttons that switch what the page shows: a pricing page's "billing-toggle", "period-switcher", tabs.
SWITCHES = re.compile(r"toggle|switch|\btabs\b|tablist|segmented|billing|radiogroup", re.I)
# A billing period's label, alone or with its saving: "Monthly", "Annual Save 20%", "Jährlich (−20 %)".
BILLING_PERIOD = re.compile(
    r"^(monthly|annual(ly)?|yearly|quarterly|mensuel(le)?|annuel(le)?|monatlich|jährlich|mensual|anual|mensile|"
    r"annuale|maandelijks|jaarlijks|mensal)\b[^a-z]*(save|spare|économisez|ahorra|risparmia|bespaar)?[\s\d%()−-]*$",
    re.I,
)


def is_control(el: _Element, text: str) -> bool:
    """A button that changes what the page shows (a tab, a switch, a toggle's pressed state, a billing period's
    choice, a carousel arrow) or asks a question (an FAQ accordion's "Can I cancel anytime?"): not a call to action."""
    if (el.get("role") or "").lower() in CONTROL_ROLES:
        return True
    if el.get("aria-selected") is not None or el.get("aria-pressed") is not None:
        return True
    if BILLING_PERIOD.match(text.strip()):
        return True
    parent = el.getparent()
    if tag_of(el) == "button" and el.get("type") != "submit" and parent is not None and tag_of(parent) != "form":
        # <div class="billing-toggle" role="group"><button>Monthly</button><button>Annual</button>: one of a group of
        # buttons in a switch, never a form's own button ("switch-form": "Get a quote") nor a lone call to action.
        group = sum(1 for sibling in islice(parent, MAX_SWITCH_BUTTONS) if tag_of(sibling) == "button") >= 2
        if group and SWITCHES.search(f"{words_of(parent)} {parent.get('role') or ''}"):
            return True
    if MENU_OPENER.search(words_of(el)) and parent is not None and LOCALE_MENU.search(words_of(parent)):
        return True  # it opens a menu of languages or currencies ("English", "USD $"), no call to action
    return text.rstrip().endswith("?") or CAROUSEL_CONTROL.search(words_of(el)) is not None


def words_of(el: _Element) -> str:
    """The class and id words of one element, lower case ("card pricing-card plan-pro")."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def tag_of(el: _Element) -> str:
    return el.tag if isinstance(el.tag, str) else ""


def _textless(parent: _Element) -> bool:
    """A container whose only content is its child elements: a flex/grid row lays those out apart."""
    if (parent.text or "").strip():
        return False
    return all(not (c.tail or "").strip() for c in parent)


def element_text(el: _Element, limit: int = MAX_TEXT_NODES) -> str:
    return clean(_raw_text(el, limit))


def element_lines(el: _Element, limit: int = MAX_TEXT_NODES) -> list[str]:
    """The element's text cut at its <br>s: the lines of a badge list written with line breaks."""
    return [line for line in (clean(x) for x in _raw_text(el, limit).split("\n")) if line]


def element_paragraphs(el: _Element, limit: int = MAX_TEXT_NODES) -> list[list[str]]:
    """The element's lines (cut at its <br>s only, not at the source's own line ends) in paragraphs: a
    blank line, <br><br>, ends one. How a page built of <font> and <br> writes its paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for raw in _raw_text(el, limit, br=_LINE).split(_LINE):
        line = clean(raw)
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _raw_text(el: _Element, limit: int, br: str = "\n") -> str:
    parts: list[str] = []
    rows: dict[_Element, bool] = {}  # keyed by the element itself: keeps lxml's proxy (and identity) alive
    walker = etree.iterwalk(el, events=("start", "end"))
    seen = 0
    for event, node in walker:
        seen += 1
        if seen > limit:
            break
        tag = tag_of(node)
        if event == "start":
            if node is not el and (not tag or tag in SKIP_TAGS or hidden(node)):
                walker.skip_subtree()
                continue
            if tag == "br":
                parts.append(_BR)
            elif is_box(node):
                parts.append(_HARD)
            elif node is not el:
                parent = node.getparent()
                if parent not in rows:
                    rows[parent] = _textless(parent)
                if rows[parent] and node.getprevious() is not None:
                    parts.append(_SOFT)
            if node.text and tag:
                parts.append(node.text)
        else:
            if is_box(node) and tag != "br":
                parts.append(_HARD)
            if node is not el and node.tail:
                parts.append(node.tail)
    return _join(parts, br)


def _join(parts: list[str], br: str = "\n") -> str:
    out: list[str] = []
    pending = ""
    for part in parts:
        if part == _BR:
            out.append(br)
            pending = ""
            continue
        if part in (_HARD, _SOFT):
            pending = _HARD if _HARD in (pending, part) else part
            continue
        if not part:
            continue
        if pending and out and not out[-1][-1:].isspace() and not part[:1].isspace():
            scale = out[-1][-1].isdigit() and _SCALE_AFFIX.fullmatch(part.rstrip()) is not None
            if pending == _HARD or (out[-1][-1] not in _NO_GAP_AFTER and part[0] not in _NO_GAP_BEFORE and not scale):
                out.append(" ")
        pending = ""
        out.append(part)
    return "".join(out)


def prune(doc: _Element, limit: int) -> bool:
    """Drop every element after the first `limit` of `doc` in document order, with its text, so that
    every later pass over the page costs at most that much; True when there were more. (A page of
    60,000 links cost ~0.5 s of CPU to read in full, while other runs' work waited for it.)"""
    extra = list(islice(doc.iter(), limit, None))
    for el in reversed(extra):  # deepest and last first: each removal is one unlink
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    return bool(extra)
