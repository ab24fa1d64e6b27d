"""The review studio in Chromium (issue 16): compare creatives at half their real size or more, a
lightbox across variants and formats that approves and revises, keyboard shortcuts, the sticky action
bar on a phone, the before/after of a revision and the decision history; axe-core on every state."""

from __future__ import annotations

import json
import re

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.support.servers import ApiServer
from tests.web.a11y import assert_accessible
from tests.web.test_page import PIPELINE_TIMEOUT, start_through_form

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
ALL_LOADED = """() => [...document.querySelectorAll('#gallery img')].every(img => img.complete && img.naturalWidth > 0)"""


def result_of(api: ApiServer, run_id: str) -> dict:  # type: ignore[type-arg]
    with api.client() as c:
        return c.get(f"/workflow/result/{run_id}").json()  # type: ignore[no-any-return]


def start_by_api(api: ApiServer, url: str, variants: int = 2, formats: tuple[str, ...] = ("square",)) -> str:
    with api.client() as c:
        resp = c.post(
            "/workflow/start", json={"url": url, "num_variants": variants, "formats": list(formats), "provider": "offline"}
        )
    assert resp.status_code == 200, resp.text
    return str(resp.json()["workflow_id"])


def test_compare_lightbox_revise_and_approve_from_it(browser: Browser, temporal_api: ApiServer, demo_url: str, shot) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(temporal_api.base_url + "/")
        run_id = start_through_form(page, demo_url)
        expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
        expect(page.locator("#gallery article.variant")).to_have_count(3)
        result = result_of(temporal_api, run_id)

        # A review pending: Cancel is out of the way until asked for.
        expect(page.get_by_role("button", name="Cancel run")).to_be_hidden()
        page.get_by_role("button", name="Cancel this run instead…").click()
        expect(page.get_by_role("button", name="Cancel run")).to_be_visible()

        # Each format side by side, every creative at half its real size or more, with its faults,
        # evidence and score in view beside it (no disclosure triangles).
        for fmt in ("square", "landscape", "story"):
            page.get_by_role("radio", name=fmt.capitalize()).check()
            expect(page.locator(f'#gallery figure[data-format="{fmt}"]')).to_have_count(3)
            page.wait_for_function(ALL_LOADED, timeout=15_000)
            for vr in result["variants"]:
                real = next(c for c in vr["creatives"] if c["format"] == fmt)
                img = page.locator(f'article[data-variant="{vr["variant"]["id"]}"] figure img')
                width = img.evaluate("el => el.getBoundingClientRect().width")
                assert width >= real["width"] / 2, f"{fmt} of {vr['variant']['id']} shown {width:.0f} px wide of {real['width']}"
            shot(page, f"01-compare-{fmt}", full_page=False)
            assert_accessible(page, f"the compare view, {fmt}")
        first = page.locator('article[data-variant="v1"]')
        expect(first.locator(".evidence")).to_be_visible()
        expect(first.locator(".breakdown table")).to_be_visible()
        assert page.locator("#gallery details").count() == 0

        # The lightbox walks variants and formats (9 creatives) both ways, by button and by key.
        page.get_by_role("radio", name="Square").check()
        first.get_by_role("button", name=re.compile("Open v1 square")).click()
        box = page.locator("#lightbox")
        expect(box).to_be_visible()
        expect(page.locator("#lightbox-title")).to_have_text("V1 · Square 1080×1080")
        expect(page.locator("#lightbox-count")).to_have_text("1 of 9")
        page.keyboard.press("ArrowRight")
        expect(page.locator("#lightbox-title")).to_have_text("V1 · Landscape 1200×628")
        page.get_by_role("button", name="Next creative").click()
        expect(page.locator("#lightbox-title")).to_have_text("V1 · Story 1080×1920")
        page.get_by_role("button", name="Next creative").click()
        expect(page.locator("#lightbox-title")).to_have_text("V2 · Square 1080×1080")
        page.wait_for_function("() => document.getElementById('lightbox-img').naturalWidth === 1080")
        shot(page, "02-lightbox", full_page=False)
        assert_accessible(page, "the lightbox")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        expect(page.locator("#lightbox-count")).to_have_text("9 of 9")
        expect(page.locator("#lightbox-title")).to_have_text("V3 · Story 1080×1920")

        # Revise v2 from the lightbox: the card then shows its copy before and after.
        old_headline = result["variants"][1]["variant"]["headline"]
        page.get_by_role("button", name="Previous creative").click()
        page.get_by_role("button", name="Previous creative").click()
        page.get_by_role("button", name="Previous creative").click()
        expect(page.locator("#lightbox-title")).to_have_text("V2 · Story 1080×1920")
        page.get_by_role("button", name="Revise v2…").click()
        page.get_by_label("What to change in this variant").fill("Lead with the free trial, keep it short")
        assert_accessible(page, "the lightbox revising")
        page.get_by_role("button", name="Send revision").click()
        expect(box).to_be_hidden()
        expect(page.locator('#event-log li[data-type="revised"]')).to_have_count(1, timeout=PIPELINE_TIMEOUT)
        expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
        v2 = page.locator('article[data-variant="v2"]')
        expect(v2.locator("h3")).to_contain_text("revision 2")
        after = result_of(temporal_api, run_id)["variants"][1]
        (rewrite,) = after["revisions"]
        assert rewrite["before"]["headline"] == old_headline
        history = v2.locator(".revision")
        changed = [f for f in ("headline", "body", "cta") if rewrite["before"][f] != after["variant"][f]]
        assert changed, "the revision changed the copy"
        for field in changed:
            expect(history.locator(f'[data-field="{field}"] del')).to_have_text(rewrite["before"][field])
            expect(history.locator(f'[data-field="{field}"] ins')).to_have_text(after["variant"][field])
        expect(history).to_contain_text("Lead with the free trial")
        expect(history.locator(".diff-images img")).to_have_count(2)  # the creative before and after
        page.wait_for_function(
            """() => [...document.querySelectorAll('article[data-variant="v2"] .diff-images img')]
            .every(img => img.complete && img.naturalWidth > 0)"""
        )
        expect(page.locator("#decision-history li")).to_have_count(1)
        expect(page.locator("#decision-history li").first).to_contain_text("Revision requested v2")
        expect(page.locator("#decision-history li").first).to_contain_text("Lead with the free trial")
        shot(page, "03-revised", full_page=False)
        assert_accessible(page, "a revised variant")

        # Approve v3 from the lightbox.
        page.locator('article[data-variant="v3"] figure button').click()
        expect(page.locator("#lightbox-title")).to_contain_text("V3")
        page.get_by_role("button", name="Approve v3").click()
        expect(page.locator("#run-status")).to_have_text("Completed", timeout=30_000)
        expect(page.locator("#decision-summary")).to_have_text("Approved: v3")
        expect(page.locator("#decision-history li")).to_have_count(2)
        expect(page.locator("#decision-form")).to_be_hidden()
        assert result_of(temporal_api, run_id)["approved_variant_ids"] == ["v3"]
        shot(page, "04-approved", full_page=False)
        assert_accessible(page, "the completed run")
    finally:
        context.close()
    assert not errors, errors


