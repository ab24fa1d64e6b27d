"""Load: many concurrent runs, many SSE subscribers, everyone approved; latency, errors, CPU and memory.

    .venv/bin/python bench/load.py [--runs 50] [--subscribers 300] [--ramp 5] [--approve ready|together]
                                   [--formats square|all|square,story] [--variants 3] [--timeout 900]
                                   [--show-slowest N] [--keep-logs DIR]
                                   [--py-spy DIR]   (py-spy is not pinned: pip install py-spy)

Starts, all on loopback: the real Temporal dev server, the fixture brand sites
(`python -m tests.support.sites`), the worker (`python -m brandtruth.engines.temporal.worker`) and the API
(`python api_server.py --port N`) as separate processes, so their CPU time and RSS are measured on
their own and none of them competes with this client for its interpreter.

After one warm-up run it starts --runs runs over the six fixture sites, arriving evenly over --ramp
seconds (default 5 s, 10 starts/s; --ramp 0 starts them all in the same instant), spreads
--subscribers SSE clients over them (subscriber i follows run i mod runs and connects as soon as its
run is started; each has its own connection, opened beforehand, as each browser would), approves v1
of each run as soon as it awaits approval once every run has started, so all of them are open at
the same time (the report shows how many were still working towards approval then; --approve
together waits for the last to be ready and approves all at once), and waits for every run to complete.

Event delivery latency = wall time the client parsed the event - the event's own `timestamp`; only
events emitted after the subscriber sent its request count (earlier ones are replayed backlog).
Errors: HTTP errors, stream errors (broken stream, id gap or duplicate, end before the terminal
event, each reconnect counts) and runs not completed. A probe times Temporal describe (server only)
and the `snapshot` query (server + worker) from the bench itself, to tell API, server and worker apart.
Exit status 1 when a target fails.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import ssl
import sys
import time
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from load_report import Results, report  # noqa: E402
from loadkit import (  # noqa: E402
    LoopLag,
    Probe,
    Sampler,
    ServerProcess,
    aiter_sse,
    interrupt_on_sigterm,
    start_py_spy,
    stop_py_spy,
    wait_healthy,
    wait_serving,
    work_dir,
)

from brandtruth.devserver import DevServer, free_port  # noqa: E402
from tests.support.sites import SITES_DIR  # noqa: E402

ALL_FORMATS = ["square", "landscape", "story"]
STARTUP_TIMEOUT = 90.0
REQUEST_TIMEOUT = httpx.Timeout(60.0, connect=10.0)  # read timeout > the 15 s SSE ping
MAX_RECONNECTS = 3
TERMINAL = {"completed", "failed", "cancelled", "expired", "rejected"}


@dataclass
class Run:
    id: str
    url: str
    subscribers: int
    awaiting: asyncio.Event = field(default_factory=asyncio.Event)
    ended: asyncio.Event = field(default_factory=asyncio.Event)  # a subscriber saw its terminal event
    final_status: str | None = None


def fixture_urls(base_url: str) -> list[str]:
    return [f"{base_url}/{d.name}/" for d in sorted(SITES_DIR.iterdir()) if (d / "index.html").is_file()]


def browser(base_url: str) -> httpx.AsyncClient:
    """One subscriber's own client and connection, like a browser tab. Each is opened before the runs
    start, as browsers are: building 300 clients inside the burst cost this process half a second of
    CPU, which showed up as event latency. (One shared client was worse: httpx's pool queued new
    streams for seconds before even connecting them.)"""
    return httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT, verify=_shared_tls())


async def subscribe(client: httpx.AsyncClient, run: Run, res: Results) -> None:
    """Follow one run to its terminal event like EventSource would (reconnecting with Last-Event-ID)."""
    last_id = 0
    for _ in range(MAX_RECONNECTS + 1):
        headers = {"Accept": "text/event-stream"}
        if last_id:
            headers["Last-Event-ID"] = str(last_id)
        asked = time.time()
        try:
            async with client.stream("GET", f"/workflow/stream/{run.id}", headers=headers) as resp:
                if resp.status_code != 200:
                    res.error("http", f"stream {run.id}: {resp.status_code} {(await resp.aread())[:200]!r}")
                    return
                res.connect_ms.append((time.time() - asked) * 1000)
                async for ev in aiter_sse(resp):
                    if ev.id != last_id + 1:
                        res.error("stream", f"{run.id}: event id {ev.id} after {last_id}")
                    last_id = max(last_id, ev.id or 0)
                    emitted = datetime.fromisoformat(ev.data["timestamp"]).timestamp()
                    if emitted >= asked:
                        ms = (ev.received_wall - emitted) * 1000
                        res.live_ms.append(ms)
                        res.by_type[ev.data["type"]].append(ms)
                        res.slowest.append(
                            (
                                ms,
                                f"{run.id} #{ev.id} {ev.data['type']} {ev.data.get('current_step')} "
                                f"emitted {ev.data['timestamp'][11:23]} asked +{(emitted - asked):.3f}s",
                            )
                        )
                    else:
                        res.backlog += 1
                    if ev.data["type"] == "awaiting_approval":
                        run.awaiting.set()
                    if ev.data["status"] in TERMINAL:
                        run.ended.set()
                        return
            res.error("stream", f"{run.id}: stream ended before the terminal event (last id {last_id})")
        except httpx.HTTPError as exc:
            res.error("stream", f"{run.id}: {type(exc).__name__}: {exc}")
    res.error("stream", f"{run.id}: gave up after {MAX_RECONNECTS} reconnects")


async def poll_status(client: httpx.AsyncClient, run: Run, want: set[str], res: Results) -> str | None:
    """For runs nobody streams (fewer subscribers than runs), and the final check: GET /progress."""
    while True:
        try:
            resp = await client.get(f"/workflow/progress/{run.id}")
        except httpx.HTTPError as exc:
            res.error("http", f"progress {run.id}: {type(exc).__name__}")
            return None
        if resp.status_code != 200:
            res.error("http", f"progress {run.id}: {resp.status_code} {resp.text[:200]}")
            return None
        status: str = resp.json()["status"]
        if status in want or status in TERMINAL:
            return status
        await asyncio.sleep(0.5)  # polling a status, bounded by the caller's timeout


async def start_run(
    client: httpx.AsyncClient,
    url: str,
    browsers: list[httpx.AsyncClient],
    body: dict[str, object],
    res: Results,
    streams: list[asyncio.Task[None]],
) -> Run | None:
    try:
        resp = await client.post("/workflow/start", json={"url": url, **body})
    except httpx.HTTPError as exc:
        res.error("http", f"start {url}: {type(exc).__name__}: {exc}")
        return None
    if resp.status_code != 200:
        res.error("http", f"start {url}: {resp.status_code} {resp.text[:200]}")
        return None
    run = Run(resp.json()["workflow_id"], url, len(browsers))
    res.engines[resp.json().get("engine", "?")] += 1
    streams.extend(asyncio.create_task(subscribe(b, run, res)) for b in browsers)
    return run


@functools.cache
def _shared_tls() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # built once: each costs ~20 ms of CPU (the URLs are plain http)


async def approve(client: httpx.AsyncClient, run: Run, res: Results) -> None:
    t = time.monotonic()
    try:
        resp = await client.post(f"/workflow/approve/{run.id}", json={"variant_ids": ["v1"]})
    except httpx.HTTPError as exc:
        res.error("http", f"approve {run.id}: {type(exc).__name__}: {exc}")
        return
    if resp.status_code != 200:
        res.error("http", f"approve {run.id}: {resp.status_code} {resp.text[:200]}")
        return
    res.approve_ms.append((time.monotonic() - t) * 1000)


async def bounded(aws: list[asyncio.Task[object]], deadline: float, res: Results, what: str) -> None:
    if not aws:
        return
    _, pending = await asyncio.wait(aws, timeout=max(0.0, deadline - time.monotonic()))
    for task in pending:
        task.cancel()
        res.error("stream" if what == "stream" else "timeout", f"{what} still pending at the deadline")
    await asyncio.gather(*pending, return_exceptions=True)


async def scenario(base_url: str, urls: list[str], args: argparse.Namespace, res: Results, lag: LoopLag, probe: Probe) -> None:
    body = {"num_variants": args.variants, "formats": args.formats}
    limits = httpx.Limits(max_connections=args.runs + 20, max_keepalive_connections=args.runs + 20)
    done = False
    lag_task = asyncio.create_task(lag.run(lambda: done))
    runs: list[Run] = []
    probe_task = asyncio.create_task(probe.run(lambda: [r.id for r in runs if r.final_status is None], lambda: done))
    deadline = time.monotonic() + args.timeout
    async with AsyncExitStack() as tabs, httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        browsers = [await tabs.enter_async_context(browser(base_url)) for _ in range(args.subscribers)]
        streams: list[asyncio.Task[None]] = []
        try:
            t0 = time.monotonic()

            reviews: list[asyncio.Task[None]] = []
            all_started = asyncio.Event()

            async def review(run: Run) -> None:
                if run.subscribers:
                    await run.awaiting.wait()
                else:
                    await poll_status(client, run, {"awaiting_approval"}, res)
                if args.approve == "ready":
                    await all_started.wait()  # so all the runs are open at once, however long the ramp
                    await approve(client, run, res)

            async def arrive(i: int) -> Run | None:
                await asyncio.sleep(i * args.ramp / args.runs)  # the arrival schedule, not a synchronisation
                # Subscriber j follows run j mod runs.
                run = await start_run(client, urls[i % len(urls)], browsers[i :: args.runs], body, res, streams)
                if run:
                    reviews.append(asyncio.create_task(review(run)))
                return run

            started = await asyncio.gather(*(arrive(i) for i in range(args.runs)))
            runs.extend(r for r in started if r)
            res.phases["start all runs (POST /start)"] = time.monotonic() - t0
            res.open_at_last_start = sum(not r.ended.is_set() for r in runs if r.subscribers)
            res.working_at_last_start = sum(not r.awaiting.is_set() for r in runs if r.subscribers)
            all_started.set()
            await bounded(reviews, deadline, res, "awaiting_approval")  # type: ignore[arg-type]
            res.phases[f"... until all {'approved' if args.approve == 'ready' else 'awaiting_approval'}"] = time.monotonic() - t0
            t1 = time.monotonic()
            if args.approve == "together":
                await bounded([asyncio.create_task(approve(client, r, res)) for r in runs], deadline, res, "approve")
                res.phases["approve all at once (POST /approve)"] = time.monotonic() - t1
            await bounded(list(streams), deadline, res, "stream")  # type: ignore[arg-type]

            async def final(run: Run) -> None:
                run.final_status = await poll_status(client, run, set(), res)

            await bounded([asyncio.create_task(final(r)) for r in runs], deadline, res, "completion")
            res.phases["... then until all completed"] = time.monotonic() - t1
            res.phases["total (first start -> all completed)"] = time.monotonic() - t0
            not_completed = [r for r in runs if r.final_status != "completed"] + [None] * (args.runs - len(runs))
            for r in not_completed:
                res.error("not_completed", f"{r.id if r else 'never started'}: {r.final_status if r else '-'}")
        finally:  # also on Ctrl-C: no stream may outlive the client
            done = True
            for task in streams:
                task.cancel()
            await asyncio.gather(*streams, lag_task, probe_task, return_exceptions=True)


async def warm_up(base_url: str, url: str, formats: list[str]) -> None:
    """One full run first: imports, fonts, the first workflow tasks; not measured."""
    res = Results()
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        streams: list[asyncio.Task[None]] = []
        run = await start_run(client, url, [client], {"num_variants": 3, "formats": formats}, res, streams)
        if run is None:
            raise RuntimeError(f"warm-up run did not start: {res.samples}")
        await asyncio.wait_for(run.awaiting.wait(), timeout=STARTUP_TIMEOUT)
        await approve(client, run, res)
        await asyncio.wait_for(asyncio.gather(*streams), timeout=STARTUP_TIMEOUT)
    if res.errors:
        raise RuntimeError(f"warm-up run failed: {res.samples}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--subscribers", type=int, default=300)
    parser.add_argument(
        "--ramp", type=float, default=5.0, metavar="SECONDS", help="spread the starts evenly over this long (0: all at once)"
    )
    parser.add_argument(
        "--approve",
        choices=["ready", "together"],
        default="ready",
        help="approve each run as soon as it awaits approval, or all at once after the last",
    )
    parser.add_argument("--formats", default="square", help="'square' (default), 'all', or a comma list")
    parser.add_argument("--variants", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="bound on the measured phase, seconds")
    parser.add_argument("--show-slowest", type=int, default=0, metavar="N", help="list the N slowest deliveries")
    parser.add_argument("--keep-logs", type=Path, help="copy the API/worker/Temporal logs here")
    parser.add_argument("--py-spy", type=Path, help="record raw py-spy profiles of API and worker here")
    args = parser.parse_args()
    args.formats = ALL_FORMATS if args.formats == "all" else [f.strip() for f in args.formats.split(",")]
    if args.runs < 1 or args.subscribers < 0 or args.ramp < 0 or not set(args.formats) <= set(ALL_FORMATS):
        parser.error("--runs >= 1, --subscribers >= 0, --ramp >= 0, --formats from square,landscape,story")
    return args


def main() -> int:
    args = parse_args()
    interrupt_on_sigterm()
    res, lag = Results(), LoopLag()
    with ExitStack() as stack:
        tmp = work_dir(stack, "brandtruth-load-", args.keep_logs)
        sites_url = f"http://127.0.0.1:{free_port()}"
        sites = ServerProcess(
            "sites", ["-m", "tests.support.sites", "--port", sites_url.rsplit(":", 1)[1]], {}, tmp / "sites.log"
        )
        stack.callback(sites.stop)
        temporal = DevServer(log_file=tmp / "temporal.log").start()
        stack.callback(temporal.stop)
        api_port = free_port()
        env = {
            "TEMPORAL_HOST": temporal.address,
            "TEMPORAL_TASK_QUEUE": f"load-{api_port}",
            "BRANDTRUTH_DATA_DIR": str(tmp),
            "BRANDTRUTH_ALLOW_PRIVATE_URLS": "true",
            "BRANDTRUTH_PROVIDER": "offline",
            "API_HOST": "127.0.0.1",
            # All subscribers share one loopback address; they stand for that many browsers.
            "BRANDTRUTH_MAX_STREAMS_PER_CLIENT": str(args.subscribers + 10),
        }
        worker = ServerProcess("worker", ["-m", "brandtruth.engines.temporal.worker"], env, tmp / "worker.log")
        stack.callback(worker.stop)
        api = ServerProcess("api", ["api_server.py", "--port", str(api_port)], env, tmp / "api.log")
        stack.callback(api.stop)  # LIFO: API first, then worker, then Temporal
        base_url = f"http://127.0.0.1:{api_port}"
        print(f"Temporal {temporal.address}, API {base_url} (pid {api.pid}), worker pid {worker.pid}, logs {tmp}")
        wait_serving(sites_url, sites, STARTUP_TIMEOUT)
        wait_healthy(base_url, [api, worker], STARTUP_TIMEOUT)
        urls = fixture_urls(sites_url)
        asyncio.run(warm_up(base_url, urls[0], args.formats))
        assert temporal.proc is not None
        pids = {
            "api": api.pid,
            "worker": worker.pid,
            "temporal": temporal.proc.pid,
            "fixture sites": sites.pid,
            "this client": os.getpid(),
        }
        sampler = Sampler(pids, families={"api", "worker"}).start()  # with their CPU pools
        stack.callback(sampler.stop)
        if args.py_spy:
            spies = start_py_spy(args.py_spy, {"api": api.pid, "worker": worker.pid})
            stack.callback(stop_py_spy, spies)
        sampler.mark()
        probe = Probe(temporal.address)
        asyncio.run(scenario(base_url, urls, args, res, lag, probe))
        sampler.stop()
        return 0 if report(args, res, sampler, lag, probe) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; every process was stopped", file=sys.stderr)
        sys.exit(130)
