"""Lossless finals (issue 19): review gets the JPEG and thumbnail; the PNG is rendered later, from the
variant's recipe, with exactly the pixels the JPEG was encoded from: by export for approved variants,
or on request (once) for any other."""

from __future__ import annotations

import io
import json
import zipfile

from PIL import Image

from brandtruth.pipeline.compose import ALL_OUTPUTS, compose_variant, is_final, render_final
from brandtruth.pipeline.export import export_bundle
from brandtruth.pipeline.match import match_images
from brandtruth.pipeline.models import ComposeInput, Creative, ExportInput, MatchInput
from tests.pipeline.creative_factory import VARIANTS, make_brand, new_store


def _compose(store, brand, variants=VARIANTS[:2], outputs=None) -> list[Creative]:
    matches = match_images(MatchInput(run_id="run1", brand=brand, variants=variants), store).matches
    out: list[Creative] = []
    for v in variants:
        inp = ComposeInput(run_id="run1", brand=brand, variant=v, matches=[m for m in matches if m.variant_id == v.id])
        out += (compose_variant(inp, store, outputs) if outputs else compose_variant(inp, store)).creatives
    return out


def test_a_final_rendered_later_is_the_png_compose_would_have_written(tmp_path):
    eager, lazy = new_store(tmp_path / "eager"), new_store(tmp_path / "lazy")
    written = _compose(eager, make_brand(eager), outputs=ALL_OUTPUTS)
    reviewed = _compose(lazy, make_brand(lazy))
    assert [c.model_dump() for c in written] == [c.model_dump() for c in reviewed]  # same keys, URLs, measures
    for c in reviewed:
        assert is_final(c.key) and not lazy.exists(c.key)
        assert render_final(lazy, c.key)
        assert lazy.get(c.key) == eager.get(c.key), c.key
        with Image.open(io.BytesIO(lazy.get(c.key))) as im:
            assert im.format == "PNG" and im.size == (c.width, c.height)


def test_a_final_is_rendered_once(tmp_path, monkeypatch):
    store = new_store(tmp_path)
    c = _compose(store, make_brand(store))[0]
    puts: list[str] = []
    real_put = store.put
    monkeypatch.setattr(store, "put", lambda key, data, *a, **kw: puts.append(key) or real_put(key, data, *a, **kw))
    assert render_final(store, c.key) and render_final(store, c.key)
    assert puts == [c.key]


def test_only_a_creatives_png_with_a_recipe_is_rendered(tmp_path):
    store = new_store(tmp_path)
    c = _compose(store, make_brand(store))[0]
    assert not render_final(store, c.jpeg_key or "")  # not a final
    assert not render_final(store, "run1/creatives/v9-r1-square.png")  # no such variant composed
    assert not render_final(store, c.key.replace("-r1-", "-r7-"))  # nor such revision
    assert not is_final("run1/creatives/contact-sheet-0123456789abcdef.png")


def test_export_renders_the_approved_variants_pngs_only_and_ships_them(tmp_path):
    store = new_store(tmp_path)
    brand = make_brand(store)
    creatives = _compose(store, brand)
    approved = [VARIANTS[0]]
    out = export_bundle(ExportInput(run_id="run1", brand=brand, variants=approved, creatives=creatives), store)
    mine = [c for c in creatives if c.variant_id == VARIANTS[0].id]
    others = [c for c in creatives if c.variant_id != VARIANTS[0].id]
    assert all(store.exists(c.key) for c in mine) and not any(store.exists(c.key) for c in others)
    with zipfile.ZipFile(io.BytesIO(store.get(out.key))) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        for c in mine:
            png = "creatives/" + c.key.rsplit("/", 1)[-1]
            assert png in names and zf.read(png) == store.get(c.key)
    assert not any(c.key.rsplit("/", 1)[-1] in n for c in others for n in names)
    (variant,) = manifest["variants"]
    name = lambda key: "creatives/" + key.rsplit("/", 1)[-1]  # noqa: E731
    assert [cr["files"] for cr in variant["creatives"]] == [[name(c.key), name(c.jpeg_key)] for c in mine]
