"""How long a server asks us to wait before trying again, read once for the fetcher and the LLM clients."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

# The longest wait a server may ask for: one header from a brand's site must not hold a run for a day
# (both engines wait as long as it says), nor overflow a timedelta ('Retry-After: 1e300').
MAX_RETRY_AFTER_SECONDS = 300.0


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait from Retry-After (seconds or an HTTP date) or retry-after-ms, if given.

    None when there is no such header or it says nothing readable ('soon', 'inf'): a site's header
    is untrusted input, and a bad one must not turn a retryable 503 into a crash. Never negative, and
    at most MAX_RETRY_AFTER_SECONDS."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")  # the OpenAI and Anthropic APIs send it beside Retry-After
    if ms:
        seconds = _number(ms)
        if seconds is not None:
            return min(seconds / 1000, MAX_RETRY_AFTER_SECONDS)
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = _number(value)
    if seconds is not None:
        return min(seconds, MAX_RETRY_AFTER_SECONDS)
    try:
        return min(max(0.0, parsedate_to_datetime(value).timestamp() - time.time()), MAX_RETRY_AFTER_SECONDS)
    except (TypeError, ValueError, OverflowError):
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return max(0.0, value) if math.isfinite(value) else None
