"""Many runs in every status, cheaply, for the run-list tests and bench/list_bench.py.

Temporal: executions of a stub `AdPipelineWorkflow` (same type name, same memo and search attributes
as real runs) on the API's task queue, served by a stub worker that counts every query it answers,
so a test can prove that listing asks no worker anything. Local: rows in the API's SQLite store.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from brandtruth.engines.listing import search_terms
from brandtruth.engines.local.store import LocalRunStore
from brandtruth.engines.temporal import search_attributes as sa
from brandtruth.pipeline.models import PipelineInput, RunState

BRANDS = ["Sunrise Bakery", "Harbor Yoga", "Quillpad", "Northwind Analytics", "Café Lumière"]
# (how the run is seeded, the status the list must show)
KINDS: list[tuple[str, str]] = [
    ("started", "started"),
    ("running", "running"),
    ("awaiting_approval", "awaiting_approval"),
    ("approved", "approved"),
    ("completed", "completed"),
    ("rejected", "rejected"),
    ("expired", "expired"),
    ("cancelled", "cancelled"),
    ("failed", "failed"),
    ("terminated", "failed"),  # Temporal only: ended outside the orchestrator, as the run page says
    ("unindexed", "unknown"),  # Temporal only: open and started without the index
]
LOCAL_KINDS = [k for k in KINDS if k[0] not in ("terminated", "unindexed")]
CLOSED = {"completed", "rejected", "expired", "cancelled", "failed"}
QUERIES = [0]  # how many queries the stub worker has answered


@dataclass(frozen=True)
class Seeded:
    workflow_id: str
    status: str  # as the list must show it
    brand: str
    url: str


def brand_url(i: int) -> tuple[str, str]:
    brand = BRANDS[i % len(BRANDS)]
    slug = brand.lower().replace(" ", "-").replace("é", "e").replace("è", "e")
    return brand, f"https://{slug}.example/shop/{i}"


@workflow.defn(name="AdPipelineWorkflow")
class StubPipeline:
    """Returns at once or stays open, as it is told; answers `snapshot` and counts it."""

    @workflow.run
    async def run(self, arg: dict[str, Any]) -> dict[str, Any]:
        if arg.get("end") != "return":
            await workflow.wait_condition(lambda: False)
        return {}

    @workflow.query
    def snapshot(self, _: Any) -> dict[str, Any]:
        QUERIES[0] += 1
        return {}


@asynccontextmanager
async def stub_worker(address: str, task_queue: str) -> AsyncIterator[Client]:
    for attempt in range(100):  # a dev server that just opened its port may not serve yet
        try:
            client = await Client.connect(address, data_converter=pydantic_data_converter)
            break
        except RuntimeError:
            if attempt == 99:
                raise
            await asyncio.sleep(0.2)
    worker = Worker(
        client,
        task_queue=task_queue,
        workflows=[StubPipeline],
        workflow_runner=UnsandboxedWorkflowRunner(),
        max_concurrent_workflow_tasks=50,
    )
    async with worker:
        yield client


async def seed_temporal(
    client: Client, task_queue: str, n: int, prefix: str = "pipeline-seed", parallel: int = 32
) -> list[Seeded]:
    gate = asyncio.Semaphore(parallel)

    async def one(i: int) -> Seeded:
        kind, shown = KINDS[i % len(KINDS)]
        brand, url = brand_url(i)
        run_id = f"{prefix}-{i:05d}"
        pairs: list[SearchAttributePair[Any]] = []
        if kind != "unindexed":
            status = "failed" if kind == "terminated" else kind
            pairs = [
                SearchAttributePair(sa.STATUS, "running" if kind == "terminated" else status),
                SearchAttributePair(sa.ENGINE, "temporal"),
                SearchAttributePair(sa.ROUND, i % 3),
                SearchAttributePair(sa.BRAND, brand),
                SearchAttributePair(sa.SEARCH, search_terms(brand, url)),
            ]
        end = "return" if kind in CLOSED else None
        async with gate:
            handle = await client.start_workflow(
                "AdPipelineWorkflow",
                {"end": end},
                id=run_id,
                task_queue=task_queue,
                memo={"url": url},
                search_attributes=TypedSearchAttributes(pairs),
            )
            if kind == "terminated":
                await handle.terminate("seeded")
        return Seeded(run_id, shown, brand, url)

    return list(await asyncio.gather(*[one(i) for i in range(n)]))


def seed_local(store: LocalRunStore, n: int, prefix: str = "pipeline-lseed", start: datetime | None = None) -> list[Seeded]:
    t0 = start or datetime.now(UTC) - timedelta(minutes=10)
    seeded = []
    for i in range(n):
        kind, shown = LOCAL_KINDS[i % len(LOCAL_KINDS)]
        brand, url = brand_url(i)
        run_id = f"{prefix}-{i:05d}"
        # Some share a start time to the microsecond: the order must still be total.
        created = t0 + timedelta(milliseconds=(i // 3) * 7)
        opts = {"url": url, "num_variants": 1}
        state = RunState.model_validate(
            {
                "workflow_id": run_id,
                "engine": "local",
                "request": opts,
                "status": kind,
                "created_at": created,
                "updated_at": created,
                "revision_round": i % 3,
                "brand": {"url": url, "name": brand} if kind != "started" else None,
            }
        )
        store.save(PipelineInput.model_validate({"workflow_id": run_id, "request": opts}), state)
        seeded.append(Seeded(run_id, shown, brand if kind != "started" else "", url))
    return seeded


class StubWorkerThread:
    """The stub worker on its own event loop in a thread, for the synchronous tests; run() runs a
    coroutine there (e.g. seed_temporal with the worker's client)."""

    def __init__(self, address: str, task_queue: str):
        self.address, self.task_queue = address, task_queue
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._stop: asyncio.Event | None = None
        self.client: Client | None = None

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        async with stub_worker(self.address, self.task_queue) as client:
            self.client = client
            self.ready.set()
            await self._stop.wait()

    def __enter__(self) -> StubWorkerThread:
        self.thread.start()
        self._serving = asyncio.run_coroutine_threadsafe(self._serve(), self.loop)
        deadline = time.monotonic() + 60
        while not self.ready.wait(0.1):
            if self._serving.done():
                self._serving.result()  # raises why it stopped
            if time.monotonic() > deadline:
                raise AssertionError("stub worker did not start")
        return self

    def run(self, coro: Any, timeout: float = 600) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def __exit__(self, *exc: object) -> None:
        assert self._stop is not None
        self.loop.call_soon_threadsafe(self._stop.set)
        self._serving.result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
