"""Event-loop lag: how late a periodic wake-up runs, exported per process (api, worker) to Prometheus.

Everything in a process (SSE streams, health, workflow tasks, activity heartbeats) shares one event
loop, so one callback that computes for a second delays all of them by a second. Work whose cost grows
with untrusted input belongs in the CPU pool (src/brandtruth/pipeline/cpu.py); this watch shows when something
slipped through: `brandtruth_event_loop_lag_seconds` (histogram), `..._max_seconds` (recent worst),
and a warning naming the stall.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from brandtruth.metrics import EVENT_LOOP_LAG, EVENT_LOOP_LAG_MAX

log = logging.getLogger("brandtruth.looplag")

INTERVAL = 0.25  # seconds between wake-ups: fine enough to see a 50 ms stall, ~free to run
WINDOW = 60.0  # the max gauge reports the worst lag of the last one to two windows
WARN_AFTER = 0.25  # a stall this long is logged (once per stall)


@dataclass
class LagWatch:
    """The state of one process's watch; `worst` is the largest lag seen since it started."""

    process: str
    samples: int = 0
    worst: float = 0.0
    _window_max: float = 0.0
    _previous_max: float = 0.0
    _window_start: float = 0.0
    _sampled: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    async def wait_samples(self, n: int) -> None:
        """Return once `n` samples have been taken in all."""
        while self.samples < n:
            await self._sampled.wait()

    def record(self, lag: float, now: float) -> None:
        self.samples += 1
        self._sampled.set()  # wakes whoever waits for this sample; the next one gets a fresh event
        self._sampled = asyncio.Event()
        self.worst = max(self.worst, lag)
        if now - self._window_start >= WINDOW:
            self._previous_max, self._window_max, self._window_start = self._window_max, 0.0, now
        self._window_max = max(self._window_max, lag)
        EVENT_LOOP_LAG.labels(self.process).observe(lag)
        EVENT_LOOP_LAG_MAX.labels(self.process).set(max(self._window_max, self._previous_max))
        if lag >= WARN_AFTER:
            log.warning("the %s event loop was blocked for %.0f ms (CPU work on the loop?)", self.process, lag * 1000)


async def watch(state: LagWatch, interval: float = INTERVAL) -> None:
    """Sleep `interval` again and again; how much later than asked each wake-up comes is the lag."""
    loop = asyncio.get_running_loop()
    state._window_start = loop.time()
    while True:
        before = loop.time()
        await asyncio.sleep(interval)
        now = loop.time()
        state.record(max(0.0, now - before - interval), now)


def start(process: str, interval: float = INTERVAL) -> tuple[LagWatch, asyncio.Task[None]]:
    """Start watching the running loop; cancel the task to stop."""
    state = LagWatch(process)
    return state, asyncio.create_task(watch(state, interval), name=f"event-loop-lag-{process}")
