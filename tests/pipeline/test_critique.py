"""The LLM critique beside the score: through the real SDKs against stand-ins, never touching the numbers."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from brandtruth.config import Settings
from brandtruth.pipeline.generate import generate_copy
from brandtruth.pipeline.llm import CritiqueRequest, OfflineProvider, get_provider
from brandtruth.pipeline.llm.base import CRITIQUE_MAX_CHARS
from brandtruth.pipeline.llm.critiquing import parse_critiques, shorten
from brandtruth.pipeline.llm.prompting import MalformedOutput
from brandtruth.pipeline.models import CopyVariant, GenerateInput, ProviderName, ScoreInput, ScoreOutput
from brandtruth.pipeline.score import score_variants
from brandtruth.steps import Steps
from tests.pipeline.test_generate import load_brand
from tests.pipeline.test_providers import SECRET, providers_for, settings_for
from tests.support.llm_standins import Reply, StandIn, reply_critiques, reply_malformed, status

APIS = ["anthropic", "openai"]
BRAND = load_brand("ledgerly")
_variants: list[CopyVariant] = []


@pytest.fixture(params=APIS)
def api(request: pytest.FixtureRequest) -> Iterator[StandIn]:
    with StandIn(api=request.param) as server:
        yield server


async def variants() -> list[CopyVariant]:
    if not _variants:
        out = await generate_copy(
            GenerateInput(run_id="r-crit", brand=BRAND, num_variants=3, provider="offline"), OfflineProvider()
        )
        _variants.extend(out.variants)
    return _variants


async def score_input(provider: ProviderName) -> ScoreInput:
    return ScoreInput(run_id="r-crit", brand=BRAND, variants=await variants(), platform="meta", provider=provider)


def steps_for(server: StandIn, tmp_path: Path) -> Steps:
    settings = settings_for(server.api, server).model_copy(update={"data_dir": tmp_path})
    return Steps(settings)


async def offline_scores(tmp_path: Path) -> ScoreOutput:
    return await Steps(Settings(_env_file=None, BRANDTRUTH_DATA_DIR=str(tmp_path))).score(await score_input("offline"))


async def critique_request() -> CritiqueRequest:
    inp = await score_input("offline")
    return CritiqueRequest(
        run_id=inp.run_id, brand=inp.brand, platform=inp.platform, variants=inp.variants, scores=score_variants(inp).scores
    )


def without_critique(out: ScoreOutput) -> str:
    return ScoreOutput(scores=[s.model_copy(update={"critique": None}) for s in out.scores]).model_dump_json()


def thoughtful(review_variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A model that reads the breakdown: names the weakest component and quotes the headline."""
    out = []
    for v in review_variants:
        weakest = min(v["components"], key=lambda c: c["points"] / c["of"] if c["of"] else 1)
        out.append({"id": v["id"], "critique": f'"{v["headline"]}" is on voice; {weakest["name"]} is weakest.'})
    return out


async def test_critique_is_attached_beside_unchanged_scores(api: StandIn, tmp_path: Path) -> None:
    api.script(reply_critiques(thoughtful))
    out = await steps_for(api, tmp_path).score(await score_input(api.api))
    baseline = await offline_scores(tmp_path)

    assert [s.variant_id for s in out.scores] == ["v1", "v2", "v3"]
    by_id = {v.id: v for v in await variants()}
    for s in out.scores:
        assert s.critique is not None and by_id[s.variant_id].headline in s.critique
        assert len(s.critique) <= CRITIQUE_MAX_CHARS
    assert all(s.critique is None for s in baseline.scores)
    assert without_critique(out) == baseline.model_dump_json()  # byte-identical apart from the critique

    [req] = api.requests
    review = req.body["messages"][-1]["content"]
    assert "friendly, plain-spoken" in review and by_id["v1"].headline in review
    assert all(c.reason in review for c in baseline.scores[0].components)  # grounded in the breakdown
    if api.api == "anthropic":
        assert req.path == "/v1/messages"
        assert req.body["tool_choice"] == {"type": "tool", "name": "submit_critiques"}
        assert req.body["tools"][0]["input_schema"]["required"] == ["critiques"]
    else:
        assert req.path == "/v1/chat/completions"
        assert req.body["response_format"]["json_schema"]["name"] == "ad_critiques"
        assert req.body["response_format"]["json_schema"]["strict"] is True
    assert SECRET not in json.dumps(req.body)


