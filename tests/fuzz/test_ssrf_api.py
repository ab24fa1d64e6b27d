"""SSRF through the API: with private addresses refused (the production default), a run started at
loopback or the cloud metadata address fails with a clear BlockedAddress error, on both engines.

Nothing is fetched: the fetcher refuses before connecting, and loopback_only() would refuse anything
that got past it anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from brandtruth.devserver import DevServer, free_port
from tests.conftest import unique_queue
from tests.support.netguard import NetGuard, loopback_only
from tests.support.servers import ApiServer, make_settings
from tests.support.sites import SiteServer
from tests.support.sse import read_stream


@pytest.fixture(scope="module")
def guard() -> Iterator[NetGuard]:
    with loopback_only() as g:
        yield g


@pytest.fixture(scope="module", params=["temporal", "local"])
def strict_api(request: pytest.FixtureRequest, guard: NetGuard, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    engine = request.param
    data_dir = tmp_path_factory.mktemp(f"strict-{engine}")
    if engine == "temporal":
        temporal: DevServer = request.getfixturevalue("temporal_server")
        settings = make_settings(data_dir, temporal.address, unique_queue("strict"), BRANDTRUTH_ALLOW_PRIVATE_URLS=False)
        server = ApiServer(settings, embedded_worker=True).start()
        server.wait_healthy("healthy")
    else:
        settings = make_settings(
            data_dir, f"127.0.0.1:{free_port()}", unique_queue("strict"), BRANDTRUTH_ALLOW_PRIVATE_URLS=False
        )
        server = ApiServer(settings).start()
        server.wait_healthy("degraded")
    assert not server.settings.allow_private_urls
    yield server
    server.stop()


def _targets(sites: SiteServer) -> list[tuple[str, str]]:
    port = sites.server_address[1]
    return [
        (f"http://127.0.0.1:{port}/northwind-analytics/", "loopback"),  # a real page is there: still refused
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        (f"http://[::ffff:127.0.0.1]:{port}/", "loopback"),
        ("http://2852039166/", "cloud metadata"),
        ("http://10.0.0.1/", "private"),
        (f"http://localhost:{port}/", "loopback"),
    ]


@pytest.mark.parametrize("index", range(6))
def test_private_target_fails_the_run_with_a_clear_blocked_address_error(
    strict_api: ApiServer, sites: SiteServer, guard: NetGuard, index: int
) -> None:
    url, why = _targets(sites)[index]
    before = sites.count("/northwind-analytics/")
    with strict_api.client() as c:
        started = c.post("/workflow/start", json={"url": url, "num_variants": 1, "formats": ["square"]})
        assert started.status_code == 200, started.text  # a well-formed URL is accepted; the fetch is what refuses
        run_id = started.json()["workflow_id"]
    events, ended = read_stream(strict_api.base_url, run_id, timeout=60)
    assert ended
    last = events[-1].data
    assert last["type"] == "failed" and last["status"] == "failed", last
    assert "refusing to fetch" in last["message"] and why in last["message"], last["message"]
    with strict_api.client() as c:
        result = c.get(f"/workflow/result/{run_id}")
    assert result.status_code == 200
    body = result.json()
    assert body["status"] == "failed"
    assert body["error_type"] == "BlockedAddressError", body
    assert "refusing to fetch" in body["error"] and "BRANDTRUTH_ALLOW_PRIVATE_URLS" in body["error"]
    assert sites.count("/northwind-analytics/") == before  # the loopback site was never read
    assert not any("169.254" in r or "10.0.0.1" in r for r in guard.refused)  # refused by the fetcher, not the net guard
