"""Pages built by JavaScript: rendered in the real headless Chromium (Debian's, never a download),
every request the browser makes answered through the fetcher's guard, and a clear warning whenever
a page that needs JavaScript could not be rendered."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import lxml.html
import psutil
import pytest

from brandtruth.config import Settings
from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.errors import DnsError, ExtractionError
from brandtruth.pipeline.extract import extract_brand
from brandtruth.pipeline.extract.page import parse_page
from brandtruth.pipeline.extract.render import needs_rendering
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy, cdp, render_routes
from brandtruth.pipeline.fetch import browser as chromium
from brandtruth.pipeline.models import BrandProfile, ExtractInput
from brandtruth.steps import fetch_policy
from tests.support.sites import SITES_DIR, TEST_SITES_DIR, SiteServer, serve_sites

LANTERN = "_probes/js-lantern/"
JS_FACTS = [
    "more than 18,000 second-hand books",  # home.json, fetched by app.js
    "Lantern Books opened in 2011",  # about.json, on the second page
]


@pytest.fixture(scope="module")
def sites() -> Iterator[SiteServer]:
    with serve_sites() as server:
        yield server


@pytest.fixture(scope="module", autouse=True)
async def one_browser_for_the_module() -> AsyncIterator[None]:
    yield
    await chromium.close_browser()


async def extract(url: str, tmp_path: Path, **policy: object) -> BrandProfile:
    store = LocalArtifactStore(tmp_path / "artifacts")
    async with Fetcher(FetchPolicy(allow_loopback=True, **policy)) as fetcher:  # type: ignore[arg-type]
        return await extract_brand(ExtractInput(run_id="run-js", url=url, max_pages=3), fetcher, store)


def evidence(brand: BrandProfile) -> str:
    return " | ".join(f.evidence for f in brand.facts)


async def test_page_built_from_json_by_script_is_rendered_and_read(sites: SiteServer, tmp_path: Path) -> None:
    brand = await extract(sites.url(LANTERN), tmp_path)
    for fact in JS_FACTS:
        assert fact in evidence(brand), brand.facts
    assert not [w for w in brand.warnings if "JavaScript" in w], brand.warnings
    assert sites.count("/_probes/js-lantern/home.json") >= 1 and sites.count("/_probes/js-lantern/about.json") >= 1


async def test_without_chromium_the_run_says_so_and_reads_the_static_html(sites: SiteServer, tmp_path: Path) -> None:
    brand = await extract(sites.url(LANTERN), tmp_path, chromium_path=str(tmp_path / "no-such-chromium"))
    missing = [w for w in brand.warnings if "no headless Chromium is available" in w]
    assert any(w.startswith(sites.url(LANTERN) + " needs JavaScript to show its content") for w in missing), brand.warnings
    assert any("install chromium" in w for w in missing)
    assert all(fact not in evidence(brand) for fact in JS_FACTS)


async def test_a_script_only_page_without_chromium_fails_saying_why(sites: SiteServer, tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="no headless Chromium is available: .*install chromium"):
        await extract(sites.url("_adv/js-shell/"), tmp_path, chromium_path=str(tmp_path / "no-such-chromium"))


async def test_rendering_can_be_turned_off_and_the_run_says_so(sites: SiteServer, tmp_path: Path) -> None:
    before = sites.count("/_probes/js-lantern/home.json")
    brand = await extract(sites.url(LANTERN), tmp_path, render_javascript=False)
    assert any("rendering is off" in w and sites.url(LANTERN) in w for w in brand.warnings), brand.warnings
    assert sites.count("/_probes/js-lantern/home.json") == before  # no browser ran its script


async def test_at_most_n_pages_are_rendered_per_run_and_the_rest_are_named(sites: SiteServer, tmp_path: Path) -> None:
    brand = await extract(sites.url(LANTERN), tmp_path, render_max_pages=1)
    capped = [w for w in brand.warnings if "only 1 pages are rendered per run" in w]
    assert len(capped) == 1 and "about.html" in capped[0], brand.warnings
    assert JS_FACTS[0] in evidence(brand)  # the start page was the one rendered


def test_static_fixture_pages_are_never_rendered_and_script_built_ones_are() -> None:
    # Rendering costs a second or more: a page whose HTML already carries its content must not pay it.
    # The sites labelled js_rendered name their script-built pages in expected.json.
    seen = 0
    for site in (p for p in SITES_DIR.iterdir() if (p / "expected.json").is_file()):
        expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
        script_built = set(expected.get("js_pages", {})) if expected.get("js_rendered") else set()
        for path in site.rglob("*.html"):
            html = path.read_text(encoding="utf-8", errors="replace")
            name = str(path.relative_to(site))
            assert needs_rendering(html, parse_page(html, "http://x/")) == (name in script_built), f"{site.name}/{name}"
            seen += 1
    assert seen > 20


def test_thin_script_pages_need_rendering() -> None:
    for name in ("index.html", "about.html"):
        html = (TEST_SITES_DIR / LANTERN / name).read_text(encoding="utf-8")
        assert needs_rendering(html, parse_page(html, "http://x/")), name
    no_script = "<html><body><div id='app'></div><p>Short.</p></body></html>"
    assert not needs_rendering(no_script, parse_page(no_script, "http://x/"))  # nothing to run: nothing to gain


# ----------------------------------------------------------------------------- the browser behind the guard

PUBLIC_IP = "93.184.216.34"


class ToLoopback(httpx.AsyncBaseTransport):
    """Plays the fixture server as a public site: connections to PUBLIC_IP go to 127.0.0.1 over real HTTP."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.hosts: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        assert request.url.host == PUBLIC_IP, f"the fetcher connected to {request.url.host}"
        request.url = request.url.copy_with(host="127.0.0.1")
        return await self.inner.handle_async_request(request)


