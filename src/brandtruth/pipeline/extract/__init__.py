"""The extract step: read a brand's site (start page + a few same-site pages) into a BrandProfile.

Every fact carries the exact sentence it came from and its page, so later steps can prove each claim.
Fetching is async I/O here; parsing and analysis run in the CPU pool (see cpu.py), so a worker
extracting many sites at once still answers its workflow tasks promptly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import urlsplit

from ..artifacts import ArtifactStore
from ..cpu import run_cpu
from ..errors import ExtractionError, FetchError, FetchTimeoutError
from ..fetch import Fetcher
from ..models import BrandProfile, ExtractInput, Fact, ImageAsset
from ..urls import skipped_warning
from . import brand as kit
from .backgrounds import background_refs
from .casing import calm, shouting, site_spellings
from .colors import assign_roles, fonts_from, parse_css
from .contradictions import find_contradictions
from .crawl import fetch_pages, partial_page_warning, rank_links
from .facts import extract_facts
from .media import collect_images, no_photos_warning, pick_logo
from .page import ImageRef, ParsedPage, parse_page
from .pieces import price_subject
from .render import PageReader

MAX_STYLESHEETS = 6
# One extract attempt, whatever the site does: each fetch has its deadline, but a site slow at everything
# (pages, renders, a dozen images, stylesheets) could add up past the step's 120 s, and Temporal's timeout
# was then retried 4 times. This ends it first, with an error of ours that says why and is final.
EXTRACT_DEADLINE_SECONDS = 60.0

__all__ = ["extract_brand", "parse_page"]


async def extract_brand(
    inp: ExtractInput, fetcher: Fetcher, store: ArtifactStore, on_page: Callable[[int, int], None] | None = None
) -> BrandProfile:
    """The brand of the site at `inp.url`; `on_page(n, total)` is told as its pages are fetched."""
    try:
        async with asyncio.timeout(EXTRACT_DEADLINE_SECONDS) as deadline:
            return await _extract(inp, fetcher, store, on_page)
    except TimeoutError:
        if not deadline.expired():
            raise
        raise FetchTimeoutError(
            f"reading {inp.url} took more than {EXTRACT_DEADLINE_SECONDS:g} s (its pages, images and stylesheets "
            "load slowly): the site is too slow to build ads from; try again later or another page of it",
            retryable=False,
        ) from None


async def _extract(
    inp: ExtractInput, fetcher: Fetcher, store: ArtifactStore, on_page: Callable[[int, int], None] | None
) -> BrandProfile:
    start = await fetcher.get_page(inp.url)  # a failing start page is the run's failure, with its own error
    warnings: list[str] = []
    reader = PageReader(fetcher, warnings)  # parses; renders thin, script-built pages in Chromium first
    static_home, needs_js = await reader.parse(start)
    # A script-built start page renders while the pages it links to are fetched (and rendered): the
    # links come from its static HTML, or from the rendered page when a script builds those too.
    home_task = asyncio.create_task(reader.finish(start, static_home, needs_js))
    try:
        links = await run_cpu(rank_links, static_home, start.url, max(0, inp.max_pages))  # grows with the page: off the loop
        if not links and needs_js:
            links = await run_cpu(rank_links, await home_task, start.url, max(0, inp.max_pages))
        told = on_page or (lambda n, total: None)
        told(1, 1 + len(links))  # the start page
        others = await fetch_pages(links, fetcher, warnings, reader.read, lambda n: told(1 + n, 1 + len(links)))
        home = await home_task
    finally:
        home_task.cancel()  # only when something above failed: the run does not wait for a render it lost
    if home.noscript_only:
        warnings.append(f"{start.url} renders its content with JavaScript; only its <noscript> text was read")
    pages = [home] + [p for p in others if p.url != home.url]
    warnings += [w for p in pages if (w := skipped_warning(p.url, p.bad_urls))]
    warnings += [w for w in map(partial_page_warning, pages) if w]
    visible = sum(len(b.text) for p in pages for b in p.blocks if not b.in_chrome)
    if visible < 40:
        hint = " It needs JavaScript to show anything." if home.noscript_only or "<script" in start.text else ""
        hint = f" {reader.unrendered[start.url]}." if start.url in reader.unrendered else hint
        raise ExtractionError(
            f"{start.url} has no readable text to build ads from.{hint} Try the site's about or product page instead."
        )

    css_task = asyncio.create_task(_stylesheets(pages, fetcher, warnings))
    logo, palette = await pick_logo(pages, fetcher, store, inp.run_id, warnings)
    logo_url = logo.url if logo else None
    css_texts = await css_task
    refs = await run_cpu(background_refs, pages, css_texts) + [img for p in pages for img in p.images]
    refs = [img for img in refs if img.url != logo_url and "logo" not in img.hints]
    og = home.opengraph.get("og:image")
    images = await collect_images(refs, fetcher, store, inp.run_id, warnings)
    if not images and og and og != logo_url:
        images = await collect_images([ImageRef(og, "", "")], fetcher, store, inp.run_id, warnings)
    warnings += [w for w in [no_photos_warning(images)] if w]
    return await run_cpu(build_profile, start.url, pages, css_texts, palette, logo, images, warnings)


def _calmed(fact: Fact, spellings: dict[str, str]) -> Fact:
    """A fact typed in capitals in sentence case, and what it prices named as the calm text names it."""
    text = calm(fact.text, spellings)
    subject = price_subject(text) if fact.kind in ("price", "offer") and shouting(fact.subject) else fact.subject
    return fact.model_copy(update={"text": text, "subject": subject})


def build_profile(
    url: str,
    pages: list[ParsedPage],
    css_texts: list[tuple[str, str]],
    logo_palette: list[str],
    logo: ImageAsset | None,
    images: list[ImageAsset],
    warnings: list[str],
) -> BrandProfile:
    """Everything extract learns from what it fetched: colours, fonts, facts, voice; pure CPU."""
    home = pages[0]
    css = parse_css([text for _url, text in css_texts])
    colors = assign_roles(css, home.meta.get("theme-color"), logo_palette, pages)
    font_links = [href for p in pages for href in p.stylesheets]
    name = kit.brand_name(pages)
    facts, disputes = find_contradictions(pages, extract_facts(pages, brand_name=name))  # both sides disputed: kept out
    warnings = [*disputes, *warnings]  # first: the run's event shows the first ten, and these block copy
    # Capitals typed as text ("FREE SAME-DAY DELIVERY") shout in an ad: its sentences in sentence case,
    # the site's own names and acronyms kept (evidence stays verbatim).
    spellings = site_spellings([*(p.title for p in pages), *(b.text for p in pages for b in p.blocks)], [name])
    facts = [_calmed(f, spellings) if shouting(f.text) else f for f in facts]
    if not facts:
        warnings = [*warnings, "no checkable facts (numbers, prices, guarantees, certifications) were found on the site"]
    return BrandProfile(
        url=url,
        name=name,
        title=home.title,
        description=calm(kit.description(home), spellings),
        tagline=calm(kit.tagline(home, name), spellings),
        headings=[text for p in pages for _t, text in p.headings][:40],
        value_props=[calm(v, spellings) for v in kit.value_props(home)],
        features=[calm(f, spellings) for f in kit.features(pages)],
        offers=kit.offers([f for f in facts if not f.disputed]),
        ctas=kit.ctas(pages),
        primary_cta=kit.primary_cta(pages),
        business_type=kit.business_type(pages),
        testimonials=kit.testimonials(pages),
        language=kit.language(pages),
        voice=kit.voice(pages),
        colors=colors,
        fonts=fonts_from(css, font_links),
        logo=logo,
        images=images,
        facts=facts,
        pages=[p.url for p in pages],
        warnings=warnings,
    )


async def _stylesheets(pages: list[ParsedPage], fetcher: Fetcher, warnings: list[str]) -> list[tuple[str, str]]:
    """(base URL, CSS) of same-origin stylesheets and inline CSS (third-party CSS such as font services
    is not fetched); the base resolves the url()s in it."""
    origin = urlsplit(pages[0].url).netloc
    urls = list(dict.fromkeys(u for p in pages for u in p.stylesheets if urlsplit(u).netloc == origin))[:MAX_STYLESHEETS]

    async def one(url: str) -> tuple[str, str]:
        try:
            return url, (await fetcher.get_text(url)).text
        except FetchError as exc:
            warnings.append(f"stylesheet skipped: {url}: {exc.message}")
            return url, ""

    fetched = await asyncio.gather(*(one(u) for u in urls))
    inline = [(p.url, css) for p in pages for css in p.inline_css]
    return list(fetched) + inline
