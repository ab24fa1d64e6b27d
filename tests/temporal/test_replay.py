"""Recorded histories must still replay against today's workflow code (determinism guard).

tests/fixtures/histories/*.json are histories recorded from earlier versions; a fresh history is
recorded here too (and saved under test-artifacts/ so it can be committed after a deliberate change).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from brandtruth.devserver import DevServer
from brandtruth.engines.temporal.workflows.ad_pipeline import AdPipelineWorkflow
from tests.conftest import ARTIFACTS_DIR, unique_queue
from tests.support.servers import ApiServer, make_settings
from tests.support.sse import read_stream

HISTORIES = Path(__file__).resolve().parent.parent / "fixtures" / "histories"


def replay(history: WorkflowHistory) -> None:
    # Always inside the sandbox, whatever runner the worker uses: this is where a non-deterministic
    # call in workflow code (a clock, randomness, I/O) fails CI.
    replayer = Replayer(
        workflows=[AdPipelineWorkflow], data_converter=pydantic_data_converter, workflow_runner=SandboxedWorkflowRunner()
    )
    asyncio.run(replayer.replay_workflow(history))


@pytest.mark.parametrize("path", sorted(HISTORIES.glob("*.json")), ids=lambda p: p.stem)
def test_recorded_history_replays(path: Path) -> None:
    replay(WorkflowHistory.from_json(path.stem, path.read_text()))


def test_fresh_history_replays(temporal_server: DevServer, tmp_path: Path, demo_url: str) -> None:
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("replay"))
    api = ApiServer(settings, embedded_worker=True).start()
    try:
        api.wait_healthy("healthy")
        with api.client() as c:
            run_id = c.post("/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]}).json()[
                "workflow_id"
            ]
            # An invalid signal and a valid update, so both handlers are in the history.
            read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
            assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v5"], "wait": False}).status_code == 202
            read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "approval_rejected")
            assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}).status_code == 200
        read_stream(api.base_url, run_id)
    finally:
        api.stop()

    async def fetch() -> WorkflowHistory:
        client = await Client.connect(temporal_server.address, data_converter=pydantic_data_converter)
        return await client.get_workflow_handle(run_id).fetch_history()

    history = asyncio.run(fetch())
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    (ARTIFACTS_DIR / "fresh-history.json").write_text(history.to_json())
    replay(history)
