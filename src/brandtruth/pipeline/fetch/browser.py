"""Headless Chromium for pages whose content is built by JavaScript, behind the fetcher's guard.

The browser never reaches the network itself. Every request it makes is intercepted and either
refused or answered by the run's own Fetcher, so it gets exactly the fetcher's rules: the SSRF guard
on every hop (redirects re-checked), the checked address pinned (no DNS rebinding), only http(s),
size caps, one deadline. What the browser could still open on its own (WebSockets, WebRTC, DNS
prefetch, preconnect) goes to a proxy that does not exist, or is refused by flags and routes.

One Chromium per process (per event loop), driven over its DevTools pipe (cdp.py: no driver process,
no debugging port), launched on first use, shared by every run (each render gets its own browser
context), closed after IDLE_SECONDS without a page to render and by `close_browser()` when the API or
worker stops; one that crashed is launched again by the next render. The interception each render
gets is in render_routes.py.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..cpu import RENDER_NICENESS
from ..errors import PipelineError
from .cdp import CDPError, Chromium
from .render_page import Browser, RenderError
from .render_routes import Router

if TYPE_CHECKING:
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
# A page's scripts are untrusted CPU work, like the pool's: the browser runs at the pool's priority, below
# the event loops (at the default priority a script-built page's render slowed another run's events).
BROWSER_NICENESS = RENDER_NICENESS
# Nothing listens on the discard port: whatever the browser would send past our interception goes nowhere.
DEAD_PROXY = "http://127.0.0.1:9"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-startup-window",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-field-trial-config",
    "--disable-breakpad",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-back-forward-cache",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-service-autorun",
    "--password-store=basic",
    "--use-mock-keychain",
    "--metrics-recording-only",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--dns-prefetch-disable",
    f"--proxy-server={DEAD_PROXY}",
    "--proxy-bypass-list=<-loopback>",  # loopback too goes to the dead proxy
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--js-flags=--max-old-space-size=256",  # a page's script gets a bounded heap (MB) per renderer
    # HttpsUpgrades would send an http:// page to https:// behind the site's back; the rest are
    # background work a renderer of untrusted pages does not need.
    "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,MediaRouter,OptimizationHints,"
    "PaintHolding,LensOverlay,NetworkTimeServiceQuerying,PreconnectToSearch,DestroyProfileOnBrowserClose",
    # The network service in the browser process instead of a utility process of its own (~16 MB less
    # unique memory): the browser reaches no network anyway, every request is answered by our routes.
    "--enable-features=NetworkServiceInProcess2",
]
CONCURRENT_RENDERS = 4
LAUNCH_RETRY_SECONDS = 60.0  # a Chromium that failed to launch is not tried again for every page
LAUNCH_SECONDS = 15.0
# Chromium holds ~220 MB PSS with four pages open (bench/render_bench.py --memory): it is closed after
# this long without a render and launched again (well under a second) by the next page that needs one.
IDLE_SECONDS = 60.0


class BrowserUnavailable(PipelineError):
    """No headless Chromium could be launched (not installed, or it failed to start)."""


def find_chromium(configured: str | None) -> str | None:
    """The Chromium to launch: the configured path, else the first of CHROMIUM_NAMES on PATH, else None."""
    if configured:
        return configured
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@dataclass
class _Process:
    """The browsers of one event loop."""

    loop: asyncio.AbstractEventLoop
    browsers: dict[str, Browser] = field(default_factory=dict)
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
        # A browser started on another (finished) loop cannot be driven from this one: it is ended here
        # (it would otherwise live on until this process exits and its pipe closes).
        for browser in _process.browsers.values() if _process else ():
            browser.chromium.kill()
        _process = _Process(loop)
    return _process


async def _browser(configured: str | None) -> Browser:
    proc = _current()
    path = find_chromium(configured)
    key = path or ""
    async with proc.lock:  # concurrent first renders share one launch
        browser = proc.browsers.pop(key, None)
        if browser is not None and browser.chromium.alive:
            proc.browsers[key] = browser
            return browser
        if browser is not None:  # crashed or killed: reap what is left, then launch a new one
            log.warning("headless Chromium had stopped (%s); launching it again", browser.chromium.connection.closed)
            await browser.chromium.close()
        failed = proc.failures.get(key)
        if failed and time.monotonic() - failed[0] < LAUNCH_RETRY_SECONDS:
            raise BrowserUnavailable(failed[1])
        try:
            browser = await _launch(path)
        except Exception as exc:
            where = path or "Chromium (none found on PATH)"
            message = (
                f"{where} did not start ({exc}); install chromium (e.g. apt-get install chromium-headless-shell) "
                "or set BRANDTRUTH_CHROMIUM_PATH"
            )
            proc.failures[key] = (time.monotonic(), message)
            raise BrowserUnavailable(message) from exc
        log.info("headless Chromium started (%s, pid %d)", path, browser.chromium.process.pid)
        proc.browsers[key] = browser
        return browser


async def _launch(path: str | None) -> Browser:
    if path is None:
        raise FileNotFoundError("no chromium executable")
    profile = tempfile.mkdtemp(prefix="brandtruth-chromium-")
    try:
        chromium = await Chromium.launch(path, CHROMIUM_ARGS, profile, BROWSER_NICENESS)
    except BaseException:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    browser = Browser(chromium)
    chromium.connection.on_close = browser.closed  # its renders fail at once when its pipe closes
    chromium.connection.listeners[""] = browser.event
    try:
        async with asyncio.timeout(LAUNCH_SECONDS):
            # Every target (a render's page, its popups) is attached paused: it runs once intercepted.
            await chromium.connection.send(
                "Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}
            )
    except (CDPError, TimeoutError) as exc:
        await chromium.close(grace=0.5)
        why = chromium.last_error() if isinstance(exc, CDPError) else f"no answer in {LAUNCH_SECONDS:g} s"
        raise RuntimeError(why) from exc
    return browser


async def close_browser() -> None:
    """Close this process's Chromium, if it was started on this loop, and wait until it has exited."""
    global _process
    proc, _process = _process, None
    if proc is None or proc.loop is not asyncio.get_running_loop():
        return
    if proc.idle_timer is not None:
        proc.idle_timer.cancel()
    await _stop(proc)


async def _stop(proc: _Process) -> None:
    browsers, proc.browsers = list(proc.browsers.values()), {}
    for browser in browsers:
        await browser.chromium.close()


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
    router = Router(url, html, fetcher, asyncio.get_running_loop().time() + policy.render_timeout_seconds + 1)
    async with proc.slots:
        try:
            content, unfinished = await browser.render(router, policy)
        except CDPError as exc:
            raise RenderError(f"{url} could not be rendered: {exc}") from exc
    if len(content.encode()) > policy.max_page_bytes:  # characters are not bytes: the cap holds in bytes too
        raise RenderError(f"{url} rendered to more than {policy.max_page_bytes:,} bytes")
    return Rendered(content, router.refused, unfinished)


__all__ = ["BrowserUnavailable", "RenderError", "Rendered", "close_browser", "find_chromium", "render_page"]
