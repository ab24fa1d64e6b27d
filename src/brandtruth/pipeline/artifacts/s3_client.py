"""The obstore client behind the S3 store: its options, one client per options per process, and how
its failures become ArtifactNotFound or a retryable StorageError.

Failures that are not "no such key" become StorageError: the step's retry policy (Temporal's, or the
local engine's) tries again RETRY_AFTER_SECONDS later, after the client's own two quick retries for a
dropped connection.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from obstore.exceptions import NotFoundError

from ..errors import StorageError
from .base import ArtifactNotFound

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


def client(opts: S3Options) -> S3Store:
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
def errors(key: str, what: str) -> Iterator[None]:
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