def test_keyboard_shortcuts_select_and_approve(page: Page, degraded_api: ApiServer, demo_url: str, shot) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(DESKTOP)
    run_id = start_by_api(degraded_api, demo_url, variants=3)
    page.goto(f"{degraded_api.base_url}/#/run/{run_id}")
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    expect(page.locator("#gallery article.variant")).to_have_count(3)
    page.locator("body").click(position={"x": 5, "y": 300})

    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    shot(page, "01-help", full_page=False)
    assert_accessible(page, "the shortcuts help")
    # Single-key shortcuts can be turned off (WCAG 2.1.4), and on again.
    page.get_by_role("checkbox", name=re.compile("Single-key shortcuts on")).uncheck()
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    page.keyboard.press("j")
    expect(page.locator('article[data-variant="v1"]')).to_have_class(re.compile(r"\bcurrent\b"))
    page.get_by_role("button", name="Shortcuts").click()
    page.get_by_role("checkbox", name=re.compile("Single-key shortcuts on")).check()
    page.keyboard.press("Escape")

    page.keyboard.press("j")
    expect(page.locator('article[data-variant="v2"]')).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator("#selection-count")).to_have_text("Selected: v2, v3")
    page.keyboard.press("k")
    page.keyboard.press("x")  # v2 off again
    expect(page.locator("#selection-count")).to_have_text("Selected: v3")
    page.keyboard.press("r")
    expect(page.locator("#revise-feedback")).to_be_focused()
    page.keyboard.type("x and j typed here are words, not shortcuts")
    expect(page.locator("#selection-count")).to_have_text("Selected: v3")
    page.locator("#revise-feedback").fill("")
    page.get_by_role("button", name="Revise…").click()  # closes the panel
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("a")
    expect(page.locator("#run-status")).to_have_text("Completed", timeout=30_000)
    expect(page.locator("#decision-summary")).to_have_text("Approved: v3")


