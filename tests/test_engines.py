"""The EventFeed every stream reads from: each event once, in order, and never an early end."""

from __future__ import annotations

from datetime import UTC, datetime

from brandtruth.engines.base import EventFeed
from brandtruth.pipeline.models import ProgressEvent, RunStatus


def _event(n: int, status: RunStatus = RunStatus.RUNNING) -> ProgressEvent:
    return ProgressEvent(
        id=n, type="failed" if status.terminal else "step", status=status, percent=0, timestamp=datetime.now(UTC)
    )


async def test_stream_keeps_events_published_while_it_was_sending() -> None:
    # Regression: follow() checked `closed` after yielding a snapshot of the events, so the terminal
    # event published while the subscriber was busy sending event 1 was never sent (a run that fails
    # within milliseconds, e.g. a blocked address, ended its stream after "step_started").
    feed = EventFeed()
    await feed.publish([_event(1)])
    follower = feed.follow(0)
    assert (await anext(follower)).id == 1  # the subscriber is now suspended in its yield
    await feed.publish([_event(2), _event(3, RunStatus.FAILED)], terminal=True)
    rest = [e.id async for e in follower]
    assert rest == [2, 3]


async def test_late_follower_of_a_closed_feed_gets_everything_then_ends() -> None:
    feed = EventFeed()
    await feed.publish([_event(1), _event(2), _event(3, RunStatus.FAILED)], terminal=True)
    assert [e.id async for e in feed.follow(1)] == [2, 3]


async def test_feed_never_skips_an_id_when_a_source_jumps_ahead() -> None:
    # Events only enter the feed in sequence: an out-of-order or gapped batch waits for the missing
    # id instead of advancing past it (a resuming client would otherwise never see it).
    feed = EventFeed()
    await feed.publish([_event(1), _event(3)])
    assert [e.id for e in feed.events] == [1]
    await feed.publish([_event(2), _event(3), _event(2)])
    assert [e.id for e in feed.events] == [1, 2, 3]
