"""Hand-built brands and Pillow-drawn images for the match and compose tests (no network, no fixtures)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.models import BrandColors, BrandProfile, CopyVariant, ImageAsset


def scene(
    size: tuple[int, int],
    sky: tuple[int, int, int],
    ground: tuple[int, int, int],
    subject: tuple[int, int, int],
    subject_at: tuple[float, float] = (0.7, 0.45),
) -> Image.Image:
    """A deterministic 'photo': sky gradient, hills and a bright, busy subject off-centre."""
    w, h = size
    img = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        draw.line([(0, y), (w, y)], fill=tuple(int(c * (1 - 0.35 * t)) for c in sky))
    draw.polygon([(0, int(h * 0.7)), (w * 0.4, int(h * 0.55)), (w, int(h * 0.75)), (w, h), (0, h)], fill=ground)
    cx, cy, r = int(w * subject_at[0]), int(h * subject_at[1]), int(min(w, h) * 0.16)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=subject)
    for i in range(0, 2 * r, max(4, r // 8)):
        draw.line([(cx - r + i, cy - r), (cx - r + i, cy + r)], fill=(255, 255, 255), width=2)
    return img


def logo_png(text_colour: tuple[int, int, int] = (20, 30, 60)) -> Image.Image:
    img = Image.new("RGBA", (420, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, 112, 112), fill=(*text_colour, 255))
    draw.rectangle((140, 40, 400, 80), fill=(*text_colour, 255))
    return img


def put_image(store: LocalArtifactStore, key: str, img: Image.Image, fmt: str = "JPEG") -> str:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return store.put(key, buf.getvalue())


def make_brand(
    store: LocalArtifactStore,
    run_id: str = "run1",
    *,
    with_logo: bool = True,
    colors: BrandColors | None = None,
    images: bool = True,
) -> BrandProfile:
    assets = []
    if images:
        specs = [
            (
                "bread-oven.jpg",
                "Fresh sourdough bread from our wood-fired oven",
                (1600, 1000),
                (250, 200, 150),
                (120, 80, 40),
                (230, 120, 40),
            ),
            (
                "coffee-cup.jpg",
                "Barista pouring coffee in a ceramic cup",
                (1200, 1500),
                (200, 220, 240),
                (60, 60, 70),
                (150, 90, 50),
            ),
            (
                "delivery-van.jpg",
                "Delivery van for same-day delivery across town",
                (2000, 1100),
                (170, 210, 250),
                (90, 130, 80),
                (240, 240, 250),
            ),
            ("tiny-icon.png", "Fresh bread icon", (120, 120), (255, 255, 255), (0, 0, 0), (200, 50, 50)),
        ]
        for name, alt, size, sky, ground, subject in specs:
            key = put_image(
                store, f"{run_id}/images/{name}", scene(size, sky, ground, subject), "PNG" if name.endswith("png") else "JPEG"
            )
            assets.append(ImageAsset(url=f"https://bakery.example/img/{name}", alt=alt, key=key, width=size[0], height=size[1]))
    logo = None
    if with_logo:
        key = put_image(store, f"{run_id}/images/logo.png", logo_png(), "PNG")
        logo = ImageAsset(
            url="https://bakery.example/logo.png", alt="Crumb & Co logo", key=key, role="logo", width=420, height=120
        )
        assets.append(logo)
    return BrandProfile(
        url="https://bakery.example",
        name="Crumb & Co",
        tagline="Bread worth waking up for",
        colors=colors
        or BrandColors(primary="#7c2d12", secondary="#fed7aa", accent="#f59e0b", background="#fffbeb", text="#1c1917"),
        logo=logo,
        images=assets,
    )


VARIANTS = [
    CopyVariant(
        id="v1",
        angle="quality",
        headline="Sourdough baked fresh in a wood-fired oven every morning",
        body="Our bread rises for 36 hours before it meets the oven. Taste the difference a slow ferment makes.",
        cta="Order today",
    ),
    CopyVariant(
        id="v2",
        angle="convenience",
        headline="Same-day delivery across town",
        body="Order by 10am and your loaf arrives warm the same afternoon.",
        cta="Get delivery",
    ),
    CopyVariant(
        id="v3",
        angle="coffee",
        headline="Coffee poured by baristas who care",
        body="Single-origin beans, roasted weekly, poured in a ceramic cup.",
        cta="Visit us",
    ),
]


def new_store(tmp: Path) -> LocalArtifactStore:
    return LocalArtifactStore(tmp / "artifacts")
