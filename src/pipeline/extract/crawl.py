"""Choose and fetch the same-site pages most likely to carry brand facts."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from ..cpu import run_cpu
from ..errors import FetchError
from ..fetch import Fetcher, Page
from .page import ParsedPage, parse_page

CONCURRENCY = 4
PRIORITY = [
    (r"about|company|story|mission|who-we-are|our-team|team|impact", 10),
    (r"features?|product|platform|how-it-works|solutions?|services?|menu|what-we-do", 9),
    (r"pricing|plans?|prices|rates|donate|membership|shop|collections?|store", 8),
    (r"customers?|case-stud|testimonials?|reviews?|stories|success", 7),
    (r"security|trust|compliance|why|benefits|faq|docs|guide|quickstart|programs?|sustainab", 5),
    (r"contact|locations?|visit|areas|blog|news|careers?|jobs", 1),
]
EXCLUDE = re.compile(
    r"(login|log-in|signin|sign-in|signup|sign-up|register|cart|checkout|account|privacy|terms|legal|cookie|"
    r"imprint|impressum|gdpr|unsubscribe|logout|search|\.(pdf|zip|jpe?g|png|gif|svg|webp|mp4|xml|json|css|js)$)",
    re.I,
)


def same_site(url: str, start: str) -> bool:
    """Same scheme-insensitive host and port, and under the start page's directory."""
    a, b = urlsplit(url), urlsplit(start)
    if a.scheme not in ("http", "https") or (a.hostname or "").removeprefix("www.") != (b.hostname or "").removeprefix("www."):
        return False
    if a.port != b.port:
        return False
    base = b.path.rsplit("/", 1)[0] + "/"
    return a.path.startswith(base) or base == "/"


def _canonical(url: str) -> str:
    """The same page however it is linked: "/x/", "/x", "/x/index.html"."""
    return re.sub(r"/(index|default)\.(html?|php|aspx?)$", "/", url).rstrip("/")


def rank_links(home: ParsedPage, start_url: str, limit: int) -> list[str]:
    scores: dict[str, int] = {}
    visited = {_canonical(start_url), _canonical(home.url)}
    for href, text in home.links:
        href = href.split("?")[0] if "?" in href and "page=" not in href else href
        if _canonical(href) in visited or not same_site(href, home.url) or EXCLUDE.search(urlsplit(href).path):
            continue
        path = urlsplit(href).path.lower()
        hay = f"{path} {text.lower()}"
        score = max((weight for pattern, weight in PRIORITY if re.search(pattern, hay)), default=2)
        if any(_canonical(u) == _canonical(href) for u in scores if u != href):
            continue
        scores[href] = max(scores.get(href, 0), score)
    ranked = sorted(scores, key=lambda u: (-scores[u], len(u)))
    return ranked[:limit]


async def fetch_pages(urls: list[str], fetcher: Fetcher, warnings: list[str],
                      read: Callable[[Page], Awaitable[ParsedPage]] | None = None) -> list[ParsedPage]:
    """Fetch and parse `urls` concurrently (bounded); a failed page is a warning, not a failure.
    `read` parses a fetched page (extract passes render.PageReader.read, which renders script-built ones)."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(url: str) -> ParsedPage | None:
        async with gate:
            try:
                page = await fetcher.get_page(url)
            except FetchError as exc:
                warnings.append(f"page skipped: {url}: {exc.message}")
                return None
        return await (read(page) if read else run_cpu(parse_page, page.text, page.url))

    results = await asyncio.gather(*(one(u) for u in urls))
    seen: set[str] = set()
    pages = []
    for page in results:
        if page is not None and page.url not in seen:
            seen.add(page.url)
            pages.append(page)
    return pages
