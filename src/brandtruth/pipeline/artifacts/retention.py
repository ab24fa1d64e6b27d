"""Retention: the artifacts of runs nobody has written to for a while are deleted, on either store.

A run's artifacts live under "<run_id>/"; the run counts as touched when any of them was written (a
revision or an export keeps it). A run that is still live (running, or waiting for a decision) is
never swept, however old its files: its export still needs them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable

from .base import ArtifactInfo, ArtifactStore

log = logging.getLogger(__name__)


def stale_runs(artifacts: Iterable[ArtifactInfo], cutoff: float) -> list[str]:
    """Run ids whose newest artifact is older than `cutoff` (seconds since the epoch), sorted."""
    newest: dict[str, float] = {}
    for a in artifacts:
        run_id = a.key.split("/", 1)[0]
        newest[run_id] = max(newest.get(run_id, 0.0), a.modified)
    return sorted(run for run, t in newest.items() if t < cutoff)


async def sweep(
    store: ArtifactStore, max_age_seconds: float, is_live: Callable[[str], Awaitable[bool]], now: float | None = None
) -> list[str]:
    """Delete the artifacts of runs untouched for `max_age_seconds` that `is_live` says are over.

    `is_live` is asked right before each deletion; if it cannot tell (it raises: Temporal is down),
    that run and the rest are kept until the next sweep.
    """
    cutoff = (time.time() if now is None else now) - max_age_seconds
    removed = []
    for run_id in stale_runs(await store.list_prefix_async(""), cutoff):
        try:
            if await is_live(run_id):
                continue
        except Exception as exc:
            log.info("retention: stopped at %s: could not tell whether it is live (%s)", run_id, type(exc).__name__)
            break
        await store.delete_prefix_async(f"{run_id}/")
        removed.append(run_id)
    return removed


def remove_runs_older_than(store: ArtifactStore, max_age_seconds: float, keep: set[str] | None = None) -> list[str]:
    """The synchronous sweep with a fixed set of live runs (`keep`)."""
    cutoff = time.time() - max_age_seconds
    removed = []
    for run_id in stale_runs(store.list_prefix(""), cutoff):
        if keep and run_id in keep:
            continue
        store.delete_prefix(f"{run_id}/")
        removed.append(run_id)
    return removed