async def test_provider_critique_returns_usage(api: StandIn) -> None:
    api.script(reply_critiques(thoughtful))
    result = await get_provider(api.api, providers_for(api.api, api)).critique(await critique_request())
    assert sorted(result.critiques) == ["v1", "v2", "v3"]
    assert result.usage.provider == api.api and result.usage.input_tokens == 1200 and result.usage.output_tokens == 300
    assert result.usage.cost_usd > 0


def _bad_schema(review_variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": v["id"], "note": "no critique field"} for v in review_variants]


def _unknown_ids(review_variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": "v99", "critique": "Reviewing a variant nobody asked about."}]


FAILURES: dict[str, Reply] = {
    "500": status(500),
    "429": status(429, retry_after=3),
    "401": status(401, message=f"invalid x-api-key {SECRET}"),
    "not-json": reply_malformed("text"),
    "wrong-schema": reply_critiques(_bad_schema),
    "unknown-ids": reply_critiques(_unknown_ids),
}


@pytest.mark.parametrize("failure", list(FAILURES))
async def test_failed_critique_leaves_scores_unchanged_and_critique_none(
    api: StandIn, tmp_path: Path, failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    api.script(FAILURES[failure])
    with caplog.at_level(logging.WARNING, logger="brandtruth.steps"):
        out = await steps_for(api, tmp_path).score(await score_input(api.api))
    assert all(s.critique is None for s in out.scores)
    assert out.model_dump_json() == (await offline_scores(tmp_path)).model_dump_json()
    assert len(api.requests) == 1  # one call, no retries: the critique is optional
    [warning] = [r for r in caplog.records if "no critique" in r.getMessage()]
    assert warning.levelno == logging.WARNING and SECRET not in warning.getMessage()


async def test_slow_critique_times_out_without_failing_the_score(api: StandIn, tmp_path: Path) -> None:
    release = threading.Event()

    def stalled(api_name: str, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        release.wait(10)  # answers only once the test is done with it
        return 500, {}, {}

    api.script(stalled)
    steps = steps_for(api, tmp_path)
    steps.critique_timeout_seconds = 0.3
    try:
        out = await steps.score(await score_input(api.api))
    finally:
        release.set()
    assert all(s.critique is None for s in out.scores)
    assert out.model_dump_json() == (await offline_scores(tmp_path)).model_dump_json()


async def test_offline_provider_adds_no_critique_and_calls_nothing(api: StandIn, tmp_path: Path) -> None:
    out = await steps_for(api, tmp_path).score(await score_input("offline"))  # keys are set; offline still wins
    assert all(s.critique is None for s in out.scores)
    assert api.requests == []
    assert (await OfflineProvider().critique(await critique_request())).critiques == {}


async def test_missing_key_means_no_critique_not_a_failed_score(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    steps = Steps(Settings(_env_file=None, BRANDTRUTH_DATA_DIR=str(tmp_path)))
    with caplog.at_level(logging.WARNING, logger="brandtruth.steps"):
        out = await steps.score(await score_input("anthropic"))
    assert all(s.critique is None for s in out.scores)
    assert out.model_dump_json() == (await offline_scores(tmp_path)).model_dump_json()
    assert any("ANTHROPIC_API_KEY" in r.getMessage() for r in caplog.records)


def test_parse_keeps_requested_ids_first_answer_and_fits_the_limit() -> None:
    long = "Clear promise and a strong verb. " * 12
    got = parse_critiques(
        {
            "critiques": [
                {"id": "v1", "critique": "  Good   hook. "},
                {"id": "v1", "critique": "second opinion"},
                {"id": "v2", "critique": long},
                {"id": "v7", "critique": "not asked"},
                {"id": "v3", "critique": "   "},
            ]
        },
        ["v1", "v2", "v3"],
    )
    assert got["v1"] == "Good hook."
    assert len(got["v2"]) <= CRITIQUE_MAX_CHARS and got["v2"].endswith(".")
    assert set(got) == {"v1", "v2"}
    with pytest.raises(MalformedOutput):
        parse_critiques('{"critiques": []}', ["v1"])


def test_shorten_cuts_at_a_word_when_no_sentence_fits() -> None:
    text = "word " * 100
    short = shorten(text)
    assert len(short) <= CRITIQUE_MAX_CHARS and short.endswith("word…")
