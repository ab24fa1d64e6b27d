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
from brandtruth.pipeline.models import StepRetry
from brandtruth.pipeline.policies import HEARTBEAT_EVERY_SECONDS

T = TypeVar("T")
log = logging.getLogger(__name__)


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
