"""The CPU pool: real spawned processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import psutil
import pytest

from brandtruth.pipeline import cpu
from brandtruth.pipeline.errors import CpuPoolError


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
    cpu.configure(1, spare=1)
    flag = str(tmp_path / "flag")

    async def scenario() -> bool:
        with cpu.on_behalf_of("first"):
            await cpu.run_cpu(pow, 2, 2)  # the pool is up
            held = asyncio.create_task(cpu.run_cpu(_wait_for_file, flag))
        with cpu.on_behalf_of("second"):  # whichever takes its turn first, the other has only the spare
            await cpu.run_cpu(_touch, flag)
        return await held

    try:
        assert asyncio.run(scenario()) is True
    finally:
        cpu.shutdown()
        cpu.configure(None)


def _touch_and_tell(path: str) -> int:
    _touch(path)
    return os.getpid()


def _say_then_wait(started: str, path: str) -> bool:
    _touch(started)
    return _wait_for_file(path)


def test_the_spare_process_stops_when_it_has_had_no_job_for_a_while(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """It holds ~100 MB: kept only while runs overlap (and SPARE_IDLE_SECONDS after)."""
    cpu.configure(1, spare=1)
    monkeypatch.setattr(cpu, "SPARE_IDLE_SECONDS", 0.2)
    flag, started = str(tmp_path / "flag"), str(tmp_path / "started")

    async def scenario() -> tuple[bool, bool]:
        with cpu.on_behalf_of("first"):
            await cpu.run_cpu(pow, 2, 2)
            held = asyncio.create_task(cpu.run_cpu(_say_then_wait, started, flag))
        for _ in range(400):  # the first run's job holds the regular process (bounded wait, 20 s)
            if (tmp_path / "started").exists():  # noqa: ASYNC240 (a stat, in a test)
                break
            await asyncio.sleep(0.05)
        with cpu.on_behalf_of("second"):
            spare_pid = await cpu.run_cpu(_touch_and_tell, flag)
        first_pid = await held and await cpu.run_cpu(os.getpid)  # the regular process, still there
        for _ in range(400):  # waits for the spare to go, bounded (20 s)
            if not psutil.pid_exists(spare_pid) or psutil.Process(spare_pid).status() == psutil.STATUS_ZOMBIE:
                break
            await asyncio.sleep(0.05)
        spare_gone = not psutil.pid_exists(spare_pid) or psutil.Process(spare_pid).status() == psutil.STATUS_ZOMBIE
        return spare_gone, psutil.pid_exists(first_pid) and first_pid != spare_pid

    try:
        assert asyncio.run(scenario()) == (True, True)
    finally:
        cpu.shutdown()
        cpu.configure(None)


_ENTRY = """
import asyncio, sys
import heavy_entry_import  # stands for what an entry module imports: FastAPI, uvicorn, Temporal's SDK
from brandtruth.pipeline import cpu

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
