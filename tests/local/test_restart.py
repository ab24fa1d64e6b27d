"""Local engine durability: an API restart loses no run, no event and no decision."""

from __future__ import annotations

from pathlib import Path

from brandtruth.devserver import free_port
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, wait_for
from tests.support.sites import serve_sites
from tests.support.sse import read_stream


def _settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_settings(tmp_path, f"127.0.0.1:{free_port()}", unique_queue())


def _status(server: ApiServer, run_id: str) -> str:
    with server.client() as c:
        return str(c.get(f"/workflow/progress/{run_id}").json()["status"])


def test_restart_keeps_runs_events_and_allows_approval(tmp_path: Path, demo_url: str) -> None:
    settings = _settings(tmp_path)
    first = ApiServer(settings).start()
    try:
        with first.client() as c:
            run_id = c.post("/workflow/start", json={"url": demo_url, "formats": ["square"]}).json()["workflow_id"]
        before, _ = read_stream(first.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
    finally:
        first.stop()

    second = ApiServer(settings).start()
    try:
        with second.client() as c:
            listed = c.get("/workflow/list").json()
            assert run_id in [r["workflow_id"] for r in listed]
            assert _status(second, run_id) == "awaiting_approval"
            replay, _ = read_stream(second.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
            assert [e.data for e in replay] == [e.data for e in before], "history changed across the restart"
            resp = c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v2"]})
            assert resp.status_code == 200, resp.text
        rest, ended = read_stream(second.base_url, run_id, last_event_id=before[-1].id)
        assert ended and [e.data["type"] for e in rest] == ["approved", "exported", "completed"]
    finally:
        second.stop()


def test_restart_mid_step_resumes_from_last_finished_step(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with serve_sites() as held:  # its own server: its start page answers when this test releases it
        url = held.slow_url("northwind-analytics/", 30)
        first = ApiServer(settings).start()
        try:
            with first.client() as c:
                run_id = c.post("/workflow/start", json={"url": url, "formats": ["square"]}).json()["workflow_id"]
            read_stream(first.base_url, run_id, until=lambda ev: ev.data["type"] == "step_started")
        finally:
            first.stop()  # the extract step is mid-flight, whatever the machine's speed: its page is held

        second = ApiServer(settings).start()
        held.release()
        try:
            wait_for(lambda: _status(second, run_id) == "awaiting_approval", 90, "resumed run to await approval")
            events, _ = read_stream(second.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
            ids = [e.id for e in events]
            assert ids == list(range(1, len(ids) + 1))
            starts = [e.data["data"] for e in events if e.data["type"] == "step_started"]
            extract_attempts = [s["attempt"] for s in starts if s["step"] == "extract"]
            assert extract_attempts == [1, 2], "extract is retried once after the restart"
            completed = [e.data["data"]["step"] for e in events if e.data["type"] == "step_completed"]
            assert completed == ["extract", "generate", "match", "compose", "score"]
        finally:
            second.stop()
