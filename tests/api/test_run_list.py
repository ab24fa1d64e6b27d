"""The run list (issue 17's run index, issue 16's defects 1 and 5): every run once, newest first, by
cursor; filters, search and counts; statuses read from each engine's index, never guessed, and no
query to any worker while listing. Runs in every status are seeded cheaply (tests/support/run_index.py);
test_real_runs_are_listed_with_their_run_page_status checks the workflow's own index upserts."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from brandtruth.devserver import DevServer, free_port
from brandtruth.engines import listing
from brandtruth.engines.local.store import LocalRunStore
from brandtruth.engines.temporal import search_attributes
from tests.conftest import unique_queue
from tests.support import run_index
from tests.support.run_index import Seeded, StubWorkerThread
from tests.support.servers import ApiServer, make_settings, wait_for
from tests.support.sse import read_stream

TEMPORAL_RUNS, LOCAL_RUNS = 44, 21


class Seed:
    def __init__(self, api: ApiServer, runs: list[Seeded], stub: StubWorkerThread | None):
        self.api, self.runs, self.stub = api, runs, stub


@pytest.fixture(scope="module", params=["temporal", "local"])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """An API on one engine with runs in every status: on 'temporal', stub runs on its task queue
    (served by a counting stub worker, the only worker) plus local runs to merge with; on 'local'
    (Temporal unreachable), local runs only."""
    data: Path = tmp_path_factory.mktemp(f"list-{request.param}")
    if request.param == "temporal":
        temporal: DevServer = request.getfixturevalue("temporal_server")
        queue = unique_queue("bt-list")
        with StubWorkerThread(temporal.address, queue) as stub:
            api = ApiServer(make_settings(data, temporal.address, queue)).start()
            runs = stub.run(run_index.seed_temporal(stub.client, queue, TEMPORAL_RUNS))  # type: ignore[arg-type]
            store = LocalRunStore(api.settings.local_db_path)
            runs += run_index.seed_local(store, LOCAL_RUNS)
            store.close()
            with api.client() as c:  # visibility is eventually consistent: wait (bounded) for every run
                wait_for(lambda: _total(c) == len(runs), 60, "every seeded run in the counts")
                wait_for(lambda: len(_every_page(c, 100)) == len(runs), 60, "every seeded run listed")
            yield Seed(api, runs, stub)
            api.stop()
    else:
        api = ApiServer(make_settings(data, f"127.0.0.1:{free_port()}", unique_queue())).start()
        store = LocalRunStore(api.settings.local_db_path)
        runs = run_index.seed_local(store, LOCAL_RUNS * 3)
        store.close()
        yield Seed(api, runs, None)
        api.stop()


def _total(c: httpx.Client, **params: Any) -> int:
    return int(c.get("/workflow/list/counts", params=params).json()["total"])


def _every_page(c: httpx.Client, limit: int, **params: Any) -> list[dict[str, Any]]:
    """Follows X-Next-Cursor to the end; every row of every page, in order."""
    rows: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        r = c.get("/workflow/list", params={"limit": limit, **params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        rows += r.json()
        cursor = r.headers.get("x-next-cursor")
        if not cursor:
            return rows
        assert r.headers["link"].endswith('>; rel="next"') and f"cursor={cursor}" in r.headers["link"]
    raise AssertionError("the list never ended")


def _key(row: dict[str, Any]) -> tuple[datetime, str]:
    return datetime.fromisoformat(row["created_at"]), row["workflow_id"]


def test_cursor_pages_list_every_run_once_newest_first_with_its_status(seeded: Seed) -> None:
    asked_before = run_index.QUERIES[0]
    with seeded.api.client() as c:
        for limit in (1, 7, 100):
            rows = _every_page(c, limit)
            ids = [r["workflow_id"] for r in rows]
            assert len(ids) == len(set(ids)), "a run was listed twice"
            assert set(ids) == {s.workflow_id for s in seeded.runs}, "a run was never listed"
            assert [_key(r) for r in rows] == sorted((_key(r) for r in rows), reverse=True)
        want = {s.workflow_id: s for s in seeded.runs}
        for row in rows:
            assert row["status"] == want[row["workflow_id"]].status, row
            assert row["url"] == want[row["workflow_id"]].url
            assert (row["status"] == "unknown") == bool(row["status_reason"])
        assert {r["status"] for r in rows} >= {s for _, s in run_index.LOCAL_KINDS}
    assert run_index.QUERIES[0] == asked_before, "listing asked a worker"


def test_status_filter_search_and_counts_agree_with_the_runs(seeded: Seed) -> None:
    asked_before = run_index.QUERIES[0]
    with seeded.api.client() as c:
        for status in ("awaiting_approval", "failed", "completed", "unknown"):
            listed = {r["workflow_id"] for r in _every_page(c, 5, status=status)}
            assert listed == {s.workflow_id for s in seeded.runs if s.status == status}, status
        # Runs started without the index (status unknown) carry no search terms: search cannot find them.
        indexed = [s for s in seeded.runs if s.status != "unknown"]
        bakery = {s.workflow_id for s in indexed if "bakery" in s.url}
        assert {r["workflow_id"] for r in _every_page(c, 4, q="bakery")} == bakery
        assert {r["workflow_id"] for r in _every_page(c, 4, q="Bak")} == bakery  # a word's beginning, any case
        assert {r["workflow_id"] for r in _every_page(c, 4, q="harbor yoga")} == {
            s.workflow_id for s in indexed if "harbor-yoga" in s.url
        }
        assert _every_page(c, 4, q="bakery yoga") == []
        both = {r["workflow_id"] for r in _every_page(c, 3, status="awaiting_approval", q="quillpad")}
        assert both == {s.workflow_id for s in seeded.runs if s.status == "awaiting_approval" and "quillpad" in s.url}
        counts = c.get("/workflow/list/counts").json()
        assert {k: v for k, v in counts["counts"].items() if v} == dict(Counter(s.status for s in seeded.runs))
        assert counts["total"] == len(seeded.runs) and counts["incomplete"] == []
        assert c.get("/workflow/list/counts", params={"q": "bakery"}).json()["total"] == len(bakery)
    assert run_index.QUERIES[0] == asked_before, "listing asked a worker"


def test_offset_still_pages_and_bad_list_parameters_say_what_to_do(seeded: Seed) -> None:
    with seeded.api.client() as c:
        first = c.get("/workflow/list", params={"limit": 5})
        second = c.get("/workflow/list", params={"limit": 5, "cursor": first.headers["x-next-cursor"]}).json()
        assert c.get("/workflow/list", params={"limit": 5, "offset": 5}).json() == second
        both = c.get("/workflow/list", params={"offset": 5, "cursor": first.headers["x-next-cursor"]})
        assert both.status_code == 422 and "cursor" in both.json()["detail"]
        bad = c.get("/workflow/list", params={"cursor": "not-a-cursor"})
        assert bad.status_code == 422 and "first page" in bad.json()["detail"]
        status = c.get("/workflow/list", params={"status": "Running"})
        assert status.status_code == 422 and "awaiting_approval" in status.json()["detail"]


def test_real_runs_are_listed_with_their_run_page_status(api: ApiServer, demo_url: str, sites: Any) -> None:
    """The workflow's own index (upserted as it moves) and the local store's rows: each run's list
    status is the status its run page shows, after the decision that ended it."""
    from tests.api.test_contract import start_run, stream_until_awaiting

    runs = {name: start_run(api, demo_url, num_variants=1) for name in ("approve", "reject", "cancel", "wait")}
    failing = start_run(api, f"{sites.base_url}/no-such-site/", num_variants=1)
    expiring = start_run(api, demo_url, num_variants=1, approval_timeout_seconds=1)
    with api.client() as c:
        for name, run_id in runs.items():
            stream_until_awaiting(api, run_id)
            if name == "approve":
                assert c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}).status_code == 200
            elif name == "reject":
                assert c.post(f"/workflow/reject/{run_id}", json={"reason": "off brand"}).status_code == 200
            elif name == "cancel":
                assert c.post(f"/workflow/cancel/{run_id}").status_code == 200
            else:  # a revision round: the run waits for review again, in round 1
                revised = c.post(f"/workflow/revise/{run_id}", json={"variant_ids": ["v1"], "feedback": "more urgent"})
                assert revised.status_code == 200, revised.text
        want = {
            runs["approve"]: "completed",
            runs["reject"]: "rejected",
            runs["cancel"]: "cancelled",
            runs["wait"]: "awaiting_approval",
            failing: "failed",
            expiring: "expired",
        }

        def listed_as_run_pages_say() -> bool:
            pages = {r: c.get(f"/workflow/progress/{r}").json()["status"] for r in want}
            if any(pages[r] != s for r, s in want.items()):
                return False
            rows = {r["workflow_id"]: r for r in c.get("/workflow/list", params={"limit": 100}).json()}
            return all(r in rows and rows[r]["status"] == pages[r] for r in want)

        wait_for(listed_as_run_pages_say, 60, "the list to show each run's status as its run page does")
        rows = {r["workflow_id"]: r for r in c.get("/workflow/list", params={"limit": 100}).json()}
        assert rows[runs["wait"]]["brand_name"], "the brand name is listed once extracted"
        wait_for(
            lambda: next(r for r in c.get("/workflow/list").json() if r["workflow_id"] == runs["wait"])["revision_round"] == 1,
            30,
            "the revision round in the list",
        )
        waiting = {r["workflow_id"] for r in _every_page(c, 50, status="awaiting_approval")}
        assert runs["wait"] in waiting and runs["approve"] not in waiting


def _missing(server: DevServer) -> list[str]:
    async def ask() -> list[str]:
        client = await Client.connect(server.address)
        return await search_attributes.missing(client, "default")

    return asyncio.run(ask())


def test_dev_server_registers_the_index_also_in_a_database_from_before_it(tmp_path: Path) -> None:
    db = tmp_path / "temporal.sqlite"
    old = DevServer(db_file=db, log_file=tmp_path / "t.log", search_attributes=False).start()  # as before the index
    try:
        assert len(_missing(old)) == len(search_attributes.ALL_KEYS)
    finally:
        old.stop()
    again = DevServer(db_file=db, log_file=tmp_path / "t.log").start()  # `--dev` on the same .data/ today
    try:
        assert _missing(again) == []
    finally:
        again.stop()


def test_without_the_search_attributes_runs_still_run_and_list_as_unknown_with_why(
    tmp_path: Path, demo_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A cluster whose namespace lacks the attributes: the API says so at start-up with the command,
    runs start without the index (no workflow task fails on it) and the list never guesses."""
    server = DevServer(log_file=tmp_path / "t.log", search_attributes=False).start()
    api = None
    try:
        with caplog.at_level(logging.ERROR, logger="brandtruth.api.service"):
            api = ApiServer(make_settings(tmp_path, server.address, unique_queue()), embedded_worker=True).start()
            api.wait_healthy("healthy")
            wait_for(lambda: "temporal operator search-attribute create" in caplog.text, 30, "the start-up error")
        assert "BrandTruthStatus" in caplog.text
        with api.client() as c:
            run_id = c.post("/workflow/start", json={"url": demo_url, "num_variants": 1, "formats": ["square"]}).json()[
                "workflow_id"
            ]
            read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "awaiting_approval")
            row = wait_for(
                lambda: next((r for r in c.get("/workflow/list").json() if r["workflow_id"] == run_id), None),
                30,
                "the run listed",
            )
            assert row["status"] == "unknown" and "run index" in row["status_reason"]
            assert c.get(f"/workflow/progress/{run_id}").json()["status"] == "awaiting_approval"
    finally:
        if api:
            api.stop()
        server.stop()


