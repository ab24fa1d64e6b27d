"""The Temporal worker: `python -m brandtruth.engines.temporal.worker`.

Registers AdPipelineWorkflow, BatchPipelineWorkflow and one activity per step (extract, generate, match,
compose, score, export; their names are in activity_names.py, with the one-variant compose that runs
recorded before batches still schedule) on TEMPORAL_TASK_QUEUE. Stops gracefully
on SIGINT/SIGTERM (running activities get a grace period to finish).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from prometheus_client import start_http_server
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from brandtruth import looplag
from brandtruth.config import Settings, get_settings
from brandtruth.engines.temporal.activities import build_activities
from brandtruth.engines.temporal.client import connect
from brandtruth.engines.temporal.workflows.ad_pipeline import AdPipelineWorkflow
from brandtruth.engines.temporal.workflows.batch import BatchPipelineWorkflow
from brandtruth.logs import configure_logging
from brandtruth.pipeline import cpu
from brandtruth.pipeline.artifacts import open_store, report_store
from brandtruth.pipeline.fetch.browser import close_browser
from brandtruth.steps import Steps

log = logging.getLogger("brandtruth.worker")

# The SDK's default sticky timeout is 10 s: a killed worker's runs would wait that long before
# another worker takes their next workflow task. 2 s keeps the stall short; a healthy worker
# answers its sticky queue in milliseconds.
STICKY_QUEUE_TIMEOUT = timedelta(seconds=2)
GRACEFUL_SHUTDOWN = timedelta(seconds=10)


def workflow_runner(settings: Settings) -> SandboxedWorkflowRunner | UnsandboxedWorkflowRunner:
    """The sandbox re-imports workflow modules for every new run: ~25 ms of this process's CPU per
    start, which under a burst of starts delayed every run's first events by up to a second. Our
    workflow code only drives the orchestrator through activities and workflow time, and
    tests/temporal/test_replay.py replays recorded and fresh histories inside the sandbox, which
    catches a non-deterministic call in the workflow module itself (the orchestrator and models are
    passed through, so those rely on review and on replaying). BRANDTRUTH_WORKFLOW_SANDBOX=true
    brings the sandbox back."""
    return SandboxedWorkflowRunner() if settings.workflow_sandbox else UnsandboxedWorkflowRunner()


async def connect_with_retry(settings: Settings, attempts: int = 30) -> Client:
    """A freshly started dev server opens its port a moment before it serves; wait for it."""
    for attempt in range(1, attempts + 1):
        try:
            return await connect(settings, timeout=5)
        except Exception as exc:
            if attempt == attempts:
                raise
            log.info("Temporal at %s not ready (%s); retrying", settings.temporal_host, type(exc).__name__)
            await asyncio.sleep(1)
    raise AssertionError("unreachable")


def build_worker(
    client: Client, settings: Settings, task_queue: str | None = None, activities: Sequence[Callable[..., Any]] | None = None
) -> Worker:
    return Worker(
        client,
        task_queue=task_queue or settings.temporal_task_queue,
        workflows=[AdPipelineWorkflow, BatchPipelineWorkflow],
        activities=activities or build_activities(Steps(settings)),
        sticky_queue_schedule_to_start_timeout=STICKY_QUEUE_TIMEOUT,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
        max_concurrent_activities=settings.worker_max_activities,
        max_cached_workflows=settings.worker_max_cached_workflows,
        workflow_runner=workflow_runner(settings),
    )


async def run_worker(settings: Settings, stop: asyncio.Event, task_queue: str | None = None) -> None:
    client = await connect_with_retry(settings)
    worker = build_worker(client, settings, task_queue)
    log.info(
        "worker polling task queue '%s' on %s (namespace %s)",
        worker.task_queue,
        settings.temporal_host,
        settings.temporal_namespace,
    )
    async with worker:
        await stop.wait()
        log.info("shutting down worker (grace %ss)", GRACEFUL_SHUTDOWN.total_seconds())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="BrandTruth Temporal worker")
    parser.add_argument("--task-queue", help="override TEMPORAL_TASK_QUEUE")
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_json)
    cpu.forget_entry_module()
    cpu.configure(settings.cpu_processes)
    if settings.worker_metrics_port:
        start_http_server(settings.worker_metrics_port, addr="127.0.0.1")  # step metrics of this process
        log.info("metrics on http://127.0.0.1:%d/metrics", settings.worker_metrics_port)

    async def _main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        _lag, lag_watch = looplag.start("worker")
        store = open_store(settings.artifacts_url, settings.artifacts_root, settings.artifacts_s3())
        store_check = asyncio.create_task(report_store(store, log))  # says clearly if the bucket is wrong
        try:
            await run_worker(settings, stop, args.task_queue)
        finally:
            lag_watch.cancel()
            store_check.cancel()
            await close_browser()  # the headless Chromium a JavaScript page started, if any

    try:
        asyncio.run(_main())
    finally:
        cpu.shutdown()  # the pool's processes go with the worker, not after it


if __name__ == "__main__":
    main()