async def public_brand(host: str, port: int) -> list[str]:
    if host == "brand.test":
        return [PUBLIC_IP]
    raise DnsError(f"could not resolve '{host}'")


async def test_every_browser_request_goes_through_the_ssrf_guard(sites: SiteServer) -> None:
    # Loopback is NOT allowed here, and the fixture server really listens on 127.0.0.1: if the browser
    # fetched anything itself, the secret would be read and the server would count the hit.
    transport = ToLoopback()
    url = f"http://brand.test:{sites.server_address[1]}/_probes/js-ssrf/"
    async with Fetcher(FetchPolicy(resolver=public_brand), transport=transport) as fetcher:
        page = await fetcher.get_page(url)
        result = await chromium.render_page(page.url, page.text, fetcher)
    outcomes = {p.get("id"): p.text_content() for p in lxml.html.fromstring(result.html).iter("p")}
    assert outcomes["probe-own"].startswith("probe own: reached"), outcomes  # the page's own data still loads
    assert json.loads((TEST_SITES_DIR / "_probes/js-ssrf/data.json").read_text())["message"][:20] in outcomes["probe-own"]
    for name in (
        "loopback",
        "localhost",
        "metadata",
        "private",
        "sitelocal",
        "redirect-private",
        "redirect-metadata",
        "file",
        "robots",
    ):
        assert outcomes[f"probe-{name}"] == f"probe {name}: blocked", outcomes
    assert "probe-websocket" not in outcomes
    assert sites.count("/_probes/js-ssrf/secret.json") == 0
    assert sites.count("/_adv/no-robots/data.json") == 0  # robots.txt keeps the rendering browser out too
    assert sites.count("/_probes/js-ssrf/socket") == 0
    assert set(transport.hosts) == {PUBLIC_IP}
    refused = " ".join(result.refused)
    for target in ("127.0.0.1", "localhost", "169.254.169.254", "10.0.0.1", "fec0::1"):
        assert target in refused, result.refused


