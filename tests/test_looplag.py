"""The event-loop lag watch: a blocked loop shows up in its metrics and log, in the API and the worker."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY

from brandtruth import looplag
from brandtruth.devserver import DevServer, free_port
from tests.conftest import unique_queue
from tests.support.servers import make_settings, start_worker_process, wait_for


def _lag_count(process: str) -> float:
    return REGISTRY.get_sample_value("brandtruth_event_loop_lag_seconds_count", {"process": process}) or 0.0


async def test_a_blocked_loop_is_measured_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="brandtruth.looplag")
    before = _lag_count("test-blocked")
    state, task = looplag.start("test-blocked", interval=0.02)
    try:
        await asyncio.wait_for(state.wait_samples(2), timeout=10)  # the watch is running
        time.sleep(0.4)  # CPU work on the loop, as the quadratic link ranking was  # noqa: ASYNC251
        await asyncio.wait_for(state.wait_samples(state.samples + 1), timeout=10)
    finally:
        task.cancel()
    # The wake-up due during the block came at least ~0.4 s - interval late: a lower bound, so a
    # slow machine can only make it larger.
    assert state.worst >= 0.3, state.worst
    assert _lag_count("test-blocked") - before == state.samples
    gauge = REGISTRY.get_sample_value("brandtruth_event_loop_lag_max_seconds", {"process": "test-blocked"})
    assert gauge is not None and gauge >= 0.3
    assert any("test-blocked event loop was blocked for" in r.getMessage() for r in caplog.records)


def test_worker_process_exports_its_event_loop_lag(temporal_server: DevServer, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("lag"))
    port = free_port()
    worker = start_worker_process(
        settings, log_path=tmp_path / "worker.log", extra_env={"BRANDTRUTH_WORKER_METRICS_PORT": str(port)}
    )

    def lag_samples() -> float | None:
        try:
            text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        except httpx.HTTPError:
            return None
        line = next(
            (x for x in text.splitlines() if x.startswith('brandtruth_event_loop_lag_seconds_count{process="worker"}')), ""
        )
        return float(line.split()[-1]) if line else None

    try:
        assert wait_for(lag_samples, 60, "the worker's event-loop lag samples") > 0
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
