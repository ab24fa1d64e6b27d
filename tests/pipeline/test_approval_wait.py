"""The approval wait in-process, on a fake clock: reminders are bounded per wait, and a wait that goes
on in a fresh history (continue-as-new) keeps its deadline and its events (orchestrator)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from brandtruth.pipeline.models import PipelineInput, RunOptions, RunStatus
from brandtruth.pipeline.orchestrator import MAX_REMINDERS, ContinueAsNew, Pipeline

START = datetime(2026, 1, 1, tzinfo=UTC)


class ClockRunner:
    """Waits pass on a fake clock at once; `rest_after` waits, it asks for a continue-as-new."""

    def __init__(self, rest_after: int | None = None) -> None:
        self.clock = START
        self.waits: list[float] = []
        self.rest_after = rest_after

    def now(self) -> datetime:
        return self.clock

    async def wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        self.waits.append(timeout)
        self.clock += timedelta(seconds=timeout)
        return condition()

    def should_continue_as_new(self) -> bool:
        return self.rest_after is not None and len(self.waits) >= self.rest_after

    async def checkpoint(self, state: object) -> None:
        return None

    def announce(self, event: object) -> None:
        return None


def waiting_pipeline(runner: ClockRunner, timeout: float, interval: float) -> Pipeline:
    inp = PipelineInput(
        workflow_id="pipeline-w",
        request=RunOptions(url="https://example.com/"),
        approval_timeout_seconds=timeout,
        reminder_interval_seconds=interval,
    )
    pipeline = Pipeline(inp, runner)  # type: ignore[arg-type]
    pipeline.state.status = RunStatus.AWAITING_APPROVAL
    pipeline.emit("awaiting_approval", "Variants ready for review")
    return pipeline


async def test_a_short_interval_over_a_long_wait_is_capped_in_reminders() -> None:
    # A 1 s default interval (Settings bypass the API's 1 h floor) over a 2 h wait: 7,199 reminders
    # before (2.6 million over 30 days); now at most MAX_REMINDERS, evenly spaced.
    runner = ClockRunner()
    pipeline = waiting_pipeline(runner, 7200, 1)
    assert await pipeline._wait_for_decision() is False
    reminders = [e for e in pipeline.state.events if e.type == "reminder"]
    assert MAX_REMINDERS - 1 <= len(reminders) <= MAX_REMINDERS
    assert set(runner.waits) == {7200 / MAX_REMINDERS}


async def test_a_continued_wait_keeps_its_deadline_and_events() -> None:
    runner = ClockRunner(rest_after=3)
    first = waiting_pipeline(runner, 10, 1)
    with pytest.raises(ContinueAsNew):
        await first._wait_for_decision()
    carried = first.state.model_copy(deep=True)
    # Two waits ran out (a reminder each); the third ended as the history grew long.
    assert [e.type for e in carried.events] == ["awaiting_approval", "reminder", "reminder"]

    runner.rest_after = None  # the fresh execution, from the carried state
    second = Pipeline(first.inp.model_copy(update={"resume": carried}), runner, state=carried)  # type: ignore[arg-type]
    assert await second._wait_for_decision() is False
    assert runner.clock == START + timedelta(seconds=10)  # the deadline counts from the first wait
    assert [e.id for e in second.state.events] == list(range(1, len(second.state.events) + 1))
