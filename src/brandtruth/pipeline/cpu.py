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
uses it only for short jobs (`run_cpu(..., short=True)`: one creative's render), while no other run
waits: its compose then runs on both processes instead of leaving a core idle. It is started when it
is first wanted and stopped after SPARE_IDLE_SECONDS without a job (~100 MB back); it runs at the
same low priority as the others, so the event loop keeps its core. While it starts (a second or
more: a fresh interpreter imports the pipeline), a start-up job holds its slot and the job that
caused it waits for whichever process is free first: on a busy machine, waiting for the start-up
made a second run several seconds slower instead of faster.

Priorities: the pool's processes run at RENDER_NICENESS, below the event loops. Each job runs on a
thread of its own, which starts at the lowest priority when its run has used the pool well beyond
another active run (a hostile page's run next to one that just began), and drops to it once the job
has used DEMOTE_AFTER_CPU_SECONDS of CPU (a 60,000-link page's parse): the other run's jobs then get
the cores first. A normal run next to that page took 2.4x its time on the local engine; ~1.3x now.

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
import importlib
import multiprocessing
import os
import sys
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
# A job that has used this much CPU is a long one (a hostile page's parse: 0.4 s and more, where a normal
# run's jobs take 5-50 ms): it runs on at the lowest priority, so another run's short jobs on the other
# pool process get the cores first (CFS weights 110 against 15: ~88 % of a shared core).
DEMOTE_AFTER_CPU_SECONDS = 0.1
DEMOTED_NICENESS = 19
JOB_STACK_BYTES = 8 << 20  # a job's thread gets the stack a main thread has (deep documents recurse)
# glibc's M_MMAP_THRESHOLD: allocations from 1 MiB up (image buffers) get their own mapping, returned
# to the system when freed. By default glibc raises the threshold after the first big free, and
# later image buffers then fragment the heap: each pool process grew by ~50 MB it never gave back.
M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES = -3, 1 << 20

SPARE_PROCESSES = 1
SPARE_IDLE_SECONDS = 120.0
PARENT_CHECK_SECONDS = 0.5
SHUTDOWN_TIMEOUT_SECONDS = 1.0

_pool: ProcessPoolExecutor | None = None
_spare_pool: ProcessPoolExecutor | None = None
_spare_jobs = 0  # jobs in the spare pool now (changed on the event loops' threads only)
_spare_last = 0.0  # when its last job ended
_pool_size: int | None = None
_spare: int = SPARE_PROCESSES
_owner: contextvars.ContextVar[str] = contextvars.ContextVar("cpu_owner", default="")
_job_modules: set[str] = set()  # where the functions run in the pool so far live
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


def forget_entry_module() -> None:
    """For a program's entry point (the API, the worker), before the pool starts: pool processes no
    longer import the program's entry module.

    A spawned process imports its parent's __main__ again, where pickled functions might live. Ours
    never do (every job is a pipeline function), yet each pool process imported the whole API or
    worker with it (FastAPI, uvicorn, Temporal's SDK): ~18 MB more in every pool process, and a
    slower start for the spare. multiprocessing finds __main__ by its spec or its file; without
    either, it imports nothing."""
    main = sys.modules.get("__main__")
    if main is None:
        return
    main.__spec__ = None
    if hasattr(main, "__file__"):
        del main.__file__


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
    threading.stack_size(JOB_STACK_BYTES)


def _run_job(fn: Callable[..., T], args: tuple[Any, ...], niceness: int = RENDER_NICENESS) -> T:
    """In a pool process: `fn(*args)` on a thread of its own, at `niceness` (DEMOTED_NICENESS for a run
    far ahead of another, see fair.FairSlots.far_ahead), which drops to DEMOTED_NICENESS once it has used
    DEMOTE_AFTER_CPU_SECONDS of CPU.

    Why a thread per job: niceness is per thread on Linux, and an unprivileged process can lower its
    priority but never raise it again; a demoted thread ends with its job, so the next job starts at
    the process's RENDER_NICENESS. Why: fair.py decides which run's job starts next, but a job is never
    interrupted; a normal run next to a 60,000-link page shared the cores evenly with that page's
    0.5 s parse and took 2.5x its time. CPU time, not wall time, so a short job that waits for a core
    on a busy machine is not demoted for it."""
    outcome: list[Any] = []

    def work() -> None:
        if niceness > RENDER_NICENESS:
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
            except OSError:
                pass
        try:
            outcome.append((True, fn(*args)))
        except BaseException as exc:  # re-raised in the pool's thread, which reports it to the caller
            outcome.append((False, exc))

    thread = threading.Thread(target=work, name="cpu-job")
    thread.start()
    if niceness < DEMOTED_NICENESS:  # one that starts at the lowest priority has nothing to drop to
        _demote_when_long(thread)
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _demote_when_long(thread: threading.Thread) -> None:
    """Wait until `thread` ends or has used DEMOTE_AFTER_CPU_SECONDS of CPU, then lower its priority."""
    try:
        clock = time.pthread_getcpuclockid(thread.ident or 0)
    except (AttributeError, OSError):
        return  # no per-thread CPU clock on this platform: jobs keep their priority
    used = 0.0
    while thread.is_alive():
        # It cannot use more CPU than the time that passes: wait at least for what is left to use.
        thread.join(max(DEMOTE_AFTER_CPU_SECONDS - used, 0.01))
        try:
            used = time.clock_gettime(clock)
        except OSError:
            return  # it ended between the two calls
        if used >= DEMOTE_AFTER_CPU_SECONDS and thread.is_alive() and thread.native_id:
            try:  # PRIO_PROCESS with a thread's id sets that thread's niceness alone (Linux)
                os.setpriority(os.PRIO_PROCESS, thread.native_id, DEMOTED_NICENESS)
            except OSError:
                pass  # it ended meanwhile
            return


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
    global _pool, _spare_pool
    pools = [p for p in (_pool, _spare_pool) if p is not None]
    _pool = _spare_pool = None
    processes = [proc for pool in pools for proc in getattr(pool, "_processes", {}).values()]  # no public accessor
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + timeout
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()  # busy with a long render: its result is no longer wanted
            proc.join(1.0)


def _size() -> int:
    return _pool_size if _pool_size is not None else default_size()


def _new_pool(processes: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"), initializer=_init_process)


def _get_pool(spare: bool = False) -> ProcessPoolExecutor:
    global _pool, _spare_pool
    if spare:
        _spare_pool = _spare_pool or _new_pool(max(1, _spare))
        return _spare_pool
    _pool = _pool or _new_pool(_size())
    return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    global _pool, _spare_pool
    if _pool is pool:
        _pool = None
    if _spare_pool is pool:
        _spare_pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def _spare_done(loop: asyncio.AbstractEventLoop, pool: ProcessPoolExecutor) -> None:
    global _spare_jobs, _spare_last
    if pool is _spare_pool:  # the count is the current pool's: an earlier (broken, stopped) one's jobs left with it
        _spare_jobs -= 1
    _spare_last = time.monotonic()
    loop.call_later(SPARE_IDLE_SECONDS, _retire_spare)


def _import(modules: list[str]) -> None:
    """In a new pool process: import what the pool's jobs have needed so far."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # its job will say so, if it ever comes


def _start_spare(loop: asyncio.AbstractEventLoop, turns: FairSlots, owner: str) -> None:
    global _spare_jobs
    pool = _get_pool(spare=True)
    # The pool starts its process for this first job, which imports the modules of every job run so
    # far: a job is often the first of its kind in the spare (one run alone sends it only renders), and
    # a second run's extract and generate ran there with their imports on top (0.12 s of CPU beyond a
    # render's, 0.67 s for a process that has imported nothing). Now nothing waits for them: the job
    # that started the spare runs on whichever process is free first.
    warm_up = pool.submit(_import, sorted(_job_modules))
    _spare_jobs = 1  # a new pool runs nothing else yet (a job counted under a loop that closed never ended)

    def started() -> None:
        turns.release(owner, 0.0, spare=True)
        _spare_done(loop, pool)

    def done(_: object) -> None:
        try:
            loop.call_soon_threadsafe(started)
        except RuntimeError:
            pass  # the loop is closed: so are its turns

    warm_up.add_done_callback(done)


def _retire_spare() -> None:
    """Stop the spare process once it has had no job for SPARE_IDLE_SECONDS (it holds ~100 MB)."""
    global _spare_pool
    if _spare_pool is not None and _spare_jobs == 0 and time.monotonic() - _spare_last >= SPARE_IDLE_SECONDS * 0.99:
        pool, _spare_pool = _spare_pool, None
        pool.shutdown(wait=False)  # idle: its process exits at once


async def run_cpu(fn: Callable[..., T], *args: Any, short: bool = False) -> T:
    """`fn(*args)` in the pool, in its owner's turn. `short`: its cost is small and bounded whatever
    the input, so it may borrow the spare process (fair.py)."""
    for attempt in (1, 2):
        if _size() <= 0:
            return await asyncio.to_thread(fn, *args)
        try:
            return await _in_turn(fn, args, short)
        except BrokenProcessPool as exc:
            # Every call in flight fails with the pool; each gets one more try on a fresh one, so only
            # the work that kills a process twice fails (as retryable: the step's policy decides).
            if attempt == 2:
                raise CpuPoolError(
                    f"A CPU pool process died running {getattr(fn, '__name__', fn)!s} twice; the step can be retried"
                ) from exc
    raise AssertionError("unreachable")


async def _in_turn(fn: Callable[..., T], args: tuple[Any, ...], short: bool) -> T:
    global _spare_jobs
    loop = asyncio.get_running_loop()
    turns = _turns.get(loop) or _turns.setdefault(loop, FairSlots(_size()))
    turns.slots, turns.spare = _size(), _spare
    owner = _owner.get()
    spare = await turns.acquire(owner, short)
    if spare and _spare_pool is None:
        _start_spare(loop, turns, owner)  # holds the spare slot as `owner`'s while the process starts
        spare = await turns.acquire(owner, short)  # so this job waits for the regular slot, or the spare once up
    started = time.perf_counter()
    pool = _get_pool(spare)
    try:
        # A run that has used the pool well beyond another active run's share yields the CPU to it from
        # its job's start (a hostile page's run, next to a run that just began).
        job = pool.submit(_run_job, fn, args, DEMOTED_NICENESS if turns.far_ahead(owner) else RENDER_NICENESS)
        _job_modules.add(getattr(fn, "__module__", None) or "builtins")
    except BaseException as exc:
        turns.release(owner, 0.0, spare)
        if isinstance(exc, BrokenProcessPool):
            _discard(pool)
        raise
    if spare:
        _spare_jobs += 1

    def release() -> None:
        turns.release(owner, time.perf_counter() - started, spare)
        if spare:
            _spare_done(loop, pool)

    def done(_: object) -> None:  # the pool's thread: the slot is free when the job ends in its process,
        try:  # not when its caller stops waiting (a cancelled caller leaves the job running)
            loop.call_soon_threadsafe(release)
        except RuntimeError:
            pass  # the loop is closed: so are its turns

    job.add_done_callback(done)
    try:
        return await asyncio.wrap_future(job)
    except BrokenProcessPool:
        _discard(pool)
        raise