def chromium_processes(besides: frozenset[int] = frozenset()) -> list[psutil.Process]:
    """Chromium processes of this test process, leaving out `besides` (pids of browsers other tests in
    this session keep open, such as the reviewer-page tests' Playwright browser)."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "chrom" in proc.name().lower() and proc.pid not in besides:
                found.append(proc)
        except psutil.NoSuchProcess:
            pass  # one still exiting from an earlier test's close
    return found


async def test_one_browser_is_shared_and_closing_it_leaves_no_process(sites: SiteServer) -> None:
    await chromium.close_browser()
    others = frozenset(p.pid for p in chromium_processes())
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url(LANTERN))
        first = await chromium.render_page(page.url, page.text, fetcher)
        launched = await chromium._browser(None)
        await chromium.render_page(page.url, page.text, fetcher)
        assert await chromium._browser(None) is launched
    assert "18,000" in first.html
    browsers = chromium_processes(others)
    assert browsers
    await chromium.close_browser()
    _gone, alive = psutil.wait_procs(browsers, timeout=10)
    assert alive == []


def _read(proc: psutil.Process, what: Callable[[psutil.Process], str]) -> str:
    """A process's detail, or "" for one exiting meanwhile (an earlier test's browser, a zombie)."""
    try:
        return what(proc)
    except psutil.Error:
        return ""


async def test_the_browser_runs_on_a_pipe_with_no_driver_process_and_no_port(sites: SiteServer) -> None:
    """Memory (issue 12: a worker with Chromium up reached 618-694 MB PSS): no Node.js driver (Playwright's
    held ~110 MB) and no utility process of its own for the network service. The DevTools protocol runs
    over a pipe only this process holds: no debugging port any local program could drive the browser by."""
    await chromium.close_browser()
    others = frozenset(p.pid for p in chromium_processes())
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url(LANTERN))
        await chromium.render_page(page.url, page.text, fetcher)
        browsers = chromium_processes(others)
        command_lines = [c for p in browsers if (c := _read(p, lambda q: " ".join(q.cmdline())))]
        listening = [c for p in browsers for c in _connections(p) if c.status == psutil.CONN_LISTEN]
        names = [_read(p, psutil.Process.name) for p in psutil.Process().children(recursive=True)]
    await chromium.close_browser()
    assert command_lines and not [c for c in command_lines if "--utility-sub-type=network.mojom.NetworkService" in c]
    launched = [c for c in command_lines if "--type=" not in c]  # the browser process (and Debian's launcher script)
    assert launched and all("--remote-debugging-pipe" in c.split() for c in launched), launched
    assert not [c for c in command_lines if "--remote-debugging-port" in c]
    assert listening == []
    assert not [n for n in names if n.startswith("node")], names


async def test_the_browser_and_its_processes_run_below_the_event_loops(sites: SiteServer) -> None:
    """A page's scripts are untrusted CPU work: the browser, every process it starts and every thread of
    them run at the pool's lower priority, so a script-built page does not slow another run's events
    (issue 12). Run as root, Chromium raised its browser and GPU processes to -8 until it lost CAP_SYS_NICE."""
    await chromium.close_browser()
    others = frozenset(p.pid for p in chromium_processes())
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url(LANTERN))
        await chromium.render_page(page.url, page.text, fetcher)
        niceness = {}
        for proc in chromium_processes(others):
            with contextlib.suppress(psutil.Error):  # a process or thread ending meanwhile
                for thread in proc.threads():
                    niceness[(proc.pid, thread.id)] = psutil.Process(thread.id).nice()
    await chromium.close_browser()
    assert len({pid for pid, _ in niceness}) >= 3, niceness  # the browser, a zygote, a renderer...
    assert set(niceness.values()) == {os.nice(0) + chromium.BROWSER_NICENESS}, niceness


def _connections(proc: psutil.Process) -> list[psutil._common.pconn]:
    try:
        return proc.net_connections("inet")
    except psutil.Error:
        return []  # exiting meanwhile


def _browser_process(browsers: list[psutil.Process]) -> psutil.Process:
    """Chromium's browser process: the one without a --type (Debian's launcher is a shell script)."""
    main = [p for p in browsers if Path(_read(p, psutil.Process.exe)).name.startswith("chrom") and "--type=" not in _cmd(p)]
    assert len(main) == 1, [_cmd(p) for p in browsers]
    return main[0]


def _cmd(proc: psutil.Process) -> str:
    return _read(proc, lambda q: " ".join(q.cmdline()))


async def test_a_crashed_browser_fails_its_render_and_the_next_render_launches_a_new_one() -> None:
    await chromium.close_browser()
    others = frozenset(p.pid for p in chromium_processes())
    with serve_sites() as own:  # its own server: its held answer is released by nobody else
        async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
            slow = await fetcher.get_page(own.url("_probes/js-slow/"))
            render = asyncio.create_task(chromium.render_page(slow.url, slow.text, fetcher))
            # The render is under way once the page asked for its held data (in a thread: the loop runs the render).
            # The browser launches cold first: the wait allows for its launch bound as well as the render's.
            bound = chromium.LAUNCH_SECONDS + fetcher.policy.render_timeout_seconds
            assert await asyncio.to_thread(own.wait_for_hit, "/_slow/30/_probes/js-lantern/about.json", bound)
            crashed = _browser_process(chromium_processes(others))
            crashed.kill()
            with pytest.raises(chromium.RenderError, match="crashed or was stopped"):
                await render
            page = await fetcher.get_page(own.url(LANTERN))
            again = await chromium.render_page(page.url, page.text, fetcher)
            relaunched = _browser_process(chromium_processes(others | {crashed.pid}))
        own.release()
    await chromium.close_browser()
    assert "18,000" in again.html
    assert relaunched.pid != crashed.pid


def test_an_oversized_devtools_message_is_dropped_as_it_arrives_and_the_next_one_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cdp, "MAX_MESSAGE_BYTES", 1000)
    connection = cdp.Connection()
    events: list[str] = []
    connection.listeners[""] = lambda method, params: events.append(method)
    big = json.dumps({"method": "Page.big", "params": {"text": "x" * 50_000}}).encode() + b"\0"
    for start in range(0, len(big), 700):  # as the pipe hands it over, in pieces
        connection.data_received(big[start : start + 700])
        assert len(connection._buffer) <= 1000
    connection.data_received(b'{"method": "Page.small", "params": {}}\0{"method": "Page.next", "params": {}}\0')
    assert events == ["Page.small", "Page.next"]


async def test_a_page_whose_content_passes_the_message_limit_is_refused_and_the_browser_carries_on(
    sites: SiteServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rendered page is read in one DevTools message: one over the limit fails that render only."""
    monkeypatch.setattr(cdp, "MAX_MESSAGE_BYTES", 100_000)
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        big = await fetcher.get_page(sites.url("_probes/js-big/"))
        with pytest.raises(chromium.RenderError, match="larger than 100,000 bytes"):
            await chromium.render_page(big.url, big.text, fetcher)
        page = await fetcher.get_page(sites.url(LANTERN))
        after = await chromium.render_page(page.url, page.text, fetcher)
    assert "18,000" in after.html


