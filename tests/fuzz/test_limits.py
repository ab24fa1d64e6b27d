"""Input limits at their exact boundaries, through the real server on both engines.

tests/api/test_contract.py already checks num_variants 0 and 11, an unknown format and a 3,000-char
URL; here are the edges it does not: the last accepted and first refused value of each bound.
"""

from __future__ import annotations

from typing import Any

import pytest

from brandtruth.pipeline.models import MAX_BATCH_ITEMS, MAX_URL_LENGTH, MAX_VARIANTS
from tests.support.servers import ApiServer
from tests.support.sites import SiteServer


def _url_of_length(sites: SiteServer, length: int) -> str:
    # A real loopback page that answers 404, so an accepted run fails at once and fetches nothing else.
    base = sites.url("_adv/404") + "?pad="
    return base + "x" * (length - len(base))


def test_url_of_exactly_the_maximum_length_is_accepted_and_one_more_is_422(api: ApiServer, sites: SiteServer) -> None:
    with api.client() as c:
        longest = c.post("/workflow/start", json={"url": _url_of_length(sites, MAX_URL_LENGTH), "num_variants": 1})
        too_long = c.post("/workflow/start", json={"url": _url_of_length(sites, MAX_URL_LENGTH + 1), "num_variants": 1})
    assert longest.status_code == 200, longest.text
    assert too_long.status_code == 422
    assert any(e["loc"][-1] == "url" for e in too_long.json()["detail"])


@pytest.mark.parametrize(
    ("field", "accepted", "refused"),
    [
        ("num_variants", [1, MAX_VARIANTS], [0, MAX_VARIANTS + 1, -1, 2.5, "three", None, 10**30]),
        (
            "formats",
            [["square"], ["square", "landscape", "story"]],
            [[], ["square", "landscape", "story", "square"], ["poster"], "square", [None]],
        ),
        ("max_pages", [1, 20], [0, 21]),
        ("approval_timeout_seconds", [0.001, 30 * 24 * 3600], [0, -1, 30 * 24 * 3600 + 1]),
        # At least an hour: a reminder every second filled Temporal's history in ~2 h (issue 12 item 7).
        ("reminder_interval_seconds", [3600, 30 * 24 * 3600], [1, 3599.5, 30 * 24 * 3600 + 1]),
        ("provider", ["offline"], ["gpt-7", ""]),
        ("platform", ["google"], ["myspace"]),
    ],
)
def test_start_bounds(api: ApiServer, sites: SiteServer, field: str, accepted: list[Any], refused: list[Any]) -> None:
    url = sites.url("_adv/404")
    with api.client() as c:
        for value in accepted:
            resp = c.post("/workflow/start", json={"url": url, "num_variants": 1, field: value})
            assert resp.status_code == 200, (field, value, resp.text)
        for value in refused:
            resp = c.post("/workflow/start", json={"url": url, field: value})
            assert resp.status_code == 422, (field, value, resp.text)
            assert isinstance(resp.json()["detail"], list)


def test_start_refuses_unknown_fields(api: ApiServer, sites: SiteServer) -> None:
    with api.client() as c:
        resp = c.post("/workflow/start", json={"url": sites.url("_adv/404"), "num_variant": 3})
    assert resp.status_code == 422  # a typo must not silently fall back to the default


def test_batch_bounds(api: ApiServer, sites: SiteServer) -> None:
    urls = [sites.url("_adv/404")] * (MAX_BATCH_ITEMS + 1)
    with api.client() as c:
        assert c.post("/workflow/batch", json={"urls": urls}).status_code == 422
        split = {"urls": urls[:60], "items": [{"url": u} for u in urls[:41]]}
        assert c.post("/workflow/batch", json=split).status_code == 422  # 101 in total
        assert c.post("/workflow/batch", json={"urls": urls[:1], "max_concurrency": 21}).status_code == 422


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/workflow/list", {"limit": 0}),
        ("/workflow/list", {"limit": 101}),
        ("/workflow/list", {"offset": -1}),
        ("/workflow/list", {"offset": 10_001}),
    ],
)
def test_query_bounds(api: ApiServer, path: str, params: dict[str, int]) -> None:
    with api.client() as c:
        assert c.get(path, params=params).status_code == 422
