"""Export bundles are written to the artifact store, either one, streamed: one creative in memory at
a time, the zip spooled to disk when large and uploaded from the file (in parts on S3)."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

from brandtruth.pipeline.artifacts import ArtifactStore, S3ArtifactStore
from brandtruth.pipeline.export import SPOOL_BYTES, bundle_key, export_bundle
from brandtruth.pipeline.models import ExportInput
from tests.pipeline.creative_factory import VARIANTS, make_brand
from tests.pipeline.test_compose_finals import _compose
from tests.storage.conftest import BUCKET, S3Server, unique_prefix


def _export(store: ArtifactStore, big: bool = False) -> tuple[ExportInput, bytes]:
    brand = make_brand(store)
    creatives = _compose(store, brand)
    approved = [c for c in creatives if c.variant_id == VARIANTS[0].id]
    if big:  # incompressible stand-ins for large PNGs: the zip outgrows the in-memory spool
        for c in approved:
            store.put(c.key, os.urandom(SPOOL_BYTES // 2 + 1024))
    inp = ExportInput(run_id="run1", brand=brand, variants=VARIANTS[:1], creatives=creatives)
    out = export_bundle(inp, store)
    data = store.get(bundle_key("run1"))
    assert out.key == bundle_key("run1")
    assert out.size_bytes == len(data) and out.sha256 == hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == out.files and zf.testzip() is None
        for c in approved:
            assert zf.read("creatives/" + c.key.rsplit("/", 1)[-1]) == store.get(c.key)
    return inp, data


def test_export_bundle_is_in_the_store_and_a_retry_writes_the_same_bytes(any_store: ArtifactStore) -> None:
    inp, first = _export(any_store)
    export_bundle(inp, any_store)
    assert any_store.get(bundle_key("run1")) == first


def test_local_and_s3_bundles_are_the_same_bytes(tmp_path: Path, s3_server: S3Server) -> None:
    from brandtruth.pipeline.artifacts import LocalArtifactStore

    _, local = _export(LocalArtifactStore(tmp_path / "a"))
    _, s3 = _export(S3ArtifactStore(s3_server.options(unique_prefix())))
    assert local == s3


def test_a_bundle_larger_than_the_spool_goes_up_in_parts(s3_server: S3Server) -> None:
    prefix = unique_prefix()
    _, data = _export(S3ArtifactStore(s3_server.options(prefix)), big=True)
    assert len(data) > SPOOL_BYTES
    head = s3_server.boto().head_object(Bucket=BUCKET, Key=f"{prefix}/{bundle_key('run1')}")
    assert head["ContentType"] == "application/zip" and "-" in head["ETag"].strip('"'), head["ETag"]
