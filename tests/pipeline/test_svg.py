"""SVG logos and images: sanitised, bounded, drawn to PNG (never stored or served as SVG), and drawn on
the creative as the logo instead of a text wordmark."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.compose import render_creative
from brandtruth.pipeline.compose.output import load_image
from brandtruth.pipeline.extract import extract_brand
from brandtruth.pipeline.extract.svg import BadSvg, rasterize_svg, sanitize_svg
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.models import BrandProfile, CopyVariant, ExtractInput
from tests.support.sites import SiteServer

NAVY = (0x1E, 0x3A, 0x8A)


async def extract(url: str, store: LocalArtifactStore) -> BrandProfile:
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        return await extract_brand(ExtractInput(run_id="run-svg", url=url, max_pages=2), fetcher, store)


def hostile_svg(base: str) -> bytes:
    return f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">
  <style>@import url("{base}/probe/import.css"); rect {{ fill: url({base}/probe/css.png); }}</style>
  <script>fetch("{base}/probe/script")</script>
  <foreignObject width="100" height="100"><iframe xmlns="http://www.w3.org/1999/xhtml" src="{base}/probe/iframe"/></foreignObject>
  <image href="{base}/probe/image.png" width="50" height="50"/>
  <image xlink:href="file:///etc/hostname" width="50" height="50"/>
  <image href="/etc/hostname" width="50" height="50"/>
  <image href="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=" width="9" height="9"/>
  <rect width="10" height="10" style="fill: url({base}/probe/style.png)"/>
  <a xlink:href="javascript:alert(1)"><set attributeName="href" to="javascript:alert(2)"/>
    <circle cx="50" cy="50" r="40" fill="#16a34a" onclick="alert(3)"/></a>
</svg>""".encode()


