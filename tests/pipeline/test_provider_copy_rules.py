"""Anthropic and OpenAI providers under the copy lint, through their real SDKs against stand-in servers.

The prompt states the copy rules and passes typed material; a draft with a lint fault goes back to
the model with the fault and its offending text; a fault that persists is shown on the variant.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from brandtruth.pipeline.generate import MAX_ATTEMPTS, generate_copy
from brandtruth.pipeline.lint import lint_variant
from brandtruth.pipeline.llm import CritiqueRequest, get_provider
from brandtruth.pipeline.models import BrandProfile, CopyVariant, Fact, GenerateInput, ScoreInput
from brandtruth.pipeline.models import Testimonial as Quote
from brandtruth.pipeline.score import score_variants
from tests.pipeline.test_generate import load_brand
from tests.pipeline.test_providers import grounded, providers_for
from tests.support.llm_standins import StandIn, reply_critiques, reply_ok, review_of


@pytest.fixture(params=["anthropic", "openai"])
def api(request: pytest.FixtureRequest) -> Iterator[StandIn]:
    with StandIn(api=request.param) as server:
        yield server


def brand() -> BrandProfile:
    b = load_brand("ledgerly")
    b.business_type, b.primary_cta = "software", "Start free trial"
    b.testimonials = [Quote(quote="I just send the invoice and forget about it.", author="Maya R.", place="Leeds", rating="5/5")]
    b.facts[2] = b.facts[2].model_copy(update={"subject": "Pro plan", "value": "$12/month", "region": "pricing"})
    b.facts.append(
        Fact(id="f7", text="Founded in 2015", evidence="Founded in 2015.", source_url=b.url, kind="founded", disputed=True)
    )
    return b


def brief_of(body: dict[str, Any]) -> dict[str, Any]:
    for message in body["messages"]:
        content = message.get("content")
        if isinstance(content, str) and "<brief>" in content:
            return json.loads(content.split("<brief>", 1)[1].split("</brief>", 1)[0])
    raise AssertionError("no <brief>")


def system_of(body: dict[str, Any]) -> str:
    if "system" in body:
        return str(body["system"])
    return next(m["content"] for m in body["messages"] if m["role"] == "system")


def with_button_label(slots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A model that pastes a button label and SaaS filler into every variant."""
    out = grounded(slots)
    for v in out:
        v["headline"] = f"$12 Add to Cart {v['id']}"
        v["body"] += " See how it works."
    return out


