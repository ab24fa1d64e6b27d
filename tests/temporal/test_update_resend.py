"""An update the server dropped because its workflow task failed is sent again, under the same id."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from temporalio.service import RPCError, RPCStatusCode

from brandtruth.engines.temporal import engine as temporal_engine

DROPPED = "Unable to perform workflow execution update due to unexpected workflow task failure."


class RecordingHandle:
    """Stands in for a WorkflowHandle: fails the first `failures` updates with `message`."""

    id = "pipeline-resend"

    def __init__(self, failures: int, message: str = DROPPED) -> None:
        self.failures = failures
        self.message = message
        self.ids: list[str | None] = []

    async def execute_update(self, update: Any, arg: Any, *, id: str | None = None, **_: Any) -> str:
        self.ids.append(id)
        if len(self.ids) <= self.failures:
            raise RPCError(self.message, RPCStatusCode.INTERNAL, b"")
        return f"applied {arg}"


def run(handle: RecordingHandle) -> str:
    return asyncio.run(temporal_engine._execute_update(handle, "cancel", "x"))  # type: ignore[arg-type]


def test_a_dropped_update_is_sent_again_with_the_same_id() -> None:
    handle = RecordingHandle(failures=2)
    assert run(handle) == "applied x"
    assert len(handle.ids) == 3 and len(set(handle.ids)) == 1 and handle.ids[0]


def test_resending_is_bounded() -> None:
    handle = RecordingHandle(failures=10)
    with pytest.raises(RPCError):
        run(handle)
    assert len(handle.ids) == temporal_engine.UPDATE_ATTEMPTS


def test_other_errors_are_not_retried() -> None:
    handle = RecordingHandle(failures=1, message="workflow execution already completed")
    with pytest.raises(RPCError):
        run(handle)
    assert len(handle.ids) == 1
