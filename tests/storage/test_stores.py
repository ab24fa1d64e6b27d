"""Both artifact stores keep one contract: the local directory and S3 (moto's real S3 API on loopback)."""

from __future__ import annotations

import io
import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import httpx
import pytest

from brandtruth.devserver import free_port
from brandtruth.pipeline.artifacts import (
    ArtifactInfo,
    ArtifactNotFound,
    ArtifactStore,
    InvalidKeyError,
    LocalArtifactStore,
    S3ArtifactStore,
    S3Options,
    StorageError,
    open_store,
    stale_runs,
    sweep,
)
from brandtruth.pipeline.artifacts.base import MULTIPART_CHUNK_BYTES
from tests.storage.conftest import BUCKET, S3Server, unique_prefix

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def test_put_get_exists_delete(any_store: ArtifactStore) -> None:
    key = "pipeline-a/creatives/v1-square.png"
    assert not any_store.exists(key)
    assert any_store.put(key, PNG) == key
    assert any_store.exists(key) and any_store.get(key) == PNG
    any_store.put(key, b"second")  # a retried step overwrites
    assert any_store.get(key) == b"second"
    any_store.delete(key)
    assert not any_store.exists(key)
    with pytest.raises(ArtifactNotFound):
        any_store.get(key)
    with pytest.raises(FileNotFoundError):  # what the step code has always caught
        any_store.get(key)


async def test_async_calls_see_what_sync_calls_wrote(any_store: ArtifactStore) -> None:
    await any_store.put_async("pipeline-b/src/a.jpg", PNG)
    assert any_store.get("pipeline-b/src/a.jpg") == PNG
    assert await any_store.get_async("pipeline-b/src/a.jpg") == PNG
    assert await any_store.exists_async("pipeline-b/src/a.jpg")
    info = await any_store.head_async("pipeline-b/src/a.jpg")
    assert info.key == "pipeline-b/src/a.jpg" and info.size == len(PNG) and info.modified > time.time() - 300
    await any_store.delete_async("pipeline-b/src/a.jpg")
    assert not await any_store.exists_async("pipeline-b/src/a.jpg")
    with pytest.raises(ArtifactNotFound):
        await any_store.head_async("pipeline-b/src/a.jpg")


@pytest.mark.parametrize("key", ["../etc/passwd", "run/../../x", "/abs/path", "run\\x", "run", "run/.hidden", "a//b"])
def test_keys_that_could_escape_are_refused_by_both(any_store: ArtifactStore, key: str) -> None:
    with pytest.raises(InvalidKeyError):
        any_store.put(key, b"x")
    assert not any_store.exists(key)


async def test_list_prefix_lists_one_run_and_delete_prefix_removes_it(any_store: ArtifactStore) -> None:
    for key in ("pipeline-c/src/a.jpg", "pipeline-c/creatives/b.png", "pipeline-cc/src/c.jpg"):
        any_store.put(key, b"x")
    keys = [a.key for a in any_store.list_prefix("pipeline-c/")]
    assert keys == ["pipeline-c/creatives/b.png", "pipeline-c/src/a.jpg"]
    assert [a.key for a in await any_store.list_prefix_async("pipeline-c/")] == keys
    assert {a.key.split("/")[0] for a in any_store.list_prefix("")} == {"pipeline-c", "pipeline-cc"}
    await any_store.delete_prefix_async("pipeline-c/")
    assert [a.key for a in any_store.list_prefix("")] == ["pipeline-cc/src/c.jpg"]


async def test_stream_yields_every_byte_in_chunks(any_store: ArtifactStore) -> None:
    data = bytes(range(256)) * 4096  # 1 MiB
    any_store.put("pipeline-d/export/b.zip", data)
    chunks = [c async for c in any_store.stream("pipeline-d/export/b.zip", chunk_bytes=64 * 1024)]
    assert b"".join(chunks) == data and len(chunks) > 1
    with pytest.raises(ArtifactNotFound):
        _ = [c async for c in any_store.stream("pipeline-d/export/missing.zip")]