def fixes_when_told(slots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return grounded(slots) if any(s.get("problems_with_previous_draft") for s in slots) else with_button_label(slots)


async def run(api: StandIn, n: int = 2):  # noqa: ANN201
    inp = GenerateInput(run_id="r-rules", brand=brand(), num_variants=n, provider="offline")
    return await generate_copy(inp, get_provider(api.api, providers_for(api.api, api)))


async def test_prompt_states_the_copy_rules_and_passes_typed_material(api: StandIn) -> None:
    api.script(reply_ok(grounded))
    await run(api)
    body = api.requests[0].body
    system = system_of(body)
    for rule in (
        "brand's language",
        "section headings",
        "button",
        "cookie",
        "never repeat the body",
        "names something",
        "site's own casing",
        "primary action",
    ):
        assert rule in system, rule
    brief = brief_of(body)
    assert brief["brand"]["language"] == "en" and brief["brand"]["language_name"] == "English"
    assert brief["brand"]["business_type"] == "software" and brief["brand"]["primary_cta"] == "Start free trial"
    assert brief["brand"]["testimonials"] == [
        {"quote": "I just send the invoice and forget about it.", "author": "Maya R.", "place": "Leeds", "rating": "5/5"}
    ]
    price = next(f for f in brief["facts"] if f["id"] == "f3")
    assert (price["kind"], price["subject"], price["value"]) == ("price", "Pro plan", "$12/month")
    assert "f7" not in {f["id"] for f in brief["facts"]}  # disputed: kept out until a person checks
    assert "Built for freelancers and small studios" in brief["section_headings_not_copy"]


async def test_a_lint_fault_goes_back_to_the_model_with_the_offending_text(api: StandIn) -> None:
    api.script(reply_ok(fixes_when_told), reply_ok(fixes_when_told))
    out = await run(api)
    assert [v.id for v in out.variants] == ["v1", "v2"]
    assert all(not v.lint and "Add to Cart" not in v.headline for v in out.variants)
    retry = brief_of(api.requests[1].body)["variants_to_write"]
    problems = json.dumps([s["problems_with_previous_draft"] for s in retry])
    assert "ui_label" in problems and "Add to Cart" in problems
    assert "names_nothing" in problems and "See how it works." in problems


async def test_a_lint_fault_that_persists_is_shown_on_the_variant(api: StandIn) -> None:
    api.script(*[reply_ok(with_button_label)] * MAX_ATTEMPTS)
    out = await run(api)
    assert len(api.requests) == MAX_ATTEMPTS
    shown = [v for v in out.variants if v.lint]
    assert shown, (out.variants, out.dropped)
    for v in shown:
        assert {"ui_label", "names_nothing"} <= {f.code for f in v.lint}
        assert any(f.text == "Add to Cart" for f in v.lint)


async def test_a_french_brand_is_asked_for_french(api: StandIn) -> None:
    fr = brand().model_copy(update={"language": "fr"})
    api.script(reply_ok(grounded), reply_ok(grounded), reply_ok(grounded))
    await generate_copy(
        GenerateInput(run_id="r-fr", brand=fr, num_variants=1, provider="offline"),
        get_provider(api.api, providers_for(api.api, api)),
    )
    first = api.requests[0].body
    assert brief_of(first)["brand"]["language_name"] == "French"
    assert "Write in French" in json.dumps(first["messages"])
    # The stand-in answers in English: refused as wrong_language and sent back with the fault.
    assert len(api.requests) == MAX_ATTEMPTS
    assert "wrong_language" in json.dumps(brief_of(api.requests[1].body)["variants_to_write"])


async def test_the_critique_review_carries_each_variants_copy_faults(api: StandIn) -> None:
    b = brand()
    faulty = CopyVariant(
        id="v1", headline="$12 Add to Cart", body="Ledgerly is free for 14 days. See how it works.", cta="Get Started"
    )
    faulty.lint = lint_variant(faulty, b)
    scores = score_variants(ScoreInput(run_id="r", brand=b, variants=[faulty])).scores
    api.script(reply_critiques(lambda vs: [{"id": v["id"], "critique": "Drop the button label."} for v in vs]))
    await get_provider(api.api, providers_for(api.api, api)).critique(
        CritiqueRequest(run_id="r", brand=b, platform="meta", variants=[faulty], scores=scores)
    )
    [variant] = review_of(api.requests[0].body)["variants"]
    assert {"code": "ui_label", "field": "headline", "text": "Add to Cart"} in variant["copy_faults"]
    assert "copy faults" in system_of(api.requests[0].body)


async def test_a_feature_cards_heading_is_material_not_a_heading_to_avoid(api: StandIn) -> None:
    """A card's heading over its sentence ("Invoices that chase themselves") is the fact's subject: the brief
    passes it with the fact, and no longer tells the model it is a heading to keep out of copy."""
    b = brand()
    b.headings.append("Reminders on autopilot")
    b.facts[1] = b.facts[1].model_copy(update={"subject": "Reminders on autopilot", "region": "card", "kind": "feature"})
    api.script(reply_ok(grounded))
    await generate_copy(
        GenerateInput(run_id="r-card", brand=b, num_variants=2, provider="offline"),
        get_provider(api.api, providers_for(api.api, api)),
    )
    brief = brief_of(api.requests[0].body)
    assert next(f for f in brief["facts"] if f["id"] == "f2")["subject"] == "Reminders on autopilot"
    assert "Reminders on autopilot" not in brief["section_headings_not_copy"]
    assert "Built for freelancers and small studios" in brief["section_headings_not_copy"]
    assert "a feature card's heading" in system_of(api.requests[0].body)
