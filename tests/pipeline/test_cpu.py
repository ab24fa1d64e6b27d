"""The CPU pool: real spawned processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import psutil
import pytest

from brandtruth.pipeline import cpu, fair
from brandtruth.pipeline.errors import CpuPoolError

T = TypeVar("T")


def _in_pool(scenario: Callable[[], Awaitable[T]], processes: int, spare: int) -> T:
    """`scenario()` with a pool of this size; the pool is stopped and the default size restored after."""
    cpu.configure(processes, spare=spare)
    try:
        return asyncio.run(scenario())
    finally:
        cpu.shutdown()
        cpu.configure(None)


async def _until_exists(path: Path) -> None:
    for _ in range(400):  # bounded: 20 s
        if path.exists():  # noqa: ASYNC240 (a stat, in a test)
            return
        await asyncio.sleep(0.05)


def test_a_dead_pool_process_is_replaced_not_left_failing_every_call() -> None:
    """Regression: one crashed process left a broken pool that failed every later step."""
    cpu.configure(1)

    async def scenario() -> None:
        assert await cpu.run_cpu(pow, 2, 10) == 1024
        with pytest.raises(CpuPoolError) as caught:
            await cpu.run_cpu(os._exit, 3)  # kills the process it runs in, on both tries
        assert caught.value.retryable
        assert await cpu.run_cpu(pow, 3, 3) == 27  # a fresh pool

    try:
        asyncio.run(scenario())
    finally:
        cpu.configure(None)


def _started_at(seconds: float) -> float:
    """A fake slow job for the pool: when it started (the monotonic clock is system-wide)."""
    started = time.monotonic()
    time.sleep(seconds)
    return started


def test_a_run_queued_behind_another_runs_slow_jobs_goes_first_in_the_pool() -> None:
    """Regression: a normal run next to a 60,000-link page took 7x its time, its CPU work queued FIFO
    behind all of the hostile run's. Now it waits only for the job already running."""
    cpu.configure(1)

    async def job(owner: str, seconds: float) -> tuple[float, str]:
        with cpu.on_behalf_of(owner):
            return await cpu.run_cpu(_started_at, seconds), owner

    async def scenario() -> list[str]:
        await cpu.run_cpu(pow, 2, 2)  # the pool process is up
        jobs = [job("hostile", 0.3) for _ in range(3)] + [job("normal", 0.0) for _ in range(2)]
        return [owner for _, owner in sorted(await asyncio.gather(*jobs))]

    try:
        assert asyncio.run(scenario()) == ["hostile", "normal", "normal", "hostile", "hostile"]
    finally:
        cpu.configure(None)


def _wait_for_file(path: str) -> bool:
    """A job that holds its pool process until `path` exists (bounded): True if it appeared."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        time.sleep(0.01)
    return False


def _touch(path: str) -> None:
    with open(path, "w"):
        pass


def test_a_second_run_is_not_held_up_by_the_first_runs_long_job(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Regression: with one pool process, a second run waited for the first run's job to end (a 3 s
    image decode; two runs at once each took twice their time). The spare process is the second run's:
    here the first run's job ends only when the second run's job has run, which needs a second process."""
    flag = str(tmp_path / "flag")

    async def scenario() -> bool:
        with cpu.on_behalf_of("first"):
            await cpu.run_cpu(pow, 2, 2)  # the pool is up
            held = asyncio.create_task(cpu.run_cpu(_wait_for_file, flag))
        with cpu.on_behalf_of("second"):  # whichever takes its turn first, the other has only the spare
            await cpu.run_cpu(_touch, flag)
        return await held

    assert _in_pool(scenario, 1, spare=1) is True


def _touch_and_tell(path: str) -> int:
    _touch(path)
    return os.getpid()


def _say_then_wait(started: str, path: str) -> bool:
    _touch(started)
    return _wait_for_file(path)


