"""Choose and fetch the same-site pages most likely to carry brand facts."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from ..cpu import run_cpu
from ..errors import FetchError
from ..fetch import Fetcher, Page
from ..urls import canonical
from .page import ParsedPage, parse_page

CONCURRENCY = 4
# A page's links are untrusted input: ranking considers the first MAX_LINKS of them (page.py keeps no
# more either; this holds for a page built elsewhere too), and only the start of each link's text.
MAX_LINKS = 2_000
MAX_LINK_TEXT = 200
_PRIORITY = [
    (r"about|company|story|mission|who-we-are|our-team|team|impact", 10),
    (r"features?|product|platform|how-it-works|solutions?|services?|menu|what-we-do", 9),
    (r"pricing|plans?|prices|rates|donate|membership|shop|collections?|store", 8),
    (r"customers?|case-stud|testimonials?|reviews?|stories|success", 7),
    (r"security|trust|compliance|why|benefits|faq|docs|guide|quickstart|programs?|sustainab", 5),
    (r"contact|locations?|visit|areas|blog|news|careers?|jobs", 1),
]
PRIORITY = [(re.compile(pattern), weight) for pattern, weight in _PRIORITY]
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


def rank_links(home: ParsedPage, start_url: str, limit: int) -> list[str]:
    """The `limit` same-site links of `home` most likely to carry brand facts, best first.

    One pass over at most MAX_LINKS links (a dict keyed by canonical URL) and one sort: O(n log n).
    It was quadratic, on the event loop: a 10,000-link page blocked the worker for a minute.
    """
    first_spelling: dict[str, str] = {}  # canonical URL -> the first href that linked to it
    scores: dict[str, int] = {}
    visited = {canonical(start_url), canonical(home.url)}
    for href, text in home.links[:MAX_LINKS]:
        href = href.split("?")[0] if "?" in href and "page=" not in href else href
        key = canonical(href)
        if key in visited or not same_site(href, home.url) or EXCLUDE.search(urlsplit(href).path):
            continue
        if first_spelling.setdefault(key, href) != href:
            continue  # the same page under another spelling ("/x/" after "/x") is not a second page
        hay = f"{urlsplit(href).path.lower()} {text[:MAX_LINK_TEXT].lower()}"
        score = max((weight for pattern, weight in PRIORITY if pattern.search(hay)), default=2)
        scores[href] = max(scores.get(href, 0), score)
    ranked = sorted(scores, key=lambda u: (-scores[u], len(u)))
    return ranked[:limit]


def partial_page_warning(page: ParsedPage) -> str | None:
    """A page past one of page.py's bounds (links, blocks, images) was read in part: the run says so."""
    kinds = {"blocks": "text blocks"}
    if not page.capped:
        return None
    what = " and ".join(kinds.get(k, k) for k in dict.fromkeys(page.capped))
    return f"page read in part: {page.url} is unusually large, so not all of its {what} were read"


async def fetch_pages(
    urls: list[str],
    fetcher: Fetcher,
    warnings: list[str],
    read: Callable[[Page], Awaitable[ParsedPage]] | None = None,
    on_fetched: Callable[[int], None] | None = None,
) -> list[ParsedPage]:
    """Fetch and parse `urls` concurrently (bounded); a failed page is a warning, not a failure.
    `read` parses a fetched page (extract passes render.PageReader.read, which renders script-built ones);
    `on_fetched` is told how many pages were fetched (or given up on) so far, after each."""
    gate = asyncio.Semaphore(CONCURRENCY)
    fetched = 0

    async def one(url: str) -> ParsedPage | None:
        nonlocal fetched
        async with gate:
            try:
                page = await fetcher.get_page(url)
            except FetchError as exc:
                warnings.append(f"page skipped: {url}: {exc.message}")
                page = None
            fetched += 1
            if on_fetched:
                on_fetched(fetched)
        if page is None:
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
