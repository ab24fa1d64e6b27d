"""Logo ranking and image download: verified with Pillow, normalised, written to the artifact store."""

from __future__ import annotations

import asyncio
import hashlib
import io
import itertools
import re
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ..artifacts import ArtifactStore
from ..cpu import run_cpu
from ..errors import FetchError
from ..fetch import Fetcher
from ..models import ImageAsset
from ..urls import join
from .page import ImageRef, ParsedPage
from .svg import BadImage, rasterize_svg, sanitize_svg, svg_size  # noqa: F401 (BadImage, sanitize_svg re-exported)
from .tailwind import class_colour

MAX_SIDE = 2048
MIN_SIDE = 48
MAX_IMAGES = 12
CONCURRENCY = 4
RUN_PIXEL_BUDGET = 100_000_000  # decoded pixels per run: ~25 ordinary 4-megapixel photos


@dataclass
class Stored:
    key: str
    width: int
    height: int
    palette: list[str]
    icon_sized: bool = False  # an SVG declared smaller than MIN_SIDE: drawn larger, but still an icon
    from_svg: bool = False


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
                joined = join(home.url, logo)
                if joined is not None:
                    scored.append((90, ImageRef(joined, "", hints="jsonld logo")))
    for rank, page in enumerate(pages[:3]):
        for img in page.images:
            if img.others:
                continue  # a wall of customers', partners' or press logos: theirs, not the brand's
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
    og = join(home.url, og) if og else None
    if og:
        scored.append((10, ImageRef(og, "", hints="og:image")))
    scored.sort(key=lambda pair: -pair[0])
    return scored


# What browsers show in an <img>. Pillow reads dozens more (PPM, PSD, EPS via Ghostscript...), none of
# which a brand site serves as imagery and each of which is more decoder surface for hostile bytes.
WEB_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "ICO", "AVIF")
# Pillow's decoders signal malformed input with any of these, not only OSError (e.g. ValueError
# "not enough image data" from a truncated PPM, struct.error from a short header).
DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    ZeroDivisionError,
    struct.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
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
            raise BadImage(f"{probe.width}x{probe.height} pixels is over the {max_pixels:,}-pixel limit (decompression bomb?)")
        probe.verify()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        opened: Image.Image = Image.open(io.BytesIO(data), formats=WEB_FORMATS)
        if opened.mode in ("P", "1"):  # palette images resize by nearest neighbour: convert them first
            opened = opened.convert("RGBA" if "transparency" in opened.info else "RGB")
        # Shrink first, convert after: thumbnail() decodes JPEGs at a reduced scale (draft) and
        # replaces the full-size buffer in place, so at most one full-size copy ever exists. Turning
        # and converting the full image first held three (a 36-megapixel PNG: +410 MB, now +190 MB).
        opened.thumbnail((MAX_SIDE, MAX_SIDE))
    img: Image.Image = ImageOps.exif_transpose(opened)
    alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    img = img.convert("RGBA" if alpha else "RGB")
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


class PixelBudget:
    """Pixels a run may decode in all: small files can declare huge images (four 36-megapixel PNGs of
    ~50 KB each once took 460 MB of worker memory), so the declared size is charged before decoding."""

    def __init__(self, pixels: int):
        self.left = pixels

    def charge(self, data: bytes) -> None:
        try:
            with Image.open(io.BytesIO(data)) as probe:  # reads the header only
                pixels = probe.width * probe.height
        except DECODE_ERRORS:
            return  # not a raster we know: normalise_raster says why
        if pixels > self.left:
            raise BadImage(
                f"{pixels / 1e6:.0f} megapixels is more than the {self.left / 1e6:.0f} left of this run's "
                "image budget; the site's other images are used"
            )
        self.left -= pixels


