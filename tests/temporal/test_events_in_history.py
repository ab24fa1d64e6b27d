"""Progress events travel in workflow history: a stream needs the Temporal server, not a worker."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from brandtruth.devserver import DevServer
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, start_worker_process
from tests.support.sse import read_stream


def test_stream_is_read_from_history_while_no_worker_runs(temporal_server: DevServer, tmp_path: Path, demo_url: str) -> None:
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("hist"))
    worker = start_worker_process(settings, log_path=tmp_path / "worker.log")
    api = ApiServer(settings).start()
    try:
        api.wait_healthy("healthy")
        with api.client() as c:
            run_id = c.post("/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]}).json()[
                "workflow_id"
            ]
        live, _ = read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
    finally:
        api.stop()
        os.killpg(worker.pid, signal.SIGKILL)  # nobody left to answer a query
        worker.wait(timeout=10)

    fresh = ApiServer(settings).start()  # a new API process state: no caches, no watchers
    try:
        replayed, _ = read_stream(fresh.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval", timeout=20)
        assert [e.data for e in replayed] == [e.data for e in live]
    finally:
        fresh.stop()
