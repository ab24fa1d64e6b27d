"""The API over an S3 store: presigned redirects behind the same access rule, the contact sheet and
the export bundle in the bucket, and the retention sweep that never deletes a live Temporal run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from brandtruth.api.retention import LiveRuns
from brandtruth.devserver import free_port
from brandtruth.engines.local.engine import LocalEngine
from brandtruth.engines.local.store import LocalRunStore
from brandtruth.engines.temporal.client import TemporalConnection
from brandtruth.pipeline.artifacts import S3ArtifactStore, sweep
from brandtruth.steps import Steps
from tests.api.test_contract import start_run, stream_until_awaiting
from tests.conftest import unique_queue
from tests.storage.conftest import Deployment, S3Server, unique_prefix
from tests.support.servers import ApiServer, make_settings, wait_for
from tests.support.sse import read_stream

TOKEN = "storage-test-token-0123456789"
PNG = b"\x89PNG\r\n\x1a\n" + b"p" * 1000


@pytest.fixture()
def presigning_api(s3_server: S3Server, tmp_path: Path) -> Iterator[tuple[ApiServer, S3ArtifactStore]]:
    """Degraded mode (Temporal unreachable) is enough here: the artifact routes do not need an engine."""
    prefix = unique_prefix()
    settings = make_settings(
        tmp_path,
        f"127.0.0.1:{free_port()}",
        unique_queue(),
        BRANDTRUTH_ARTIFACTS_PRESIGN_SECONDS=120,
        BRANDTRUTH_API_TOKENS=f"tester:{TOKEN}",
        **s3_server.env(prefix),
    )
    api = ApiServer(settings).start()
    try:
        yield api, S3ArtifactStore(s3_server.options(prefix))
    finally:
        api.stop()


def test_presigned_redirect_for_images_only_and_only_for_readers_of_the_run(
    presigning_api: tuple[ApiServer, S3ArtifactStore],
) -> None:
    api, store = presigning_api
    store.put("pipeline-presign/creatives/a.png", PNG)
    store.put("pipeline-presign/src/page.html", b"<script>alert(1)</script>")
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=api.base_url) as c:
        assert c.get("/workflow/artifacts/pipeline-presign/creatives/a.png").status_code == 401
        wrong = c.get(
            "/workflow/artifacts/pipeline-presign/creatives/a.png", headers={"Authorization": "Bearer nope-nope-nope-nope"}
        )
        assert wrong.status_code == 401

        resp = c.get("/workflow/artifacts/pipeline-presign/creatives/a.png", headers=bearer)
        assert resp.status_code == 307, resp.text
        url = resp.headers["location"]
        assert "X-Amz-Signature=" in url and "X-Amz-Expires=120" in url and resp.headers["cache-control"] == "no-store"
        assert TOKEN not in url
        direct = httpx.get(url)  # the browser follows it to the store, without our token
        assert direct.status_code == 200 and direct.content == PNG

        html = c.get("/workflow/artifacts/pipeline-presign/src/page.html", headers=bearer)
        assert html.status_code == 200, "HTML is streamed under our sandbox CSP, never handed to the bucket's origin"
        assert html.headers["content-security-policy"].endswith("sandbox")
        assert c.get("/workflow/artifacts/pipeline-presign/creatives/none.png", headers=bearer).status_code == 404
        health = c.get("/workflow/health").json()  # open: it names the store, never its keys
    assert health["artifacts"] == {"store": f"{store.describe()}", "reachable": True}
    assert store.options.endpoint and store.options.endpoint in health["artifacts"]["store"]


def test_contact_sheet_and_export_bundle_live_in_the_bucket(s3_temporal: Deployment, demo_url: str) -> None:
    api, store = s3_temporal.api, s3_temporal.store
    run_id = start_run(api, demo_url)
    events = stream_until_awaiting(api, run_id)
    with api.client() as c:
        sheet = c.get(f"/workflow/contact-sheet/{run_id}")
        assert sheet.status_code == 200 and sheet.content.startswith(b"\x89PNG")
        assert any(a.key.startswith(f"{run_id}/") and "sheet" in a.key for a in store.list_prefix(f"{run_id}/"))
        assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}).status_code == 200
    rest, ended = read_stream(api.base_url, run_id, last_event_id=events[-1].id)
    assert ended and rest[-1].data["type"] == "completed", [e.data["type"] for e in rest]
    with api.client() as c:
        export = c.get(f"/workflow/result/{run_id}").json()["export"]
        bundle = c.get(f"/workflow/artifacts/{export['key']}")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    assert bundle.content == store.get(export["key"]) and bundle.content.startswith(b"PK")


async def test_retention_on_s3_keeps_a_run_waiting_for_approval_and_sweeps_a_finished_one(
    s3_temporal: Deployment, demo_url: str, tmp_path: Path
) -> None:
    api, store = s3_temporal.api, s3_temporal.store
    waiting, finished = start_run(api, demo_url), start_run(api, demo_url)
    for run_id in (waiting, finished):
        stream_until_awaiting(api, run_id)
    with api.client() as c:
        assert c.post(f"/workflow/cancel/{finished}").status_code == 200
    read_stream(api.base_url, finished, until=lambda ev: ev.data["type"] == "cancelled")
    store.put("pipeline-nobody-knows/src/a.jpg", b"old")  # artifacts of a run no engine has heard of

    local = LocalEngine(LocalRunStore(tmp_path / "local.sqlite3"), Steps(api.settings))  # holds no run
    is_live = LiveRuns(local, TemporalConnection(api.settings))
    assert await is_live(waiting) and not await is_live(finished)
    mine = {waiting, finished, "pipeline-nobody-knows"}

    async def only_mine(run_id: str) -> bool:  # other tests' runs share this bucket prefix: leave them be
        return run_id not in mine or await is_live(run_id)

    removed = await sweep(store, 30 * 86400, only_mine, now=time.time() + 31 * 86400)
    assert sorted(removed) == sorted([finished, "pipeline-nobody-knows"])
    assert store.list_prefix(f"{waiting}/") and not store.list_prefix(f"{finished}/")


def test_a_missing_bucket_is_named_at_start_up(s3_server: S3Server, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    env = s3_server.env("x") | {"BRANDTRUTH_ARTIFACTS_URL": "s3://no-such-bucket-here/x"}
    api = ApiServer(make_settings(tmp_path, f"127.0.0.1:{free_port()}", unique_queue(), **env)).start()
    try:
        warning = wait_for(
            lambda: next((r for r in caplog.records if "cannot be used" in r.getMessage()), None), 30, "the start-up warning"
        )
        with api.client() as c:
            health = c.get("/workflow/health").json()
    finally:
        api.stop()
    assert health["status"] == "degraded"  # the engine's status: the store has its own line
    assert health["artifacts"]["reachable"] is False and "NoSuchBucket" in health["artifacts"]["error"]
    assert "testing-secret" not in str(health)
    message = warning.getMessage()
    assert warning.levelname == "WARNING"
    assert "s3://no-such-bucket-here/x" in message and "NoSuchBucket" in message and "BRANDTRUTH_ARTIFACTS_URL" in message


def test_degraded_mode_keeps_its_artifacts_in_the_bucket_too(
    presigning_api: tuple[ApiServer, S3ArtifactStore], demo_url: str
) -> None:
    api, store = presigning_api
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    with api.client(headers=bearer) as c:
        resp = c.post("/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]})
        assert resp.status_code == 200 and resp.json()["engine"] == "local", resp.text
        run_id = resp.json()["workflow_id"]
        events, _ = read_stream(
            api.base_url, run_id, until=lambda ev: ev.data["type"] in ("awaiting_approval", "failed"), headers=bearer
        )
        assert events[-1].data["type"] == "awaiting_approval", events[-1].data
        creatives = [cr for v in c.get(f"/workflow/result/{run_id}").json()["variants"] for cr in v["creatives"]]
    assert creatives and all(store.exists(cr["jpeg_key"]) for cr in creatives)
    assert not (api.settings.artifacts_root).exists(), "the local engine wrote to the data directory"
