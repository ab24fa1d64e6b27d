"""The artifact store's line in /workflow/health: where artifacts go and whether the store answers.

Probed at most every CHECK_SECONDS (health is polled; a bucket LIST each time would be waste), one
probe at a time however many requests ask.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from brandtruth.pipeline.artifacts import ArtifactStore, unreachable

CHECK_SECONDS = 30.0


class StoreHealth:
    def __init__(self, store: ArtifactStore, check_seconds: float = CHECK_SECONDS):
        self.store = store
        self.check_seconds = check_seconds
        self._last: dict[str, Any] | None = None
        self._checked = 0.0
        self._lock = asyncio.Lock()

    async def status(self) -> dict[str, Any]:
        async with self._lock:
            if self._last is None or time.monotonic() - self._checked > self.check_seconds:
                problem = await unreachable(self.store)
                self._last = {"store": self.store.describe(), "reachable": problem is None}
                if problem:
                    self._last["error"] = problem
                self._checked = time.monotonic()
            return dict(self._last)
