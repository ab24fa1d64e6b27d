"""CPU-heavy step work (Pillow rendering, image matching) in a small process pool.

Why: in a Temporal worker, threads doing Pillow work hold the GIL against the event loop that
answers queries and runs workflow tasks; under load that made progress queries time out. Worker
processes keep that loop responsive. One pool per process, shared, created on first use; `spawn`
because the parent runs gRPC threads that must not be forked.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

RENDER_NICENESS = 10
# glibc's M_MMAP_THRESHOLD: allocations from 1 MiB up (image buffers) get their own mapping, returned
# to the system when freed. By default glibc raises the threshold after the first big free, and
# later image buffers then fragment the heap: each pool process grew by ~50 MB it never gave back.
M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES = -3, 1 << 20

_pool: ProcessPoolExecutor | None = None
_pool_size: int | None = None


def default_size() -> int:
    """One process per core but one, at least one: the core left over keeps workflow tasks, queries
    and streams prompt while the pool is busy (with the pool on every core, a 2-core machine under
    load delivered events ~3x slower, and the extra process cost ~200 MB)."""
    return max(1, (os.cpu_count() or 1) - 1)


def configure(processes: int | None) -> None:
    """Pool size: None = default_size(), 0 = no pool (run in threads, e.g. for debugging)."""
    global _pool_size
    _pool_size = processes


def _init_process() -> None:
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


def _get_pool() -> ProcessPoolExecutor | None:
    global _pool
    size = _pool_size if _pool_size is not None else default_size()
    if size <= 0:
        return None
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_init_process)
    return _pool


async def run_cpu(fn: Callable[..., T], *args: Any) -> T:
    pool = _get_pool()
    if pool is None:
        return await asyncio.to_thread(fn, *args)
    return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
