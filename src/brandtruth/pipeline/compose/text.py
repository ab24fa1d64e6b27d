"""Bundled fonts and text fitting: the largest size at which text wraps on word boundaries into a box.

Words are never split: a line break only happens between words, and text that cannot fit even at
the smallest allowed size is shortened by whole words with an ellipsis (never mid-word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import ImageFont

from ..lint_brand import sentences

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
Weight = Literal["display", "semibold", "regular"]
_FILES: dict[str, str] = {
    "display": "InterDisplay-Bold.otf",
    "semibold": "Inter-SemiBold.otf",
    "regular": "Inter-Regular.otf",
}
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=512)
def font(weight: Weight, size: int) -> Font:
    """A bundled font; Pillow's built-in scalable font if the file is missing. Never a system font."""
    path = FONT_DIR / _FILES[weight]
    try:
        return ImageFont.truetype(str(path), size=size)
    except OSError:
        return ImageFont.load_default(size=size)


def text_width(f: Font, text: str) -> int:
    return int(round(f.getlength(text)))


@lru_cache(maxsize=65536)
def _word_width(f: Font, word: str) -> float:
    return float(f.getlength(word))


def line_height(f: Font, spacing: float) -> int:
    getmetrics = getattr(f, "getmetrics", None)
    ascent, descent = getmetrics() if getmetrics else (getattr(f, "size", 10), 0)
    return int(round((ascent + descent) * spacing))


_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


# A currency, unit sign or French spaced punctuation after a space belongs to the word before it.
_TRAILING = re.compile(r"^(?:[€$£¥%‰]|[?!:;»])[.,;:!?)»]*$")


# A number keeps the word it counts on its line ("10 minutes", "4.2 hrs", "1.200 Projekte"), as a
# typesetter's no-break space would.
_NUMBER = re.compile(r"\d[\d.,]*(?: \d{3})*[+%]?")
_UNIT = re.compile(r"[^\W\d_]{1,12}[.,;:!?]?")
# A thousands group after a space ("40 000", "1 000 clients"): French and Swiss write numbers so.
_GROUPED = re.compile(r"(?:^|\s)\d{1,3}(?: \d{3})*$")
_GROUP = re.compile(r"\d{3}(?:[.,]\d+)?[+%]?[.,;:!?]?")
# The word that makes a price a starting price, and the price it leads: "from $129", "ab 1.490 €", "dès 12 €".
_PRICE_LEAD = re.compile(r"from|ab|dès|desde|only|just|nur|seulement|solo", re.I)
_PRICED = re.compile(r"[$€£¥]?\d")


def pieces(text: str) -> list[tuple[str, bool]]:
    """Break opportunities: (piece, glued) where glued pieces follow the previous one without a space.

    Spaces break, and so does the hyphen inside a compound ("same-|day"): the hyphen stays on the
    first line, so the reader sees whole words either side. Nothing else may break: not between a number
    and the word it counts, or a price and its currency sign.
    """
    out: list[tuple[str, bool]] = []
    for word in text.split():
        if out and _TRAILING.match(word):  # "6,80 €", "20 %", "Une question ?": never a line of its own
            out[-1] = (f"{out[-1][0]} {word}", out[-1][1])
            continue
        if out and _NUMBER.fullmatch(out[-1][0]) and _UNIT.fullmatch(word):  # "in 10 / minutes" reads badly
            out[-1] = (f"{out[-1][0]} {word}", out[-1][1])
            continue
        if out and _GROUPED.search(out[-1][0]) and _GROUP.fullmatch(word):  # French "40 000": one number
            out[-1] = (f"{out[-1][0]} {word}", out[-1][1])
            continue
        if out and _PRICE_LEAD.fullmatch(out[-1][0]) and _PRICED.match(word):  # "ab / 1.490 €": the price's own word
            out[-1] = (f"{out[-1][0]} {word}", out[-1][1])
            continue
        parts = _HYPHEN.split(word)
        for i, part in enumerate(parts):
            out.append((part + ("-" if i < len(parts) - 1 else ""), i > 0))
    return out


