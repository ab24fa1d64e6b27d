"""Bundled fonts and text fitting: the largest size at which text wraps on word boundaries into a box.

Words are never split: a line break only happens between words, and text that cannot fit even at
the smallest allowed size is shortened by whole words with an ellipsis (never mid-word).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import ImageFont

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


def line_height(f: Font, spacing: float) -> int:
    ascent, descent = f.getmetrics() if hasattr(f, "getmetrics") else (f.size, 0)  # type: ignore[union-attr]
    return int(round((ascent + descent) * spacing))


def wrap(f: Font, text: str, width: int) -> list[str] | None:
    """Greedy word wrap; None when a single word is wider than `width` (we never break words)."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if text_width(f, trial) <= width:
            current = trial
            continue
        if text_width(f, word) > width:
            return None
        lines.append(current)
        current = word
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


def _fit_at(text: str, weight: Weight, size: int, width: int, max_lines: int, max_height: int,
            spacing: float) -> FittedText | None:
    f = font(weight, size)
    lines = wrap(f, text, width)
    if not lines or len(lines) > max_lines:
        return None
    lh = line_height(f, spacing)
    height = lh * len(lines)
    if height > max_height:
        return None
    w = max(text_width(f, line) for line in lines)
    return FittedText(text, tuple(lines), size, weight, lh, w, height)


def fit_text(text: str, weight: Weight, *, width: int, max_height: int, max_lines: int,
             max_size: int, min_size: int, spacing: float = 1.12) -> FittedText | None:
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
    if best:
        return best
    return _shortened(text, weight, min_size, width, max_lines, max_height, spacing)


def _shortened(text: str, weight: Weight, size: int, width: int, max_lines: int, max_height: int,
               spacing: float) -> FittedText | None:
    """Drop whole trailing words (preferring a sentence end) until the rest fits at `size`."""
    words = text.split()
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n]).rstrip(",;:-–—")
        candidate = head if head.endswith((".", "!", "?")) else head + "…"
        fitted = _fit_at(candidate, weight, size, width, max_lines, max_height, spacing)
        if fitted:
            return FittedText(fitted.text, fitted.lines, size, weight, fitted.line_height,
                              fitted.width, fitted.height, shortened=True)
    return None


def first_sentences(text: str, max_chars: int) -> str:
    """Whole sentences up to `max_chars` (at least the first sentence), for body copy in tight formats."""
    parts, out = [p for p in _split_sentences(text) if p], ""
    for part in parts:
        if out and len(out) + 1 + len(part) > max_chars:
            break
        out = f"{out} {part}".strip()
    return out or text


def _split_sentences(text: str) -> list[str]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in ".!?" and (i + 1 == len(text) or text[i + 1] == " "):
            out.append(text[start:i + 1].strip())
            start = i + 1
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
