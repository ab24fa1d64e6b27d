"""Batch bookkeeping shared by both engines: which child states free a slot, and the summary."""

from __future__ import annotations

from .models import BatchState, BatchSummary

# A child holds its concurrency slot until it reaches one of these.
READY_STATUSES = frozenset({"awaiting_approval", "approved", "completed", "failed", "cancelled", "expired", "rejected"})
FAILED_STATUSES = frozenset({"failed", "cancelled"})


def summarize(state: BatchState) -> BatchSummary:
    done = [c for c in state.children if c.status in READY_STATUSES]
    failed = [c for c in done if c.status in FAILED_STATUSES]
    durations = [(c.ready_at - c.started_at).total_seconds() for c in done if c.ready_at and c.started_at]
    starts = [c.started_at for c in state.children if c.started_at]
    ends = [c.ready_at for c in done if c.ready_at]
    total = (max(ends) - min(starts)).total_seconds() if starts and ends and len(done) == len(state.children) else None
    return BatchSummary(
        total=len(state.children),
        succeeded=len(done) - len(failed),
        failed=len(failed),
        pending=len(state.children) - len(done),
        total_duration_seconds=round(total, 3) if total is not None else None,
        average_duration_seconds=round(sum(durations) / len(durations), 3) if durations else None,
    )
