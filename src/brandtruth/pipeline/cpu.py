"""CPU-heavy step work (page parsing, offline copywriting, matching, rendering, scoring, export) in a
small process pool.

Why: in a Temporal worker, that work on threads or the event loop holds the GIL against the loop
that runs workflow tasks and answers queries; under load first events took seconds. Pool processes
keep that loop responsive. One pool per process, shared, created on first use; `spawn` because the
parent runs gRPC threads that must not be forked. A pool whose process died (a decoder crash on a
hostile file, the OOM killer) is replaced, not left failing every later call.

The pool has one spare process beyond that (SPARE_PROCESSES): it takes a job only of a run that has
nothing running while another run holds the regular ones (fair.py), so two runs at once each have a
process instead of taking turns at one: with one, a second run doubled the first one's time (its
compose alone is ~0.8 s of CPU), and another run's 3 s image decode stopped it for 3 s. One run alone
never uses it, and it is started only when two runs first overlap (the pool starts processes as they
are needed); it runs at the same low priority as the others, so the event loop keeps its core.

Jobs do not queue in the pool's own FIFO: each waits for a free process in fair.py's FairSlots, where
the run that has used the pool least goes first, so a run with a hostile page (or a big render) does
not make every other run wait behind all of its work. The run a job belongs to is set once per step
with `on_behalf_of(run_id)` (a context variable: tasks the step starts inherit it), so no call site
passes it; work outside a step (the contact sheet) shares one owner.
"""

from __future__ import annotations

import asyncio
import contextvars
import ctypes
import ctypes.util
import multiprocessing
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from .errors import CpuPoolError
from .fair import FairSlots

T = TypeVar("T")

RENDER_NICENESS = 10
# glibc's M_MMAP_THRESHOLD: allocations from 1 MiB up (image buffers) get their own mapping, returned
# to the system when freed. By default glibc raises the threshold after the first big free, and
# later image buffers then fragment the heap: each pool process grew by ~50 MB it never gave back.
M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES = -3, 1 << 20

SPARE_PROCESSES = 1
PARENT_CHECK_SECONDS = 0.5
SHUTDOWN_TIMEOUT_SECONDS = 1.0

_pool: ProcessPoolExecutor | None = None
_pool_size: int | None = None
_spare: int = SPARE_PROCESSES
_owner: contextvars.ContextVar[str] = contextvars.ContextVar("cpu_owner", default="")
_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, FairSlots] = weakref.WeakKeyDictionary()


@contextmanager
def on_behalf_of(run_id: str) -> Iterator[None]:
    """CPU work started inside this block (and in tasks it creates) takes its turns as `run_id`'s."""
    token = _owner.set(run_id)
    try:
        yield
    finally:
        _owner.reset(token)


def default_size() -> int:
    """One process per core but one, at least one: the core left over keeps workflow tasks, queries
    and streams prompt while the pool is busy (with the pool on every core, a 2-core machine under
    load delivered events ~3x slower, and the extra process cost ~200 MB)."""
    # The cores this process may run on (a container's cpuset), not every core of the host.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores - 1)


def configure(processes: int | None, spare: int | None = None) -> None:
    """Pool size: None = default_size(), 0 = no pool (run in threads, e.g. for debugging); `spare`
    processes for a second run (default: SPARE_PROCESSES with the default size, else none)."""
    global _pool_size, _spare
    before = (_pool_size, _spare)
    _pool_size = processes
    _spare = (SPARE_PROCESSES if processes is None else 0) if spare is None else spare
    if (_pool_size, _spare) != before:
        shutdown()  # a pool of the old size would be kept otherwise


def _init_process() -> None:
    _exit_with_parent(os.getppid())
    # Rendering is throughput work; workflow tasks, queries and streams are latency work. On a busy
    # machine the scheduler should favour the latter.
    try:
        os.nice(RENDER_NICENESS)
    except OSError:
        pass
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def _exit_with_parent(parent: int) -> None:
    """A pool process never outlives the process that started it, however that one ends (SIGKILL
    included): a pool worker blocked on its call queue does not notice its parent is gone, and kept
    ~125-200 MB each after every API restart."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def shutdown(timeout: float = SHUTDOWN_TIMEOUT_SECONDS) -> None:
    """Stop the pool and its processes (called when the API or worker stops); waits at most `timeout`."""
    global _pool
    pool, _pool = _pool, None
    if pool is None:
        return
    processes = list(getattr(pool, "_processes", {}).values())  # no public accessor for the children
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + timeout
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()  # busy with a long render: its result is no longer wanted
            proc.join(1.0)


def _size() -> int:
    return _pool_size if _pool_size is not None else default_size()


def _get_pool() -> ProcessPoolExecutor | None:
    global _pool
    size = _size()
    if size <= 0:
        return None
    if _pool is None:
        _pool = ProcessPoolExecutor(
            max_workers=size + _spare, mp_context=multiprocessing.get_context("spawn"), initializer=_init_process
        )
    return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    global _pool
    if _pool is pool:
        _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


async def run_cpu(fn: Callable[..., T], *args: Any) -> T:
    for attempt in (1, 2):
        pool = _get_pool()
        if pool is None:
            return await asyncio.to_thread(fn, *args)
        try:
            return await _in_turn(pool, fn, args)
        except BrokenProcessPool as exc:
            # Every call in flight fails with the pool; each gets one more try on a fresh one, so only
            # the work that kills a process twice fails (as retryable: the step's policy decides).
            _discard(pool)
            if attempt == 2:
                raise CpuPoolError(
                    f"A CPU pool process died running {getattr(fn, '__name__', fn)!s} twice; the step can be retried"
                ) from exc
    raise AssertionError("unreachable")


async def _in_turn(pool: ProcessPoolExecutor, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    loop = asyncio.get_running_loop()
    turns = _turns.get(loop) or _turns.setdefault(loop, FairSlots(_size()))
    turns.slots, turns.spare = _size(), _spare
    owner = _owner.get()
    await turns.acquire(owner)
    started = time.perf_counter()
    try:
        job = pool.submit(fn, *args)
    except BaseException:
        turns.release(owner, 0.0)
        raise

    def done(_: object) -> None:  # the pool's thread: the slot is free when the job ends in its process,
        try:  # not when its caller stops waiting (a cancelled caller leaves the job running)
            loop.call_soon_threadsafe(turns.release, owner, time.perf_counter() - started)
        except RuntimeError:
            pass  # the loop is closed: so are its turns

    job.add_done_callback(done)
    return await asyncio.wrap_future(job)
