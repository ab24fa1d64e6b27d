"""Extract accuracy per field, per labelled fixture site and overall, against the targets of issue 14.

    .venv/bin/python bench/extract_eval.py [--runs 30] [--sites a,b] [--check-labels] [--verbose]

Each site in src/brandtruth/demo/sites/<site>/ with an expected.json is extracted over loopback HTTP by the
real extract step and compared with its labels. Everything is computed here, independently of the
extractor:

  name        brand.name == expected name (exact)                                   target 100 %
  lang        brand.language starts with the expected language                      (reported)
  logo        brand.logo URL path == logo_path (or one of logo_alternatives)          (reported)
  colour      CIEDE2000(brand primary, expected primary) < 10                       target >= 90 % of sites
  recall      must-have facts found (see `matches`)                                  target >= 90 %
  precision   fact evidence occurs verbatim in the visible text of its page, blocks  target >= 95 %
              joined by single spaces (`visible_text`); a JavaScript-built site's
              pages are read after rendering in Chromium when Playwright has one,
              else as static text plus the text their script renders (`script_text`)
  not-facts   facts whose evidence/text/subject contains a not_facts string (or is   target 0
              contained in one): headings, form titles, GDPR/cookie text, buttons,
              staff test items
  priced      extracted price facts (kind "price", or a value with a currency) whose target 100 %
              subject (the product) is non-empty
  price rec.  labelled {product, price} pairs found as a fact with that value/price   (reported)
              in its evidence and the product in its subject
  images      labelled image paths (incl. CSS backgrounds) among brand.images/logo  target 100 %
  svg logo    on svg_logo sites: brand.logo stored as a raster (Pillow opens it)     target 100 %
  contra.     each labelled contradiction pair named by one warning (both sides,    target 100 %
              by their text or their numbers), or both sides' facts `disputed`

--check-labels verifies the labels themselves: every must-have/fact evidence and every price occurs
verbatim in its page's visible text, every not_facts string occurs on some page, every image exists.
Then p50/p95 of a 6-page static extract, and of the JavaScript-rendered site when it has one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandtruth.pipeline.artifacts import LocalArtifactStore  # noqa: E402
from brandtruth.pipeline.extract import extract_brand  # noqa: E402
from brandtruth.pipeline.extract.colors import delta_e  # noqa: E402
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy  # noqa: E402
from brandtruth.pipeline.models import BrandProfile, ExtractInput, Fact  # noqa: E402
from tests.support.sites import SITES_DIR, serve_sites  # noqa: E402

POLICY = FetchPolicy(allow_loopback=True)

# Elements a browser lays out as blocks (or table cells): their text never runs into a neighbour's.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr legend li main nav ol option p pre section summary table "
    "tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title", "meta", "link", "svg"})
CURRENCY = re.compile(r"[$€£¥]|\b(?:USD|EUR|GBP)\b")


SCREEN_READER_ONLY = frozenset({"visually-hidden", "sr-only", "screen-reader-text"})


def _hidden(el: Any) -> bool:
    """Not seen by a sighted reader: hidden, display:none, or a screen-reader-only label ("Regular price")."""
    style = (el.get("style") or "").replace(" ", "").lower()
    classes = set((el.get("class") or "").split())
    return (
        el.get("hidden") is not None
        or "display:none" in style
        or "visibility:hidden" in style
        or bool(classes & SCREEN_READER_ONLY)
    )


def decode(data: bytes) -> str:
    """A page's bytes as a browser decodes them: a declared ISO-8859-1 is windows-1252 (WHATWG)."""
    latin = re.search(rb"charset=[\"']?(iso-8859-1|latin-?1|windows-1252)", data[:2000], re.I)
    return data.decode("cp1252" if latin else "utf-8", errors="replace")


def visible_text(html: str | bytes) -> str:
    """The page's visible text as a reader sees it: block boundaries (and <br>) as single spaces, inline
    elements joined as written, all whitespace (incl. no-break and narrow spaces) collapsed to one space;
    scripts, styles, <noscript>, inline SVG, hidden elements and screen-reader-only labels left out."""
    doc = lxml.html.document_fromstring(html)
    body = doc.body if doc.body is not None else doc
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP_TAGS or not tag or _hidden(el):
            return
        block = tag in BLOCK_TAGS
        if block or tag == "br":
            parts.append(" ")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    walk(body)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def matches(label: str, evidence: str) -> bool:
    """A labelled fact is found when an extracted evidence is it, holds it without burying it in a much
    longer passage, or is most of it (a clause of the labelled sentence that keeps its substance)."""
    want, got = norm(label), norm(evidence)
    if not got:
        return False
    if want in got:
        return len(got) <= max(2 * len(want), len(want) + 60)
    return got in want and len(got) >= 0.6 * len(want)


