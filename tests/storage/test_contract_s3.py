"""The whole API contract suite (tests/api/test_contract.py) on the S3 deployment of conftest.py:
Temporal engine, two worker processes and the API, each with its own data directory, and every
artifact in the bucket. Plus what only this deployment can show: nothing was written to any disk."""

from __future__ import annotations

import httpx

from tests.api.test_contract import *  # noqa: F403  (the same tests, on this folder's `api`)
from tests.api.test_contract import start_run, stream_until_awaiting
from tests.storage.conftest import Deployment


def test_artifacts_are_in_the_bucket_and_on_no_process_disk(s3_temporal: Deployment, demo_url: str) -> None:
    api = s3_temporal.api
    run_id = start_run(api, demo_url)
    stream_until_awaiting(api, run_id)
    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}")
        assert result.status_code == 200
        creatives = [cr for v in result.json()["variants"] for cr in v["creatives"]]
        assert creatives
        for cr in creatives:
            resp = c.get(cr["url"])
            assert resp.status_code == 200, cr["url"]
            assert resp.content == s3_temporal.store.get(cr["key"])
    stored = {a.key for a in s3_temporal.store.list_prefix(f"{run_id}/")}
    assert {cr["key"] for cr in creatives} <= stored
    assert any(k.startswith(f"{run_id}/src/") for k in stored), "the brand's images were stored in the bucket too"
    for d in s3_temporal.data_dirs:
        assert not (d / "artifacts").exists(), f"{d} has an artifacts directory"
    for d in s3_temporal.data_dirs[:-1]:  # each worker said where its artifacts go
        assert f"artifacts are kept in {s3_temporal.store.describe()}" in (d / "worker.log").read_text()


def test_artifact_route_streams_from_the_bucket_with_type_and_length(s3_temporal: Deployment) -> None:
    s3_temporal.store.put("pipeline-s3route/creatives/a.png", b"\x89PNG\r\n\x1a\n" + b"p" * 300_000)
    s3_temporal.store.put("pipeline-s3route/src/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with httpx.Client(base_url=s3_temporal.api.base_url) as c:
        png = c.get("/workflow/artifacts/pipeline-s3route/creatives/a.png")
        assert png.status_code == 200
        assert png.headers["content-type"] == "image/png" and png.headers["content-length"] == "300008"
        assert png.content.startswith(b"\x89PNG") and len(png.content) == 300_008
        svg = c.get("/workflow/artifacts/pipeline-s3route/src/logo.svg")
        assert svg.status_code == 200
        assert "svg" not in svg.headers["content-type"] and svg.headers["content-disposition"].startswith("attachment")
        missing = c.get("/workflow/artifacts/pipeline-s3route/creatives/none.png")
        assert missing.status_code == 404 and "none.png" in missing.json()["detail"]
        assert c.get("/workflow/artifacts/pipeline-s3route/..%2F..%2Fx").status_code == 404
