"""The CLI's step bars driven by a real run's events (both engines): sub-step progress moves a bar
n of N, every bar ends full when its step completes, and a run that ends in a step marks it."""

from __future__ import annotations

import io

from rich.console import Console

from brandtruth.cli.display import StepBars, step_progress
from tests.api.test_contract import start_run, stream_until_awaiting
from tests.support.servers import ApiServer


def bars() -> tuple[StepBars, Console]:
    console = Console(file=io.StringIO(), width=200, color_system=None, force_terminal=False)
    return StepBars(step_progress(console)), console


def test_progress_events_move_the_bars_and_completion_fills_them(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url, num_variants=2)
    events = [e.data for e in stream_until_awaiting(api, run_id)]
    step_bars, _ = bars()
    seen: dict[str, list[tuple[float, float | None]]] = {}
    for ev in events:
        step_bars.apply(ev)
        if ev["type"] in ("page_fetched", "creative_rendered"):
            task = step_bars.progress.tasks[step_bars.tasks[ev["data"]["step"]]]
            seen.setdefault(ev["type"], []).append((task.completed, task.total))
            assert (task.completed, task.total) == (min(ev["data"]["n"], ev["data"]["total"]), ev["data"]["total"])
            assert f"{ev['data']['n']} of {ev['data']['total']}" in str(task.fields["info"])
    assert set(seen) == {"page_fetched", "creative_rendered"}, [e["type"] for e in events]
    for name, task_id in step_bars.tasks.items():
        task = step_bars.progress.tasks[task_id]
        assert task.finished and not task.fields["mark"], name  # ✓, not a spinner or a failure mark
    assert step_bars.running == []


def test_a_failed_event_without_current_step_still_marks_the_running_step() -> None:
    """The terminal event clears current_step (the bug: the bar kept spinning); the bars remember."""
    step_bars, _ = bars()
    step_bars.apply({"type": "step_started", "status": "running", "current_step": "extract", "data": {"step": "extract"}})
    step_bars.apply({"type": "step_completed", "status": "running", "data": {"step": "extract", "duration_ms": 5}})
    step_bars.apply({"type": "step_started", "status": "running", "current_step": "generate", "data": {"step": "generate"}})
    step_bars.apply({"type": "cancelled", "status": "cancelled", "current_step": None, "message": "Run cancelled"})
    tasks = {n: step_bars.progress.tasks[t] for n, t in step_bars.tasks.items()}
    assert tasks["extract"].finished and not tasks["extract"].fields["mark"]
    assert tasks["generate"].fields["mark"] == "[red]■[/]" and "cancelled" in tasks["generate"].fields["info"]
    assert not tasks["generate"].started or tasks["generate"].stop_time is not None  # its clock stopped
    assert all("not run" in tasks[n].fields["info"] for n in ("match", "compose", "score"))
