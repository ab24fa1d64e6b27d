"""The artifact store in S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, GCS interop).

Built on obstore (the Rust object_store crate): one client for the synchronous calls of step code in
the CPU pool and the async calls of the API, streamed reads, and puts that are atomic by the S3
protocol (an object appears whole when its PUT, or its multipart upload, completes, never before).
Bodies over MULTIPART_CHUNK_BYTES go up in parts.

The store pickles as its options (no client): each process builds its own client on first use and
keeps it per options (s3_client.py), so the pool's processes do not build one per call. Failures
become ArtifactNotFound or a retryable StorageError there too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import obstore

from .base import (
    MULTIPART_CHUNK_BYTES,
    STREAM_CHUNK_BYTES,
    ArtifactInfo,
    ArtifactNotFound,
    Body,
    validate_key,
    validate_prefix,
)
from .base import content_type as guess_type
from .s3_client import DELETE_BATCH, S3Options, client, errors

if TYPE_CHECKING:
    from obstore.store import S3Store


def _info(meta: Any) -> ArtifactInfo:
    return ArtifactInfo(meta["path"], int(meta["size"]), meta["last_modified"].timestamp())


def _multipart(data: Body) -> bool:
    """In parts when larger than one part, or of unknown size (a file that cannot seek)."""
    if isinstance(data, bytes | bytearray | memoryview):
        return len(data) > MULTIPART_CHUNK_BYTES
    try:
        here = data.tell()
        size = data.seek(0, 2) - here
        data.seek(here)
    except (OSError, AttributeError, ValueError):
        return True
    return size > MULTIPART_CHUNK_BYTES


class S3ArtifactStore:
    def __init__(self, options: S3Options):
        self.options = options

    @property
    def _store(self) -> S3Store:
        return client(self.options)

    def describe(self) -> str:
        o = self.options
        where = f" at {o.endpoint}" if o.endpoint else ""
        return f"s3://{o.bucket}/{o.prefix}{where}".replace(f"{o.bucket}//", f"{o.bucket}/")

    def local_path(self, key: str) -> None:
        return None

    def _put_kw(self, key: str, data: Body, ctype: str | None) -> dict[str, Any]:
        return {
            "attributes": {"Content-Type": ctype or guess_type(key)},
            "use_multipart": _multipart(data),
            "chunk_size": MULTIPART_CHUNK_BYTES,
        }

    # ------------------------------------------------------------------ synchronous (pool processes)

    def put(self, key: str, data: Body, content_type: str | None = None) -> str:
        with errors(validate_key(key), "write"):
            obstore.put(self._store, key, data, **self._put_kw(key, data, content_type))
        return key

    def get(self, key: str) -> bytes:
        with errors(validate_key(key), "read"):
            return bytes(obstore.get(self._store, key).bytes())

    def exists(self, key: str) -> bool:
        try:
            validate_key(key)
        except ValueError:
            return False
        try:
            with errors(key, "look up"):
                obstore.head(self._store, key)
            return True
        except ArtifactNotFound:
            return False

    def delete(self, key: str) -> None:
        with errors(validate_key(key), "delete"):
            obstore.delete(self._store, key)  # deleting a missing key is no error in S3

    def list_prefix(self, prefix: str = "") -> list[ArtifactInfo]:
        with errors(validate_prefix(prefix), "list"):
            return sorted((_info(m) for page in obstore.list(self._store, prefix or None) for m in page), key=lambda a: a.key)

    def delete_prefix(self, prefix: str) -> None:
        keys = [a.key for a in self.list_prefix(validate_prefix(prefix))] if prefix else []
        for i in range(0, len(keys), DELETE_BATCH):
            with errors(prefix, "delete"):
                obstore.delete(self._store, keys[i : i + DELETE_BATCH])

    # ------------------------------------------------------------------ asynchronous (event loop)

    async def put_async(self, key: str, data: Body, content_type: str | None = None) -> str:
        with errors(validate_key(key), "write"):
            await obstore.put_async(self._store, key, data, **self._put_kw(key, data, content_type))
        return key

    async def get_async(self, key: str) -> bytes:
        with errors(validate_key(key), "read"):
            result = await obstore.get_async(self._store, key)
            return bytes(await result.bytes_async())

    async def exists_async(self, key: str) -> bool:
        try:
            await self.head_async(key)
            return True
        except (ArtifactNotFound, ValueError):
            return False

    async def head_async(self, key: str) -> ArtifactInfo:
        with errors(validate_key(key), "look up"):
            return _info(await obstore.head_async(self._store, key))

    async def delete_async(self, key: str) -> None:
        with errors(validate_key(key), "delete"):
            await obstore.delete_async(self._store, key)

    async def list_prefix_async(self, prefix: str = "") -> list[ArtifactInfo]:
        found: list[ArtifactInfo] = []
        with errors(validate_prefix(prefix), "list"):
            async for page in obstore.list(self._store, prefix or None):
                found.extend(_info(m) for m in page)
        return sorted(found, key=lambda a: a.key)

    async def delete_prefix_async(self, prefix: str) -> None:
        keys = [a.key for a in await self.list_prefix_async(validate_prefix(prefix))] if prefix else []
        for i in range(0, len(keys), DELETE_BATCH):
            with errors(prefix, "delete"):
                await obstore.delete_async(self._store, keys[i : i + DELETE_BATCH])

    async def stream(self, key: str, chunk_bytes: int = STREAM_CHUNK_BYTES) -> AsyncIterator[bytes]:
        with errors(validate_key(key), "read"):
            result = await obstore.get_async(self._store, key)
            async for chunk in result.stream(min_chunk_size=chunk_bytes):
                yield bytes(chunk)

    async def presign(self, key: str, expires_seconds: float) -> str | None:
        with errors(validate_key(key), "sign a URL for"):
            return await obstore.sign_async(self._store, "GET", key, timedelta(seconds=expires_seconds))