async def test_requests_of_workers_iframes_and_popups_go_through_the_guard_and_service_workers_never_register(
    sites: SiteServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker's and a popup's requests start only once their targets are attached and set up (a round trip
    # through this process each), while nothing is in flight: a network quiet for 0.5 s could end the render
    # first on a busy machine. Nothing here depends on the quiet window's length.
    monkeypatch.setattr(render_routes, "QUIET_SECONDS", 2.0)
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url("_probes/js-worker/"))
        result = await chromium.render_page(page.url, page.text, fetcher)
    outcomes = {p.get("id"): p.text_content() for p in lxml.html.fromstring(result.html).iter("p")}
    assert outcomes["probe-worker"] == "probe worker: blocked" and outcomes["probe-frame"] == "probe frame: blocked"
    assert outcomes["probe-sw"] == "probe sw: blocked", outcomes  # registration refused, nothing fetched
    assert sites.count("/_probes/js-worker/sw.js") == 0
    refused = " ".join(result.refused)
    for target in ("10.0.0.1/worker", "10.0.0.2/frame", "10.0.0.3/popup"):  # each judged by the guard, not lost
        assert target in refused, result.refused


def test_the_headless_shell_is_preferred_to_the_desktop_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory (issue 12): the headless shell holds ~115 MB less than the desktop build with a page open."""
    for name in ("chromium", "chromium-headless-shell"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium.find_chromium(None) == str(tmp_path / "chromium-headless-shell")
    assert chromium.find_chromium("/opt/my-chrome") == "/opt/my-chrome"  # a configured path always wins
    (tmp_path / "chromium-headless-shell").unlink()
    assert chromium.find_chromium(None) == str(tmp_path / "chromium")


async def test_the_headless_shell_is_what_renders_here(sites: SiteServer) -> None:
    """CI installs Debian's chromium-headless-shell (.ci/run): the renders in this suite run on it."""
    await chromium.close_browser()
    others = frozenset(p.pid for p in chromium_processes())
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url(LANTERN))
        await chromium.render_page(page.url, page.text, fetcher)
        executables = {_read(p, psutil.Process.exe) for p in chromium_processes(others)}
    await chromium.close_browser()
    browsers = {exe for exe in executables if "chrom" in Path(exe).name}  # not Debian's /bin/sh wrapper
    assert browsers and all(Path(exe).name == "chromium-headless-shell" for exe in browsers), executables


