"""Brand backgrounds (gradient + soft ring pattern) for creatives without a photo, panels and scrims.

Everything is derived from the brand's colours and a stable hash of its name: same brand, same art.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from ..colour import RGB
from .contrast import luminance


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def deepen(c: RGB, amount: float) -> RGB:
    return mix(c, (0, 0, 0), amount)


def base_colour(primary: RGB, secondary: RGB, accent: RGB) -> RGB:
    """A colour with presence to paint a background with: the primary unless it is near-white."""
    for c in (primary, secondary, accent):
        if luminance(c) < 0.75:
            return c
    return deepen(primary, 0.7)


def _seed(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")


@lru_cache(maxsize=4)  # a full-size RGB gradient is ~3.5 MB; a run needs one per format
def gradient(size: tuple[int, int], start: RGB, end: RGB, angle_deg: float = 35.0) -> Image.Image:
    """Linear gradient at `angle_deg`, computed small and smoothly enlarged (fast, band-free).

    Cached: callers must not draw on the returned image (paste it, or copy it first)."""
    w, h = size
    sw, sh = max(2, w // 8), max(2, h // 8)
    ys, xs = np.mgrid[0:sh, 0:sw].astype(np.float32)
    a = np.deg2rad(angle_deg)
    t = xs / sw * np.cos(a) + ys / sh * np.sin(a)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    rgb = np.array(start, np.float32) * (1 - t[..., None]) + np.array(end, np.float32) * t[..., None]
    small = Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8), "RGB")
    return small.resize((w, h), Image.Resampling.BILINEAR)


def brand_background(
    size: tuple[int, int],
    primary: RGB,
    secondary: RGB,
    accent: RGB,
    name: str,
    quiet: tuple[int, int, int, int] | None = None,
    shared: bool = False,
) -> Image.Image:
    """Diagonal gradient in the brand colours with concentric rings in the accent colour.

    The rings sit in the corner farthest from `quiet` (the text block), so pattern never fights text.
    Every variant of a brand shares it, so it is drawn once per process and copied; `shared` returns
    the kept image itself, for a caller that never draws on it.
    """
    art = _brand_background(size, primary, secondary, accent, name, quiet)
    return art if shared else art.copy()


@lru_cache(maxsize=3)  # ~3.5 MB each: one run's formats (its variants share them)
def _brand_background(
    size: tuple[int, int], primary: RGB, secondary: RGB, accent: RGB, name: str, quiet: tuple[int, int, int, int] | None
) -> Image.Image:
    w, h = size
    base = base_colour(primary, secondary, accent)
    end = mix(deepen(base, 0.45), accent, 0.18)
    img = gradient(size, mix(base, accent, 0.08), end, angle_deg=30 + _seed(name) % 30)
    rings = Image.new("L", size, 0)
    draw = ImageDraw.Draw(rings)
    qx = (quiet[0] + quiet[2]) / 2 if quiet else w / 2
    qy = (quiet[1] + quiet[3]) / 2 if quiet else h
    cx = w * 0.92 if qx < w / 2 else w * 0.08
    cy = h * 0.10 if qy > h / 2 else h * 0.90
    step = max(w, h) // 14
    width = max(2, step // 7)
    for i in range(1, 9):
        r = step * i + (_seed(name) % step) // 3
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=40 - i * 3, width=width)
    ring_colour = mix(accent, (255, 255, 255), 0.35) if luminance(base) < 0.35 else deepen(accent, 0.3)
    return Image.composite(Image.new("RGB", size, ring_colour), img, rings)


@lru_cache(maxsize=64)
def scrim_column(height: int, fade_from: int, solid_from: int, strength: float) -> Image.Image:
    """1-pixel-wide alpha ramp: 0 above `fade_from`, eased to `strength` at `solid_from`, held below."""
    ys = np.arange(height, dtype=np.float32)
    t = np.clip((ys - fade_from) / max(solid_from - fade_from, 1), 0.0, 1.0)
    eased = t * t * (3 - 2 * t)
    col = np.clip(eased * strength * 255 + 0.5, 0, 255).astype(np.uint8).reshape(height, 1)
    return Image.fromarray(col, "L")


def apply_scrim(img: Image.Image, colour: RGB, fade_from: int, solid_from: int, strength: float) -> Image.Image:
    """A copy of `img` with `colour` laid over it through the scrim ramp (only rows that need it)."""
    out = img.copy()
    w, h = img.size
    top = max(0, min(fade_from, h - 1))
    column = scrim_column(h, fade_from, solid_from, strength).crop((0, top, 1, h))
    out.paste(colour, (0, top, w, h), column.resize((w, h - top), Image.Resampling.NEAREST))
    return out
