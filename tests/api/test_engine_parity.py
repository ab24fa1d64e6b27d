"""Both engines tell the same story: for the same failure and for a rejected fire-and-forget approval,
the local engine and Temporal emit the same events (types, steps, retryable flags, `via`).

One API server per engine in this process (Temporal with an embedded worker, on the real dev server),
so a step patched here fails the same way in both."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from brandtruth.pipeline.models import MatchInput, MatchOutput
from brandtruth.steps import Steps
from tests.conftest import engine_api
from tests.support.servers import ApiServer
from tests.support.sse import SseEvent, read_stream

ENGINES = ("local", "temporal")


@pytest.fixture(scope="module")
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ApiServer]]:
    started: dict[str, ApiServer] = {}
    try:
        for engine in ENGINES:
            started[engine] = engine_api(request, engine, tmp_path_factory.mktemp(f"parity-{engine}"))
        yield started
    finally:
        for server in started.values():
            server.stop()


def is_progress(data: dict[str, Any]) -> bool:
    """A sub-step progress event ('n of total' pages fetched, creatives rendered): how many of those a
    run gets depends on the engine (Temporal throttles the reports), so they are left out of the story."""
    return {"n", "total"} <= set(data.get("data") or {})


def story(events: list[SseEvent]) -> list[tuple[Any, ...]]:
    """What must agree between engines: each event's type, status, step and the flags it carries."""
    out = []
    for e in events:
        d = e.data
        if is_progress(d):
            continue
        data = d.get("data") or {}
        out.append(
            (
                d["type"],
                d["status"],
                d.get("current_step"),
                data.get("step"),
                data.get("attempt"),
                data.get("retryable"),
                data.get("error_type"),
                data.get("via"),
                data.get("kind"),
                d["message"] if d["type"] in ("failed", "approval_rejected") else None,
            )
        )
    return out


def start(api: ApiServer, url: str) -> str:
    with api.client() as c:
        resp = c.post("/workflow/start", json={"url": url, "num_variants": 2, "formats": ["square"]})
    assert resp.status_code == 200 and resp.json()["engine"] == api.engine, resp.text  # type: ignore[attr-defined]
    return str(resp.json()["workflow_id"])


def test_an_unexpected_error_is_reported_alike(
    servers: dict[str, ApiServer], demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken_match(self: Steps, inp: MatchInput) -> MatchOutput:
        raise RuntimeError("the matcher broke")  # no PipelineError: a bug, as a step may have one

    monkeypatch.setattr(Steps, "match", broken_match)
    stories, results = {}, {}
    for engine, api in servers.items():
        run_id = start(api, demo_url)
        events, ended = read_stream(api.base_url, run_id, timeout=60)
        assert ended and events[-1].data["type"] == "failed", events[-1].data
        stories[engine] = story(events)
        with api.client() as c:
            results[engine] = c.get(f"/workflow/result/{run_id}").json()
    assert stories["local"] == stories["temporal"]
    failed = stories["local"][-1]
    assert failed[3:7] == ("match", None, True, "RuntimeError")  # step, (attempt), retryable, error_type
    assert failed[-1] == "match failed: RuntimeError: the matcher broke"
    retries = [s[4] for s in stories["local"] if s[0] == "step_retrying"]
    assert retries == [2, 3]  # MATCH_POLICY: 3 attempts on both engines
    for result in results.values():
        assert (result["status"], result["error"], result["error_type"], result["error_retryable"]) == (
            "failed",
            "RuntimeError: the matcher broke",
            "RuntimeError",
            True,
        )


def test_a_rejected_signal_approval_is_recorded_alike(servers: dict[str, ApiServer], demo_url: str) -> None:
    stories = {}
    for engine, api in servers.items():
        run_id = start(api, demo_url)
        first, _ = read_stream(api.base_url, run_id, until=lambda e: e.data["type"] in ("awaiting_approval", "failed"))
        assert first[-1].data["type"] == "awaiting_approval", first[-1].data
        with api.client() as c:
            assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v7"], "wait": False}).status_code == 202
            rejected, _ = read_stream(
                api.base_url, run_id, last_event_id=first[-1].id, until=lambda e: e.data["type"] == "approval_rejected"
            )
            assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"], "wait": False}).status_code == 202
        rest, ended = read_stream(api.base_url, run_id, last_event_id=rejected[-1].id, timeout=60)
        assert ended and rest[-1].data["type"] == "completed", rest[-1].data
        stories[engine] = story(first + rejected + rest)
    assert stories["local"] == stories["temporal"]
    after_wait = [s for s in stories["local"] if s[0] in ("approval_rejected", "approved", "completed")]
    assert [(s[0], s[7], s[8]) for s in after_wait] == [
        ("approval_rejected", "signal", "approve"),
        ("approved", None, None),
        ("completed", None, None),
    ]
