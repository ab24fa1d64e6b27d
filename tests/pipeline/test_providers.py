"""The Anthropic and OpenAI providers through their real SDKs, against loopback stand-in servers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from brandtruth.config import Settings
from brandtruth.pipeline.errors import ProviderError
from brandtruth.pipeline.generate import generate_copy
from brandtruth.pipeline.llm import ProviderSettings, get_provider
from brandtruth.pipeline.models import GenerateInput
from brandtruth.steps import provider_settings
from tests.pipeline.test_generate import load_brand
from tests.support.llm_standins import StandIn, reply_malformed, reply_ok, status

SECRET = "sk-test-do-not-leak-1234567890"
APIS = ["anthropic", "openai"]


def settings_for(api: str, server: StandIn) -> Settings:
    if api == "anthropic":
        return Settings(
            _env_file=None,
            ANTHROPIC_API_KEY=SECRET,
            ANTHROPIC_BASE_URL=server.base_url,
            ANTHROPIC_MODEL="claude-sonnet-4-6",
            BRANDTRUTH_LLM_TIMEOUT_SECONDS=10,
        )
    return Settings(
        _env_file=None,
        OPENAI_API_KEY=SECRET,
        OPENAI_BASE_URL=server.base_url,
        OPENAI_MODEL="gpt-4.1-mini",
        BRANDTRUTH_LLM_TIMEOUT_SECONDS=10,
    )


def providers_for(api: str, server: StandIn) -> ProviderSettings:
    return provider_settings(settings_for(api, server))


def grounded(slots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a well-behaved model writes for the ledgerly brand: distinct, cited, lint-clean, within Meta limits."""
    lines = [
        ("Used by 12,000+ freelancers", "Ledgerly is used by more than 12,000 freelancers in 40 countries.", ["f1"]),
        ("Paid 2x faster with reminders", "Freelancers who turn on automatic reminders get paid 2x faster on average.", ["f2"]),
        ("Try every feature free", "Ledgerly is free for 14 days, with no credit card required.", ["f4"]),
        ("Invoices that chase themselves", "Automatic reminders chase late payments for you.", []),
    ]
    out = []
    for i, slot in enumerate(slots):
        headline, body, facts = lines[i % len(lines)]
        out.append(
            {
                "id": slot["id"],
                "angle": slot["angle"],
                "headline": headline,
                "body": body,
                "description": "Invoicing for freelancers",
                "cta": "Get Started",
                "claims": [{"text": headline, "fact_ids": facts}] if facts else [],
            }
        )
    return out


