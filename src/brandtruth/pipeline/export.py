"""Export: the approved variants' creatives and a manifest.json, packed into one zip.

The zip is byte-for-byte deterministic for the same inputs (sorted entries, fixed timestamps), so a
retried export overwrites the bundle with identical bytes.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from typing import Any

from .artifacts import ArtifactStore
from .compose.finals import ensure_finals
from .models import ExportInput, ExportOutput

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SPOOL_BYTES = 8 * 1024 * 1024
HASH_CHUNK_BYTES = 1024 * 1024
MANIFEST_VERSION = 1


def bundle_key(run_id: str) -> str:
    return f"{run_id}/export/brandtruth-{run_id}.zip"


def build_manifest(inp: ExportInput) -> dict[str, Any]:
    facts = {f.id: f for f in inp.brand.facts}
    scores = {s.variant_id: s for s in inp.scores}
    variants = []
    for v in inp.variants:
        fact_ids = list(dict.fromkeys(v.fact_ids + [fid for c in v.claims for fid in c.fact_ids]))
        score = scores.get(v.id)
        variants.append(
            {
                "id": v.id,
                "revision": v.revision,
                "angle": v.angle,
                "headline": v.headline,
                "body": v.body,
                "description": v.description,
                "cta": v.cta,
                "claims": [
                    {
                        "text": c.text,
                        "evidence": [
                            {"fact_id": fid, "sentence": facts[fid].evidence, "source_url": facts[fid].source_url}
                            for fid in c.fact_ids
                            if fid in facts
                        ],
                    }
                    for c in v.claims
                ],
                "evidence": [
                    {"fact_id": fid, "sentence": facts[fid].evidence, "source_url": facts[fid].source_url}
                    for fid in fact_ids
                    if fid in facts
                ],
                "truth_verdict": v.truth.verdict if v.truth else None,
                "score": score.score if score else None,
                "score_breakdown": [c.model_dump() for c in score.components] if score else [],
                "creatives": [
                    {
                        "format": c.format,
                        "width": c.width,
                        "height": c.height,
                        "files": [_entry_name(k) for k in (c.key, c.jpeg_key) if k],
                        "contrast": c.contrast,
                    }
                    for c in inp.creatives
                    if c.variant_id == v.id
                ],
            }
        )
    return {
        "manifest_version": MANIFEST_VERSION,
        "run_id": inp.run_id,
        "brand": {"name": inp.brand.name, "url": inp.brand.url},
        "variants": variants,
        "decisions": [d.model_dump(mode="json") for d in inp.decisions],
    }


def _entry_name(key: str) -> str:
    return "creatives/" + key.rsplit("/", 1)[-1]


def export_bundle(inp: ExportInput, store: ArtifactStore) -> ExportOutput:
    """The bundle of the approved variants; their lossless PNGs are rendered here if not yet (CPU work)."""
    approved = {v.id for v in inp.variants}
    ensure_finals(store, [c for c in inp.creatives if c.variant_id in approved])
    manifest = build_manifest(inp)
    # One creative in memory at a time, and the zip spooled to disk past SPOOL_BYTES, then uploaded
    # from the file (in parts when large): a big export no longer holds every creative twice in memory.
    sources: dict[str, str | bytes] = {"manifest.json": json.dumps(manifest, indent=2, sort_keys=True).encode()}
    for c in inp.creatives:
        for key in (c.key, c.jpeg_key):
            if key and c.variant_id in approved:
                sources[_entry_name(key)] = key
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(sources):
                info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                source = sources[name]
                zf.writestr(info, store.get(source) if isinstance(source, str) else source)
        size, digest = out.tell(), hashlib.sha256()
        out.seek(0)
        while chunk := out.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
        out.seek(0)
        key = store.put(bundle_key(inp.run_id), out, content_type="application/zip")
    return ExportOutput(key=key, size_bytes=size, files=sorted(sources), sha256=digest.hexdigest())
