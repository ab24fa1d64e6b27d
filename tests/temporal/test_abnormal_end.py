"""A run terminated in Temporal by an operator: streams end with an honest event, the result says why."""

from __future__ import annotations

import asyncio
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from brandtruth.devserver import DevServer
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings
from tests.support.sse import read_stream


def test_terminated_run_ends_streams_and_reports_failed(temporal_server: DevServer, tmp_path: Path, demo_url: str) -> None:
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("term"))
    api = ApiServer(settings, embedded_worker=True).start()
    try:
        api.wait_healthy("healthy")
        with api.client() as c:
            run_id = c.post("/workflow/start", json={"url": demo_url, "num_variants": 1, "formats": ["square"]}).json()[
                "workflow_id"
            ]
        read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")

        async def terminate() -> None:
            client = await Client.connect(temporal_server.address, data_converter=pydantic_data_converter)
            await client.get_workflow_handle(run_id).terminate(reason="operator cleanup")

        asyncio.run(terminate())
        events, ended = read_stream(api.base_url, run_id, timeout=30)
        assert ended and events[-1].data["type"] == "failed"
        assert "TERMINATED" in events[-1].data["message"]
        assert [e.id for e in events] == list(range(1, len(events) + 1))
        with api.client() as c:
            result = c.get(f"/workflow/result/{run_id}").json()
            assert result["status"] == "failed" and result["error_type"] == "WorkflowTerminated"
            assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}).status_code == 409
            assert c.post(f"/workflow/cancel/{run_id}").status_code == 409
    finally:
        api.stop()
