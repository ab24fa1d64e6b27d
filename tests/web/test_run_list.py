"""The run list on the home page (issue 16), on both engines: runs in every status, filtered by status
(needs review first) with the server's counts, searched by brand or URL, each row with its brand name,
thumbnail and age, and a re-run with the same options on failed, cancelled, rejected and expired runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.support.servers import ApiServer, wait_for
from tests.support.sites import SiteServer
from tests.web.a11y import assert_accessible
from tests.web.test_page import PIPELINE_TIMEOUT

RERUNNABLE = {"failed", "cancelled", "rejected", "expired"}


@pytest.fixture(params=["local", "temporal"])
def list_api(request: pytest.FixtureRequest) -> Iterator[ApiServer]:
    yield request.getfixturevalue("degraded_api" if request.param == "local" else "temporal_api")


def _start(api: ApiServer, url: str, **options: object) -> str:
    body = {"url": url, "num_variants": 1, "formats": ["square"], "provider": "offline", **options}
    with api.client() as c:
        resp = c.post("/workflow/start", json=body)
    assert resp.status_code == 200, resp.text
    return str(resp.json()["workflow_id"])


def _status(api: ApiServer, run_id: str) -> str:
    with api.client() as c:
        return str(c.get(f"/workflow/progress/{run_id}").json()["status"])


def _wait(api: ApiServer, run_id: str, *statuses: str) -> None:
    wait_for(lambda: _status(api, run_id) in statuses, PIPELINE_TIMEOUT / 1000, f"{run_id} to be {statuses}", interval=0.2)


def runs_in_every_status(api: ApiServer, sites: SiteServer, held: SiteServer) -> dict[str, str]:
    """status -> run id: awaiting review, completed, rejected, cancelled, failed and expired."""
    ids = {
        "awaiting_approval": _start(api, sites.url("northwind-analytics/")),
        "completed": _start(api, sites.url("crumb-and-co/"), platform="google"),
        "rejected": _start(api, sites.url("harbor-yoga/")),
        "cancelled": _start(api, held.slow_url("northwind-analytics/", 30)),
        "failed": _start(api, sites.url("_adv/no-robots/"), num_variants=2),
        "expired": _start(api, sites.url("sproutly/"), approval_timeout_seconds=1),
    }
    with api.client() as c:
        _wait(api, ids["cancelled"], "running")
        assert c.post(f"/workflow/cancel/{ids['cancelled']}").status_code == 200
        for status in ("awaiting_approval", "completed", "rejected"):
            _wait(api, ids[status], "awaiting_approval")
        assert c.post(f"/workflow/approve/{ids['completed']}", json={"variant_ids": ["v1"]}).status_code == 200
        assert c.post(f"/workflow/reject/{ids['rejected']}", json={"reason": "Not now"}).status_code == 200
    held.release()
    for status, run_id in ids.items():
        _wait(api, run_id, status)
    return ids


def test_run_list_filters_counts_search_thumbnails_and_rerun(
    page: Page, list_api: ApiServer, sites: SiteServer, held_site: SiteServer, shot
) -> None:  # type: ignore[no-untyped-def]
    api = list_api
    ids = runs_in_every_status(api, sites, held_site)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(api.base_url + "/")
    rows = page.locator("#runs-list li")
    for run_id in ids.values():
        expect(page.locator(f'#runs-list li[data-run="{run_id}"]')).to_have_count(1)
    expect(rows.first).to_have_attribute("data-status", "awaiting_approval")  # needs review first

    # The chips show the server's counts per status (needs review first), and the title the reviews waiting.
    with api.client() as c:
        resp = c.get("/workflow/list/counts")
    counts = resp.json()["counts"] if resp.status_code == 200 else None
    chips = page.locator("#runs-filters button")
    expect(chips.nth(1)).to_have_attribute("data-filter", "awaiting_approval")
    expect(chips.nth(1)).to_contain_text("Needs review")
    if counts is not None:
        for status, n in counts.items():
            if n or status not in ("started", "approved", "unknown"):  # passing statuses get a chip while they have runs
                expect(page.locator(f'#runs-filters button[data-filter="{status}"] .count')).to_have_text(f" {n}")
        expect(page).to_have_title(f"Review needed ({counts['awaiting_approval']}) · BrandTruth")

    # Each row: brand name, thumbnail where the run has creatives, relative age, the status in words.
    done = page.locator(f'#runs-list li[data-run="{ids["completed"]}"]')
    expect(done.locator(".run-brand")).not_to_have_text(re.compile(r"^(127\.0\.0\.1|pipeline-)"))
    expect(done.locator(".run-thumb img")).to_have_count(1)
    page.wait_for_function(
        f"""() => {{ const img = document.querySelector('#runs-list li[data-run="{ids["completed"]}"] .run-thumb img');
        return img && img.complete && img.naturalWidth > 0; }}"""
    )
    expect(done.locator("time")).to_have_text(re.compile(r"just now|\d+ min ago"))
    expect(done.locator(".badge")).to_have_text("Completed")
    for status, run_id in ids.items():
        rerun = page.locator(f'#runs-list li[data-run="{run_id}"]').get_by_role("button", name=re.compile("^Re-run"))
        expect(rerun).to_have_count(1 if status in RERUNNABLE else 0)
    shot(page, "01-all", full_page=False)
    assert_accessible(page, "the run list, all runs")

    # Filter: needs review.
    page.get_by_role("button", name=re.compile("^Needs review")).click()
    expect(chips.nth(1)).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f'#runs-list li[data-run="{ids["awaiting_approval"]}"]')).to_have_count(1)
    expect(page.locator('#runs-list li:not([data-status="awaiting_approval"])')).to_have_count(0)
    assert_accessible(page, "the run list, needs review")

    # Search by brand or URL.
    page.get_by_role("button", name=re.compile("^All")).click()
    page.get_by_label("Search runs by brand or address").fill("crumb")
    expect(page.locator(f'#runs-list li[data-run="{ids["awaiting_approval"]}"]')).to_have_count(0)
    expect(page.locator(f'#runs-list li[data-run="{ids["completed"]}"]')).to_have_count(1)
    shot(page, "02-search", full_page=False)
    page.get_by_label("Search runs by brand or address").fill("")
    expect(page.locator(f'#runs-list li[data-run="{ids["awaiting_approval"]}"]')).to_have_count(1)

    # Re-run a failed run with the same options: a new run, the same request.
    page.get_by_role("button", name=re.compile("^Failed")).click()
    failed = page.locator(f'#runs-list li[data-run="{ids["failed"]}"]')
    expect(failed).to_have_count(1)
    expect(page.locator('#runs-list li:not([data-status="failed"])')).to_have_count(0)
    shot(page, "03-failed", full_page=False)
    assert_accessible(page, "the run list, failed runs")
    failed.get_by_role("button", name=re.compile("^Edit options")).click()
    expect(page.get_by_label("Brand website URL")).to_have_value(sites.url("_adv/no-robots/"))
    expect(page.get_by_label("Number of variants")).to_have_value("2")
    failed.get_by_role("button", name=re.compile("^Re-run")).click()
    expect(page).to_have_url(re.compile(r"#/run/pipeline-[0-9a-z]+$"))
    new_id = page.url.rsplit("/", 1)[1]
    assert new_id != ids["failed"]
    with api.client() as c:
        old = c.get(f"/workflow/result/{ids['failed']}").json()["request"]
        new = c.get(f"/workflow/result/{new_id}").json()["request"]
    assert new == old

    # The list on a phone: one column, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Runs").click()
    page.get_by_role("button", name=re.compile("^All")).click()  # the filter stays as it was left
    expect(page.locator(f'#runs-list li[data-run="{ids["completed"]}"]')).to_have_count(1)
    page.locator("#runs").scroll_into_view_if_needed()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    shot(page, "04-phone", full_page=False)
    assert_accessible(page, "the run list on a phone")


def test_a_status_the_index_cannot_tell_is_shown_as_unknown_with_its_reason(page: Page, degraded_api: ApiServer) -> None:
    """The list never guesses (issue 16, defect 5): a row the server lists as 'unknown' says why."""
    row = {
        "workflow_id": "pipeline-unknown0001",
        "engine": "temporal",
        "status": "unknown",
        "status_reason": "Temporal did not answer in time",
        "url": "https://example.com/",
        "brand_name": "Example",
        "created_at": "2026-01-01T10:00:00Z",
    }
    page.route("**/workflow/list?*", lambda r: r.fulfill(json=[row]))
    page.goto(degraded_api.base_url + "/")
    listed = page.locator('#runs-list li[data-run="pipeline-unknown0001"]')
    expect(listed.locator(".badge")).to_have_text("Unknown")
    expect(listed).to_contain_text("Temporal did not answer in time")
    expect(listed.locator(".run-brand")).to_have_text("Example")
    assert_accessible(page, "a run whose status is unknown")


def test_relative_times_stay_true_while_the_page_is_open(page: Page, degraded_api: ApiServer) -> None:
    start = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    page.clock.install(time=start)
    row = {"workflow_id": "pipeline-clock00001", "engine": "local", "status": "running", "url": "https://example.com/"}
    page.route("**/workflow/list?*", lambda r: r.fulfill(json=[{**row, "created_at": start.isoformat()}]))
    page.goto(degraded_api.base_url + "/")
    when = page.locator('#runs-list li[data-run="pipeline-clock00001"] time')
    expect(when).to_have_text("just now")
    page.clock.fast_forward("05:00")
    expect(when).to_have_text("5 min ago")
    page.clock.fast_forward("03:00:00")
    expect(when).to_have_text("3 h ago")
