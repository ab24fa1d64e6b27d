"""What every activity shares: heartbeating while the step runs, and error translation.

Pipeline errors become ApplicationError with the same `type` name; `non_retryable` and the
next retry delay (e.g. from Retry-After) come from the error itself, decided in errors.py. Any other
exception (a bug) becomes a retryable ApplicationError saying 'Type: message', as the local engine says it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from temporalio import activity
from temporalio.exceptions import ApplicationError

from brandtruth.engines.temporal.activity_names import STEP_OF_ACTIVITY
from brandtruth.logs import workflow_id_var
from brandtruth.pipeline.errors import PipelineError, unexpected_error_message
from brandtruth.pipeline.models import StepProgress, StepRetry
from brandtruth.pipeline.policies import HEARTBEAT_EVERY_SECONDS

T = TypeVar("T")
log = logging.getLogger(__name__)

# An activity's progress reaches its workflow as signals, each a workflow task and history events:
# at most one per this interval per activity, carrying the latest count.
PROGRESS_SIGNAL_SECONDS = 0.25


class ProgressSignals:
    """Sends a running step's progress (StepProgress) to its workflow as `step_progress` signals,
    throttled to one per PROGRESS_SIGNAL_SECONDS (the latest report wins); best effort. The final
    count is never sent: the activity's result completes it. Use as `async with`; leaving it drops
    whatever is still unsent.

    `quiet_first`: nothing is sent in the activity's first seconds, so one that ends sooner reports
    through its result alone (one variant's compose: ~0.1 s, ten at once; each signal would cost the
    server a workflow task and history events for a count its result brings a moment later)."""

    def __init__(self, quiet_first: float = 0.0) -> None:
        self._workflow_id = activity.info().workflow_id or ""
        self._latest: StepProgress | None = None
        self._sender: asyncio.Task[None] | None = None
        self._last_sent = float("-inf")
        self._not_before = asyncio.get_running_loop().time() + quiet_first

    def report(self, p: StepProgress) -> None:
        if p.done >= p.total or not self._workflow_id:
            return
        self._latest = p
        if self._sender is None or self._sender.done():
            self._sender = asyncio.ensure_future(self._send())

    async def _send(self) -> None:
        loop = asyncio.get_running_loop()
        while self._latest is not None:
            wait = max(self._last_sent + PROGRESS_SIGNAL_SECONDS, self._not_before) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)  # throttle: later reports replace this one meanwhile
            p, self._latest = self._latest, None
            self._last_sent = loop.time()
            try:
                await activity.client().get_workflow_handle(self._workflow_id).signal("step_progress", p)
            except Exception as exc:
                log.info("could not report progress of %s: %s", p.step, exc)

    async def __aenter__(self) -> ProgressSignals:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._sender is not None and not self._sender.done():
            self._sender.cancel()


async def _report_retry(info: activity.Info) -> None:
    """Tell the run that this step is on another attempt; best effort, never fails the step."""
    step = STEP_OF_ACTIVITY.get(info.activity_type)
    if step is None or not info.workflow_id:
        return
    try:
        handle = activity.client().get_workflow_handle(info.workflow_id)
        await handle.signal("step_retry", StepRetry(step=step, attempt=info.attempt))
    except Exception as exc:
        log.info("could not report retry of %s: %s", step, exc)


async def run_step(work: Awaitable[T]) -> T:
    info = activity.info()
    workflow_id_var.set(info.workflow_id)
    if info.attempt > 1:
        await _report_retry(info)
    task = asyncio.ensure_future(work)
    try:
        # Heartbeats let the server notice a dead worker within the heartbeat timeout.
        while True:
            done, _ = await asyncio.wait({task}, timeout=HEARTBEAT_EVERY_SECONDS)
            if done:
                break
            activity.heartbeat()
        return task.result()
    except PipelineError as exc:
        delay = timedelta(seconds=exc.retry_after) if exc.retry_after else None
        raise ApplicationError(exc.message, type=exc.type, non_retryable=not exc.retryable, next_retry_delay=delay) from exc
    except ApplicationError:
        raise
    except Exception as exc:  # a bug: retried, and reported as the local engine reports it
        raise ApplicationError(unexpected_error_message(exc), type=type(exc).__name__, non_retryable=False) from exc
    finally:
        if not task.done():
            task.cancel()
