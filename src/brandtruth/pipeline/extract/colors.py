"""Brand colours with roles, and fonts, from theme-color, CSS (tinycss2) and the logo's palette."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

import tinycss2
from coloraide import Color

from ..colour import delta_e
from ..models import BrandColors
from . import primary
from .page import ParsedPage

GENERIC_FONTS = {
    "serif",
    "sans-serif",
    "monospace",
    "cursive",
    "fantasy",
    "system-ui",
    "ui-sans-serif",
    "ui-serif",
    "ui-monospace",
    "-apple-system",
    "blinkmacsystemfont",
    "segoe ui",
    "inherit",
    "initial",
    "emoji",
    "apple color emoji",
    "segoe ui emoji",
    "helvetica neue",
    "var",
}
COLOR_PROPS = {
    "color",
    "background",
    "background-color",
    "border-color",
    "border",
    "border-left",
    "fill",
    "stroke",
    "outline-color",
}
BUTTON_SELECTOR = re.compile(r"(\.btn|\.button|button|\.cta|\[type=.?submit)", re.I)
MAX_RESOLVED = 4096  # characters of one declaration after var() substitution
# CSS is untrusted input and colour parsing costs ~30 us a value: parse_css reads at most this much of
# a page's CSS in total, and the declarations of at most this many rules (a large framework has a few
# thousand), so a hostile stylesheet costs seconds at worst, not minutes.
MAX_CSS_CHARS = 2_000_000
MAX_CSS_RULES = 10_000
VAR_REF = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,([^)]*))?\)")


@dataclass
class CssFacts:
    variables: dict[str, str] = field(default_factory=dict)
    uses: list[tuple[str, str, str]] = field(default_factory=list)  # (selector, property, hex)
    fonts: Counter[str] = field(default_factory=Counter)
    font_faces: list[str] = field(default_factory=list)


@lru_cache(maxsize=4096)  # real CSS repeats a few colours thousands of times
def to_hex(value: str) -> str | None:
    value = value.strip()
    if not value or value.lower() in ("transparent", "currentcolor", "inherit", "none", "initial"):
        return None
    try:
        color = Color(value).convert("srgb")
    except (ValueError, TypeError):
        return None
    if color.alpha() < 0.5:
        return None
    return color.fit("srgb").to_string(hex=True, alpha=False).lower()


@lru_cache(maxsize=4096)
def chroma(hex_value: str) -> float:
    return float(Color(hex_value).convert("oklch")["chroma"])


@lru_cache(maxsize=4096)
def lightness(hex_value: str) -> float:
    return float(Color(hex_value).convert("oklch")["lightness"])


def _colors_in(value: str) -> list[str]:
    found = []
    for token in tinycss2.parse_component_value_list(value):
        text = tinycss2.serialize([token])
        if token.type in ("hash", "ident", "function"):
            hx = to_hex(text)
            if hx:
                found.append(hx)
    return found


def parse_css(texts: list[str]) -> CssFacts:
    facts = CssFacts()
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    budget = MAX_CSS_CHARS
    for text in texts:
        text, budget = text[: max(0, budget)], budget - len(text)
        for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
            if rule.type == "qualified-rule" and len(rules) < MAX_CSS_RULES:
                selector = tinycss2.serialize(rule.prelude).strip()
                decls = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                rules.append(
                    (
                        selector,
                        [
                            (d.lower_name if not d.name.startswith("--") else d.name, tinycss2.serialize(d.value).strip())
                            for d in decls
                            if d.type == "declaration"
                        ],
                    )
                )
            elif rule.type == "at-rule" and rule.lower_at_keyword == "font-face" and rule.content:
                for d in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True):
                    if d.type == "declaration" and d.lower_name == "font-family":
                        facts.font_faces.append(tinycss2.serialize(d.value).strip().strip("'\""))
    for _selector, decls in rules:
        for name, value in decls:
            if name.startswith("--"):
                facts.variables.setdefault(name, value)
    for selector, decls in rules:
        for name, value in decls:
            value = _resolve(value, facts.variables)
            if name in COLOR_PROPS:
                for hx in _colors_in(value):
                    facts.uses.append((selector, name, hx))
            elif name in ("font-family", "font"):
                first = _first_family(value if name == "font-family" else value.split(",")[0].split()[-1])
                if first:
                    facts.fonts[first] += 1
    return facts


def _resolve(value: str, variables: dict[str, str], depth: int = 0) -> str:
    """Substitute var(--x) (or its fallback), at most 6 levels deep and MAX_RESOLVED characters long.

    The length cap stops an expansion bomb: a few hundred bytes of variables that each name the
    previous one ten times would otherwise expand to gigabytes.
    """
    if "var(" not in value or depth > 5:
        return value
    parts: list[str] = []
    size = pos = 0
    for m in VAR_REF.finditer(value):
        piece = value[pos : m.start()] + variables.get(m.group(1), m.group(2) or "")
        size += len(piece)
        if size > MAX_RESOLVED:
            break
        parts.append(piece)
        pos = m.end()
    else:
        parts.append(value[pos:])
    return _resolve("".join(parts)[:MAX_RESOLVED], variables, depth + 1)


def _first_family(value: str) -> str | None:
    for part in value.split(","):
        name = part.strip().strip("'\"").strip()
        if name and name.lower() not in GENERIC_FONTS and not name.startswith("var("):
            return name
    return None


def fonts_from(css: CssFacts, font_links: list[str]) -> list[str]:
    names: list[str] = []
    for link in font_links:
        if "fonts.googleapis.com" in link:
            for fam in parse_qs(urlsplit(link).query).get("family", []):
                names.append(fam.split(":")[0].replace("+", " "))
    names += css.font_faces + [name for name, _ in css.fonts.most_common()]
    return list(dict.fromkeys(n for n in names if n))[:5]


def _var(css: CssFacts, *words: str) -> str | None:
    for name, value in css.variables.items():
        if any(w in name.lower() for w in words):
            hx = to_hex(_resolve(value, css.variables))
            if hx:
                return hx
    return None


def _distinct(candidate: str | None, taken: list[str], threshold: float = 12.0) -> bool:
    return candidate is not None and all(delta_e(candidate, t) > threshold for t in taken)


def assign_roles(
    css: CssFacts, theme_color: str | None, logo_palette: list[str], pages: Sequence[ParsedPage] = ()
) -> BrandColors:
    named = {n: to_hex(_resolve(v, css.variables)) for n, v in css.variables.items() if primary.PRIMARY_VAR.match(n)}
    voted = primary.pick(primary.votes(css.uses, named, to_hex(theme_color or ""), logo_palette, list(pages)))
    saturated = Counter(hx for _s, _p, hx in css.uses if chroma(hx) > 0.06)
    buttons = Counter(
        hx for s, p, hx in css.uses if BUTTON_SELECTOR.search(s) and p.startswith("background") and chroma(hx) > 0.04
    )
    links = [hx for s, p, hx in css.uses if re.search(r"(^|[\s,])a\b", s) and p == "color" and chroma(hx) > 0.04]
    ranked = [hx for hx, _ in saturated.most_common()] + [hx for hx in logo_palette if chroma(hx) > 0.06]
    # A colour used again and again is the brand's even without a name; a lone link colour is weaker.
    frequent = [hx for hx, n in saturated.most_common() if n >= 2]
    chosen = voted or (  # no usable vote (a site in greys): the strongest of what there is
        to_hex(theme_color or "")
        or _var(css, "primary", "brand", "main")
        or (buttons.most_common(1)[0][0] if buttons else None)
        or (frequent[0] if frequent else None)
        or (links[0] if links else None)
        or (ranked[0] if ranked else None)
    )
    defaults = BrandColors()
    if chosen is None:
        return defaults
    # The accent paints the creative's CTA button: a pale tint (a secondary button's --primary-100)
    # or a near-black is no action colour.
    accent = _var(css, "accent", "highlight", "cta")
    if not (_distinct(accent, [chosen]) and accent and primary.usable(accent)):
        pool = [h for h, _ in buttons.most_common()] + links + ranked
        accent = next((c for c in pool if primary.usable(c) and _distinct(c, [chosen])), None)
    secondary = _var(css, "secondary", "alt")
    if not _distinct(secondary, [chosen] + ([accent] if accent else [])):
        secondary = next((c for c in ranked if _distinct(c, [chosen] + ([accent] if accent else []))), None)
    body = [hx for s, p, hx in css.uses if re.search(r"^(html|body|x)$|(^|,)\s*(html|body)\b", s)]
    background = _var(css, "bg", "background", "surface") or next(
        (hx for hx in body if lightness(hx) > 0.85 or lightness(hx) < 0.2), None
    )
    text = _var(css, "text", "foreground", "ink") or next(
        (hx for s, p, hx in css.uses if re.search(r"(^|,)\s*(html|body)\b", s) and p == "color"), None
    )
    return BrandColors(
        primary=chosen,
        secondary=secondary or _shade(chosen),
        accent=accent or (secondary if secondary and primary.usable(secondary) else None) or _shade(chosen, 0.25),
        background=background or defaults.background,
        text=text or defaults.text,
    )


def _shade(hex_value: str, amount: float = -0.15) -> str:
    color = Color(hex_value).convert("oklch")
    color["lightness"] = max(0.0, min(1.0, color["lightness"] + amount))
    return color.convert("srgb").fit("srgb").to_string(hex=True, alpha=False).lower()
