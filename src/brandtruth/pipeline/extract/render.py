"""Read fetched pages; a thin page whose content is built by JavaScript is rendered in headless
Chromium first (fetch/browser.py), and its rendered DOM is parsed like any other page.

Thin means: the static HTML has scripts, and little visible text (or only a <noscript> fallback,
an empty mount point such as #app/#root, or a "Loading…" placeholder). Static pages are never
rendered, so they cost nothing extra.
"""

from __future__ import annotations

import re

from ..cpu import run_cpu
from ..fetch import Fetcher, Page
from ..fetch.browser import BrowserUnavailable, RenderError, render_page
from .page import ParsedPage, parse_page

THIN_TEXT = 200  # characters of visible, non-navigation text
MAX_MOUNT_CANDIDATES = 200  # id/class attributes with a mount word looked at, per page
# Every pattern here stops at the next tag and has bounded repeats: the HTML is untrusted, and an
# unbounded [^>]* over a page of unclosed tags is quadratic.
_SCRIPT = re.compile(r"<script\b([^<>]{0,2000})>", re.IGNORECASE)
_DATA_SCRIPT = re.compile(r"""type\s*=\s*["']?[^"'\s>]*(json|template|text/x-)""", re.IGNORECASE)
# An element a framework mounts into, left empty in the static HTML: <div id="app"></div>.
_ATTR = re.compile(r"""\b(?:id|class)\s*=\s*["']([^"'<>]{1,200})["']""", re.IGNORECASE)
_MOUNT_WORDS = re.compile(
    r"\b(app|root|__next|__nuxt|svelte|mount|content|list|feed|posts|news|events|items|cards|grid)\b", re.IGNORECASE
)
_CONTAINER = re.compile(r"<(div|main|section|ul|ol)\b[^<>]{0,300}$", re.IGNORECASE)
_LOADING = re.compile(r"^(loading|chargement|wird geladen|laden|cargando|caricamento)\b", re.IGNORECASE)


def needs_rendering(html: str, parsed: ParsedPage) -> bool:
    """Would running the page's scripts show content its static HTML does not?"""
    if not any(not _DATA_SCRIPT.search(attrs) for attrs in _SCRIPT.findall(html)):
        return False  # no executable script: rendering cannot add anything
    visible = [b.text for b in parsed.blocks if not b.in_chrome]
    if parsed.noscript_only or sum(len(t) for t in visible) < THIN_TEXT:
        return True
    return any(_LOADING.match(t) for t in visible) or _empty_mount(html)


def _empty_mount(html: str) -> bool:
    candidates = 0
    for m in _ATTR.finditer(html):
        if not _MOUNT_WORDS.search(m.group(1)):
            continue
        candidates += 1
        if candidates > MAX_MOUNT_CANDIDATES:
            return False
        tag = _CONTAINER.search(html[max(0, m.start() - 300) : m.start()])
        end = html.find(">", m.end(), m.end() + 300)
        if tag and end >= 0 and html[end + 1 : end + 200].lstrip().lower().startswith(f"</{tag.group(1).lower()}"):
            return True
    return False


def read_static(html: str, url: str) -> tuple[ParsedPage, bool]:
    """The page parsed from its static HTML, and whether it needs rendering (for the CPU pool)."""
    parsed = parse_page(html, url)
    return parsed, needs_rendering(html, parsed)


class PageReader:
    """Parses the pages of one run, rendering at most `policy.render_max_pages` thin ones.

    Every page that needed JavaScript and was not rendered (disabled, over the cap, no Chromium,
    failed) is named in a warning: content is never dropped silently.
    """

    def __init__(self, fetcher: Fetcher, warnings: list[str]):
        self.fetcher = fetcher
        self.warnings = warnings
        self.rendered = 0
        self.unrendered: dict[str, str] = {}  # url -> why a page that needed JavaScript was read without it

    async def read(self, page: Page) -> ParsedPage:
        parsed, needs_js = await self.parse(page)
        return await self.finish(page, parsed, needs_js)

    async def parse(self, page: Page) -> tuple[ParsedPage, bool]:
        """The page from its static HTML, and whether it needs rendering."""
        return await run_cpu(read_static, page.text, page.url)

    async def finish(self, page: Page, parsed: ParsedPage, needs_js: bool) -> ParsedPage:
        """The page as a reader sees it: rendered when it needs JavaScript and may be, else `parsed`.
        The render cap is taken before the first await, so the page whose finish starts first gets it."""
        policy = self.fetcher.policy
        if not needs_js:
            return parsed
        needs = f"{page.url} needs JavaScript to show its content"
        if not policy.render_javascript:
            return self._unrendered(
                page, parsed, f"{needs}; rendering is off (BRANDTRUTH_RENDER_JAVASCRIPT=false), so only its static HTML was read"
            )
        if self.rendered >= policy.render_max_pages:
            return self._unrendered(
                page,
                parsed,
                f"{needs}; only {policy.render_max_pages} pages are rendered per run, so only its static HTML was read",
            )
        self.rendered += 1  # counted before the await: concurrent reads share the cap
        try:
            result = await render_page(page.url, page.text, self.fetcher)
        except BrowserUnavailable as exc:
            return self._unrendered(page, parsed, f"{needs} and no headless Chromium is available: {exc.message}")
        except RenderError as exc:
            return self._unrendered(
                page, parsed, f"{needs} and rendering it failed: {exc.message}; only its static HTML was read"
            )
        if result.refused:
            shown = "; ".join(result.refused[:3]) + (f" (and {len(result.refused) - 3} more)" if len(result.refused) > 3 else "")
            self.warnings.append(f"while rendering {page.url}, requests the page made were refused: {shown}")
        if result.unfinished:
            self.warnings.append(
                f"{page.url} was still loading after {policy.render_timeout_seconds:g} s; what it showed by then was read"
            )
        rendered = await run_cpu(parse_page, result.html, page.url)
        return rendered if _visible(rendered) >= _visible(parsed) else parsed

    def _unrendered(self, page: Page, parsed: ParsedPage, why: str) -> ParsedPage:
        self.unrendered[page.url] = why
        self.warnings.append(why)
        return parsed


def _visible(page: ParsedPage) -> int:
    return sum(len(b.text) for b in page.blocks if not b.in_chrome)
