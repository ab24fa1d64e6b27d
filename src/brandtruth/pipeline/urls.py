"""URLs from untrusted pages, joined without raising, and compared as the same page however spelt.

urllib raises ValueError on an href like "http://[oops/x.png" (an unclosed IPv6 bracket) and on
reading a port like ":abc"; one such address on a page must cost that address, not the run.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from w3lib.url import canonicalize_url

_INDEX_PAGE = re.compile(r"/(index|default)\.(html?|php|aspx?)$")


def join(base: str, href: str) -> str | None:
    """`href` resolved against `base`, or None when it is no usable URL (bad brackets, port or host)."""
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
        _ = parts.port  # raises on ":abc" and on ports over 65535
    except ValueError:
        return None
    return url


def canonical(url: str) -> str:
    """The same page however it is linked: "/x/", "/x", "/x/index.html", "/%7Eann" and "/~ann", the
    host's case, the order of the query's arguments, a fragment (w3lib's canonical form, then the
    index page and the trailing slash dropped). Only a key to compare by: fetch the URL as linked."""
    try:
        url = canonicalize_url(url)
    except ValueError:  # no URL w3lib can read ('http://[oops/'): compared as it is spelt
        pass
    return _INDEX_PAGE.sub("/", url).rstrip("/")


def skipped_warning(page_url: str, bad: list[str], shown: int = 3) -> str | None:
    """The run's note that a page's unusable addresses were skipped, naming the first few."""
    bad = list(dict.fromkeys(bad))
    if not bad:
        return None
    names = ", ".join(repr(b[:80]) for b in bad[:shown]) + (f" and {len(bad) - shown} more" if len(bad) > shown else "")
    return f"skipped {len(bad)} address(es) on {page_url} that are not valid URLs: {names}"
