"""A Temporal outage plus an API restart: the setting where run lookups and Idempotency-Keys broke.

A run is started on Temporal with an Idempotency-Key and reaches review; then Temporal is killed and
the API restarted (same data directory, same port) while Temporal is still down.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from brandtruth.config import Settings
from brandtruth.devserver import DevServer
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, start_worker_process
from tests.support.sse import read_stream

KEY = "order-4711"
LEGACY_RUNS_TABLE = (
    "CREATE TABLE runs (workflow_id TEXT PRIMARY KEY, status TEXT NOT NULL, url TEXT NOT NULL, created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL, input_json TEXT NOT NULL, state_json TEXT NOT NULL)"
)


@dataclass
class Outage:
    temporal: DevServer
    settings: Settings
    api: ApiServer  # the restarted API, in degraded mode
    run_id: str  # started on Temporal with KEY
    body: dict[str, object]

    def recover(self) -> None:
        self.temporal.start()
        self.api.wait_healthy("healthy", timeout=60)


@contextmanager
def outage_after_api_restart(tmp_path: Path, url: str, legacy: bool = False) -> Iterator[Outage]:
    """`legacy`: the local store predates placements, and the keyed run was started before them."""
    temporal = DevServer(db_file=tmp_path / "temporal.sqlite", log_file=tmp_path / "temporal.log").start()
    settings = make_settings(tmp_path, temporal.address, unique_queue("outage"))
    if legacy:
        settings.local_db_path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(settings.local_db_path) as db:
            db.execute(LEGACY_RUNS_TABLE)
    worker = start_worker_process(settings, log_path=tmp_path / "worker.log")
    api = ApiServer(settings).start()
    try:
        api.wait_healthy("healthy")
        body: dict[str, object] = {"url": url, "num_variants": 2, "formats": ["square"]}
        with api.client() as c:
            resp = c.post("/workflow/start", json=body, headers={"Idempotency-Key": KEY})
        assert resp.status_code == 200 and resp.json()["engine"] == "temporal", resp.text
        run_id = resp.json()["workflow_id"]
        events, _ = read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
        assert events[-1].data["type"] == "awaiting_approval", events[-1].data
        if legacy:
            with sqlite3.connect(settings.local_db_path) as db:
                db.execute("DELETE FROM placements")

        temporal.kill()
        api.stop()
        api = ApiServer(settings, port=api.port).start()
        api.wait_healthy("degraded")
        yield Outage(temporal, settings, api, run_id, body)
    finally:
        api.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
        temporal.stop()
