"""Revisions follow their feedback visibly (material named, angle asked, tone words), or say why not."""

from __future__ import annotations

import re

from brandtruth.pipeline.generate import generate_copy
from brandtruth.pipeline.llm import OfflineProvider
from brandtruth.pipeline.llm.feedback import read
from brandtruth.pipeline.models import BrandProfile, CopyVariant, GenerateInput
from tests.pipeline import brands_typed as typed


async def revise(
    brand: BrandProfile, vid: str, feedback: str, platform: str = "meta", n: int = 4
) -> tuple[CopyVariant, CopyVariant, list[CopyVariant]]:
    first = await generate_copy(GenerateInput(run_id="r", brand=brand, num_variants=n, platform=platform), OfflineProvider())
    out = await generate_copy(
        GenerateInput(
            run_id="r",
            brand=brand,
            num_variants=n,
            platform=platform,
            revise_ids=[vid],
            feedback=feedback,
            existing=first.variants,
        ),
        OfflineProvider(),
    )
    old = next(v for v in first.variants if v.id == vid)
    new = next(v for v in out.variants if v.id == vid)
    assert [v for v in out.variants if v.id != vid] == [v for v in first.variants if v.id != vid]
    return old, new, out.variants


def test_feedback_is_read_for_material_angle_and_tone() -> None:
    brand = typed.plumber_with_offer()
    wish = read("Lead with the $25 off offer, and make it shorter and more urgent", brand)
    assert wish.angle == "offer" and wish.terms == ["$25 off"] and wish.tones == ["shorter", "urgent"]
    assert read("Use the Drain Clear price", brand).terms == ["Drain Clear"]
    assert read("Quote Priya instead", brand).angle == "testimonial"
    assert read("friendlier please").tones == ["friendlier"] and read("more formal").tones == ["formal"]


def test_a_number_that_counts_drafts_is_no_material() -> None:
    """'round 2' once read as material "2" the site never states, and the variant was left unrevised."""
    brand = typed.plumber_with_offer()
    for feedback in ["round 2", "try v2 again", "option #3 please", "take 4, friendlier"]:
        assert read(feedback, brand).terms == [], feedback
    assert read("mention the 3 locations", brand).terms == ["3"]


async def test_a_number_the_feedback_names_leads_the_revision() -> None:
    old, new, _ = await revise(typed.plumber_with_offer(), "v1", "lead with the $25 off offer", n=1)
    assert "$25" not in old.headline
    assert "$25" in new.headline and new.revision == 2
    assert new.lint == [] and new.truth.verdict == "supported"
    assert new.revision_note.startswith("Revised as asked") and "$25" in new.revision_note


async def test_material_the_site_lacks_is_refused_with_a_note_not_an_unrelated_variant() -> None:
    old, new, _ = await revise(typed.roofer(), "v2", "lead with the $25 off offer")
    assert (new.headline, new.body, new.revision) == (old.headline, old.body, old.revision)
    assert new.revision_note.startswith("Not revised") and '"$25"' in new.revision_note


async def test_a_product_the_feedback_names_is_in_the_revision() -> None:
    old, new, _ = await revise(typed.plumber_with_offer(), "v1", "feature the Water Heater Flush")
    assert "Water Heater Flush" not in old.headline + old.body
    assert "Water Heater Flush" in new.headline


async def test_a_quote_asked_for_comes_with_its_author() -> None:
    _, new, _ = await revise(typed.roofer(), "v1", "Use the testimonial from Luis Ortega", platform="linkedin")
    assert new.angle == "testimonial"
    assert re.search(r"“Clear quote, no surprises, and they cleaned up every last nail\.” — Luis Ortega, Boulder$", new.body)


async def test_an_angle_asked_for_is_the_revisions_angle() -> None:
    old, new, _ = await revise(typed.roofer(), "v1", "Tell our story instead")
    assert old.angle != "story" and new.angle == "story"
    assert "2013" in new.headline + new.body


async def test_shorter_means_fewer_characters() -> None:
    old, new, _ = await revise(typed.roofer(), "v2", "make it shorter", platform="linkedin")
    assert len(new.headline + new.body) < len(old.headline + old.body)
    assert "shorter" in new.revision_note


async def test_more_urgent_leads_with_an_offer_or_price_and_one_point() -> None:
    # Two variants: a price is still free to lead with (with four, the offer and both prices are other variants'
    # own, and an ad of their two lines swapped is the same ad).
    _, new, others = await revise(typed.plumber_with_offer(), "v1", "more urgent please", n=2)
    assert new.angle in ("offer", "product")
    assert len(re.split(r"(?<=[.!?])\s+", new.body)) == 1
    assert "urgent" in new.revision_note
    assert not any(new.headline.rstrip(".") in o.body and o.headline.rstrip(".") in new.body for o in others if o.id != "v1")


async def test_friendlier_uses_a_customers_words_or_the_story() -> None:
    _, new, _ = await revise(typed.roofer(), "v2", "make it friendlier", platform="linkedin")
    assert new.angle in ("testimonial", "story")


async def test_more_formal_has_no_exclamations_or_first_person_quotes() -> None:
    _, new, _ = await revise(typed.roofer(), "v4", "more formal, please", platform="linkedin")
    assert "!" not in new.headline + new.body
    assert not re.search(r"\b(I|my|our roof)\b", new.body)
    assert new.angle in ("social_proof", "story")


async def test_material_another_variant_holds_is_said_not_repeated() -> None:
    """Asked to lead with the one $25 offer that v3 already leads with: no revision repeats v3; each
    says what it followed and why it could not lead with the offer, or why it was not revised."""
    brand = typed.plumber_with_offer()
    first = await generate_copy(GenerateInput(run_id="r", brand=brand, num_variants=4), OfflineProvider())
    holder = next(v.id for v in first.variants if v.headline.startswith("$25 off"))
    asked = [vid for vid in ("v1", "v2", "v3", "v4") if vid != holder][:2]
    out = await generate_copy(
        GenerateInput(
            run_id="r",
            brand=brand,
            num_variants=4,
            revise_ids=asked,
            feedback="Lead with the $25 off offer, shorter",
            existing=first.variants,
        ),
        OfflineProvider(),
    )
    for v in (v for v in out.variants if v.id in asked):
        assert not v.headline.startswith("$25 off")
        if v.revision == 2:
            assert v.revision_note.startswith("Partly revised") and f"already leads {holder}" in v.revision_note
        else:
            assert v.revision_note.startswith("Not revised: the site has nothing more that follows")


async def test_the_material_asked_for_leads_even_when_the_ad_cannot_also_be_shorter() -> None:
    """ "Lead with the free trial, shorter headline" on a short price ad: every ad with the trial is longer, so
    the revision leads with the trial and its note says it is not shorter (it used to be left unrevised)."""
    brand = typed.plumber_with_offer()
    brand.facts.append(typed.fact("t1", "trial", "A 30-day free trial of our leak sensor"))
    short = CopyVariant(id="v1", angle="product", headline="Drain Clear from $129", body="Same-day service.", cta="Book Now")
    out = await generate_copy(
        GenerateInput(
            run_id="r",
            brand=brand,
            num_variants=1,
            revise_ids=["v1"],
            feedback="Lead with the free trial, shorter headline",
            existing=[short],
        ),
        OfflineProvider(),
    )
    new = out.variants[0]
    assert new.revision == 2 and "free trial" in new.headline.lower(), (new.headline, new.body, new.revision_note, out.dropped)
    assert new.revision_note.startswith("Partly revised") and "not shorter" in new.revision_note
    assert "shorter (" not in new.revision_note  # never called shorter when it is not
