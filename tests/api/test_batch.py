"""Batches on both engines: bounded concurrency, one failing URL never stops the others, a summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.support.servers import ApiServer, wait_for
from tests.support.sites import SiteServer
from tests.support.sse import read_stream


def _max_overlap(children: list[dict]) -> int:  # type: ignore[type-arg]
    spans = [(datetime.fromisoformat(c["started_at"]), datetime.fromisoformat(c["ready_at"])) for c in children]
    return max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)


def test_batch_runs_all_under_limit_and_summarises(api: ApiServer, sites: SiteServer) -> None:
    good = ["northwind-analytics/", "fernleaf/", "tracebolt/"]
    body = {
        "items": [{"url": sites.url(p), "num_variants": 2, "formats": ["square"]} for p in good]
        + [{"url": sites.url("_adv/404"), "num_variants": 2}],
        "max_concurrency": 2,
    }
    with api.client() as c:
        resp = c.post("/workflow/batch", json=body)
        assert resp.status_code == 200, resp.text
        started = resp.json()
        assert started["engine"] == api.engine  # type: ignore[attr-defined]
        assert len(started["workflow_ids"]) == 4
        batch_id = started["batch_id"]
        state = wait_for(
            lambda: (s := c.get(f"/workflow/batch/{batch_id}").json())["summary"]["pending"] == 0 and s,
            120,
            "every run in the batch to be ready or failed",
            interval=0.2,
        )

    summary = state["summary"]
    assert (summary["total"], summary["succeeded"], summary["failed"]) == (4, 3, 1)
    assert summary["average_duration_seconds"] > 0 and summary["total_duration_seconds"] > 0
    by_url = {c["url"]: c for c in state["children"]}
    failed = by_url[sites.url("_adv/404")]
    assert failed["status"] == "failed" and "404" in failed["error"]
    for p in good:
        assert by_url[sites.url(p)]["status"] == "awaiting_approval"
    assert _max_overlap(state["children"]) <= 2, "more runs worked at once than max_concurrency allows"
    with api.client() as c:  # children are listed with their site like any run (Temporal's once had no url)
        listed = {r["workflow_id"]: r for r in c.get("/workflow/list", params={"limit": 50}).json()}
    for child_state in state["children"]:
        assert listed[child_state["workflow_id"]]["url"] == child_state["url"]
    # ... and in the run index like single runs: their status (on Temporal: the search attributes the
    # batch starts them with) and their thumbnail (the memo's first format).
    waiting = [by_url[sites.url(p)]["workflow_id"] for p in good]
    with api.client() as c:

        def rows() -> dict[str, Any]:
            listed = {r["workflow_id"]: r for r in c.get("/workflow/list", params={"limit": 50}).json()}
            return {w: listed[w] for w in waiting}

        wait_for(
            lambda: all(r["status"] == "awaiting_approval" for r in rows().values()),
            60,
            "the batch's runs listed as awaiting review",
        )
        for run_id, row in rows().items():
            assert row["thumb_url"] == f"/workflow/artifacts/{run_id}/creatives/v1-r1-square-thumb.jpg"
        img = c.get(row["thumb_url"])
        assert img.status_code == 200 and img.headers["content-type"] == "image/jpeg"

    # Each child is a normal run with its own stream and approval.
    child = by_url[sites.url("fernleaf/")]["workflow_id"]
    events, _ = read_stream(api.base_url, child, until=lambda ev: ev.data["type"] == "awaiting_approval")
    assert events[0].data["type"] == "run_started"
    with api.client() as c:
        assert c.post(f"/workflow/approve/{child}", json={"variant_ids": ["v1"]}).status_code == 200
        wait_for(
            lambda: (
                next(x for x in c.get(f"/workflow/batch/{batch_id}").json()["children"] if x["workflow_id"] == child)["status"]
                == "completed"
            ),
            60,
            "the approved child to complete",
        )


def test_batch_bad_input(api: ApiServer) -> None:
    with api.client() as c:
        assert c.post("/workflow/batch", json={"urls": []}).status_code == 422
        assert c.post("/workflow/batch", json={"urls": ["not a url"]}).status_code == 422
        assert c.post("/workflow/batch", json={"urls": ["https://example.com"], "max_concurrency": 0}).status_code == 422
        missing = c.get("/workflow/batch/batch-doesnotexist")
        assert missing.status_code == 404 and "batch-doesnotexist" in missing.json()["detail"]
