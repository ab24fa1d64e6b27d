"""SSE latency and time-to-approval, Temporal engine vs local engine, in one run.

    .venv/bin/python bench/latency.py [--runs 15] [--variants 3]

Starts a real Temporal dev server, the demo brand site on loopback and one API server per engine,
then for each run measures:
  - POST /workflow/start -> first SSE event received
  - step completion (the event's own timestamp) -> that event received by the SSE client
  - POST -> awaiting_approval (3 variants by default)
and prints p50/p95 per engine and the Temporal/local ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandtruth.devserver import DevServer, free_port  # noqa: E402
from tests.support.servers import ApiServer, make_settings  # noqa: E402
from tests.support.sites import serve_sites  # noqa: E402
from tests.support.sse import iter_sse  # noqa: E402


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def one_run(api: ApiServer, url: str, variants: int) -> dict[str, object]:
    with httpx.Client(base_url=api.base_url, timeout=60) as c:
        t0 = time.monotonic()
        resp = c.post("/workflow/start", json={"url": url, "num_variants": variants, "formats": ["square"]})
        run_id = resp.json()["workflow_id"]
        first = awaiting = None
        delivery: list[float] = []
        with c.stream("GET", f"/workflow/stream/{run_id}") as stream:
            for ev in iter_sse(stream):
                now_wall = time.time()
                if first is None:
                    first = time.monotonic() - t0
                if ev.data["type"] == "step_completed":
                    emitted = datetime.fromisoformat(ev.data["timestamp"]).timestamp()
                    delivery.append((now_wall - emitted) * 1000)
                if ev.data["type"] in ("awaiting_approval", "failed"):
                    awaiting = time.monotonic() - t0
                    break
        c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]})
    return {"first_ms": (first or 0) * 1000, "delivery_ms": delivery, "awaiting_s": awaiting or float("nan")}


def measure(api: ApiServer, url: str, runs: int, variants: int) -> dict[str, list[float]]:
    one_run(api, url, variants)  # warm-up: imports, fonts, first workflow task
    out: dict[str, list[float]] = {"first_ms": [], "delivery_ms": [], "awaiting_s": []}
    for _ in range(runs):
        r = one_run(api, url, variants)
        out["first_ms"].append(r["first_ms"])  # type: ignore[arg-type]
        out["delivery_ms"].extend(r["delivery_ms"])  # type: ignore[arg-type]
        out["awaiting_s"].append(r["awaiting_s"])  # type: ignore[arg-type]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--variants", type=int, default=3)
    args = parser.parse_args()

    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp, serve_sites() as sites:
        url = f"{sites.base_url}/northwind-analytics/"
        temporal = DevServer().start()
        try:
            for engine in ("temporal", "local"):
                host = temporal.address if engine == "temporal" else f"127.0.0.1:{free_port()}"
                settings = make_settings(Path(tmp) / engine, host, f"bench-{uuid.uuid4().hex[:6]}")
                api = ApiServer(settings, embedded_worker=engine == "temporal").start()
                try:
                    api.wait_healthy("healthy" if engine == "temporal" else "degraded")
                    results[engine] = measure(api, url, args.runs, args.variants)
                finally:
                    api.stop()
        finally:
            temporal.stop()

    print(f"\n{args.runs} runs per engine, {args.variants} variants, square format, loopback\n")
    print(f"{'metric':<38}{'engine':<10}{'p50':>10}{'p95':>10}{'mean':>10}")
    for engine, r in results.items():
        for key, label in (
            ("first_ms", "POST -> first SSE event (ms)"),
            ("delivery_ms", "step done -> SSE client (ms)"),
            ("awaiting_s", "POST -> awaiting_approval (s)"),
        ):
            v = r[key]
            print(f"{label:<38}{engine:<10}{pct(v, 50):>10.2f}{pct(v, 95):>10.2f}{statistics.fmean(v):>10.2f}")
    t, loc = results["temporal"]["awaiting_s"], results["local"]["awaiting_s"]
    print(
        f"\ntime to approval, Temporal / local: p50 {pct(t, 50) / pct(loc, 50):.2f}x, "
        f"p95 {pct(t, 95) / pct(loc, 95):.2f}x  (target <= 1.5)"
    )


if __name__ == "__main__":
    main()
