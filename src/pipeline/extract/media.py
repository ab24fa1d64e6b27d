"""Logo ranking and image download: verified with Pillow, normalised, written to the artifact store."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import struct
import warnings
from dataclasses import dataclass

from lxml import etree
from PIL import Image, ImageOps, UnidentifiedImageError

from ..artifacts import ArtifactStore
from ..cpu import run_cpu
from ..errors import FetchError
from ..fetch import Fetcher
from ..models import ImageAsset
from .page import ImageRef, ParsedPage

MAX_SIDE = 2048
MIN_SIDE = 48
MAX_IMAGES = 12
CONCURRENCY = 4


class BadImage(ValueError):
    pass


@dataclass
class Stored:
    key: str
    width: int
    height: int
    palette: list[str]


def logo_candidates(pages: list[ParsedPage]) -> list[tuple[int, ImageRef]]:
    """Every plausible logo with a score; higher is more likely the brand's own mark."""
    scored: list[tuple[int, ImageRef]] = []
    home = pages[0]
    for node in home.jsonld:
        for item in node.get("@graph", [node]) if isinstance(node, dict) else []:
            logo = item.get("logo") if isinstance(item, dict) else None
            logo = logo.get("url") if isinstance(logo, dict) else logo
            if isinstance(logo, str) and item.get("@type") in (
                "Organization",
                "Corporation",
                "LocalBusiness",
                "NGO",
                "Brand",
                "Store",
            ):
                from urllib.parse import urljoin

                scored.append((90, ImageRef(urljoin(home.url, logo), "", hints="jsonld logo")))
    for rank, page in enumerate(pages[:3]):
        for img in page.images:
            text = f"{img.hints} {img.alt}".lower()
            score = (
                100
                if "logo" in text and img.in_header
                else 85
                if img.inline_svg and img.in_header
                else 70
                if "logo" in text
                else 50
                if img.in_header
                else 0
            )
            if score:
                scored.append((score - rank, img))
    for rel, url in home.icons:
        svg = url.lower().endswith(".svg")
        scored.append((40 if "apple-touch" in rel else 35 if svg else 25, ImageRef(url, "", hints=rel)))
    og = home.opengraph.get("og:image") or home.meta.get("og:image")
    if og:
        from urllib.parse import urljoin

        scored.append((10, ImageRef(urljoin(home.url, og), "", hints="og:image")))
    scored.sort(key=lambda pair: -pair[0])
    return scored


