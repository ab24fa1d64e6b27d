"""Headless Chromium for pages whose content is built by JavaScript, behind the fetcher's guard.

The browser never reaches the network itself. Every request it makes is intercepted and either
refused or answered by the run's own Fetcher, so it gets exactly the fetcher's rules: the SSRF guard
on every hop (redirects re-checked), the checked address pinned (no DNS rebinding), only http(s),
size caps, one deadline. What the browser could still open on its own (WebSockets, WebRTC, DNS
prefetch, preconnect) goes to a proxy that does not exist, or is refused by flags and routes.

One Chromium per process (per event loop), launched on first use, shared by every run (each render
gets its own context), closed by `close_browser()` when the API or worker stops.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import BlockedAddressError, FetchError, PipelineError

if TYPE_CHECKING:
    from .client import Fetcher

log = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--mute-audio",
    "--dns-prefetch-disable",
    "--proxy-bypass-list=<-loopback>",  # loopback too goes to the dead proxy
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
]
# Nothing listens on the discard port: whatever the browser would send past our routes goes nowhere.
DEAD_PROXY = {"server": "http://127.0.0.1:9"}
# Content is built from documents, scripts and the data they fetch; pictures, fonts and styles are
# not needed to read it (and images are fetched later by the extract step with its own checks).
LOADED_TYPES = frozenset({"document", "script", "xhr", "fetch"})
MAX_REQUESTS = 60
MAX_TOTAL_BYTES = 12_000_000
CONCURRENT_RENDERS = 4
LAUNCH_RETRY_SECONDS = 60.0  # a Chromium that failed to launch is not tried again for every page


class BrowserUnavailable(PipelineError):
    """No headless Chromium could be launched (not installed, or it failed to start)."""


class RenderError(PipelineError):
    """Chromium started but the page could not be rendered (navigation refused, crashed, timed out)."""


def find_chromium(configured: str | None) -> str | None:
    """The Chromium to launch: the configured path, else one on PATH, else None (Playwright's own, if installed)."""
    if configured:
        return configured
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@dataclass
class _Process:
    """The Playwright driver and the browsers it launched, for one event loop."""

    loop: asyncio.AbstractEventLoop
    playwright: Any = None
    browsers: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, tuple[float, str]] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CONCURRENT_RENDERS))


_process: _Process | None = None


def _current() -> _Process:
    global _process
    loop = asyncio.get_running_loop()
    if _process is None or _process.loop is not loop:
        # A browser started on another (finished) loop cannot be driven from this one; its driver
        # exits when its pipe is collected.
        _process = _Process(loop)
    return _process


async def _browser(configured: str | None) -> Any:
    proc = _current()
    path = find_chromium(configured)
    key = path or "playwright-default"
    async with proc.lock:  # concurrent first renders share one launch
        browser = proc.browsers.get(key)
        if browser is not None and browser.is_connected():
            return browser
        failed = proc.failures.get(key)
        if failed and time.monotonic() - failed[0] < LAUNCH_RETRY_SECONDS:
            raise BrowserUnavailable(failed[1])
        try:
            from playwright.async_api import async_playwright
        except ImportError:
            message = "the playwright package is not installed (pip install playwright)"
            proc.failures[key] = (time.monotonic(), message)
            raise BrowserUnavailable(message) from None
        try:
            if proc.playwright is None:
                proc.playwright = await async_playwright().start()
            browser = await proc.playwright.chromium.launch(
                executable_path=path, headless=True, args=CHROMIUM_ARGS, proxy=DEAD_PROXY, timeout=15_000
            )
        except Exception as exc:
            where = path or "Playwright's bundled Chromium"
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            message = (
                f"{where} did not start ({first_line}); install chromium (e.g. apt-get install chromium) "
                "or set BRANDTRUTH_CHROMIUM_PATH"
            )
            proc.failures[key] = (time.monotonic(), message)
            raise BrowserUnavailable(message) from exc
        log.info("headless Chromium started (%s)", path or "playwright default")
        proc.browsers[key] = browser
        return browser


async def close_browser() -> None:
    """Close this process's Chromium and Playwright driver, if they were started on this loop."""
    global _process
    proc, _process = _process, None
    if proc is None or proc.loop is not asyncio.get_running_loop():
        return
    for browser in proc.browsers.values():
        try:
            await browser.close()
        except Exception as exc:  # already gone: nothing left to close
            log.debug("closing Chromium: %s", exc)
    if proc.playwright is not None:
        await proc.playwright.stop()


