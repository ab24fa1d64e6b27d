"""Claims a site contradicts across pages are disputed: flagged on the run, never used in copy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandtruth.pipeline import generate
from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.extract import extract_brand
from brandtruth.pipeline.extract.contradictions import claims_in, find_contradictions
from brandtruth.pipeline.extract.facts import extract_facts
from brandtruth.pipeline.extract.page import parse_page
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.llm import OfflineProvider
from brandtruth.pipeline.models import BrandProfile, Claim, CopyVariant, ExtractInput, Fact, GenerateInput
from brandtruth.pipeline.truth import check_variant
from tests.support.sites import SITES_DIR, SiteServer, serve_sites


@pytest.fixture(scope="module")
def sites() -> Iterator[SiteServer]:
    with serve_sites() as server:
        yield server


@pytest.fixture(scope="module")
async def oakridge(sites: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> BrandProfile:
    store = LocalArtifactStore(tmp_path_factory.mktemp("oakridge"))
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        return await extract_brand(ExtractInput(run_id="run-oak", url=sites.url("oakridge-dental/")), fetcher, store)


def page(url: str, *paragraphs: str) -> object:
    return parse_page("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>", url)


def disputes(*pages: object) -> tuple[list[Fact], list[str]]:
    parsed = list(pages)
    return find_contradictions(parsed, extract_facts(parsed))  # type: ignore[arg-type]


async def test_founding_years_that_differ_across_pages_are_both_disputed(oakridge: BrandProfile, sites: SiteServer) -> None:
    home, about = sites.url("oakridge-dental/"), sites.url("oakridge-dental/about.html")
    flagged = [w for w in oakridge.warnings if w.startswith("contradiction")]
    assert len(flagged) == 1 and oakridge.warnings[0] == flagged[0], oakridge.warnings  # first: events show ten
    for said in ("Opened in 1995", "Est. 1998", home, about):
        assert said in flagged[0]
    disputed = {f.evidence: f.source_url for f in oakridge.facts if f.disputed}
    assert disputed == {"Opened in 1995": home, "Est. 1998": about}
    assert all(not f.disputed for f in oakridge.facts if "1995" not in f.evidence and "1998" not in f.evidence)


async def test_disputed_facts_never_reach_the_copy(oakridge: BrandProfile) -> None:
    out = await generate.generate_copy(
        GenerateInput(run_id="run-oak", brand=oakridge, num_variants=5), provider=OfflineProvider()
    )
    assert out.variants
    disputed = {f.id for f in oakridge.facts if f.disputed}
    for v in out.variants:
        words = f"{v.headline} {v.body} {v.description}"
        assert "1995" not in words and "1998" not in words, words
        assert not disputed & set(v.fact_ids), v.fact_ids


def test_truth_check_takes_no_support_from_a_disputed_fact() -> None:
    facts = [
        Fact(id="f1", text="Opened in 1995", evidence="Opened in 1995", source_url="http://x/", kind="founded", disputed=True),
        Fact(
            id="f2", text="We see emergencies the same day", evidence="We see emergencies the same day.", source_url="http://x/"
        ),
    ]
    stated = CopyVariant(
        id="v1",
        angle="trust",
        headline="Caring for smiles since 1995",
        body="Same-day emergencies.",
        description="",
        cta="Book",
        fact_ids=["f2"],
    )
    assert check_variant(stated, facts).verdict == "unsupported"
    cited = stated.model_copy(
        update={"headline": "Same-day emergency visits", "claims": [Claim(text="Opened in 1995", fact_ids=["f1"])]}
    )
    report = check_variant(cited, facts)
    assert report.verdict == "unsupported"
    assert any("contradicts" in u for u in report.unsupported)
    facts[0].disputed = False
    assert check_variant(stated, facts).verdict == "supported"  # the same copy, once a person settled it


def test_counts_compare_as_ranges() -> None:
    _, agree = disputes(
        page("http://x/", "Our clinic cares for more than 4,000 patients in the valley."),
        page("http://x/about", "We now care for 4,500 patients across two towns."),
    )
    assert agree == []
    facts, clash = disputes(
        page("http://x/", "Our team of 3 dentists works six days a week."),
        page("http://x/about", "Meet our 4 dentists and their hygienists."),
    )
    assert len(clash) == 1 and "3 dentists" in clash[0] and "4 dentists" in clash[0] and "number of dentists" in clash[0]
    assert {f.source_url for f in facts if f.disputed} == {"http://x/", "http://x/about"}


def test_counts_tied_to_a_period_and_equal_years_are_not_contradictions() -> None:
    _, none = disputes(
        page(
            "http://x/",
            "We served 200 families this month.",
            "Founded in 2004 by two sisters.",
            "Our pantry feeds 300 families a week.",
        ),
        page("http://x/about", "Last year we served 2,400 families in total.", "Est. 2004"),
    )
    assert none == []


def test_prices_of_the_same_product_that_differ_are_disputed() -> None:
    facts = [
        Fact(
            id="f1",
            text="Teeth Whitening $249",
            evidence="Teeth Whitening $249 In-office whitening.",
            source_url="http://x/services",
            kind="price",
            subject="Teeth Whitening",
            value="$249",
        ),
        Fact(
            id="f2",
            text="Teeth whitening $199",
            evidence="Teeth whitening $199 this spring.",
            source_url="http://x/",
            kind="price",
            subject="Teeth whitening",
            value="$199",
        ),
        Fact(
            id="f3",
            text="Emergency Visit $79",
            evidence="Emergency Visit $79 Exam and X-ray.",
            source_url="http://x/services",
            kind="price",
            subject="Emergency Visit",
            value="$79",
        ),
    ]
    out, warnings = find_contradictions([], facts)
    assert [f.id for f in out if f.disputed] == ["f1", "f2"]
    assert len(warnings) == 1 and "$249" in warnings[0] and "$199" in warnings[0] and "http://x/services" in warnings[0]


def test_no_other_fixture_site_has_a_contradiction() -> None:
    # Every other site states each founding year, count and price once or consistently: a false alarm
    # there would keep good facts out of copy.
    for site in sorted(p for p in SITES_DIR.iterdir() if (p / "expected.json").is_file() and p.name != "oakridge-dental"):
        pages = [
            parse_page(f.read_text(encoding="utf-8", errors="replace"), f"http://x/{f.relative_to(SITES_DIR)}")
            for f in sorted(site.rglob("*.html"))
        ]
        facts, warnings = find_contradictions(pages, extract_facts(pages))
        assert warnings == [], (site.name, warnings)
        assert not [f for f in facts if f.disputed], site.name


@given(st.text(alphabet=st.sampled_from(list("Est. 1995 opened in 2,400 dentists over since ,.-+ab\n")), max_size=300))
def test_claims_are_verbatim_pieces_of_their_sentence(text: str) -> None:
    for claim in claims_in(text, "http://x/"):
        assert claim.said in claim.sentence and claim.sentence in text
        assert claim.low <= claim.high


def price(fid: str, subject: str, value: str, evidence: str, url: str = "http://x/") -> Fact:
    return Fact(id=fid, text=evidence, evidence=evidence, source_url=url, kind="price", subject=subject, value=value)


def test_prices_compare_as_ranges_in_their_currency_and_unit() -> None:
    agree = [
        price("f1", "Drain Clear", "$129–$249", "Drain Clear $129–$249 Single fixture"),
        price("f2", "Drain Clear", "$199", "Drain Clear $199 for a kitchen sink.", "http://x/pricing"),
        price("f3", "Pro plan", "$12", "Pro plan $12 per month, billed monthly."),
        price("f4", "Pro plan", "$120", "Pro plan $120/year when paid yearly.", "http://x/pricing"),
        price("f5", "Croissant", "1,20 €", "Croissant 1,20 € pièce"),
        price("f6", "Croissant", "1.20 €", "Croissant 1.20 € each", "http://x/en"),
        price("f7", "Tune-up", "$89", "Tune-up from $89 per bike."),
        price("f8", "Tune-up", "$110", "Tune-up $110 for e-bikes.", "http://x/pricing"),
    ]
    facts, warnings = find_contradictions([], agree)
    assert warnings == [] and not [f.id for f in facts if f.disputed]
    clash = [
        price("f1", "Croissant", "1,20 €", "Croissant 1,20 €"),
        price("f2", "Croissant", "1,50 €", "Croissant 1,50 €", "http://x/b"),
    ]
    facts, warnings = find_contradictions([], clash)
    assert [f.id for f in facts if f.disputed] == ["f1", "f2"] and "1,50 €" in warnings[0]
