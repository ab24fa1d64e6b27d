"""The fetcher: SSRF guard, redirects, caps, content types, charsets, robots.txt — against a real loopback server."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from brandtruth.config import Settings
from brandtruth.pipeline.cpu import run_cpu
from brandtruth.pipeline.errors import (
    BlockedAddressError,
    ConnectError,
    DnsError,
    FetchTimeoutError,
    HttpStatusError,
    NotHtmlError,
    RobotsDisallowedError,
    TooLargeError,
    TooManyRedirectsError,
)
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy, address_problem, client, decode_html, parse_ip_literal
from brandtruth.steps import fetch_policy
from tests.support.sites import SiteServer, serve_sites


@pytest.fixture(scope="module")
def sites() -> Iterator[SiteServer]:
    with serve_sites() as server:
        yield server


def fake_resolver(table: dict[str, list[str]]):  # noqa: ANN201 - a tiny test double
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise DnsError(f"could not resolve '{host}'")
        return table[host]

    return resolve


def loopback(**kw: object) -> FetchPolicy:
    return FetchPolicy(allow_loopback=True, **kw)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- address rules


@pytest.mark.parametrize(
    "spelling",
    [
        "127.0.0.1",
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "0x7f.0.0.1",
        "127.1",
        "017700000001",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "localhost",
        "LOCALHOST.",
        "app.localhost",
        "0.0.0.0",
        "0",
    ],
)
async def test_loopback_spellings_are_blocked_by_default(spelling: str) -> None:
    async with Fetcher(FetchPolicy()) as fetcher:
        with pytest.raises(BlockedAddressError):
            await fetcher.get_page(f"http://{spelling}/")


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "fc00::1",
        "fe80::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",
        "2002:a00:1::",
        "fd00:ec2::254",
    ],
)
def test_private_reserved_and_mapped_addresses_are_refused(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address), allow_loopback=True, allow_private=False)


def test_metadata_stays_blocked_even_when_private_is_allowed() -> None:
    for address in ("169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"):
        assert address_problem(ipaddress.ip_address(address), allow_loopback=True, allow_private=True) == (
            "a cloud metadata address"
        )
    assert address_problem(ipaddress.ip_address("10.1.2.3"), allow_loopback=True, allow_private=True) is None


def test_public_addresses_pass() -> None:
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "1.1.1.1"):
        assert address_problem(ipaddress.ip_address(address), allow_loopback=False, allow_private=False) is None


def test_legacy_ipv4_spellings_parse_like_browsers() -> None:
    assert str(parse_ip_literal("2130706433")) == "127.0.0.1"
    assert str(parse_ip_literal("0x7f.1")) == "127.0.0.1"
    assert str(parse_ip_literal("0251.0376.0251.0376")) == "169.254.169.254"
    assert parse_ip_literal("example.com") is None


async def test_name_resolving_to_private_address_is_blocked() -> None:
    policy = FetchPolicy(resolver=fake_resolver({"intranet.example": ["10.0.0.7"]}))
    async with Fetcher(policy) as fetcher:
        with pytest.raises(BlockedAddressError, match="10.0.0.7"):
            await fetcher.get_page("http://intranet.example/")


async def test_name_with_one_private_answer_among_public_ones_is_blocked() -> None:
    policy = FetchPolicy(resolver=fake_resolver({"mixed.example": ["93.184.216.34", "192.168.0.10"]}))
    async with Fetcher(policy) as fetcher:
        with pytest.raises(BlockedAddressError):
            await fetcher.get_page("http://mixed.example/")


async def test_connection_goes_to_the_checked_address_with_host_header_kept(sites: SiteServer) -> None:
    # "brand.example" resolves (once, in the guard) to the loopback server: the page arrives, so the
    # connection used the checked IP, not a second lookup of the name.
    port = sites.server_address[1]
    policy = loopback(resolver=fake_resolver({"brand.example": ["127.0.0.1"]}))
    async with Fetcher(policy) as fetcher:
        page = await fetcher.get_page(f"http://brand.example:{port}/northwind-analytics/")
    assert page.status == 200
    assert page.url == f"http://brand.example:{port}/northwind-analytics/"
    assert "Northwind" in page.text


async def test_unknown_name_is_a_dns_error_not_retryable() -> None:
    async with Fetcher(FetchPolicy(resolver=fake_resolver({}))) as fetcher:
        with pytest.raises(DnsError) as err:
            await fetcher.get_page("http://no-such-brand.example/")
    assert not err.value.retryable


async def test_non_http_schemes_are_refused() -> None:
    async with Fetcher(loopback()) as fetcher:
        for url in ("file:///etc/passwd", "ftp://example.com/", "gopher://127.0.0.1:70/"):
            with pytest.raises(BlockedAddressError):
                await fetcher.get_page(url)


async def test_policy_from_settings() -> None:
    settings = Settings(BRANDTRUTH_ALLOW_PRIVATE_URLS=True, BRANDTRUTH_FETCH_TIMEOUT_SECONDS=3, BRANDTRUTH_MAX_PAGE_BYTES=1000)
    policy = fetch_policy(settings)
    assert policy.allow_private and policy.loopback_allowed
    assert policy.timeout_seconds == 3 and policy.max_page_bytes == 1000
    assert not fetch_policy(Settings()).loopback_allowed


# ----------------------------------------------------------------------------- redirects


async def test_redirect_to_private_address_is_blocked(sites: SiteServer) -> None:
    async with Fetcher(loopback()) as fetcher:
        with pytest.raises(BlockedAddressError, match="10.0.0.1"):
            await fetcher.get_page(sites.url("_adv/redirect-private"))
        with pytest.raises(BlockedAddressError, match="metadata"):
            await fetcher.get_page(sites.url("_adv/redirect-metadata"))


async def test_redirect_to_decimal_loopback_is_blocked_without_loopback_permission(sites: SiteServer) -> None:
    # The first hop is allowed by a resolver entry; the decimal spelling on the second hop is not.
    port = sites.server_address[1]
    policy = FetchPolicy(allow_loopback=False, resolver=fake_resolver({"brand.example": ["93.184.216.34"]}))
    async with Fetcher(policy) as fetcher:
        with pytest.raises(BlockedAddressError, match="loopback"):
            await fetcher.get_page(f"http://2130706433:{port}/northwind-analytics/")


async def test_redirect_loop_is_detected(sites: SiteServer) -> None:
    async with Fetcher(loopback()) as fetcher:
        with pytest.raises(TooManyRedirectsError, match="loop"):
            await fetcher.get_page(sites.url("_adv/redirect-loop"))


async def test_five_redirects_are_followed_six_are_not(sites: SiteServer) -> None:
    async with Fetcher(loopback()) as fetcher:
        page = await fetcher.get_page(sites.url("_adv/redirect-chain/4"))  # 4 chain hops + 1 to the site
        assert page.url.endswith("/northwind-analytics/")
        with pytest.raises(TooManyRedirectsError) as err:
            await fetcher.get_page(sites.url("_adv/redirect-chain/5"))
    assert not err.value.retryable


# ----------------------------------------------------------------------------- caps and content


@pytest.mark.parametrize("path", ["_adv/huge", "_adv/huge-declared"])
async def test_twenty_megabyte_page_is_too_large(sites: SiteServer, path: str) -> None:
    started = time.monotonic()
    async with Fetcher(loopback()) as fetcher:
        with pytest.raises(TooLargeError) as err:
            await fetcher.get_page(sites.url(path))
    assert not err.value.retryable
    assert time.monotonic() - started < 5


async def test_slow_drip_hits_the_total_deadline_and_is_not_retried(sites: SiteServer) -> None:
    async with Fetcher(loopback()) as warm:
        await warm.get_page(sites.url("northwind-analytics/"))  # the CPU pool started: 0.6 s is the site's
    # Not robots.txt: it would get a third of the 0.6 s, which a busy machine's loopback can miss.
    async with Fetcher(loopback(timeout_seconds=0.6, respect_robots=False)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchTimeoutError) as err:
            await fetcher.get_page(sites.url("_adv/slow-drip"))
    # The site answered, then dripped: a retry would wait as long again for the same page.
    assert not err.value.retryable
    assert "too slow to read" in err.value.message and "bytes" in err.value.message
    assert time.monotonic() - started < 3


async def test_a_site_that_cannot_be_reached_in_time_may_be_retried() -> None:
    # A listening socket whose accept queue is full: the kernel drops further SYNs, so connecting hangs.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        try:
            for _ in range(4):
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
                fillers.append(filler)
            async with Fetcher(loopback(timeout_seconds=0.5, respect_robots=False)) as fetcher:
                with pytest.raises(FetchTimeoutError) as err:
                    await fetcher.get_page(f"http://127.0.0.1:{port}/")
        finally:
            for filler in fillers:
                filler.close()
    assert err.value.retryable and "could not be reached" in err.value.message


async def test_giant_response_headers_are_too_large_not_a_broken_connection(sites: SiteServer) -> None:
    async with Fetcher(loopback()) as fetcher:
        with pytest.raises(TooLargeError) as err:
            await fetcher.get_page(sites.url("_adv/giant-headers/"))
    assert not err.value.retryable and "response headers" in err.value.message


async def test_non_html_is_refused(sites: SiteServer) -> None:
    async with Fetcher(loopback()) as fetcher:
        with pytest.raises(NotHtmlError, match="application/pdf"):
            await fetcher.get_page(sites.url("_adv/not-html"))


@pytest.mark.parametrize(("code", "retryable"), [(404, False), (500, True), (503, True), (429, True)])
async def test_http_errors_say_if_they_are_retryable(sites: SiteServer, code: int, retryable: bool) -> None:
    async with Fetcher(loopback()) as fetcher:
        with pytest.raises(HttpStatusError) as err:
            await fetcher.get_page(sites.url(f"_adv/{code}"))
    assert err.value.status_code == code
    assert err.value.retryable is retryable
    assert err.value.retry_after == 7.0


async def test_connection_refused_is_a_retryable_connect_error() -> None:
    with serve_sites() as closed:
        url = closed.url("northwind-analytics/")
    async with Fetcher(loopback()) as fetcher:
        with pytest.raises(ConnectError) as err:
            await fetcher.get_page(url)
    assert err.value.retryable


async def test_image_size_cap(sites: SiteServer) -> None:
    async with Fetcher(loopback(max_image_bytes=1000)) as fetcher:
        with pytest.raises(TooLargeError):
            await fetcher.get_image(sites.url("northwind-analytics/img/hero-dashboard.jpg"))
        with pytest.raises(NotHtmlError):
            await fetcher.get_image(sites.url("northwind-analytics/"))


# ----------------------------------------------------------------------------- charset, UA, robots


async def test_latin1_page_decodes_as_windows_1252(sites: SiteServer) -> None:
    async with Fetcher(loopback()) as fetcher:
        page = await fetcher.get_page(sites.url("kessler-hardware/"))
    assert "Qualität" in page.text
    assert "\ufffd" not in page.text


@pytest.mark.parametrize(
    ("body", "ctype", "inline"),
    [
        ("<p>Qualität</p>".encode(), "text/html; charset=utf-8", True),  # the header says
        ('<meta charset="iso-8859-1"><p>Qualität</p>'.encode("latin-1"), "text/html", True),  # a <meta> says
        ("\ufeff<p>Qualität</p>".encode("utf-8"), "text/html", True),  # a BOM says
        ("<p>Qualität und Präzision</p>".encode("latin-1"), "text/html", False),  # nothing says: detection
        (b"<p>" + "ä".encode() * (client.INLINE_DECODE_BYTES // 2) + b"</p>", "text/html; charset=utf-8", False),  # big
    ],
)
async def test_a_declared_charset_is_decoded_without_a_turn_at_the_cpu_pool(
    body: bytes, ctype: str, inline: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    turns: list[object] = []

    async def counting(fn: object, *args: object, **kw: object) -> object:
        turns.append(fn)
        return await run_cpu(fn, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(client, "run_cpu", counting)
    assert await client.decode_text(body, ctype) == decode_html(body, ctype)  # the same text either way
    assert turns == ([] if inline else [decode_html])


async def test_robots_txt_is_honoured_and_can_be_turned_off(sites: SiteServer) -> None:
    async with Fetcher(loopback()) as fetcher:
        with pytest.raises(RobotsDisallowedError):
            await fetcher.get_page(sites.url("_adv/no-robots/page"))
    async with Fetcher(loopback(respect_robots=False)) as fetcher:
        page = await fetcher.get_page(sites.url("_adv/no-robots/page"))
    assert "Hidden" in page.text


async def test_slow_robots_txt_is_reported_as_robots_not_as_the_page() -> None:
    with serve_sites(slow_paths={"robots.txt": 20}) as slow:
        async with Fetcher(loopback(timeout_seconds=3)) as fetcher:
            with pytest.raises(FetchTimeoutError) as err:
                await fetcher.get_page(slow.url("northwind-analytics/"))
        slow.release()
    assert "robots.txt did not answer within 1 s" in err.value.message
    assert not err.value.retryable  # the site took the request and sat on it: a retry would wait as long


async def test_user_agent_names_brandtruth(sites: SiteServer) -> None:
    async with Fetcher(loopback()) as fetcher:
        assert "BrandTruth" in fetcher.policy.user_agent
        page = await fetcher.get_page(sites.url("northwind-analytics/"))
    assert page.status == 200 and page.content_type == "text/html"


# ----------------------------------------------------------------------------- SSRF: every spelling, every route
# Each forbidden target is tried directly and as a redirect from a public page. The "network" is an
# httpx.MockTransport behind the real Fetcher (guard, pinning, redirects, robots all run), and the
# names resolve through an injected resolver: nothing here can leave the machine, and the transport
# records that no request ever reached a forbidden address.

PUBLIC_IP = "93.184.216.34"
SSRF_RESOLVER = fake_resolver(
    {
        "brand.test": [PUBLIC_IP],
        "metadata.test": ["169.254.169.254"],
        "intranet.test": ["10.1.2.3"],
        "loop6.test": ["::1"],
        "mapped.test": ["::ffff:127.0.0.1"],
        "linklocal.test": ["fe80::1"],
        "half.test": [PUBLIC_IP, "172.16.0.9"],
        "sitelocal.test": ["fec0::5"],
    }
)
METADATA_SPELLINGS = [
    "169.254.169.254",
    "169.254.169.254.",
    "2852039166",
    "0xa9fea9fe",
    "0XA9FEA9FE",
    "0xa9.0xfe.0xa9.0xfe",
    "169.254.43518",
    "169.0xfe.0251.254",
    "[::ffff:169.254.169.254]",
    "[::ffff:a9fe:a9fe]",
    "[64:ff9b::a9fe:a9fe]",
    "[2002:a9fe:a9fe::]",
    "[::169.254.169.254]",
    "[::ffff:0:a9fe:a9fe]",
    "[fd00:ec2::254]",
    "169.254.170.2",
    "100.100.100.200",
    "metadata.test",
    "brand.test@169.254.169.254",
]
FORBIDDEN_HOSTS = METADATA_SPELLINGS + [
    # loopback
    "127.0.0.1",
    "127.0.0.1:8000",
    "127.255.255.254",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "0x7f.1",
    "127.1",
    "[::1]",
    "[0::1]",
    "[0:0:0:0:0:0:0:1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[::127.0.0.1]",
    "localhost",
    "LocalHost.",
    "app.localhost",
    "loop6.test",
    "mapped.test",
    # unspecified (connects to this host on Linux)
    "0.0.0.0",
    "0",
    "[::]",
    # private, shared, reserved
    "10.0.0.1",
    "012.0.0.1",
    "167772161",
    "0x0a.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "100.64.0.1",
    "198.18.0.1",
    "240.0.0.1",
    "[fc00::1]",
    "[fd12:3456::1]",
    "[::ffff:10.0.0.1]",
    "[64:ff9b::a00:1]",
    "[2002:a00:1::]",
    "intranet.test",
    "half.test",
    "[fec0::1]",
    "[fec0:ffff::10]",
    "sitelocal.test",  # deprecated site-local: Python says global
    # link-local, multicast
    "169.254.1.1",
    "[fe80::1]",
    "[fe80::1%25eth0]",
    "linklocal.test",
    "224.0.0.1",
    "[ff02::1]",
    # spellings that are no address at all
    "%31%32%37.0.0.1",
    "１２７.０.０.１",
    "①②⑦.0.0.1",
    "127.000.000.001",
    "0251.0376.0251.0376",
    "4294967296",
]


class RecordingTransport(httpx.AsyncBaseTransport):
    """Plays a public brand site at PUBLIC_IP whose "/" redirects to `location`; records every request."""

    def __init__(self, location: str | None = None):
        self.location = location
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host != PUBLIC_IP:
            return httpx.Response(200, text="<h1>internal secrets</h1>", headers={"Content-Type": "text/html"})
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        # Raw UTF-8 bytes, as a real server would send a non-ASCII Location.
        return httpx.Response(302, headers=[(b"Location", (self.location or "/").encode())])

    @property
    def hosts(self) -> set[str]:
        return {r.url.host for r in self.requests}


def assert_clearly_refused(err: BlockedAddressError) -> None:
    message = err.message
    assert "refusing to" in message or "not a valid" in message, message
    assert not err.retryable


@pytest.mark.parametrize("host", FORBIDDEN_HOSTS)
async def test_forbidden_address_is_refused_in_every_spelling(host: str) -> None:
    transport = RecordingTransport()
    async with Fetcher(FetchPolicy(resolver=SSRF_RESOLVER), transport=transport) as fetcher:
        with pytest.raises(BlockedAddressError) as err:
            await fetcher.get_page(f"http://{host}/latest/meta-data/")
    assert_clearly_refused(err.value)
    assert transport.requests == []  # refused before any connection, robots.txt included


@pytest.mark.parametrize("host", FORBIDDEN_HOSTS)
@pytest.mark.parametrize("form", ["absolute", "scheme-relative"])
async def test_redirect_to_forbidden_address_is_refused(host: str, form: str) -> None:
    location = f"http://{host}/latest/meta-data/" if form == "absolute" else f"//{host}/latest/meta-data/"
    transport = RecordingTransport(location)
    async with Fetcher(FetchPolicy(resolver=SSRF_RESOLVER), transport=transport) as fetcher:
        with pytest.raises(BlockedAddressError) as err:
            await fetcher.get_page("http://brand.test/")
    assert_clearly_refused(err.value)
    assert transport.hosts == {PUBLIC_IP}  # the brand page was read; the forbidden hop never was


@pytest.mark.parametrize("host", METADATA_SPELLINGS)
async def test_metadata_is_refused_in_every_spelling_even_when_private_is_allowed(host: str) -> None:
    transport = RecordingTransport(f"http://{host}/latest/meta-data/")
    policy = FetchPolicy(allow_private=True, resolver=SSRF_RESOLVER)
    async with Fetcher(policy, transport=transport) as fetcher:
        with pytest.raises(BlockedAddressError, match="metadata") as err:
            await fetcher.get_page(f"http://{host}/")
        with pytest.raises(BlockedAddressError, match="metadata"):
            await fetcher.get_page("http://brand.test/")
    assert "a cloud metadata address" in err.value.message
    assert transport.hosts <= {PUBLIC_IP}


async def test_redirect_chain_through_public_hops_to_metadata_is_refused() -> None:
    # brand.test -> half-way public page -> metadata: every hop is checked, not just the first.
    hops = iter(["http://brand.test/step-2", "http://brand.test/step-3", "http://2852039166/latest/"])

    class Chain(RecordingTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            if request.url.path == "/robots.txt":
                return httpx.Response(404)
            return httpx.Response(307, headers={"Location": next(hops)})

    transport = Chain()
    async with Fetcher(FetchPolicy(resolver=SSRF_RESOLVER), transport=transport) as fetcher:
        with pytest.raises(BlockedAddressError, match="metadata"):
            await fetcher.get_page("http://brand.test/")
    assert transport.hosts == {PUBLIC_IP}


async def test_dns_rebinding_cannot_switch_the_address_after_the_check() -> None:
    # The first answer is public, every later one loopback: the fetcher connects to the address it
    # checked (pinned), so a second look-up by the HTTP client cannot send it inside.
    answers = iter([[PUBLIC_IP]] + [["127.0.0.1"]] * 10)

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    class Page(RecordingTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return httpx.Response(200, text="<h1>Brand</h1>", headers={"Content-Type": "text/html"})

    transport = Page()
    async with Fetcher(FetchPolicy(resolver=rebinding, respect_robots=False), transport=transport) as fetcher:
        page = await fetcher.get_page("http://rebind.test/")
    assert page.url == "http://rebind.test/"
    assert transport.hosts == {PUBLIC_IP}
    assert transport.requests[0].headers["Host"] == "rebind.test"
    async with Fetcher(FetchPolicy(resolver=rebinding, respect_robots=False), transport=transport) as fetcher:
        with pytest.raises(BlockedAddressError, match="loopback"):
            await fetcher.get_page("http://rebind.test/")  # the next look-up says loopback: refused, not fetched
    assert transport.hosts == {PUBLIC_IP}


def test_ipv4_carried_in_ipv6_is_seen_through() -> None:
    for spelling in (
        "::ffff:a9fe:a9fe",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::a9fe:a9fe",
        "::ffff:0:a9fe:a9fe",
        "2002:a9fe:a9fe::1",
        "::a9fe:a9fe",
    ):
        assert address_problem(ipaddress.ip_address(spelling), allow_loopback=True, allow_private=True) == (
            "a cloud metadata address"
        ), spelling


def test_pipeline_errors_keep_their_flags_across_processes() -> None:
    """Steps raise inside the CPU pool's processes; pickling used to drop retryable/retry_after."""
    import pickle

    from brandtruth.pipeline.errors import ExtractionError, HttpStatusError, ProviderError

    status = pickle.loads(pickle.dumps(HttpStatusError("503 from the site", 503, retry_after=7.0)))
    assert type(status) is HttpStatusError
    assert (status.message, status.status_code, status.retryable, status.retry_after) == ("503 from the site", 503, True, 7.0)
    provider = pickle.loads(pickle.dumps(ProviderError("no variant passed", retryable=False)))
    assert provider.retryable is False and provider.type == "ProviderError"
    assert pickle.loads(pickle.dumps(ExtractionError("no text"))).retryable is False
