"""SingleFlight: concurrent callers of one key share one computation; failures are not cached."""

from __future__ import annotations

import asyncio

import pytest

from brandtruth.api.singleflight import SingleFlight


async def test_concurrent_callers_share_one_computation() -> None:
    flights: SingleFlight[str] = SingleFlight()
    started = 0
    running, release = asyncio.Event(), asyncio.Event()

    async def render() -> str:
        nonlocal started
        started += 1
        running.set()
        await release.wait()
        return "sheet.png"

    waiters = [asyncio.create_task(flights.run("run1", render)) for _ in range(40)]
    await asyncio.wait_for(running.wait(), 5)
    await asyncio.sleep(0)  # one more turn of the loop: every waiter has now asked
    release.set()
    assert await asyncio.gather(*waiters) == ["sheet.png"] * 40
    assert started == 1 and flights.in_flight == 0


async def test_a_cancelled_caller_does_not_cancel_the_others() -> None:
    flights: SingleFlight[int] = SingleFlight()
    release = asyncio.Event()

    async def work() -> int:
        await release.wait()
        return 7

    impatient = asyncio.create_task(flights.run("k", work))
    patient = asyncio.create_task(flights.run("k", work))
    await asyncio.sleep(0)  # let both subscribe (a yield, not a wait for time)
    impatient.cancel()
    release.set()
    assert await asyncio.wait_for(patient, 5) == 7


async def test_a_failure_reaches_every_waiter_and_is_not_cached() -> None:
    flights: SingleFlight[int] = SingleFlight()
    calls = 0

    async def boom() -> int:
        nonlocal calls
        calls += 1
        raise RuntimeError("render failed")

    results = await asyncio.gather(flights.run("k", boom), flights.run("k", boom), return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
    with pytest.raises(RuntimeError):
        await flights.run("k", boom)
    assert calls == 2
