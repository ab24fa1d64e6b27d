"""robots.txt, fetched and parsed once per origin per Fetcher and consulted before every page request.

Parsed by Protego (RFC 9309: the longest matching rule wins, Allow over Disallow on a tie, `*` and
`$` in paths). The standard library's parser knew neither, and walked every group of the file on
every check: 13 ms a URL on the event loop for a 500 KB file. Protego finds our group once and keeps
it, so a check is a prefix test.

robots.txt has its own deadline, a third of a page's: it is read inside the page's deadline, and a
slow robots.txt used to use that up and be reported as the page timing out.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import httpx
from protego import Protego

from ..errors import FetchError, FetchTimeoutError, HttpStatusError
from .policy import ROBOTS_AGENT

if TYPE_CHECKING:
    from .client import Fetcher


class RobotsCache:
    def __init__(self, fetcher: Fetcher):
        self._fetcher = fetcher
        self._rules: dict[str, Protego | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        u = httpx.URL(url)
        origin = f"{u.scheme}://{u.netloc.decode('ascii')}"
        # One lock per origin so concurrent page fetches read robots.txt exactly once.
        async with self._locks.setdefault(origin, asyncio.Lock()):
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin)
        rules = self._rules[origin]
        return True if rules is None else rules.can_fetch(url, ROBOTS_AGENT)

    async def _load(self, origin: str) -> Protego | None:
        deadline = self._fetcher.policy.timeout_seconds / 3
        try:
            page = await self._fetcher.get_text(
                f"{origin}/robots.txt", accept=("text/plain",), max_bytes=500_000, timeout_seconds=deadline, utf8=True
            )
        except FetchTimeoutError as exc:
            # RFC 9309 §2.3.1.3-4: an unreachable robots.txt means "assume disallowed"; say which file it was.
            # A site reached but too slow is not retried (client.py): a retry would wait as long again.
            raise FetchTimeoutError(
                f"{origin}/robots.txt did not answer within {deadline:g} s, so no page of {origin} was read "
                "(an unreachable robots.txt means 'do not crawl'); try again later",
                retryable=exc.retryable,
            ) from None
        except HttpStatusError as exc:
            # RFC 9309 §2.3.1: 4xx means "no rules"; 5xx means unreachable, so assume "disallow all".
            return _disallow_all() if exc.status_code >= 500 else None
        except FetchError:
            # Not text, too large, a failed redirect: the site publishes no usable rules.
            return None
        # Off the event loop: parsing 500 KB of rules (the most get_text reads) takes ~0.4 s (a thread is
        # enough: pure Python yields the GIL every few ms, and the parser stays in this process).
        return await asyncio.to_thread(_parse, page.text, origin)


def _parse(text: str, origin: str) -> Protego:
    rules = Protego.parse(text)
    # The first check picks our group among all of the file's (thousands in a hostile one) and
    # Protego keeps it: done here, in the thread, so that no check on the event loop walks the file.
    rules.can_fetch(f"{origin}/", ROBOTS_AGENT)
    return rules


def _disallow_all() -> Protego:
    return Protego.parse("User-agent: *\nDisallow: /")
