"""What a rendering browser may load: every request it makes is answered through the run's Fetcher
(the SSRF guard on every hop, pinned addresses, size caps) or refused; nothing reaches the network
on the browser's own.

`Router` decides; `Interception` holds one render's browser context to it over CDP: every target of
the context (the page, popups, out-of-process iframes, workers) is attached paused, gets
`Fetch.enable` for every URL at the Request stage, and only then runs; a target whose interception
could not be set up never runs (a service worker is never let run). It also counts the requests in
flight, for the render's "network quiet" wait.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import BlockedAddressError, FetchError
from .cdp import CDPError, Connection

if TYPE_CHECKING:
    from .client import Fetcher

log = logging.getLogger(__name__)

# Content is built from documents, scripts and the data they fetch; pictures, fonts and styles are
# not needed to read it (and images are fetched later by the extract step with its own checks).
LOADED_TYPES = frozenset({"document", "script", "xhr", "fetch"})
MAX_REQUESTS = 60
MAX_TOTAL_BYTES = 12_000_000
MAX_NAVIGATIONS = 3  # times a script may send the page to another address within one render
QUIET_SECONDS = 0.5  # the network is quiet after this long without a request in flight (Playwright's networkidle)
VIEWPORT = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
# Registration refused in every document before its own scripts run, as Playwright's serviceWorkers="block".
NO_SERVICE_WORKERS = "if (self.ServiceWorkerContainer) ServiceWorkerContainer.prototype.register = async () => {};"


@dataclass
class Request:
    url: str
    method: str
    resource_type: str  # lower case: document, script, xhr, fetch, image...
    navigation: bool  # a document for a frame
    top_level: bool  # ...and that frame is a page's own, not an iframe's


@dataclass
class Reply:
    status: int
    content_type: str = ""
    body: bytes = b""


class Router:
    """Answers every request of one render: the start document from the HTML already fetched, the
    rest through the Fetcher (guarded and capped), or not at all (None)."""

    def __init__(self, url: str, html: str, fetcher: Fetcher, deadline: float):
        self.url, self.html, self.fetcher = url, html, fetcher
        self.deadline = deadline  # loop time: a sub-request still fetching then is given up, not left running
        self.requests = 0
        self.bytes = 0
        self.navigations = 0
        self.refused: list[str] = []

    async def handle(self, request: Request) -> Reply | None:
        if request.url.split("#")[0] == self.url.split("#")[0] and request.navigation:
            return Reply(200, "text/html; charset=utf-8", self.html.encode())
        try:
            async with asyncio.timeout_at(self.deadline):
                reply = await self._fetch(request)
        except Exception as exc:  # one failed or overdue sub-request must never end the render
            log.debug("render of %s: %s: %s", self.url, request.url, exc)
            reply = None
        if reply is None and request.navigation and request.top_level:
            # A script sending the page somewhere refused: "204 No Content" leaves it where it was
            # (an aborted navigation would replace it with Chromium's error page).
            return Reply(204)
        return reply

    async def _fetch(self, request: Request) -> Reply | None:
        if request.resource_type not in LOADED_TYPES or request.method != "GET":
            return None
        if not request.url.startswith(("http://", "https://")):
            return None
        if request.navigation and not request.top_level:
            return None  # iframes: their content is not this page's text
        self.requests += 1
        if self.requests > MAX_REQUESTS or self.bytes >= MAX_TOTAL_BYTES:
            return None
        cap = min(self.fetcher.policy.max_page_bytes, MAX_TOTAL_BYTES - self.bytes)
        try:
            if request.navigation:  # the script sent the page elsewhere: a page fetch, robots included
                self.navigations += 1
                if self.navigations > MAX_NAVIGATIONS:
                    return None  # a script bouncing the page from address to address
                page = await self.fetcher.get_page(request.url)
                body = page.text.encode()
                if len(body) > cap:
                    return None
                self.bytes += len(body)  # a page it navigates to counts against the render's bytes too
                return Reply(page.status, "text/html; charset=utf-8", body)
            res = await self.fetcher.get_resource(request.url, max_bytes=cap)
        except BlockedAddressError as exc:
            self.refused.append(f"{request.url}: {exc.message}")
            return None
        except FetchError:
            return None
        self.bytes += len(res.body)
        return Reply(res.status, res.content_type or "application/octet-stream", res.body)


class Interception:
    """One render's browser context, held to its Router."""

    def __init__(self, connection: Connection, router: Router, user_agent: str):
        self.connection, self.router, self.user_agent = connection, router, user_agent
        self.inflight = 0
        self.changed = asyncio.Event()  # a request started or finished, or the render broke
        self.broken: str | None = None
        self.pages: dict[str, asyncio.Future[str]] = {}  # page target id -> its session, once it may run
        self.main = ""  # the render's own page (the others are popups)
        self.loaders: set[str] = set()  # the documents committed in its main frame, by loader id
        self.sessions: list[str] = []
        self.tasks: set[asyncio.Task[None]] = set()

    def page(self, target: str, *, main: bool = False) -> asyncio.Future[str]:
        if main:
            self.main = target
        return self.pages.setdefault(target, asyncio.get_running_loop().create_future())

    def attached(self, params: dict[str, Any]) -> None:
        """Target.attachedToTarget for a target of this context (it waits for us before it runs)."""
        session, info = params["sessionId"], params["targetInfo"]
        self.sessions.append(session)
        self.connection.listeners[session] = lambda method, event: self._event(session, info, method, event)
        self._spawn(self._prepare(session, info))

    async def _prepare(self, session: str, info: dict[str, Any]) -> None:
        kind = info.get("type", "")
        if kind == "service_worker":
            return  # blocked: it stays paused until the context is disposed

        def send(method: str, params: dict[str, Any] | None = None) -> Any:
            return self.connection.send(method, params, session)

        # A dedicated worker has no Fetch domain of its own: its requests are paused by its page's (tested).
        intercept = {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]}
        steps = [] if kind == "worker" else [send("Fetch.enable", intercept)]
        if kind in ("page", "iframe"):
            steps.append(send("Page.enable"))  # addScriptToEvaluateOnNewDocument is not applied without it
            steps.append(send("Page.addScriptToEvaluateOnNewDocument", {"source": NO_SERVICE_WORKERS}))
            steps.append(send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}))
        if kind == "page":
            steps.append(send("Emulation.setUserAgentOverride", {"userAgent": self.user_agent}))
            steps.append(send("Emulation.setDeviceMetricsOverride", VIEWPORT))
            steps.append(send("Inspector.enable"))  # for Inspector.targetCrashed
        try:
            await asyncio.gather(*steps)
            await send("Runtime.runIfWaitingForDebugger")
        except CDPError as exc:  # not intercepted: it must not run (the context's disposal ends it)
            log.debug("render of %s: target %s (%s) not set up: %s", self.router.url, info.get("targetId"), kind, exc)
            return
        if kind == "page":
            waiting = self.page(info["targetId"])
            if not waiting.done():
                waiting.set_result(session)

    def _event(self, session: str, info: dict[str, Any], method: str, params: dict[str, Any]) -> None:
        if method == "Fetch.requestPaused":
            self.inflight += 1
            self.changed.set()
            self._spawn(self._answer(session, info, params))
        elif method == "Target.attachedToTarget":  # an iframe's or a worker's own target
            self.attached(params)
        elif method == "Page.frameNavigated" and info.get("targetId") == self.main and "parentId" not in params["frame"]:
            self.loaders.add(params["frame"].get("loaderId", ""))
            self.changed.set()
        elif method == "Inspector.targetCrashed" and info.get("targetId") == self.main:
            self.fail("the page's renderer crashed")

    async def _answer(self, session: str, info: dict[str, Any], params: dict[str, Any]) -> None:
        raw = params["request"]
        kind = params.get("resourceType", "").lower()
        navigation = kind == "document"
        # A page target's id is its main frame's id: that frame's documents are top-level navigations.
        top_level = navigation and info.get("type") == "page" and params.get("frameId") == info.get("targetId")
        headers = {k.lower(): v for k, v in raw.get("headers", {}).items()}
        answer: dict[str, Any] = {"requestId": params["requestId"]}
        try:
            if kind == "preflight" or (raw["method"] == "OPTIONS" and "access-control-request-method" in headers):
                # A CORS preflight is answered here, never sent anywhere (as Playwright did with routes on).
                reply: Reply | None = Reply(204)
                cors = _cors(headers, raw["url"], preflight=True)
            else:
                reply = await self.router.handle(Request(raw["url"], raw["method"], kind, navigation, top_level))
                cors = _cors(headers, raw["url"], preflight=False)
            if reply is None:
                await self.connection.send("Fetch.failRequest", {**answer, "errorReason": "BlockedByClient"}, session)
                return
            sent = [{"name": "Content-Type", "value": reply.content_type}] if reply.content_type else []
            answer |= {"responseCode": reply.status, "responseHeaders": sent + cors}
            await self.connection.send("Fetch.fulfillRequest", answer | {"body": base64.b64encode(reply.body).decode()}, session)
        except CDPError as exc:  # the page or context closed meanwhile (render deadline)
            log.debug("render of %s: request %s already closed: %s", self.router.url, raw.get("url"), exc)
        finally:
            self.inflight -= 1
            self.changed.set()

    async def committed(self, loader: str) -> None:
        """Returns once the main frame has committed the document of `loader`; raises CDPError if the render broke."""
        while loader not in self.loaders:
            self.changed.clear()
            if self.broken:
                raise CDPError(self.broken)
            await self.changed.wait()

    async def quiet(self) -> None:
        """Returns once no request has been in flight for QUIET_SECONDS; raises CDPError if the render broke."""
        while True:
            self.changed.clear()
            if self.broken:
                raise CDPError(self.broken)
            try:
                async with asyncio.timeout(None if self.inflight else QUIET_SECONDS):
                    await self.changed.wait()
            except TimeoutError:
                return

    def fail(self, why: str) -> None:
        self.broken = self.broken or why
        self.changed.set()
        for waiting in self.pages.values():
            if not waiting.done():
                waiting.set_exception(CDPError(why))

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def close(self) -> None:
        for session in self.sessions:
            self.connection.listeners.pop(session, None)
        for task in list(self.tasks):
            task.cancel()
        for waiting in self.pages.values():
            if not waiting.done():
                waiting.cancel()
            elif not waiting.cancelled():
                waiting.exception()  # retrieved: no "never retrieved" warning for a failed one


def _cors(headers: dict[str, str], url: str, *, preflight: bool) -> list[dict[str, str]]:
    """Lets the page read a cross-origin answer it was given (Playwright added these to fulfilled routes)."""
    origin = headers.get("origin", "").strip()
    target = urlsplit(url)
    if not origin or (not preflight and origin == f"{target.scheme}://{target.netloc}"):
        return []
    allowed = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin")]
    if preflight:
        allowed.append(("Access-Control-Allow-Methods", headers.get("access-control-request-method", "GET")))
        if "access-control-request-headers" in headers:
            allowed.append(("Access-Control-Allow-Headers", headers["access-control-request-headers"]))
    return [{"name": name, "value": value} for name, value in allowed]
