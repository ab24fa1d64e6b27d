"""The artifact store's interface, its keys and its errors, shared by the local and the S3 store.

Keys look like "<run_id>/<name>" (name may have folders: "src/<digest>.jpg") and never contain "..",
absolute parts or backslashes. Every store writes atomically: a reader sees the whole object or none.

Each operation comes twice: plain (for step code in the CPU pool's processes, which is synchronous)
and `*_async` (for the event loop: the API's routes and sweeps). A store pickles, so it can be handed
to a pool process.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from ..errors import StorageError

_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
STREAM_CHUNK_BYTES = 256 * 1024
# Bodies larger than this are uploaded in parts (S3's minimum part size is 5 MiB).
MULTIPART_CHUNK_BYTES = 8 * 1024 * 1024

# A site's SVG is never served with its own type from our origin (it could run script there).
_SERVED_AS = {"image/svg+xml": "application/octet-stream"}


class InvalidKeyError(ValueError):
    pass


class ArtifactNotFound(FileNotFoundError):
    """No artifact under this key (a FileNotFoundError, as the local store's reads always raised)."""


@dataclass(frozen=True)
class ArtifactInfo:
    key: str
    size: int
    modified: float  # seconds since the epoch


def validate_key(key: str) -> str:
    parts = key.split("/")
    if len(parts) < 2 or not all(_SAFE_PART.match(p) and ".." not in p for p in parts):
        raise InvalidKeyError(f"invalid artifact key: {key!r}")
    return key


def validate_prefix(prefix: str) -> str:
    """A listing prefix: "" (everything) or a run id / folder with its trailing "/"."""
    if prefix and not (prefix.endswith("/") and all(_SAFE_PART.match(p) for p in prefix[:-1].split("/"))):
        raise InvalidKeyError(f"invalid artifact prefix: {prefix!r}")
    return prefix


def content_type(key: str) -> str:
    return mimetypes.guess_type(key)[0] or "application/octet-stream"


def served_type(key: str) -> str:
    """The Content-Type an artifact is served with by the API."""
    media = content_type(key)
    return _SERVED_AS.get(media, media)


Body = bytes | IO[bytes]


class ArtifactStore(Protocol):
    """What the pipeline and the API need from a store; see LocalArtifactStore and S3ArtifactStore."""

    def put(self, key: str, data: Body, content_type: str | None = None) -> str: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def list_prefix(self, prefix: str = "") -> list[ArtifactInfo]: ...
    def delete_prefix(self, prefix: str) -> None: ...

    async def put_async(self, key: str, data: Body, content_type: str | None = None) -> str: ...
    async def get_async(self, key: str) -> bytes: ...
    async def exists_async(self, key: str) -> bool: ...
    async def delete_async(self, key: str) -> None: ...
    async def list_prefix_async(self, prefix: str = "") -> list[ArtifactInfo]: ...
    async def delete_prefix_async(self, prefix: str) -> None: ...

    async def head_async(self, key: str) -> ArtifactInfo:
        """Size and age of one artifact; ArtifactNotFound when there is none."""
        ...

    def stream(self, key: str, chunk_bytes: int = STREAM_CHUNK_BYTES) -> AsyncIterator[bytes]:
        """The artifact's bytes in chunks, never all in memory; ArtifactNotFound before the first chunk."""
        ...

    async def presign(self, key: str, expires_seconds: float) -> str | None:
        """A short-lived URL a browser can GET the artifact from, or None if this store has none."""
        ...

    def local_path(self, key: str) -> Path | None:
        """The artifact's file, for stores that are a directory (None for object storage)."""
        ...

    def describe(self) -> str:
        """Where the store keeps things, for logs and health (never credentials)."""
        ...


__all__ = [
    "ArtifactInfo",
    "ArtifactNotFound",
    "ArtifactStore",
    "Body",
    "InvalidKeyError",
    "StorageError",
    "content_type",
    "served_type",
    "validate_key",
    "validate_prefix",
]
