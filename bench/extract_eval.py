"""Extract accuracy over every labelled fixture site, and extract timing on loopback.

    .venv/bin/python bench/extract_eval.py [--runs 30]

Per site, compared with tests/fixtures/sites/<site>/expected.json: brand name (exact), logo (URL path),
primary colour (CIEDE2000 within 10), fact precision (each fact's evidence occurs verbatim in the
whitespace-collapsed text of its page, computed here independently of the extractor) and fact recall
(labelled evidence sentences found among extracted evidence). Then p50/p95 of a 6-page extract.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from src.pipeline.artifacts import LocalArtifactStore  # noqa: E402
from src.pipeline.extract import extract_brand  # noqa: E402
from src.pipeline.extract.colors import delta_e  # noqa: E402
from src.pipeline.fetch import Fetcher, FetchPolicy  # noqa: E402
from src.pipeline.models import BrandProfile, ExtractInput  # noqa: E402
from tests.support.sites import SITES_DIR, serve_sites  # noqa: E402

POLICY = FetchPolicy(allow_loopback=True)


def visible_text(html: str) -> str:
    doc = lxml.html.document_fromstring(html)
    for br in doc.iter("br"):
        br.tail = " " + (br.tail or "")
    for bad in doc.xpath("//script|//style|//template"):
        bad.drop_tree()
    return re.sub(r"\s+", " ", doc.body.text_content() if doc.body is not None else "")


async def extract(url: str, store: LocalArtifactStore, run_id: str = "bench") -> BrandProfile:
    async with Fetcher(POLICY) as fetcher:
        return await extract_brand(ExtractInput(run_id=run_id, url=url, max_pages=5), fetcher, store)


async def score_site(base: str, site: str, store: LocalArtifactStore) -> dict[str, object]:
    expected = json.loads((SITES_DIR / site / "expected.json").read_text(encoding="utf-8"))
    brand = await extract(f"{base}/{site}/", store)
    texts: dict[str, str] = {}
    async with Fetcher(POLICY) as fetcher:
        for url in {f.source_url for f in brand.facts}:
            texts[url] = visible_text((await fetcher.get_page(url)).text)
    verbatim = [f for f in brand.facts if f.evidence in texts[f.source_url]]
    found = {f.evidence for f in brand.facts}
    recalled = [f for f in expected["facts"] if f["evidence"] in found]
    logo_path = (
        urlsplit(brand.logo.url).path + ("#" + urlsplit(brand.logo.url).fragment if brand.logo and "#" in brand.logo.url else "")
        if brand.logo
        else ""
    )
    return {
        "site": site,
        "name": brand.name == expected["name"],
        "name_got": brand.name,
        "logo": logo_path == expected["logo_path"],
        "logo_got": logo_path,
        "colour_de": delta_e(brand.colors.primary, expected["primary_color"]),
        "facts": len(brand.facts),
        "verbatim": len(verbatim),
        "labelled": len(expected["facts"]),
        "recalled": len(recalled),
        "missed": [f["evidence"] for f in expected["facts"] if f["evidence"] not in found],
    }


async def timing(base: str, store: LocalArtifactStore, runs: int) -> list[float]:
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        brand = await extract(f"{base}/northwind-analytics/", store, run_id=f"t{i}")
        samples.append((time.perf_counter() - started) * 1000)
        assert len(brand.pages) == 6
    return samples


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(runs: int) -> None:
    sites = sorted(p.name for p in SITES_DIR.iterdir() if (p / "expected.json").is_file())
    with serve_sites() as server, tempfile.TemporaryDirectory() as tmp:
        store = LocalArtifactStore(tmp)
        rows = [await score_site(server.base_url, s, store) for s in sites]
        samples = await timing(server.base_url, store, runs)

    print(f"{'site':22} {'name':5} {'logo':5} {'ΔE':>6} {'facts':>5} {'verbatim':>8} {'recall':>7}")
    for r in rows:
        print(
            f"{r['site']:22} {'ok' if r['name'] else 'MISS':5} {'ok' if r['logo'] else 'MISS':5} {r['colour_de']:6.2f} "
            f"{r['facts']:5} {r['verbatim']:>4}/{r['facts']:<3} {r['recalled']:>3}/{r['labelled']:<3}"
        )
        for miss in r["missed"]:  # type: ignore[attr-defined]
            print(f"{'':22} missed: {miss}")
    n = len(rows)
    facts = sum(int(r["facts"]) for r in rows)  # type: ignore[call-overload]
    print()
    print(f"brand name accuracy      {sum(bool(r['name']) for r in rows) / n:6.1%}  (target 100%)")
    print(f"logo accuracy            {sum(bool(r['logo']) for r in rows) / n:6.1%}  (target 100%)")
    colour_ok = sum(float(r["colour_de"]) <= 10 for r in rows) / n  # type: ignore[arg-type]
    print(f"primary colour ΔE<=10    {colour_ok:6.1%}  (target >= 90%)")
    print(f"fact precision           {sum(int(r['verbatim']) for r in rows) / max(1, facts):6.1%}  (target >= 95%)")  # type: ignore[call-overload]
    recall = sum(int(r["recalled"]) for r in rows) / sum(int(r["labelled"]) for r in rows)  # type: ignore[call-overload]
    print(f"fact recall              {recall:6.1%}  (target >= 80%)")
    print()
    print(
        f"6-page extract (northwind-analytics, loopback, {runs} runs incl. images): "
        f"p50 {statistics.median(samples):.0f} ms, p95 {pct(samples, 0.95):.0f} ms (target <= 300 ms)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    asyncio.run(main(parser.parse_args().runs))
