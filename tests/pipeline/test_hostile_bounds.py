"""What a hostile page may cost to read is bounded by the text read, not by its element count or length."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from brandtruth.pipeline.extract import cards, regions
from brandtruth.pipeline.extract.contradictions import claims_in
from brandtruth.pipeline.extract.crawl import partial_page_warning
from brandtruth.pipeline.extract.dom import MAX_TEXT_NODES
from brandtruth.pipeline.extract.page import MAX_LINKS, parse_page
from tests.support.sites import many_links_page


def _counted(calls: Counter[str], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return fn(*args, **kwargs)

    return wrapper


def test_a_block_of_60000_links_is_weighed_by_a_bounded_number_of_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: one <div> of 60,000 links read every link's text and looked at every child for a
    button and a card (~0.3 s of the ~0.8 s this page cost in the CPU pool, while other runs waited)."""
    calls: Counter[str] = Counter()
    monkeypatch.setattr(regions, "element_text", _counted(calls, "regions.element_text", regions.element_text))
    monkeypatch.setattr(regions, "is_button", _counted(calls, "regions.is_button", regions.is_button))
    monkeypatch.setattr(cards, "tag_of", _counted(calls, "cards.tag_of", cards.tag_of))

    page = parse_page(many_links_page(60_000).decode(), "http://127.0.0.1:1/_adv/many-links/")

    assert page.title  # still read
    assert calls["regions.element_text"] < 3 * MAX_TEXT_NODES, calls
    assert calls["regions.is_button"] < 3 * MAX_TEXT_NODES, calls
    assert calls["cards.tag_of"] < 40_000, calls  # MAX_SCAN parents, and at most MAX_SCAN children of one


def test_a_run_of_numbers_is_not_read_as_one_number() -> None:
    """Regression: "100 101 102 ..." (a page of 60,000 numbered links) matched as one number with
    space-separated thousands and was backtracked at every start: ~1 s for one block, in the pool."""
    archive = " ".join(str(i) for i in range(100, 1000)) + " customers"
    assert [c.high for c in claims_in(archive, "u")] == [995_996_997_998_999]  # five groups at most, not 900
    (claim,) = claims_in("We have served over 1 200 000 customers since the start.", "u")
    assert (claim.slot, claim.low) == ("number of customers", 1_200_000)


def test_a_page_past_the_element_bound_is_cut_there_and_says_so() -> None:
    """Every pass over a page (links, images, metadata, blocks) reads at most MAX_ELEMENTS elements."""
    page = parse_page(many_links_page(60_000).decode(), "http://127.0.0.1:1/_adv/many-links/")
    assert "elements" in page.capped
    warning = partial_page_warning(page)
    assert warning and "elements were read" in warning
    assert page.title and len(page.links) <= MAX_LINKS  # the start of the page is still read

    small = parse_page(many_links_page(100).decode(), "http://127.0.0.1:1/_adv/many-links/")
    assert "elements" not in small.capped


def test_a_block_of_thousands_of_sentences_is_read_for_a_bounded_number_of_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: a 2.5 MB paragraph had every sentence classified after the facts were full (4 s per MB), and
    20,000 "Founded in 1998." looked every year up in every sentence (quadratic: 4,000 took 2.3 s)."""
    from brandtruth.pipeline.extract import build_profile, contradictions, facts

    calls: Counter[str] = Counter()
    monkeypatch.setattr(facts, "classify", _counted(calls, "classify", facts.classify))
    text = " ".join(f"We have served {i} happy customers in Denver since 19{i % 90 + 10}." for i in range(20_000))
    page = parse_page(f"<html><body><main><h1>Big Co</h1><p>{text}</p></main></body></html>", "http://127.0.0.1:1/")
    brand = build_profile("http://127.0.0.1:1/", [page], [], [], None, [], [])
    assert brand.facts  # still read
    assert calls["classify"] <= facts.MAX_BLOCK_SENTENCES + 10, calls
    founded = contradictions.claims_in("Founded in 1998. " * 20_000, "u")
    assert 1 <= len(founded) <= contradictions.MAX_CLAIMS


def test_a_block_longer_than_any_paragraph_is_cut_after_a_sentence_and_stays_verbatim() -> None:
    """Regression: one 2.4 MB paragraph was read whole by every pass after parsing (facts, contradictions, casing,
    the brand's voice): seconds of CPU, for no more than its first sentences say."""
    text = "Founded in 1998. " * 140_000
    page = parse_page(f"<html><body><main><h1>Big Co</h1><p>{text}</p><p>We ship in 2 days.</p></main></body></html>", "u")
    long, after = page.blocks[1], page.blocks[2]
    assert len(long.text) <= regions.MAX_BLOCK_CHARS and long.text.endswith("1998.")
    assert text.startswith(long.text)  # a verbatim start: evidence stays the page's own words
    assert after.text == "We ship in 2 days."  # what follows is still read
