"""Lossless finals: a creative's PNG is rendered only when someone will use it.

Review needs the JPEG and the thumbnail; the PNG (the Creative's primary key and URL, the file the
export ships) is rendered for the approved variants by the export step, and for any other creative
on the first request for its URL. Compose is deterministic, so a final rendered later holds exactly
the pixels its JPEG was encoded from. What it is rendered from, the variant's ComposeInput (its
*recipe*), is stored beside the creatives when the variant is composed, so a final needs nothing
but the artifact store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..artifacts import ArtifactStore
from ..models import ComposeInput, Creative
from .output import encode_png, load_image
from .render import Rendered, render_creative

_FINAL = re.compile(
    r"^(?P<run>[^/]+)/creatives/(?P<variant>[A-Za-z0-9_]+)-r(?P<revision>\d+)-(?P<fmt>square|landscape|story)\.png$"
)


def creative_key(run_id: str, variant_id: str, revision: int, fmt: str, ext: str = "png") -> str:
    return f"{run_id}/creatives/{variant_id}-r{revision}-{fmt}.{ext}"


def recipe_key(run_id: str, variant_id: str, revision: int) -> str:
    return f"{run_id}/creatives/{variant_id}-r{revision}.recipe.json"


def write_recipe(inp: ComposeInput, store: ArtifactStore) -> None:
    key = recipe_key(inp.run_id, inp.variant.id, inp.variant.revision)
    if not store.exists(key):
        store.put(key, inp.model_dump_json().encode())


def render_for(inp: ComposeInput, fmt: str, store: ArtifactStore) -> tuple[Rendered, str, str | None]:
    """The creative of `inp.variant` in `fmt`, the reason for its image, and the source photo's URL."""
    brand, variant = inp.brand, inp.variant
    logo = load_image(store, brand.logo.key, "RGBA") if brand.logo else None
    match = next((m for m in inp.matches if m.format == fmt), None)
    hero, reason = None, match.reason if match else "No image was matched; brand background."
    if match and match.image and match.image.key and not match.background:
        hero = load_image(store, match.image.key)  # decoded once per process (output.load_image)
        if hero is None:
            reason = f"Image {match.image.url} could not be read; brand background instead."
    rendered = render_creative(brand, variant, fmt, hero, logo)
    source = match.image.url if hero is not None and match and match.image else None
    return rendered, reason, source


def is_final(key: str) -> bool:
    """Whether `key` names a creative's PNG (which may not be rendered yet); no I/O."""
    return _FINAL.match(key) is not None


def render_final(store: ArtifactStore, key: str) -> bool:
    """Make sure the PNG `key` is stored: rendered from its variant's recipe unless it already is.

    False when it is not there and cannot be (not a creative's PNG, or no recipe for it). CPU work
    (a render and a lossless encode, ~0.1 s): callers run it in the CPU pool."""
    m = _FINAL.match(key)
    if m is None:
        return False
    if store.exists(key):
        return True  # rendered meanwhile (by export, or another request): never twice
    recipe = recipe_key(m["run"], m["variant"], int(m["revision"]))
    if not store.exists(recipe):
        return False
    inp = ComposeInput.model_validate_json(store.get(recipe))
    if m["fmt"] not in inp.formats:
        return False
    rendered, _, _ = render_for(inp, m["fmt"], store)
    store.put(key, encode_png(rendered.image))
    return True


def ensure_finals(store: ArtifactStore, creatives: Iterable[Creative]) -> None:
    """Render the PNG of every creative in `creatives` that does not have one yet (the export step)."""
    for c in creatives:
        render_final(store, c.key)
