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


def test_the_spare_slot_goes_to_a_second_run_not_to_the_first_runs_own_queue() -> None:
    """Regression: with one slot, a second run waited behind every job of the first (a 3 s image decode
    held it 3 s) and two runs each took twice their time. The spare slot is for an owner with nothing running."""

    async def scenario() -> tuple[int, bool, bool, int]:
        slots = FairSlots(1, spare=1)
        await slots.acquire("a")
        own = asyncio.create_task(slots.acquire("a"))  # the first run's next job: waits for the regular slot
        await asyncio.sleep(0)
        b_has_the_spare = await asyncio.wait_for(slots.acquire("b"), timeout=5)  # a second run: at once
        assert b_has_the_spare is True
        busy_with_both = slots.busy
        third = asyncio.create_task(slots.acquire("c"))  # a third run: no slot left
        await asyncio.sleep(0)
        waiting = not own.done() and not third.done()
        slots.release("b", 0.1, spare=True)  # the spare slot is free: "c" has nothing running, "a" has
        assert await asyncio.wait_for(third, timeout=5) is True
        a_still_waits = not own.done()
        slots.release("a", 0.5)
        assert await asyncio.wait_for(own, timeout=5) is False  # the regular slot
        return busy_with_both, waiting, a_still_waits, slots.busy

    assert asyncio.run(scenario()) == (2, True, True, 2)


def test_without_a_spare_slot_a_second_run_waits() -> None:
    async def scenario() -> bool:
        slots = FairSlots(1)
        await slots.acquire("a")
        second = asyncio.create_task(slots.acquire("b"))
        await asyncio.sleep(0)
        return second.done()

    assert asyncio.run(scenario()) is False


def test_a_lone_runs_short_job_borrows_the_spare_slot_and_its_long_job_does_not() -> None:
    """A run alone rendered its creatives one at a time on one process while the other core idled: a
    short job may borrow the spare while nobody else waits. A long one (a page parse, a decode) may not,
    or one run would hold both slots for seconds and the next run would wait for it."""

    async def scenario() -> tuple[bool, bool, bool]:
        slots = FairSlots(1, spare=1)
        await slots.acquire("a")
        long_job = asyncio.create_task(slots.acquire("a"))
        await asyncio.sleep(0)
        long_waits = not long_job.done()
        slots.release("a", 0.1)
        assert await asyncio.wait_for(long_job, timeout=5) is False  # the regular slot, once free
        short_on_spare = await asyncio.wait_for(slots.acquire("a", short=True), timeout=5)
        third = asyncio.create_task(slots.acquire("a", short=True))  # both slots busy: it waits
        await asyncio.sleep(0)
        third_waits = not third.done()
        slots.release("a", 0.1, spare=True)
        assert await asyncio.wait_for(third, timeout=5) is True
        return long_waits, short_on_spare, third_waits

    assert asyncio.run(scenario()) == (True, True, True)


def test_a_short_job_does_not_borrow_the_spare_slot_another_run_waits_for() -> None:
    async def scenario() -> tuple[bool, bool]:
        slots = FairSlots(1, spare=1)
        await slots.acquire("a")
        assert await slots.acquire("b") is True  # a second run: the spare
        a_short = asyncio.create_task(slots.acquire("a", short=True))
        c_job = asyncio.create_task(slots.acquire("c"))
        await asyncio.sleep(0)
        slots.release("b", 0.1, spare=True)
        c_spare = await asyncio.wait_for(c_job, timeout=5)  # the run with nothing running goes first
        a_waits = not a_short.done()
        slots.release("a", 0.1)
        assert await asyncio.wait_for(a_short, timeout=5) is False
        return c_spare, a_waits

    assert asyncio.run(scenario()) == (True, True)
