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
MAX_ROUNDS = 40  # windows tried for one page (each at least doubles or halves): far more than needed
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
    """The `limit` newest runs older than `query.before`, newest first, and whether more follow."""
    base = base_query(task_queue, query.status, query.q)
    # Strictly older than the cursor's run; its own microsecond stays in, sorted out below, since
    # runs can share a start time (to the microsecond Python sees).
    hi = query.before.created_at + ONE_MICROSECOND if query.before else None
    top = hi or datetime.now(UTC)  # the first page's first window has no upper bound (clock skew)
    window = min(max(query.window_seconds or FIRST_WINDOW_SECONDS, MIN_WINDOW_SECONDS), MAX_WINDOW_SECONDS)
    target, ceiling = 2 * query.limit + 1, max(8 * query.limit, 100)
    found: list[WorkflowExecution] = []
    more = False
    # A window from the last page is read at once (one RPC); any other is counted first (a count is
    # cheaper than reading runs only to find there were too many of them), narrowed until it fits.
    known = query.window_seconds is not None
    for _ in range(MAX_ROUNDS):
        lo = top - timedelta(seconds=window)
        where = _window(base, lo, hi)
        batch: list[WorkflowExecution] = []
        n = None if known else await _count(client, where)
        if n is not None and n > ceiling and window > MIN_WINDOW_SECONDS:
            window = max(MIN_WINDOW_SECONDS, window * target / n)  # narrower, by how many it held
            continue
        if n != 0:
            # All of it when it cannot be narrowed (that many runs started within a millisecond).
            most = ceiling + 1 if window > MIN_WINDOW_SECONDS else None
            page = min(ceiling + 1, MAX_PAGE_SIZE)
            batch = [wf async for wf in client.list_workflows(where, page_size=page, limit=most, rpc_timeout=RPC_TIMEOUT)]
            if len(batch) > ceiling and window > MIN_WINDOW_SECONDS:
                known = False  # denser than the last page: count, then narrow
                continue
        found += batch
        if len(_older(found, query.before)) > query.limit:
            more = True
            break
        if not await _count(client, _window(base, None, lo)):
            break
        # Not enough yet: go on below this window with a wider one, sized by what this one held.
        hi = top = lo
        window = min(MAX_WINDOW_SECONDS, window * max(2.0, min(64.0, target / max(len(batch), 1))))
        known = False
    rows = sorted(_older(found, query.before), key=lambda wf: (wf.start_time, wf.id), reverse=True)
    shown = rows[: query.limit]
    # Next time start with a window that would hold about `target` runs at this density.
    span = (shown[0].start_time - shown[-1].start_time).total_seconds() if len(shown) > 1 else window
    hint = min(MAX_WINDOW_SECONDS, max(MIN_WINDOW_SECONDS, span * target / max(len(shown), 1)))
    return ListedPage(runs=[], more=more or len(rows) > query.limit, window_seconds=hint), shown


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
