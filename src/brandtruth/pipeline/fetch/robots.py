"""robots.txt, fetched once per origin per Fetcher and consulted before every page request.

robots.txt has its own deadline, a third of a page's: it is read inside the page's deadline, and a
slow robots.txt used to use that up and be reported as the page timing out.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.robotparser import RobotFileParser

import httpx

from ..errors import FetchError, FetchTimeoutError, HttpStatusError
from .policy import ROBOTS_AGENT

if TYPE_CHECKING:
    from .client import Fetcher


class RobotsCache:
    def __init__(self, fetcher: Fetcher):
        self._fetcher = fetcher
        self._rules: dict[str, RobotFileParser | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        u = httpx.URL(url)
        origin = f"{u.scheme}://{u.netloc.decode('ascii')}"
        # One lock per origin so concurrent page fetches read robots.txt exactly once.
        async with self._locks.setdefault(origin, asyncio.Lock()):
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin)
        rules = self._rules[origin]
        return True if rules is None else rules.can_fetch(ROBOTS_AGENT, url)

    async def _load(self, origin: str) -> RobotFileParser | None:
        deadline = self._fetcher.policy.timeout_seconds / 3
        try:
            async with asyncio.timeout(deadline):
                page = await self._fetcher.get_text(f"{origin}/robots.txt", accept=("text/plain",), max_bytes=500_000)
        except (TimeoutError, FetchTimeoutError):
            # RFC 9309 §2.3.1.3-4: an unreachable robots.txt means "assume disallowed"; say which file it was.
            raise FetchTimeoutError(
                f"{origin}/robots.txt did not answer within {deadline:g} s, so no page of {origin} was read "
                "(an unreachable robots.txt means 'do not crawl'); try again later"
            ) from None
        except HttpStatusError as exc:
            # RFC 9309 §2.3.1: 4xx means "no rules"; 5xx means unreachable, so assume "disallow all".
            return _disallow_all() if exc.status_code >= 500 else None
        except FetchError:
            # Not text, too large, a failed redirect: the site publishes no usable rules.
            return None
        parser = RobotFileParser()
        # Off the event loop: parsing 500 KB of rules takes ~0.2 s (a thread is enough: pure Python
        # yields the GIL every few ms, and the parser stays in this process).
        await asyncio.to_thread(parser.parse, page.text.splitlines())
        return parser


def _disallow_all() -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(["User-agent: *", "Disallow: /"])
    return parser
