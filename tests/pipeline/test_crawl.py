"""Choosing same-site pages to crawl: bounded in a page's links, the same ranking as before, off the loop."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brandtruth.pipeline.extract as extract_module
from brandtruth.pipeline import cpu
from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.extract import extract_brand
from brandtruth.pipeline.extract.crawl import _PRIORITY, EXCLUDE, MAX_LINKS, rank_links, same_site
from brandtruth.pipeline.extract.page import ParsedPage
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.models import ExtractInput
from brandtruth.pipeline.urls import canonical
from tests.support.sites import SiteServer, serve_sites

HOME = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def sites() -> Iterator[SiteServer]:
    with serve_sites() as server:
        yield server


def test_rank_links_on_60000_links_returns_a_bounded_list() -> None:
    """Regression: ranking was quadratic in a page's links (10,000 links: ~60 s on the event loop)."""
    links = [(f"{HOME}archive/{i}", str(i)) for i in range(60_000)]
    links[10] = (f"{HOME}pricing", "Pricing")
    links[-1] = (f"{HOME}about", "About us")  # past the bound: never considered
    ranked = rank_links(ParsedPage(url=HOME, links=links), HOME, limit=1_000_000)
    assert len(ranked) <= MAX_LINKS
    assert ranked[0] == f"{HOME}pricing"
    assert f"{HOME}about" not in ranked


def _quadratic_rank_links(home: ParsedPage, start_url: str, limit: int) -> list[str]:
    """The ranking as it was before it was made linear, kept as the reference for what it decides."""
    scores: dict[str, int] = {}
    visited = {canonical(start_url), canonical(home.url)}
    for href, text in home.links:
        href = href.split("?")[0] if "?" in href and "page=" not in href else href
        if canonical(href) in visited or not same_site(href, home.url) or EXCLUDE.search(urlsplit(href).path):
            continue
        hay = f"{urlsplit(href).path.lower()} {text.lower()}"
        score = max((weight for pattern, weight in _PRIORITY if re.search(pattern, hay)), default=2)
        if any(canonical(u) == canonical(href) for u in scores if u != href):
            continue
        scores[href] = max(scores.get(href, 0), score)
    return sorted(scores, key=lambda u: (-scores[u], len(u)))[:limit]


_HOSTS = st.sampled_from(["http://127.0.0.1:8000", "https://127.0.0.1:8000", "http://www.127.0.0.1:8000", "http://other.test"])
_PATHS = st.sampled_from(
    [
        "",
        "/",
        "/about",
        "/about/",
        "/about/index.html",
        "/pricing",
        "/pricing?ref=nav",
        "/blog?page=2",
        "/team",
        "/login",
        "/brochure.pdf",
        "/features/",
        "/x/default.aspx",
        "/x",
        "/customers",
        "/faq",
        "/misc",
    ]
)
_TEXTS = st.sampled_from(["", "About us", "Our story", "Plans", "Read more", "Customer stories", "Contact"])


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.lists(st.tuples(st.builds("{}{}".format, _HOSTS, _PATHS), _TEXTS), max_size=30), st.integers(0, 8))
def test_rank_links_ranks_as_the_quadratic_version_did(links: list[tuple[str, str]], limit: int) -> None:
    home = ParsedPage(url=HOME, links=links)
    assert rank_links(home, HOME, limit) == _quadratic_rank_links(home, HOME, limit)


@pytest.fixture
def threads_not_processes() -> Iterator[None]:
    """Run CPU work in threads, so a test can watch where it runs (a pool process is out of sight)."""
    cpu.configure(0)
    try:
        yield
    finally:
        cpu.configure(None)


async def test_a_60000_link_page_is_ranked_off_the_event_loop_and_read_in_part(
    sites: SiteServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads_not_processes: None
) -> None:
    ranked_on: list[str] = []

    def watched_rank_links(home: ParsedPage, start_url: str, limit: int) -> list[str]:
        try:
            asyncio.get_running_loop()
            ranked_on.append("the event loop")
        except RuntimeError:
            ranked_on.append(threading.current_thread().name)
        return rank_links(home, start_url, limit)

    monkeypatch.setattr(extract_module, "rank_links", watched_rank_links)
    url = sites.url("_adv/many-links/")
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        brand = await extract_brand(ExtractInput(run_id="many", url=url, max_pages=3), fetcher, LocalArtifactStore(tmp_path))

    assert len(ranked_on) == 1 and ranked_on[0] != "the event loop", ranked_on
    assert brand.name == "Northwind Analytics"
    assert 1 < len(brand.pages) <= 4
    assert any("page read in part" in w and "not all of its links" in w for w in brand.warnings), brand.warnings
    # Northwind's own pages outrank the archive links: none of the 60,000 was fetched.
    assert sum(n for path, n in sites.hits.items() if path.startswith("/_adv/many-links/a/")) == 0


def test_one_page_under_many_spellings_is_read_once() -> None:
    """w3lib's canonical form: host case, %7E and ~, query order and a fragment no longer make a second page."""
    spellings = [
        f"{HOME}team/",
        "http://127.0.0.1:8000/team/index.html",
        "http://127.0.0.1:8000/team#people",
        "http://127.0.0.1:8000/%7Eann",
        "http://127.0.0.1:8000/~ann",
        "http://127.0.0.1:8000/blog?page=2&tag=x",
        "http://127.0.0.1:8000/blog?tag=x&page=2",
    ]
    ranked = rank_links(ParsedPage(url=HOME, links=[(u, "") for u in spellings]), HOME, limit=10)
    assert ranked == [f"{HOME}team/", "http://127.0.0.1:8000/%7Eann", "http://127.0.0.1:8000/blog?page=2&tag=x"]
