"""Listing Temporal runs from visibility alone: filters, search, counts and newest-first pages.

No worker is asked anything: a run's status is its `BrandTruthStatus` search attribute (written by
the workflow as it moves) or, once it closed abnormally, how Temporal says it ended. SQL visibility
(the dev server, Postgres, MySQL) cannot `ORDER BY`: it returns open runs first, then closed runs by
close time, an order that changes as runs close, so paging by its own token dropped and repeated
runs. Pages are cut by start time instead: each page lists the runs started in a window ending at
the cursor, sized so that a page reads about twice what it shows (one RPC once the size is known), and
sorts them here. The window that worked rides in the cursor for the next page.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.client import Client, WorkflowExecution, WorkflowExecutionStatus

from brandtruth.engines.listing import UNKNOWN, ListedPage, ListedRun, ListKey, ListQuery, query_terms, thumb_url
from brandtruth.engines.temporal import search_attributes as sa
from brandtruth.pipeline.models import RunStatus

FIRST_WINDOW_SECONDS = 3600.0
MIN_WINDOW_SECONDS = 0.001
MAX_WINDOW_SECONDS = 20 * 365 * 86400.0
MAX_ROUNDS = 80  # counts for one page's span (every second one halves the bracket): far more than needed
ONE_MICROSECOND = timedelta(microseconds=1)
MAX_PAGE_SIZE = 1000  # the server's default cap on a visibility page
RPC_TIMEOUT = timedelta(seconds=3)  # a list during an outage answers with the local runs, and says so, soon
OPEN = ("started", "running", "awaiting_approval", "approved")
CLOSED = tuple(s.value for s in RunStatus if s.terminal)
ABNORMAL = '("Failed", "Terminated", "TimedOut", "Canceled")'


def _status_clause(status: str | None) -> str:
    """The visibility query for a list status, matching how `listed()` derives it."""
    if status is None:
        return ""
    if status in OPEN:
        return f'ExecutionStatus = "Running" AND {sa.STATUS.name} = "{status}"'
    if status == UNKNOWN:
        return f'ExecutionStatus = "Running" AND {sa.STATUS.name} IS NULL'
    indexed = f'(ExecutionStatus = "Completed" AND {sa.STATUS.name} = "{status}")'
    if status == RunStatus.FAILED.value:
        return f"({indexed} OR ExecutionStatus IN {ABNORMAL})"
    return indexed


def base_query(task_queue: str, status: str | None = None, q: str = "") -> str:
    # A run that continued-as-new is listed once, as its latest execution.
    parts = [
        'WorkflowType = "AdPipelineWorkflow"',
        f'TaskQueue = "{_quoted(task_queue)}"',
        'ExecutionStatus != "ContinuedAsNew"',
    ]
    if clause := _status_clause(status):
        parts.append(f"({clause})")
    parts += [f'{sa.SEARCH.name} = "{_quoted(term)}"' for term in query_terms(q)]
    return " AND ".join(parts)


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _window(base: str, lo: datetime | None, hi: datetime | None) -> str:
    q = base
    if lo is not None:
        q += f' AND StartTime >= "{_time(lo)}"'
    if hi is not None:
        q += f' AND StartTime < "{_time(hi)}"'
    return q


async def _count(client: Client, query: str) -> int:
    return (await client.count_workflows(query, rpc_timeout=RPC_TIMEOUT)).count


async def list_page(client: Client, task_queue: str, query: ListQuery) -> tuple[ListedPage, list[WorkflowExecution]]:
    """The `limit` newest runs older than `query.before`, newest first, and whether more follow.

    One window [top - span, top) is read: one that holds more than the page (so the page is exactly
    its newest runs) and at most `ceiling` runs. The last page's span is tried first (one RPC);
    otherwise the span is searched by counts: widened until it holds enough, then, between a span
    known to hold too few and one known to hold too many, alternately interpolated by the counts and
    halved, so that runs bunched anywhere (a burst of thousands, years ago, after a quiet month) are
    found in a bounded number of counts.
    """
    base = base_query(task_queue, query.status, query.q)
    # Strictly older than the cursor's run; its own microsecond stays in, sorted out below, since
    # runs can share a start time (to the microsecond Python sees).
    hi = query.before.created_at + ONE_MICROSECOND if query.before else None
    top = hi or datetime.now(UTC)  # the first page's first window has no upper bound (clock skew)
    need, ceiling = query.limit + 2, max(8 * query.limit, 100)  # +1 for "more", +1 for the cursor's own run
    target = 2 * query.limit + 1

    async def read(span: float | None, whole: bool = False) -> list[WorkflowExecution]:
        where = _window(base, None if span is None else top - timedelta(seconds=span), hi)
        most = None if whole else ceiling + 1  # whole: more than a page's worth started within a millisecond
        page = min(ceiling + 1, MAX_PAGE_SIZE)
        return [wf async for wf in client.list_workflows(where, page_size=page, limit=most, rpc_timeout=RPC_TIMEOUT)]

    async def count(span: float | None) -> int:
        return await _count(client, _window(base, None if span is None else top - timedelta(seconds=span), hi))

    span = min(max(query.window_seconds or FIRST_WINDOW_SECONDS, MIN_WINDOW_SECONDS), MAX_WINDOW_SECONDS)
    found: list[WorkflowExecution] | None = None
    if query.window_seconds is not None:  # the last page's span: read at once
        batch = await read(span)
        if need <= len(batch) <= ceiling:
            found = batch
    if found is None:
        total = await count(None)
        if total <= ceiling:  # everything left fits in one read
            found, span = await read(None), MAX_WINDOW_SECONDS
        else:
            few, few_n = 0.0, 0  # a span holding fewer than `need` (0: none tried)
            many, many_n = MAX_WINDOW_SECONDS * 2, total  # a span holding more than `ceiling` (all of them)
            whole = False
            for round_ in range(MAX_ROUNDS):
                n = await count(span)
                if n < need:
                    few, few_n = span, n
                elif n > ceiling and span > MIN_WINDOW_SECONDS:
                    many, many_n = span, n
                else:
                    whole = n > ceiling  # that many within a millisecond: read them all
                    break
                if many - few <= MIN_WINDOW_SECONDS:
                    span, whole = many, True  # likewise
                    break
                if many > MAX_WINDOW_SECONDS:  # no span yet holds too many: widen
                    span = min(MAX_WINDOW_SECONDS, span * (64.0 if few_n == 0 else max(2.0, min(64.0, target / few_n))))
                elif round_ % 2 == 0:  # interpolate by the counts, inside the bracket
                    guess = few + (many - few) * (target - few_n) / max(many_n - few_n, 1)
                    span = min(max(guess, few + (many - few) / 64), many - (many - few) / 64)
                else:  # halve the bracket: a bounded number of rounds however the runs are spread
                    span = (few + many) / 2
            else:  # out of rounds: show the newest runs known to fit (fewer than a page), never a wrong order
                span = few
            found = await read(span, whole)
    rows = sorted(_older(found, query.before), key=lambda wf: (wf.start_time, wf.id), reverse=True)
    shown = rows[: query.limit]
    # Next time start with a span that would hold about `target` runs at this density.
    gap = (shown[0].start_time - shown[-1].start_time).total_seconds() if len(shown) > 1 else span
    hint = min(MAX_WINDOW_SECONDS, max(MIN_WINDOW_SECONDS, gap * target / max(len(shown), 1)))
    return ListedPage(runs=[], more=len(rows) > query.limit, window_seconds=hint), shown


def _older(found: list[WorkflowExecution], before: ListKey | None) -> list[WorkflowExecution]:
    if before is None:
        return found
    return [wf for wf in found if (wf.start_time, wf.id) < (before.created_at, before.workflow_id)]


async def listed(wf: WorkflowExecution, finished_status: Any = None) -> ListedRun:
    """One row, from what visibility returned: the status is never guessed."""
    attrs = wf.typed_search_attributes
    indexed, reason = attrs.get(sa.STATUS), None
    if wf.status == WorkflowExecutionStatus.RUNNING:
        status = indexed or UNKNOWN
        if not indexed:
            reason = "started without the run index (an older version, or its search attributes were not registered)"
    elif wf.status == WorkflowExecutionStatus.COMPLETED:
        status = indexed if indexed in CLOSED else (finished_status or UNKNOWN)
        if status == UNKNOWN:
            reason = "finished without the run index; open the run to read its outcome"
    else:  # terminated, timed out, failed or cancelled outside the orchestrator: as the run page says
        status = RunStatus.FAILED.value
    memo = await wf.memo()
    rounds = attrs.get(sa.ROUND) or 0
    return ListedRun(
        workflow_id=wf.id,
        engine="temporal",
        status=status,
        url=str(memo.get("url", "")),
        created_at=wf.start_time,
        brand_name=attrs.get(sa.BRAND) or "",
        revision_round=rounds,
        status_reason=reason,
        thumb_url=thumb_url(wf.id, memo.get("format"), status, rounds),  # memo: runs started since it has it
    )


async def count_by_status(client: Client, task_queue: str, q: str, statuses: tuple[str, ...]) -> dict[str, int]:
    counts = await asyncio.gather(*[_count(client, base_query(task_queue, s, q)) for s in statuses])
    return dict(zip(statuses, counts, strict=True))
