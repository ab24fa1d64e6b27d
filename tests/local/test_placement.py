"""Run placements in the local store: written before a run starts, so a key or an id means one run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from brandtruth.api.service import idempotent_run_id
from brandtruth.devserver import DevServer, free_port
from brandtruth.engines.local.store import LocalRunStore
from brandtruth.pipeline.models import StartRequest
from tests.conftest import unique_queue
from tests.support.outage import LEGACY_RUNS_TABLE
from tests.support.servers import ApiServer, make_settings
from tests.support.sse import read_stream


def test_a_key_placed_but_never_started_starts_its_run_on_the_next_request(tmp_path: Path, demo_url: str) -> None:
    """The API stopped between recording the placement and starting the run: the key still works."""
    settings = make_settings(tmp_path, f"127.0.0.1:{free_port()}", unique_queue())
    body = {"url": demo_url, "num_variants": 1, "formats": ["square"]}
    run_id = idempotent_run_id("k-1", None)
    store = LocalRunStore(settings.local_db_path)
    assert store.place(run_id, "local", StartRequest.model_validate(body).model_dump_json()) is None
    store.close()
    api = ApiServer(settings).start()
    try:
        with api.client() as c:
            assert c.get(f"/workflow/progress/{run_id}").status_code == 404
            assert (
                c.post("/workflow/start", json={**body, "num_variants": 2}, headers={"Idempotency-Key": "k-1"}).status_code == 422
            )
            resp = c.post("/workflow/start", json=body, headers={"Idempotency-Key": "k-1"})
            assert resp.status_code == 200, resp.text
            assert resp.json() == {"workflow_id": run_id, "status": "started", "engine": "local"}
            events, _ = read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
            assert events[-1].data["type"] == "awaiting_approval"
            again = c.post("/workflow/start", json=body, headers={"Idempotency-Key": "k-1"})
            assert again.json()["workflow_id"] == run_id
            assert [r["workflow_id"] for r in c.get("/workflow/list").json()].count(run_id) == 1
    finally:
        api.stop()


def test_only_a_store_created_with_placements_trusts_their_absence(tmp_path: Path) -> None:
    fresh = LocalRunStore(tmp_path / "fresh.sqlite")
    assert fresh.placements_complete and not fresh.temporal_seen()
    assert fresh.place("pipeline-a", "temporal") is None
    assert fresh.place("pipeline-a", "local") == ("temporal", None)  # first placement wins
    assert fresh.temporal_seen()
    fresh.close()

    legacy_path = tmp_path / "legacy.sqlite"
    with sqlite3.connect(legacy_path) as db:  # a store from before placements: runs it never placed
        db.execute(LEGACY_RUNS_TABLE)
    legacy = LocalRunStore(legacy_path)
    assert not legacy.placements_complete
    legacy.close()
    assert not LocalRunStore(legacy_path).placements_complete  # and stays so across restarts


def test_a_run_id_on_both_engines_is_listed_once_and_read_where_placed(
    temporal_server: DevServer, tmp_path: Path, demo_url: str
) -> None:
    """The old bug left a local copy of a Temporal run (same id): /list shows it once, lookups reach Temporal."""
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("twice"))
    api = ApiServer(settings, embedded_worker=True).start()
    try:
        api.wait_healthy("healthy")
        with api.client() as c:
            run_id = c.post("/workflow/start", json={"url": demo_url, "num_variants": 1, "formats": ["square"]}).json()[
                "workflow_id"
            ]
            read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
            with sqlite3.connect(settings.local_db_path) as db:
                db.execute(
                    "INSERT INTO runs (workflow_id, status, url, created_at, updated_at, input_json, state_json) "
                    "VALUES (?, 'failed', ?, '2999-01-01T00:00:00+00:00', '', '{}', '{}')",
                    (run_id, demo_url),
                )
        api.stop()
        api = ApiServer(settings, embedded_worker=True).start()  # nothing in memory: the lookup goes by placement
        api.wait_healthy("healthy")
        with api.client() as c:
            listed = [(r["workflow_id"], r["engine"]) for r in c.get("/workflow/list").json()]
            assert [i for i, _ in listed].count(run_id) == 1 and (run_id, "temporal") in listed, listed
            progress = c.get(f"/workflow/progress/{run_id}")
            assert progress.status_code == 200 and progress.json()["engine"] == "temporal", progress.text
            assert progress.json()["status"] == "awaiting_approval"
    finally:
        api.stop()
