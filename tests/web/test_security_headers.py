"""Security headers (issue 12 item 4): artifacts can never run as documents on the API's origin, and
the reviewer page carries its own CSP, Referrer-Policy and frame-ancestors while still working."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, Page, expect

from brandtruth.pipeline.artifacts import LocalArtifactStore
from tests.support.servers import ApiServer

HOSTILE_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="80" height="80">
<script>document.title = "svg-script-ran"; alert("xss")</script>
<a xlink:href="javascript:alert(1)"><set attributeName="href" to="javascript:alert(2)"/><rect width="80" height="80"/></a>
</svg>"""
HOSTILE_HTML = b"<html><body><script>document.title='html-script-ran'</script>hi</body></html>"
RUN = "pipeline-secheaders01"


def _store(api: ApiServer) -> LocalArtifactStore:
    return LocalArtifactStore(api.settings.artifacts_root)


def test_artifacts_are_nosniff_sandboxed_and_svg_is_never_served_as_svg(degraded_api: ApiServer) -> None:
    store = _store(degraded_api)
    store.put(f"{RUN}/src/logo.svg", HOSTILE_SVG)
    store.put(f"{RUN}/creatives/x.png", b"\x89PNG\r\n\x1a\nnot really")
    with httpx.Client(base_url=degraded_api.base_url) as c:
        for name in ("src/logo.svg", "creatives/x.png"):
            resp = c.get(f"/workflow/artifacts/{RUN}/{name}")
            assert resp.status_code == 200, name
            assert resp.headers["x-content-type-options"] == "nosniff"
            assert resp.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        svg = c.get(f"/workflow/artifacts/{RUN}/src/logo.svg")
        assert "svg" not in svg.headers["content-type"]
        assert svg.headers["content-disposition"].startswith("attachment")
        missing = c.get(f"/workflow/artifacts/{RUN}/nope.png")
        assert missing.status_code == 404 and missing.headers["x-content-type-options"] == "nosniff"


def test_page_has_csp_referrer_policy_and_frame_ancestors(degraded_api: ApiServer) -> None:
    with httpx.Client(base_url=degraded_api.base_url) as c:
        for path in ("/", "/app.js", "/workflow/health"):
            resp = c.get(path)
            assert resp.status_code == 200, path
            csp = resp.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
            assert resp.headers["referrer-policy"] == "no-referrer"
            assert resp.headers["x-content-type-options"] == "nosniff"
        docs = c.get("/docs")
        assert docs.status_code == 200 and "frame-ancestors 'none'" in docs.headers["content-security-policy"]


def test_reviewer_page_still_works_under_its_csp(page: Page, degraded_api: ApiServer) -> None:
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(degraded_api.base_url + "/")
    expect(page.locator("#health-banner")).to_contain_text("Degraded mode.")  # app.js ran and fetched
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", "style.css not applied"
    assert not violations, violations


def test_opening_a_hostile_artifact_runs_no_script(browser: Browser, degraded_api: ApiServer) -> None:
    store = _store(degraded_api)
    store.put(f"{RUN}/src/evil.html", HOSTILE_HTML)
    context = browser.new_context()
    dialogs: list[str] = []
    try:
        p = context.new_page()
        p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        p.goto(f"{degraded_api.base_url}/workflow/artifacts/{RUN}/src/evil.html")
        assert p.title() != "html-script-ran"
        assert p.evaluate("1 + 1") == 2  # the page loaded; only its own scripts were blocked
    finally:
        context.close()
    assert not dialogs