async def test_a_page_still_loading_at_the_deadline_is_read_as_it_stands(tmp_path: Path) -> None:
    with serve_sites() as own:  # its own server: releasing the module's would let every later hold go at once
        try:
            # 4 s: the first render of a browser just launched, and home.json, fit in it on a busy machine.
            brand = await extract(own.url("_probes/js-slow/"), tmp_path, render_timeout_seconds=4)
        finally:
            own.release()  # the slow answer is never needed: let the server's handler go
    assert JS_FACTS[0] in evidence(brand)  # what arrived before the deadline was read
    assert JS_FACTS[1] not in evidence(brand)
    assert any("was still loading after 4 s" in w for w in brand.warnings), brand.warnings


async def test_links_built_by_script_are_followed(sites: SiteServer, tmp_path: Path) -> None:
    brand = await extract(sites.url("_probes/js-spa/"), tmp_path)
    assert sites.url("_probes/js-spa/story.html") in brand.pages
    assert "more than 9,000 pieces" in evidence(brand)


async def test_an_idle_chromium_is_closed_and_launched_again_when_needed(
    sites: SiteServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    await chromium.close_browser()
    others = frozenset(p.pid for p in chromium_processes())
    monkeypatch.setattr(chromium, "IDLE_SECONDS", 0.2)
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url(LANTERN))
        await chromium.render_page(page.url, page.text, fetcher)
        browsers = chromium_processes(others)
        assert browsers
        # In a thread: the loop must stay free to run the idle timer. Returns as soon as they exit.
        _gone, alive = await asyncio.to_thread(psutil.wait_procs, browsers, timeout=15)
        assert alive == []
        again = await chromium.render_page(page.url, page.text, fetcher)
    assert "18,000" in again.html


def test_render_settings_reach_the_fetch_policy() -> None:
    assert fetch_policy(Settings(_env_file=None)).render_javascript  # type: ignore[call-arg]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        BRANDTRUTH_RENDER_JAVASCRIPT="false",
        BRANDTRUTH_RENDER_MAX_PAGES="2",
        BRANDTRUTH_RENDER_TIMEOUT_SECONDS="5",
        BRANDTRUTH_CHROMIUM_PATH="/opt/chromium/chrome",
    )
    policy = fetch_policy(settings)
    assert (policy.render_javascript, policy.render_max_pages, policy.render_timeout_seconds, policy.chromium_path) == (
        False,
        2,
        5.0,
        "/opt/chromium/chrome",
    )


async def test_a_page_its_script_grows_past_the_page_cap_is_refused_not_carried_over(sites: SiteServer, tmp_path: Path) -> None:
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url("_probes/js-bloat/"))
        with pytest.raises(chromium.RenderError, match="rendered to more than 3,000,000 characters"):
            await chromium.render_page(page.url, page.text, fetcher)


async def test_a_page_that_lies_about_its_size_is_still_measured_and_refused(sites: SiteServer) -> None:
    """The size was measured by a script in the page's own world, where the page can redefine outerHTML."""
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url("_probes/js-liar/"))
        with pytest.raises(chromium.RenderError, match="rendered to more than 3,000,000 characters"):
            await chromium.render_page(page.url, page.text, fetcher)


async def test_a_script_bouncing_the_page_from_address_to_address_is_stopped(sites: SiteServer) -> None:
    """Each page a script navigates to is a fetch the byte cap did not count: at most a few per render."""
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url("_probes/js-bounce/"))
        before = sites.count("_probes/js-bounce/")
        result = await chromium.render_page(page.url, page.text, fetcher)
    assert sites.count("_probes/js-bounce/") - before <= render_routes.MAX_NAVIGATIONS
    assert "Bounce Works" in result.html


