"""Long approval waits on both engines: reminders, expiry, and a wait that outgrows Temporal's history.

The API refuses reminders under an hour (tests/fuzz/test_limits.py); these servers are given a 1 s
default through Settings, the test-only way to see many reminders. On Temporal the run continues-as-
new past 50 history events, so a wait spans several executions; locally each reminder is appended,
never a rewrite of the stored state (issue 12 item 7).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter

from brandtruth.config import Settings
from brandtruth.pipeline.orchestrator import MAX_RECORDED_REJECTIONS
from tests.api.test_contract import assert_contiguous, start_run, until_type
from tests.conftest import ARTIFACTS_DIR, engine_api
from tests.support.servers import ApiServer, wait_for
from tests.support.sse import SseEvent, read_stream
from tests.temporal.test_replay import replay

# A 10 min default wait: reminders are capped at MAX_REMINDERS per wait, so a 7-day wait would space
# them far apart whatever the interval.
LONG_WAIT = {
    "BRANDTRUTH_REMINDER_INTERVAL_SECONDS": 1,
    "BRANDTRUTH_APPROVAL_TIMEOUT_SECONDS": 600,
    "BRANDTRUTH_CONTINUE_AS_NEW_EVENTS": 50,
}


@pytest.fixture(scope="module", params=["temporal", "local"])
def waiting_api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    server = engine_api(request, request.param, tmp_path_factory.mktemp(f"long-wait-{request.param}"), **LONG_WAIT)
    yield server
    server.stop()


def test_reminders_while_waiting_then_expiry(waiting_api: ApiServer, demo_url: str) -> None:
    run_id = start_run(waiting_api, demo_url, num_variants=1, approval_timeout_seconds=2.5)
    events, ended = read_stream(waiting_api.base_url, run_id)
    assert ended
    assert_contiguous(events)
    types = [e.data["type"] for e in events]
    after = types[types.index("awaiting_approval") + 1 :]
    # Two reminders on time (at 1 s and 2 s of a 2.5 s wait); a loaded machine may fire the second
    # too late to be worth sending, but never more than two, and the wait always ends as expired
    # (on Temporal the deadline holds across the continue-as-new that starts the wait).
    assert after[-1] == "expired" and set(after[:-1]) == {"reminder"} and 1 <= len(after) - 1 <= 2, after
    reminder = next(e for e in events if e.data["type"] == "reminder")
    assert "expires in" in reminder.data["message"] and reminder.data["status"] == "awaiting_approval"


def _executions(address: str, run_id: str) -> list[str]:
    """Run ids of the run's executions, oldest first (Temporal)."""

    async def go() -> list[str]:
        client = await Client.connect(address)
        return [wf.run_id async for wf in client.list_workflows(f'WorkflowId = "{run_id}"')][::-1]

    return asyncio.run(go())


def _histories(address: str, run_id: str) -> list[WorkflowHistory]:
    async def go() -> list[WorkflowHistory]:
        client = await Client.connect(address, data_converter=pydantic_data_converter)
        runs = [wf.run_id async for wf in client.list_workflows(f'WorkflowId = "{run_id}"')][::-1]
        return [await client.get_workflow_handle(run_id, run_id=r).fetch_history() for r in runs]

    return asyncio.run(go())


def _resume_from_fresh_api(
    settings: Settings, run_id: str, after: int, until: Callable[[SseEvent], bool] | None = None
) -> list[SseEvent]:
    fresh = ApiServer(settings).start()  # no embedded worker: on Temporal, events come from history
    try:
        events, ended = read_stream(fresh.base_url, run_id, last_event_id=after, until=until, timeout=30)
    finally:
        fresh.stop()
    assert ended or until is not None
    assert_contiguous(events, first=after + 1)
    return events


