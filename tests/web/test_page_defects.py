"""The reviewer page's defects a new user hit (issue 16), each in a real Chromium against the real API,
with axe-core run on every state the test reaches."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.support.servers import ApiServer
from tests.support.sites import SiteServer
from tests.web.a11y import assert_accessible
from tests.web.conftest import API_TOKEN
from tests.web.test_page import PIPELINE_TIMEOUT, start_through_form


def test_cancelled_run_leaves_no_step_running(page: Page, degraded_api: ApiServer, held_site: SiteServer, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto(degraded_api.base_url + "/")
    try:
        start_through_form(page, held_site.slow_url("northwind-analytics/", 30), formats=("square",))
        extract = page.locator('#steps li[data-step="extract"]')
        expect(extract).to_have_attribute("data-status", "running")
        assert_accessible(page, "a running run")
        # One live region for progress: the log is a plain list (it was <ol role="log">, read twice).
        assert page.locator("#event-log").get_attribute("role") is None
        assert page.locator("#log-box").get_attribute("role") == "region"
        assert page.locator('[role="log"], [aria-live="polite"]#progress-text').count() == 0
        page.once("dialog", lambda d: d.accept())
        page.get_by_role("button", name="Cancel run").click()
        expect(page.locator("#run-status")).to_have_text("Cancelled", timeout=30_000)
    finally:
        held_site.release()
    expect(extract).to_have_attribute("data-status", "cancelled")
    expect(extract.locator(".step-status")).to_have_text("Cancelled")
    expect(page.locator('#steps li[data-status="running"]')).to_have_count(0)
    shot(page, "01-cancelled", full_page=False)
    assert_accessible(page, "a cancelled run")

    # Opened later, the same story replayed gives the same tiles.
    page.reload()
    expect(page.locator("#conn-state")).to_have_attribute("data-state", "finished")
    expect(extract).to_have_attribute("data-status", "cancelled")
    expect(page.locator('#steps li[data-status="running"]')).to_have_count(0)


def test_unknown_run_id_shows_only_the_error(page: Page, degraded_api: ApiServer, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto(degraded_api.base_url + "/#/run/pipeline-nosuchrun0")
    expect(page.locator("#run-error")).to_contain_text("pipeline-nosuchrun0")
    expect(page.locator("#conn-state")).to_have_text("Not found")
    expect(page.locator("#run-status")).to_be_hidden()
    expect(page.locator("#log-card")).to_be_hidden()
    expect(page.locator("#run-body")).to_be_hidden()  # no "Started / 0 %" beside the error
    expect(page.get_by_role("button", name="Cancel run")).to_be_hidden()
    expect(page.locator("#review")).to_be_hidden()
    shot(page, "01-unknown", full_page=False)
    assert_accessible(page, "an unknown run id")


def test_start_form_shows_validation_errors_for_people(page: Page, degraded_api: ApiServer, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto(degraded_api.base_url + "/")
    url = page.get_by_label("Brand website URL")
    url.fill("ftp://example.com")
    page.get_by_role("button", name="Start run").click()
    alert = page.locator("#start-error")
    expect(alert).to_be_visible()
    text = alert.inner_text()
    assert "Value error" not in text and not text.startswith("url:") and "http" in text, text
    expect(url).to_have_attribute("aria-invalid", "true")
    expect(url).to_have_attribute("aria-describedby", re.compile(r"\bstart-error\b"))
    shot(page, "01-invalid-url", full_page=False)
    assert_accessible(page, "the start form with an invalid URL")

    url.fill("https://example.com")
    page.get_by_label("Number of variants").fill("0")
    page.get_by_role("button", name="Start run").click()
    expect(alert).to_contain_text("Number of variants")
    expect(url).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Number of variants")).to_have_attribute("aria-invalid", "true")


def test_token_sign_in_is_kept_for_the_session_shows_who_is_recorded_and_signs_out(
    browser: Browser, auth_api: ApiServer, demo_url: str, shot
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # A run that waits for review, started by the API, opened in a tab that has no token yet.
        with httpx.Client(base_url=auth_api.base_url, headers={"Authorization": f"Bearer {API_TOKEN}"}, timeout=30) as c:
            run_id = c.post("/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]}).json()[
                "workflow_id"
            ]
        page.goto(f"{auth_api.base_url}/#/run/{run_id}")
        expect(page.locator("#auth-form")).to_be_visible()
        expect(page.locator("#run-body")).to_be_hidden()  # no made-up state while it waits for a token
        expect(page.get_by_role("button", name="Cancel run")).to_be_hidden()
        assert_accessible(page, "the sign-in form")
        page.get_by_label("API token").fill(API_TOKEN)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#auth-form")).to_be_hidden()
        expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
        expect(page.locator("body")).not_to_contain_text("Missing bearer token")
        expect(page.locator("#health-banner")).not_to_contain_text("bearer")
        # Who decisions are recorded as is said, not a name field the server would override.
        expect(page.locator("#recorded-as")).to_have_text(re.compile(r"Recorded as ana"))
        expect(page.get_by_label("Your name (optional)")).to_be_hidden()
        expect(page.locator("#session-name")).to_have_text("Signed in as ana")
        shot(page, "01-signed-in-review", full_page=False)
        assert_accessible(page, "a review, signed in")

        # Another tab of the same browser session is not asked again.
        other = context.new_page()
        other.on("pageerror", lambda exc: errors.append(str(exc)))
        other.goto(auth_api.base_url + "/")
        expect(other.locator("#runs-list li", has_text=run_id)).to_have_count(1)
        expect(other.locator("#auth-form")).to_be_hidden()

        # Signing out in one tab signs out every tab.
        other.get_by_role("button", name="Sign out").click()
        expect(other.locator("#auth-form")).to_be_visible()
        expect(page.locator("#auth-form")).to_be_visible()
        assert page.evaluate("() => sessionStorage.getItem('brandtruth-token')") is None
        expect(page.locator("#gallery article")).to_have_count(0)  # nothing read with the token stays on screen
        expect(other.locator("#runs-list li")).to_have_count(0)
        # Signing in again brings the run back.
        page.get_by_label("API token").fill(API_TOKEN)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
        expect(page.locator("#gallery article")).to_have_count(2)
        expect(other.locator("#runs-list li", has_text=run_id)).to_have_count(1)
        shot(other, "02-signed-out", full_page=False)
    finally:
        context.close()
    assert not errors, errors


def test_status_words_are_the_same_in_the_list_and_on_the_run(page: Page, degraded_api: ApiServer, demo_url: str) -> None:
    page.goto(degraded_api.base_url + "/")
    run_id = start_through_form(page, demo_url, variants=1, formats=("square",))
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    page.get_by_role("link", name="New run").click()
    row = page.locator("#runs-list li", has_text=run_id)
    expect(row.locator(".badge")).to_have_text("Awaiting approval")
    assert_accessible(page, "the home page with runs")


def test_pydantic_field_errors_are_shown_in_words(page: Page, degraded_api: ApiServer) -> None:
    """A 422 with only pydantic's field list (a server before `message`) still reads as words for people."""
    detail = [
        {"type": "value_error", "loc": ["body", "url"], "msg": "Value error, url must be an http(s) address", "input": "x"},
        {"type": "less_than_equal", "loc": ["body", "num_variants"], "msg": "Input should be less than or equal to 10"},
    ]
    page.route("**/workflow/start", lambda r: r.fulfill(status=422, json={"detail": detail}))
    page.goto(degraded_api.base_url + "/")
    page.get_by_label("Brand website URL").fill("https://example.com")
    page.get_by_role("button", name="Start run").click()
    alert = page.locator("#start-error")
    expect(alert).to_have_text(
        "Website address must be an http(s) address. Number of variants: should be less than or equal to 10."
    )
    expect(page.get_by_label("Brand website URL")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Number of variants")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the start form with two field errors")
