"""What the review studio reads from a run, on both engines: each variant's revision history (before
and after, the round, the feedback), step timings of every round (a revision adds its own, the first
pass keeps its), the log saying what a revision rewrote, each claim's own source page with a text
fragment link, and the run in the Temporal UI."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import pytest

from brandtruth.api.views import text_fragment_link
from tests.api.test_contract import start_run, stream_until_awaiting, until_type
from tests.cli.helpers import cli
from tests.conftest import engine_api
from tests.support.servers import ApiServer
from tests.support.sse import read_stream

FEEDBACK = "Lead with the free trial"


def test_revision_keeps_before_and_after_and_first_round_timings(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url)
    first = stream_until_awaiting(api, run_id)
    with api.client() as c:
        before = {v["variant"]["id"]: v for v in c.get(f"/workflow/result/{run_id}").json()["variants"]}
        first_steps = {s["name"]: s for s in c.get(f"/workflow/progress/{run_id}").json()["steps"]}
        resp = c.post(f"/workflow/revise/{run_id}", json={"variant_ids": ["v2"], "approver": "mo", "feedback": FEEDBACK})
        assert resp.status_code == 200, resp.text
    events, _ = read_stream(api.base_url, run_id, last_event_id=first[-1].id, until=until_type("awaiting_approval"))

    generate = next(e.data for e in events if e.data["type"] == "step_completed" and e.data["data"]["step"] == "generate")
    assert generate["message"].startswith("Rewrote 1 variant (v2)"), generate["message"]
    assert generate["data"]["round"] == 1
    first_generate = next(e.data for e in first if e.data["type"] == "step_completed" and e.data["data"]["step"] == "generate")
    assert first_generate["message"].startswith("Wrote 3 variants") and first_generate["data"]["round"] == 0

    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
        steps = {s["name"]: s for s in c.get(f"/workflow/progress/{run_id}").json()["steps"]}
        after = {v["variant"]["id"]: v for v in result["variants"]}
        assert after["v1"]["revisions"] == [] and after["v3"]["revisions"] == []
        [rev] = after["v2"]["revisions"]
        old = before["v2"]["variant"]
        assert rev["variant_id"] == "v2" and rev["round"] == 1 and rev["revision"] == 2 == after["v2"]["variant"]["revision"]
        assert rev["feedback"] == FEEDBACK and rev["approver"] == "mo" and rev["at"]
        assert {k: rev["before"][k] for k in ("headline", "body", "cta", "revision")} == {
            k: old[k] for k in ("headline", "body", "cta", "revision")
        }
        assert rev["note"] == after["v2"]["variant"]["revision_note"]
        # The creative before is still served, beside the new one.
        assert set(rev["before_creative_urls"]) == {"square"}
        old_png = rev["before_creative_urls"]["square"]
        assert old_png == before["v2"]["creatives"][0]["url"] != after["v2"]["creatives"][0]["url"]
        assert c.get(old_png).status_code == 200

    # Every step keeps its first-pass timings; the revision's steps add a round of their own.
    for name in ("extract", "generate", "match", "compose", "score"):
        assert steps[name]["rounds"][0] == first_steps[name]["rounds"][0], name
        assert first_steps[name]["rounds"][0]["status"] == "completed" and first_steps[name]["rounds"][0]["duration_ms"] >= 0
    assert [r["round"] for r in steps["extract"]["rounds"]] == [0]
    for name in ("generate", "match", "compose", "score"):
        assert [(r["round"], r["status"]) for r in steps[name]["rounds"]] == [(0, "completed"), (1, "completed")], name
        assert steps[name]["rounds"][1]["started_at"] >= steps[name]["rounds"][0]["finished_at"]


def test_each_claim_links_to_the_sentence_on_its_own_page(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url)
    stream_until_awaiting(api, run_id)
    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
    facts = {f["id"]: f for f in result["brand"]["facts"]}
    claims = [cl for v in result["variants"] for cl in v["claims"]]
    assert claims, "the demo copy makes claims"
    for cl in claims:
        fact = facts[cl["fact_id"]]
        assert cl["source_url"] == fact["source_url"] and cl["evidence"] == fact["evidence"]
        page, _, directive = cl["link"].partition("#:~:text=")
        assert page == fact["source_url"].split("#")[0] and directive, cl
        words = [unquote(part) for part in directive.split(",")]
        assert fact["evidence"].startswith(words[0]) and fact["evidence"].endswith(words[-1]), (words, fact["evidence"])
    for v in result["variants"]:
        for ev in v["evidence"]:
            assert ev["link"].startswith(ev["source_url"].split("#")[0] + "#:~:text="), ev
    # Facts are read on every page of the site, and each keeps its own page.
    assert len({f["source_url"] for f in facts.values()}) > 1, sorted({f["source_url"] for f in facts.values()})


@pytest.mark.parametrize(
    ("url", "sentence", "want"),
    [
        ("https://ex.com/pricing", "Free estimates, always.", "https://ex.com/pricing#:~:text=Free%20estimates%2C%20always."),
        (
            "https://ex.com/p",
            "More than 2,400 teams use Northwind every day to answer questions.",
            "https://ex.com/p#:~:text=More%20than%202%2C400%20teams,day%20to%20answer%20questions.",
        ),
        # Blocks joined (a card): its first and last word, since a browser matches a whole text in one block only.
        (
            "https://ex.com/a?b=1#top",
            "Drain Clear $129–$249 Single fixture, same-day service, no call-out fee",
            "https://ex.com/a?b=1#:~:text=Drain,fee",
        ),
        ("https://ex.com/pricing", "Starter $49/month Up to 10 users", "https://ex.com/pricing#:~:text=Starter,users"),
        ("https://ex.com/pricing", "Certified", "https://ex.com/pricing#:~:text=Certified"),
        ("https://ex.com/", "   ", "https://ex.com/"),
        ("mailto:hi@ex.com", "Write to us", "mailto:hi@ex.com"),
    ],
)
def test_text_fragment_link(url: str, sentence: str, want: str) -> None:
    assert text_fragment_link(url, sentence) == want


UI = "http://temporal-ui.example:8233"


@pytest.fixture(scope="module", params=["temporal", "local"])
def ui_api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    server = engine_api(request, request.param, tmp_path_factory.mktemp(f"ui-{request.param}"), TEMPORAL_UI_URL=UI)
    yield server
    server.stop()


def test_a_temporal_run_links_to_the_temporal_ui(ui_api: ApiServer, demo_url: str) -> None:
    with ui_api.client() as c:
        assert c.get("/workflow/health").json()["temporal_ui_url"] == UI
    run_id = start_run(ui_api, demo_url, num_variants=1)
    stream_until_awaiting(ui_api, run_id)
    with ui_api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
    on_temporal = ui_api.engine == "temporal"  # type: ignore[attr-defined]
    if on_temporal:
        assert result["temporal_ui_url"] == f"{UI}/namespaces/default/workflows/{run_id}"
    else:  # a local run has no Temporal history to show
        assert result["temporal_ui_url"] is None
    out = cli(ui_api, "result", run_id)  # and the CLI prints it
    assert out.returncode == 0, out.stdout + out.stderr
    assert (f"In the Temporal UI: {UI}/namespaces/default/workflows/{run_id}" in out.stdout) == on_temporal, out.stdout


def test_no_ui_configured_means_no_link(api: ApiServer, demo_url: str) -> None:
    with api.client() as c:
        assert c.get("/workflow/health").json()["temporal_ui_url"] is None
