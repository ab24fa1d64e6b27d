"""Sub-step progress and lossless finals (issue 19), against both engines through a real server:
`page_fetched` and `creative_rendered` events count n of N up to N inside their step, and a PNG of a
variant nobody approved is rendered on its first request, once."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.api.test_contract import start_run, stream_until_awaiting
from tests.support.servers import ApiServer
from tests.support.sse import SseEvent, read_stream


def _inside_step(events: list[SseEvent], step: str, kind: str) -> list[dict]:
    """The `kind` events, checked to lie between the step's start and its completion."""
    types = [(e.data["type"], (e.data.get("data") or {}).get("step")) for e in events]
    started = types.index(("step_started", step))
    completed = types.index(("step_completed", step))
    found = [(i, e.data) for i, e in enumerate(events) if e.data["type"] == kind]
    assert found, f"no {kind} events"
    assert all(started < i < completed for i, _ in found), f"{kind} outside {step}"
    return [d for _, d in found]


def _counts_up_to_total(progress: list[dict], step: str) -> int:
    ns = [p["data"]["n"] for p in progress]
    totals = {p["data"]["total"] for p in progress}
    assert len(totals) == 1, totals
    (total,) = totals
    assert ns == sorted(set(ns)), f"n must only grow: {ns}"
    assert ns[-1] == total and all(0 < n <= total for n in ns)
    assert all(p["data"]["step"] == step and p["current_step"] == step for p in progress)
    assert all(f"{p['data']['n']} of {total}" in p["message"] for p in progress)
    return int(total)


def test_pages_fetched_and_creatives_rendered_count_up_to_n(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url, formats=["square", "landscape", "story"])
    events = stream_until_awaiting(api, run_id)

    pages = _inside_step(events, "extract", "page_fetched")
    total_pages = _counts_up_to_total(pages, "extract")
    extracted = next(e.data["data"] for e in events if e.data["type"] == "step_completed" and e.data["data"]["step"] == "extract")
    assert total_pages >= len(extracted["pages"]) > 1  # every page read was fetched (a failed one still counts)

    creatives = _inside_step(events, "compose", "creative_rendered")
    assert _counts_up_to_total(creatives, "compose") == 3 * 3  # three variants, three formats
    assert {p["data"]["part"] for p in creatives} <= {"v1", "v2", "v3"}

    percents = [e.data["percent"] for e in events]
    assert percents == sorted(percents), "percent never goes back"
    assert 55 <= creatives[0]["percent"] <= creatives[-1]["percent"] <= 85


def test_png_of_an_unapproved_variant_is_rendered_on_first_request_once(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url)  # square only
    stream_until_awaiting(api, run_id)
    root = Path(api.settings.artifacts_root)
    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
        creative = next(v for v in result["variants"] if v["variant"]["id"] == "v3")["creatives"][0]
        png = root / creative["key"]
        assert not png.exists(), "review renders the JPEG and the thumbnail, not the PNG"
        assert (root / creative["key"].replace(".png", ".jpg")).is_file()

        def get() -> tuple[int, str, bytes]:
            resp = c.get(creative["url"])
            return resp.status_code, resp.headers["content-type"], resp.content

        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: get(), range(4)))  # concurrent first requests share one render
        assert {a[:2] for a in answers} == {(200, "image/png")}
        assert len({a[2] for a in answers}) == 1 and answers[0][2][:8] == b"\x89PNG\r\n\x1a\n"
        stored = os.stat(png)
        assert get()[2] == answers[0][2]
        again = os.stat(png)
        assert (again.st_ino, again.st_mtime_ns) == (stored.st_ino, stored.st_mtime_ns), "re-rendered on a later GET"

        assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}).status_code == 200
    read_stream(api.base_url, run_id, until=lambda e: e.data["type"] in ("completed", "failed"))
    v1 = root / f"{run_id}/creatives/v1-r1-square.png"
    v2 = root / f"{run_id}/creatives/v2-r1-square.png"
    assert v1.is_file(), "export renders the approved variants' PNGs"
    assert not v2.exists(), "and only theirs"
