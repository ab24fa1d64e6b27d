"""What the fetcher may do: address rules, caps, timeouts, robots.txt. Built from Settings by steps.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from .guard import Resolver, system_resolver

USER_AGENT = "BrandTruth/0.1 (brand-kit extractor; honours robots.txt)"
ROBOTS_AGENT = "BrandTruth"


@dataclass(frozen=True)
class FetchPolicy:
    allow_private: bool = False
    # Loopback on its own lets tests reach 127.0.0.1 while still refusing 10/8 and friends.
    allow_loopback: bool | None = None
    respect_robots: bool = True
    timeout_seconds: float = 10.0
    max_page_bytes: int = 3_000_000
    max_image_bytes: int = 8_000_000
    max_css_bytes: int = 1_000_000
    max_redirects: int = 5
    max_image_pixels: int = 40_000_000
    user_agent: str = USER_AGENT
    # Pages whose content is built by JavaScript are rendered in headless Chromium (fetch/browser.py).
    render_javascript: bool = True
    render_max_pages: int = 4  # the start page and its three best links: where most facts are
    render_timeout_seconds: float = 8.0
    chromium_path: str | None = None  # None: the first chromium on PATH
    resolver: Resolver = field(default=system_resolver, compare=False, repr=False)

    @property
    def loopback_allowed(self) -> bool:
        return self.allow_private if self.allow_loopback is None else self.allow_loopback
