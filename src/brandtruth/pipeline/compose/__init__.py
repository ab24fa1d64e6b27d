"""Compose step: render each copy variant into finished creatives, one per requested format.

What a reviewer looks at is rendered first: `compose_creative` writes the full-size JPEG and the
thumbnail of one creative. The lossless PNG (the Creative's primary key and URL) is a *final*: it is
rendered for the approved variants by export, or on the first request for it (finals.py), from the
variant's recipe stored beside its creatives.

Both are deterministic (same input, same bytes) and idempotent (files are overwritten atomically
under stable keys), so a retried activity is safe.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..artifacts import ArtifactStore
from ..models import ComposeInput, ComposeOutput, Creative
from ..score.visual import measure_palette
from .finals import creative_key, ensure_finals, is_final, render_final, render_for, write_recipe
from .output import contact_sheet, encode_jpeg, encode_png, thumbnail
from .render import Rendered, render_creative

__all__ = [
    "Rendered",
    "artifact_url",
    "compose_creative",
    "compose_variant",
    "contact_sheet",
    "creative_key",
    "ensure_finals",
    "render_creative",
    "is_final",
    "render_final",
]

PREVIEW_OUTPUTS = ("jpeg", "thumb")  # what review needs; the PNG is rendered when asked for
ALL_OUTPUTS = ("png", "jpeg", "thumb")


def artifact_url(key: str) -> str:
    """Where the API serves an artifact (GET /workflow/artifacts/{workflow_id}/{name})."""
    return f"/workflow/artifacts/{key}"


def compose_creative(inp: ComposeInput, fmt: str, store: ArtifactStore, outputs: Sequence[str] = PREVIEW_OUTPUTS) -> Creative:
    """Render `inp.variant` in `fmt` and write the encodings in `outputs` ("png", "jpeg", "thumb").

    The Creative's key and URL are always the PNG's, written or not: a final not yet rendered is
    rendered on its first request. The variant's recipe is written with its first format.
    """
    variant = inp.variant
    if fmt == inp.formats[0]:
        write_recipe(inp, store)
    rendered, reason, source_url = render_for(inp, fmt, store)
    png_key = creative_key(inp.run_id, variant.id, variant.revision, fmt, "png")
    jpeg_key = creative_key(inp.run_id, variant.id, variant.revision, fmt, "jpg")
    thumb_key = creative_key(inp.run_id, variant.id, variant.revision, f"{fmt}-thumb", "jpg")
    if "png" in outputs:
        store.put(png_key, encode_png(rendered.image))
    if "jpeg" in outputs:
        store.put(jpeg_key, encode_jpeg(rendered.image))
    thumb = thumbnail(rendered.image)  # also the palette probe's source: one downscale, not two
    if "thumb" in outputs:
        store.put(thumb_key, encode_jpeg(thumb, quality=80))
    w, h = rendered.image.size
    return Creative(
        variant_id=variant.id,
        format=fmt,
        width=w,
        height=h,
        key=png_key,
        jpeg_key=jpeg_key if "jpeg" in outputs else None,
        thumb_key=thumb_key if "thumb" in outputs else None,
        image_url=artifact_url(png_key),
        reason=reason,
        contrast=rendered.contrast,
        revision=variant.revision,
        text_area_ratio=rendered.text_area_ratio,
        palette=measure_palette(thumb),  # a 128 px probe either way
        text_boxes={name: list(box) for name, box in rendered.text_boxes.items()},
        source_image_url=source_url,
        upscale=round(rendered.upscale, 3) if rendered.upscale is not None else None,
    )


def compose_variant(inp: ComposeInput, store: ArtifactStore, outputs: Sequence[str] = PREVIEW_OUTPUTS) -> ComposeOutput:
    """Every format of `inp.formats` in turn (one process); the steps run one job per format instead."""
    return ComposeOutput(creatives=[compose_creative(inp, fmt, store, outputs) for fmt in inp.formats])
