"""Connecting to Temporal and probing its health (server reachable + workers polling our queue)."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from brandtruth.config import Settings

log = logging.getLogger(__name__)

# A poller that has not polled for this long is taken for dead (idle long-polls renew ~every 60 s).
POLLER_FRESH_SECONDS = 90


def sdk_runtime(settings: Settings) -> Runtime | None:
    """A runtime exporting the Temporal SDK's own metrics in Prometheus format, when a port is set."""
    global _runtime
    if settings.temporal_metrics_port and _runtime is None:
        _runtime = Runtime(
            telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=f"127.0.0.1:{settings.temporal_metrics_port}"))
        )
    return _runtime


_runtime: Runtime | None = None


async def connect(settings: Settings, timeout: float | None = None) -> Client:
    """Connect with a bounded wait; raises on an unreachable server."""
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    return await asyncio.wait_for(
        Client.connect(
            settings.temporal_host,
            namespace=settings.temporal_namespace,
            data_converter=pydantic_data_converter,
            api_key=api_key,
            tls=settings.temporal_tls or bool(api_key),
            runtime=sdk_runtime(settings),
        ),
        timeout=timeout or settings.temporal_connect_timeout,
    )


@dataclass
class Health:
    temporal_available: bool
    status: str
    message: str
    workers: int = 0
    checked_at: float = field(default_factory=time.monotonic)

    def as_dict(self, **extra: Any) -> dict[str, Any]:
        return {
            "temporal_available": self.temporal_available,
            "status": self.status,
            "message": self.message,
            "workers": self.workers,
            **extra,
        }


async def count_pollers(client: Client, namespace: str, task_queue: str, timeout: float) -> int:
    """Workers currently polling the workflow task queue."""
    resp = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        ),
        timeout=timedelta(seconds=timeout),
    )
    now = time.time()
    fresh = [p for p in resp.pollers if now - p.last_access_time.ToSeconds() < POLLER_FRESH_SECONDS]
    return len({p.identity for p in fresh})


class TemporalConnection:
    """A lazily (re)connected client plus a cached health probe, shared by the API."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._client: Client | None = None
        self.ever_connected = False
        self._health: Health | None = None
        self._lock = asyncio.Lock()
        self._probing: asyncio.Task[Health] | None = None

    async def client(self) -> Client:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    self._client = await connect(self.settings)
                    self.ever_connected = True
                    log.info(
                        "connected to Temporal at %s (namespace %s)",
                        self.settings.temporal_host,
                        self.settings.temporal_namespace,
                    )
        return self._client

    def invalidate(self) -> None:
        self._health = None

    async def health(self, force: bool = False) -> Health:
        if not force and (fresh := self._fresh_health()):
            return fresh
        # One probe in flight at a time, shared: when the cache runs out under a burst of starts, they
        # all wait for the same probe instead of each sending the server its own.
        if self._probing is None or self._probing.done():
            self._probing = asyncio.ensure_future(self._probe_and_keep())
        return await asyncio.shield(self._probing)

    async def _probe_and_keep(self) -> Health:
        self._health = await self._probe()
        return self._health

    def _fresh_health(self) -> Health | None:
        cached = self._health
        if cached and time.monotonic() - cached.checked_at < self.settings.health_cache_seconds:
            return cached
        return None

    async def _probe(self) -> Health:
        s = self.settings
        timeout = s.temporal_connect_timeout
        try:
            client = await self.client()
            workers = await count_pollers(client, s.temporal_namespace, s.temporal_task_queue, timeout)
        except Exception as exc:  # any failure to reach the server means degraded, never a 500
            log.warning("Temporal unreachable at %s: %s", s.temporal_host, exc)
            return Health(False, "degraded", f"Using fallback: Temporal unreachable at {s.temporal_host} ({type(exc).__name__})")
        if workers == 0:
            return Health(
                False,
                "degraded",
                f"Using fallback: Temporal is up at {s.temporal_host} but no worker polls task queue "
                f"'{s.temporal_task_queue}'; start one with: python -m brandtruth.engines.temporal.worker",
            )
        return Health(True, "healthy", f"Temporal at {s.temporal_host}, {workers} worker(s) polling", workers)
