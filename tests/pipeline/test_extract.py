"""The extract step against the fixture brand websites served on loopback."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.errors import ExtractionError, HttpStatusError, NotHtmlError
from brandtruth.pipeline.extract import extract_brand
from brandtruth.pipeline.extract.colors import delta_e
from brandtruth.pipeline.extract.facts import split_sentences
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.models import BrandProfile, ExtractInput
from tests.support.sites import SITES_DIR, SiteServer, serve_sites

SITE_NAMES = sorted(p.name for p in SITES_DIR.iterdir() if (p / "expected.json").is_file())


@pytest.fixture(scope="module")
def sites() -> Iterator[SiteServer]:
    with serve_sites() as server:
        yield server


@pytest.fixture
def store(tmp_path: Path) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path / "artifacts")


def loopback_policy(**kw: object) -> FetchPolicy:
    return FetchPolicy(allow_loopback=True, **kw)  # type: ignore[arg-type]


async def extract(url: str, store: LocalArtifactStore, max_pages: int = 5) -> BrandProfile:
    async with Fetcher(loopback_policy()) as fetcher:
        return await extract_brand(ExtractInput(run_id="run-1", url=url, max_pages=max_pages), fetcher, store)


def page_text(html: str) -> str:
    """Whitespace-collapsed visible text of a page, computed independently of the extractor."""
    doc = lxml.html.document_fromstring(html)
    for br in doc.iter("br"):
        br.tail = " " + (br.tail or "")
    for bad in doc.xpath("//script|//style|//template"):
        bad.drop_tree()
    return re.sub(r"\s+", " ", doc.body.text_content())


async def test_northwind_brand_kit(sites: SiteServer, store: LocalArtifactStore) -> None:
    brand = await extract(sites.url("northwind-analytics/"), store)

    assert brand.name == "Northwind Analytics"
    assert brand.tagline == "Answers from your data in minutes, not weeks."
    assert brand.description.startswith("Northwind Analytics connects")
    assert brand.colors.primary == "#0f4c81"
    assert brand.colors.accent == "#f59e0b"
    assert brand.colors.background == "#ffffff"
    assert "Inter" in brand.fonts
    assert "Start free trial" in brand.ctas
    assert brand.language == "en"
    assert "you" in brand.voice
    assert any(t.author.startswith("Maya Okafor") for t in brand.testimonials)
    assert len(brand.pages) == 6
    assert not any(p.endswith(("privacy.html", "terms.html")) for p in brand.pages)


async def test_northwind_logo_and_images_are_stored_verified(sites: SiteServer, store: LocalArtifactStore) -> None:
    brand = await extract(sites.url("northwind-analytics/"), store)

    assert brand.logo is not None and brand.logo.role == "logo"
    assert brand.logo.url.endswith("/northwind-analytics/img/logo.png")
    assert brand.logo.key and brand.logo.key.startswith("run-1/src/")
    assert len(brand.images) >= 4
    for asset in [brand.logo, *brand.images]:
        assert asset.key is not None and store.exists(asset.key)
        with Image.open(store.path(asset.key)) as img:
            assert (img.width, img.height) == (asset.width, asset.height)
    hero = next(i for i in brand.images if i.url.endswith("hero-dashboard.jpg"))
    assert (hero.width, hero.height) == (800, 500)
    assert hero.alt == "Northwind dashboard showing weekly revenue by region"


async def test_every_fact_evidence_is_verbatim_on_its_page(sites: SiteServer, store: LocalArtifactStore) -> None:
    brand = await extract(sites.url("northwind-analytics/"), store)

    assert len(brand.facts) >= 15
    texts: dict[str, str] = {}
    async with Fetcher(loopback_policy()) as fetcher:
        for fact in brand.facts:
            if fact.source_url not in texts:
                texts[fact.source_url] = page_text((await fetcher.get_page(fact.source_url)).text)
            assert fact.evidence in texts[fact.source_url], fact
    assert len({f.id for f in brand.facts}) == len(brand.facts)


@pytest.mark.parametrize("site", SITE_NAMES)
async def test_fixture_site_matches_its_labels(site: str, sites: SiteServer, store: LocalArtifactStore) -> None:
    expected = json.loads((SITES_DIR / site / "expected.json").read_text())
    brand = await extract(sites.url(f"{site}/"), store)

    assert brand.name == expected["name"]
    assert brand.logo is not None and brand.logo.url.endswith(expected["logo_path"])
    assert delta_e(brand.colors.primary, expected["primary_color"]) <= 10
    found = {f.evidence for f in brand.facts}
    recalled = [f for f in expected["facts"] if f["evidence"] in found]
    assert len(recalled) >= 0.8 * len(expected["facts"]), set(f["evidence"] for f in expected["facts"]) - found


async def test_each_page_is_fetched_once(sites: SiteServer, store: LocalArtifactStore) -> None:
    with serve_sites() as fresh:
        await extract(fresh.url("northwind-analytics/"), store)
        assert fresh.count("northwind-analytics/") == 1
        assert fresh.count("robots.txt") == 1
        assert all(n == 1 for n in fresh.hits.values()), fresh.hits


async def test_max_pages_bounds_the_crawl(sites: SiteServer, store: LocalArtifactStore) -> None:
    brand = await extract(sites.url("northwind-analytics/"), store, max_pages=2)
    assert len(brand.pages) == 3
    assert brand.pages[1].endswith("about.html")


async def test_javascript_shell_is_an_extraction_error(sites: SiteServer, store: LocalArtifactStore) -> None:
    with pytest.raises(ExtractionError, match="JavaScript"):
        await extract(sites.url("_adv/js-shell/"), store)


async def test_broken_images_become_warnings_not_failures(sites: SiteServer, store: LocalArtifactStore) -> None:
    brand = await extract(sites.url("_adv/broken-images/"), store)

    assert brand.name == "Broken Images Co"
    assert brand.images == []
    assert brand.logo is None
    joined = " ".join(brand.warnings)
    assert "decompression bomb" in joined and "not a readable image" in joined
    assert any(f.evidence == "We have shipped 12,000 boxes since 2019." for f in brand.facts)


async def test_start_page_errors_are_specific(sites: SiteServer, store: LocalArtifactStore) -> None:
    with pytest.raises(HttpStatusError) as missing:
        await extract(sites.url("_adv/404"), store)
    assert missing.value.status_code == 404 and not missing.value.retryable
    with pytest.raises(NotHtmlError):
        await extract(sites.url("_adv/not-html"), store)


def test_sentence_split_keeps_abbreviations_and_decimals() -> None:
    text = "Rated 4.8 by 312 users, e.g. Lumen Bikes Inc. and others. Founded in 2018! Does it work? Yes."
    assert split_sentences(text) == [
        "Rated 4.8 by 312 users, e.g. Lumen Bikes Inc. and others.",
        "Founded in 2018!",
        "Does it work?",
        "Yes.",
    ]
