"""Untrusted SVG made safe and drawn: sanitise (no script, no external reference) and rasterise to PNG.

SVG is a document format, so a site's logo is never stored or served as SVG: it is parsed without
entities or network, stripped to drawing elements, checked against a cost budget (elements after
`<use>` expansion, output pixels) and rendered by resvg (a Rust renderer with no system libraries;
it loads nothing but what the markup holds once every non-fragment, non-raster-data reference is
gone). What comes out is a plain PNG, decoded again by Pillow like any other image.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

MAX_SVG_SIDE = 100_000  # a declared size beyond this is nonsense, not a reason to fail
MAX_RENDER_SIDE = 768  # longest side of the PNG: the largest logo box on a creative is 340x92
MIN_RENDER_SIDE = 512  # small declared sizes (a 24px icon, a 180px logo) are drawn larger: vectors scale cleanly
MAX_COST = 5_000  # elements drawn, counting each <use> as what it copies (stops "billion laughs")
# Drawing time grows with elements x pixels (~1.4 ms per element covering a 1024px canvas): the
# canvas shrinks for busy drawings so that the worst case stays around a second.
PIXEL_BUDGET = 200_000_000
LAYER_COST = 100  # a layer is a whole offscreen canvas: counted as this many elements
MAX_LAYERS = 16  # elements the renderer draws on an offscreen canvas of their own (mask, clip, group opacity)
# Filters go too: one blur over a 1024px canvas costs ~0.4 s, so a few hundred of them would hold a
# CPU-pool process for a minute. A logo drawn without its drop shadow is still the logo.
DROP_TAGS = {
    "script",
    "foreignObject",
    "set",
    "animate",
    "animateTransform",
    "animateMotion",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
    "filter",
    # A marker is drawn again at every vertex of a path, a pattern again over every tile: a few elements
    # that cost millions of draws, which the element count cannot see.
    "marker",
    "pattern",
}
DROP_ATTRS = {"filter", "marker-start", "marker-mid", "marker-end"}
LAYER_WORDS = re.compile(r"\b(mask|clip-path|opacity)\b")
SAFE_DATA = re.compile(r"^\s*data:image/(png|jpeg|jpg|gif|webp);", re.I)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!#)[^)]*\1\s*\)", re.I)
CSS_IMPORT = re.compile(r"@import[^;]*;?", re.I)
# In <style> and style="" too: what the attribute checks and the layer count cannot see there.
CSS_COSTLY = re.compile(r"(?<![\w-])(filter|mask|clip-path|marker(-start|-mid|-end)?|stroke-dasharray)\s*:[^;}]*;?", re.I)


def _tiny_dashes(value: str, side: int) -> bool:
    """A dash pattern far shorter than the drawing turns each path into thousands of dashes."""
    try:
        dashes = [float(v) for v in re.split(r"[\s,]+", value.strip()) if v]
    except ValueError:
        return False
    return bool(dashes) and sum(abs(d) for d in dashes) < max(side or 300, 1) / 100


FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
# A wordmark set in <text> needs a font: the bundled Inter stands in for every family the logo names
# (system fonts are skipped, so a logo draws the same on every machine and loading stays cheap).
FONT_OPTIONS: dict[str, Any] = {
    "skip_system_fonts": True,
    "font_files": [str(FONTS / name) for name in ("Inter-Regular.otf", "Inter-SemiBold.otf", "InterDisplay-Bold.otf")],
    **{key: "Inter" for key in ("font_family", "sans_serif_family", "serif_family", "monospace_family")},
}


class BadImage(ValueError):
    """An image (raster or SVG) that is refused: unreadable, too large, too costly or unsafe."""


class BadSvg(BadImage):
    pass


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _safe_ref(value: str, tag: str) -> bool:
    """Only in-document fragments, and raster data URLs on <image> (never a nested SVG document)."""
    v = value.strip()
    return v.startswith("#") or (tag == "image" and bool(SAFE_DATA.match(v)))


def sanitize_svg(data: bytes) -> tuple[bytes, int, int]:
    """Parse without entities or network; drop scripts, animation, handlers and external references.

    Returns the cleaned markup and its declared size (0 where undeclared)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True, remove_pis=True, load_dtd=False
    )
    try:
        root = etree.fromstring(data.strip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise BadSvg(f"not a valid SVG: {exc}") from exc
    if _local(root.tag) != "svg":
        raise BadSvg("not an SVG document")
    width, height = _svg_size(root)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
            continue
        tag = _local(el.tag)
        if tag in DROP_TAGS:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
            continue
        if tag == "style" and el.text:
            el.text = CSS_COSTLY.sub("", CSS_URL.sub("none", CSS_IMPORT.sub("", el.text)))
        for attr in list(el.attrib):
            name, value = _local(attr).lower(), el.attrib[attr]
            if name.startswith("on") or name in DROP_ATTRS or (name == "href" and not _safe_ref(value, tag)):
                del el.attrib[attr]
            elif name == "stroke-dasharray" and _tiny_dashes(value, max(width, height)):
                del el.attrib[attr]
            elif "url(" in value.lower() or name == "style":
                value = CSS_URL.sub("none", value)
                el.attrib[attr] = CSS_COSTLY.sub("", value) if name == "style" else value
    return etree.tostring(root), width, height


def _svg_size(root: etree._Element) -> tuple[int, int]:
    def num(v: str | None) -> float:
        # Only digits[.digits]: "1.2.3", "..." or 400 nines must not raise (a page's SVG is untrusted).
        m = re.match(r"\s*(\d{1,9}(?:\.\d*)?|\.\d+)", v or "")
        return min(float(m.group(1)), MAX_SVG_SIDE) if m else 0.0

    w, h = num(root.get("width")), num(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4 and (not w or not h or (root.get("width") or "").strip().endswith("%")):
        w, h = num(box[2]), num(box[3])
    return int(w or 0), int(h or 0)


def svg_size(data: bytes) -> tuple[int, int]:
    """The declared size of an SVG document, (0, 0) when it does not parse."""
    try:
        return sanitize_svg(data)[1:]
    except BadSvg:
        return 0, 0


def drawing_cost(root: etree._Element) -> int:
    """Elements the renderer would draw, with each <use> counted as the subtree it copies."""
    nodes = list(root.iter())  # keeps every proxy alive, so id(el) is stable while we count
    by_id = {el.get("id"): el for el in nodes if isinstance(el.tag, str) and el.get("id")}
    memo: dict[int, int] = {}

    def cost(el: etree._Element, stack: frozenset[int]) -> int:
        key = id(el)
        if key in memo:
            return memo[key]
        if key in stack:
            return MAX_COST + 1  # a reference cycle: refuse
        total = 1
        ref = next((v for a, v in el.attrib.items() if _local(a) == "href"), "") if _local(el.tag) == "use" else ""
        target = by_id.get(ref[1:]) if ref.startswith("#") else None
        if target is not None:
            total += cost(target, stack | {key})
        for child in el:
            if isinstance(child.tag, str):
                total += cost(child, stack | {key})
            if total > MAX_COST:
                break
        memo[key] = min(total, MAX_COST + 1)
        return memo[key]

    return cost(root, frozenset())


def _own_layer(el: etree._Element) -> bool:
    """Drawn on an offscreen canvas of its own: masked, clipped or translucent (resvg layers these)."""
    said = " ".join(_local(a) for a in el.attrib) + " " + (el.get("style") or "")
    return LAYER_WORDS.search(said) is not None


def render_size(width: int, height: int, max_side: int = MAX_RENDER_SIDE) -> tuple[int, int]:
    """Pixel size to draw at: the declared aspect, longest side between MIN_RENDER_SIDE and max_side."""
    if not width or not height:
        width, height = 300, 150  # CSS's default replaced-element size
    scale = max(MIN_RENDER_SIDE / max(width, height), 1.0)
    scale = min(scale, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def rasterize_svg(data: bytes, max_side: int = MAX_RENDER_SIDE, current_color: str | None = None) -> bytes:
    """Sanitised, budget-checked SVG -> PNG bytes. Raises BadSvg for anything it will not draw.

    `current_color` is what `currentColor` means: an inline logo drawn in `fill="currentColor"`
    takes the text colour its page gives it (black when nobody says)."""
    import resvg_py  # imported here: only CPU-pool processes that meet an SVG load the renderer

    clean, width, height = sanitize_svg(data)
    root = etree.fromstring(clean, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if current_color and root.get("color") is None and re.fullmatch(r"#[0-9a-fA-F]{3,8}", current_color):
        root.set("color", current_color)
        clean = etree.tostring(root)
    cost = drawing_cost(root)
    if cost > MAX_COST:
        raise BadSvg(f"SVG too complex to draw (over {MAX_COST:,} elements once <use> copies are counted)")
    layers = sum(1 for el in root.iter() if isinstance(el.tag, str) and _own_layer(el))
    if layers > MAX_LAYERS:
        raise BadSvg(f"SVG too costly to draw ({layers} masked, clipped or translucent elements; limit {MAX_LAYERS})")
    side = min(max_side, int((PIXEL_BUDGET / max(cost + LAYER_COST * layers, 1)) ** 0.5))
    w, h = render_size(width, height, max(64, side))
    try:
        png = resvg_py.svg_to_bytes(svg_string=clean.decode("utf-8"), width=w, height=h, **FONT_OPTIONS)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadSvg(f"SVG could not be drawn: {exc}") from exc
    return bytes(png)
