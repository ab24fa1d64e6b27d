"""Render one creative: background, hero crop, text block, CTA, logo, then prove legibility.

The contrast of every text element is measured against the pixels actually behind it; when one
falls short, the scrim under the text strengthens step by step (ending in a solid panel, where
white or ink text always passes) until every element meets its WCAG threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from ..colour import RGB
from ..models import BrandProfile, CopyVariant
from .background import apply_scrim, base_colour, brand_background, deepen, gradient, mix
from .contrast import INK, WHITE, best_text_colour, contrast, luminance, parse_hex, threshold
from .crop import shared_crop, upscale_factor
from .elements import (
    Button,
    TextElement,
    average_colour,
    logo_lockup,
    make_button,
    mark_with_name,
    surround_colour,
)
from .layout import Box, Layout, layout_for_image
from .text import FittedText, first_sentences, fit_text

_PHOTO_STEPS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
_FLAT_STEPS = (0.0, 0.35, 0.55, 0.75, 0.9, 1.0)


@dataclass
class Rendered:
    image: Image.Image
    contrast: dict[str, float]
    thresholds: dict[str, float]
    text_boxes: dict[str, Box]
    safe: Box
    upscale: float | None
    scrim: float
    text_area_ratio: float
    elements: list[TextElement]  # every painted text element: lines, colour, box and glyph mask
    logo_box: Box | None = None


@dataclass(frozen=True)
class Palette:
    primary: RGB
    secondary: RGB
    accent: RGB
    background: RGB
    text: RGB

    @classmethod
    def of(cls, brand: BrandProfile) -> Palette:
        c = brand.colors
        return cls(
            parse_hex(c.primary, (31, 41, 55)),
            parse_hex(c.secondary, (55, 65, 81)),
            parse_hex(c.accent, (37, 99, 235)),
            parse_hex(c.background, WHITE),
            parse_hex(c.text, INK),
        )

    @property
    def base(self) -> RGB:
        return base_colour(self.primary, self.secondary, self.accent)


def _canvas(lay: Layout, pal: Palette, hero: Image.Image | None, name: str) -> tuple[Image.Image, bool]:
    """The backdrop, and whether it is a fresh image the caller owns. One that is not may be kept for
    other creatives: the caller copies it before drawing (as the scrim steps do anyway)."""
    if hero is None or lay.card:
        canvas = brand_background(lay.size, pal.primary, pal.secondary, pal.accent, name, quiet=lay.text, shared=hero is None)
        if hero is not None:
            card = shared_crop(hero, lay.hero_size, lay.focus)
            mask = Image.new("L", card.size, 0)
            ImageDraw.Draw(mask).rounded_rectangle((0, 0, *card.size), radius=28, fill=255)
            canvas.paste(card, lay.hero[:2], mask)
        return canvas, hero is not None
    x0, y0, _, _ = lay.hero
    crop = shared_crop(hero, lay.hero_size, lay.focus)
    if crop.size == lay.size:
        return crop, False  # full-bleed: the crop is the canvas
    canvas = Image.new("RGB", lay.size, pal.base)
    canvas.paste(crop, (x0, y0))
    if lay.panel:
        px0, py0, px1, py1 = lay.panel
        canvas.paste(gradient((px1 - px0, py1 - py0), pal.base, deepen(pal.base, 0.22), 70), (px0, py0))
    return canvas, True


def _text_block(lay: Layout, variant: CopyVariant, button: Button) -> list[TextElement]:
    """Headline and (room permitting) body, stacked with the CTA inside the layout's text box."""
    tx0, ty0, tx1, ty1 = lay.text
    width, avail = tx1 - tx0, ty1 - ty0
    bh = button.box[3] - button.box[1]
    hs = lay.headline
    # A designer gives up some headline size before dropping the body or cutting it short: try smaller
    # headline shares; keep the first that leaves room for the whole body, else the first with any body.
    chosen: tuple[FittedText, FittedText | None] | None = None
    for share in (0.64, 0.52, 0.42, 0.34):
        fitted = fit_text(
            variant.headline,
            "display",
            width=width,
            max_height=min(avail - bh - 2 * lay.gap, round(avail * share)),
            max_lines=hs.max_lines,
            max_size=hs.max_size,
            min_size=hs.min_size,
            spacing=1.08,
        )
        if fitted is None:
            break
        shown = _fit_body(lay, variant, width, avail - fitted.height - bh - 3 * lay.gap)
        if not variant.body.strip() or (shown is not None and not shown.shortened):
            chosen = (fitted, shown)
            break
        if chosen is None and shown is not None:
            chosen = (fitted, shown)
    headline, body = chosen or (None, None)
    if headline is None or (body is None and variant.body.strip()):
        headline = fit_text(
            variant.headline,
            "display",
            width=width,
            max_height=min(avail - bh - 2 * lay.gap, round(avail * 0.64)),
            max_lines=hs.max_lines,
            max_size=hs.max_size,
            min_size=hs.min_size,
            spacing=1.08,
        )
        body = None if headline is None else _fit_body(lay, variant, width, avail - headline.height - bh - 3 * lay.gap)
    for fallback in (variant.headline, variant.body, variant.cta, "…"):
        if headline is not None:
            break  # otherwise a single unbreakable word is too wide: smaller, then other copy
        headline = fit_text(
            fallback,
            "display",
            width=width,
            max_height=avail // 2,
            max_lines=hs.max_lines,
            max_size=hs.min_size,
            min_size=14,
            spacing=1.08,
        )
    assert headline is not None
    total = headline.height + (lay.gap + body.height if body else 0) + round(lay.gap * 1.4) + bh
    y = ty1 - total if lay.anchor == "bottom" else ty0 + (avail - total) // 2
    elements = [TextElement("headline", headline, tx0, y)]
    if body:
        elements.append(TextElement("body", body, tx0, y + headline.height + lay.gap))
    _move_button(button, tx0, y + total)
    return elements


