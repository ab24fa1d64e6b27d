"""Text typed in capitals reads as a sentence in facts, taglines and copy, with the site's own names kept."""

from __future__ import annotations

import pytest

from brandtruth.pipeline.extract import build_profile, parse_page
from brandtruth.pipeline.extract.casing import calm, shouting, site_spellings
from brandtruth.pipeline.generate import generate_copy
from brandtruth.pipeline.llm import OfflineProvider
from brandtruth.pipeline.models import GenerateInput


@pytest.mark.parametrize(
    ("text", "shouts"),
    [
        ("FREE SAME-DAY DELIVERY IN BATH", True),
        ("SPOKANE VALLEY AC REPAIR. SAME DAY.", True),
        ("SOC 2 Type II certified", False),  # acronyms in a calm sentence
        ("NEW: 20% OFF", False),  # too short to be more than a label
        ("Free Shipping On Orders Over $50", False),  # Title Case is not shouting
    ],
)
def test_shouting_is_a_sentence_of_capitals(text: str, shouts: bool) -> None:
    assert shouting(text) is shouts


def test_calm_keeps_the_names_places_and_acronyms_the_site_writes_in_calmer_text() -> None:
    spellings = site_spellings(
        ["Fern & Fable Florist — Seasonal Flowers In Bath", "Same-day AC repair across Spokane Valley.", "We deliver to Bath."],
        ["Fern & Fable Florist"],
    )
    assert calm("FREE AC REPAIR IN SPOKANE VALLEY BEFORE 11AM. CALL FERN & FABLE FLORIST.", spellings) == (
        "Free AC repair in Spokane Valley before 11am. Call Fern & Fable Florist."
    )
    # A Title Case line says nothing about which words are names: "Seasonal" and "Flowers" stay lower case.
    assert calm("SEASONAL FLOWERS DELIVERED ACROSS BATH", spellings) == "Seasonal flowers delivered across Bath"
    assert calm("Free Shipping On Orders Over $50", spellings) == "Free Shipping On Orders Over $50"  # not shouting


CAPS_SITE = """<html lang="en"><head><title>Fern &amp; Fable Florist — Seasonal flowers in Bath</title></head><body>
<header><img class="logo" src="/logo.png" alt="Fern &amp; Fable Florist"></header><main>
<section class="hero"><h1>SEASONAL FLOWERS, DELIVERED ACROSS BATH</h1>
<p>EVERY BOUQUET IS ARRANGED BY HAND WITH FLOWERS FROM GROWERS WITHIN 50 MILES.</p>
<a class="btn" href="/shop">Order flowers</a></section>
<section><p>FREE SAME-DAY DELIVERY IN BATH ON ORDERS PLACED BEFORE 11AM.</p>
<p>Our florists have arranged flowers for Bath weddings since 2012.</p></section></main></body></html>"""


async def test_a_site_typed_in_capitals_gets_facts_tagline_and_copy_in_sentence_case() -> None:
    url = "https://fernandfable.test/"
    brand = build_profile(url, [parse_page(CAPS_SITE, url)], [], [], None, [], [])
    assert brand.tagline == "Seasonal flowers, delivered across Bath"
    delivery = next(f for f in brand.facts if "delivery" in f.text.lower())
    assert delivery.text == "Free same-day delivery in Bath on orders placed before 11am"
    assert delivery.evidence == "FREE SAME-DAY DELIVERY IN BATH ON ORDERS PLACED BEFORE 11AM."  # verbatim
    out = await generate_copy(GenerateInput(run_id="r", brand=brand, num_variants=3), OfflineProvider())
    assert out.variants
    for v in out.variants:
        assert not shouting(v.headline) and not shouting(v.body), (v.headline, v.body)
        assert not v.lint, v.lint
