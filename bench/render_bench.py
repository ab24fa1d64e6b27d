"""What rendering pages built by JavaScript costs an extract, on loopback with Debian's Chromium.

    .venv/bin/python bench/render_bench.py [--runs 10]

For each case, the extract's wall time with rendering on and with it off (BRANDTRUTH_RENDER_JAVASCRIPT
=false reads only the static HTML), p50/p95 over --runs warm runs, plus the first (cold) run, which
also launches Chromium. Target (issue 14): a JavaScript-rendered page adds <= 2 s; a static site adds
nothing (its pages are never rendered).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandtruth.pipeline.artifacts import LocalArtifactStore  # noqa: E402
from brandtruth.pipeline.extract import extract_brand  # noqa: E402
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy  # noqa: E402
from brandtruth.pipeline.fetch.browser import close_browser  # noqa: E402
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    asyncio.run(main(parser.parse_args().runs))
