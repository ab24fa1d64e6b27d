"""FairSlots: the CPU pool's turns go to the run that has used the pool least, not first come first served."""

from __future__ import annotations

import asyncio

from brandtruth.pipeline.fair import FairSlots


async def _jobs(slots: FairSlots, jobs: list[tuple[str, float]]) -> list[str]:
    """Run (owner, seconds charged) jobs, queued in list order; returns the owners in the order they ran."""
    order: list[str] = []

    async def job(owner: str, seconds: float) -> None:
        await slots.acquire(owner)
        order.append(owner)
        await asyncio.sleep(0)  # hold the slot across a switch, as a real job does
        slots.release(owner, seconds)

    await asyncio.gather(*(job(owner, seconds) for owner, seconds in jobs))
    return order


def test_a_small_run_goes_ahead_of_the_queued_work_of_a_run_that_has_cost_more() -> None:
    jobs = [("hostile", 1.0)] * 3 + [("normal", 0.1)] * 2
    order = asyncio.run(_jobs(FairSlots(1), jobs))
    assert order == ["hostile", "normal", "normal", "hostile", "hostile"]  # FIFO: hostile x3 first


def test_runs_with_equal_needs_take_turns() -> None:
    order = asyncio.run(_jobs(FairSlots(1), [("a", 1.0)] * 3 + [("b", 1.0)] * 3))
    assert order == ["a", "b", "a", "b", "a", "b"]


def test_every_slot_is_used_when_there_is_work() -> None:
    async def scenario() -> int:
        slots = FairSlots(2)
        await slots.acquire("a")
        await slots.acquire("a")  # a second slot, though "a" already holds one: nobody else waits
        return slots.busy

    assert asyncio.run(scenario()) == 2


def test_a_caller_cancelled_while_waiting_does_not_keep_a_slot() -> None:
    async def scenario() -> int:
        slots = FairSlots(1)
        await slots.acquire("a")
        waiter = asyncio.create_task(slots.acquire("b"))
        await asyncio.sleep(0)
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        slots.release("a", 0.5)
        await asyncio.wait_for(slots.acquire("c"), timeout=5)  # free again
        return slots.busy

    assert asyncio.run(scenario()) == 1
