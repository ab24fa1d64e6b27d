"""A real worker whose compose activity stops at a gate, so a test can SIGKILL it mid-activity.

Same workflow, same activities; only compose first touches GATE_DIR/compose-started and then waits
(bounded) for GATE_DIR/release, which the test never creates.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from temporalio import activity

from brandtruth.config import get_settings
from brandtruth.engines.temporal.activities import build_activities
from brandtruth.engines.temporal.activities.compose import NAME as COMPOSE
from brandtruth.engines.temporal.activity_names import COMPOSE_ONE_VARIANT
from brandtruth.engines.temporal.worker import build_worker, connect_with_retry
from brandtruth.pipeline.models import ComposeBatchInput, ComposeOutput
from brandtruth.steps import Steps

GATE_DIR = Path(os.environ["GATE_DIR"])
MAX_HOLD_SECONDS = 120


@activity.defn(name=COMPOSE)
async def gated_compose(inp: ComposeBatchInput) -> ComposeOutput:
    (GATE_DIR / "compose-started").touch()
    for _ in range(MAX_HOLD_SECONDS * 10):
        if (GATE_DIR / "release").exists():
            break
        activity.heartbeat()
        await asyncio.sleep(0.1)
    raise RuntimeError("gate never released")


async def main() -> None:
    settings = get_settings()
    client = await connect_with_retry(settings)
    activities = [a for a in build_activities(Steps(settings)) if a.__name__ not in (COMPOSE, COMPOSE_ONE_VARIANT)]
    activities.append(gated_compose)
    worker = build_worker(client, settings, activities=activities)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with worker:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