async def test_a_script_sending_the_page_to_a_private_address_is_refused(sites: SiteServer) -> None:
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sites.url("_probes/js-nav/"))
        result = await chromium.render_page(page.url, page.text, fetcher)
    assert any(r.startswith("http://10.0.0.1/admin: refusing to fetch") for r in result.refused), result.refused
    assert "14 times a day" in result.html  # the page stayed where it was
    assert not result.unfinished


async def test_a_page_whose_script_exhausts_its_heap_fails_alone_and_the_browser_renders_the_next() -> None:
    """The renderer's heap is bounded (--js-flags=--max-old-space-size): the page's renderer runs out of it and
    dies, or is still collecting garbage at the deadline; either way that render fails, not the browser.
    The page keeps a request in flight, so the render cannot find the network quiet and stop the script
    first (that race, lost on a cold machine, read the page whole instead). On a server of its own: a
    shared one's held answers are let go for good by the first test that releases them."""
    with serve_sites() as own:
        async with Fetcher(FetchPolicy(allow_loopback=True, render_timeout_seconds=3)) as fetcher:
            hog = await fetcher.get_page(own.url("_probes/js-oom/"))
            with pytest.raises(chromium.RenderError, match="renderer crashed|did not finish rendering within 3 s"):
                await chromium.render_page(hog.url, hog.text, fetcher)
            browsers = _browser_pids()
            page = await fetcher.get_page(own.url(LANTERN))
            after = await chromium.render_page(page.url, page.text, fetcher)
            assert browsers and _browser_pids() == browsers  # no browser died, none was launched
        own.release()
    assert "18,000" in after.html


def _browser_pids() -> set[int]:
    return {
        p.pid
        for p in chromium_processes()
        if Path(_read(p, psutil.Process.exe)).name.startswith("chrom") and "--type=" not in _cmd(p)
    }


async def test_a_page_whose_script_never_yields_is_still_read(sites: SiteServer) -> None:
    """The page's scripts are stopped before it is read: a busy loop kept page.content() from ever answering."""
    async with Fetcher(FetchPolicy(allow_loopback=True, render_timeout_seconds=3)) as fetcher:
        page = await fetcher.get_page(sites.url("_probes/js-busy/"))
        result = await chromium.render_page(page.url, page.text, fetcher)
    assert "40 kilos of beans" in result.html


LEFT_OPEN = """
import asyncio, sys
from brandtruth.pipeline import cpu
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.fetch.browser import render_page

async def main():
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        page = await fetcher.get_page(sys.argv[1])
        print(len((await render_page(page.url, page.text, fetcher)).html))

cpu.configure(0)
asyncio.run(main())  # and exits without close_browser()
"""


def test_a_browser_left_open_ends_when_its_process_exits_and_leaves_no_profile(sites: SiteServer, tmp_path: Path) -> None:
    """The browser reads its pipe until this process's end closes it, then exits; its profile goes with it."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # where the profile is made
    done = subprocess.run(
        [sys.executable, "-c", LEFT_OPEN, sites.url(LANTERN)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and int(done.stdout) > 0, done.stderr
    left = [p for p in psutil.process_iter() if str(tmp_path) in _cmd(p)]  # the browser and its launcher, if still exiting
    _gone, alive = psutil.wait_procs(left, timeout=15)
    assert alive == []
    assert list(tmp_path.iterdir()) == []


async def test_the_page_sees_the_fetchers_user_agent_and_a_1280_by_900_viewport(sites: SiteServer) -> None:
    async with Fetcher(FetchPolicy(allow_loopback=True, user_agent="BrandTruthTest/1.0")) as fetcher:
        page = await fetcher.get_page(sites.url("_probes/js-env/"))
        result = await chromium.render_page(page.url, page.text, fetcher)
    seen = {p.get("id"): p.text_content() for p in lxml.html.fromstring(result.html).iter("p")}
    assert (seen["env-agent"], seen["env-viewport"]) == ("BrandTruthTest/1.0", "1280x900")
