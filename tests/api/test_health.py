"""/workflow/health and engine choice: healthy with a worker, degraded without one or without Temporal."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandtruth.devserver import DevServer, free_port
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, wait_for


@pytest.mark.parametrize("api", ["temporal"], indirect=True)
def test_healthy_with_a_worker_polling(api: ApiServer) -> None:
    with api.client() as c:
        resp = c.get("/workflow/health")
    assert resp.status_code == 200
    body = resp.json()
    assert body["temporal_available"] is True and body["status"] == "healthy"
    assert body["workers"] >= 1 and body["engine"] == "temporal"


def test_degraded_when_no_worker_polls(temporal_server: DevServer, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("no-worker"))
    server = ApiServer(settings).start()
    try:
        body = server.wait_healthy("degraded")
        assert body["temporal_available"] is False
        assert body["workers"] == 0
        assert "no worker" in body["message"] and settings.temporal_task_queue in body["message"]
        assert body["engine"] == "local"
    finally:
        server.stop()


def test_degraded_when_temporal_down_and_start_runs_locally(tmp_path: Path, demo_url: str) -> None:
    settings = make_settings(tmp_path, f"127.0.0.1:{free_port()}", unique_queue())
    server = ApiServer(settings).start()
    try:
        with server.client() as c:
            body = c.get("/workflow/health").json()
            assert body == {**body, "temporal_available": False, "status": "degraded", "engine": "local"}
            assert body["message"].startswith("Using fallback")
            started = c.post("/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]})
            assert started.status_code == 200
            run_id = started.json()["workflow_id"]
            assert started.json()["engine"] == "local"
            progress = wait_for(
                lambda: (p := c.get(f"/workflow/progress/{run_id}").json())["status"] == "awaiting_approval" and p,
                60,
                "local run to await approval",
            )
            assert progress["engine"] == "local"
    finally:
        server.stop()


def test_health_is_cached_briefly(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, f"127.0.0.1:{free_port()}", unique_queue(), BRANDTRUTH_HEALTH_CACHE_SECONDS=60)
    server = ApiServer(settings).start()
    try:
        service = server.server.config.app.state.service  # type: ignore[attr-defined]
        with server.client() as c:
            first = c.get("/workflow/health").json()
            checked_at = service.conn._health.checked_at
            second = c.get("/workflow/health").json()
        assert first == second
        assert service.conn._health.checked_at == checked_at, "a second call within the cache window re-probed"
    finally:
        server.stop()