def _fit_body(lay: Layout, variant: CopyVariant, width: int, room: int) -> FittedText | None:
    """Body copy in `room` px: whole sentences first, an ellipsis only if one sentence has no room."""
    bs = lay.body
    if not variant.body.strip() or room < bs.min_size * 1.3:
        return None
    body = None
    for text in dict.fromkeys([first_sentences(variant.body, lay.body_chars), first_sentences(variant.body, 1)]):
        body = fit_text(
            text,
            "regular",
            width=width,
            max_height=room,
            max_lines=bs.max_lines,
            max_size=bs.max_size,
            min_size=bs.min_size,
            spacing=1.3,
        )
        if body and not body.shortened:
            return body
    return body


def _move_button(button: Button, x: int, y_bottom: int) -> None:
    x0, y0, x1, y1 = button.box
    dx, dy = x - x0, y_bottom - y1
    button.box = (x0 + dx, y0 + dy, x1 + dx, y1 + dy)
    button.label.x += dx
    button.label.y += dy


def _brand_mark(
    canvas: Image.Image, lay: Layout, pal: Palette, brand: BrandProfile, logo: Image.Image | None
) -> tuple[TextElement | None, Box | None]:
    """Logo lockup, or the brand name as a wordmark (a measured text element) when there is no logo."""
    chips = [pal.background, WHITE, deepen(pal.base, 0.75)]
    if logo is not None:
        return None, logo_lockup(canvas, mark_with_name(logo, brand.name or ""), lay.logo, chips)
    x0, y0, x1, y1 = lay.logo
    fitted = fit_text(
        brand.name or "",
        "semibold",
        width=x1 - x0 - 40,
        max_height=y1 - y0,
        max_lines=1,
        max_size=(y1 - y0) // 2,
        min_size=16,
        spacing=1.2,
    )
    if fitted is None:
        return None, None
    pad_x, pad_y = 20, max(8, (y1 - y0 - fitted.height) // 4)
    chip_box = (x0, y0, x0 + fitted.width + 2 * pad_x, y0 + fitted.height + 2 * pad_y)
    colour = best_text_colour(average_colour(canvas, chip_box), [WHITE, pal.background, pal.text])
    mark = TextElement("brand", fitted, x0 + pad_x, y0 + pad_y, colour)
    if mark.measure(canvas) < threshold("brand", fitted.size, True):  # busy backdrop: set it on a chip
        chip = deepen(pal.base, 0.72)
        ImageDraw.Draw(canvas).rounded_rectangle(chip_box, radius=(chip_box[3] - chip_box[1]) // 2, fill=chip)
        mark.colour = best_text_colour(chip, [WHITE, pal.background])
    return mark, chip_box


def _scrim_colour(pal: Palette, light_text: bool) -> RGB:
    """A deep brand-tinted shade under light text, a near-white under dark text."""
    if light_text:
        return deepen(mix(pal.base, INK, 0.35), 0.8)
    tint = mix(pal.background, WHITE, 0.6)
    return tint if luminance(tint) >= 0.8 else WHITE


def render_creative(
    brand: BrandProfile, variant: CopyVariant, fmt: str, hero: Image.Image | None, logo: Image.Image | None
) -> Rendered:
    lay = layout_for_image(fmt, hero.size if hero is not None else None)
    hero = hero if lay.has_hero else None  # too small even for an inset card: brand background
    pal = Palette.of(brand)
    canvas, owned = _canvas(lay, pal, hero, brand.name)

    tx0, _, tx1, ty1 = lay.text
    cta_colour = best_text_colour(pal.accent, [WHITE, pal.background, pal.text])
    button = make_button(variant.cta or "Learn more", lay.cta_size, tx0, ty1, pal.accent, cta_colour, tx1 - tx0)
    elements = _text_block(lay, variant, button)
    head_top = elements[0].y
    photo_behind = hero is not None and lay.panel is None and not lay.card
    behind = average_colour(canvas, (tx0, head_top, tx1, button.box[3]))
    text_colour = WHITE if photo_behind else best_text_colour(behind, [WHITE, pal.background, pal.text])
    for el in elements:
        el.colour = text_colour
    scrim_colour = _scrim_colour(pal, luminance(text_colour) > 0.5)

    checked = [*elements, button.label]
    bg, ratios, strength, drawn_on_canvas = canvas, {}, 0.0, False
    for strength in _PHOTO_STEPS if photo_behind else _FLAT_STEPS:
        if strength > 0:
            if drawn_on_canvas:  # the first step drew on the fresh canvas: a clean one again
                canvas, owned = _canvas(lay, pal, hero, brand.name)
                drawn_on_canvas = False
            bg = apply_scrim(canvas, scrim_colour, max(0, head_top - 340), max(1, head_top - 28), strength)
        else:  # no scrim (the first flat step, which usually passes): draw on the canvas itself if fresh
            bg, drawn_on_canvas = (canvas, True) if owned else (canvas.copy(), False)
        _paint_button(bg, button)
        ratios = {el.name: el.measure(bg) for el in checked}
        # WCAG lets a large headline pass at 3:1; over a photo we hold it to 4.5:1 as well, since
        # busy pixels read worse than flat colour of the same ratio.
        if all(ratios[el.name] >= (4.5 if photo_behind else threshold(el.name, el.fitted.size, el.bold)) for el in checked):
            break
    mark, logo_box = _brand_mark(bg, lay, pal, brand, logo)
    if mark is not None:
        checked.append(mark)
        ratios["brand"] = mark.measure(bg)
    thresholds = {el.name: threshold(el.name, el.fitted.size, el.bold) for el in checked}
    for el in checked:
        el.paint(bg)
    up = upscale_factor(hero.size, lay.hero_size) if hero is not None else None
    boxes = {el.name: el.box for el in checked}
    return Rendered(bg, ratios, thresholds, boxes, lay.safe, up, strength, _text_area(boxes, lay.size), checked, logo_box)


def _text_area(boxes: dict[str, Box], size: tuple[int, int]) -> float:
    """Share of the canvas covered by text boxes (the ad platforms' text-to-image measure)."""
    area = sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes.values())
    return round(min(1.0, area / (size[0] * size[1])), 4)


def _paint_button(canvas: Image.Image, button: Button) -> None:
    # A button that melts into its backdrop gets an outline in its label colour.
    if contrast(button.fill, surround_colour(canvas, button.box, 12)) < 1.6:
        button.outline = button.label.colour
    button.paint(canvas)
