"""The CPU pool: real spawned processes."""

from __future__ import annotations

import asyncio
import os

import pytest

from src.pipeline import cpu
from src.pipeline.errors import CpuPoolError


def test_a_dead_pool_process_is_replaced_not_left_failing_every_call() -> None:
    """Regression: one crashed process left a broken pool that failed every later step."""
    cpu.configure(1)

    async def scenario() -> None:
        assert await cpu.run_cpu(pow, 2, 10) == 1024
        with pytest.raises(CpuPoolError) as caught:
            await cpu.run_cpu(os._exit, 3)  # kills the process it runs in, on both tries
        assert caught.value.retryable
        assert await cpu.run_cpu(pow, 3, 3) == 27  # a fresh pool

    try:
        asyncio.run(scenario())
    finally:
        cpu.configure(None)