def inventing(slots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A model that invents a customer count the site never states, in every variant."""
    return [
        {
            "id": s["id"],
            "angle": "social_proof",
            "headline": f"Join 50,000 happy teams ({s['id']})",
            "body": "Over 50,000 teams already trust Ledgerly.",
            "description": "",
            "cta": "Sign Up",
            "claims": [{"text": "50,000 teams", "fact_ids": ["f1"]}],
        }
        for s in slots
    ]


def inventing_once(slots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Invents on the first draft, then fixes it when told what was wrong."""
    if any(s.get("problems_with_previous_draft") for s in slots):
        return grounded(slots)
    return inventing(slots)


@pytest.fixture(params=APIS)
def api(request: pytest.FixtureRequest) -> Iterator[StandIn]:
    with StandIn(api=request.param) as server:
        yield server


def inp(n: int = 2) -> GenerateInput:
    return GenerateInput(run_id="r-llm", brand=load_brand("ledgerly"), num_variants=n, provider="offline")


async def run(api: StandIn, n: int = 2):  # noqa: ANN201
    return await generate_copy(inp(n), get_provider(api.api, providers_for(api.api, api)))


async def test_structured_response_becomes_checked_variants_with_usage(api: StandIn) -> None:
    api.script(reply_ok(grounded))
    out = await run(api, 3)
    assert [v.id for v in out.variants] == ["v1", "v2", "v3"]
    assert all(v.truth and v.truth.verdict == "supported" for v in out.variants)
    assert out.variants[0].truth.supported[0].fact_id == "f1"
    assert out.usage.provider == api.api and out.usage.input_tokens == 1200 and out.usage.output_tokens == 300
    assert out.usage.cost_usd > 0
    [req] = api.requests
    if api.api == "anthropic":
        assert req.path == "/v1/messages"
        assert SECRET in (req.headers.get("x-api-key", ""), req.headers.get("authorization", "").removeprefix("Bearer "))
        assert req.body["tool_choice"] == {"type": "tool", "name": "submit_variants"}
        assert req.body["tools"][0]["input_schema"]["required"] == ["variants"]
    else:
        assert req.path == "/v1/chat/completions" and req.headers["authorization"] == f"Bearer {SECRET}"
        assert req.body["response_format"]["type"] == "json_schema"
        assert req.body["response_format"]["json_schema"]["strict"] is True
    assert SECRET not in json.dumps(req.body) and SECRET not in out.model_dump_json()


async def test_429_is_retryable_with_retry_after(api: StandIn) -> None:
    api.script(status(429, retry_after=7))
    with pytest.raises(ProviderError) as err:
        await run(api)
    assert err.value.retryable and err.value.retry_after == 7
    assert len(api.requests) == 1  # max_retries=0: the SDK does not retry behind Temporal's back


async def test_500_is_retryable(api: StandIn) -> None:
    api.script(status(500))
    with pytest.raises(ProviderError) as err:
        await run(api)
    assert err.value.retryable and "500" in err.value.message
    assert len(api.requests) == 1


async def test_401_is_not_retryable_and_says_which_key_to_fix(api: StandIn) -> None:
    api.script(status(401, message=f"invalid x-api-key {SECRET}"))
    with pytest.raises(ProviderError) as err:
        await run(api)
    key_var = "ANTHROPIC_API_KEY" if api.api == "anthropic" else "OPENAI_API_KEY"
    assert not err.value.retryable and key_var in err.value.message
    assert SECRET not in err.value.message


async def test_400_is_not_retryable_and_names_the_model_setting(api: StandIn) -> None:
    api.script(status(400, message="model does not support this"))
    with pytest.raises(ProviderError) as err:
        await run(api)
    assert not err.value.retryable and "_MODEL" in err.value.message


@pytest.mark.parametrize("kind", ["schema", "text"])
async def test_malformed_output_gets_one_repair_attempt(api: StandIn, kind: str) -> None:
    api.script(reply_malformed(kind), reply_ok(grounded))
    out = await run(api)
    assert len(out.variants) == 2 and len(api.requests) == 2
    assert "previous output" in json.dumps(api.requests[1].body["messages"][-1])
    assert out.usage.input_tokens == 2400  # both calls are counted


async def test_malformed_twice_is_a_retryable_failure(api: StandIn) -> None:
    api.script(reply_malformed(), reply_malformed("text"))
    with pytest.raises(ProviderError) as err:
        await run(api)
    assert err.value.retryable and "malformed" in err.value.message


async def test_invented_number_is_caught_and_regenerated_with_the_reason(api: StandIn) -> None:
    api.script(reply_ok(inventing_once), reply_ok(inventing_once))
    out = await run(api)
    assert [v.id for v in out.variants] == ["v1", "v2"]
    assert all("50,000" not in v.headline + v.body for v in out.variants)
    assert any("50,000" in c for c in out.caught)
    retry_slots = api.requests[1].body
    assert "50,000" in json.dumps(retry_slots)  # the model is told what it got wrong
    assert all(v.truth.attempts == 2 for v in out.variants)


async def test_invented_number_that_persists_is_dropped_never_shown(api: StandIn) -> None:
    api.script(*[reply_ok(inventing)] * 3)
    with pytest.raises(ProviderError) as err:
        await run(api)
    assert "50,000" in err.value.message and not err.value.retryable
    assert len(api.requests) == 3


async def test_connection_refused_is_retryable() -> None:
    with StandIn(api="openai") as server:
        providers = providers_for("openai", server)
    with pytest.raises(ProviderError) as err:  # the server is gone now
        await generate_copy(inp(), get_provider("openai", providers))
    assert err.value.retryable


def test_provider_repr_and_settings_never_show_the_key() -> None:
    for name in APIS:
        settings = Settings(_env_file=None, ANTHROPIC_API_KEY=SECRET, OPENAI_API_KEY=SECRET)
        providers = provider_settings(settings)
        provider = get_provider(name, providers)
        assert SECRET not in repr(provider) and SECRET not in repr(settings) and SECRET not in repr(providers)