def test_phone_action_bar_keeps_approve_on_screen(browser: Browser, degraded_api: ApiServer, demo_url: str, shot) -> None:  # type: ignore[no-untyped-def]
    run_id = start_by_api(degraded_api, demo_url, variants=3, formats=("square", "story"))
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    errors: list[str] = []
    try:
        page = phone.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{degraded_api.base_url}/#/run/{run_id}")
        expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
        expect(page.locator("#gallery article.variant")).to_have_count(3)
        approve = page.get_by_role("button", name="Approve selected")

        def on_screen() -> bool:
            box = approve.bounding_box()
            return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]

        expect(approve).to_be_visible()
        shot(page, "00-phone-start", full_page=False)
        assert page.evaluate("() => innerWidth") == PHONE["width"], "nothing wider than the phone (it would zoom out)"
        assert on_screen(), f"the action bar is on screen from the start: {approve.bounding_box()}"
        last = page.get_by_label("Select v3")
        last.scroll_into_view_if_needed()
        last.check()
        expect(page.locator("#selection-count")).to_have_text("Selected: v3")
        assert page.evaluate("() => window.scrollY") > 1500, "v3 is far down the page"
        assert on_screen(), "Approve is on screen where v3 is selected"
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
        shot(page, "01-phone-selected", full_page=False)
        assert_accessible(page, "the review on a phone")
        page.locator('article[data-variant="v3"] figure button').tap()
        expect(page.locator("#lightbox")).to_be_visible()
        expect(page.get_by_role("button", name="Approve v3")).to_be_in_viewport()
        page.wait_for_function("() => document.getElementById('lightbox-img').naturalWidth === 1080")
        width = page.locator("#lightbox-img").evaluate("el => el.getBoundingClientRect().width")
        assert width >= 250, f"the creative fills the phone's lightbox ({width:.0f} px)"
        shot(page, "02-phone-lightbox", full_page=False)
        assert_accessible(page, "the lightbox on a phone")
        page.get_by_role("button", name="Close").tap()
        expect(page.locator("#lightbox")).to_be_hidden()
        approve.tap()
        expect(page.locator("#run-status")).to_have_text("Completed", timeout=30_000)
    finally:
        phone.close()
    assert not errors, errors


def test_dark_mode_review_is_accessible(browser: Browser, degraded_api: ApiServer, demo_url: str, shot) -> None:  # type: ignore[no-untyped-def]
    run_id = start_by_api(degraded_api, demo_url, variants=2)
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(degraded_api.base_url + "/")
        expect(page.locator("#runs-list li")).not_to_have_count(0)
        bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert bg == "rgb(11, 17, 32)", bg
        assert_accessible(page, "the home page, dark")
        shot(page, "01-home-dark", full_page=False)
        page.goto(f"{degraded_api.base_url}/#/run/{run_id}")
        expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
        page.get_by_label("Select v1").check()
        page.get_by_role("button", name="Revise…").click()
        shot(page, "02-review-dark", full_page=False)
        assert_accessible(page, "the review, dark")
    finally:
        context.close()