def is_not_fact(fact: Fact, not_facts: list[str]) -> str:
    """The not_facts string this fact is made of: contained in its evidence, text or subject, or (for
    evidence/text) the fact is most of a not_facts string (a fragment of a GDPR notice)."""
    fields = [norm(x) for x in (fact.evidence, fact.text, fact.subject) if x.strip()]
    whole = [norm(x) for x in (fact.evidence, fact.text) if x.strip()]
    for bad in not_facts:
        b = norm(bad)
        if any(b in f for f in fields) or any(f in b and len(f) >= max(4, 0.5 * len(b)) for f in whole):
            return bad
    return ""


def is_price(fact: Fact) -> bool:
    return fact.kind == "price" or bool(CURRENCY.search(fact.value))


def side_named(side: str, warning: str) -> bool:
    numbers = re.findall(r"\d+", side)
    return norm(side) in norm(warning) or (bool(numbers) and all(n in warning for n in numbers))


def url_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("#" + parts.fragment if parts.fragment else "")


def page_of(site: str, url: str) -> str:
    path = urlsplit(url).path.split(f"/{site}/", 1)[-1]
    return path if path and not path.endswith("/") else path + "index.html"


# ----------------------------------------------------------------------------- rendering


class Renderer:
    """Visible text of JavaScript-built pages after Chromium ran them (None when no browser is installed)."""

    def __init__(self) -> None:
        self.note = ""
        self._pw: Any = None
        self._browser: Any = None

    async def __aenter__(self) -> Renderer:
        try:
            from playwright.async_api import async_playwright

            self._pw = await async_playwright().start()
            chromium = shutil.which("chromium") or shutil.which("chromium-browser")  # Debian's, as tests/web uses
            self._browser = await self._pw.chromium.launch(
                executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
            )
        except Exception as exc:  # no playwright, or no browser binary
            self.note = f"no headless Chromium ({str(exc).splitlines()[0][:90]})"
            if self._pw is not None:
                await self._pw.stop()
                self._pw = None
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._pw is not None:
            await self._pw.stop()

    async def text(self, url: str) -> str | None:
        if self._browser is None:
            return None
        page = await self._browser.new_page()
        try:
            await page.goto(url, wait_until="networkidle", timeout=10_000)
            return visible_text(await page.content())
        finally:
            await page.close()


# ----------------------------------------------------------------------------- scoring


async def extract(url: str, store: LocalArtifactStore, run_id: str = "bench") -> BrandProfile:
    async with Fetcher(POLICY) as fetcher:
        return await extract_brand(ExtractInput(run_id=run_id, url=url, max_pages=5), fetcher, store)


def load_expected(site: str) -> dict[str, Any]:
    return json.loads((SITES_DIR / site / "expected.json").read_text(encoding="utf-8"))


