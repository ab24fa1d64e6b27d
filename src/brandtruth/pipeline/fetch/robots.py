"""robots.txt, fetched and parsed once per origin per Fetcher and consulted before every page request.

Parsed by Protego (RFC 9309: the longest matching rule wins, Allow over Disallow on a tie, `*` and
`$` in paths). The standard library's parser knew neither, and walked every group of the file on
every check: 13 ms a URL on the event loop for a 500 KB file. The file is parsed in the CPU pool
(its cost grows with the site's file: ~0.1 s of CPU for 500 KB of groups, which on a thread of the
worker held the GIL against its event loop at full priority), and only our group comes back: a few
hundred bytes for a file of thousands of groups (its whole parse pickles to ~1.3 MB), and no more than
our group's rules however long it is. A check is then a prefix test.

robots.txt has its own deadline, a third of a page's: it is read inside the page's deadline, and a
slow robots.txt used to use that up and be reported as the page timing out.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import httpx
from protego import Protego

from ..cpu import run_cpu
from ..errors import FetchError, FetchTimeoutError, HttpStatusError
from .policy import ROBOTS_AGENT

if TYPE_CHECKING:
    from .client import Fetcher


class RobotsCache:
    def __init__(self, fetcher: Fetcher):
        self._fetcher = fetcher
        self._rules: dict[str, OurGroup | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        u = httpx.URL(url)
        origin = f"{u.scheme}://{u.netloc.decode('ascii')}"
        # One lock per origin so concurrent page fetches read robots.txt exactly once.
        async with self._locks.setdefault(origin, asyncio.Lock()):
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin)
        rules = self._rules[origin]
        return True if rules is None else rules.can_fetch(url)

    async def _load(self, origin: str) -> OurGroup | None:
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
            return our_group("User-agent: *\nDisallow: /") if exc.status_code >= 500 else None
        except FetchError:
            # Not text, too large, a failed redirect: the site publishes no usable rules.
            return None
        return await run_cpu(our_group, page.text)


class OurGroup:
    """The rules of the one group of a robots.txt that applies to us (Protego's own rule set)."""

    def __init__(self, rules: Any):
        self._rules = rules

    def can_fetch(self, url: str) -> bool:
        return bool(self._rules.can_fetch(url))


def our_group(text: str) -> OurGroup | None:
    """The group of `text` that applies to ROBOTS_AGENT, or None when none does (everything may be read).

    Protego keeps no public handle on a group, so this reaches into two of its internals (pinned in
    requirements.txt; tests/pipeline/test_robots.py checks the answers against a whole parse): the
    group it matched, and that group's link back to the parser, which only parsing uses and which would
    otherwise carry the whole file along when the group is sent back from the pool.
    """
    group = Protego.parse(text)._get_matching_rule_set(ROBOTS_AGENT)
    if group is None:
        return None
    group._parser_instance = None  # type: ignore[assignment]
    group.can_fetch("/")  # the first check indexes the rules: here, in the pool, not on the event loop
    return OurGroup(group)
