"""SIGKILL the worker in the middle of an activity; a new worker finishes the run, and the steps that
had finished before the kill ran exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from brandtruth.devserver import DevServer
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, start_worker_process, wait_for
from tests.support.sites import SiteServer
from tests.support.sse import read_stream


def _activity_history(address: str, run_id: str) -> tuple[Counter[str], Counter[str]]:
    """(scheduled per activity type, completed per activity type) from the run's real history."""

    async def fetch() -> tuple[Counter[str], Counter[str]]:
        client = await Client.connect(address, data_converter=pydantic_data_converter)
        history = await client.get_workflow_handle(run_id).fetch_history()
        scheduled: Counter[str] = Counter()
        by_event_id: dict[int, str] = {}
        completed: Counter[str] = Counter()
        for ev in history.events:
            if ev.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
                name = ev.activity_task_scheduled_event_attributes.activity_type.name
                scheduled[name] += 1
                by_event_id[ev.event_id] = name
            elif ev.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
                completed[by_event_id[ev.activity_task_completed_event_attributes.scheduled_event_id]] += 1
        return scheduled, completed

    return asyncio.run(fetch())


def test_killed_worker_mid_activity_run_completes_on_new_worker(
    temporal_server: DevServer, sites: SiteServer, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("kill"))
    gate = tmp_path / "gate"
    gate.mkdir()
    doomed = start_worker_process(
        settings, module="tests.support.gated_worker", log_path=tmp_path / "gated.log", extra_env={"GATE_DIR": str(gate)}
    )
    api = ApiServer(settings).start()
    replacement = None
    try:
        api.wait_healthy("healthy")
        site = "northwind-analytics/"
        hits_before = sites.count(f"/{site}")
        with api.client() as c:
            resp = c.post("/workflow/start", json={"url": sites.url(site), "num_variants": 2, "formats": ["square"]})
            run_id = resp.json()["workflow_id"]
            assert resp.json()["engine"] == "temporal"
        wait_for(lambda: (gate / "compose-started").exists(), 60, "compose to start on the doomed worker")
        # Two workers poll the queue; the one holding the compose activity dies.
        replacement = start_worker_process(settings, log_path=tmp_path / "replacement.log")
        wait_for(lambda: api.wait_healthy("healthy")["workers"] >= 2, 30, "the second worker to poll")

        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)
        killed_at = time.monotonic()

        events, _ = read_stream(
            api.base_url, run_id, until=lambda ev: ev.data["type"] in ("awaiting_approval", "failed"), timeout=90
        )
        compose_done = next(e for e in events if e.data["type"] == "step_completed" and e.data["data"]["step"] == "compose")
        print(
            f"\nstall after SIGKILL of the compose worker: {compose_done.received_at - killed_at:.2f} s "
            "(heartbeat timeout 5 s + retry)"
        )
        assert events[-1].data["type"] == "awaiting_approval", events[-1].data
        with api.client() as c:
            assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}).status_code == 200
        rest, ended = read_stream(api.base_url, run_id, last_event_id=events[-1].id)
        assert ended and rest[-1].data["type"] == "completed"

        scheduled, completed = _activity_history(temporal_server.address, run_id)
        for name in ("extract_brand_activity", "generate_copy_activity", "match_images_activity"):
            assert scheduled[name] == 1 and completed[name] == 1, (name, scheduled, completed)
        assert completed["compose_variants_activity"] == 1  # both variants in one batch, on the new worker
        assert completed["predict_performance_activity"] == 1
        assert sites.count(f"/{site}") == hits_before + 1, "the start page was fetched again after the kill"
        # Each step reported once in the stream: no finished step re-announced.
        completed_steps = [e.data["data"]["step"] for e in events if e.data["type"] == "step_completed"]
        assert completed_steps == ["extract", "generate", "match", "compose", "score"]
    finally:
        api.stop()
        for proc in (doomed, replacement):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