def test_list_during_a_temporal_outage_answers_with_local_runs_and_says_what_is_missing(tmp_path: Path) -> None:
    server = DevServer(log_file=tmp_path / "t.log").start()
    api = ApiServer(make_settings(tmp_path, server.address, unique_queue())).start()
    try:
        api.wait_healthy("degraded")  # connected, no worker: the list asks visibility all the same
        store = LocalRunStore(api.settings.local_db_path)
        local = run_index.seed_local(store, 3)
        store.close()
        with api.client() as c:
            assert "x-runs-incomplete" not in c.get("/workflow/list").headers
            server.stop()
            resp = c.get("/workflow/list")
            assert resp.status_code == 200
            assert {r["workflow_id"] for r in resp.json()} == {s.workflow_id for s in local}
            assert resp.headers["x-runs-incomplete"].startswith("temporal:")
            counts = c.get("/workflow/list/counts").json()
            assert counts["total"] == 3 and counts["incomplete"]
    finally:
        api.stop()
        server.stop()


def test_search_terms_are_words_and_their_beginnings_without_case_or_accents() -> None:
    terms = listing.search_terms("Café Lumière", "https://www.boulangerie-lumiere.fr/menu.html")
    assert {"cafe", "ca", "caf", "lumiere", "lumi", "boulangerie", "boul", "fr", "menu"} <= set(terms)
    assert not {"www", "https", "html", "é", "café"} & set(terms)
    assert listing.query_terms("LUMIÈRE  café") == ["lumiere", "cafe"]
    assert len(listing.search_terms("x" * 500, "https://" + "a" * 300 + ".example/")) <= listing.MAX_TERMS