def sanitize_svg(data: bytes) -> tuple[bytes, int, int]:
    """Parse an SVG without entities or network; drop scripts and event handlers."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data.strip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise BadImage(f"not a valid SVG: {exc}") from exc
    if not isinstance(root.tag, str) or not root.tag.endswith("svg"):
        raise BadImage("not an SVG document")
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag.rsplit("}", 1)[-1] in ("script", "foreignObject"):
            el.getparent().remove(el)
            continue
        for attr in list(el.attrib):
            if attr.lower().startswith("on") or (attr.endswith("href") and not el.attrib[attr].startswith("#")):
                del el.attrib[attr]
    width, height = _svg_size(root)
    return etree.tostring(root), width, height


MAX_SVG_SIDE = 100_000  # a declared size beyond this is nonsense, not a reason to fail


def _svg_size(root: etree._Element) -> tuple[int, int]:
    def num(v: str | None) -> float:
        # Only digits[.digits]: "1.2.3", "..." or 400 nines must not raise (a page's SVG is untrusted).
        m = re.match(r"\s*(\d{1,9}(?:\.\d*)?|\.\d+)", v or "")
        return min(float(m.group(1)), MAX_SVG_SIDE) if m else 0.0

    w, h = num(root.get("width")), num(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (not w or not h) and len(box) == 4:
        w, h = num(box[2]), num(box[3])
    return int(w or 0), int(h or 0)


# What browsers show in an <img>. Pillow reads dozens more (PPM, PSD, EPS via Ghostscript...), none of
# which a brand site serves as imagery and each of which is more decoder surface for hostile bytes.
WEB_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "ICO", "AVIF")
# Pillow's decoders signal malformed input with any of these, not only OSError (e.g. ValueError
# "not enough image data" from a truncated PPM, struct.error from a short header).
DECODE_ERRORS = (
    UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, ZeroDivisionError,
    struct.error, Image.DecompressionBombError, Image.DecompressionBombWarning,
)


def normalise_raster(data: bytes, max_pixels: int) -> tuple[bytes, str, int, int, list[str]]:
    """Verify, bound and re-encode: (bytes, ext, width, height, palette hexes)."""
    try:
        return _normalise(data, max_pixels)
    except BadImage:
        raise
    except DECODE_ERRORS as exc:
        raise BadImage(f"not a readable image ({type(exc).__name__}: {exc})") from exc


def _normalise(data: bytes, max_pixels: int) -> tuple[bytes, str, int, int, list[str]]:
    with Image.open(io.BytesIO(data), formats=WEB_FORMATS) as probe:
        if probe.width * probe.height > max_pixels:
            raise BadImage(
                f"{probe.width}x{probe.height} pixels is over the {max_pixels:,}-pixel limit (decompression bomb?)"
            )
        probe.verify()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        opened = Image.open(io.BytesIO(data), formats=WEB_FORMATS)
        opened.load()
    img: Image.Image = ImageOps.exif_transpose(opened)
    alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    img = img.convert("RGBA" if alpha else "RGB")
    img.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if alpha:
        img.save(out, "PNG", optimize=False)
        ext = "png"
    else:
        img.save(out, "JPEG", quality=90)
        ext = "jpg"
    small = img.convert("RGB").resize((48, 48)).quantize(6)
    counts: list[tuple[int, int]] = sorted(small.getcolors() or [], reverse=True)  # type: ignore[arg-type]
    pal = small.getpalette() or []
    palette = ["#{:02x}{:02x}{:02x}".format(*pal[i * 3 : i * 3 + 3]) for _, i in counts]
    return out.getvalue(), ext, img.width, img.height, palette


def store_bytes(store: ArtifactStore, run_id: str, data: bytes, ext: str) -> str:
    digest = hashlib.sha256(data).hexdigest()[:20]
    return store.put(f"{run_id}/src/{digest}.{ext}", data)


async def download(fetcher: Fetcher, store: ArtifactStore, run_id: str, ref: ImageRef) -> Stored:
    if ref.inline_svg:
        data, w, h = await run_cpu(sanitize_svg, ref.inline_svg.encode("utf-8"))
        return Stored(store_bytes(store, run_id, data, "svg"), w, h, [])
    data = await fetcher.get_image(ref.url)
    if data.lstrip()[:5] in (b"<svg ", b"<?xml", b"<svg>") or ref.url.lower().split("?")[0].endswith(".svg"):
        clean, w, h = await run_cpu(sanitize_svg, data)
        return Stored(store_bytes(store, run_id, clean, "svg"), w, h, _svg_palette(clean))
    norm, ext, w, h, palette = await run_cpu(normalise_raster, data, fetcher.policy.max_image_pixels)
    return Stored(store_bytes(store, run_id, norm, ext), w, h, palette)


def _svg_palette(data: bytes) -> list[str]:
    return list(dict.fromkeys(m.lower() for m in re.findall(rb"#[0-9a-fA-F]{6}\b", data)[:12] for m in [m.decode()]))


async def collect_images(
    refs: list[ImageRef], fetcher: Fetcher, store: ArtifactStore, run_id: str, warnings_out: list[str]
) -> list[ImageAsset]:
    """Download up to MAX_IMAGES distinct images, CONCURRENCY at a time; failures become warnings."""
    unique = list({r.url: r for r in refs if not r.inline_svg}.values())[:MAX_IMAGES]
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(ref: ImageRef) -> ImageAsset | None:
        async with gate:
            try:
                stored = await download(fetcher, store, run_id, ref)
            except (FetchError, BadImage) as exc:
                warnings_out.append(f"image skipped: {ref.url}: {getattr(exc, 'message', exc)}")
                return None
        if stored.width and stored.height and min(stored.width, stored.height) < MIN_SIDE:
            return None  # icons and spacer pixels are not ad imagery
        return ImageAsset(
            url=ref.url, alt=ref.alt, nearby_text=ref.nearby_text, width=stored.width, height=stored.height, key=stored.key
        )

    results = await asyncio.gather(*(one(r) for r in unique))
    return [r for r in results if r is not None]


async def pick_logo(
    pages: list[ParsedPage], fetcher: Fetcher, store: ArtifactStore, run_id: str, warnings_out: list[str]
) -> tuple[ImageAsset | None, list[str]]:
    """The best-ranked logo candidate that downloads and verifies, with its palette."""
    tried: set[str] = set()
    for _score, ref in logo_candidates(pages)[:6]:
        if ref.url in tried:
            continue
        tried.add(ref.url)
        try:
            stored = await download(fetcher, store, run_id, ref)
        except (FetchError, BadImage) as exc:
            warnings_out.append(f"logo candidate skipped: {ref.url}: {getattr(exc, 'message', exc)}")
            continue
        asset = ImageAsset(url=ref.url, alt=ref.alt, width=stored.width, height=stored.height, key=stored.key, role="logo")
        return asset, stored.palette
    warnings_out.append("no logo found on the site")
    return None, []
