"""Access and limits: bearer tokens, signed run tokens for EventSource, idempotent starts, body and
stream limits, /metrics."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from brandtruth.devserver import free_port
from tests.api.test_contract import start_run, stream_until_awaiting
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, wait_for
from tests.support.sse import iter_sse

TOKENS = "ana:tok-ana-1234567890,ops:tok-ops-0987654321"
ANA = {"Authorization": "Bearer tok-ana-1234567890"}


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    settings = make_settings(
        tmp_path_factory.mktemp("secured"),
        f"127.0.0.1:{free_port()}",
        unique_queue(),
        BRANDTRUTH_API_TOKENS=TOKENS,
        BRANDTRUTH_MAX_STREAMS_PER_CLIENT=2,
        BRANDTRUTH_CORS_ORIGINS="https://review.example",
    )
    server = ApiServer(settings).start()
    yield server
    server.stop()


def test_every_endpoint_but_health_needs_a_token(secured: ApiServer, demo_url: str) -> None:
    with secured.client() as c:
        assert c.get("/workflow/health").status_code == 200
        for method, path, body in [
            ("POST", "/workflow/start", {"url": demo_url}),
            ("GET", "/workflow/list", None),
            ("GET", "/workflow/progress/pipeline-x", None),
            ("GET", "/workflow/result/pipeline-x", None),
            ("POST", "/workflow/approve/pipeline-x", {"variant_ids": ["v1"]}),
            ("POST", "/workflow/cancel/pipeline-x", None),
            ("GET", "/workflow/stream/pipeline-x", None),
            ("GET", "/workflow/artifacts/pipeline-x/a.png", None),
            ("POST", "/workflow/batch", {"urls": [demo_url]}),
        ]:
            resp = c.request(method, path, json=body)
            assert resp.status_code == 401, (path, resp.status_code)
            assert resp.headers["www-authenticate"] == "Bearer" and resp.json()["detail"]
        bad = c.get("/workflow/list", headers={"Authorization": "Bearer tok-ana-1234567891"})
        assert bad.status_code == 401 and "Invalid" in bad.json()["detail"]
        assert c.get("/workflow/list", headers=ANA).status_code == 200


def test_metrics_schema_and_docs_need_a_token_when_tokens_are_on(secured: ApiServer) -> None:
    with secured.client() as c:
        for path in ["/metrics", "/openapi.json", "/docs", "/redoc"]:
            resp = c.get(path)
            assert resp.status_code == 401, (path, resp.status_code)
            assert resp.json()["detail"]
            assert c.get(path, headers=ANA).status_code == 200, path
        assert "/workflow/start" in c.get("/openapi.json", headers=ANA).json()["paths"]
        assert "brandtruth_runs" in c.get("/metrics", headers=ANA).text


def test_run_tokens_never_reach_the_access_log(secured: ApiServer) -> None:
    import logging

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    access, keep = logging.getLogger("uvicorn.access"), Keep()
    level = access.level
    access.addHandler(keep)
    access.setLevel(logging.INFO)  # the test server logs warnings only
    try:
        token = secured.server.config.app.state.auth.sign_run_token("pipeline-secret", "ana")
        httpx.get(f"{secured.base_url}/workflow/artifacts/pipeline-secret/x.png?token={token}", timeout=10)
        wait_for(lambda: any("x.png" in line for line in lines), 10, "the access log line")
    finally:
        access.removeHandler(keep)
        access.setLevel(level)
    assert token and not any(token.split(".")[0] in line for line in lines), lines
    assert any("token=[redacted]" in line for line in lines)


def test_approver_comes_from_the_token_and_stream_uses_run_token(secured: ApiServer, demo_url: str) -> None:
    with secured.client(headers=ANA) as c:
        run_id = c.post("/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]}).json()["workflow_id"]
        token = c.post(f"/workflow/token/{run_id}").json()
        assert token["expires_in"] > 0 and token["token"]
    with httpx.Client(base_url=secured.base_url, timeout=30) as anon:
        assert anon.get(f"/workflow/stream/{run_id}?token=forged.sig").status_code == 401
        with anon.stream("GET", f"/workflow/stream/{run_id}?token={token['token']}") as resp:
            assert resp.status_code == 200
            for ev in iter_sse(resp):
                if ev.data["type"] == "awaiting_approval":
                    break
        other = "pipeline-" + "0" * 12
        assert anon.get(f"/workflow/stream/{other}?token={token['token']}").status_code == 403
    with secured.client(headers=ANA) as c:
        decision = c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"], "approver": "someone-else"})
        assert decision.status_code == 200 and decision.json()["approver"] == "ana"


def test_cors_allows_only_configured_origins(secured: ApiServer) -> None:
    with secured.client() as c:
        ok = c.options("/workflow/list", headers={"Origin": "https://review.example", "Access-Control-Request-Method": "GET"})
        assert ok.headers.get("access-control-allow-origin") == "https://review.example"
        no = c.options("/workflow/list", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
        assert "access-control-allow-origin" not in no.headers


def test_cors_lets_a_page_elsewhere_read_the_run_lists_paging_headers(secured: ApiServer) -> None:
    with secured.client(headers={**ANA, "Origin": "https://review.example"}) as c:
        resp = c.get("/workflow/list", params={"limit": 1})
    assert resp.status_code == 200
    exposed = resp.headers["access-control-expose-headers"].lower()
    assert "x-next-cursor" in exposed and "link" in exposed


def test_streams_per_client_are_limited(secured: ApiServer, demo_url: str) -> None:
    with secured.client(headers=ANA) as c:
        run_id = c.post("/workflow/start", json={"url": demo_url, "approval_timeout_seconds": 30}).json()["workflow_id"]
    with (
        httpx.Client(base_url=secured.base_url, timeout=30, headers=ANA) as c1,
        c1.stream("GET", f"/workflow/stream/{run_id}") as s1,
        c1.stream("GET", f"/workflow/stream/{run_id}") as s2,
    ):
        assert s1.status_code == 200 and s2.status_code == 200
        third = httpx.get(f"{secured.base_url}/workflow/stream/{run_id}", headers=ANA, timeout=10)
        assert third.status_code == 429 and "limit 2" in third.json()["detail"]
    # Closed streams free their slots.
    wait_for(lambda: secured.server.config.app.state.stream_limiter.open == {}, 10, "stream slots to be released")


def test_body_size_is_limited(secured: ApiServer) -> None:
    with secured.client(headers=ANA) as c:
        huge = c.post(
            "/workflow/start", content=b'{"url": "' + b"a" * 200_000 + b'"}', headers={"Content-Type": "application/json"}
        )
    assert huge.status_code == 413 and "too large" in huge.json()["detail"]


def test_oversize_chunked_body_is_413_not_400(secured: ApiServer) -> None:
    """A body with no Content-Length (chunked) used to reach the JSON parser and come back 400."""

    def chunks() -> Iterator[bytes]:
        yield b'{"url": "'
        for _ in range(20):
            yield b"a" * 10_000
        yield b'"}'

    with secured.client(headers=ANA) as c:
        huge = c.post("/workflow/start", content=chunks(), headers={"Content-Type": "application/json"})
    assert huge.status_code == 413, huge.text
    assert "too large" in huge.json()["detail"]


def test_idempotency_key_returns_the_same_run(api: ApiServer, demo_url: str) -> None:
    body = {"url": demo_url, "num_variants": 2, "formats": ["square"]}
    key = {"Idempotency-Key": f"order-{time.monotonic_ns()}"}
    with api.client() as c:
        first = c.post("/workflow/start", json=body, headers=key)
        again = c.post("/workflow/start", json=body, headers=key)
        assert first.status_code == again.status_code == 200
        assert first.json()["workflow_id"] == again.json()["workflow_id"]
        different = c.post("/workflow/start", json={**body, "num_variants": 3}, headers=key)
        assert different.status_code == 422 and "Idempotency-Key" in different.json()["detail"]
        fresh = c.post("/workflow/start", json=body)
        assert fresh.json()["workflow_id"] != first.json()["workflow_id"]
        listed = [r["workflow_id"] for r in c.get("/workflow/list?limit=100").json()]
        assert listed.count(first.json()["workflow_id"]) == 1


def test_metrics_expose_runs_steps_and_streams(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url, num_variants=1)
    stream_until_awaiting(api, run_id)
    with api.client() as c:
        text = c.get("/metrics").text
    assert f'brandtruth_runs_started_total{{engine="{api.engine}"}}' in text  # type: ignore[attr-defined]
    assert 'brandtruth_step_duration_seconds_count{step="extract"}' in text
    assert "brandtruth_event_delivery_seconds_bucket" in text and "brandtruth_sse_subscribers" in text


def test_open_api_logs_that_it_is_open(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(tmp_path, f"127.0.0.1:{free_port()}", unique_queue())
    with caplog.at_level("WARNING", logger="brandtruth.api"):
        from brandtruth.api.app import create_app

        create_app(settings)
    assert any("BRANDTRUTH_API_TOKENS is not set" in r.message for r in caplog.records)
