"""One layout per format: where the image, the text, the CTA and the logo go.

All geometry lives here so that matching (which needs the hero size) and rendering agree.
Story keeps the top and bottom 14% free of text: platforms cover them with profile and reply UI.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import FORMAT_SIZES

Box = tuple[int, int, int, int]
STORY_UI_ZONE = 0.14


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


def layout_for(fmt: str, *, has_image: bool = True) -> Layout:
    w, h = FORMAT_SIZES[fmt]
    if fmt == "square":
        m = 72
        return Layout(
            fmt, (w, h), m, hero=(0, 0, w, h), focus=(0.0, 0.0, 1.0, 0.5),
            safe=(m, m, w - m, h - m), text=(m, 400, w - m, h - m), anchor="bottom", panel=None,
            logo=(m, m, m + 240, m + 84),
            headline=TextSpec(92, 44, 3), body=TextSpec(36, 28, 3), body_chars=150, cta_size=34, gap=28)
    if fmt == "landscape":
        m = 48
        if not has_image:
            return Layout(
                fmt, (w, h), m, hero=(0, 0, w, h), focus=(0.0, 0.0, 1.0, 1.0),
                safe=(m, m, w - m, h - m), text=(m, 128, 820, h - m), anchor="center", panel=None,
                logo=(m, m, m + 200, m + 60),
                headline=TextSpec(64, 34, 3), body=TextSpec(28, 22, 2), body_chars=140, cta_size=26, gap=20)
        split = 560
        return Layout(
            fmt, (w, h), m, hero=(split, 0, w, h), focus=(0.0, 0.0, 1.0, 1.0),
            safe=(m, m, split - m, h - m), text=(m, 124, split - m, h - m), anchor="center",
            panel=(0, 0, split, h), logo=(m, m, m + 200, m + 60),
            headline=TextSpec(56, 30, 4), body=TextSpec(26, 21, 3), body_chars=120, cta_size=26, gap=20)
    if fmt == "story":
        m = 84
        top, bottom = round(h * STORY_UI_ZONE), h - round(h * STORY_UI_ZONE)
        return Layout(
            fmt, (w, h), m, hero=(0, 0, w, h), focus=(0.0, STORY_UI_ZONE, 1.0, 0.52),
            safe=(m, top, w - m, bottom), text=(m, 860, w - m, bottom), anchor="bottom", panel=None,
            logo=(m, top + 8, m + 260, top + 8 + 92),
            headline=TextSpec(108, 52, 4), body=TextSpec(42, 32, 4), body_chars=200, cta_size=40, gap=36)
    raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(FORMAT_SIZES)}")


def hero_size(fmt: str) -> tuple[int, int]:
    """Pixel size the hero image fills in `fmt`: what matching checks resolution against."""
    x0, y0, x1, y1 = layout_for(fmt).hero
    return (x1 - x0, y1 - y0)


def inside(box: Box, outer: Box) -> bool:
    return box[0] >= outer[0] and box[1] >= outer[1] and box[2] <= outer[2] and box[3] <= outer[3]
