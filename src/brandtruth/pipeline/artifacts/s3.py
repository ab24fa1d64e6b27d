"""The artifact store in S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, GCS interop).

Built on obstore (the Rust object_store crate): one client for the synchronous calls of step code in
the CPU pool and the async calls of the API, streamed reads, and puts that are atomic by the S3
protocol (an object appears whole when its PUT, or its multipart upload, completes, never before).
Bodies over MULTIPART_CHUNK_BYTES go up in parts.

The store pickles as its options (no client): each process builds its own client on first use and
keeps it per options, so the pool's processes do not build one per call.

Failures that are not "no such key" become StorageError, which is retryable: the step's retry
policy (Temporal's, or the local engine's) tries again, RETRY_AFTER_SECONDS later, after the client's
own two quick retries for a dropped connection.
"""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import obstore
from obstore.exceptions import NotFoundError

from ..errors import StorageError
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

if TYPE_CHECKING:
    from obstore.store import S3Store

# The client's own retries, for a blip; anything longer is the step's retry policy's to handle.
CLIENT_RETRIES = 2
# A store that is down is rarely back within a second: the step's next attempt waits this long
# (Temporal's next_retry_delay; the local engine's delay), so its few attempts span a restart.
RETRY_AFTER_SECONDS = 5.0
CONNECT_TIMEOUT = "5s"
REQUEST_TIMEOUT = "60s"
DELETE_BATCH = 1000
# S3-compatible services without the bulk DeleteObjects call: one DELETE per key there.
NO_BULK_DELETE_HOSTS = {"storage.googleapis.com"}
_S3_CODE = re.compile(r"<Code>([A-Za-z]+)</Code>")


@dataclass(frozen=True)
class S3Options:
    """Where the bucket is and how to sign; credentials left empty come from the SDK's usual chain."""

    bucket: str
    prefix: str = ""
    endpoint: str | None = None  # AWS_ENDPOINT_URL: MinIO, R2, GCS interop; empty for AWS itself
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str, **kw: Any) -> S3Options:
        parts = urlsplit(url)
        if parts.scheme not in ("s3", "s3a") or not parts.netloc:
            raise ValueError(f"artifacts URL must look like s3://bucket/prefix, got {url!r}")
        return cls(bucket=parts.netloc, prefix=parts.path.strip("/"), **kw)


_clients: dict[S3Options, S3Store] = {}
_clients_lock = threading.Lock()


def _client(opts: S3Options) -> S3Store:
    with _clients_lock:
        store = _clients.get(opts)
        if store is None:
            from obstore.store import S3Store

            config: dict[str, Any] = {
                k: v
                for k, v in {
                    "endpoint": opts.endpoint,
                    "region": opts.region,
                    "access_key_id": opts.access_key_id,
                    "secret_access_key": opts.secret_access_key,
                    "session_token": opts.session_token,
                }.items()
                if v
            }
            if opts.endpoint and urlsplit(opts.endpoint).hostname in NO_BULK_DELETE_HOSTS:
                config["disable_bulk_delete"] = True
            client_options: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT, "timeout": REQUEST_TIMEOUT}
            if opts.endpoint and opts.endpoint.startswith("http://"):
                client_options["allow_http"] = True  # MinIO in compose, a stand-in on loopback
            store = S3Store(
                opts.bucket,
                prefix=opts.prefix or None,
                config=config,  # type: ignore[arg-type]
                client_options=client_options,  # type: ignore[arg-type]
                retry_config={"max_retries": CLIENT_RETRIES, "backoff": {"init_backoff": timedelta(milliseconds=200)}},
            )
            _clients[opts] = store
        return store


@contextmanager
def _errors(key: str, what: str) -> Iterator[None]:
    try:
        yield
    except (ArtifactNotFound, StorageError):
        raise
    except (NotFoundError, FileNotFoundError) as exc:  # obstore raises the latter for a 404
        raise ArtifactNotFound(f"no artifact {key!r}") from exc
    except Exception as exc:  # obstore's errors, OSError, timeouts: the store failed, not the key
        message = f"artifact store: could not {what} {key!r}: {type(exc).__name__}: {_first_line(exc)}"
        raise StorageError(message, retry_after=RETRY_AFTER_SECONDS) from exc


