"""The reviewer page opened on a Temporal run while Temporal is down and the API has restarted: the
API answers 503 "retry" (it used to answer 404, which the page took as final), the page keeps
retrying, bounded, and shows the run once Temporal is back."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.outage import outage_after_api_restart


def test_page_retries_a_temporal_run_through_an_outage_then_shows_it(page: Page, tmp_path: Path, demo_url: str) -> None:
    with outage_after_api_restart(tmp_path, demo_url) as o:
        statuses: list[int] = []
        page.on("response", lambda r: statuses.append(r.status) if f"/{o.run_id}" in r.url else None)
        page.goto(f"{o.api.base_url}/#/run/{o.run_id}")
        conn = page.locator("#conn-state")
        expect(conn).to_have_text("Temporal unavailable, retrying…", timeout=30_000)
        expect(conn).not_to_have_attribute("data-state", "finished")
        assert 503 in statuses and 404 not in statuses, statuses

        o.recover()
        expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=60_000)
        expect(conn).to_have_attribute("data-state", "connected")
        expect(page.locator("#run-error")).to_be_empty()
