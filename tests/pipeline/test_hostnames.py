"""Host names DNS can never look up (an empty label, a label over 63 characters): a clear,
non-retryable refusal before DNS, a skipped sub-resource with a warning, never a bare UnicodeError."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.errors import BlockedAddressError
from brandtruth.pipeline.extract import extract_brand
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy, resolve_checked
from brandtruth.pipeline.hostnames import hostname_problem
from brandtruth.pipeline.models import BrandProfile, ExtractInput, StartRequest
from brandtruth.pipeline.urls import join
from tests.support.sites import SiteServer, serve_sites

LONG_LABEL = "a" * 64
BAD_HOSTS = [
    "www..example.com",
    f"{LONG_LABEL}.example.com",
    ".example.com",
    "x" * 250 + ".example.com",
    "bad\u200d\u0301.example.com",
]


@pytest.fixture(scope="module")
def sites() -> Iterator[SiteServer]:
    with serve_sites() as server:
        yield server


@pytest.mark.parametrize("host", BAD_HOSTS)
async def test_unencodable_host_is_refused_before_dns_not_a_unicode_error(host: str) -> None:
    async with Fetcher(FetchPolicy()) as fetcher:  # the system resolver: the one whose IDNA codec raised
        with pytest.raises(BlockedAddressError) as err:
            await fetcher.get_image(f"https://{host}/photo.jpg")
    assert "not a valid" in err.value.message  # httpx's own IDNA check or ours: both say so
    assert not err.value.retryable


def test_good_names_have_no_problem() -> None:
    for host in ("example.com", "www.example.com.", "bücher.de", "xn--bcher-kva.de", "a" * 63 + ".com", "my_host.example"):
        assert hostname_problem(host) is None, host


async def extract(url: str, tmp_path: Path) -> BrandProfile:
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        return await extract_brand(ExtractInput(run_id="r", url=url), fetcher, LocalArtifactStore(tmp_path))


async def test_image_with_unencodable_host_is_skipped_with_a_warning(sites: SiteServer, tmp_path: Path) -> None:
    brand = await extract(sites.url("_probes/bad-hosts/"), tmp_path)
    assert brand.name == "Copperleaf Joinery"
    assert any("340 staircases" in f.evidence for f in brand.facts)
    skipped = [w for w in brand.warnings if w.startswith("image skipped")]
    assert any(LONG_LABEL in w and "label is longer than 63" in w for w in skipped), brand.warnings
    assert any("www..example.com" in w and "empty label" in w for w in skipped), brand.warnings


@pytest.mark.parametrize("url", ["https://www..example.com/", f"http://{LONG_LABEL}.example.com/about"])
def test_start_request_refuses_a_url_whose_host_cannot_exist(url: str) -> None:
    with pytest.raises(ValueError, match="not a valid host name"):
        StartRequest(url=url)


async def test_an_international_name_is_looked_up_by_its_punycode_form() -> None:
    # It was refused as "not a valid host name" before: a brand on bücher.de could not be read.
    asked: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["93.184.216.34"]

    ip = await resolve_checked("Bücher.de", 443, resolver, allow_loopback=False, allow_private=False)
    assert str(ip) == "93.184.216.34" and asked == ["xn--bcher-kva.de"]
    with pytest.raises(BlockedAddressError, match="not a valid host name"):  # an address in disguise stays refused
        await resolve_checked("１２７.０.０.１", 80, resolver, allow_loopback=False, allow_private=False)
    assert asked == ["xn--bcher-kva.de"]


@pytest.mark.parametrize("href", ["http://[oops/x.png", "http://example.com:abc/", "http://example.com:99999/", "//[::1/x"])
def test_an_href_that_is_no_url_joins_to_none_not_an_error(href: str) -> None:
    assert join("http://brand.test/page/", href) is None
    assert join("http://brand.test/page/", "../about#team") == "http://brand.test/about#team"


async def test_a_page_full_of_unusable_addresses_is_read_and_they_are_named(sites: SiteServer, tmp_path: Path) -> None:
    # One "http://[oops/" in an <img>, <a>, <link> or CSS url() raised ValueError out of the parse: the run failed.
    brand = await extract(sites.url("_probes/bad-urls/"), tmp_path)
    assert brand.name == "Tidewater Sailmakers"
    assert any("1,200 sails" in f.evidence for f in brand.facts)
    skipped = [w for w in brand.warnings if "not valid URLs" in w]
    # og:image, the stylesheet, the icon, two links, two <img> and a srcset; the CSS backgrounds are dropped quietly
    assert len(skipped) == 1 and skipped[0].startswith("skipped 8 address(es)"), brand.warnings
    assert "'http://[og-image/sail.jpg'" in skipped[0]
    assert any(w.startswith("image skipped: https://exa mple.com/jib.jpg") for w in brand.warnings), brand.warnings


async def test_a_redirect_to_an_unusable_address_is_refused_clearly() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://[oops/admin"})

    async def public(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    policy = FetchPolicy(resolver=public, respect_robots=False)
    async with Fetcher(policy, transport=httpx.MockTransport(answer)) as fetcher:
        with pytest.raises(BlockedAddressError, match="not a valid address") as err:
            await fetcher.get_image("http://brand.test/logo.png")
    assert not err.value.retryable
