"""run_index.list_page's start-time windows against a visibility stand-in that answers only by start time.

The dev-server tests list runs started moments before; here the newest run started a minute before
the list is read (a quiet evening, then someone opens the page), with 2,000 runs packed into the 30 s
before that: a first page must still find them, and paging must list each once, newest first.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from brandtruth.engines.listing import ListKey, ListQuery
from brandtruth.engines.temporal import run_index

BOUND = re.compile(r'StartTime (>=|<) "([^"]+)"')


@dataclass
class Run:
    id: str
    start_time: datetime


@dataclass
class Count:
    count: int


class Visibility:
    """Answers count_workflows/list_workflows from the StartTime bounds of the query, in no useful order."""

    def __init__(self, runs: list[Run]) -> None:
        self.runs = runs
        self.calls = 0

    def _matching(self, query: str) -> list[Run]:
        self.calls += 1
        found = self.runs
        for op, value in BOUND.findall(query):
            t = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            found = [r for r in found if (r.start_time >= t if op == ">=" else r.start_time < t)]
        return found[::-1]  # oldest first: the server's order is not ours

    async def count_workflows(self, query: str, **_: Any) -> Count:
        return Count(len(self._matching(query)))

    async def list_workflows(self, query: str, *, limit: int | None = None, **_: Any) -> Any:
        found = self._matching(query)
        for r in found[:limit] if limit else found:
            yield r


def runs_ending(ago: timedelta, n: int, spread: timedelta) -> list[Run]:
    newest = datetime.now(UTC) - ago
    step = spread / n
    return [Run(f"pipeline-{i:05d}", newest - i * step) for i in range(n)]  # newest first


def page_through(client: Visibility, limit: int, window: float | None = None) -> list[str]:
    ids: list[str] = []
    before: ListKey | None = None
    for _ in range(10_000):
        page, rows = asyncio.run(run_index.list_page(client, "q", ListQuery(limit=limit, before=before, window_seconds=window)))  # type: ignore[arg-type]
        ids += [r.id for r in rows]
        if not page.more or not rows:
            return ids
        before, window = ListKey(rows[-1].start_time, rows[-1].id), page.window_seconds
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("ago", [timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=5), timedelta(days=40)])
def test_first_page_finds_the_newest_runs_however_long_ago_they_started(ago: timedelta) -> None:
    runs = runs_ending(ago, 2000, timedelta(seconds=30))
    client = Visibility(runs)
    page, rows = asyncio.run(run_index.list_page(client, "q", ListQuery(limit=20)))  # type: ignore[arg-type]
    assert [r.id for r in rows] == [r.id for r in runs[:20]]
    assert page.more
    assert client.calls <= 2 * run_index.MAX_ROUNDS


def test_a_first_page_from_a_stale_window_hint_still_finds_them() -> None:
    """The engine starts a first page from the window the last first page used (a second or less)."""
    runs = runs_ending(timedelta(minutes=2), 2000, timedelta(seconds=30))
    page, rows = asyncio.run(run_index.list_page(Visibility(runs), "q", ListQuery(limit=20, window_seconds=0.3)))  # type: ignore[arg-type]
    assert [r.id for r in rows] == [r.id for r in runs[:20]]


def test_paging_lists_every_run_once_newest_first() -> None:
    runs = runs_ending(timedelta(minutes=3), 2000, timedelta(seconds=30)) + runs_ending(
        timedelta(days=3), 300, timedelta(hours=2)
    )
    runs.sort(key=lambda r: (r.start_time, r.id), reverse=True)
    assert page_through(Visibility(runs), 20) == [r.id for r in runs]