async def download(
    fetcher: Fetcher, store: ArtifactStore, run_id: str, ref: ImageRef, budget: PixelBudget | None = None
) -> Stored:
    """Fetch (or take the inline markup of) one image and store it verified; SVG is stored drawn, as PNG."""
    if ref.inline_svg:
        data = ref.inline_svg.encode("utf-8")
    else:
        data = await fetcher.get_image(ref.url)
    if ref.inline_svg or looks_like_svg(data, ref.url):
        return await _store_svg(store, run_id, data, fetcher.policy.max_image_pixels, _text_colour(ref.hints))
    if budget is not None:
        budget.charge(data)
    norm, ext, w, h, palette = await run_cpu(normalise_raster, data, fetcher.policy.max_image_pixels)
    # Hashing and writing up to ~17 MB (a noisy 2048px PNG) took 80-140 ms: a thread, not the loop.
    return Stored(await asyncio.to_thread(store_bytes, store, run_id, norm, ext), w, h, palette)


def looks_like_svg(data: bytes, url: str = "") -> bool:
    head = data.lstrip()[:256].lower()
    return (
        head.startswith((b"<svg", b"<?xml"))
        and b"<svg" in data[:4096].lower()
        or (url.lower().split("?")[0].endswith(".svg") and b"<svg" in data[:4096].lower())
    )


async def _store_svg(store: ArtifactStore, run_id: str, data: bytes, max_pixels: int, colour: str | None) -> Stored:
    """Never keep SVG (a document that can carry script): draw it to PNG, then verify that like any image."""
    png, declared = await run_cpu(_draw_svg, data, colour)  # BadSvg is a BadImage: the callers' warnings cover it
    norm, ext, w, h, palette = await run_cpu(normalise_raster, png, max_pixels)
    small = 0 < min(declared) < MIN_SIDE
    key = await asyncio.to_thread(store_bytes, store, run_id, norm, ext)
    return Stored(key, w, h, _svg_palette(data) or palette, small, True)


def _draw_svg(data: bytes, colour: str | None = None) -> tuple[bytes, tuple[int, int]]:
    return rasterize_svg(data, current_color=colour), svg_size(data)


def _text_colour(hints: str) -> str | None:
    """The text colour a Tailwind class on an inline SVG gives it (`text-emerald-600`): its currentColor."""
    for word in hints.split():
        found = class_colour(word)
        if found and found[0] == "text" and not found[1]:
            return found[2]
    return None


def _svg_palette(data: bytes) -> list[str]:
    """The first 12 hex colours the SVG names (found lazily: an SVG may be megabytes of them)."""
    found = itertools.islice(re.finditer(rb"#[0-9a-fA-F]{6}\b", data), 12)
    return list(dict.fromkeys(m.group().decode().lower() for m in found))


async def collect_images(
    refs: list[ImageRef], fetcher: Fetcher, store: ArtifactStore, run_id: str, warnings_out: list[str]
) -> list[ImageAsset]:
    """Download up to MAX_IMAGES distinct images, CONCURRENCY at a time; failures become warnings."""
    unique = list({r.url: r for r in refs if not r.inline_svg}.values())[:MAX_IMAGES]
    gate = asyncio.Semaphore(CONCURRENCY)
    budget = PixelBudget(RUN_PIXEL_BUDGET)

    async def one(ref: ImageRef) -> tuple[ImageAsset, bool] | None:
        async with gate:
            try:
                stored = await download(fetcher, store, run_id, ref, budget)
            except (FetchError, BadImage) as exc:
                warnings_out.append(f"image skipped: {ref.url}: {getattr(exc, 'message', exc)}")
                return None
        if stored.icon_sized or (stored.width and stored.height and min(stored.width, stored.height) < MIN_SIDE):
            return None  # icons and spacer pixels are not ad imagery
        asset = ImageAsset(
            url=ref.url, alt=ref.alt, nearby_text=ref.nearby_text, width=stored.width, height=stored.height, key=stored.key
        )
        return asset, stored.from_svg

    results = [r for r in await asyncio.gather(*(one(r) for r in unique)) if r is not None]
    # Drawn SVG (illustrations, icons, patterns) is imagery only where the site has no photo at all.
    photos = [asset for asset, from_svg in results if not from_svg]
    return photos or [asset for asset, _ in results]


def no_photos_warning(images: list[ImageAsset]) -> str | None:
    if images:
        return None
    return (
        "no usable photos were found on the site (<img>, CSS backgrounds or og:image): "
        "creatives use a plain brand background; add the brand's photos to the run to use them"
    )


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
