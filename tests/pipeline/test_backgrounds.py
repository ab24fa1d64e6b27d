"""Photos set as CSS backgrounds (inline style="" and stylesheet rules that apply to the page) become
brand images with the same checks as <img>; a site with no usable photo says so on the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.extract import extract_brand
from brandtruth.pipeline.extract.backgrounds import background_refs
from brandtruth.pipeline.extract.page import parse_page
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.models import BrandProfile, ExtractInput
from tests.support.sites import SiteServer


async def extract(url: str, tmp_path: Path) -> BrandProfile:
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        inp = ExtractInput(run_id="run-bg", url=url, max_pages=2)
        return await extract_brand(inp, fetcher, LocalArtifactStore(tmp_path))


async def test_site_with_only_background_photos_yields_them(sites: SiteServer, tmp_path: Path) -> None:
    brand = await extract(sites.url("_visual/bg-photos/"), tmp_path)

    found = {u.rsplit("/", 1)[-1] for u in (i.url for i in brand.images)}
    # inline style on the hero, a stylesheet rule on a class present, a rule inside @media on an id present
    assert found == {"hero-roof.jpg", "team.jpg", "van.jpg"}, found
    assert brand.images[0].url.endswith("hero-roof.jpg")  # the hero comes first
    assert all(i.key and i.width >= 500 for i in brand.images)
    hero = brand.images[0]
    assert "Roofs repaired before the next storm." in hero.nearby_text
    # a rule for an element the page does not have is not fetched; a 16px tile is not a photo
    assert sites.count("_visual/bg-photos/img/never.jpg") == 0
    assert not any("no usable photos" in w for w in brand.warnings)


async def test_site_without_any_photo_warns(sites: SiteServer, tmp_path: Path) -> None:
    brand = await extract(sites.url("_visual/no-photos/"), tmp_path)

    assert brand.images == []
    assert any("no usable photos" in w for w in brand.warnings), brand.warnings


def test_hostile_css_and_a_huge_page_cost_little(monkeypatch: pytest.MonkeyPatch) -> None:
    # Matching every background rule against every element was rules x elements x pages: with 5,000
    # rules and 3,000 elements that is minutes of CPU for one page. Indexed and bounded, it is not.
    # The work is counted (element checks), not timed: a timing bound fails on a busy machine.
    from brandtruth.pipeline.extract import backgrounds

    checks = 0
    real_matches = backgrounds._matches

    def counted(*args: object) -> bool:
        nonlocal checks
        checks += 1
        return real_matches(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(backgrounds, "_matches", counted)

    body = "".join(f'<div class="c{i} card" id="d{i}"><p>Item {i}</p></div>' for i in range(3000))
    page = parse_page(f"<html><body>{body}</body></html>", "https://big.example/")
    rules = "".join(f".c{i} .x, .card.c{i}::after, #nope{i} {{ background: url(/img/{i}.jpg) }}\n" for i in range(6000))
    nested = "@media (min-width:1px) {" * 200 + ".c1 { background: url(/deep.jpg) }" + "}" * 200
    refs = background_refs([page] * 6, [("https://big.example/site.css", rules), ("https://big.example/", nested)])
    naive = 6000 * 3000 * 6  # every rule against every element of every page
    assert checks <= 10 * backgrounds.MAX_RULES, f"{checks:,} element checks (naive: {naive:,})"
    assert refs and all(r.url.startswith("https://big.example/img/") for r in refs)
    assert 3000 <= len(refs) <= 5_000  # every rule naming a card that exists, up to the rule bound


def test_a_lazily_loaded_background_is_read_from_its_loaders_attribute() -> None:
    """A hero whose photo a lazy loader writes into style="" later keeps it in data-bg: it is a candidate;
    a data- attribute holding a colour or a flag is not."""
    parsed = parse_page(
        "<html><body>"
        "<section class='hero lazyload' data-bg='/img/harbour.jpg'><h1>Breathe easy</h1></section>"
        "<div class='banner' data-background-image='url(\"/img/studio.webp\")'>Classes</div>"
        "<div class='panel' data-background='#f4f4f4'>Plain</div>"
        "<div class='band' data-bg='dark'>Flag</div>"
        "</body></html>",
        "https://yoga.example/",
    )
    urls = [ref.url for ref in background_refs([parsed], [])]
    assert urls == ["https://yoga.example/img/harbour.jpg", "https://yoga.example/img/studio.webp"]