def _state_writes(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM state_writes").fetchone()[0])


def _count_state_writes(db: Path) -> None:
    """A trigger in the test's own store counts every rewrite of a run's stored state."""
    with sqlite3.connect(db) as conn:
        conn.executescript(
            "CREATE TABLE IF NOT EXISTS state_writes (workflow_id TEXT);"
            "CREATE TRIGGER IF NOT EXISTS count_state_writes AFTER UPDATE OF state_json ON runs "
            "BEGIN INSERT INTO state_writes VALUES (new.workflow_id); END;"
        )


def test_a_long_wait_keeps_one_story_then_completes(waiting_api: ApiServer, demo_url: str) -> None:
    settings = waiting_api.settings
    db = settings.local_db_path
    if waiting_api.engine == "local":  # type: ignore[attr-defined]
        _count_state_writes(db)
    run_id = start_run(waiting_api, demo_url, num_variants=2)

    # One stream from the start, open across the whole wait (and, on Temporal, every continuation).
    spanning: list[SseEvent] = []
    # `until` records each event as it arrives and never stops the read: the server ends the stream.
    reader = threading.Thread(
        target=read_stream, args=(waiting_api.base_url, run_id), kwargs={"until": lambda ev: spanning.append(ev), "timeout": 90}
    )
    reader.start()
    first, _ = read_stream(waiting_api.base_url, run_id, until=until_type("awaiting_approval"))
    waited_at = first[-1].id

    if waiting_api.engine == "temporal":  # type: ignore[attr-defined]
        # Continued at the start of the wait (its history was past 50 events) and again after reminders.
        wait_for(lambda: len(_executions(settings.temporal_host, run_id)) >= 3, 60, "two continue-as-new", interval=0.5)
        # A client resuming mid-story from a fresh API process (no watcher, no cache) while the run
        # waits: its history follow starts at the latest execution and must walk back to the first.
        upto = spanning[-1].id
        tail = _resume_from_fresh_api(settings, run_id, 3, until=lambda ev: ev.id == upto)
        assert [e.data for e in tail] == [e.data for e in spanning[3:upto]]
    else:
        writes = _state_writes(db)
        reminders, _ = read_stream(waiting_api.base_url, run_id, last_event_id=waited_at, until=lambda ev: ev.id == waited_at + 3)
        assert [e.data["type"] for e in reminders] == ["reminder"] * 3
        assert _state_writes(db) == writes, "a reminder rewrote the stored state instead of appending its event"

    with waiting_api.client() as c:
        resp = c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v2"]})
        assert resp.status_code == 200, resp.text
    reader.join(timeout=90)
    assert not reader.is_alive()

    assert_contiguous(spanning)  # each event exactly once, ids 1..N with no gap across continuations
    types = [e.data["type"] for e in spanning]
    assert types.count("awaiting_approval") == 1 and types.count("run_started") == 1
    assert types[-3:] == ["approved", "exported", "completed"] or types[-2:] == ["exported", "completed"], types
    assert "reminder" in types

    # And once the run is over, a fresh API process tells the same story from any point.
    tail = _resume_from_fresh_api(settings, run_id, 3)
    assert [e.data for e in tail] == [e.data for e in spanning[3:]]

    with waiting_api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
        listed = [r for r in c.get("/workflow/list", params={"limit": 100}).json() if r["workflow_id"] == run_id]
    assert result["status"] == "completed" and result["export_url"] and result["decision"]["variant_ids"] == ["v2"]
    assert len(listed) == 1, listed  # one run however many executions it took
    if waiting_api.engine == "temporal":  # type: ignore[attr-defined]
        # Every execution's recorded history replays against today's code: the first ends in the
        # continue-as-new, the others start from the carried state. The first is kept as an artifact
        # (tests/fixtures/histories/ holds one, replayed by tests/temporal/test_replay.py).
        histories = _histories(settings.temporal_host, run_id)
        assert len(histories) >= 3
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        (ARTIFACTS_DIR / "continued-as-new-history.json").write_text(histories[0].to_json())
        for history in histories:
            replay(history)
    else:
        assert _state_writes(db) > writes  # the trigger does count the rewrites that change the state


def test_a_flood_of_invalid_signalled_approvals_is_recorded_up_to_a_bound(waiting_api: ApiServer, demo_url: str) -> None:
    # Each invalid fire-and-forget approval was an event carried with the run for ever (and across
    # every continue-as-new): a flood made the state, and so the continued input, grow without bound.
    run_id = start_run(waiting_api, demo_url, num_variants=1)
    waited = read_stream(waiting_api.base_url, run_id, until=until_type("awaiting_approval"))[0][-1].id
    with waiting_api.client() as c:
        for n in range(MAX_RECORDED_REJECTIONS + 5):
            resp = c.post(f"/workflow/approve/{run_id}", json={"variant_ids": [f"v{n + 9}"] * 50, "wait": False})
            assert resp.status_code == 202, resp.text
        # Signals are handled in order, so once this one's event is in, every invalid one before it is too.
        assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"], "wait": False}).status_code == 202
    rest, ended = read_stream(waiting_api.base_url, run_id, last_event_id=waited)
    assert ended and rest[-1].data["type"] == "completed"
    assert_contiguous(rest, first=waited + 1)
    rejected = [e.data for e in rest if e.data["type"] == "approval_rejected"]
    assert len(rejected) == MAX_RECORDED_REJECTIONS + 1
    assert all(len(r["data"]["variant_ids"]) == 20 for r in rejected[:-1])
    assert rejected[-1]["data"]["unrecorded"] is True and "refused without being recorded" in rejected[-1]["message"]
