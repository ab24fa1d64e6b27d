"""A run whose stored state no longer decodes gives a clear answer for that run, on both engines: a
damaged field falls back to its default (the run stays readable); a state beyond repair is a 409
that says so, and its stream ends. Never a 500 on every read, never a stream left open."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import httpx
from temporalio import workflow
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from brandtruth.devserver import DevServer, free_port
from brandtruth.engines.base import UnreadableRun, decode_state
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings
from tests.support.sse import read_stream

REQUEST = {"url": "https://example.com/"}


def _damaged(run_id: str) -> dict[str, Any]:
    """A failed run as an old worker stored it: the error type is a Temporal enum's number."""
    return {
        "workflow_id": run_id,
        "engine": "temporal",
        "request": REQUEST,
        "status": "failed",
        "error": "extract failed: activity Heartbeat timeout",
        "error_type": 4,
    }


def _beyond_repair(run_id: str) -> dict[str, Any]:
    return {"workflow_id": run_id, "engine": "temporal", "request": 7, "status": "awaiting_approval"}


def test_decode_state_drops_only_what_does_not_decode() -> None:
    state = decode_state(_damaged("pipeline-a1"), "pipeline-a1")
    assert state.status.value == "failed" and state.error_type is None and "Heartbeat" in (state.error or "")
    for raw in (_beyond_repair("pipeline-a1"), "{not json", b"[]"):
        try:
            decode_state(raw, "pipeline-a1")  # type: ignore[arg-type]
        except UnreadableRun as exc:
            assert "cannot be read" in exc.detail and exc.status_code == 409
        else:
            raise AssertionError(f"{raw!r} decoded")


@workflow.defn(name="AdPipelineWorkflow", sandboxed=False)
class StoredStateStandIn:
    """Answers for a run with a state fixed by the test, as a worker of an older version would."""

    def __init__(self) -> None:
        self._state: dict[str, Any] = {}

    @workflow.run
    async def run(self, state: dict[str, Any]) -> dict[str, Any]:
        self._state = state
        if state.get("status") != "failed":
            await workflow.wait_condition(lambda: False)  # open until cancelled
        return state

    @workflow.query
    def snapshot(self, _: dict[str, Any]) -> dict[str, Any]:
        return self._state


def test_temporal_run_with_undecodable_state_answers_clearly(temporal_server: DevServer, tmp_path: Path) -> None:
    queue = unique_queue("unreadable")
    api = ApiServer(make_settings(tmp_path, temporal_server.address, queue)).start()
    damaged, broken = f"pipeline-d{uuid.uuid4().hex[:8]}", f"pipeline-b{uuid.uuid4().hex[:8]}"

    async def scenario() -> None:
        client = await Client.connect(temporal_server.address, data_converter=pydantic_data_converter)
        async with Worker(client, task_queue=queue, workflows=[StoredStateStandIn], workflow_runner=UnsandboxedWorkflowRunner()):
            await client.execute_workflow("AdPipelineWorkflow", _damaged(damaged), id=damaged, task_queue=queue)
            handle = await client.start_workflow("AdPipelineWorkflow", _beyond_repair(broken), id=broken, task_queue=queue)
            await asyncio.to_thread(_check, api, damaged, broken)
            await handle.cancel()

    try:
        asyncio.run(scenario())
    finally:
        api.stop()


def _check(api: ApiServer, damaged: str, broken: str) -> None:
    with api.client() as c:
        result = c.get(f"/workflow/result/{damaged}")
        assert result.status_code == 200, result.text
        assert result.json()["status"] == "failed" and "Heartbeat" in result.json()["error"]
        assert c.get(f"/workflow/progress/{damaged}").status_code == 200
        assert c.post(f"/workflow/cancel/{damaged}").status_code == 409
        for path in (f"/workflow/result/{broken}", f"/workflow/progress/{broken}"):
            resp = c.get(path)
            assert resp.status_code == 409, (path, resp.text)
            assert "cannot be read" in resp.json()["detail"]
        # The list asks no worker: the run's state is not read, and this run (started without the run
        # index) is listed as unknown, with why, rather than with a guessed status.
        listed = {r["workflow_id"]: r for r in c.get("/workflow/list").json()}
        assert listed[damaged]["status"] == "failed" and listed[broken]["status"] == "unknown"
        assert "run index" in listed[broken]["status_reason"]
    events, ended = read_stream(api.base_url, broken, timeout=30)
    assert ended and events[-1].data["type"] == "failed" and "cannot be read" in events[-1].data["message"]


def test_local_run_with_undecodable_state_answers_clearly(tmp_path: Path, demo_url: str) -> None:
    settings = make_settings(tmp_path, f"127.0.0.1:{free_port()}", unique_queue())
    api = ApiServer(settings).start()
    try:
        with api.client() as c:
            ids = [
                c.post("/workflow/start", json={"url": demo_url, "num_variants": 1, "formats": ["square"]}).json()["workflow_id"]
                for _ in range(2)
            ]
            for run_id in ids:
                read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
                assert c.post(f"/workflow/reject/{run_id}").status_code == 200
    finally:
        api.stop()
    damaged, broken = ids
    with sqlite3.connect(settings.local_db_path) as db:
        db.execute("UPDATE runs SET state_json=json_set(state_json, '$.error_type', 4) WHERE workflow_id=?", (damaged,))
        db.execute("UPDATE runs SET state_json='{not json', status='running' WHERE workflow_id=?", (broken,))
    api = ApiServer(settings).start()  # the broken run is "running": start-up must not trip over it
    try:
        with api.client() as c:
            result = c.get(f"/workflow/result/{damaged}")
            assert result.status_code == 200, result.text
            assert result.json()["status"] == "rejected" and result.json()["error_type"] is None
            for path in (f"/workflow/result/{broken}", f"/workflow/progress/{broken}"):
                resp = c.get(path)
                assert resp.status_code == 409, (path, resp.text)
                assert "cannot be read" in resp.json()["detail"]
            resp = c.post(f"/workflow/cancel/{broken}")
            assert resp.status_code == 409 and "cannot be read" in resp.json()["detail"]
            assert broken in [r["workflow_id"] for r in c.get("/workflow/list").json()]
            assert httpx.get(f"{api.base_url}/workflow/health").status_code == 200
        events, ended = read_stream(api.base_url, broken, timeout=30)
        assert ended and events[-1].data["type"] == "failed" and "cannot be read" in events[-1].data["message"]
    finally:
        api.stop()
