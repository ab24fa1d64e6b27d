"""The pieces drawn on a creative: text blocks (as glyph masks), the CTA button and the logo lockup.

Text is rasterised once into an 8-bit mask; the very same mask is used to measure contrast and to
paint the text, so what is measured is exactly what is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageStat

from ..colour import RGB
from .contrast import WHITE, contrast, min_contrast
from .crop import WhileAlive
from .text import FittedText, fit_text, font, text_width

Box = tuple[int, int, int, int]

# The brand's logo is set the same way on every creative of a run (per format): keep the work.
_MARKS: WhileAlive[Image.Image] = WhileAlive(8)
_FITTED: WhileAlive[tuple[Image.Image, RGB, bool]] = WhileAlive(8)


@dataclass
class TextElement:
    name: str
    fitted: FittedText
    x: int
    y: int
    colour: RGB = WHITE
    align: str = "left"  # or "center" within `width`
    width: int = 0
    _mask: Image.Image | None = field(default=None, repr=False)

    @property
    def box(self) -> Box:
        w = self.width or self.fitted.width
        return (self.x, self.y, self.x + w, self.y + self.fitted.height)

    @property
    def bold(self) -> bool:
        return self.fitted.weight != "regular"

    def mask(self) -> Image.Image:
        if self._mask is None:
            x0, y0, x1, y1 = self.box
            m = Image.new("L", (x1 - x0, y1 - y0), 0)
            draw = ImageDraw.Draw(m)
            f = self.fitted.font
            pad = (self.fitted.line_height - sum(_metrics(f))) // 2
            for i, line in enumerate(self.fitted.lines):
                lx = (x1 - x0 - text_width(f, line)) // 2 if self.align == "center" else 0
                draw.text((lx, i * self.fitted.line_height + pad), line, font=f, fill=255, anchor="la")
            self._mask = m
        return self._mask

    def measure(self, background: Image.Image) -> float:
        return min_contrast(background, self.box, self.mask(), self.colour)

    def paint(self, canvas: Image.Image) -> None:
        canvas.paste(self.colour, self.box, self.mask())


def _metrics(f: object) -> tuple[int, int]:
    getm = getattr(f, "getmetrics", None)
    return getm() if getm else (getattr(f, "size", 10), 0)


@dataclass
class Button:
    box: Box
    fill: RGB
    label: TextElement
    outline: RGB | None = None

    def paint(self, canvas: Image.Image) -> None:
        x0, y0, x1, y1 = self.box
        radius = (y1 - y0) // 2
        draw = ImageDraw.Draw(canvas)
        draw.rounded_rectangle(self.box, radius=radius, fill=self.fill, outline=self.outline, width=3 if self.outline else 0)


def make_button(label: str, size: int, x: int, y_bottom: int, fill: RGB, text_colour: RGB, max_width: int) -> Button:
    """A pill-shaped CTA anchored at its bottom-left corner; the label is shortened by words if long."""
    pad_x, pad_y = round(size * 1.0), round(size * 0.62)
    fitted = fit_text(
        label,
        "semibold",
        width=max_width - 2 * pad_x,
        max_height=size * 2,
        max_lines=1,
        max_size=size,
        min_size=max(14, size * 2 // 3),
        spacing=1.2,
    )
    if fitted is None:  # a single enormous word: keep the button, drop to the floor size
        fitted = fit_text(
            "Learn more",
            "semibold",
            width=max_width - 2 * pad_x,
            max_height=size * 2,
            max_lines=1,
            max_size=size,
            min_size=12,
            spacing=1.2,
        )
    assert fitted is not None
    w, h = fitted.width + 2 * pad_x, fitted.height + 2 * pad_y
    box = (x, y_bottom - h, x + w, y_bottom)
    text = TextElement("cta", fitted, x + pad_x, y_bottom - h + pad_y, text_colour)
    return Button(box, fill, text)


def average_colour(img: Image.Image, box: Box) -> RGB:
    region = img.crop(box)
    m = ImageStat.Stat(region if region.mode == "RGB" else region.convert("RGB")).mean  # convert() of RGB copies
    return (int(m[0]), int(m[1]), int(m[2]))


def surround_colour(img: Image.Image, box: Box, margin: int) -> RGB:
    """Average colour of the ring of `margin` pixels around `box` (clipped to the image)."""
    x0, y0, x1, y1 = box
    outer = (max(0, x0 - margin), max(0, y0 - margin), min(img.width, x1 + margin), min(img.height, y1 + margin))
    region = np.asarray(img.crop(outer).convert("RGB"), dtype=np.float32)
    keep = np.ones(region.shape[:2], dtype=bool)
    keep[y0 - outer[1] : y1 - outer[1], x0 - outer[0] : x1 - outer[0]] = False
    pixels = region[keep] if keep.any() else region.reshape(-1, 3)
    m = pixels.mean(axis=0)
    return (int(m[0]), int(m[1]), int(m[2]))


def logo_lockup(canvas: Image.Image, logo: Image.Image, box: Box, chip_colours: list[RGB]) -> Box:
    """Fit the logo into `box` (top-left anchored) and paste it, on a chip when the backdrop is poor.

    Clear space: the chip's padding is a quarter of the logo height on every side. Returns the
    footprint (chip or logo) so callers can keep text out of it.
    """
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    pad = round(bh * 0.18)
    fitted, ink, opaque = _fitted_logo(logo, bw, bh, pad)
    lw, lh = fitted.size
    chip_box = (x0, y0, x0 + lw + 2 * pad, y0 + lh + 2 * pad)
    backdrop = average_colour(canvas, chip_box)
    if opaque or contrast(ink, backdrop) >= 3.0:
        canvas.paste(fitted, (x0 + pad if not opaque else x0, y0 + pad if not opaque else y0), fitted)
        return (x0, y0, x0 + lw + (2 * pad if not opaque else 0), y0 + lh + (2 * pad if not opaque else 0))
    chip = max(chip_colours, key=lambda c: contrast(c, ink))
    ImageDraw.Draw(canvas).rounded_rectangle(chip_box, radius=pad, fill=chip)
    canvas.paste(fitted, (x0 + pad, y0 + pad), fitted)
    return chip_box


def _fitted_logo(logo: Image.Image, bw: int, bh: int, pad: int) -> tuple[Image.Image, RGB, bool]:
    """The logo trimmed and sized into a (bw, bh) box with `pad`, its ink colour, and whether it is
    opaque (a full rectangle: JPEG, or PNG without transparency). The same for every creative of a
    format, so kept while the logo lives; callers only paste it."""
    if (hit := _FITTED.get(logo, bw, bh, pad)) is not None:
        return hit
    trim = trimmed(logo)
    scale = min((bw - 2 * pad) / trim.width, (bh - 2 * pad) / trim.height)
    lw, lh = max(1, round(trim.width * scale)), max(1, round(trim.height * scale))
    fitted = trim.resize((lw, lh), Image.Resampling.LANCZOS)
    alpha = np.asarray(fitted.getchannel("A"), dtype=np.float32) / 255.0
    out = (fitted, ink_colour(fitted), float(alpha.mean()) > 0.97)
    _FITTED.put(logo, out, bw, bh, pad)
    return out


MARK_ASPECT = 1.35  # a logo no wider than this is a mark (a sprout, a quill), not a lockup with the name


def trimmed(logo: Image.Image) -> Image.Image:
    """The logo without the empty margins a drawn SVG's viewBox often has."""
    logo = logo.convert("RGBA")
    drawn = logo.getchannel("A").getbbox()
    return logo.crop(drawn) if drawn and drawn != (0, 0, logo.width, logo.height) else logo


