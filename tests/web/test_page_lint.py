"""The reviewer page shows each variant's copy-lint faults beside its copy, as text."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Route, expect

from tests.support.servers import ApiServer
from tests.web.test_page import PIPELINE_TIMEOUT, start_through_form

FAULTS = [
    {
        "code": "ui_label",
        "message": "'Add to Cart' is a button or interface label, not ad copy",
        "text": "<b>Add to Cart</b>",
        "field": "headline",
    },
    {
        "code": "names_nothing",
        "message": "'See how it works.' names nothing of this brand",
        "text": "See how it works.",
        "field": "body",
    },
]


def test_lint_faults_show_beside_the_variant_as_text(page: Page, degraded_api: ApiServer, demo_url: str) -> None:
    def with_faults(route: Route) -> None:
        # The offline writer never emits a faulty variant; an LLM's persisting fault reaches the page like this.
        response = route.fetch()
        result = response.json()
        if result.get("variants"):
            result["variants"][0]["variant"]["lint"] = FAULTS
        route.fulfill(response=response, body=json.dumps(result))

    page.route("**/workflow/result/*", with_faults)
    page.goto(degraded_api.base_url + "/")
    start_through_form(page, demo_url, variants=2, formats=("square",))
    expect(page.locator("#run-status")).to_have_text("Awaiting approval", timeout=PIPELINE_TIMEOUT)
    faulty = page.locator('article[data-variant="v1"] .lint-faults')
    expect(faulty).to_contain_text("Copy faults (2)")
    expect(faulty.locator('li[data-code="ui_label"]')).to_contain_text("ui label in headline: <b>Add to Cart</b>")
    expect(faulty.locator('li[data-code="names_nothing"]')).to_contain_text("See how it works.")
    assert faulty.locator("b").count() == 0  # the offending text is shown, never parsed as markup
    expect(page.locator('article[data-variant="v2"] .lint-faults')).to_have_count(0)
