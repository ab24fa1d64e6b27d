"""Slow sites, on both engines: a start page (or its robots.txt) that was reached and then answered too
slowly ends the run at once, with an error that says so and is not retried; retrying it cost four
full waits (a slow-drip page failed a run after 47 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.test_contract import start_run
from tests.conftest import engine_api
from tests.support.servers import ApiServer
from tests.support.sites import SiteServer, serve_sites
from tests.support.sse import read_stream

# Seconds per fetch; robots.txt gets a third of it, which the fast server's must not miss on a busy machine.
FETCH_TIMEOUT = 3.0


@pytest.fixture(scope="module", params=["temporal", "local"])
def quick_api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    data_dir: Path = tmp_path_factory.mktemp(f"slow-{request.param}")
    server = engine_api(request, request.param, data_dir, BRANDTRUTH_FETCH_TIMEOUT_SECONDS=FETCH_TIMEOUT)
    yield server
    server.stop()


def _failed_once(api: ApiServer, url: str) -> dict:
    run_id = start_run(api, url)
    events, ended = read_stream(api.base_url, run_id, timeout=60)
    assert ended and events[-1].data["type"] == "failed", [e.data["type"] for e in events]
    assert [e for e in events if e.data["type"] == "step_retrying"] == []
    return events[-1].data


def test_slow_drip_start_page_fails_once_not_retried(quick_api: ApiServer, sites: SiteServer) -> None:
    before = sites.count("_adv/slow-drip")
    failed = _failed_once(quick_api, sites.url("_adv/slow-drip"))
    assert sites.count("_adv/slow-drip") - before == 1  # one attempt: it was four
    assert failed["data"]["retryable"] is False and failed["data"]["error_type"] == "FetchTimeoutError"
    assert "too slow to read" in failed["message"] and failed["data"]["step"] == "extract"


def test_slow_robots_txt_fails_once_not_retried(quick_api: ApiServer) -> None:
    with serve_sites(slow_paths={"robots.txt": 30}) as slow:
        try:
            failed = _failed_once(quick_api, slow.url("northwind-analytics/"))
            assert slow.count("robots.txt") == 1 and slow.count("northwind-analytics/") == 0
        finally:
            slow.release()
    assert failed["data"]["retryable"] is False and "robots.txt did not answer" in failed["message"]


def test_giant_response_headers_fail_once_not_retried(quick_api: ApiServer, sites: SiteServer) -> None:
    before = sites.count("_adv/giant-headers/")
    failed = _failed_once(quick_api, sites.url("_adv/giant-headers/"))
    assert sites.count("_adv/giant-headers/") - before == 1
    assert failed["data"]["retryable"] is False and failed["data"]["error_type"] == "TooLargeError"
    assert "response headers" in failed["message"]