def test_hostile_svg_is_drawn_without_touching_anything_outside_it(sites: SiteServer) -> None:
    data = hostile_svg(sites.base_url)
    clean = sanitize_svg(data)[0].decode().lower()
    for bad in (
        "<script",
        "foreignobject",
        "<set",
        "javascript:",
        "onclick",
        "@import",
        "probe/",
        "/etc/hostname",
        "image/svg+xml",
    ):
        assert bad not in clean, bad
    png = rasterize_svg(data)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    assert img.convert("RGB").getpixel((img.width // 2, img.height // 2)) == (0x16, 0xA3, 0x4A)  # the circle
    assert not [path for path in sites.hits if path.startswith("/probe/")], sites.hits


@pytest.mark.parametrize(
    "name, svg",
    [
        (
            "use amplification",
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<g id="a0"><rect width="1" height="1"/></g>'
            + b"".join(
                b'<g id="a%d"><use xlink:href="#a%d"/><use xlink:href="#a%d"/></g>' % (i, i - 1, i - 1) for i in range(1, 40)
            )
            + b"</svg>",
        ),
        (
            "use cycle",
            b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>',
        ),
        (
            "many masks",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000"><mask id="m"><rect width="9" height="9"/>'
            b"</mask>" + b'<rect width="100%" height="100%" mask="url(#m)"/>' * 200 + b"</svg>",
        ),
        ("not svg", b"<html><body>hi</body></html>"),
    ],
)
def test_costly_or_bogus_svg_is_refused_quickly(name: str, svg: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    # Quickly = before any drawing: the renderer is never called (counted, not timed).
    import resvg_py

    drawn: list[int] = []
    monkeypatch.setattr(resvg_py, "svg_to_bytes", lambda **kw: drawn.append(1) or b"")
    with pytest.raises(BadSvg):
        rasterize_svg(svg)
    assert drawn == [], name


def test_expensive_but_allowed_svg_is_drawn_in_bounded_time() -> None:
    # 300 full-canvas blurs took 75 s to draw; filters are dropped and the canvas shrinks for busy drawings.
    blur = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><filter id="f">'
        b'<feGaussianBlur stdDeviation="1000000"/></filter>'
        + b'<rect width="100%" height="100%" filter="url(#f)"/>' * 300
        + b"</svg>"
    )
    busy = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000">'
        + b'<rect width="100%" height="100%" fill="red" stroke="blue" stroke-width="30" stroke-dasharray="0.5 0.5"/>' * 4900
        + b"</svg>"
    )
    # Bounded by what is drawn (no filters, a small canvas), not by a clock: a busy machine is slow.
    assert b"filter" not in sanitize_svg(blur)[0]
    for svg in (blur, busy):
        img = Image.open(io.BytesIO(rasterize_svg(svg)))
        assert max(img.size) <= 768


async def test_inline_svg_logo_is_stored_as_png_and_drawn_on_the_creative(sites: SiteServer, tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    brand = await extract(sites.url("_visual/svg-logo/"), store)
    assert brand.logo is not None and brand.logo.key
    assert brand.logo.key.endswith(".png") and not any(k.endswith(".svg") for k in _keys(tmp_path))
    logo = load_image(store, brand.logo.key, "RGBA")
    assert logo is not None and logo.width > 2 * 120  # drawn larger than its declared 120px
    assert NAVY in {c for _n, c in logo.convert("RGB").getcolors(1 << 16) or []}

    variant = CopyVariant(
        id="v1", headline="Write offline, sync when you choose.", body="Notes on your disk.", cta="Download free"
    )
    creative = render_creative(brand, variant, "square", None, logo)
    assert creative.logo_box is not None
    x0, y0, x1, y1 = creative.logo_box
    pixels = np.asarray(creative.image.crop((x0, y0, x1, y1)).convert("RGB"), dtype=np.int32)
    navy = int((np.abs(pixels - np.array(NAVY)).sum(axis=2) < 30).sum())
    assert navy > 0.2 * (x1 - x0) * (y1 - y0), "the drawn logo is not on the creative"
    assert "brand" not in creative.text_boxes  # no text wordmark in its place


def test_svg_logo_stored_by_an_older_run_is_drawn_not_dropped(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    key = store.put(
        "old-run/src/logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#1e3a8a"/></svg>',
    )
    logo = load_image(store, key, "RGBA")
    assert logo is not None and logo.convert("RGB").getpixel((5, 5)) == NAVY


def _keys(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]


def test_svg_wordmark_text_is_drawn_with_the_bundled_font() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="180" height="44"><rect width="40" height="40" fill="#2e3892"/>'
        b'<text x="52" y="30" font-family="Helvetica, Arial, sans-serif" font-size="22" fill="#2e3892">Quillpad</text></svg>'
    )
    img = Image.open(io.BytesIO(rasterize_svg(svg)))
    x0, _y0, x1, _y1 = img.getchannel("A").getbbox() or (0, 0, 0, 0)
    assert (x1 - x0) > img.width * 0.6  # the name beside the square, not the square alone (40 of 180 units)


async def test_current_color_mark_takes_its_tailwind_colour_and_is_set_beside_the_name(sites: SiteServer, tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    brand = await extract(sites.url("_visual/mark-logo/"), store)
    assert brand.name == "Sprig" and brand.logo is not None
    logo = load_image(store, brand.logo.key, "RGBA")
    assert logo is not None
    emerald = (0x05, 0x96, 0x69)
    assert logo.convert("RGB").getpixel((logo.width // 2, logo.height // 2)) == emerald  # currentColor, not black

    variant = CopyVariant(id="v1", headline="Track your hours, send the invoice.", body="Offline.", cta="Download")
    creative = render_creative(brand, variant, "square", None, logo)
    assert creative.logo_box is not None
    x0, y0, x1, y1 = creative.logo_box
    assert (x1 - x0) > 1.8 * (y1 - y0), "a square mark alone (ratio ~1): the brand's name is not beside it"


async def test_svg_only_imagery_is_drawn_when_it_is_the_only_picture(sites: SiteServer, tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    brand = await extract(sites.url("_visual/svg-only/"), store)

    assert [i.url.rsplit("/", 1)[-1] for i in brand.images] == ["illustration.svg"]  # the 24px icon is no picture
    drawn = load_image(store, brand.images[0].key)
    assert drawn is not None and brand.images[0].key.endswith((".png", ".jpg"))
    assert drawn.getpixel((drawn.width // 3, drawn.height // 2 + 10)) == (0x0E, 0x74, 0x90)  # the circle
    assert not any("no usable photos" in w for w in brand.warnings)


def test_markers_patterns_and_costly_styles_are_dropped_before_drawing() -> None:
    """A marker is drawn at every vertex and a pattern over every tile: a few elements costing
    millions of draws that the element count did not see; <style> could also bring back mask,
    clip-path, filter and tiny dashes that the attribute checks remove."""
    points = " ".join(f"{i % 1000},{i // 1000}" for i in range(20_000))
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000">'
        b"<style>.a { mask: url(#m); clip-path: url(#c); filter: blur(9px); stroke-dasharray: 0.1; fill: #123456 }</style>"
        b'<defs><marker id="k"><circle r="1"/></marker><pattern id="p" width="1" height="1"><rect width="1" height="1"/>'
        b"</pattern></defs>"
        + f'<polyline class="a" points="{points}" marker-mid="url(#k)" style="stroke-dasharray:0.01;fill:url(#p)"/>'.encode()
        + b"</svg>"
    )
    clean = sanitize_svg(svg)[0]
    for costly in (b"<marker", b"<pattern", b"marker-mid", b"mask:", b"clip-path:", b"filter:", b"dasharray"):
        assert costly not in clean, costly
    assert b"#123456" in clean  # the drawing's own colours stay
    Image.open(io.BytesIO(rasterize_svg(svg)))  # and it still draws
