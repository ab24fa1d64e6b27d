"""One layout per format: where the image, the text, the CTA and the logo go.

All geometry lives here so that matching (which needs the hero size) and rendering agree.
Story keeps the top and bottom 14% free of text: platforms cover them with profile and reply UI.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..models import FORMAT_SIZES
from .crop import MAX_UPSCALE, upscale_factor

Box = tuple[int, int, int, int]
STORY_UI_ZONE = 0.14
# A photo shown whole in a card of its own shape must fill at least this share of the inset card's
# area: below it (a 200x150 thumbnail), the photo reads as an icon and the brand background is better.
PHOTO_CARD_MIN_SHARE = 0.4


@dataclass(frozen=True)
class TextSpec:
    max_size: int
    min_size: int
    max_lines: int


@dataclass(frozen=True)
class Layout:
    format: str
    size: tuple[int, int]
    margin: int
    hero: Box  # where the photo goes
    focus: tuple[float, float, float, float]  # part of the hero not covered by text, as fractions
    safe: Box  # every text box must lie inside
    text: Box  # where the text block stacks
    anchor: str  # "bottom": stack upwards from text[3]; "center": centre vertically in text
    panel: Box | None  # solid brand panel (landscape split layout)
    logo: Box  # the box the logo is fitted into (top-left corner anchored)
    headline: TextSpec
    body: TextSpec
    body_chars: int  # longest body (whole sentences) the format has room for
    cta_size: int
    gap: int  # vertical space between headline, body and CTA
    card: bool = False  # hero shown as an inset card with rounded corners on the brand background

    @property
    def has_hero(self) -> bool:
        return self.hero[2] > self.hero[0]

    @property
    def hero_size(self) -> tuple[int, int]:
        return (self.hero[2] - self.hero[0], self.hero[3] - self.hero[1])


def layout_for(fmt: str, *, has_image: bool = True, inset: bool = False) -> Layout:
    w, h = FORMAT_SIZES[fmt]
    none: Box = (0, 0, 0, 0)
    if fmt == "square":
        m = 72
        if inset:  # a photo too small to fill the frame: a card above the text
            return Layout(
                fmt,
                (w, h),
                m,
                hero=(m, 176, w - m, 584),
                focus=(0.0, 0.0, 1.0, 1.0),
                safe=(m, m, w - m, h - m),
                text=(m, 632, w - m, h - m),
                anchor="center",
                panel=None,
                logo=(m, m, m + 320, m + 80),
                headline=TextSpec(76, 40, 2),
                body=TextSpec(32, 26, 2),
                body_chars=110,
                cta_size=32,
                gap=22,
                card=True,
            )
        return Layout(
            fmt,
            (w, h),
            m,
            hero=(0, 0, w, h) if has_image else none,
            focus=(0.0, 0.0, 1.0, 0.5),
            safe=(m, m, w - m, h - m),
            text=(m, 400, w - m, h - m),
            anchor="bottom",
            panel=None,
            logo=(m, m, m + 320, m + 84),
            headline=TextSpec(92, 44, 3),
            body=TextSpec(36, 28, 3),
            body_chars=150,
            cta_size=34,
            gap=28,
        )
    if fmt == "landscape":
        m = 48
        if not has_image:
            return Layout(
                fmt,
                (w, h),
                m,
                hero=none,
                focus=(0.0, 0.0, 1.0, 1.0),
                safe=(m, m, w - m, h - m),
                text=(m, 128, 820, h - m),
                anchor="center",
                panel=None,
                logo=(m, m, m + 260, m + 60),
                headline=TextSpec(64, 34, 3),
                body=TextSpec(28, 22, 2),
                body_chars=140,
                cta_size=26,
                gap=20,
            )
        split = 560
        if inset:  # text on the brand background at left, the photo as a card at right
            return Layout(
                fmt,
                (w, h),
                m,
                hero=(split + 40, 64, w - m, h - 64),
                focus=(0.0, 0.0, 1.0, 1.0),
                safe=(m, m, split - m, h - m),
                text=(m, 124, split - m, h - m),
                anchor="center",
                panel=None,
                logo=(m, m, m + 260, m + 60),
                headline=TextSpec(56, 30, 4),
                body=TextSpec(26, 21, 3),
                body_chars=120,
                cta_size=26,
                gap=20,
                card=True,
            )
        return Layout(
            fmt,
            (w, h),
            m,
            hero=(split, 0, w, h),
            focus=(0.0, 0.0, 1.0, 1.0),
            safe=(m, m, split - m, h - m),
            text=(m, 124, split - m, h - m),
            anchor="center",
            panel=(0, 0, split, h),
            logo=(m, m, m + 260, m + 60),
            headline=TextSpec(56, 30, 4),
            body=TextSpec(26, 21, 3),
            body_chars=120,
            cta_size=26,
            gap=20,
        )
    if fmt == "story":
        m = 84
        top, bottom = round(h * STORY_UI_ZONE), h - round(h * STORY_UI_ZONE)
        logo = (m, top + 8, m + 340, top + 8 + 92)
        if inset:
            return Layout(
                fmt,
                (w, h),
                m,
                hero=(m, top + 136, w - m, top + 136 + 560),
                focus=(0.0, 0.0, 1.0, 1.0),
                safe=(m, top, w - m, bottom),
                text=(m, top + 740, w - m, bottom),
                anchor="center",
                panel=None,
                logo=logo,
                headline=TextSpec(96, 48, 3),
                body=TextSpec(40, 32, 3),
                body_chars=160,
                cta_size=40,
                gap=32,
                card=True,
            )
        return Layout(
            fmt,
            (w, h),
            m,
            hero=(0, 0, w, h) if has_image else none,
            focus=(0.0, STORY_UI_ZONE, 1.0, 0.52),
            safe=(m, top, w - m, bottom),
            text=(m, 860 if has_image else top + 200, w - m, bottom),
            anchor="bottom" if has_image else "center",
            panel=None,
            logo=logo,
            headline=TextSpec(112, 52, 4),
            body=TextSpec(42, 32, 4),
            body_chars=200,
            cta_size=40,
            gap=36,
        )
    raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(FORMAT_SIZES)}")


def layout_for_image(fmt: str, size: tuple[int, int] | None, max_upscale: float = MAX_UPSCALE) -> Layout:
    """The layout an image of `size` gets: full-bleed (or panel) when it is sharp enough there,
    an inset card when only that is, a card of the photo's own shape when only that is, else the
    brand-background layout (the image is not used)."""
    if size is None:
        return layout_for(fmt, has_image=False)
    for inset in (False, True):
        lay = layout_for(fmt, inset=inset)
        if upscale_factor(size, lay.hero_size) <= max_upscale + 1e-9:
            return lay
    return _photo_card(layout_for(fmt, inset=True), size, max_upscale) or layout_for(fmt, has_image=False)


def _photo_card(inset: Layout, size: tuple[int, int], max_upscale: float) -> Layout | None:
    """The inset layout with a card the photo's shape, the photo whole in it at up to `max_upscale`, where
    the inset card goes (centred across it; the text below moves up into the height it leaves): the
    400x260 shop photos of an older site, which no crop of the inset card's shape shows sharp. None
    when that card would be too small to carry the ad."""
    x0, y0, x1, y1 = inset.hero
    scale = min(max_upscale, (x1 - x0) / size[0], (y1 - y0) / size[1])
    w, h = int(size[0] * scale), int(size[1] * scale)
    if w * h < PHOTO_CARD_MIN_SHARE * (x1 - x0) * (y1 - y0):
        return None
    left = x0 + (x1 - x0 - w) // 2
    if inset.text[1] >= y1:  # text below the card: the card at the top, the text gets the height it leaves
        top = y0
        tx0, ty0, tx1, ty1 = inset.text
        return replace(inset, hero=(left, top, left + w, top + h), text=(tx0, top + h + ty0 - y1, tx1, ty1))
    top = y0 + (y1 - y0 - h) // 2  # beside the text (landscape): centred on its side
    return replace(inset, hero=(left, top, left + w, top + h))


def hero_size(fmt: str) -> tuple[int, int]:
    """Pixel size a full-bleed (or panel) hero fills in `fmt`."""
    return layout_for(fmt).hero_size


def inside(box: Box, outer: Box) -> bool:
    return box[0] >= outer[0] and box[1] >= outer[1] and box[2] <= outer[2] and box[3] <= outer[3]
