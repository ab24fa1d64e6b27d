"""Artifact store: where images, creatives and export bundles live, so payloads carry keys, never bytes.

One interface (base.ArtifactStore), two stores: a local directory (local.py, the default) and
S3-compatible object storage (s3.py), chosen by `open_store` from the artifacts URL in Settings.
`retention.py` sweeps old runs out of either.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .base import (
    ArtifactInfo,
    ArtifactNotFound,
    ArtifactStore,
    InvalidKeyError,
    StorageError,
    content_type,
    served_type,
    validate_key,
)
from .local import LocalArtifactStore
from .retention import remove_runs_older_than, stale_runs, sweep
from .s3 import S3ArtifactStore
from .s3_client import S3Options

PROBE_PREFIX = "brandtruth-probe/"


async def unreachable(store: ArtifactStore) -> str | None:
    """Why the store cannot be used (no such bucket, refused keys, no route), or None when it answers."""
    try:
        await store.list_prefix_async(PROBE_PREFIX)  # a HEAD cannot tell a missing bucket from a missing key
    except (StorageError, OSError) as exc:
        return getattr(exc, "message", None) or str(exc)
    return None


async def report_store(store: ArtifactStore, log: logging.Logger) -> bool:
    """Log where artifacts go, or clearly why that store cannot be used (at start-up); True if usable."""
    problem = await unreachable(store)
    if problem:
        log.warning(
            "artifact store %s cannot be used: %s. Steps that write or read artifacts fail (and are retried) "
            "until it can; check BRANDTRUTH_ARTIFACTS_URL (the bucket must exist), AWS_ENDPOINT_URL and the keys.",
            store.describe(),
            problem,
        )
        return False
    log.info("artifacts are kept in %s", store.describe())
    return True


def open_store(url: str | None, local_root: Path, s3: dict[str, str | None] | None = None) -> ArtifactStore:
    """`s3://bucket/prefix` opens object storage (endpoint, region and keys in `s3`); no URL, a
    `file://` URL or a plain path opens a local directory (`local_root` when there is no URL)."""
    if not url:
        return LocalArtifactStore(local_root)
    if url.startswith(("s3://", "s3a://")):
        return S3ArtifactStore(S3Options.from_url(url, **(s3 or {})))
    if url.startswith("file://"):
        return LocalArtifactStore(url.removeprefix("file://"))
    if "://" in url:
        raise ValueError(f"artifacts URL {url!r}: use s3://bucket/prefix (S3, MinIO, R2, GCS interop) or a directory")
    return LocalArtifactStore(url)


__all__ = [
    "ArtifactInfo",
    "ArtifactNotFound",
    "ArtifactStore",
    "InvalidKeyError",
    "LocalArtifactStore",
    "S3ArtifactStore",
    "S3Options",
    "StorageError",
    "content_type",
    "open_store",
    "remove_runs_older_than",
    "report_store",
    "served_type",
    "stale_runs",
    "sweep",
    "unreachable",
    "validate_key",
]