def ink_colour(logo: Image.Image) -> RGB:
    """The average colour of a logo's opaque pixels."""
    alpha = np.asarray(logo.getchannel("A"), dtype=np.float32) / 255.0
    rgb = np.asarray(logo.convert("RGB"), dtype=np.float32)
    weight = max(float(alpha.sum()), 1e-6)
    r, g, b = (int((rgb[..., i] * alpha).sum() / weight) for i in range(3))
    return (r, g, b)


def mark_with_name(logo: Image.Image, name: str, colour: RGB | None = None) -> Image.Image:
    """A mark-only logo set beside the brand's name, as a site's header sets them: a square mark on
    its own says nothing about whose ad this is. A logo that is already wide is returned as it is.
    Every creative of a run sets the same mark: it is kept while the logo lives (callers only paste it)."""
    if (hit := _MARKS.get(logo, name, colour)) is not None:
        return hit
    out = _mark_with_name(logo, name, colour)
    _MARKS.put(logo, out, name, colour)
    return out


def _mark_with_name(logo: Image.Image, name: str, colour: RGB | None) -> Image.Image:
    mark = trimmed(logo)
    if not name.strip() or mark.width > MARK_ASPECT * mark.height:
        return mark
    height = 160
    mark = mark.resize((max(1, round(mark.width * height / mark.height)), height), Image.Resampling.LANCZOS)
    f = font("semibold", round(height * 0.62))
    gap = round(height * 0.28)
    width = mark.width + gap + text_width(f, name) + 4
    out = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    out.paste(mark, (0, 0), mark)
    ink = colour or ink_colour(mark)
    ImageDraw.Draw(out).text((mark.width + gap, height // 2), name, font=f, fill=(*ink, 255), anchor="lm")
    return out