def wrap(f: Font, text: str, width: int) -> list[str] | None:
    """Greedy wrap at spaces and compound hyphens; None when one piece is wider than `width`.

    Widths are summed from cached word widths, which is fast enough for the size search;
    `fit_text` then measures the chosen lines whole (kerning included) before accepting them.
    """
    space = _word_width(f, " ")
    lines: list[str] = []
    current, used = "", 0.0
    for piece, glued in pieces(text):
        pw = _word_width(f, piece)
        if pw > width:
            return None
        extra = pw + (0.0 if glued or not current else space)
        if current and used + extra > width:
            lines.append(current)
            current, used = piece, pw
        else:
            current = f"{current}{'' if glued or not current else ' '}{piece}"
            used += extra
    if current:
        lines.append(current)
    return lines


@dataclass(frozen=True)
class FittedText:
    text: str
    lines: tuple[str, ...]
    size: int
    weight: Weight
    line_height: int
    width: int
    height: int
    shortened: bool = False

    @property
    def font(self) -> Font:
        return font(self.weight, self.size)


def _fit_at(
    text: str, weight: Weight, size: int, width: int, max_lines: int, max_height: int, spacing: float
) -> FittedText | None:
    f = font(weight, size)
    lines = wrap(f, text, width)
    if not lines or len(lines) > max_lines:
        return None
    lh = line_height(f, spacing)
    height = lh * len(lines)
    if height > max_height:
        return None
    space = _word_width(f, " ")
    w = max(sum(_word_width(f, p) for p, _ in pieces(line)) + space * line.count(" ") for line in lines)
    return FittedText(text, tuple(lines), size, weight, lh, int(w + 0.999), height)


def _exact(fitted: FittedText, width: int) -> FittedText | None:
    """`fitted` with its width measured whole (kerning included), or None if that overflows."""
    w = max(text_width(fitted.font, line) for line in fitted.lines)
    return replace(fitted, width=w) if w <= width else None


def fit_text(
    text: str, weight: Weight, *, width: int, max_height: int, max_lines: int, max_size: int, min_size: int, spacing: float = 1.12
) -> FittedText | None:
    """Largest size in [min_size, max_size] at which `text` fits; shortened by words if it never does.

    Returns None only if not even one word fits at `min_size`.
    """
    text = " ".join(text.split())
    if not text:
        return None
    lo, hi, best = min_size, max_size, None
    while lo <= hi:  # fit is monotone in size, so binary search finds the largest fitting size
        mid = (lo + hi) // 2
        fitted = _fit_at(text, weight, mid, width, max_lines, max_height, spacing)
        if fitted:
            best, lo = fitted, mid + 1
        else:
            hi = mid - 1
    while best is not None:  # kerning can make a whole line a hair wider than its words summed
        exact = _exact(best, width)
        if exact:
            return exact
        best = _fit_at(text, weight, best.size - 1, width, max_lines, max_height, spacing) if best.size > min_size else None
    return _shortened(text, weight, min_size, width, max_lines, max_height, spacing)


def _shortened(
    text: str, weight: Weight, size: int, width: int, max_lines: int, max_height: int, spacing: float
) -> FittedText | None:
    """Drop whole trailing words (preferring a sentence end) until the rest fits at `size`."""
    words = text.split()
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n]).rstrip(",;:-–—")
        candidate = head if head.endswith((".", "!", "?")) else head + "…"
        fitted = _fit_at(candidate, weight, size, width, max_lines, max_height, spacing)
        exact = _exact(fitted, width) if fitted else None
        if exact:
            return replace(exact, shortened=True)
    return None


def first_sentences(text: str, max_chars: int) -> str:
    """Whole sentences up to `max_chars` (at least the first sentence), for body copy in tight formats;
    split as the lint splits them, so "Crumb & Co. bakes daily." is one sentence."""
    parts, out = sentences(text), ""
    for part in parts:
        if out and len(out) + 1 + len(part) > max_chars:
            break
        out = f"{out} {part}".strip()
    return out or text
