"""Browser fixtures: Debian's Chromium under Playwright (never a downloaded browser) and API servers for the page."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from brandtruth.devserver import DevServer, free_port
from tests.support.servers import ApiServer, make_settings
from tests.support.sites import SiteServer, serve_sites

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
# Not committed (.data/ is ignored): for a reviewer to look at after a run.
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".data" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y --no-install-recommends chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def shot(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """shot(page, "name") saves .data/screenshots/<test>-<name>.png (full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = request.node.name.replace("test_", "", 1)

    def take(p: Page, name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{test}-{name}.png"
        p.screenshot(path=str(path), full_page=full_page)
        return path

    return take


# A held site answers when the test releases it (30 s at most): the fetcher must not give up first. At the
# default 10 s, a slow machine's screenshots and accessibility checks while a run waits could outlast it.
HELD_FETCH = {"BRANDTRUTH_FETCH_TIMEOUT_SECONDS": 40}


@pytest.fixture(scope="module")
def temporal_api(temporal_server: DevServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The real API under uvicorn with the Temporal engine and an embedded worker."""
    settings = make_settings(
        tmp_path_factory.mktemp("web-temporal"), temporal_server.address, f"bt-web-{uuid.uuid4().hex[:8]}", **HELD_FETCH
    )
    server = ApiServer(settings, embedded_worker=True).start()
    server.wait_healthy("healthy")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def degraded_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The API with Temporal unreachable (a closed port): degraded mode, local engine."""
    settings = make_settings(
        tmp_path_factory.mktemp("web-degraded"), f"127.0.0.1:{free_port()}", f"bt-web-{uuid.uuid4().hex[:8]}", **HELD_FETCH
    )
    server = ApiServer(settings).start()
    server.wait_healthy("degraded")
    yield server
    server.stop()


API_TOKEN = "s3cret-web-token"


@pytest.fixture(scope="module")
def auth_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The API requiring bearer tokens (BRANDTRUTH_API_TOKENS); local engine to stay cheap."""
    settings = make_settings(
        tmp_path_factory.mktemp("web-auth"),
        f"127.0.0.1:{free_port()}",
        f"bt-web-{uuid.uuid4().hex[:8]}",
        BRANDTRUTH_API_TOKENS=f"ana:{API_TOKEN}",
    )
    server = ApiServer(settings).start()
    server.wait_healthy("degraded")
    yield server
    server.stop()


@pytest.fixture
def held_site() -> Iterator[SiteServer]:
    """Our own fixture-site server, so releasing its held responses touches no other test."""
    with serve_sites() as server:
        yield server