class _FailsHalfway(io.RawIOBase):
    """A body whose reader dies after `after` bytes, as a process killed mid-upload would."""

    def __init__(self, total: int, after: int):
        self.left, self.after, self.sent = total, after, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:  # type: ignore[no-untyped-def]
        if self.sent >= self.after:
            raise OSError("the writer died")
        n = min(len(buf), self.left, self.after - self.sent)
        buf[:n] = b"y" * n
        self.sent += n
        self.left -= n
        return n


@pytest.mark.parametrize("size", [200_000, 2 * MULTIPART_CHUNK_BYTES + 1])
def test_a_failed_upload_leaves_the_old_object_whole_and_no_new_one(any_store: ArtifactStore, size: int) -> None:
    any_store.put("pipeline-e/creatives/a.png", PNG)
    for key in ("pipeline-e/creatives/a.png", "pipeline-e/creatives/new.png"):
        with pytest.raises((OSError, StorageError)):
            any_store.put(key, io.BufferedReader(_FailsHalfway(size, after=size // 2)))
    assert any_store.get("pipeline-e/creatives/a.png") == PNG
    assert not any_store.exists("pipeline-e/creatives/new.png")
    assert [a.key for a in any_store.list_prefix("pipeline-e/")] == ["pipeline-e/creatives/a.png"]


def test_s3_a_failed_multipart_upload_is_aborted_not_left_behind(s3_server: S3Server) -> None:
    prefix = unique_prefix()
    store = S3ArtifactStore(s3_server.options(prefix))
    size = 3 * MULTIPART_CHUNK_BYTES
    with pytest.raises(StorageError):
        store.put("pipeline-k/export/b.zip", io.BufferedReader(_FailsHalfway(size, after=size // 2)))
    uploads = s3_server.boto().list_multipart_uploads(Bucket=BUCKET, Prefix=prefix).get("Uploads", [])
    assert uploads == [], "an aborted upload's parts would be kept (and billed) out of sight"


def test_s3_objects_carry_their_content_type(s3_server: S3Server) -> None:
    prefix = unique_prefix()
    store = S3ArtifactStore(s3_server.options(prefix))
    store.put("pipeline-f/creatives/a.png", PNG)
    store.put("pipeline-f/creatives/a.jpg", b"jpeg")
    store.put("pipeline-f/export/b.zip", b"zip")
    store.put("pipeline-f/src/x.bin", b"?", content_type="image/webp")
    head = s3_server.boto().head_object
    types = {
        n: head(Bucket=BUCKET, Key=f"{prefix}/pipeline-f/{n}")["ContentType"]
        for n in ("creatives/a.png", "creatives/a.jpg", "export/b.zip", "src/x.bin")
    }
    assert types == {
        "creatives/a.png": "image/png",
        "creatives/a.jpg": "image/jpeg",
        "export/b.zip": "application/zip",
        "src/x.bin": "image/webp",
    }


def test_s3_large_bodies_go_up_in_parts(s3_server: S3Server) -> None:
    prefix = unique_prefix()
    store = S3ArtifactStore(s3_server.options(prefix))
    data = bytes(range(256)) * (MULTIPART_CHUNK_BYTES // 256) * 2 + b"tail"
    store.put("pipeline-g/export/big.zip", data)
    store.put("pipeline-g/export/big-file.zip", io.BytesIO(data))  # a file: streamed, never read whole
    head = s3_server.boto().head_object
    for name in ("big.zip", "big-file.zip"):
        etag = head(Bucket=BUCKET, Key=f"{prefix}/pipeline-g/export/{name}")["ETag"]
        assert etag.strip('"').endswith("-3"), etag  # S3's ETag of a 3-part upload
        assert store.get(f"pipeline-g/export/{name}") == data
    small = head(Bucket=BUCKET, Key=f"{prefix}/pipeline-g/export/big.zip")
    assert small["ContentType"] == "application/zip"


async def test_s3_presigned_url_serves_the_object_and_local_has_none(s3_server: S3Server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = S3ArtifactStore(s3_server.options(unique_prefix()))
    store.put("pipeline-h/creatives/a.png", PNG)
    url = await store.presign("pipeline-h/creatives/a.png", 60)
    assert url and "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    async with httpx.AsyncClient() as c:
        resp = await c.get(url)
    assert resp.status_code == 200 and resp.content == PNG and resp.headers["content-type"] == "image/png"
    assert await LocalArtifactStore(tmp_path).presign("pipeline-h/creatives/a.png", 60) is None


def _write_in_child(store: ArtifactStore, key: str) -> int:
    store.put(key, PNG)
    return len(store.get(key))


@pytest.fixture(scope="module")
def spawn_pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def test_the_store_works_in_a_spawned_pool_process(any_store: ArtifactStore, spawn_pool: ProcessPoolExecutor) -> None:
    """Step code runs in the CPU pool's spawned processes: the store is pickled there and must work."""
    assert spawn_pool.submit(_write_in_child, any_store, "pipeline-i/creatives/a.png").result(timeout=60) == len(PNG)
    assert any_store.get("pipeline-i/creatives/a.png") == PNG


async def test_an_unreachable_store_is_a_retryable_storage_error(s3_server: S3Server) -> None:
    store = S3ArtifactStore(s3_server.options(unique_prefix(), endpoint=f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(StorageError) as err:
        store.put("pipeline-j/creatives/a.png", PNG)
    assert err.value.retryable and "could not write" in err.value.message
    with pytest.raises(StorageError):
        await store.get_async("pipeline-j/creatives/a.png")


def test_open_store_picks_by_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(open_store(None, tmp_path / "a"), LocalArtifactStore)
    assert isinstance(open_store(str(tmp_path / "b"), tmp_path / "a"), LocalArtifactStore)
    s3 = open_store("s3://bucket-name/some/prefix", tmp_path, {"endpoint": "http://127.0.0.1:9000", "region": "auto"})
    assert isinstance(s3, S3ArtifactStore)
    assert s3.options == S3Options(bucket="bucket-name", prefix="some/prefix", endpoint="http://127.0.0.1:9000", region="auto")
    assert "secret" not in repr(S3Options(bucket="b", secret_access_key="secret"))
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        open_store("gs://bucket", tmp_path)


def test_stale_runs_are_those_whose_newest_artifact_is_older_than_the_cutoff() -> None:
    infos = [
        ArtifactInfo("pipeline-old/src/a.jpg", 1, 100.0),
        ArtifactInfo("pipeline-old/creatives/b.png", 1, 150.0),
        ArtifactInfo("pipeline-revised/src/a.jpg", 1, 100.0),
        ArtifactInfo("pipeline-revised/creatives/v1r1.png", 1, 900.0),  # a revision touched it
    ]
    assert stale_runs(infos, cutoff=500.0) == ["pipeline-old"]


async def test_sweep_deletes_old_finished_runs_and_never_live_ones(any_store: ArtifactStore) -> None:
    for run in ("pipeline-done", "pipeline-live", "pipeline-unknown"):
        any_store.put(f"{run}/creatives/a.png", PNG)
    asked: list[str] = []

    async def is_live(run_id: str) -> bool:
        asked.append(run_id)
        if run_id == "pipeline-unknown":
            raise ConnectionError("Temporal is down")
        return run_id == "pipeline-live"

    later = time.time() + 40 * 86400
    removed = await sweep(any_store, 30 * 86400, is_live, now=later)
    assert removed == ["pipeline-done"]
    assert asked == ["pipeline-done", "pipeline-live", "pipeline-unknown"]
    assert not any_store.exists("pipeline-done/creatives/a.png")
    assert any_store.exists("pipeline-live/creatives/a.png") and any_store.exists("pipeline-unknown/creatives/a.png")
    assert await sweep(any_store, 30 * 86400, is_live) == []  # nothing is old yet


def test_gcs_interop_deletes_one_key_at_a_time() -> None:
    from brandtruth.pipeline.artifacts import s3_client

    gcs = S3Options(
        bucket="b", endpoint="https://storage.googleapis.com", region="auto", access_key_id="k", secret_access_key="s"
    )
    assert s3_client.client(gcs).config.get("disable_bulk_delete") == "true"  # GCS has no DeleteObjects
    minio = S3Options(bucket="b", endpoint="http://minio:9000", region="us-east-1", access_key_id="k", secret_access_key="s")
    assert s3_client.client(minio).config.get("disable_bulk_delete") in (None, "false")
