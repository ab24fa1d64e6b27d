"""The cancel rule on both engines: a run can be cancelled until it is approved, never after.

Regression (issue 12 item 6): approve then cancel both answered 200 and the run ended `cancelled`,
without its export, still carrying decision=approve.
"""

from __future__ import annotations

import threading

import httpx

from tests.api.test_contract import start_run, stream_until_awaiting
from tests.support.servers import ApiServer
from tests.support.sse import read_stream


def test_cancel_after_approve_is_409_and_the_run_completes_with_its_export(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url, num_variants=2)
    stream_until_awaiting(api, run_id)
    with api.client() as c:
        approved = c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]})
        assert approved.status_code == 200, approved.text
        refused = c.post(f"/workflow/cancel/{run_id}")
    assert refused.status_code == 409, refused.text
    detail = refused.json()["detail"]
    # Says why (approved, or already completed if the export was quick) and what to do instead.
    assert "approved" in detail or "completed" in detail, detail
    if "approved" in detail:
        assert "cannot be cancelled" in detail and "start a new run" in detail, detail

    events, ended = read_stream(api.base_url, run_id)
    assert ended and events[-1].data["type"] == "completed"
    assert "cancelled" not in [e.data["type"] for e in events]
    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
    assert result["status"] == "completed" and result["export_url"]
    assert result["decision"]["kind"] == "approve" and result["decision"]["variant_ids"] == ["v1"]


def test_approve_and_cancel_at_once_give_one_outcome(api: ApiServer, demo_url: str) -> None:
    # Whichever the run takes first wins; the other is refused with 409, and the run ends as the
    # winner says: completed with an export, or cancelled with no decision.
    for _ in range(3):
        run_id = start_run(api, demo_url, num_variants=1)
        stream_until_awaiting(api, run_id)
        answers = _at_once(api, run_id, {"approve": {"variant_ids": ["v1"]}, "cancel": None})
        codes = {action: resp.status_code for action, resp in answers.items()}
        assert sorted(codes.values()) == [200, 409], {a: r.text for a, r in answers.items()}

        events, ended = read_stream(api.base_url, run_id)
        assert ended
        with api.client() as c:
            result = c.get(f"/workflow/result/{run_id}").json()
        if codes["approve"] == 200:
            assert events[-1].data["type"] == "completed" and result["status"] == "completed"
            assert result["export_url"] and result["decision"]["kind"] == "approve"
        else:
            assert events[-1].data["type"] == "cancelled" and result["status"] == "cancelled"
            assert result["decision"] is None and result["export_url"] is None
            assert "approved" not in [e.data["type"] for e in events]


def _at_once(api: ApiServer, run_id: str, posts: dict[str, dict[str, object] | None]) -> dict[str, httpx.Response]:
    """POST each action to the run from its own thread, released together."""
    answers: dict[str, httpx.Response] = {}
    go = threading.Barrier(len(posts))

    def send(action: str, body: dict[str, object] | None) -> None:
        with api.client() as c:
            go.wait(timeout=10)
            answers[action] = c.post(f"/workflow/{action}/{run_id}", json=body)

    threads = [threading.Thread(target=send, args=item) for item in posts.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert set(answers) == set(posts)
    return answers


def test_approve_after_cancel_is_409(api: ApiServer, demo_url: str) -> None:
    run_id = start_run(api, demo_url, num_variants=1)
    stream_until_awaiting(api, run_id)
    with api.client() as c:
        assert c.post(f"/workflow/cancel/{run_id}").status_code == 200
        late = c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]})
    assert late.status_code == 409, late.text
    events, ended = read_stream(api.base_url, run_id)
    assert ended and events[-1].data["type"] == "cancelled"
