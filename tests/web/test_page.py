"""The reviewer page in a real browser (Debian's Chromium) against the real API and Temporal."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from brandtruth.devserver import DevServer
from tests.support.servers import ApiServer, make_settings
from tests.support.sites import SiteServer
from tests.web.a11y import assert_accessible
from tests.web.conftest import API_TOKEN
from tests.web.proxy import DroppingProxy

STEPS = ["extract", "generate", "match", "compose", "score"]
PIPELINE_TIMEOUT = 90_000  # ms: the whole pipeline on the demo site, generously bounded


def start_through_form(
    page: Page, url: str, variants: int = 3, formats: tuple[str, ...] = ("square", "landscape", "story"), platform: str = "meta"
) -> str:
    page.get_by_label("Brand website URL").fill(url)
    page.get_by_label("Number of variants").fill(str(variants))
    for box in page.locator('input[name="formats"]').all():
        box.set_checked(box.get_attribute("value") in formats)
    page.get_by_label("Copy provider").select_option("offline")
    page.get_by_label("Platform preset").select_option(platform)
    page.get_by_role("button", name="Start run").click()
    expect(page).to_have_url(re.compile(r"#/run/pipeline-[0-9a-f]+$"))
    return page.url.rsplit("/", 1)[1]


def event_log(page: Page) -> list[tuple[int, str]]:
    items = page.locator("#event-log li")
    return [(int(i.get_attribute("data-event-id") or 0), i.get_attribute("data-type") or "") for i in items.all()]


def assert_every_event_once(page: Page) -> list[tuple[int, str]]:
    log = event_log(page)
    ids = [i for i, _ in log]
    assert ids == list(range(1, len(ids) + 1)), f"event ids must be 1..N with no gaps or repeats: {ids}"
    completed = [t for _, t in log if t == "step_completed"]
    assert len(completed) == len(STEPS), log
    return log


def expect_all_steps_completed(page: Page) -> None:
    for step in STEPS:
        expect(page.locator(f'#steps li[data-step="{step}"]')).to_have_attribute(
            "data-status", "completed", timeout=PIPELINE_TIMEOUT
        )
    expect(page.locator("#steps li")).to_have_count(len(STEPS))


def test_start_watch_review_approve_two_completes(
    page: Page, browser: Browser, temporal_api: ApiServer, demo_url: str, shot
) -> None:  # type: ignore[no-untyped-def]
    page.goto(temporal_api.base_url + "/")
    expect(page.get_by_role("heading", name="Turn a website into grounded ads")).to_be_visible()
    expect(page.locator("#health-banner")).to_be_hidden()
    page.get_by_label("Brand website URL").fill(demo_url)
    shot(page, "01-start-form")
    assert_accessible(page, "the home page")

    run_id = start_through_form(page, demo_url)
    expect(page.locator("#run-id")).to_have_text(run_id)
    expect_all_steps_completed(page)
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    expect(page.locator("#progress-text")).to_contain_text("95%")
    for step in STEPS:  # every step shows its measured duration
        expect(page.locator(f'#steps li[data-step="{step}"] .step-time')).to_have_text(re.compile(r"\d+(\.\d)? m?s"))
    shot(page, "02-steps-completed", full_page=False)
    assert_accessible(page, "a run awaiting review")

    # The gallery: three variants side by side in one format at a time, each with copy, score breakdown
    # and evidence in view (no disclosure triangles); the other two formats a click away.
    cards = page.locator("#gallery article.variant")
    expect(cards).to_have_count(3)
    with temporal_api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
    for vr in result["variants"]:
        card = page.locator(f'article[data-variant="{vr["variant"]["id"]}"]')
        expect(card.locator(".headline")).to_have_text(vr["variant"]["headline"])
        expect(card.locator("figure")).to_have_count(1)
        expect(card.locator(".other-formats button")).to_have_count(2)
        expect(card.locator(".score")).to_contain_text(str(round(vr["score"]["score"])))
        expect(card.locator(".breakdown tbody tr")).to_have_count(len(vr["score"]["components"]))
        for fact in vr["evidence"]:  # the source page, opened at the quoted sentence
            link = card.locator(f'.evidence li[data-fact="{fact["id"]}"] a')
            expect(link).to_have_attribute("href", re.compile("^" + re.escape(fact["source_url"].split("#")[0]) + "#:~:text="))
    expect(page.locator("#gallery img")).to_have_count(3)
    assert page.locator("#gallery details").count() == 0
    page.wait_for_function(
        """() => [...document.querySelectorAll('#gallery img')]
        .every(img => img.complete && img.naturalWidth > 0)""",
        timeout=15_000,
    )  # every thumbnail loaded
    assert page.locator(".evidence a").count() > 0, "evidence links to the source pages"
    shot(page, "03-gallery")

    # A creative opens full size, as the JPEG compose wrote for review: the lossless PNG (rendered on
    # first request for an unapproved variant) is only linked, never fetched by opening it. Escape closes it.
    png_requests: list[str] = []
    page.on("request", lambda r: png_requests.append(r.url) if ".png" in r.url.split("?")[0] else None)
    page.get_by_role("radio", name="Landscape").check()
    page.locator('article[data-variant="v1"] figure[data-format="landscape"] button').click()
    expect(page.locator("#lightbox")).to_be_visible()
    expect(page.locator("#lightbox-img")).to_have_attribute("src", re.compile(r"/workflow/artifacts/.+-landscape\.jpg(\?.*)?$"))
    expect(page.locator("#lightbox-open")).to_have_attribute("href", re.compile(r"/workflow/artifacts/.+-landscape\.png(\?.*)?$"))
    page.wait_for_function("() => document.getElementById('lightbox-img').naturalWidth === 1200")
    assert png_requests == [], f"opening the lightbox fetched PNGs: {png_requests}"
    shot(page, "04-lightbox", full_page=False)
    assert_accessible(page, "the lightbox")
    page.keyboard.press("Escape")
    expect(page.locator("#lightbox")).to_be_hidden()

    # Revise and reject are offered because this server lists them in its OpenAPI.
    page.get_by_role("button", name="Revise…").click()
    expect(page.locator("#revise-box")).to_be_visible()
    assert_accessible(page, "the revise panel")
    page.get_by_role("button", name="Reject…").click()
    expect(page.locator("#reject-box")).to_be_visible()
    expect(page.locator("#revise-box")).to_be_hidden()
    page.get_by_role("button", name="Reject…").click()

    # Approve two variants, by keyboard for one of them.
    approve = page.get_by_role("button", name="Approve selected")
    expect(approve).to_be_disabled()
    page.get_by_label("Select v1").check()
    page.get_by_label("Select v2").focus()
    page.keyboard.press("Space")
    expect(page.locator("#selection-count")).to_have_text("Selected: v1, v2")
    page.get_by_label("Your name (optional)").fill("Ana")
    approve.click()

    expect(page.locator("#run-status")).to_have_text("Completed", timeout=30_000)
    expect(page.locator("#conn-state")).to_have_attribute("data-state", "finished")
    expect(page.locator("#progress-text")).to_contain_text("100%")
    expect(page.locator("#decision-summary")).to_have_text(re.compile(r"Approved by Ana: v1, v2"))
    expect(page.locator("article.variant.approved")).to_have_count(2)
    expect(page.locator("#decision-form")).to_be_hidden()
    expect(page.locator("#cancel-button")).to_be_hidden()
    log = assert_every_event_once(page)
    types = [t for _, t in log]
    assert types[-1] == "completed" and "approved" in types and "exported" in types

    # The export bundle: the link is the result's export_url and downloads a zip.
    with temporal_api.client() as c:
        final = c.get(f"/workflow/result/{run_id}").json()
        assert final["status"] == "completed" and final["approved_variant_ids"] == ["v1", "v2"]
        link = page.get_by_role("link", name="Download export bundle")
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", temporal_api.base_url + final["export_url"])
        bundle = c.get(final["export_url"])
    assert bundle.status_code == 200 and bundle.content[:2] == b"PK"
    shot(page, "05-completed")
    assert_accessible(page, "a completed run")

    # The same run on a phone: one column, nothing wider than the screen.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        mobile = phone.new_page()
        mobile.goto(page.url)
        expect(mobile.locator("#conn-state")).to_have_attribute("data-state", "finished")
        expect(mobile.locator("#gallery article.variant")).to_have_count(3)
        assert mobile.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
        shot(mobile, "06-completed-phone", full_page=False)
        mobile.locator('article[data-variant="v2"]').scroll_into_view_if_needed()
        shot(mobile, "06b-gallery-phone", full_page=False)
        assert_accessible(mobile, "a completed run on a phone")
    finally:
        phone.close()

    # The run is listed on the home view with the status GET /workflow/list gives it.
    page.get_by_role("link", name="New run").click()
    row = page.locator("#runs-list li", has_text=run_id)
    expect(row).to_have_count(1)
    with temporal_api.client() as c:
        listed = next(r for r in c.get("/workflow/list").json() if r["workflow_id"] == run_id)
    assert listed["status"] == "completed"
    expect(row.locator(".badge")).to_have_text("Completed")
    shot(page, "07-recent-runs", full_page=False)
    assert_accessible(page, "the run list")

    # Opening a finished run later replays its whole story once and stops.
    row.get_by_role("link").click()
    expect(page.locator("#conn-state")).to_have_attribute("data-state", "finished")
    expect(page.locator("#event-log li")).to_have_count(len(log))
    assert event_log(page) == log


@pytest.fixture
def proxy(temporal_api: ApiServer) -> Iterator[DroppingProxy]:
    p = DroppingProxy(temporal_api.port).start()
    yield p
    p.close()


def test_stream_dropped_mid_run_reconnects_and_shows_every_step_once(
    page: Page, proxy: DroppingProxy, held_site: SiteServer, shot
) -> None:  # type: ignore[no-untyped-def]
    """The server side cuts every connection while extract is running (a proxy/LB restart), then
    refuses connections for a while: the page says it is reconnecting, resumes from its last event
    id, and ends with every step exactly once."""
    streams: list[str] = []
    page.on("request", lambda r: streams.append(r.url) if "/workflow/stream/" in r.url else None)
    page.goto(proxy.base_url + "/")
    # The site holds its answer (until release(); the fetcher gives up after 40 s) so extract is mid-flight.
    slow = held_site.slow_url("northwind-analytics/", 30)
    try:
        start_through_form(page, slow, formats=("square",))
        expect(page.locator('#steps li[data-step="extract"]')).to_have_attribute("data-status", "running")
        expect(page.locator("#conn-state")).to_have_attribute("data-state", "connected")

        proxy.refuse()
        assert proxy.drop() > 0
        expect(page.locator("#conn-state")).to_have_attribute("data-state", "reconnecting")
        expect(page.locator("#conn-state")).to_have_text("Reconnecting…")
        shot(page, "01-reconnecting", full_page=False)
        assert_accessible(page, "a run reconnecting")
        proxy.accept()
    finally:
        held_site.release()

    expect_all_steps_completed(page)
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    expect(page.locator("#conn-state")).to_have_attribute("data-state", "connected")
    assert len(streams) >= 2, f"the page must have reopened the stream: {streams}"
    log = assert_every_event_once(page)
    assert [t for _, t in log].count("step_started") == len(STEPS)
    expect(page.locator("#gallery article.variant")).to_have_count(3)
    shot(page, "02-resumed")


def test_api_restart_while_awaiting_review_resumes_stream_without_duplicates(
    page: Page, temporal_server: DevServer, demo_url: str, tmp_path: Path, shot
) -> None:  # type: ignore[no-untyped-def]
    """The API process (and its embedded worker) restarts on the same port, as in a deploy: the
    page reconnects with Last-Event-ID, and approving afterwards completes with each event once."""
    settings = make_settings(tmp_path, temporal_server.address, f"bt-web-restart-{uuid.uuid4().hex[:8]}")
    server = ApiServer(settings, embedded_worker=True).start()
    server.wait_healthy("healthy")
    try:
        page.goto(server.base_url + "/")
        start_through_form(page, demo_url, variants=2, formats=("square",))
        expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
        expect(page.locator("#conn-state")).to_have_attribute("data-state", "connected")
        before = event_log(page)

        server.stop()
        expect(page.locator("#conn-state")).to_have_attribute("data-state", "reconnecting")
        server = ApiServer(settings, embedded_worker=True, port=server.port).start()
        server.wait_healthy("healthy")
        expect(page.locator("#conn-state")).to_have_attribute("data-state", "connected", timeout=30_000)
        assert event_log(page) == before, "nothing replayed twice after the reconnect"

        page.get_by_label("Select v1").check()
        page.get_by_label("Select v2").check()
        page.get_by_role("button", name="Approve selected").click()
        expect(page.locator("#run-status")).to_have_text("Completed", timeout=30_000)
        log = assert_every_event_once(page)
        assert log[: len(before)] == before
        shot(page, "01-completed-after-restart", full_page=False)
    finally:
        server.stop()


def test_degraded_mode_shows_banner_and_runs_locally(page: Page, degraded_api: ApiServer, demo_url: str, shot) -> None:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=degraded_api.base_url) as c:
        health = c.get("/workflow/health").json()
    assert health["status"] == "degraded"
    page.goto(degraded_api.base_url + "/")
    banner = page.locator("#health-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Degraded mode.")
    expect(banner).to_contain_text(health["message"])
    shot(page, "01-banner", full_page=False)
    assert_accessible(page, "the degraded-mode banner")

    start_through_form(page, demo_url, variants=2, formats=("square",))
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    expect(page.locator("#gallery article.variant")).to_have_count(2)
    expect(banner).to_be_visible()
    shot(page, "02-local-run")


def test_start_form_shows_server_validation_error(page: Page, degraded_api: ApiServer) -> None:
    page.goto(degraded_api.base_url + "/")
    page.get_by_label("Brand website URL").fill("ftp://example.com")
    page.get_by_role("button", name="Start run").click()
    expect(page.get_by_role("alert")).to_contain_text("http")
    expect(page).not_to_have_url(re.compile("#/run/"))


def test_revise_with_feedback_then_reject(page: Page, temporal_api: ApiServer, demo_url: str, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto(temporal_api.base_url + "/")
    start_through_form(page, demo_url, formats=("square",))
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    old_headline = page.locator('article[data-variant="v2"] .headline').inner_text()

    page.get_by_label("Select v2").check()
    page.get_by_role("button", name="Revise…").click()
    page.get_by_label("Feedback for the selected variants").fill("Lead with the free trial, keep it short")
    page.get_by_role("button", name="Revise selected").click()
    expect(page.locator('#event-log li[data-type="revised"]')).to_have_count(1, timeout=PIPELINE_TIMEOUT)
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    v2 = page.locator('article[data-variant="v2"]')
    expect(v2.locator("h3")).to_contain_text("revision 2")
    for step in ["generate", "match", "compose", "score"]:  # rerun for the revision, not retried
        expect(page.locator(f'#steps li[data-step="{step}"] .step-time')).to_contain_text("revision round 1")
    expect(page.locator('#steps li[data-step="extract"] .step-time')).not_to_contain_text("revision")
    expect(page.locator('article[data-variant="v1"] h3')).not_to_contain_text("revision")
    expect(page.locator("#decision-summary")).to_contain_text("Revision requested")
    expect(page.get_by_label("Feedback for the selected variants")).to_have_value("")
    with temporal_api.client() as c:
        result = c.get(f"/workflow/result/{page.url.rsplit('/', 1)[1]}").json()
    revised = next(v for v in result["variants"] if v["variant"]["id"] == "v2")
    expect(v2.locator(".headline")).to_have_text(revised["variant"]["headline"])
    assert revised["variant"]["revision"] == 2, old_headline
    shot(page, "01-revised")

    page.get_by_role("button", name="Reject…").click()
    page.get_by_label("Reason for rejecting the run (optional)").fill("Not this quarter")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Reject all").click()
    expect(page.locator("#run-status")).to_have_text("Rejected", timeout=30_000)
    expect(page.locator("#conn-state")).to_have_attribute("data-state", "finished")
    expect(page.locator("#decision-summary")).to_contain_text("Rejected")
    expect(page.locator("#decision-history li")).to_have_count(2)
    expect(page.get_by_role("link", name="Download export bundle")).to_be_hidden()
    shot(page, "02-rejected")
    assert_accessible(page, "a rejected run")


def test_cancel_from_the_page(page: Page, temporal_api: ApiServer, held_site: SiteServer) -> None:
    page.goto(temporal_api.base_url + "/")
    try:
        start_through_form(page, held_site.slow_url("northwind-analytics/", 30), formats=("square",))
        expect(page.locator('#steps li[data-step="extract"]')).to_have_attribute("data-status", "running")
        page.once("dialog", lambda d: d.accept())
        page.get_by_role("button", name="Cancel run").click()
        expect(page.locator("#run-status")).to_have_text("Cancelled", timeout=30_000)
    finally:
        held_site.release()
    expect(page.locator("#conn-state")).to_have_attribute("data-state", "finished")
    expect(page.get_by_role("button", name="Cancel run")).to_be_hidden()


def test_text_from_the_api_is_never_markup(page: Page, degraded_api: ApiServer, demo_url: str) -> None:
    """A URL carrying markup comes back in events and results; the page shows it as text."""
    hostile = demo_url + '?q=<img src=x onerror="document.body.dataset.pwned=1">'
    page.goto(degraded_api.base_url + "/")
    start_through_form(page, hostile, variants=1, formats=("square",))
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    expect(page.locator('#event-log li[data-type="run_started"]')).to_contain_text("<img src=x")
    assert page.locator("#event-log img, #run-url img").count() == 0
    assert page.evaluate("() => document.body.dataset.pwned") is None


def test_api_with_tokens_asks_for_one_and_streams_with_run_tokens(page: Page, auth_api: ApiServer, demo_url: str, shot) -> None:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=auth_api.base_url) as c:
        assert c.get("/workflow/list").status_code == 401  # the server really wants a token
    page.goto(auth_api.base_url + "/")
    form = page.locator("#auth-form")
    expect(form).to_be_visible()
    expect(form).to_contain_text("needs an API token")
    page.get_by_label("API token").fill(API_TOKEN)
    shot(page, "01-sign-in", full_page=False)
    page.get_by_role("button", name="Sign in").click()
    expect(form).to_be_hidden()
    expect(page.locator("#runs-error")).to_be_hidden()

    streams: list[str] = []
    page.on("request", lambda r: streams.append(r.url) if "/workflow/stream/" in r.url else None)
    start_through_form(page, demo_url, variants=2, formats=("square",))
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    assert streams and all("token=" in u for u in streams)  # EventSource cannot send the bearer header
    page.wait_for_function(
        """() => [...document.querySelectorAll('#gallery img')]
        .every(img => img.complete && img.naturalWidth > 0)""",
        timeout=15_000,
    )  # artifacts with run tokens
    page.get_by_label("Select v1").check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.locator("#run-status")).to_have_text("Completed", timeout=30_000)
    expect(page.locator("#decision-summary")).to_have_text(re.compile(r"^Approved by ana: v1"))  # the token's name
    expect(page.get_by_role("link", name="Download export bundle")).to_have_attribute("href", re.compile(r"token="))


def test_retries_show_in_the_step_timeline_then_the_failure(page: Page, temporal_api: ApiServer, sites: SiteServer) -> None:
    page.goto(temporal_api.base_url + "/")
    start_through_form(page, sites.url("_adv/503"), variants=1, formats=("square",))
    extract = page.locator('#steps li[data-step="extract"]')
    expect(extract.locator(".step-time")).to_contain_text("retry 3", timeout=PIPELINE_TIMEOUT)
    expect(extract).to_have_attribute("data-status", "failed", timeout=PIPELINE_TIMEOUT)
    expect(page.locator("#run-error")).to_contain_text("503")
    expect(page.locator('#event-log li[data-type="step_retrying"]')).to_have_count(3)
