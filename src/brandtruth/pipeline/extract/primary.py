"""The brand's primary colour: the one it uses for identity and actions.

Every place a colour is used votes, weighted by what a visitor sees it on: buttons and links (the
actions), the header and the logo (the identity), theme-color and a `--primary`/`--brand` custom
property (what the site calls its colour), then plain repetition. Votes come from CSS rules (with
var() resolved, so `.button{background:var(--primary-700)}` votes for the 700 shade, not the scale's
first entry), from Tailwind class names on the page's elements, and from the logo's pixels. Near-white
and near-black tints and greys never vote: they are backgrounds and text, not a brand colour. Similar
shades (CIEDE2000 < 8) pool their votes, and the most-voted shade of the winning group is primary.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from coloraide import Color

from ..colour import SAME_COLOUR, delta_e
from .page import ParsedPage
from .tailwind import class_colour

MIN_CHROMA = 0.045  # OKLCH chroma below this is a grey
MIN_LIGHTNESS, MAX_LIGHTNESS = 0.2, 0.9  # outside: near-black text or a near-white tint
PASTEL_LIGHTNESS, PASTEL_CHROMA = 0.8, 0.11  # light and washed out: a tint, where a bright yellow is not
MAX_CANDIDATES = 64  # the most-voted colours grouped; the grouping is quadratic in this
PRIMARY_VAR = re.compile(r"^--(?:[\w-]*-)?(primary|brand|main|theme)(?:-colou?r)?$", re.I)
STATE = re.compile(r":(hover|focus|focus-visible|focus-within|active|visited|disabled)\b", re.I)
BUTTON = re.compile(r"(\.btn|\.button|button\b|\.cta|\[type=.?submit|input\[type)", re.I)
LOGO = re.compile(r"\.(logo|brand|site-title|wordmark)", re.I)
HEADER = re.compile(r"(^|[\s>+~,])(header|nav)\b|\.(site-header|header|navbar|topbar|masthead|nav)\b", re.I)
HERO = re.compile(r"\.(hero|banner|masthead|jumbotron)", re.I)
LINK = re.compile(r"(^|[\s>+~])a(\.[\w-]+)*$")

# (role, painted part) -> weight. "fill" is a background, "ink" a text/border/outline colour.
WEIGHTS = {
    ("button", "fill"): 6.0,
    ("button", "ink"): 2.0,
    ("link", "fill"): 5.0,  # a link with a background is a button
    ("link", "ink"): 3.0,
    ("logo", "fill"): 4.0,
    ("logo", "ink"): 4.0,
    ("header", "fill"): 3.0,
    ("header", "ink"): 1.0,
    ("hero", "fill"): 2.0,
    ("hero", "ink"): 1.0,
    ("", "fill"): 1.0,
    ("", "ink"): 1.0,
}
STATE_FACTOR = 0.3  # a hover/focus shade is a variant of the colour, not the colour
# Link colours browsers use when a page sets none (and that old pages restate in <body link=...>):
# a link in one of these is the web's default, not the brand's choice.
BROWSER_LINKS = {"#0000ee", "#0000ff", "#00008b", "#0000cc", "#551a8b", "#800080", "#0000aa"}
FILL_PROPS = {"background", "background-color", "fill"}
FILL_UTILITIES = {"bg", "from", "via", "to", "fill"}


@lru_cache(maxsize=4096)
def usable(hex_value: str) -> bool:
    oklch = Color(hex_value).convert("oklch")
    light, chroma = oklch["lightness"], oklch["chroma"]
    pastel = light > PASTEL_LIGHTNESS and chroma < PASTEL_CHROMA  # a light tint such as a scale's 100-300
    return chroma > MIN_CHROMA and MIN_LIGHTNESS < light < MAX_LIGHTNESS and not pastel


def selector_role(selector: str) -> str:
    """The role of what a selector paints, judged by its rightmost compound (button, link, logo...)."""
    roles = set()
    for part in selector.split(","):
        tail = re.split(r"[\s>+~]+", STATE.sub("", part).strip())[-1]
        if BUTTON.search(tail):
            roles.add("button")
        elif LOGO.search(tail):
            roles.add("logo")
        elif LINK.search(" " + tail):
            roles.add("link")
        elif HEADER.search(part):
            roles.add("header")
        elif HERO.search(tail):
            roles.add("hero")
    for role in ("button", "logo", "link", "header", "hero"):
        if role in roles:
            return role
    return ""


def votes(
    uses: Iterable[tuple[str, str, str]],
    variables: dict[str, str | None],
    theme_color: str | None,
    logo_palette: list[str],
    pages: list[ParsedPage],
) -> dict[str, float]:
    """Weighted votes per colour (hex) from every source described in the module docstring."""
    score: defaultdict[str, float] = defaultdict(float)
    frequency: Counter[str] = Counter()

    def add(hx: str | None, weight: float) -> None:
        if hx and usable(hx):
            score[hx] += weight

    add(theme_color, 6.0)
    for name, hx in variables.items():  # custom properties, var() resolved, as hex
        if PRIMARY_VAR.match(name):
            add(hx, 4.0)
    for selector, prop, hx in uses:
        part = "fill" if prop in FILL_PROPS else "ink"
        role = selector_role(selector)
        weight = WEIGHTS[(role, part)] if not (role == "link" and hx in BROWSER_LINKS) else 0.5
        if STATE.search(selector):
            weight *= STATE_FACTOR
        frequency[hx] += 1
        if frequency[hx] <= 6:  # repetition counts, up to a point: a utility framework repeats everything
            add(hx, weight)
    for page in pages[:6]:
        for el in page.styled.elements:
            for name in el.classes:
                found = class_colour(name)
                if not found or "dark:" in found[1]:
                    continue
                utility, variants, hx = found
                role = "link" if el.role == "link" and utility in FILL_UTILITIES else el.role
                weight = WEIGHTS.get((role, "fill" if utility in FILL_UTILITIES else "ink"), 1.0)
                add(hx, weight * (STATE_FACTOR if variants else 1.0))
    for rank, hx in enumerate(logo_palette[:3]):
        add(hx, 3.0 - rank)
    return dict(score)


def pick(score: dict[str, float]) -> str | None:
    """The most-voted colour of the most-voted group of similar shades."""
    groups: list[tuple[str, float]] = []
    ranked = sorted(score.items(), key=lambda kv: -kv[1])[:MAX_CANDIDATES]
    for hx, weight in ranked:  # a hostile stylesheet can name 10,000 colours
        for i, (lead, total) in enumerate(groups):
            if delta_e(hx, lead) < SAME_COLOUR:  # shades this close pool their votes
                groups[i] = (lead, total + weight)
                break
        else:
            groups.append((hx, weight))
    if not groups:
        return None
    return max(groups, key=lambda g: g[1])[0]
