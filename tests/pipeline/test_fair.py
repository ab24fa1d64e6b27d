"""FairSlots: the CPU pool's turns go to the run that has used the pool least, not first come first served."""

from __future__ import annotations

import asyncio

from brandtruth.pipeline import fair
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


class _Clock:
    """fair.py's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_running_jobs_time_counts_against_its_run_before_it_ends(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Regression: service was counted only when a job ended, so a run whose one 0.5 s parse was still
    running looked like a run that had cost nothing, and its queued jobs went ahead of a small run's."""
    clock = _Clock()
    monkeypatch.setattr(fair.time, "monotonic", clock)

    async def scenario() -> str:
        slots = FairSlots(2)
        await slots.acquire("small")
        slots.release("small", 0.3)  # "small" has used 0.3 s so far
        await slots.acquire("hostile")  # its long job: running, nothing charged yet
        await slots.acquire("other")
        hostile_next = asyncio.create_task(slots.acquire("hostile"))
        await asyncio.sleep(0)
        small_next = asyncio.create_task(slots.acquire("small"))
        await asyncio.sleep(0)
        clock.now += 1.0  # the long job has run 1 s
        slots.release("other", 0.01)  # one slot free: "small" (0.3 s) goes before "hostile" (1 s and running)
        await asyncio.sleep(0)
        first = "small" if small_next.done() else "hostile" if hostile_next.done() else "nobody"
        for task in (small_next, hostile_next):
            task.cancel()
        await asyncio.gather(small_next, hostile_next, return_exceptions=True)
        return first

    assert asyncio.run(scenario()) == "small"


def test_attained_service_is_ended_jobs_plus_running_jobs_so_far(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clock = _Clock()
    monkeypatch.setattr(fair.time, "monotonic", clock)

    async def scenario() -> list[float]:
        slots = FairSlots(3)
        seen = [slots.attained("a")]
        await slots.acquire("a")
        await slots.acquire("a")
        clock.now += 0.5
        seen.append(slots.attained("a"))  # two jobs for 0.5 s each
        slots.release("a", 0.5)
        clock.now += 0.25
        seen.append(slots.attained("a"))  # one ended (0.5) + one running for 0.75
        slots.release("a", 0.75)
        clock.now += 5
        seen.append(slots.attained("a"))  # nothing running: what it used, whatever time passes
        return seen

    assert [round(x, 6) for x in asyncio.run(scenario())] == [0.0, 1.0, 1.25, 1.25]


def test_a_run_well_ahead_of_another_active_run_yields_it_priority(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """What cpu.py starts at the lowest priority: the jobs of a run that has used AHEAD_MARGIN_SECONDS
    more than another run still active; not two ordinary runs whose accounts are close, and not because
    of a run that has gone quiet."""
    clock = _Clock()
    monkeypatch.setattr(fair.time, "monotonic", clock)

    async def scenario() -> list[tuple[bool, bool]]:
        slots = FairSlots(2)
        await slots.acquire("hostile")
        slots.release("hostile", 0.1)
        await slots.acquire("normal")
        slots.release("normal", 0.0)
        close = (slots.far_ahead("hostile"), slots.far_ahead("normal"))  # 0.1 s apart: neither
        await slots.acquire("hostile")
        clock.now += fair.AHEAD_MARGIN_SECONDS + 0.1  # its long job runs on
        ahead = (slots.far_ahead("hostile"), slots.far_ahead("normal"))
        clock.now += fair.ACTIVE_GRACE_SECONDS + 0.1  # "normal" has had no job since: no longer active
        quiet = (slots.far_ahead("hostile"), slots.far_ahead("normal"))
        slots.release("hostile", 0.0)
        return [close, ahead, quiet]

    assert asyncio.run(scenario()) == [(False, False), (True, False), (False, False)]
