"""The run list at scale: page through every run by cursor and time each page (issue 17).

    .venv/bin/python bench/list_bench.py [--temporal 1000] [--local 1000] [--limit 20]

Starts a Temporal dev server (with the run index's search attributes), a stub worker on the API's
task queue that counts every query it answers, and the real API under uvicorn; seeds runs in every
status on Temporal (stub executions with the index, as tests/support/run_index.py does) and in the
local engine's SQLite, waits until visibility shows them all, then lists them page by page
(newest first, by cursor), filtered by status, and searched, timing each HTTP request. Prints p50,
p95 and max per page, checks that every run was listed once, and the queries that reached a worker
(the target: p95 <= 100 ms a page, 0 queries).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from brandtruth.devserver import DevServer  # noqa: E402
from brandtruth.engines.local.store import LocalRunStore  # noqa: E402
from tests.support import run_index  # noqa: E402
from tests.support.run_index import StubWorkerThread  # noqa: E402
from tests.support.servers import ApiServer, make_settings, wait_for  # noqa: E402

TARGET_P95_MS = 100.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def page_through(c: httpx.Client, limit: int, **params: Any) -> tuple[list[str], list[float]]:
    ids: list[str] = []
    times: list[float] = []
    cursor = None
    while True:
        t = time.perf_counter()
        r = c.get("/workflow/list", params={"limit": limit, **params, **({"cursor": cursor} if cursor else {})})
        times.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
        ids += [row["workflow_id"] for row in r.json()]
        cursor = r.headers.get("x-next-cursor")
        if not cursor:
            return ids, times


def line(name: str, ids: list[str], times: list[float], want: int | None = None) -> str:
    ok = (
        "" if want is None else ("  all listed once" if len(ids) == len(set(ids)) == want else f"  WRONG: {len(set(ids))}/{want}")
    )
    return (
        f"{name:<34} {len(times):>4} pages {len(ids):>5} runs   p50 {statistics.median(times):6.1f} ms"
        f"   p95 {pct(times, 95):6.1f} ms   max {max(times):6.1f} ms{ok}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--temporal", type=int, default=1000, help="runs on Temporal")
    ap.add_argument("--local", type=int, default=1000, help="runs on the local engine")
    ap.add_argument("--limit", type=int, default=20, help="runs per page")
    args = ap.parse_args()
    total = args.temporal + args.local
    with tempfile.TemporaryDirectory() as tmp:
        temporal = DevServer(log_file=Path(tmp) / "temporal.log").start()
        queue = "bench-list"
        try:
            with StubWorkerThread(temporal.address, queue) as stub:
                api = ApiServer(make_settings(Path(tmp), temporal.address, queue)).start()
                t0 = time.perf_counter()
                seeded = stub.run(run_index.seed_temporal(stub.client, queue, args.temporal))  # type: ignore[arg-type]
                store = LocalRunStore(api.settings.local_db_path)
                seeded += run_index.seed_local(store, args.local)
                store.close()
                want = Counter(s.status for s in seeded)
                with api.client() as c:
                    # Until visibility has caught up with every start, close and status (and the
                    # server is done with them): counts per status as seeded.
                    wait_for(
                        lambda: {k: v for k, v in c.get("/workflow/list/counts").json()["counts"].items() if v} == want,
                        600,
                        "visibility to show every run in its status",
                        1.0,
                    )
                    print(f"seeded {args.temporal} Temporal + {args.local} local runs in {time.perf_counter() - t0:.1f} s")
                    asked = run_index.QUERIES[0]
                    page_through(c, args.limit)  # warm-up: connections, caches
                    ids, times = page_through(c, args.limit)
                    all_times = list(times)
                    print(line(f"all, {args.limit} a page", ids, times, total))
                    for status in ("awaiting_approval", "failed"):
                        ids, times = page_through(c, args.limit, status=status)
                        all_times += times
                        print(line(f"status={status}", ids, times))
                    ids, times = page_through(c, args.limit, q="bakery")
                    all_times += times
                    print(line("q=bakery", ids, times))
                    ids, times = page_through(c, 100)
                    print(line("all, 100 a page", ids, times, total))
                    counts = []
                    for _ in range(20):
                        t = time.perf_counter()
                        c.get("/workflow/list/counts").raise_for_status()
                        counts.append((time.perf_counter() - t) * 1000)
                    print(f"{'counts per status':<34} p50 {statistics.median(counts):6.1f} ms   p95 {pct(counts, 95):6.1f} ms")
                    queries = run_index.QUERIES[0] - asked
                api.stop()
        finally:
            temporal.stop()
    p95 = pct(all_times, 95)
    print(f"\npages of {args.limit}: p95 {p95:.1f} ms (target <= {TARGET_P95_MS:g}); queries that reached a worker: {queries}")
    return 0 if p95 <= TARGET_P95_MS and queries == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
