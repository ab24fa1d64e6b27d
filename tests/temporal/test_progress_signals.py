"""An activity's progress signals: a quick compose activity reports through its result alone, a
long one still signals its latest count; other steps signal their first report at once.

Run in Temporal's ActivityEnvironment; the client only records what would be signalled (this tests
our throttle, not the server: the run-level events are covered by tests/api/test_sub_step_progress.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio.testing import ActivityEnvironment

from brandtruth.engines.temporal.activities.base import PROGRESS_SIGNAL_SECONDS, ProgressSignals
from brandtruth.pipeline.models import StepProgress


class _Handle:
    def __init__(self, sent: list[tuple[str, Any]]):
        self.sent = sent

    async def signal(self, name: str, arg: Any) -> None:
        self.sent.append((name, arg))


class _RecordingClient:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def get_workflow_handle(self, workflow_id: str) -> _Handle:
        return _Handle(self.sent)


async def _until_sent(client: _RecordingClient, count: int) -> None:
    for _ in range(200):  # bounded: 10 s
        if len(client.sent) >= count:
            return
        await asyncio.sleep(0.05)


def test_a_quick_activity_with_quiet_first_sends_nothing() -> None:
    async def quick_compose(_: _RecordingClient) -> None:
        # Quick next to its quiet start by any measure: a busy machine's pause cannot make it a slow one.
        async with ProgressSignals(quiet_first=60) as progress:
            progress.report(StepProgress(step="compose", part="v1", done=1, total=3))
            await asyncio.sleep(0)
            progress.report(StepProgress(step="compose", part="v1", done=2, total=3))
            await asyncio.sleep(0)

    assert asyncio.run(_async(quick_compose)) == []


def test_a_long_activity_with_quiet_first_still_signals_its_latest_count() -> None:
    async def long_compose(client: _RecordingClient) -> None:
        async with ProgressSignals(quiet_first=PROGRESS_SIGNAL_SECONDS) as progress:
            progress.report(StepProgress(step="compose", part="v1", done=1, total=3))
            progress.report(StepProgress(step="compose", part="v1", done=2, total=3))
            await _until_sent(client, 1)

    sent = asyncio.run(_async(long_compose))
    assert [(name, p.done) for name, p in sent] == [("step_progress", 2)]


def test_without_quiet_first_the_first_report_is_signalled() -> None:
    async def extract(client: _RecordingClient) -> None:
        async with ProgressSignals() as progress:
            progress.report(StepProgress(step="extract", done=1, total=4))
            await _until_sent(client, 1)

    sent = asyncio.run(_async(extract))
    assert [(name, p.step, p.done) for name, p in sent] == [("step_progress", "extract", 1)]


async def _async(activity_fn: Any) -> list[tuple[str, Any]]:
    client = _RecordingClient()
    await ActivityEnvironment(client=client).run(activity_fn, client)  # type: ignore[arg-type]
    return client.sent
