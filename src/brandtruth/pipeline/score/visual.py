"""Creative components of the score: text contrast margin, text-to-image area, brand colour share.

They read what the compose step measured on each render (`Creative.contrast`, `.text_area_ratio`,
`.palette`); a creative that did not measure something gets a neutral 0.5 and says so.
`measure_palette` is offered to the compose step so palettes are measured one way.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from ..colour import SAME_COLOUR, delta_e, hex_rgb
from ..models import BrandColors, BrandProfile, Creative
from .platforms import PlatformSpec
from .text import Rated, clamp

if TYPE_CHECKING:
    from PIL import Image

NEUTRAL = 0.5
AA_NORMAL = 4.5  # WCAG 2.x AA, normal text
AA_LARGE = 3.0  # WCAG 2.x AA, large text (>= 24px, or bold >= 19px)
_LARGE_ELEMENTS = ("headline", "title")
_BRAND_SHARE_TARGET = 0.25
_PHOTO_ACCENT_TARGET = 0.05  # a button or logo in brand colour on a photo
_PHOTO_FLOOR = 0.8  # the brand's own photo is on-brand by itself
_FLAT_CAP = 0.6  # a flat fill when the site has photos of its own


def _interp(x: float, points: list[tuple[float, float]]) -> float:
    """Piecewise-linear curve through `points` (sorted by x), flat beyond both ends."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def required_ratio(element: str) -> float:
    """WCAG AA for the element: headlines are set large on every ad size (3:1), other text 4.5:1."""
    return AA_LARGE if any(word in element.lower() for word in _LARGE_ELEMENTS) else AA_NORMAL


def contrast(creative: Creative) -> Rated:
    margins = {k: (v / required_ratio(k), v) for k, v in creative.contrast.items() if v > 0}
    if not margins:
        return NEUTRAL, "text contrast not measured (neutral)"
    name, (margin, ratio) = min(margins.items(), key=lambda kv: (kv[1][0], kv[0]))
    need = required_ratio(name)
    # margin 1.0 = exactly WCAG AA; about 1.5x AA reads comfortably on a phone in daylight
    value = _interp(margin, [(1 / 3, 0.0), (2 / 3, 0.3), (1.0, 0.75), (1.55, 1.0)])
    if margin >= 1.55:
        verdict = "comfortably legible"
    elif margin >= 1.0:
        verdict = f"meets WCAG AA {need:g}:1 with {ratio - need:.1f} to spare"
    else:
        verdict = f"below WCAG AA {need:g}:1, hard to read on a phone"
    return value, f"weakest text contrast {ratio:.1f}:1 ({name}): {verdict}"


def text_area(creative: Creative, spec: PlatformSpec) -> Rated:
    ratio = creative.text_area_ratio
    if ratio is None:
        return NEUTRAL, "text-to-image area not measured (neutral)"
    ideal = spec.text_area_ideal
    value = _interp(ratio, [(ideal, 1.0), (ideal + 0.15, 0.5), (ideal + 0.4, 0.0)])
    if ratio <= ideal:
        return value, f"text covers {ratio:.0%} of the image, within {spec.label}'s {ideal:.0%} guidance"
    return value, f"text covers {ratio:.0%} of the image, over {spec.label}'s {ideal:.0%} guidance"


def _brand_share(palette: dict[str, float], colors: BrandColors) -> float:
    # Background and text colours are usually white/near-black and would match any photo.
    brand = [c for c in (colors.primary, colors.secondary, colors.accent) if hex_rgb(c)]
    share = 0.0
    for hex_color, part in palette.items():
        if hex_rgb(hex_color) and any(delta_e(hex_color, b) < SAME_COLOUR for b in brand):
            share += part
    return clamp(share)


def brand_color(creative: Creative, brand: BrandProfile) -> Rated:
    """Brand colour share, judged so that the brand's own photo is never worth less than a flat fill.

    A flat background in the primary colour covers most of the canvas and used to score best; a
    photo of the brand's own work covers it with the photo. So a creative on the brand's photo needs
    only a touch of brand colour (button, logo, band) for full marks, and a flat background on a
    brand that has photos is capped below that.
    """
    if not creative.palette:
        return NEUTRAL, "colours not measured (neutral)"
    share = _brand_share(creative.palette, brand.colors)
    photos = [i for i in brand.images if i.role == "image"]
    if creative.source_image_url:
        value = clamp(_PHOTO_FLOOR + (1 - _PHOTO_FLOOR) * share / _PHOTO_ACCENT_TARGET)
        note = "brand colour on the button/logo" if share >= _PHOTO_ACCENT_TARGET else "little brand colour beside it"
        return value, f"the brand's own photo; brand colours cover {share:.0%}: {note}"
    value = clamp(share / _BRAND_SHARE_TARGET)
    if photos:
        value = min(value, _FLAT_CAP)
        return value, (
            f"a flat background although the site has {len(photos)} photo{'s' if len(photos) > 1 else ''}; "
            f"brand colours cover {share:.0%}"
        )
    note = "consistent with the brand" if value >= 1 else f"target {_BRAND_SHARE_TARGET:.0%}"
    return value, f"brand colours cover {share:.0%} of the creative: {note}"


def measure_palette(image: Image.Image, colors: int = 8) -> dict[str, float]:
    """Dominant colours of `image` as {'#rrggbb': share of pixels}, largest first; deterministic."""
    from PIL import Image as PILImage

    small = image.convert("RGB")
    small.thumbnail((128, 128))
    # median cut without dithering: the same image always gives the same palette
    quant = small.quantize(colors=colors, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE)
    palette: list[int] = list(quant.getpalette() or [])
    total = small.width * small.height
    counts = sorted(quant.getcolors(colors) or [], key=lambda c: (-c[0], c[1]))
    out: dict[str, float] = {}
    for count, index in counts:
        if not isinstance(index, int):  # a "P" image's colours are palette indices
            continue
        r, g, b = palette[index * 3 : index * 3 + 3]
        key = f"#{r:02x}{g:02x}{b:02x}"
        out[key] = round(out.get(key, 0.0) + count / total, 4)
    return out
