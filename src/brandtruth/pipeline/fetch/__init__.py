"""Safe fetching for the pipeline: SSRF guard, caps, manual redirects, robots.txt, charsets."""

from .client import Fetcher, Page, decode_html
from .guard import address_problem, parse_ip_literal, resolve_checked
from .policy import USER_AGENT, FetchPolicy

__all__ = [
    "USER_AGENT",
    "FetchPolicy",
    "Fetcher",
    "Page",
    "address_problem",
    "decode_html",
    "parse_ip_literal",
    "resolve_checked",
]