@dataclass
class Rendered:
    html: str
    refused: list[str] = field(default_factory=list)  # "url: why" for each request the guard refused
    unfinished: bool = False  # the page was still loading at the deadline: this is what it showed by then


class _Router:
    """Answers every request of one render: the start document from the HTML already fetched, the
    rest through the Fetcher (guarded and capped), or not at all."""

    def __init__(self, url: str, html: str, fetcher: Fetcher, deadline: float):
        self.url, self.html, self.fetcher = url, html, fetcher
        self.deadline = deadline  # loop time: a sub-request still fetching then is given up, not left running
        self.requests = 0
        self.bytes = 0
        self.refused: list[str] = []

    async def handle(self, route: Any) -> None:
        request = route.request
        try:
            if request.url.split("#")[0] == self.url.split("#")[0] and request.is_navigation_request():
                await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.html)
                return
            async with asyncio.timeout_at(self.deadline):
                body = await self._fetch(request)
        except Exception as exc:  # one failed or overdue sub-request must never end the render
            log.debug("render of %s: %s: %s", self.url, request.url, exc)
            body = None
        try:
            if body is None:
                await route.abort("blockedbyclient")
            else:
                await route.fulfill(**body)
        except Exception as exc:  # the page or context closed meanwhile (render deadline)
            log.debug("render of %s: route for %s already closed: %s", self.url, request.url, exc)

    async def _fetch(self, request: Any) -> dict[str, Any] | None:
        if request.resource_type not in LOADED_TYPES or request.method != "GET":
            return None
        if not request.url.startswith(("http://", "https://")):
            return None
        if request.is_navigation_request() and request.frame.parent_frame is not None:
            return None  # iframes: their content is not this page's text
        self.requests += 1
        if self.requests > MAX_REQUESTS or self.bytes >= MAX_TOTAL_BYTES:
            return None
        cap = min(self.fetcher.policy.max_page_bytes, MAX_TOTAL_BYTES - self.bytes)
        try:
            if request.is_navigation_request():  # the script sent the page elsewhere: a page fetch, robots included
                page = await self.fetcher.get_page(request.url)
                return {"status": page.status, "content_type": "text/html; charset=utf-8", "body": page.text}
            res = await self.fetcher.get_resource(request.url, max_bytes=cap)
        except BlockedAddressError as exc:
            self.refused.append(f"{request.url}: {exc.message}")
            return None
        except FetchError:
            return None
        self.bytes += len(res.body)
        return {"status": res.status, "content_type": res.content_type or "application/octet-stream", "body": res.body}


async def render_page(url: str, html: str, fetcher: Fetcher) -> Rendered:
    """The page's DOM after its scripts ran, as HTML; raises BrowserUnavailable or RenderError."""
    policy = fetcher.policy
    browser = await _browser(policy.chromium_path)
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    proc = _current()
    router = _Router(url, html, fetcher, asyncio.get_running_loop().time() + policy.render_timeout_seconds + 1)
    unfinished = False
    timeout_ms = policy.render_timeout_seconds * 1000
    async with proc.slots:
        try:
            # The deadline covers everything, closing included; goto/idle get their own bounds inside it.
            async with asyncio.timeout(policy.render_timeout_seconds + 3):
                context = await browser.new_context(
                    user_agent=policy.user_agent,
                    service_workers="block",
                    accept_downloads=False,
                    viewport={"width": 1280, "height": 900},
                )
                try:
                    await context.route("**/*", router.handle)
                    await context.route_web_socket("**/*", _refuse_socket)
                    page = await context.new_page()
                    started = time.monotonic()
                    try:
                        await page.goto(url, wait_until="load", timeout=timeout_ms)
                        left = timeout_ms - (time.monotonic() - started) * 1000
                        # Scripts that fetch their content start after load: wait until the network is quiet.
                        await page.wait_for_load_state("networkidle", timeout=max(left, 1))
                    except PlaywrightTimeout:
                        unfinished = True
                    content = await page.content()
                finally:
                    await context.close()
        except TimeoutError:
            raise RenderError(f"{url} did not finish rendering within {policy.render_timeout_seconds:g} s") from None
        except PlaywrightError as exc:
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise RenderError(f"{url} could not be rendered: {first_line}") from exc
    if len(content.encode()) > policy.max_page_bytes:
        raise RenderError(f"{url} rendered to more than {policy.max_page_bytes:,} bytes")
    return Rendered(content, router.refused, unfinished)


async def _refuse_socket(ws: Any) -> None:
    """A WebSocket is answered by nobody: never connected to its server, which could be anywhere."""
    await ws.close()
