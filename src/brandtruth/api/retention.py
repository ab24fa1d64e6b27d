"""The API's janitor for the artifact store: a check at start-up, then the hourly retention sweep
(old runs' artifacts go, on either store; live runs stay).

A run is live while the local engine holds it or Temporal says its workflow is still running (it
may be waiting days for a decision, and its export still needs its creatives). When Temporal cannot
be asked, a stale run is kept for the next sweep: deleting is the one thing never done on a guess.
Every API replica may run the sweep; deleting the same old run twice is harmless.
"""

from __future__ import annotations

import asyncio
import logging

from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from brandtruth.config import Settings
from brandtruth.engines.local.engine import LocalEngine
from brandtruth.engines.temporal.client import TemporalConnection
from brandtruth.pipeline.artifacts import ArtifactStore, StorageError, report_store, sweep

log = logging.getLogger("brandtruth.api")

RETENTION_CHECK_SECONDS = 3600


class LiveRuns:
    def __init__(self, local: LocalEngine, conn: TemporalConnection):
        self.local = local
        self.conn = conn

    async def __call__(self, run_id: str) -> bool:
        if self.local.knows(run_id):
            return True
        client = await self.conn.client()  # raises while Temporal is down: the run is kept
        try:
            desc = await client.get_workflow_handle(run_id).describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return False  # a local run that has ended, or a Temporal run past its retention
            raise
        return desc.status == WorkflowExecutionStatus.RUNNING


async def sweep_once(store: ArtifactStore, settings: Settings, is_live: LiveRuns) -> list[str]:
    removed = await sweep(store, settings.artifact_retention_days * 86400, is_live)
    if removed:
        log.info("retention: removed artifacts of %d run(s) older than %g days", len(removed), settings.artifact_retention_days)
    return removed


async def retention_loop(store: ArtifactStore, settings: Settings, is_live: LiveRuns) -> None:
    """At start-up, check the store; then hourly, drop artifacts of runs older than the retention
    period (never of live runs)."""
    await report_store(store, log)
    if settings.artifact_retention_days <= 0:
        return
    while True:
        try:
            await sweep_once(store, settings, is_live)
        except (OSError, StorageError) as exc:
            log.warning("retention sweep failed: %s", exc)
        await asyncio.sleep(RETENTION_CHECK_SECONDS)
