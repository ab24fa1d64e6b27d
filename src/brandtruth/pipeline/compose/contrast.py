"""Colour parsing and WCAG 2.x contrast, measured against real rendered pixels.

WCAG thresholds: 4.5:1 for normal text, 3:1 for large text (>= 24 px, or >= 18.66 px bold).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from ..colour import RGB, hex_rgb

AA_NORMAL = 4.5
AA_LARGE = 3.0
WHITE: RGB = (255, 255, 255)
INK: RGB = (17, 17, 17)
BLACK: RGB = (0, 0, 0)


def parse_hex(value: str | None, default: RGB = INK) -> RGB:
    """'#1f2937' or '1f2937' or '#abc' -> (r, g, b); anything else falls back to `default`."""
    return hex_rgb(value) or default


def _linear(channel: np.ndarray) -> np.ndarray:
    c = channel / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


_LINEAR = _linear(np.arange(256, dtype=np.float64))  # sRGB byte -> linear light, looked up per pixel


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance of one colour."""
    r, g, b = (_LINEAR[min(255, max(0, int(v)))] for v in rgb)
    return float(r * 0.2126 + g * 0.7152 + b * 0.0722)


def luminance_array(pixels: np.ndarray) -> np.ndarray:
    """Relative luminance of an (N, 3) array of 8-bit sRGB pixels."""
    px = pixels.astype(np.uint8)
    return _LINEAR[px[:, 0]] * 0.2126 + _LINEAR[px[:, 1]] * 0.7152 + _LINEAR[px[:, 2]] * 0.0722


def ratio_lum(l1: float, l2: float) -> float:
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def contrast(a: RGB, b: RGB) -> float:
    return ratio_lum(luminance(a), luminance(b))


def is_large(size_px: int, bold: bool) -> bool:
    return size_px >= 24 or (bold and size_px >= 19)


def threshold(element: str, size_px: int, bold: bool) -> float:
    """WCAG AA bar for a text element. Only the headline (always set large) gets the 3:1 large-text
    bar; every other element is held to 4.5:1 even when large, matching how the score reads it."""
    return AA_LARGE if element == "headline" and is_large(size_px, bold) else AA_NORMAL


def best_text_colour(background: RGB, preferred: list[RGB]) -> RGB:
    """The first preferred colour that reaches 4.5:1 on `background`, else white or black."""
    preferred = [*preferred, INK]
    for colour in preferred:
        if contrast(colour, background) >= AA_NORMAL:
            return colour
    # One of pure white and pure black always reaches 4.58:1, whatever the background.
    return WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK


def glyph_zone(mask: Image.Image, grow: int = 2) -> np.ndarray:
    """Glyph coverage grown by `grow` pixels: the pixels a reader's eye separates text from."""
    ink = np.asarray(mask) > 0
    zone = ink.copy()
    for d in range(1, grow + 1):
        zone[d:, :] |= ink[:-d, :]
        zone[:-d, :] |= ink[d:, :]
        zone[:, d:] |= ink[:, :-d]
        zone[:, :-d] |= ink[:, d:]
    return zone


def min_contrast(background: Image.Image, box: tuple[int, int, int, int], mask: Image.Image | None, colour: RGB) -> float:
    """Worst-case WCAG ratio between `colour` and the background pixels behind the text.

    `background` is the canvas as rendered without this text element; `mask` (same size as `box`)
    marks glyph pixels, so only pixels actually behind the letters (plus a small halo) count.
    """
    region = np.asarray(background.crop(box))
    pixels = region.reshape(-1, 3)
    if mask is not None:
        zone = glyph_zone(mask).reshape(-1)
        if zone.any():
            pixels = pixels[zone]
    if pixels.size == 0:
        return 21.0
    lums = luminance_array(pixels)
    text_lum = luminance(colour)
    ratios = (np.maximum(lums, text_lum) + 0.05) / (np.minimum(lums, text_lum) + 0.05)
    # The worst pixel bounds legibility; floor (not round) so a recorded 4.5 really is >= 4.5.
    return float(np.floor(ratios.min() * 100) / 100)
