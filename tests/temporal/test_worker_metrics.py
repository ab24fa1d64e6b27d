"""A separate worker exports its step metrics and the Temporal SDK's own metrics in Prometheus format."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx

from brandtruth.devserver import DevServer, free_port, port_open
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, start_worker_process, wait_for
from tests.support.sse import read_stream


def test_worker_serves_step_and_sdk_metrics(temporal_server: DevServer, tmp_path: Path, demo_url: str) -> None:
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("metrics"))
    steps_port, sdk_port = free_port(), free_port()
    worker = start_worker_process(
        settings,
        log_path=tmp_path / "worker.log",
        extra_env={"BRANDTRUTH_WORKER_METRICS_PORT": str(steps_port), "BRANDTRUTH_TEMPORAL_METRICS_PORT": str(sdk_port)},
    )
    api = ApiServer(settings).start()
    try:
        api.wait_healthy("healthy")
        with api.client() as c:
            run_id = c.post("/workflow/start", json={"url": demo_url, "num_variants": 1, "formats": ["square"]}).json()[
                "workflow_id"
            ]
        read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
        wait_for(lambda: port_open("127.0.0.1", sdk_port), 10, "the SDK metrics endpoint")
        steps = httpx.get(f"http://127.0.0.1:{steps_port}/metrics", timeout=10).text
        sdk = httpx.get(f"http://127.0.0.1:{sdk_port}/metrics", timeout=10).text
        for step in ("extract", "generate", "match", "compose", "score"):
            assert f'brandtruth_step_duration_seconds_count{{step="{step}"}} 1.0' in steps, step
        assert "temporal_activity_execution_latency" in sdk or "temporal_workflow_task" in sdk, sdk[:500]
    finally:
        api.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
