"""Worker sizing: how many activities at once, CPU pool processes and cached workflows (issue 17).

    .venv/bin/python bench/worker_sizing.py [--runs 10] [--configs 4:1,32:1,128:1,32:2]

For each configuration (max concurrent activities : CPU pool processes) a real worker process
(`brandtruth worker`, offline copywriter) on its own task queue takes two batches of `--runs` runs of
the demo sites, each batch started at once through the API, each run to `awaiting_approval` (where
it stays, cached by the worker). Prints the second (warm) batch's makespan and time to review
p50/p95, the worker's peak memory (its process and its pool), and the worker process's growth per
run of the second batch: the memory a cached waiting run costs, which sizes
BRANDTRUTH_WORKER_MAX_CACHED_WORKFLOWS. `--slow 2` makes every page answer after 2 s, as a slow site
(or a slow LLM API) would: the steps then wait on I/O rather than the CPU.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import psutil  # noqa: E402

from brandtruth.devserver import DevServer  # noqa: E402
from tests.support.servers import ApiServer, make_settings, start_worker_process, wait_for  # noqa: E402
from tests.support.sites import SiteServer, serve_sites  # noqa: E402

SITES = ["northwind-analytics", "sunrise-bakery", "harbor-yoga", "quillpad"]


class PeakRss:
    """Peak RSS of a process and its children, sampled every 0.1 s in a thread."""

    def __init__(self, pid: int):
        self.proc, self.peak, self._stop = psutil.Process(pid), 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            try:
                family = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in family if p.is_running()))
            except psutil.Error:
                pass

    def __enter__(self) -> PeakRss:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.thread.join()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def one_config(temporal: DevServer, site_url: Callable[[str], str], tmp: Path, activities: int, processes: int, runs: int) -> str:
    queue = f"bench-sizing-{uuid.uuid4().hex[:6]}"
    settings = make_settings(tmp / queue, temporal.address, queue)
    env = {"BRANDTRUTH_WORKER_MAX_ACTIVITIES": str(activities), "BRANDTRUTH_CPU_PROCESSES": str(processes)}
    worker = start_worker_process(settings, log_path=tmp / f"{queue}.log", extra_env=env)
    api = ApiServer(settings).start()
    try:
        api.wait_healthy("healthy", 60)
        with api.client() as c, PeakRss(worker.pid) as rss:
            _batch(c, site_url, runs)  # warm-up: imports, fonts, the pool; these runs stay waiting (cached)
            warm_rss = psutil.Process(worker.pid).memory_info().rss
            times = _batch(c, site_url, runs)
        # Both batches now wait for review in the worker's cache: the second one's growth is theirs.
        per_run = (psutil.Process(worker.pid).memory_info().rss - warm_rss) / runs / 2**20
        return (
            f"{activities:>10} {processes:>9} {runs:>5} {max(times):9.1f} s {statistics.median(times):8.1f} s"
            f" {pct(times, 95):8.1f} s {rss.peak / 2**20:9.0f} MB {per_run:10.2f} MB"
        )
    finally:
        api.stop()
        worker.terminate()
        worker.wait(30)


def _batch(c: httpx.Client, site_url: Callable[[str], str], runs: int) -> list[float]:
    """Start `runs` runs at once; seconds from then until each is ready for review."""
    t0 = time.perf_counter()
    ids = []
    for i in range(runs):
        r = c.post("/workflow/start", json={"url": site_url(SITES[i % len(SITES)]), "num_variants": 3})
        r.raise_for_status()
        ids.append(r.json()["workflow_id"])
    ready: dict[str, float] = {}

    def all_ready() -> bool:
        for run_id in ids:
            if run_id not in ready and c.get(f"/workflow/progress/{run_id}").json()["status"] in ("awaiting_approval", "failed"):
                ready[run_id] = time.perf_counter() - t0
        return len(ready) == len(ids)

    wait_for(all_ready, 900, "every run to reach review", interval=0.25)
    return list(ready.values())


def _site_url(sites: SiteServer, slow: float, name: str) -> str:
    return sites.slow_url(f"{name}/", slow) if slow else sites.url(f"{name}/")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--configs", default="4:1,32:1,128:1,32:2", help="activities:processes,...")
    ap.add_argument("--slow", type=float, default=0, help="each demo page answers after this many seconds (I/O-bound steps)")
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start")
    header = ("activities", 10), ("processes", 9), ("runs", 5), ("makespan", 11), ("p50", 10), ("p95", 10), ("peak RSS", 12)
    print(" ".join(f"{name:>{width}}" for name, width in header), "RSS/cached run")
    with tempfile.TemporaryDirectory() as tmp, serve_sites() as sites:
        temporal = DevServer(log_file=Path(tmp) / "temporal.log").start()
        try:
            for config in args.configs.split(","):
                activities, processes = (int(x) for x in config.split(":"))
                url = functools.partial(_site_url, sites, args.slow)
                print(one_config(temporal, url, Path(tmp), activities, processes, args.runs), flush=True)
        finally:
            temporal.stop()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
