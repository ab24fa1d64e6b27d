"""The one network client of the pipeline: guarded, capped, redirect-checked httpx requests."""

from __future__ import annotations

import asyncio
import functools
import ssl
from dataclasses import dataclass
from types import TracebackType

import charset_normalizer
import httpx
from w3lib.encoding import html_to_unicode

from ..cpu import run_cpu
from ..errors import (
    BlockedAddressError,
    ConnectError,
    FetchError,
    FetchTimeoutError,
    HttpStatusError,
    NotHtmlError,
    RobotsDisallowedError,
    TlsError,
    TooLargeError,
    TooManyRedirectsError,
)
from ..retry_after import retry_after_seconds
from ..urls import join
from .guard import resolve_checked
from .policy import FetchPolicy
from .robots import RobotsCache

HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)
# A body up to this size whose charset is declared (BOM, Content-Type, <meta>) is decoded on the event
# loop: ~0.5 ms at most (1.2 ms for Shift_JIS), where a turn at the CPU pool costs a round trip between
# processes, and longer while another run keeps the pool busy. Detecting an undeclared charset
# (charset_normalizer: ~0.2 s on a big page) always runs in the pool.
INLINE_DECODE_BYTES = 256 * 1024


@dataclass
class Page:
    url: str
    status: int
    text: str
    headers: dict[str, str]
    encoding: str = "utf-8"
    content_type: str = ""
    requested_url: str = ""


@dataclass
class Resource:
    """Any file a rendering browser asked for (script, JSON...), as bytes."""

    url: str
    status: int
    content_type: str
    body: bytes


@dataclass
class _Progress:
    """How far one fetch got, to tell a slow site (reached, then slow: a retry would be as slow) from
    one that could not be reached (a retry may find the way open)."""

    reached: bool = False  # the request was delivered to the site
    received: int = 0  # body bytes read

    async def trace(self, event: str, info: dict[str, object]) -> None:  # httpcore's trace extension
        if event.endswith("send_request_headers.complete"):
            self.reached = True


@dataclass
class _Raw:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes


def _media_type(headers: httpx.Headers) -> str:
    return str(headers.get("content-type", "")).split(";")[0].strip().lower()


def _detect(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body[:65536]).best()
    return best.encoding if best else None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Header charset, BOM, <meta charset>, then detection; ISO-8859-1 decodes as windows-1252 (WHATWG)."""
    return html_to_unicode(content_type, body, auto_detect_fun=_detect)


class _Undeclared(Exception):
    """The body declares no charset: finding it is detection, which is CPU work for the pool."""


def _refuse_detection(body: bytes) -> str | None:
    raise _Undeclared


async def decode_text(body: bytes, content_type: str | None) -> tuple[str, str]:
    """decode_html, on the event loop when that is cheap (INLINE_DECODE_BYTES), else in the CPU pool."""
    if len(body) <= INLINE_DECODE_BYTES:
        try:
            return html_to_unicode(content_type, body, auto_detect_fun=_refuse_detection)
        except _Undeclared:
            pass
    return await run_cpu(decode_html, body, content_type)  # detecting a charset: ~0.2 s of CPU


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: building one (loading the CA bundle) costs ~20 ms of
    CPU, which every extract paid again when each Fetcher built its own."""
    return httpx.create_ssl_context(trust_env=False)  # certifi's CAs, as before; no SSL_CERT_* override


