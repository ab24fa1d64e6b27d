"""API replicas behind a load balancer (README, "Running it for real"): a stream reads the run's
history on the Temporal server, not any process's memory, so a browser whose stream was cut on one
API process resumes on another with Last-Event-ID, and gets every event after it exactly once."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from brandtruth.devserver import DevServer
from tests.conftest import unique_queue
from tests.support.servers import make_settings, start_worker_process, wait_for
from tests.support.sse import SseEvent, read_stream
from tests.test_process_lifecycle import api_server


def _ids(events: list[SseEvent]) -> list[int | None]:
    return [e.id for e in events]


def test_stream_cut_on_one_api_process_resumes_on_another_with_nothing_lost_or_repeated(
    temporal_server: DevServer, demo_url: str, tmp_path: Path
) -> None:
    queue = unique_queue("bt-replicas")
    # Two API processes (real uvicorn, no worker, nothing shared but Temporal) and one worker process.
    env = {
        "TEMPORAL_HOST": temporal_server.address,
        "TEMPORAL_TASK_QUEUE": queue,
        "BRANDTRUTH_ALLOW_PRIVATE_URLS": "true",
        "BRANDTRUTH_PROVIDER": "offline",
        "BRANDTRUTH_HEALTH_CACHE_SECONDS": "0.5",
    }
    worker = start_worker_process(
        make_settings(tmp_path / "worker", temporal_server.address, queue), log_path=tmp_path / "worker.log"
    )
    try:
        with api_server(tmp_path / "a", **env) as a, api_server(tmp_path / "b", **env) as b:
            for api in (a, b):
                wait_for(lambda api=api: (api.health() or {}).get("status") == "healthy", 60, "each API to see the worker")
            started = httpx.post(f"{a.base_url}/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]})
            assert started.status_code == 200, started.text
            run_id = started.json()["workflow_id"]

            # The first events on replica A, then A goes away (SIGTERM) with the stream open.
            first, ended = read_stream(a.base_url, run_id, until=lambda ev: (ev.id or 0) >= 3)
            assert not ended and _ids(first) == [1, 2, 3]
            a.proc.send_signal(signal.SIGTERM)
            a.proc.wait(30)

            # The browser reconnects through the load balancer and lands on replica B.
            rest, ended = read_stream(
                b.base_url, run_id, last_event_id=3, until=lambda ev: ev.data["type"] == "awaiting_approval"
            )
            assert not ended
            approved = httpx.post(f"{b.base_url}/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}, timeout=30)
            assert approved.status_code == 200, approved.text
            tail, ended = read_stream(b.base_url, run_id, last_event_id=rest[-1].id)
            assert ended and tail[-1].data["status"] == "completed"

            seen = first + rest + tail
            assert _ids(seen) == list(range(1, len(seen) + 1)), "an event was lost or repeated"
            whole, _ = read_stream(b.base_url, run_id)  # the run's whole story, read afresh
            assert [e.data for e in whole] == [e.data for e in seen]
    finally:
        worker.kill()
        worker.wait(10)
