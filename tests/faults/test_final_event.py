"""A run that ends while one of its saves is still writing: the live stream still gets the final event."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.conftest import engine_api
from tests.support.sites import SiteServer
from tests.support.sse import read_stream


def test_a_live_stream_gets_the_final_event_of_a_run_that_ended_during_a_save(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sites: SiteServer
) -> None:
    """Regression (seen with bench/hostile.py following runs over their streams): a page's progress
    event was being saved when the extract failed; that save, resuming, read the run as ended and
    closed the stream after the progress event, so the `failed` event never reached live followers."""
    api = engine_api(request, "local", tmp_path_factory.mktemp("api-local"), BRANDTRUTH_RENDER_JAVASCRIPT=False)
    try:
        store = api.server.config.app.state.service.local.store  # type: ignore[attr-defined]

        def held_until_the_run_ends(write: Any) -> Any:
            def call(*args: Any) -> Any:
                # store.save(inp, state, events, row) or store.append(state, events)
                state, new_events = args[1:3] if len(args) == 4 else args
                if any(e.type == "page_fetched" for e in new_events):
                    deadline = time.monotonic() + 10  # bounded: the run ends in well under a second
                    while not state.status.terminal and time.monotonic() < deadline:
                        time.sleep(0.01)  # this save's thread waits for a condition, not for time
                return write(*args)

            return call

        store.append, store.save = held_until_the_run_ends(store.append), held_until_the_run_ends(store.save)
        with api.client() as c:
            # A page with no text without JavaScript, and JavaScript off: extract fails after reading it.
            resp = c.post("/workflow/start", json={"url": sites.url("_adv/js-shell/"), "num_variants": 1})
        assert resp.status_code == 200, resp.text
        events, _ = read_stream(api.base_url, resp.json()["workflow_id"], timeout=30)
    finally:
        api.stop()
    types = [e.data["type"] for e in events]
    assert "page_fetched" in types
    assert types[-1] == "failed", types
    assert [e.id for e in events] == list(range(1, len(events) + 1))
