"""Decisions and cancels are Temporal updates, answered by a worker: with no worker polling, the API
answers 503 with what to do after a bounded wait, instead of hanging (cancel once was a cancel request
the server handled alone; as an update it waited for ever)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from brandtruth.devserver import DevServer
from brandtruth.engines.base import EngineUnavailable
from brandtruth.engines.temporal import engine as temporal_engine
from brandtruth.engines.temporal.client import TemporalConnection
from brandtruth.engines.temporal.engine import TemporalEngine
from brandtruth.pipeline.models import DecisionInput, PipelineInput, RunOptions
from tests.conftest import unique_queue
from tests.support.servers import make_settings


def test_cancel_and_approve_with_no_worker_are_503_not_a_hang(
    temporal_server: DevServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(temporal_engine, "UPDATE_RPC_TIMEOUT", timedelta(seconds=1))
    # No worker ever polls this queue: the run is RUNNING on the server and nobody can answer it.
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("no-worker"))
    engine = TemporalEngine(TemporalConnection(settings))
    run_id = f"pipeline-noworker-{tmp_path.name[-8:]}"

    async def scenario() -> None:
        await engine.start(PipelineInput(workflow_id=run_id, request=RunOptions(url="https://example.com/")))
        for attempt in (engine.cancel(run_id), engine.decide(run_id, DecisionInput(kind="approve", variant_ids=["v1"]))):
            with pytest.raises(EngineUnavailable) as err:
                await asyncio.wait_for(attempt, 30)  # the bound of the test; the engine gives up after 1 s
            assert "No Temporal worker answered" in err.value.detail and err.value.status_code == 503

    asyncio.run(scenario())