class Fetcher:
    """Async context manager around one httpx.AsyncClient; see errors.py for what it raises."""

    def __init__(self, policy: FetchPolicy | None = None, *, transport: httpx.AsyncBaseTransport | None = None):
        self.policy = policy or FetchPolicy()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._robots = RobotsCache(self)

    async def __aenter__(self) -> Fetcher:
        p = self.policy
        self._client = httpx.AsyncClient(
            follow_redirects=False,  # followed by hand so every hop is re-checked
            timeout=httpx.Timeout(p.timeout_seconds, connect=min(p.timeout_seconds, 5.0)),
            headers={"User-Agent": p.user_agent, "Accept-Language": "en;q=0.9, *;q=0.5"},
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
            transport=self._transport,
            verify=_tls_context(),
            trust_env=False,  # a proxy would connect somewhere other than the checked address
        )
        return self

    async def __aexit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # ------------------------------------------------------------------ public

    async def get_page(self, url: str) -> Page:
        raw = await self._get(url, accept=HTML_TYPES, max_bytes=self.policy.max_page_bytes, what="page", robots=True)
        ctype = raw.headers.get("content-type")
        encoding, text = await decode_text(raw.body, ctype)
        return Page(raw.url, raw.status, text, dict(raw.headers), encoding, _media_type(raw.headers), url)

    async def get_text(
        self,
        url: str,
        *,
        accept: tuple[str, ...] = ("text/css",),
        max_bytes: int | None = None,
        timeout_seconds: float | None = None,
        utf8: bool = False,
    ) -> Page:
        """Stylesheets and robots.txt: text that is not HTML (`timeout_seconds`: a deadline shorter than the
        policy's; `utf8`: the format says UTF-8, so no charset detection)."""
        raw = await self._get(
            url, accept=accept, max_bytes=max_bytes or self.policy.max_css_bytes, what="file", timeout_seconds=timeout_seconds
        )
        if utf8:
            # robots.txt is UTF-8 by definition (RFC 9309 §2.3), and it is read inside a page's deadline: a
            # turn at the CPU pool there (busy with another run, or starting) used up the page's time.
            return Page(
                raw.url,
                raw.status,
                raw.body.decode("utf-8-sig", "replace"),
                dict(raw.headers),
                "utf-8",
                _media_type(raw.headers),
                url,
            )
        encoding, text = await decode_text(raw.body, raw.headers.get("content-type"))
        return Page(raw.url, raw.status, text, dict(raw.headers), encoding, _media_type(raw.headers), url)

    async def get_resource(self, url: str, *, max_bytes: int) -> Resource:
        """A file of any type (a headless browser's script or JSON), with every check of a page, robots.txt
        included (as crawlers that render pages do: a site may keep its data endpoints from them)."""
        raw = await self._get(url, accept=("",), max_bytes=max_bytes, what="file", robots=True)
        return Resource(raw.url, raw.status, raw.headers.get("content-type", ""), raw.body)

    async def get_image(self, url: str) -> bytes:
        raw = await self._get(url, accept=("image/",), max_bytes=self.policy.max_image_bytes, what="image")
        return raw.body

    # ------------------------------------------------------------------ internals

    async def _get(
        self,
        url: str,
        *,
        accept: tuple[str, ...],
        max_bytes: int,
        what: str,
        robots: bool = False,
        timeout_seconds: float | None = None,
    ) -> _Raw:
        deadline = min(timeout_seconds or self.policy.timeout_seconds, self.policy.timeout_seconds)
        progress = _Progress()
        try:
            # One deadline for the whole fetch, redirects and a slow-drip body included.
            async with asyncio.timeout(deadline):
                return await self._follow(url, accept, max_bytes, what, robots, progress)
        except (TimeoutError, httpx.TimeoutException):
            raise _timed_out(url, deadline, progress) from None
        except httpx.RemoteProtocolError as exc:
            if "receive buffer too long" in str(exc).lower():  # h11: the response's headers alone pass its limit
                raise TooLargeError(f"{url} sent response headers larger than BrandTruth reads (100 KB)") from exc
            raise ConnectError(f"the connection to {url} broke: {exc}") from exc
        except httpx.ConnectError as exc:
            if isinstance(exc.__context__, ssl.SSLError) or "SSL" in str(exc) or "certificate" in str(exc):
                raise TlsError(f"TLS with {url} failed: {exc}. The site's certificate is not valid.") from exc
            raise ConnectError(f"could not connect to {url}: {exc or 'connection refused'}") from exc
        except (httpx.ReadError, httpx.WriteError) as exc:
            raise ConnectError(f"the connection to {url} broke: {exc}") from exc
        except httpx.InvalidURL as exc:
            raise BlockedAddressError(f"'{url}' is not a valid address: {exc}") from exc

    async def _follow(
        self, url: str, accept: tuple[str, ...], max_bytes: int, what: str, robots: bool, progress: _Progress
    ) -> _Raw:
        assert self._client is not None, "use 'async with Fetcher(...)'"
        seen: set[str] = set()
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            seen.add(current)
            if robots and self.policy.respect_robots and not await self._robots.allowed(current):
                raise RobotsDisallowedError(
                    f"robots.txt of {httpx.URL(current).host} forbids reading {current}; "
                    "set BRANDTRUTH_RESPECT_ROBOTS=false only if you own the site"
                )
            progress.reached, progress.received = False, 0  # of this hop: an earlier one answered quickly
            response = await self._send(current, progress)
            try:
                if response.status_code in REDIRECTS and response.headers.get("location"):
                    location = response.headers["location"].strip()
                    nxt = join(current, location)
                    if nxt is None:
                        raise BlockedAddressError(
                            f"refusing to follow {current}: it redirects to '{location}', which is not a valid address"
                        )
                    if nxt in seen:
                        raise TooManyRedirectsError(f"{url} redirects in a loop (back to {nxt})")
                    current = nxt
                    continue
                if response.status_code >= 400:
                    raise HttpStatusError(
                        f"{current} answered HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                        response.status_code,
                        retry_after=retry_after_seconds(response.headers),
                    )
                media = _media_type(response.headers)
                if media and not media.startswith(accept):
                    raise NotHtmlError(f"{current} is {media}, not an {what} BrandTruth can read")
                body = await self._read_capped(response, current, max_bytes, what, progress)
                if not media and accept == HTML_TYPES and b"<" not in body[:1024]:
                    raise NotHtmlError(f"{current} has no content type and does not look like HTML")
                return _Raw(current, response.status_code, response.headers, body)
            finally:
                await response.aclose()
        raise TooManyRedirectsError(f"{url} redirected more than {self.policy.max_redirects} times")

    async def _send(self, url: str, progress: _Progress) -> httpx.Response:
        assert self._client is not None
        target = httpx.URL(url)
        if target.scheme not in ("http", "https") or not target.host:
            raise BlockedAddressError(f"only http(s) addresses can be fetched, not '{url}'")
        port = target.port or (443 if target.scheme == "https" else 80)
        p = self.policy
        ip = await resolve_checked(
            target.host, port, p.resolver, allow_loopback=p.loopback_allowed, allow_private=p.allow_private
        )
        # Connect to the checked IP itself; the name travels in Host and SNI (cert checked against it).
        pinned = target.copy_with(host=str(ip))
        extensions: dict[str, object] = {"trace": progress.trace}
        if target.scheme == "https":
            extensions["sni_hostname"] = target.host
        request = self._client.build_request(
            "GET", pinned, headers={"Host": target.netloc.decode("ascii")}, extensions=extensions
        )
        try:
            return await self._client.send(request, stream=True)
        except httpx.RemoteProtocolError as exc:
            # httpx parses a redirect's Location even when not following it: "http://0177.0.0.1/" is
            # refused there, and that is a bad address (final), not a broken connection (retryable).
            if "location header" in str(exc).lower():
                raise BlockedAddressError(
                    f"refusing to follow {url}: it redirects to something that is not a valid address ({exc})"
                ) from exc
            raise

    async def _read_capped(self, response: httpx.Response, url: str, max_bytes: int, what: str, progress: _Progress) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLargeError(f"{url} is {int(declared):,} bytes; the {what} limit is {max_bytes:,}")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            progress.received = size
            if size > max_bytes:
                raise TooLargeError(f"{url} is larger than the {what} limit of {max_bytes:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def _timed_out(url: str, seconds: float, progress: _Progress) -> FetchTimeoutError:
    """A site that was reached and then too slow (a slow drip, a server that holds the request) is
    not retried: trying again costs the same wait for the same answer (a slow-drip start page made a
    run fail after 4 attempts and 47 s). One that could not be reached in time may be next time."""
    if not progress.reached:
        return FetchTimeoutError(f"{url} could not be reached within {seconds:g} s; the site may be down, try again later")
    got = f"sent only {progress.received:,} bytes" if progress.received else "sent nothing back"
    return FetchTimeoutError(
        f"{url} {got} in {seconds:g} s: the site is too slow to read, and trying again at once would not help",
        retryable=False,
    )


__all__ = ["Fetcher", "Page", "Resource", "FetchPolicy", "FetchError", "decode_html"]
