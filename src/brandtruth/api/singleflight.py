"""Keyed single-flight: concurrent callers asking for the same expensive result share one computation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SingleFlight(Generic[T]):
    """`await flights.run(key, make)` starts `make()` once per key while it is in flight; later callers
    with the same key await the same task. A failure reaches every waiter and is not cached."""

    def __init__(self) -> None:
        self._inflight: dict[str, asyncio.Task[T]] = {}

    async def run(self, key: str, make: Callable[[], Awaitable[T]]) -> T:
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.ensure_future(make())
            self._inflight[key] = task
            task.add_done_callback(lambda _t: self._inflight.pop(key, None))
        # shield: one impatient client disconnecting must not cancel the render the others wait for.
        return await asyncio.shield(task)

    @property
    def in_flight(self) -> int:
        return len(self._inflight)
