"""Saliency-aware cropping: keep the busy, colourful part of a photo where the layout leaves it visible.

The largest window of the target aspect slides along the one free axis; each offset is scored by
the saliency (edge energy + colourfulness) it keeps, weighted towards the layout's focus band (the
part of the frame not covered by text), with a mild pull to the centre to break ties.
"""

from __future__ import annotations

import weakref
from typing import Generic, TypeVar

import numpy as np
from PIL import Image, ImageFilter

MAX_UPSCALE = 1.5
_PROBE = 160  # saliency is computed on a small copy: fast and insensitive to noise

V = TypeVar("V")


class WhileAlive(Generic[V]):
    """Results computed from an image, kept while that image object lives, and at most `size` of them.

    Entries go as soon as their source image is garbage-collected: stale entries used to keep
    full-size crops of long-gone photos, ~100 MB per CPU-pool process under load.
    """

    def __init__(self, size: int):
        self.size = size
        self._items: dict[tuple[object, ...], tuple[weakref.ref[Image.Image], V]] = {}

    def get(self, img: Image.Image, *key: object) -> V | None:
        hit = self._items.get((id(img), *key))
        return hit[1] if hit is not None and hit[0]() is img else None

    def put(self, img: Image.Image, value: V, *key: object) -> None:
        items, full = self._items, (id(img), *key)

        def forget(ref: weakref.ref[Image.Image]) -> None:
            if (entry := items.get(full)) is not None and entry[0] is ref:
                items.pop(full, None)  # (a callback can run mid-eviction: never assume the key is still there)

        while len(items) >= self.size:
            items.pop(next(iter(items)), None)  # oldest first
        items[full] = (weakref.ref(img, forget), value)


# One source image is cropped for several formats (and variants): keep its map and crops meanwhile.
_SALIENCY: WhileAlive[np.ndarray] = WhileAlive(16)
_CROPS: WhileAlive[Image.Image] = WhileAlive(12)


def max_crop(size: tuple[int, int], target: tuple[int, int]) -> tuple[int, int]:
    """The largest (w, h) of the target's aspect that fits inside an image of `size`."""
    w, h = size
    tw, th = target
    if w * th > h * tw:  # image is wider than the target: full height, partial width
        return max(1, round(h * tw / th)), h
    return w, max(1, round(w * th / tw))


def upscale_factor(size: tuple[int, int], target: tuple[int, int]) -> float:
    """How much the best crop must be enlarged to fill `target` (<= 1 means downscaling only)."""
    cw, _ = max_crop(size, target)
    return target[0] / cw


def saliency(img: Image.Image) -> np.ndarray:
    """A (h, w) saliency map of a small copy of `img`: gradient magnitude plus colourfulness."""
    if (cached := _SALIENCY.get(img)) is not None:
        return cached
    factor = max(1, min(img.width, img.height) // (_PROBE * 2))
    small = img.reduce(factor) if factor > 1 else img.copy()
    small = small.convert("RGB")
    small.thumbnail((_PROBE, _PROBE), Image.Resampling.BILINEAR)
    rgb = np.asarray(small, dtype=np.float32)
    gray = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    gx = np.abs(np.diff(gray, axis=1, append=gray[:, -1:]))
    gy = np.abs(np.diff(gray, axis=0, append=gray[-1:, :]))
    rg = rgb[..., 0] - rgb[..., 1]
    yb = 0.5 * (rgb[..., 0] + rgb[..., 1]) - rgb[..., 2]
    colourful = np.sqrt(rg * rg + yb * yb) / 4.0
    energy = gx + gy + colourful
    # A light blur turns isolated specks of noise into regions, which is what a crop should keep.
    blurred = Image.fromarray(np.clip(energy, 0, 255).astype(np.uint8)).filter(ImageFilter.BoxBlur(2))
    result = np.asarray(blurred, dtype=np.float32)
    _SALIENCY.put(img, result)
    return result


def _best_offset(profile: np.ndarray, window: int, focus: tuple[float, float]) -> int:
    """Offset (in profile cells) of the window that keeps the most weighted saliency."""
    n = len(profile)
    if window >= n:
        return 0
    weights = np.full(window, 0.35, dtype=np.float32)
    a, b = int(focus[0] * window), max(int(focus[0] * window) + 1, int(focus[1] * window))
    weights[a:b] = 1.0
    scores = np.correlate(profile, weights, mode="valid")  # one score per offset 0..n-window
    centre = (n - window) / 2
    pull = 1.0 - 0.15 * np.abs(np.arange(len(scores)) - centre) / max(centre, 1.0)
    return int(np.argmax(scores * pull))


def crop_box(
    img: Image.Image, target: tuple[int, int], focus: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
) -> tuple[int, int, int, int]:
    """Source-pixel box of the target's aspect holding the most salient content.

    `focus` is (x0, y0, x1, y1) in fractions of the target frame: where text will not cover the image.
    """
    w, h = img.size
    cw, ch = max_crop((w, h), target)
    if (cw, ch) == (w, h):
        return (0, 0, w, h)
    sal = saliency(img)
    sh, sw = sal.shape
    if cw < w:  # slide horizontally
        profile = sal.sum(axis=0)
        window = max(1, round(cw * sw / w))
        off = _best_offset(profile, window, (focus[0], focus[2]))
        x = min(w - cw, round(off * w / sw))
        return (x, 0, x + cw, ch)
    profile = sal.sum(axis=1)
    window = max(1, round(ch * sh / h))
    off = _best_offset(profile, window, (focus[1], focus[3]))
    y = min(h - ch, round(off * h / sh))
    return (0, y, cw, y + ch)


def smart_crop(
    img: Image.Image, target: tuple[int, int], focus: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
) -> Image.Image:
    """`img` cropped around its salient content and resized to exactly `target`.

    Every variant of a run crops the same brand photos to the same formats, so results are kept
    per process while the source image lives; callers get their own copy.
    """
    return shared_crop(img, target, focus).copy()


def shared_crop(
    img: Image.Image, target: tuple[int, int], focus: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
) -> Image.Image:
    """`smart_crop` without the copy, for callers that only read it (paste it, copy it): the kept
    crop itself, which must never be drawn on. A full-frame copy saved per creative."""
    if (cached := _CROPS.get(img, target, focus)) is not None:
        return cached
    out = _resize_crop(img, target, focus)
    _CROPS.put(img, out, target, focus)
    return out


def _resize_crop(img: Image.Image, target: tuple[int, int], focus: tuple[float, float, float, float]) -> Image.Image:
    box = crop_box(img, target, focus)
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    # Pillow's bilinear widens its support when shrinking (no aliasing) and is ~2x faster than
    # Lanczos; enlarging keeps bicubic, where bilinear would look soft.
    upscaling = target[0] > box[2] - box[0]
    resample = Image.Resampling.BICUBIC if upscaling else Image.Resampling.BILINEAR
    return rgb.resize(target, resample, box=box, reducing_gap=2.0)
