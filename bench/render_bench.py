"""What rendering pages built by JavaScript costs an extract, on loopback with Debian's Chromium.

    .venv/bin/python bench/render_bench.py [--runs 10]

For each case, the extract's wall time with rendering on and with it off (BRANDTRUTH_RENDER_JAVASCRIPT
=false reads only the static HTML), p50/p95 over --runs warm runs, plus the first (cold) run, which
also launches Chromium. Target (issue 14): a JavaScript-rendered page adds <= 2 s; a static site adds
nothing (its pages are never rendered).

    .venv/bin/python bench/render_bench.py --memory [--renders 4]

The memory of the headless browser instead: --renders script-built pages rendered at once, three
rounds, sampling the Chromium processes (children of this process, Debian's launcher script included;
the browser is driven over its DevTools pipe, with no driver process; the CPU pool runs in threads
here so it is not counted). Prints the peak of their summed PSS (shared pages divided
among all their sharers, other programs' Chromium included: it moves with what else runs) and USS
(pages only they hold: the steadier number to compare flags with), per kind of process. Issue 12's
target is the worker's PSS with Chromium up (bench/hostile.py), <= 600 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandtruth.pipeline import cpu  # noqa: E402
from brandtruth.pipeline.artifacts import LocalArtifactStore  # noqa: E402
from brandtruth.pipeline.extract import extract_brand  # noqa: E402
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy  # noqa: E402
from brandtruth.pipeline.fetch.browser import close_browser, render_page  # noqa: E402
from brandtruth.pipeline.models import ExtractInput  # noqa: E402
from tests.support.sites import serve_sites  # noqa: E402

CASES = [
    # (label, path, max_pages): pages read = 1 + max_pages
    ("static 6-page site", "northwind-analytics/", 5),
    ("JS start page only", "riverbend-food-bank/", 0),
    ("JS site, 4 pages", "riverbend-food-bank/", 3),
]


async def once(url: str, max_pages: int, render: bool, store: LocalArtifactStore) -> tuple[float, int]:
    started = time.perf_counter()
    async with Fetcher(FetchPolicy(allow_loopback=True, render_javascript=render)) as fetcher:
        brand = await extract_brand(ExtractInput(run_id="bench", url=url, max_pages=max_pages), fetcher, store)
    return time.perf_counter() - started, len(brand.facts)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(runs: int) -> None:
    store = LocalArtifactStore(Path(tempfile.mkdtemp(prefix="render-bench-")))
    rows = []
    with serve_sites() as sites:
        await once(sites.url("northwind-analytics/"), 0, False, store)  # warm the CPU pool, not Chromium
        for label, path, max_pages in CASES:
            url = sites.url(path)
            result: dict[str, object] = {"case": label}
            for render in (True, False):
                cold, facts = await once(url, max_pages, render, store)
                times = [(await once(url, max_pages, render, store))[0] for _ in range(runs)]
                key = "on" if render else "off"
                result[key] = (cold, statistics.median(times), pct(times, 0.95), facts)
            rows.append(result)
    await close_browser()
    print(f"{'case':22} {'render':6} {'cold s':>7} {'p50 s':>7} {'p95 s':>7} {'facts':>6}")
    for row in rows:
        for key in ("on", "off"):
            cold, p50, p95, facts = row[key]  # type: ignore[misc]
            print(f"{row['case']:22} {key:6} {cold:7.3f} {p50:7.3f} {p95:7.3f} {facts:6d}")
        added = row["on"][1] - row["off"][1]  # type: ignore[index]
        print(f"{'':22} added by rendering (p50): {added:+.3f} s")


def _browser_memory() -> tuple[Counter[str], Counter[str]]:
    """(PSS, USS) in bytes of this process's children by kind: Chromium's browser, renderers, zygotes..."""
    pss: Counter[str] = Counter()
    uss: Counter[str] = Counter()
    for child in psutil.Process().children(recursive=True):
        try:
            kind = next((a.split("=", 1)[1] for a in child.cmdline() if a.startswith("--type=")), None)
            kind = kind or ("browser" if "chrom" in child.name().lower() else child.name())
            info = child.memory_full_info()
        except psutil.Error:
            continue
        pss[kind] += info.pss
        uss[kind] += info.uss
    return pss, uss


async def memory(renders: int) -> None:
    cpu.configure(0)  # parsing in threads: only the browser's processes are children of this one
    peak: dict[str, tuple[int, Counter[str]]] = {"pss": (0, Counter()), "uss": (0, Counter())}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            for name, by_kind in zip(("pss", "uss"), _browser_memory(), strict=True):
                if sum(by_kind.values()) > peak[name][0]:
                    peak[name] = (sum(by_kind.values()), by_kind)

    sampler = threading.Thread(target=sample, daemon=True)
    with serve_sites() as sites:
        async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
            pages = [await fetcher.get_page(sites.url(p)) for p in ("riverbend-food-bank/", "_adv/js-shell/")]
            # Launched first: while processes start, a forked child still holds its parent's pages
            # under its parent's name, and would count twice.
            await render_page(pages[0].url, pages[0].text, fetcher)
            sampler.start()
            for _ in range(3):
                batch = [pages[i % len(pages)] for i in range(renders)]
                await asyncio.gather(*(render_page(p.url, p.text, fetcher) for p in batch), return_exceptions=True)
        await close_browser()
    stop.set()
    sampler.join()
    for name, (total, by_kind) in peak.items():
        kinds = ", ".join(f"{k} {v / 2**20:.0f}" for k, v in sorted(by_kind.items()))
        print(f"peak {name.upper()} {total / 2**20:.0f} MB with {renders} renders at once ({kinds})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--memory", action="store_true", help="the browser's memory instead of times")
    parser.add_argument("--renders", type=int, default=4, help="with --memory: pages rendered at once")
    args = parser.parse_args()
    asyncio.run(memory(args.renders) if args.memory else main(args.runs))
