"""What a rendering browser may load: every request it makes is answered through the run's Fetcher
(the SSRF guard on every hop, pinned addresses, size caps) or refused; nothing reaches the network
on the browser's own."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from ..errors import BlockedAddressError, FetchError

if TYPE_CHECKING:
    from .client import Fetcher

log = logging.getLogger(__name__)

# Content is built from documents, scripts and the data they fetch; pictures, fonts and styles are
# not needed to read it (and images are fetched later by the extract step with its own checks).
LOADED_TYPES = frozenset({"document", "script", "xhr", "fetch"})
MAX_REQUESTS = 60
MAX_TOTAL_BYTES = 12_000_000
MAX_NAVIGATIONS = 3  # times a script may send the page to another address within one render


class Router:
    """Answers every request of one render: the start document from the HTML already fetched, the
    rest through the Fetcher (guarded and capped), or not at all."""

    def __init__(self, url: str, html: str, fetcher: Fetcher, deadline: float):
        self.url, self.html, self.fetcher = url, html, fetcher
        self.deadline = deadline  # loop time: a sub-request still fetching then is given up, not left running
        self.requests = 0
        self.bytes = 0
        self.navigations = 0
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
            if body is None and request.is_navigation_request() and request.frame.parent_frame is None:
                # A script sending the page somewhere refused: "204 No Content" leaves it where it was
                # (an aborted navigation would replace it with Chromium's error page).
                await route.fulfill(status=204)
            elif body is None:
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
                self.navigations += 1
                if self.navigations > MAX_NAVIGATIONS:
                    return None  # a script bouncing the page from address to address
                page = await self.fetcher.get_page(request.url)
                body = page.text.encode()
                if len(body) > cap:
                    return None
                self.bytes += len(body)  # a page it navigates to counts against the render's bytes too
                return {"status": page.status, "content_type": "text/html; charset=utf-8", "body": body}
            res = await self.fetcher.get_resource(request.url, max_bytes=cap)
        except BlockedAddressError as exc:
            self.refused.append(f"{request.url}: {exc.message}")
            return None
        except FetchError:
            return None
        self.bytes += len(res.body)
        return {"status": res.status, "content_type": res.content_type or "application/octet-stream", "body": res.body}


async def refuse_socket(ws: Any) -> None:
    """A WebSocket is answered by nobody: never connected to its server, which could be anywhere."""
    await ws.close()