def test_live_progress_timers_sub_steps_and_temporal_link(page: Page, degraded_api: ApiServer, shot) -> None:  # type: ignore[no-untyped-def]
    """A stream in the middle of extract, as a Temporal run sends it (the page is the real one; the
    run's answers are stood in): the step's clock, its n/N and the link to the run in the Temporal UI."""
    run_id = "pipeline-livefeed01"
    now = page.evaluate("() => Date.now()")

    def iso(ms_ago: int) -> str:
        return page.evaluate(f"() => new Date({now} - {ms_ago}).toISOString()")

    events = [
        {"id": 1, "type": "run_started", "status": "running", "percent": 0, "message": "Started",
         "timestamp": iso(70_000), "data": {"url": "https://example.com/"}},
        {"id": 2, "type": "step_started", "status": "running", "percent": 2, "current_step": "extract",
         "message": "Extract started", "timestamp": iso(65_000), "data": {"step": "extract", "attempt": 1}},
        {"id": 3, "type": "page_fetched", "status": "running", "percent": 10, "current_step": "extract",
         "message": "Fetched 3 of 5 pages", "timestamp": iso(1_000), "data": {"step": "extract", "n": 3, "total": 5}},
    ]  # fmt: skip
    body = "retry: 600000\n\n" + "".join(f"id: {e['id']}\ndata: {json.dumps(e)}\n\n" for e in events)
    page.route(f"**/workflow/stream/{run_id}*", lambda r: r.fulfill(status=200, content_type="text/event-stream", body=body))
    progress = {"workflow_id": run_id, "engine": "temporal", "status": "running", "percent": 10, "current_step": "extract",
                "steps": [], "last_event_id": 3}  # fmt: skip
    page.route(f"**/workflow/progress/{run_id}", lambda r: r.fulfill(json=progress))

    def health(route) -> None:  # type: ignore[no-untyped-def]
        answer = route.fetch().json()
        route.fulfill(json={**answer, "temporal_ui_url": "http://127.0.0.1:8233", "namespace": "default"})

    page.route("**/workflow/health", health)
    page.goto(f"{degraded_api.base_url}/#/run/{run_id}")
    extract = page.locator('#steps li[data-step="extract"]')
    expect(extract).to_have_attribute("data-status", "running")
    expect(extract.locator(".elapsed")).to_have_text(re.compile(r"^1 min \d\d s$"))
    expect(extract.locator(".step-sub")).to_contain_text("3/5 pages")
    expect(extract.locator("progress")).to_have_attribute("value", "3")
    link = page.get_by_role("link", name="Open this run in the Temporal UI")
    expect(link).to_have_attribute("href", f"http://127.0.0.1:8233/namespaces/default/workflows/{run_id}")
    expect(page.locator("#progress-text")).to_contain_text("Fetched 3 of 5 pages")
    shot(page, "01-live", full_page=False)
    assert_accessible(page, "a running step with sub-step progress")


def test_title_counts_runs_awaiting_review(page: Page, degraded_api: ApiServer, demo_url: str) -> None:
    with httpx.Client(base_url=degraded_api.base_url, timeout=30) as c:
        waiting = [r for r in c.get("/workflow/list?limit=100").json() if r["status"] == "awaiting_approval"]
    page.goto(degraded_api.base_url + "/")
    if waiting:
        expect(page).to_have_title(f"Review needed ({len(waiting)}) · BrandTruth")
    run_id = start_by_api(degraded_api, demo_url, variants=1)
    page.goto(f"{degraded_api.base_url}/#/run/{run_id}")
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    page.get_by_role("link", name="New run").click()
    expect(page).to_have_title(f"Review needed ({len(waiting) + 1}) · BrandTruth")