def _first_line(exc: BaseException) -> str:
    """The client's own first line, and the S3 error code when the answer names one (NoSuchBucket)."""
    text = str(exc).strip()
    code = _S3_CODE.search(text)
    first = (text.splitlines() or [""])[0][:300]
    return f"{first} [{code.group(1)}]" if code else first


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
        return _client(self.options)

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
        with _errors(validate_key(key), "write"):
            obstore.put(self._store, key, data, **self._put_kw(key, data, content_type))
        return key

    def get(self, key: str) -> bytes:
        with _errors(validate_key(key), "read"):
            return bytes(obstore.get(self._store, key).bytes())

    def exists(self, key: str) -> bool:
        try:
            validate_key(key)
        except ValueError:
            return False
        try:
            with _errors(key, "look up"):
                obstore.head(self._store, key)
            return True
        except ArtifactNotFound:
            return False

    def delete(self, key: str) -> None:
        with _errors(validate_key(key), "delete"):
            obstore.delete(self._store, key)  # deleting a missing key is no error in S3

    def list_prefix(self, prefix: str = "") -> list[ArtifactInfo]:
        with _errors(validate_prefix(prefix), "list"):
            return sorted((_info(m) for page in obstore.list(self._store, prefix or None) for m in page), key=lambda a: a.key)

    def delete_prefix(self, prefix: str) -> None:
        keys = [a.key for a in self.list_prefix(validate_prefix(prefix))] if prefix else []
        for i in range(0, len(keys), DELETE_BATCH):
            with _errors(prefix, "delete"):
                obstore.delete(self._store, keys[i : i + DELETE_BATCH])

    # ------------------------------------------------------------------ asynchronous (event loop)

    async def put_async(self, key: str, data: Body, content_type: str | None = None) -> str:
        with _errors(validate_key(key), "write"):
            await obstore.put_async(self._store, key, data, **self._put_kw(key, data, content_type))
        return key

    async def get_async(self, key: str) -> bytes:
        with _errors(validate_key(key), "read"):
            result = await obstore.get_async(self._store, key)
            return bytes(await result.bytes_async())

    async def exists_async(self, key: str) -> bool:
        try:
            await self.head_async(key)
            return True
        except (ArtifactNotFound, ValueError):
            return False

    async def head_async(self, key: str) -> ArtifactInfo:
        with _errors(validate_key(key), "look up"):
            return _info(await obstore.head_async(self._store, key))

    async def delete_async(self, key: str) -> None:
        with _errors(validate_key(key), "delete"):
            await obstore.delete_async(self._store, key)

    async def list_prefix_async(self, prefix: str = "") -> list[ArtifactInfo]:
        found: list[ArtifactInfo] = []
        with _errors(validate_prefix(prefix), "list"):
            async for page in obstore.list(self._store, prefix or None):
                found.extend(_info(m) for m in page)
        return sorted(found, key=lambda a: a.key)

    async def delete_prefix_async(self, prefix: str) -> None:
        keys = [a.key for a in await self.list_prefix_async(validate_prefix(prefix))] if prefix else []
        for i in range(0, len(keys), DELETE_BATCH):
            with _errors(prefix, "delete"):
                await obstore.delete_async(self._store, keys[i : i + DELETE_BATCH])

    async def stream(self, key: str, chunk_bytes: int = STREAM_CHUNK_BYTES) -> AsyncIterator[bytes]:
        with _errors(validate_key(key), "read"):
            result = await obstore.get_async(self._store, key)
            async for chunk in result.stream(min_chunk_size=chunk_bytes):
                yield bytes(chunk)

    async def presign(self, key: str, expires_seconds: float) -> str | None:
        with _errors(validate_key(key), "sign a URL for"):
            return await obstore.sign_async(self._store, "GET", key, timedelta(seconds=expires_seconds))
