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


ROBOTS_FILES = [
    b"User-agent: *\nDisallow: /private/\nAllow: /private/open\n",
    b"User-agent: BrandTruth\nDisallow: /x\n\nUser-agent: *\nDisallow: /\n",
    b"User-agent: googlebot\nUser-agent: brandtruth\nDisallow: /shared/\n\nUser-agent: brandtruth\nDisallow: /more/\n",
    b"useragent brand*truth\nDissallow: /typo/\nAllow: /*.html$\nDisallow: /\n",
    b"User-agent: otherbot\nDisallow: /\n",  # no group is ours: everything may be read
    b"Sitemap: /s.xml\nUser-agent: * # everyone\nDisallow: /menu/index.html\nDisallow: /*?q=\n",
    big_robots(200_000),
]


@pytest.mark.parametrize("robots", ROBOTS_FILES, ids=range(len(ROBOTS_FILES)))
def test_our_group_answers_as_the_whole_file_does(robots: bytes) -> None:
    """Only our group comes back from the pool (robots.our_group); it must answer every URL as the whole parse does."""
    from protego import Protego

    from brandtruth.pipeline.fetch.policy import ROBOTS_AGENT
    from brandtruth.pipeline.fetch.robots import our_group

    text = robots.decode()
    whole, ours = Protego.parse(text), our_group(text)
    paths = [
        "/",
        "/x",
        "/xy",
        "/private/a",
        "/private/open",
        "/shared/a",
        "/more/a",
        "/typo/a",
        "/a.html",
        "/a.html?v=1",
        "/menu/",
        "/menu/index.html",
        "/search?q=1",
        "/p7/x",
        "/_adv/private-area/x",
        "/%7Euser",
        "/caf%C3%A9",
    ]
    for path in paths:
        url = f"http://brand.test{path}"
        expected = whole.can_fetch(url, ROBOTS_AGENT)
        assert (True if ours is None else ours.can_fetch(url)) is expected, path
    assert (ours is None) is (robots == ROBOTS_FILES[4])


def test_what_comes_back_from_the_pool_is_our_group_not_the_file() -> None:
    """The whole parsed 500 KB file pickles to ~1.3 MB, unpickled on the worker's event loop; our group is a few hundred bytes."""
    import pickle

    from brandtruth.pipeline.fetch.robots import our_group

    assert len(pickle.dumps(our_group(big_robots().decode()))) < 2_000
