"""robots.txt as RFC 9309 reads it (Protego): longest match, wildcards, our own group, one read per origin."""

from __future__ import annotations

import httpx
import pytest

from brandtruth.pipeline.errors import RobotsDisallowedError
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from tests.support.sites import big_robots

PUBLIC_IP = "93.184.216.34"


async def public(host: str, port: int) -> list[str]:
    return [PUBLIC_IP]


class Site(httpx.AsyncBaseTransport):
    """A brand site at brand.test with the given robots.txt; every other path is a small page."""

    def __init__(self, robots: bytes):
        self.robots = robots
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.raw_path.decode())
        if request.url.path == "/robots.txt":
            return httpx.Response(200, content=self.robots, headers={"Content-Type": "text/plain"})
        return httpx.Response(200, text="<h1>page</h1>", headers={"Content-Type": "text/html"})


async def readable(robots: bytes, paths: list[str]) -> dict[str, bool]:
    site = Site(robots)
    seen: dict[str, bool] = {}
    async with Fetcher(FetchPolicy(resolver=public), transport=site) as fetcher:
        for path in paths:
            try:
                await fetcher.get_page(f"http://brand.test{path}")
                seen[path] = True
            except RobotsDisallowedError:
                seen[path] = False
    assert site.paths.count("/robots.txt") == 1
    return seen


async def test_longest_match_wins_whatever_the_order() -> None:
    """The standard library took the first rule that matched, so 'Allow: /menu/about' after 'Disallow: /menu/' was lost."""
    robots = b"User-agent: *\nDisallow: /menu/\nAllow: /menu/about\nDisallow: /a\nAllow: /a\n"
    seen = await readable(robots, ["/menu/about", "/menu/about/team", "/menu/cart", "/a", "/b"])
    # On a tie between Allow and Disallow of the same length, Allow wins (RFC 9309 2.2.2).
    assert seen == {"/menu/about": True, "/menu/about/team": True, "/menu/cart": False, "/a": True, "/b": True}


async def test_wildcards_and_end_anchor() -> None:
    robots = b"User-agent: *\nDisallow: /*.pdf$\nDisallow: /*/private/\nDisallow: /search*q=\n"
    seen = await readable(robots, ["/menu.pdf", "/menu.pdf?v=2", "/shop/private/x", "/private/x", "/search?q=bread", "/search"])
    assert seen == {
        "/menu.pdf": False,
        "/menu.pdf?v=2": True,  # '$' anchors the end: the query makes it another URL
        "/shop/private/x": False,
        "/private/x": True,
        "/search?q=bread": False,
        "/search": True,
    }


async def test_our_own_group_replaces_the_star_group() -> None:
    robots = b"User-agent: *\nDisallow: /\n\nUser-agent: brandtruth\nAllow: /\nDisallow: /drafts/\n"
    seen = await readable(robots, ["/", "/about", "/drafts/x"])
    assert seen == {"/": True, "/about": True, "/drafts/x": False}


@pytest.mark.parametrize("status", [500, 503])
async def test_robots_txt_server_error_means_nothing_may_be_read(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(status)
        return httpx.Response(200, text="<h1>page</h1>", headers={"Content-Type": "text/html"})

    async with Fetcher(FetchPolicy(resolver=public), transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(RobotsDisallowedError):
            await fetcher.get_page("http://brand.test/")


async def test_a_big_robots_txt_is_read_once_and_its_last_group_applies() -> None:
    """Thousands of groups, ours last: read and parsed once; the standard library walked every group for every page."""
    paths = [f"/page-{i}" for i in range(50)] + ["/_adv/private-area/x", "/p7/x"]
    seen = await readable(big_robots(450_000), paths)  # under the 500 KB that is read at most
    assert seen["/_adv/private-area/x"] is False
    assert all(seen[p] for p in paths if p.startswith("/page-")) and seen["/p7/x"] is True  # /p7/ is bot7's rule, not ours
