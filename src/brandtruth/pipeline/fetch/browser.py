"""Headless Chromium for pages whose content is built by JavaScript, behind the fetcher's guard.

The browser never reaches the network itself. Every request it makes is intercepted and either
refused or answered by the run's own Fetcher, so it gets exactly the fetcher's rules: the SSRF guard
on every hop (redirects re-checked), the checked address pinned (no DNS rebinding), only http(s),
size caps, one deadline. What the browser could still open on its own (WebSockets, WebRTC, DNS
prefetch, preconnect) goes to a proxy that does not exist, or is refused by flags and routes.

One Chromium per process (per event loop), launched on first use, shared by every run (each render
gets its own context), closed after IDLE_SECONDS without a page to render and by `close_browser()`
when the API or worker stops. The routes each render gets are in render_routes.py.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import PipelineError
from .render_routes import Router, refuse_socket

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page

    from .client import Fetcher

log = logging.getLogger(__name__)

# The headless shell first: the same engine without the desktop browser's UI layer, and ~115 MB less
# memory with a page open (its browser process 54 MB PSS against 130; issue 12's worker with Chromium
# up went from 730-783 MB to 463-558). Debian: apt-get install chromium-headless-shell.
CHROMIUM_NAMES = (
    "chromium-headless-shell",
    "chrome-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
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
    "--js-flags=--max-old-space-size=256",  # a page's script gets a bounded heap (MB) per renderer
    # The network service in the browser process instead of a utility process of its own (~16 MB less
    # unique memory): the browser reaches no network anyway, every request is answered by our routes.
    "--enable-features=NetworkServiceInProcess2",
]
# The Playwright driver is a Node.js process; V8's young generation is sized for throughput it does
# not need (it relays a few messages a second): ~12 MB of unique memory less with 1 MB semi-spaces.
DRIVER_NODE_OPTIONS = "--max-semi-space-size=1"
# Nothing listens on the discard port: whatever the browser would send past our routes goes nowhere.
DEAD_PROXY = {"server": "http://127.0.0.1:9"}
CONCURRENT_RENDERS = 4
LAUNCH_RETRY_SECONDS = 60.0  # a Chromium that failed to launch is not tried again for every page
# An idle Chromium and its driver hold ~300 MB: they are closed after this long without a render and
# launched again (about a second) by the next page that needs one.
IDLE_SECONDS = 60.0


class BrowserUnavailable(PipelineError):
    """No headless Chromium could be launched (not installed, or it failed to start)."""


class RenderError(PipelineError):
    """Chromium started but the page could not be rendered (navigation refused, crashed, timed out)."""


def find_chromium(configured: str | None) -> str | None:
    """The Chromium to launch: the configured path, else the first of CHROMIUM_NAMES on PATH, else None
    (Playwright's own, if installed)."""
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
    active: int = 0  # renders in progress (or about to launch)
    idle_timer: asyncio.TimerHandle | None = None
    reaper: asyncio.Task[None] | None = None


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
                with _driver_options():
                    proc.playwright = await async_playwright().start()
            browser = await proc.playwright.chromium.launch(
                executable_path=path, headless=True, args=CHROMIUM_ARGS, proxy=DEAD_PROXY, timeout=15_000
            )
        except Exception as exc:
            where = path or "Playwright's bundled Chromium"
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            message = (
                f"{where} did not start ({first_line}); install chromium (e.g. apt-get install chromium-headless-shell) "
                "or set BRANDTRUTH_CHROMIUM_PATH"
            )
            proc.failures[key] = (time.monotonic(), message)
            raise BrowserUnavailable(message) from exc
        log.info("headless Chromium started (%s)", path or "playwright default")
        proc.browsers[key] = browser
        return browser


@contextmanager
def _driver_options() -> Iterator[None]:
    """NODE_OPTIONS for the driver Playwright starts now (it copies this process's environment)."""
    before = os.environ.get("NODE_OPTIONS")
    os.environ["NODE_OPTIONS"] = f"{before} {DRIVER_NODE_OPTIONS}" if before else DRIVER_NODE_OPTIONS
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NODE_OPTIONS", None)
        else:
            os.environ["NODE_OPTIONS"] = before


async def close_browser() -> None:
    """Close this process's Chromium and Playwright driver, if they were started on this loop."""
    global _process
    proc, _process = _process, None
    if proc is None or proc.loop is not asyncio.get_running_loop():
        return
    if proc.idle_timer is not None:
        proc.idle_timer.cancel()
    await _stop(proc)


async def _stop(proc: _Process) -> None:
    browsers, proc.browsers = list(proc.browsers.values()), {}
    playwright, proc.playwright = proc.playwright, None
    for browser in browsers:
        try:
            await browser.close()
        except Exception as exc:  # already gone: nothing left to close
            log.debug("closing Chromium: %s", exc)
    if playwright is not None:
        await playwright.stop()


def _close_when_idle(proc: _Process) -> None:
    if proc.idle_timer is not None:
        proc.idle_timer.cancel()

    def reap() -> None:
        proc.reaper = proc.loop.create_task(_close_if_idle(proc))

    proc.idle_timer = proc.loop.call_later(IDLE_SECONDS, reap)


async def _close_if_idle(proc: _Process) -> None:
    async with proc.lock:  # a launch in progress finishes first; a render that began since keeps it
        if proc.active or not proc.browsers:
            return
        log.info("closing headless Chromium after %gs without a page to render", IDLE_SECONDS)
        await _stop(proc)


@dataclass
class Rendered:
    html: str
    refused: list[str] = field(default_factory=list)  # "url: why" for each request the guard refused
    unfinished: bool = False  # the page was still loading at the deadline: this is what it showed by then


async def render_page(url: str, html: str, fetcher: Fetcher) -> Rendered:
    """The page's DOM after its scripts ran, as HTML; raises BrowserUnavailable or RenderError."""
    proc = _current()
    proc.active += 1  # before the launch: an idle close must not take the browser this render will use
    try:
        return await _render(proc, url, html, fetcher)
    finally:
        proc.active -= 1
        if proc.active == 0:
            _close_when_idle(proc)


async def _render(proc: _Process, url: str, html: str, fetcher: Fetcher) -> Rendered:
    policy = fetcher.policy
    browser = await _browser(policy.chromium_path)
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    router = Router(url, html, fetcher, asyncio.get_running_loop().time() + policy.render_timeout_seconds + 1)
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
                    await context.route_web_socket("**/*", refuse_socket)
                    page = await context.new_page()
                    started = time.monotonic()
                    try:
                        await page.goto(url, wait_until="commit", timeout=timeout_ms)
                        left = timeout_ms - (time.monotonic() - started) * 1000
                        # Scripts, and the data they fetch, load after the document: wait until the network
                        # is quiet. Not for "load": a script's refused navigation (answered 204, see
                        # render_routes.py) leaves Playwright waiting for a load that never comes.
                        await page.wait_for_load_state("networkidle", timeout=max(left, 1))
                    except PlaywrightTimeout:
                        unfinished = True
                    # Measured in the browser first: a script can grow the DOM far past any page cap, and
                    # page.content() would carry all of it into this process.
                    if page.url.startswith("chrome-error:"):  # Chromium's own error page is not the site's
                        raise RenderError(f"{url} could not be rendered: the browser showed an error page")
                    size = await _measured_size(context, page)
                    if size > policy.max_page_bytes:
                        raise RenderError(f"{url} rendered to more than {policy.max_page_bytes:,} characters")
                    content = await page.content()
                finally:
                    await context.close()
        except TimeoutError:
            raise RenderError(f"{url} did not finish rendering within {policy.render_timeout_seconds:g} s") from None
        except PlaywrightError as exc:
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise RenderError(f"{url} could not be rendered: {first_line}") from exc
    if len(content.encode()) > policy.max_page_bytes:  # characters are not bytes: the cap holds in bytes too
        raise RenderError(f"{url} rendered to more than {policy.max_page_bytes:,} bytes")
    return Rendered(content, router.refused, unfinished)


async def _measured_size(context: BrowserContext, page: Page) -> int:
    """The rendered document's size, measured in an isolated world: there the DOM is the page's but the
    prototypes are pristine, so a page script that redefines outerHTML cannot under-report itself
    (page.evaluate runs in the page's own world, where it could)."""
    cdp = await context.new_cdp_session(page)
    try:
        frame = (await cdp.send("Page.getFrameTree"))["frameTree"]["frame"]["id"]
        world = await cdp.send("Page.createIsolatedWorld", {"frameId": frame, "worldName": "brandtruth-measure"})
        found = await cdp.send(
            "Runtime.evaluate",
            {
                "expression": "document.documentElement.outerHTML.length",
                "contextId": world["executionContextId"],
                "returnByValue": True,
            },
        )
    finally:
        await cdp.detach()
    value = found.get("result", {}).get("value")
    if not isinstance(value, int):
        raise RenderError("the rendered page could not be measured")
    return value
