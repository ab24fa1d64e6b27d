"""The artifact store in a local directory: the default, for one machine (`--dev`, tests, one host).

Writes go to a temporary file in the target's folder and are renamed over it, so a reader (or a
retried step) never sees half a file. Async methods run the file work in a thread.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from .base import STREAM_CHUNK_BYTES, ArtifactInfo, ArtifactNotFound, Body, InvalidKeyError, validate_key, validate_prefix

TMP_PREFIX = ".tmp-"
COPY_CHUNK_BYTES = 1024 * 1024


class LocalArtifactStore:
    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def describe(self) -> str:
        return str(self.root)

    def path(self, key: str) -> Path:
        target = (self.root / validate_key(key)).resolve()
        if self.root not in target.parents:
            raise InvalidKeyError(f"artifact key escapes the store: {key!r}")
        return target

    def local_path(self, key: str) -> Path | None:
        return self.path(key)

    # ------------------------------------------------------------------ synchronous (pool processes)

    def put(self, key: str, data: Body, content_type: str | None = None) -> str:
        """Write atomically (temp file + rename) so a retried step overwrites safely."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as fh:
                if isinstance(data, bytes | bytearray | memoryview):
                    fh.write(data)
                else:
                    shutil.copyfileobj(data, fh, COPY_CHUNK_BYTES)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ArtifactNotFound(f"no artifact {key!r}") from exc

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except InvalidKeyError:
            return False

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def list_prefix(self, prefix: str = "") -> list[ArtifactInfo]:
        base = self.root / validate_prefix(prefix) if prefix else self.root
        if not base.is_dir():
            return []
        found = []
        for p in base.rglob("*"):
            if p.name.startswith(TMP_PREFIX):
                continue  # a write in progress (or one a crash left behind): not an artifact
            try:
                st = p.stat()
            except FileNotFoundError:
                continue  # removed while listing
            if p.is_file():
                found.append(ArtifactInfo(p.relative_to(self.root).as_posix(), st.st_size, st.st_mtime))
        return sorted(found, key=lambda a: a.key)

    def delete_prefix(self, prefix: str) -> None:
        """Everything under a run's folder, the folder too (retention)."""
        folder = self.root / validate_prefix(prefix)
        if prefix and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)

    # ------------------------------------------------------------------ asynchronous (event loop)

    async def put_async(self, key: str, data: Body, content_type: str | None = None) -> str:
        return await asyncio.to_thread(self.put, key, data, content_type)

    async def get_async(self, key: str) -> bytes:
        return await asyncio.to_thread(self.get, key)

    async def exists_async(self, key: str) -> bool:
        return await asyncio.to_thread(self.exists, key)

    async def delete_async(self, key: str) -> None:
        await asyncio.to_thread(self.delete, key)

    async def list_prefix_async(self, prefix: str = "") -> list[ArtifactInfo]:
        return await asyncio.to_thread(self.list_prefix, prefix)

    async def delete_prefix_async(self, prefix: str) -> None:
        await asyncio.to_thread(self.delete_prefix, prefix)

    async def head_async(self, key: str) -> ArtifactInfo:
        def head() -> ArtifactInfo:
            path = self.path(key)
            if not path.is_file():
                raise ArtifactNotFound(f"no artifact {key!r}")
            st = path.stat()
            return ArtifactInfo(key, st.st_size, st.st_mtime)

        return await asyncio.to_thread(head)

    async def stream(self, key: str, chunk_bytes: int = STREAM_CHUNK_BYTES) -> AsyncIterator[bytes]:
        path = self.path(key)
        try:
            fh = await asyncio.to_thread(path.open, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ArtifactNotFound(f"no artifact {key!r}") from exc
        try:  # the open file is the version being read, even if a newer one is renamed over it
            while chunk := await asyncio.to_thread(fh.read, chunk_bytes):
                yield chunk
        finally:
            fh.close()

    async def presign(self, key: str, expires_seconds: float) -> str | None:
        return None
