"""The review loop on both engines: revise with feedback, reject, round limit, export bundle.

Reminders and long waits: tests/api/test_long_waits.py."""

from __future__ import annotations

import io
import json
import zipfile

from tests.api.test_contract import start_run, stream_until_awaiting, until_type
from tests.support.servers import ApiServer
from tests.support.sse import read_stream


def test_revise_two_of_three_then_approve_and_export(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url)
    first = stream_until_awaiting(api, run_id)
    with api.client() as c:
        before = {v["variant"]["id"]: v for v in c.get(f"/workflow/result/{run_id}").json()["variants"]}
        resp = c.post(
            f"/workflow/revise/{run_id}",
            json={"variant_ids": ["v1", "v3"], "approver": "mo", "feedback": "Lead with the free trial, shorter headline"},
        )
        assert resp.status_code == 200, resp.text
        assert resp.json()["kind"] == "revise" and resp.json()["approver"] == "mo"

    events, _ = read_stream(api.base_url, run_id, last_event_id=first[-1].id, until=until_type("awaiting_approval"))
    types = [e.data["type"] for e in events]
    assert types[0] == "revision_requested" and "revised" in types and types[-1] == "awaiting_approval"
    revised = next(e for e in events if e.data["type"] == "revised").data["data"]
    assert revised["variant_ids"] == ["v1", "v3"] and revised["revisions"] == {"v1": 2, "v3": 2}
    # Only the revised variants were re-matched and re-composed.
    composed = next(e for e in events if e.data["type"] == "step_completed" and e.data["data"]["step"] == "compose")
    assert {c["variant_id"] for c in composed.data["data"]["creatives"]} == {"v1", "v3"}

    with api.client() as c:
        after = {v["variant"]["id"]: v for v in c.get(f"/workflow/result/{run_id}").json()["variants"]}
        assert after["v2"]["variant"] == before["v2"]["variant"], "the kept variant changed"
        assert after["v2"]["creatives"] == before["v2"]["creatives"]
        for vid in ("v1", "v3"):
            assert after[vid]["variant"]["revision"] == 2
            assert all(cr["revision"] == 2 or "-r2-" in cr["key"] for cr in after[vid]["creatives"])
        assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1", "v2"], "approver": "ana"}).status_code == 200

    rest, ended = read_stream(api.base_url, run_id, last_event_id=events[-1].id)
    assert ended and rest[-1].data["type"] == "completed"
    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
        assert result["revision_round"] == 1
        assert [(d["kind"], d["approver"]) for d in result["decisions"]] == [("revise", "mo"), ("approve", "ana")]
        assert result["decisions"][0]["comment"].startswith("Lead with the free trial")
        bundle = c.get(result["export_url"])
        assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"

    with zipfile.ZipFile(io.BytesIO(bundle.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert [v["id"] for v in manifest["variants"]] == ["v1", "v2"]
        assert [d["kind"] for d in manifest["decisions"]] == ["revise", "approve"]
        listed = {f for v in manifest["variants"] for cr in v["creatives"] for f in cr["files"]}
        assert listed and listed == set(zf.namelist()) - {"manifest.json"}
        v1 = manifest["variants"][0]
        assert v1["revision"] == 2 and v1["headline"] == after["v1"]["variant"]["headline"]
        assert v1["score_breakdown"], "scores travel with their breakdown"
        for claim in (c for v in manifest["variants"] for c in v["claims"]):
            for ev in claim["evidence"]:
                assert ev["source_url"].startswith("http") and ev["sentence"]
        for name in listed:
            assert zf.read(name)[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"\xff\xd8\xff\xe1")


def test_reject_ends_run_as_rejected(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url)
    first = stream_until_awaiting(api, run_id)
    with api.client() as c:
        resp = c.post(f"/workflow/reject/{run_id}", json={"reason": "Off-brand tone", "approver": "lee"})
        assert resp.status_code == 200, resp.text
    rest, ended = read_stream(api.base_url, run_id, last_event_id=first[-1].id)
    assert ended and rest[-1].data["type"] == "rejected" and rest[-1].data["status"] == "rejected"
    assert "Off-brand tone" in rest[-1].data["message"]
    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
        assert result["status"] == "rejected" and result["export_url"] is None
        assert result["decisions"][0]["kind"] == "reject" and result["decisions"][0]["approver"] == "lee"
        assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}).status_code == 409


def test_revise_validation_and_round_limit(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url, num_variants=2)
    last = stream_until_awaiting(api, run_id)[-1].id
    with api.client() as c:
        assert c.post(f"/workflow/revise/{run_id}", json={"variant_ids": ["v9"], "feedback": "x"}).status_code == 422
        assert c.post(f"/workflow/revise/{run_id}", json={"variant_ids": [], "feedback": "x"}).status_code == 422
        assert c.post(f"/workflow/revise/{run_id}", json={"variant_ids": ["v1"], "feedback": ""}).status_code == 422
        assert c.post("/workflow/revise/pipeline-nope", json={"variant_ids": ["v1"], "feedback": "x"}).status_code == 404
        for round_no in range(1, 4):  # the default limit is 3 rounds
            resp = c.post(f"/workflow/revise/{run_id}", json={"variant_ids": ["v2"], "feedback": f"round {round_no}"})
            assert resp.status_code == 200, resp.text
            events, _ = read_stream(api.base_url, run_id, last_event_id=last, until=until_type("awaiting_approval"))
            last = events[-1].id
        over = c.post(f"/workflow/revise/{run_id}", json={"variant_ids": ["v2"], "feedback": "round 4"})
        assert over.status_code == 409 and "revision round" in over.json()["detail"]
        result = c.get(f"/workflow/result/{run_id}").json()
        assert result["revision_round"] == 3
        v2 = next(v for v in result["variants"] if v["variant"]["id"] == "v2")
        assert v2["variant"]["revision"] == 4
