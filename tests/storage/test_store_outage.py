"""The store goes away in the middle of compose: the activity fails on it, is retried, and the run
completes once the store is back. The upload that was cut halfway never becomes an object, and while
the store is away the API answers 503, never part of a file."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import Image

from brandtruth.devserver import DevServer
from brandtruth.pipeline.artifacts import S3ArtifactStore
from tests.faults.test_faults import Follower
from tests.storage.conftest import BUCKET, Deployment, S3Server, s3_deployment
from tests.storage.faultproxy import FaultProxy
from tests.support.servers import wait_for


@pytest.fixture()
def outage(s3_server: S3Server, temporal_server: DevServer, tmp_path: Path) -> Iterator[tuple[Deployment, FaultProxy]]:
    proxy = FaultProxy(urlsplit(s3_server.endpoint).port or 0, trip_on=b"-square.").start()  # a creative's first file
    deployment = s3_deployment(s3_server, temporal_server.address, tmp_path, endpoint=proxy.url)
    try:
        yield deployment, proxy
    finally:
        deployment.stop()
        proxy.close()


def _key_of(request_line: bytes, store: S3ArtifactStore) -> str:
    """b"PUT /bucket/prefix/pipeline-x/creatives/v1-r1-square.png HTTP/1.1" -> the artifact key."""
    path = urlsplit(request_line.split(b" ")[1].decode()).path
    return path.removeprefix(f"/{BUCKET}/{store.options.prefix}/")


def test_store_outage_during_compose_is_retried_and_nothing_half_written_is_served(
    outage: tuple[Deployment, FaultProxy], demo_url: str
) -> None:
    deployment, proxy = outage
    api, direct = deployment.api, deployment.store  # `direct` reaches the bucket without the proxy
    with api.client() as c:
        resp = c.post("/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]})
    assert resp.status_code == 200, resp.text
    run_id = resp.json()["workflow_id"]
    follower = Follower(api.base_url, run_id, stop_on=("awaiting_approval", "failed"))
    follower.start()

    assert proxy.tripped.wait(90), f"compose never wrote a creative: {follower.types()}"
    cut = _key_of(proxy.cut_request_line, direct)
    assert cut.startswith(f"{run_id}/creatives/") and "-square." in cut, proxy.cut_request_line
    assert not direct.exists(cut), "half an upload became an object"
    with httpx.Client(base_url=api.base_url, timeout=30) as c:
        served = c.get(f"/workflow/artifacts/{cut}")
    assert served.status_code == 503, served.status_code
    assert "artifact store" in served.json()["detail"] and served.headers["retry-after"]

    retried = wait_for(
        lambda: [e for e in follower.events if e.data["type"] == "step_retrying" and e.data["data"]["step"] == "compose"],
        90,
        "compose to be retried",
    )
    assert retried[0].data["data"]["attempt"] == 2
    proxy.up()

    assert follower.done.wait(120), follower.types()
    assert follower.types()[-1] == "awaiting_approval", follower.types()
    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
        creatives = [cr for v in result["variants"] for cr in v["creatives"]]
        files = {f for cr in creatives for f in cr.values() if isinstance(f, str) and f.startswith(f"{run_id}/")}
        assert cut in files, (cut, files)
        assert direct.exists(cut), "the retried attempt wrote the file whole"
        for cr in creatives:
            got = c.get(cr["url"])
            assert got.status_code == 200, cr["url"]
            assert got.content == direct.get(cr["key"])
            with Image.open(io.BytesIO(got.content)) as im:
                im.load()  # a whole image: a truncated file fails to decode
                assert im.size == (cr["width"], cr["height"])
    follower.assert_each_event_once()
