"""Compose step: render each copy variant into finished creatives, one per requested format.

`compose_variant` is what both engines call; it is deterministic (same input, same bytes) and
idempotent (files are overwritten atomically under stable keys), so a retried activity is safe.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..artifacts import ArtifactStore
from ..models import ComposeInput, ComposeOutput, Creative, ImageMatch
from ..score.visual import measure_palette
from .output import contact_sheet, encode_jpeg, encode_png, load_image, thumbnail
from .render import Rendered, render_creative

__all__ = ["compose_variant", "contact_sheet", "render_creative", "Rendered", "creative_key"]

ALL_OUTPUTS = ("png", "jpeg", "thumb")


def creative_key(run_id: str, variant_id: str, revision: int, fmt: str, ext: str = "png") -> str:
    return f"{run_id}/creatives/{variant_id}-r{revision}-{fmt}.{ext}"


def artifact_url(key: str) -> str:
    """Where the API serves an artifact (GET /workflow/artifacts/{workflow_id}/{name})."""
    return f"/workflow/artifacts/{key}"


def _match_for(matches: Sequence[ImageMatch], fmt: str) -> ImageMatch | None:
    return next((m for m in matches if m.format == fmt), None)


def compose_variant(inp: ComposeInput, store: ArtifactStore, outputs: Sequence[str] = ALL_OUTPUTS) -> ComposeOutput:
    """Render `inp.variant` in every format of `inp.formats` and write the files to `store`.

    `outputs` picks the encodings ("png", "jpeg", "thumb"); the pipeline writes all three, the
    benchmark can measure a JPEG-only path. The PNG key is always the Creative's primary key.
    """
    brand, variant = inp.brand, inp.variant
    logo = load_image(store, brand.logo.key, "RGBA") if brand.logo else None
    sources: dict[str, object] = {}
    creatives: list[Creative] = []
    for fmt in inp.formats:
        match = _match_for(inp.matches, fmt)
        hero, reason = None, match.reason if match else "No image was matched; brand background."
        if match and match.image and match.image.key and not match.background:
            key = match.image.key
            if key not in sources:
                sources[key] = load_image(store, key)
            hero = sources[key]
            if hero is None:
                reason = f"Image {match.image.url} could not be read; brand background instead."
        rendered = render_creative(brand, variant, fmt, hero, logo)  # type: ignore[arg-type]
        png_key = creative_key(inp.run_id, variant.id, variant.revision, fmt, "png")
        jpeg_key = creative_key(inp.run_id, variant.id, variant.revision, fmt, "jpg")
        thumb_key = creative_key(inp.run_id, variant.id, variant.revision, f"{fmt}-thumb", "jpg")
        primary = png_key if "png" in outputs else jpeg_key
        if "png" in outputs:
            store.put(png_key, encode_png(rendered.image))
        if "jpeg" in outputs or "png" not in outputs:
            store.put(jpeg_key, encode_jpeg(rendered.image))
        if "thumb" in outputs:
            store.put(thumb_key, encode_jpeg(thumbnail(rendered.image), quality=80))
        w, h = rendered.image.size
        creatives.append(
            Creative(
                variant_id=variant.id,
                format=fmt,
                width=w,
                height=h,
                key=primary,
                jpeg_key=jpeg_key if ("jpeg" in outputs or "png" not in outputs) else None,
                thumb_key=thumb_key if "thumb" in outputs else None,
                image_url=artifact_url(primary),
                reason=reason,
                contrast=rendered.contrast,
                revision=variant.revision,
                text_area_ratio=rendered.text_area_ratio,
                palette=measure_palette(rendered.image.reduce(4)),  # same 128px probe, less copying
                text_boxes={name: list(box) for name, box in rendered.text_boxes.items()},
                source_image_url=match.image.url if hero is not None and match and match.image else None,
                upscale=round(rendered.upscale, 3) if rendered.upscale is not None else None,
            )
        )
    return ComposeOutput(creatives=creatives)
