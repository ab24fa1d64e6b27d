"""Turns at a few slots (the CPU pool's processes) shared fairly by many owners (runs).

A FIFO queue serves work in arrival order: one run that queues a lot of work, or very slow work (a
hostile page's parse, a big render), holds up every run behind it; a normal run next to a 60,000-link
page took 7x its time. Here each owner has its own queue, and a free slot goes to the waiting owner
that has used the slots least so far (least attained service): a small, new run goes ahead of a run
that has already cost the pool seconds, and waits at most for the jobs already running. Two runs with
equal needs alternate. An owner's account is kept while it is active and FORGET_AFTER_SECONDS after
(a run waiting for its approval comes back for the export with a clean slate); jobs are never
interrupted, so one slow job still delays the others by its own length (hence the caps on what a page
may cost). Owners are whatever the caller names; work without an owner shares the owner "".

A `spare` slot goes first to an owner with no job running while every other slot is busy with other
owners' jobs: a second run need not wait behind the first run's job at all (a job is never
interrupted: a 3 s image decode of one run held up the other for 3 s, and two runs on one slot each
took twice their time). Otherwise a `short` job (small and bounded whatever the input: one creative's
render) may borrow it while no other owner waits: one run alone then renders on two processes instead
of leaving a core idle through its longest step, and an owner that comes next waits for one short job
at most. A long job (a page parse, an image decode: its cost grows with what a site serves) never
borrows it: one run alone would hold both slots for seconds.

What an owner has used counts its running jobs so far, not only those that ended: a run whose one
0.5 s parse is still running is not a run that has cost nothing. `far_ahead(owner)` says whether an owner
has used the slots well beyond another active one; cpu.py then starts its jobs at the lowest CPU
priority, so a hostile page's run yields the cores to a run that has just begun.

One instance per event loop; not thread-safe (all calls on that loop).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from typing import NamedTuple

FORGET_AFTER_SECONDS = 60.0
ACTIVE_GRACE_SECONDS = 0.5  # a run between two steps has no job for a moment: it is still active
# How much more than another active owner an owner must have used to yield to it: two ordinary runs
# (~0.1-0.3 s of pool time each) do not trade priorities back and forth as their accounts cross.
AHEAD_MARGIN_SECONDS = 0.2


class _Turn(NamedTuple):
    future: asyncio.Future[bool]  # resolved with True for the spare slot
    short: bool  # small and bounded whatever the input: may borrow the spare slot


class FairSlots:
    def __init__(self, slots: int, spare: int = 0):
        self.slots = slots
        self.spare = spare
        self.regular_busy = 0
        self.spare_busy = 0
        self._waiting: dict[str, deque[_Turn]] = {}
        self._running: Counter[str] = Counter()
        self._used: dict[str, float] = {}  # slot seconds per owner, of its jobs that have ended
        self._started: dict[str, float] = {}  # per owner with jobs running: the sum of their start times
        self._last: dict[str, float] = {}  # when each owner last finished a job

    @property
    def busy(self) -> int:
        return self.regular_busy + self.spare_busy

    async def acquire(self, owner: str, short: bool = False) -> bool:
        """Wait for this owner's turn at a slot; True if it is the spare one. The caller must release() it.
        `short`: the job is small and bounded, so it may borrow the spare slot while no other owner waits."""
        self._forget_idle()
        self._used.setdefault(owner, 0.0)
        self._last.setdefault(owner, time.monotonic())
        if self.regular_busy < self.slots and not self._waiting:
            self._take(owner, spare=False)
            return False
        turn: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(owner, deque()).append(_Turn(turn, short))
        self._hand_over()  # the spare slot may be this owner's at once
        try:
            return await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release(owner, 0.0, spare=turn.result())  # given the slot as it was cancelled: pass it on
            else:
                self._withdraw(owner, turn)
            raise

    def release(self, owner: str, seconds: float, spare: bool = False) -> None:
        """A job of `owner` ended after using its slot (the spare one if `spare`) for `seconds`."""
        if spare:
            self.spare_busy -= 1
        else:
            self.regular_busy -= 1
        now = time.monotonic()
        self._running[owner] -= 1
        if self._running[owner] <= 0:
            del self._running[owner]
            self._started.pop(owner, None)  # exact again whatever `seconds` said
        else:
            self._started[owner] = self._started.get(owner, 0.0) - (now - seconds)  # this job's start
        self._used[owner] = self._used.get(owner, 0.0) + seconds
        self._last[owner] = now
        self._hand_over()

    def attained(self, owner: str) -> float:
        """Slot seconds `owner` has used: its ended jobs, and its running ones so far (a run whose one
        long job has run for seconds is not a small run)."""
        running = self._running.get(owner, 0)
        elapsed = running * time.monotonic() - self._started.get(owner, 0.0) if running else 0.0
        return self._used.get(owner, 0.0) + elapsed

    def far_ahead(self, owner: str) -> bool:
        """Whether another active owner (a job running or waiting, or one ended in the last
        ACTIVE_GRACE_SECONDS) has used the slots at least AHEAD_MARGIN_SECONDS less: then `owner`'s
        jobs should yield the CPU to theirs (cpu.py starts them at the lowest priority)."""
        threshold = self.attained(owner) - AHEAD_MARGIN_SECONDS
        recent = time.monotonic() - ACTIVE_GRACE_SECONDS
        active = set(self._running) | set(self._waiting) | {o for o, t in self._last.items() if t >= recent}
        return any(self.attained(o) <= threshold for o in active if o != owner)

    def _take(self, owner: str, spare: bool) -> None:
        if spare:
            self.spare_busy += 1
        else:
            self.regular_busy += 1
        self._running[owner] += 1
        self._started[owner] = self._started.get(owner, 0.0) + time.monotonic()

    def _hand_over(self) -> None:
        while self._waiting:
            spare = self.regular_busy >= self.slots
            if not spare:
                candidates = list(self._waiting)
            elif self.spare_busy < self.spare:
                candidates = [o for o in self._waiting if not self._running[o]]  # an owner with nothing running
                if not candidates and len(self._waiting) == 1:  # or a lone waiting owner's short job
                    candidates = [o for o, queue in self._waiting.items() if queue[0].short]
            else:
                break
            if not candidates:
                break
            owner = min(candidates, key=self.attained)  # ties: the first to queue
            queue = self._waiting[owner]
            turn = queue.popleft().future
            if not queue:
                del self._waiting[owner]
            self._take(owner, spare)
            turn.set_result(spare)

    def _withdraw(self, owner: str, turn: asyncio.Future[bool]) -> None:
        queue = self._waiting.get(owner)
        entry = next((e for e in queue or () if e.future is turn), None)
        if queue is None or entry is None:
            return
        queue.remove(entry)
        if not queue:
            del self._waiting[owner]

    def _forget_idle(self) -> None:
        cutoff = time.monotonic() - FORGET_AFTER_SECONDS
        for owner in [o for o, t in self._last.items() if t < cutoff]:
            if owner not in self._waiting and owner not in self._running:
                self._used.pop(owner, None)
                del self._last[owner]
