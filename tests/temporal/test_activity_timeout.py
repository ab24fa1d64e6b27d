"""A step that times out for good ends the run `failed` with a readable error, on both engines, and
every endpoint still answers (a Temporal TimeoutType stored as the error type once made the run's
state undecodable: 500 on every read and a stream that never ended)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from temporalio import activity

from brandtruth.config import Settings
from brandtruth.devserver import DevServer, free_port
from brandtruth.engines.temporal.activities import build_activities
from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES
from brandtruth.engines.temporal.client import connect
from brandtruth.engines.temporal.worker import build_worker
from brandtruth.pipeline import policies
from brandtruth.pipeline.models import BrandProfile, ExtractInput
from brandtruth.pipeline.policies import StepPolicy
from brandtruth.steps import Steps
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, wait_for
from tests.support.sites import SiteServer
from tests.support.sse import read_stream

# Short timeouts, so each case times out for good (two attempts) in seconds.
SHORT_EXTRACT = {
    "heartbeat": StepPolicy(start_to_close_seconds=20, max_attempts=2, initial_interval_seconds=0.1, heartbeat_seconds=1),
    "start-to-close": StepPolicy(start_to_close_seconds=2, max_attempts=2, initial_interval_seconds=0.1, heartbeat_seconds=5),
}
HOLD_SECONDS = 30  # the stand-in activity's own bound; the timeouts above end each attempt far sooner


@activity.defn(name=ACTIVITY_NAMES["extract"])
async def silent_extract(inp: ExtractInput) -> BrandProfile:
    """Works without a sign of life: what a blocked worker looks like to the server."""
    for _ in range(HOLD_SECONDS * 10):
        await asyncio.sleep(0.1)
    raise RuntimeError("never reached in the test: the heartbeat timeout ends every attempt first")


@contextmanager
def in_process_worker(settings: Settings, activities: Sequence[Any]) -> Iterator[None]:
    """A real worker (the real workflow) on the test's queue, with the given activities, in a thread."""
    ready, failed = threading.Event(), []
    holder: dict[str, Any] = {}

    async def main() -> None:
        stop = asyncio.Event()
        holder["loop"], holder["stop"] = asyncio.get_running_loop(), stop
        client = await connect(settings, timeout=10)
        async with build_worker(client, settings, activities=activities):
            ready.set()
            await stop.wait()

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:
            failed.append(exc)
            ready.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(30) and not failed, failed
    try:
        yield
    finally:
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(timeout=30)


def _assert_readable_failed_run(api: ApiServer, run_id: str, message: str) -> None:
    with api.client() as c:
        wait_for(lambda: c.get(f"/workflow/progress/{run_id}").json().get("status") == "failed", 60, "the run to fail")
    events, ended = read_stream(api.base_url, run_id, timeout=30)
    assert ended and events[-1].data["type"] == "failed"
    assert message in events[-1].data["message"]
    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}")
        assert result.status_code == 200, result.text
        body = result.json()
        assert body["status"] == "failed" and message in body["error"] and body["error_type"] == "StepTimeout"
        progress = c.get(f"/workflow/progress/{run_id}")
        assert progress.status_code == 200 and progress.json()["error"] == body["error"]
        assert c.post(f"/workflow/cancel/{run_id}").status_code == 409
        assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}).status_code == 409
        listed = {r["workflow_id"]: r["status"] for r in c.get("/workflow/list").json()}
        assert listed[run_id] == "failed"
        # A client that has the whole story is told so (EventSource stops) rather than kept waiting.
        again = c.get(f"/workflow/stream/{run_id}", headers={"Last-Event-ID": str(events[-1].id)})
        assert again.status_code == 204


@pytest.mark.parametrize("timeout", ["heartbeat", "start-to-close"])
def test_temporal_activity_timing_out_for_good_fails_the_run_readably(
    timeout: str, temporal_server: DevServer, sites: SiteServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(policies.STEP_POLICIES, "extract", SHORT_EXTRACT[timeout])
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("timeout"))
    if timeout == "heartbeat":
        activities: list[Any] = [silent_extract]
    else:  # the real extract heartbeats every second, but its page answers only after 30 s
        activities = list(build_activities(Steps(settings)))
    url = sites.slow_url("northwind-analytics/", 30)
    api = ApiServer(settings).start()
    try:
        with in_process_worker(settings, activities):
            api.wait_healthy("healthy")
            with api.client() as c:
                resp = c.post("/workflow/start", json={"url": url, "num_variants": 1, "formats": ["square"]})
                assert resp.status_code == 200 and resp.json()["engine"] == "temporal", resp.text
                run_id = resp.json()["workflow_id"]
            seconds = 1 if timeout == "heartbeat" else 2
            _assert_readable_failed_run(api, run_id, f"extract timed out ({timeout}, {seconds}s)")
        # With no worker at all, the finished run is still read from history alone.
        with api.client() as c:
            assert c.get(f"/workflow/result/{run_id}").json()["status"] == "failed"
    finally:
        api.stop()


def test_local_step_timing_out_for_good_fails_the_run_readably(
    sites: SiteServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(policies.STEP_POLICIES, "extract", SHORT_EXTRACT["start-to-close"])
    settings = make_settings(tmp_path, f"127.0.0.1:{free_port()}", unique_queue("timeout"))
    api = ApiServer(settings).start()
    try:
        api.wait_healthy("degraded")
        with api.client() as c:
            resp = c.post(
                "/workflow/start",
                json={"url": sites.slow_url("northwind-analytics/", 30), "num_variants": 1, "formats": ["square"]},
            )
            assert resp.status_code == 200 and resp.json()["engine"] == "local", resp.text
            run_id = resp.json()["workflow_id"]
        _assert_readable_failed_run(api, run_id, "extract timed out (start-to-close, 2s)")
    finally:
        api.stop()
