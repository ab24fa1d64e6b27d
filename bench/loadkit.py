"""Plumbing for bench/load.py: server subprocesses, a CPU/RSS sampler, an async SSE reader, percentiles.

Every process is started in its own session so one killpg ends it and its children; every wait is
bounded.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

from tests.support.servers import wait_for  # the project root is on sys.path (see load.py)
from tests.support.sse import SseLineParser

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C: every finally runs


def interrupt_on_sigterm() -> None:
    """SIGTERM and SIGINT (even when started in the background) raise KeyboardInterrupt."""
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def work_dir(stack: ExitStack, prefix: str, keep_logs: Path | None) -> Path:
    """A temporary directory for logs and data, removed with `stack`; its logs copied to `keep_logs` first."""
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
    if keep_logs:
        stack.callback(
            lambda: shutil.copytree(tmp, keep_logs, dirs_exist_ok=True, ignore=shutil.ignore_patterns("artifacts", "*.sqlite*"))
        )
    return tmp


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


class ServerProcess:
    """One of our servers (API or worker) as a real subprocess with its own log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_path: Path):
        self.name, self.log_path = name, log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            tail = self.log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; log tail:\n{tail}")

    def stop(self, grace: float = 15) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        self._log.close()


def wait_healthy(base_url: str, procs: list[ServerProcess], timeout: float) -> dict[str, Any]:
    """Poll /workflow/health until Temporal is healthy (a worker polls our queue); bounded."""
    deadline = time.monotonic() + timeout
    last: object = None
    with httpx.Client(base_url=base_url, timeout=5) as c:
        while time.monotonic() < deadline:
            for p in procs:
                p.check_alive()
            try:
                health = c.get("/workflow/health").json()
                if health.get("status") == "healthy":
                    return health  # type: ignore[no-any-return]
                last = health
            except httpx.HTTPError as exc:
                last = exc
            time.sleep(0.25)  # polling a condition with a deadline
    raise TimeoutError(f"API not healthy after {timeout}s: {last}")


def wait_serving(url: str, proc: ServerProcess, timeout: float) -> None:
    """Poll `url` until the server answers at all; bounded."""

    def answers() -> bool:
        proc.check_alive()
        try:
            httpx.get(url, timeout=2)
            return True
        except httpx.HTTPError:
            return False

    wait_for(answers, timeout, f"{proc.name} to serve {url}", interval=0.1)


@dataclass
class Usage:
    peak_rss: int = 0
    peak_pss: int = 0  # only with Sampler(pss=True)
    cpu_at_mark: float = 0.0
    cpu_now: float = 0.0

    @property
    def cpu_since_mark(self) -> float:
        return self.cpu_now - self.cpu_at_mark


class Sampler:
    """Samples RSS and CPU time of named processes (with their children, for `families`) every
    `interval` s in a thread (psutil). RSS is summed over a family, so pages its processes share
    count more than once: an upper bound. With `pss`, also the proportional set size (shared pages
    divided among the processes sharing them), which sums honestly (a headless browser's dozen
    processes share most of theirs); reading it costs more."""

    def __init__(self, pids: dict[str, int], families: set[str], interval: float = 0.1, pss: bool = False):
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.families = families  # names whose child processes count with them
        self.usage = {name: Usage() for name in pids}
        self.total_peak = 0  # peak of the summed RSS of all sampled processes at one instant
        self.interval, self.pss = interval, pss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="sampler")

    def _sample(self) -> None:
        total = 0
        for name, p in self.procs.items():
            rss = pss = cpu = 0.0
            try:
                family = [p, *p.children(recursive=True)] if name in self.families else [p]
            except psutil.Error:
                continue
            for member in family:
                try:
                    with member.oneshot():
                        rss += member.memory_info().rss
                        pss += member.memory_full_info().pss if self.pss else 0
                        cpu += sum(member.cpu_times()[:2])
                except psutil.Error:
                    continue
            u = self.usage[name]
            u.peak_rss, u.peak_pss, u.cpu_now = max(u.peak_rss, int(rss)), max(u.peak_pss, int(pss)), cpu
            total += int(rss)
        self.total_peak = max(self.total_peak, total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self) -> Sampler:
        self._sample()
        self._thread.start()
        return self

    def mark(self) -> None:
        """Start counting CPU from now (after startup and warm-up)."""
        self._sample()
        for u in self.usage.values():
            u.cpu_at_mark = u.cpu_now

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sample()


@dataclass
class SseEvent:
    id: int | None
    data: dict[str, Any]
    received_wall: float


async def aiter_sse(response: httpx.Response) -> AsyncIterator[SseEvent]:
    parser = SseLineParser()
    async for line in response.aiter_lines():
        if parsed := parser.feed(line):
            event_id, _, data = parsed
            yield SseEvent(event_id, data, time.time())


@dataclass
class LoopLag:
    """How late this process's own event loop wakes up: proves the client side is not the bottleneck."""

    interval: float = 0.05
    lags_ms: list[float] = field(default_factory=list)

    async def run(self, stop: Callable[[], bool]) -> None:
        import asyncio

        while not stop():
            t = time.monotonic()
            await asyncio.sleep(self.interval)
            self.lags_ms.append((time.monotonic() - t - self.interval) * 1000)


@dataclass
class Probe:
    """Times Temporal RPCs straight from the bench while the load runs, to split API from Temporal/worker.

    describe = the Temporal server alone; query = server + the worker answering the `snapshot` query
    (what the API's per-run watcher does every 50 ms).
    """

    address: str
    interval: float = 0.2
    describe_ms: list[float] = field(default_factory=list)
    query_ms: list[float] = field(default_factory=list)
    failures: int = 0

    async def run(self, run_ids: Callable[[], list[str]], stop: Callable[[], bool]) -> None:
        import asyncio
        from datetime import timedelta

        from temporalio.client import Client
        from temporalio.contrib.pydantic import pydantic_data_converter

        from brandtruth.engines.temporal.workflows.ad_pipeline import AdPipelineWorkflow, SnapshotQuery

        client = await Client.connect(self.address, data_converter=pydantic_data_converter)
        i = 0
        while not stop():
            ids = run_ids()
            if ids:
                handle = client.get_workflow_handle(ids[i % len(ids)])
                i += 1
                try:
                    t = time.monotonic()
                    await handle.describe()
                    t2 = time.monotonic()
                    await handle.query(
                        AdPipelineWorkflow.snapshot, SnapshotQuery(events_after=None), rpc_timeout=timedelta(seconds=10)
                    )
                    self.describe_ms.append((t2 - t) * 1000)
                    self.query_ms.append((time.monotonic() - t2) * 1000)
                except Exception:  # a finished run cannot be queried once its worker cache evicts it
                    self.failures += 1
            await asyncio.sleep(self.interval)


def start_py_spy(out_dir: Path, pids: dict[str, int]) -> list[subprocess.Popen[bytes]]:
    exe = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [exe, "record", "--pid", str(pid), "--format", "raw", "--rate", "50", "--output", str(out_dir / f"{name}.txt")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for name, pid in pids.items()
    ]


def stop_py_spy(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGINT)  # py-spy writes its profile on SIGINT
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
