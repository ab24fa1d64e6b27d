"""What every activity shares: heartbeating while the step runs, and error translation.

Pipeline errors become ApplicationError with the same `type` name; `non_retryable` and the
next retry delay (e.g. from Retry-After) come from the error itself, decided in errors.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from temporalio import activity
from temporalio.exceptions import ApplicationError

from src.logs import workflow_id_var
from src.pipeline.errors import PipelineError
from src.pipeline.policies import HEARTBEAT_EVERY_SECONDS

T = TypeVar("T")


async def run_step(work: Awaitable[T]) -> T:
    workflow_id_var.set(activity.info().workflow_id)
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
        raise ApplicationError(exc.message, type=exc.type, non_retryable=not exc.retryable,
                               next_retry_delay=delay) from exc
    finally:
        if not task.done():
            task.cancel()