def script_text(site: str, page: str) -> str:
    """The text a JavaScript-built page's script puts on it, read from the data file it renders
    (expected.json "js_pages": {page: data file}); the blocks joined by spaces as render.js lays them out."""
    data_file = load_expected(site).get("js_pages", {}).get(page)
    if not data_file:
        return ""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in ("type", "src", "href", "alt", "width", "height"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            out.append(node)

    walk(json.loads((SITES_DIR / site / data_file).read_text(encoding="utf-8")))
    return re.sub(r"\s+", " ", " ".join(out)).strip()


async def page_texts(site: str, urls: set[str], renderer: Renderer, js: bool) -> dict[str, str]:
    """url -> visible text. On a JavaScript-built site every page is read after Chromium ran it, or,
    without a browser, as its static text plus the text its script renders from its data file."""
    out: dict[str, str] = {}
    async with Fetcher(POLICY) as fetcher:
        for url in urls:
            html = (await fetcher.get_page(url)).text
            rendered = await renderer.text(url) if js else None
            if rendered is not None:
                out[url] = rendered
            else:
                extra = script_text(site, page_of(site, url)) if js else ""
                out[url] = visible_text(html) + (" " + extra if extra else "")
    return out


async def score_site(base: str, site: str, store: LocalArtifactStore, renderer: Renderer) -> dict[str, Any]:
    exp = load_expected(site)
    started = time.perf_counter()
    brand = await extract(f"{base}/{site}/", store, run_id=f"eval-{site}")
    elapsed = (time.perf_counter() - started) * 1000
    texts = await page_texts(site, {f.source_url for f in brand.facts}, renderer, bool(exp.get("js_rendered")))
    checkable = brand.facts
    verbatim = [f for f in checkable if f.evidence in texts[f.source_url]]
    not_verbatim = [f for f in checkable if f not in verbatim]

    must = exp.get("must_have_facts") or exp["facts"]
    evidences = [f.evidence for f in brand.facts]
    missed = [m["evidence"] for m in must if not any(matches(m["evidence"], e) for e in evidences)]
    legacy_found = {f.evidence for f in brand.facts}
    legacy_recalled = sum(f["evidence"] in legacy_found for f in exp["facts"])

    bad = [(f, hit) for f in brand.facts if (hit := is_not_fact(f, exp.get("not_facts", [])))]
    priced = [f for f in brand.facts if is_price(f)]
    unnamed = [f for f in priced if not f.subject.strip()]
    price_labels = exp.get("price_facts", [])
    price_missed = [
        p
        for p in price_labels
        if not any(
            (norm(p["price"]) in norm(f.value) or norm(p["price"]) in norm(f.evidence)) and norm(p["product"]) in norm(f.subject)
            for f in brand.facts
        )
    ]

    found_paths = {url_path(i.url) for i in brand.images} | ({url_path(brand.logo.url)} if brand.logo else set())
    images = exp.get("images", [])
    images_missed = [p for p in images if p not in found_paths]

    logo_path = url_path(brand.logo.url) if brand.logo else ""
    logo_ok = logo_path in [exp["logo_path"], *exp.get("logo_alternatives", [])]
    svg_ok = None
    if exp.get("svg_logo"):
        svg_ok = False
        if brand.logo is not None and brand.logo.key and store.exists(brand.logo.key):
            try:
                with Image.open(store.path(brand.logo.key)) as img:
                    svg_ok = img.format in ("PNG", "WEBP", "JPEG") and img.width > 0
            except Exception:
                svg_ok = False

    contra = exp.get("contradictions", [])
    flagged = 0
    for a, b in contra:
        by_warning = any(side_named(a, w) and side_named(b, w) for w in brand.warnings)
        disputed = [f for f in brand.facts if f.disputed]
        by_dispute = any(matches(a, f.evidence) for f in disputed) and any(matches(b, f.evidence) for f in disputed)
        flagged += by_warning or by_dispute

    return {
        "site": site,
        "ms": elapsed,
        "name": brand.name == exp["name"],
        "name_got": brand.name,
        "lang": brand.language.lower().startswith(exp.get("language", "en")),
        "lang_got": brand.language,
        "logo": logo_ok,
        "logo_got": logo_path,
        "de": delta_e(brand.colors.primary, exp["primary_color"]),
        "colour_got": brand.colors.primary,
        "facts": len(brand.facts),
        "checkable": len(checkable),
        "verbatim": len(verbatim),
        "not_verbatim": [f.evidence for f in not_verbatim],
        "must": len(must),
        "missed": missed,
        "legacy": (legacy_recalled, len(exp["facts"])),
        "bad": [(f.evidence, hit) for f, hit in bad],
        "priced": len(priced),
        "unnamed": [f.evidence for f in unnamed],
        "prices": len(price_labels),
        "price_missed": [f"{p['product']} {p['price']}" for p in price_missed],
        "images": len(images),
        "images_missed": images_missed,
        "svg": svg_ok,
        "contra": (flagged, len(contra)),
        "js": bool(exp.get("js_rendered")),
        "warnings": brand.warnings,
    }


# ----------------------------------------------------------------------------- label check


def check_labels(sites: list[str]) -> int:
    """Every labelled string is really on the site: the labels, not the extractor, are under test here."""
    problems = 0
    for site in sites:
        exp = load_expected(site)
        root = SITES_DIR / site
        pages = {p.relative_to(root).as_posix(): p for p in root.rglob("*.html")}
        raw = {rel: decode(p.read_bytes()) for rel, p in pages.items()}
        texts = {rel: visible_text(html) for rel, html in raw.items()}
        for rel in exp.get("js_pages", {}):
            texts[rel] = texts.get(rel, "") + " " + script_text(site, rel)
        alltext = " ".join(texts.values())
        everything = " ".join(lxml.html.document_fromstring(html).text_content() for html in raw.values()) + alltext

        found: list[str] = []
        fail = found.append
        for f in exp["facts"] + exp.get("must_have_facts", []):
            if f["evidence"] not in texts.get(f["page"], ""):
                fail(f"evidence not verbatim on {f['page']}: {f['evidence']!r}")
        for p in exp.get("price_facts", []):
            if p["price"] not in alltext or p["product"] not in alltext:
                fail(f"price fact not on the site: {p}")
        for bad in exp.get("not_facts", []):
            if norm(bad) not in norm(everything):
                fail(f"not_fact never appears: {bad!r}")
        for a, b in exp.get("contradictions", []):
            for side in (a, b):
                if side not in alltext:
                    fail(f"contradiction side not on the site: {side!r}")
        for path in [exp["logo_path"], *exp.get("images", [])]:
            if "#" not in path and not (SITES_DIR / path.lstrip("/")).is_file():
                fail(f"missing file {path}")
        for msg in found:
            print(f"{site}: {msg}")
        problems += len(found)
    print(f"labels: {problems} problem(s) in {len(sites)} site(s)")
    return problems


# ----------------------------------------------------------------------------- report


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ratio(num: int, den: int) -> str:
    return f"{num}/{den}" if den else "-"


def share(num: float, den: float) -> str:
    return f"{num / den:6.1%}" if den else "   n/a"


def report(rows: list[dict[str, Any]], verbose: bool, render_note: str) -> None:
    head = (
        f"{'site':22} {'name':4} {'lang':4} {'logo':4} {'ΔE':>5} {'facts':>5} {'verbatim':>8} {'must':>6} "
        f"{'bad':>3} {'priced':>6} {'price':>5} {'images':>6} {'svg':>3} {'contra':>6} {'ms':>5}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        svg = "-" if r["svg"] is None else "ok" if r["svg"] else "NO"
        verb = ratio(r["verbatim"], r["checkable"]) + ("*" if r["js"] and render_note else "")
        print(
            f"{r['site']:22} {'ok' if r['name'] else 'NO':4} {'ok' if r['lang'] else 'NO':4} "
            f"{'ok' if r['logo'] else 'NO':4} {r['de']:5.1f} {r['facts']:5} {verb:>8} "
            f"{ratio(r['must'] - len(r['missed']), r['must']):>6} {len(r['bad']):3} "
            f"{ratio(r['priced'] - len(r['unnamed']), r['priced']):>6} "
            f"{ratio(r['prices'] - len(r['price_missed']), r['prices']):>5} "
            f"{ratio(r['images'] - len(r['images_missed']), r['images']):>6} {svg:>3} "
            f"{ratio(*r['contra']) if r['contra'][1] else '-':>6} {r['ms']:5.0f}"
        )
        if verbose:
            if not r["name"]:
                print(f"{'':4}name: got {r['name_got']!r}")
            if not r["lang"]:
                print(f"{'':4}language: got {r['lang_got']!r}")
            if not r["logo"]:
                print(f"{'':4}logo: got {r['logo_got']!r}")
            if r["de"] >= 10:
                print(f"{'':4}primary colour: got {r['colour_got']}")
            for m in r["missed"]:
                print(f"{'':4}missed: {m}")
            for e in r["not_verbatim"]:
                print(f"{'':4}not verbatim: {e[:110]!r}")
            for e, hit in r["bad"]:
                print(f"{'':4}not a fact ({hit[:30]!r}): {e[:100]!r}")
            for e in r["unnamed"]:
                print(f"{'':4}price without product: {e[:100]!r}")
            for p in r["price_missed"]:
                print(f"{'':4}price fact missed: {p}")
            for p in r["images_missed"]:
                print(f"{'':4}image missed: {p}")
            if r["contra"][0] < r["contra"][1]:
                print(f"{'':4}contradiction not flagged; warnings: {r['warnings']}")
    if any(r["js"] for r in rows) and render_note:
        print(f"* {render_note}: JavaScript-built pages checked against their static text plus the text their script renders")

    n = len(rows)

    def total(key: str) -> int:
        return sum(int(r[key]) for r in rows)

    must = total("must")
    missed = sum(len(r["missed"]) for r in rows)
    priced = total("priced")
    unnamed = sum(len(r["unnamed"]) for r in rows)
    images = total("images")
    images_missed = sum(len(r["images_missed"]) for r in rows)
    svg_rows = [r for r in rows if r["svg"] is not None]
    contra = sum(r["contra"][1] for r in rows)
    flagged = sum(r["contra"][0] for r in rows)
    legacy = (sum(r["legacy"][0] for r in rows), sum(r["legacy"][1] for r in rows))
    print()
    print(f"{'field':34} {'value':>7}  {'count':>9}  target")
    lines = [
        ("brand name", share(sum(r["name"] for r in rows), n), ratio(sum(r["name"] for r in rows), n), "100%"),
        ("language", share(sum(r["lang"] for r in rows), n), ratio(sum(r["lang"] for r in rows), n), "100%"),
        ("logo", share(sum(r["logo"] for r in rows), n), ratio(sum(r["logo"] for r in rows), n), "100%"),
        (
            "primary colour ΔE<10",
            share(sum(r["de"] < 10 for r in rows), n),
            ratio(sum(r["de"] < 10 for r in rows), n),
            ">= 90%",
        ),
        ("must-have fact recall", share(must - missed, must), ratio(must - missed, must), ">= 90%"),
        ("labelled-fact recall (exact)", share(*legacy), ratio(*legacy), "(old measure)"),
        (
            "precision (verbatim, blocks spaced)",
            share(total("verbatim"), total("checkable")),
            ratio(total("verbatim"), total("checkable")),
            ">= 95%",
        ),
        ("facts that are not_facts", f"{sum(len(r['bad']) for r in rows):7}", "", "0"),
        ("price facts naming a product", share(priced - unnamed, priced), ratio(priced - unnamed, priced), "100%"),
        (
            "labelled prices found w/ product",
            share(total("prices") - sum(len(r["price_missed"]) for r in rows), total("prices")),
            ratio(total("prices") - sum(len(r["price_missed"]) for r in rows), total("prices")),
            "(reported)",
        ),
        ("images found (incl. CSS bg)", share(images - images_missed, images), ratio(images - images_missed, images), "100%"),
        (
            "SVG logo rasterised",
            share(sum(bool(r["svg"]) for r in svg_rows), len(svg_rows)),
            ratio(sum(bool(r["svg"]) for r in svg_rows), len(svg_rows)),
            "100%",
        ),
        ("contradictions flagged", share(flagged, contra), ratio(flagged, contra), "100%"),
    ]
    for field, value, count, target in lines:
        print(f"{field:34} {value:>7}  {count:>9}  {target}")


async def timing(base: str, store: LocalArtifactStore, site: str, runs: int, pages: int | None) -> list[float]:
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        brand = await extract(f"{base}/{site}/", store, run_id=f"t-{site}-{i}")
        samples.append((time.perf_counter() - started) * 1000)
        if pages is not None:
            assert len(brand.pages) == pages, brand.pages
    return samples


async def main(runs: int, only: list[str], verbose: bool) -> None:
    sites = sorted(p.name for p in SITES_DIR.iterdir() if (p / "expected.json").is_file())
    sites = [s for s in sites if not only or s in only]
    js_sites = [s for s in sites if load_expected(s).get("js_rendered")]
    with serve_sites() as server, tempfile.TemporaryDirectory() as tmp:
        store = LocalArtifactStore(tmp)
        async with Renderer() as renderer:
            rows = [await score_site(server.base_url, s, store, renderer) for s in sites]
        report(rows, verbose, renderer.note)
        if runs:
            samples = await timing(server.base_url, store, "northwind-analytics", runs, 6)
            print()
            print(
                f"6-page static extract (northwind-analytics, loopback, {runs} runs incl. images): "
                f"p50 {statistics.median(samples):.0f} ms, p95 {pct(samples, 0.95):.0f} ms (target <= 300 ms)"
            )
            for site in js_sites:
                js = await timing(server.base_url, store, site, max(3, runs // 6), None)
                print(
                    f"JavaScript-built site ({site}, {max(3, runs // 6)} runs): p50 {statistics.median(js):.0f} ms, "
                    f"p95 {pct(js, 0.95):.0f} ms (target: the JS pages add <= 2 s)"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timing runs (0: skip timing)")
    parser.add_argument("--sites", default="", help="comma-separated site names (default: all labelled sites)")
    parser.add_argument("--check-labels", action="store_true", help="verify the labels against the sites and exit")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss under its site")
    args = parser.parse_args()
    chosen = [s for s in args.sites.split(",") if s]
    if args.check_labels:
        names = sorted(p.name for p in SITES_DIR.iterdir() if (p / "expected.json").is_file())
        sys.exit(1 if check_labels([s for s in names if not chosen or s in chosen]) else 0)
    asyncio.run(main(args.runs, chosen, args.verbose))
