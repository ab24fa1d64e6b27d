"""Retry-After, read in one place for the fetcher and the LLM clients, from untrusted servers."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from brandtruth.pipeline.errors import HttpStatusError
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.retry_after import retry_after_seconds


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"retry-after": "12"}, 12.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after-ms": "x", "retry-after": "9"}, 9.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date gone by: now
        ({}, None),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "86400"}, 300.0),  # a day, from a brand's site: five minutes at most
        ({"retry-after": "1e300"}, 300.0),
        ({"retry-after-ms": "9e12"}, 300.0),
        ({"retry-after": "Fri, 01 Jan 2100 00:00:00 GMT"}, 300.0),
    ],
)
def test_retry_after_parsing(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after_seconds(headers) == expected


def test_retry_after_as_a_date_to_come() -> None:
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    seconds = retry_after_seconds(httpx.Headers({"Retry-After": later}))
    assert seconds is not None and 100 < seconds <= 120


async def public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


@pytest.mark.parametrize("value, expected", [("soon", None), ("1.5", 1.5), ("30", 30.0)])
async def test_a_busy_site_with_any_retry_after_is_a_retryable_503(value: str, expected: float | None) -> None:
    """The fetcher's own reader raised ValueError on 'Retry-After: soon' or '1.5': a crash, not a 503."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(503, headers={"Retry-After": value})

    async with Fetcher(FetchPolicy(resolver=public), transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(HttpStatusError) as err:
            await fetcher.get_page("http://brand.test/")
    assert err.value.retryable and err.value.retry_after == expected
