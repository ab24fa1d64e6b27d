"""Artifact store: where images and creatives live, so payloads carry keys and never bytes.

Keys look like "<run_id>/<name>" and never contain "..", absolute parts or backslashes.
The local-filesystem store is shared by worker and API through a common root directory.
"""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Protocol

_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class InvalidKeyError(ValueError):
    pass


def validate_key(key: str) -> str:
    parts = key.split("/")
    if len(parts) < 2 or not all(_SAFE_PART.match(p) and ".." not in p for p in parts):
        raise InvalidKeyError(f"invalid artifact key: {key!r}")
    return key


class ArtifactStore(Protocol):
    def put(self, key: str, data: bytes) -> str: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def path(self, key: str) -> Path: ...


class LocalArtifactStore:
    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        target = (self.root / validate_key(key)).resolve()
        if self.root not in target.parents:
            raise InvalidKeyError(f"artifact key escapes the store: {key!r}")
        return target

    def put(self, key: str, data: bytes) -> str:
        """Write atomically (temp file + rename) so a retried step overwrites safely."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except InvalidKeyError:
            return False


def remove_runs_older_than(store: LocalArtifactStore, max_age_seconds: float, keep: set[str] | None = None) -> list[str]:
    """Delete the artifact folders of runs untouched for `max_age_seconds` (retention), except `keep`.

    A run's folder counts as touched when any file in it was written; a revision or export keeps it.
    """
    cutoff = time.time() - max_age_seconds
    removed = []
    for run_dir in store.root.iterdir():
        if not run_dir.is_dir() or (keep and run_dir.name in keep):
            continue
        newest = max((p.stat().st_mtime for p in run_dir.rglob("*") if p.is_file()), default=run_dir.stat().st_mtime)
        if newest < cutoff:
            shutil.rmtree(run_dir, ignore_errors=True)
            removed.append(run_dir.name)
    return removed


def content_type(key: str) -> str:
    return mimetypes.guess_type(key)[0] or "application/octet-stream"
