"""A hostile page with 60,000 links next to a normal run, on both engines (issue 12, item 1).

Ranking a page's links was quadratic and ran on the event loop: on the local engine the whole API
froze (/workflow/health took 58 s), on Temporal unrelated runs lost their activity heartbeats.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.support.servers import ApiServer
from tests.support.sites import SiteServer
from tests.support.sse import read_stream


def _start(api: ApiServer, url: str, **settings: Any) -> str:
    with api.client() as c:
        resp = c.post("/workflow/start", json={"url": url, "num_variants": 1, "formats": ["square"], **settings})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["workflow_id"])


def _until_review(api: ApiServer, run_id: str) -> str:
    events, _ = read_stream(
        api.base_url, run_id, until=lambda ev: ev.data["type"] in ("awaiting_approval", "failed"), timeout=180
    )
    return str(events[-1].data["type"])


def test_a_60000_link_page_is_read_in_part_while_a_normal_run_completes(api: ApiServer, sites: SiteServer, demo_url: str) -> None:
    hostile = _start(api, sites.url("_adv/many-links/"), max_pages=3)
    normal = _start(api, demo_url)

    assert _until_review(api, normal) == "awaiting_approval"
    assert _until_review(api, hostile) == "awaiting_approval"

    with api.client() as c:
        brand = c.get(f"/workflow/result/{hostile}").json()["brand"]
        health = c.get("/workflow/health")
        metrics = c.get("/metrics").text
    assert brand["name"] == "Northwind Analytics"
    assert any("page read in part" in w and "not all of its links" in w for w in brand["warnings"]), brand["warnings"]
    assert 1 < len(brand["pages"]) <= 4  # the start page and at most max_pages more
    assert not [p for p in sites.hits if p.startswith("/_adv/many-links/a/")]  # the archive links were never crawled
    assert health.status_code == 200
    # The API watches its own loop (and, in this process, the embedded worker's: the same loop).
    lag = re.search(r'^brandtruth_event_loop_lag_seconds_count\{process="api"\} (\S+)$', metrics, re.M)
    assert lag and float(lag.group(1)) > 0, metrics[-2000:]
    print(f"[{api.engine}] worst event-loop lag of this API: {api.server.config.app.state.loop_lag.worst * 1000:.0f} ms")  # type: ignore[attr-defined]


def test_many_links_fixture_is_what_it_claims(sites: SiteServer) -> None:
    """The hostile page really carries 60,000 same-site links and fits under the 3 MB page cap."""
    body = httpx.get(sites.url("_adv/many-links/"), timeout=30).content
    assert len(re.findall(rb'<a href="a/\d+">', body)) == 60_000
    assert len(body) < 3_000_000