def test_the_spare_process_stops_when_it_has_had_no_job_for_a_while(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """It holds ~100 MB: kept only while runs overlap (and SPARE_IDLE_SECONDS after)."""
    monkeypatch.setattr(cpu, "SPARE_IDLE_SECONDS", 0.2)
    flag, started = str(tmp_path / "flag"), str(tmp_path / "started")

    async def scenario() -> tuple[bool, bool]:
        with cpu.on_behalf_of("first"):
            await cpu.run_cpu(pow, 2, 2)
            held = asyncio.create_task(cpu.run_cpu(_say_then_wait, started, flag))
        await _until_exists(tmp_path / "started")  # the first run's job holds the regular process
        with cpu.on_behalf_of("second"):
            spare_pid = await cpu.run_cpu(_touch_and_tell, flag)
        first_pid = await held and await cpu.run_cpu(os.getpid)  # the regular process, still there
        for _ in range(400):  # waits for the spare to go, bounded (20 s)
            if not psutil.pid_exists(spare_pid) or psutil.Process(spare_pid).status() == psutil.STATUS_ZOMBIE:
                break
            await asyncio.sleep(0.05)
        spare_gone = not psutil.pid_exists(spare_pid) or psutil.Process(spare_pid).status() == psutil.STATUS_ZOMBIE
        return spare_gone, psutil.pid_exists(first_pid) and first_pid != spare_pid

    assert _in_pool(scenario, 1, spare=1) == (True, True)


_ENTRY = """
import asyncio, sys
import heavy_entry_import  # stands for what an entry module imports: FastAPI, uvicorn, Temporal's SDK
from brandtruth.pipeline import cpu, fair

if __name__ == "__main__":
    if "--forget" in sys.argv:
        cpu.forget_entry_module()
    cpu.configure(1, spare=0)
    try:
        print(asyncio.run(cpu.run_cpu(eval, "'heavy_entry_import' in __import__('sys').modules")))
    finally:
        cpu.shutdown()
"""


@pytest.mark.parametrize("how", ["path", "module"])
def test_pool_processes_do_not_import_the_programs_entry_module(tmp_path, how: str) -> None:  # type: ignore[no-untyped-def]
    """Regression: each pool process imported the API or the worker again (spawn re-runs the parent's
    __main__), with FastAPI, uvicorn and Temporal's SDK: ~18 MB more per process for nothing."""
    (tmp_path / "entry.py").write_text(_ENTRY)
    (tmp_path / "heavy_entry_import.py").write_text("")
    target = [str(tmp_path / "entry.py")] if how == "path" else ["-m", "entry"]

    def child_imported_it(*flags: str) -> str:
        done = subprocess.run(
            [sys.executable, *target, *flags], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=True
        )
        return done.stdout.strip()

    assert child_imported_it() == "True"  # what spawn does by default
    assert child_imported_it("--forget") == "False"


def _my_niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def _niceness_before_and_after(cpu_seconds: float) -> tuple[int, int]:
    """A job that uses `cpu_seconds` of CPU: its thread's niceness when it starts, and once it has used
    them (waiting, bounded, for the demotion to be applied: it comes from the process's other thread)."""
    before = _my_niceness()
    spent = time.thread_time()
    while time.thread_time() - spent < cpu_seconds:
        pass
    deadline = time.monotonic() + 5
    while cpu_seconds and _my_niceness() == before and time.monotonic() < deadline:
        time.sleep(0.005)
    return before, _my_niceness()


def _niceness_after_sleeping(seconds: float) -> int:
    time.sleep(seconds)
    return _my_niceness()


def test_a_long_job_runs_on_at_the_lowest_priority_and_the_next_job_starts_at_the_pools() -> None:
    """Regression: a normal run next to a 60,000-link page shared the cores evenly with that page's 0.5 s
    parse (jobs are never interrupted) and took 2.5x its time. A job that has used
    DEMOTE_AFTER_CPU_SECONDS of CPU now yields to every other job; the one after it starts as usual."""

    async def scenario() -> tuple[tuple[int, int], tuple[int, int], int]:
        long = await cpu.run_cpu(_niceness_before_and_after, cpu.DEMOTE_AFTER_CPU_SECONDS * 3)
        after = await cpu.run_cpu(_niceness_before_and_after, 0.0)
        # Waiting is not using the CPU: a short job that waits for a core on a busy machine is not demoted.
        sleeper = await cpu.run_cpu(_niceness_after_sleeping, cpu.DEMOTE_AFTER_CPU_SECONDS * 3)
        return long, after, sleeper

    long, after, sleeper = _in_pool(scenario, 1, spare=0)
    assert long == (cpu.RENDER_NICENESS, cpu.DEMOTED_NICENESS)
    assert after == (cpu.RENDER_NICENESS, cpu.RENDER_NICENESS)
    assert sleeper == cpu.RENDER_NICENESS


def test_a_jobs_error_reaches_its_caller_with_its_type_and_message() -> None:
    async def scenario() -> None:
        with pytest.raises(ValueError, match="invalid literal"):
            await cpu.run_cpu(int, "not a number")
        assert await cpu.run_cpu(int, "42") == 42  # the process goes on serving

    _in_pool(scenario, 1, spare=0)


def _imported(module: str) -> bool:
    return module in sys.modules


def test_the_spare_process_starts_with_the_modules_the_pools_jobs_have_needed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Regression: a normal run next to a hostile page does its whole extract and generate on the spare,
    where each was the first of its kind: its imports (up to 0.6 s) came on top of the run's time."""
    import colorsys  # here, not at the top: the spare imports this test module for `_imported`

    flag, started = str(tmp_path / "flag"), str(tmp_path / "started")

    async def scenario() -> bool:
        with cpu.on_behalf_of("first"):
            await cpu.run_cpu(colorsys.rgb_to_hsv, 0.2, 0.4, 0.6)  # a module no pool process has otherwise
            held = asyncio.create_task(cpu.run_cpu(_say_then_wait, started, flag))
        await _until_exists(tmp_path / "started")  # the first run's job holds the regular process
        with cpu.on_behalf_of("second"):
            in_spare = await cpu.run_cpu(_imported, "colorsys")
        _touch(flag)
        await held
        return in_spare

    assert _in_pool(scenario, 1, spare=1) is True


def _burn(cpu_seconds: float) -> None:
    spent = time.thread_time()
    while time.thread_time() - spent < cpu_seconds:
        pass


def test_the_jobs_of_a_run_far_ahead_of_another_active_run_start_at_the_lowest_priority(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Regression: a hostile page's run and a run that had just begun shared the cores evenly, job for
    job. A run that has used the pool well beyond another active run now yields the CPU to it."""
    monkeypatch.setattr(fair, "ACTIVE_GRACE_SECONDS", 60.0)  # "normal" stays active however slow the machine

    async def scenario() -> tuple[int, int]:
        with cpu.on_behalf_of("hostile"):
            await cpu.run_cpu(_burn, fair.AHEAD_MARGIN_SECONDS * 2)
        with cpu.on_behalf_of("normal"):
            normal, _ = await cpu.run_cpu(_niceness_before_and_after, 0.0)
        with cpu.on_behalf_of("hostile"):
            hostile, _ = await cpu.run_cpu(_niceness_before_and_after, 0.0)
        return normal, hostile

    assert _in_pool(scenario, 1, spare=0) == (cpu.RENDER_NICENESS, cpu.DEMOTED_NICENESS)
