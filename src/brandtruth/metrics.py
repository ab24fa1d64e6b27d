"""Prometheus metrics (prometheus_client): runs, steps, SSE subscribers, event delivery, event-loop lag.

Step metrics are recorded where steps run (the worker, or the API for local runs); a separate
worker process serves them on BRANDTRUTH_WORKER_METRICS_PORT, the API on /metrics.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

RUNS_STARTED = Counter("brandtruth_runs_started_total", "Runs started", ["engine"])
RUNS_FINISHED = Counter("brandtruth_runs_finished_total", "Runs seen reaching a terminal state", ["engine", "status"])
BATCHES_STARTED = Counter("brandtruth_batches_started_total", "Batches started", ["engine"])
STEP_SECONDS = Histogram(
    "brandtruth_step_duration_seconds",
    "Step duration",
    ["step"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
STEP_FAILURES = Counter("brandtruth_step_failures_total", "Step attempts that raised", ["step", "error_type"])
SSE_SUBSCRIBERS = Gauge("brandtruth_sse_subscribers", "Open SSE streams")
EVENT_DELIVERY_SECONDS = Histogram(
    "brandtruth_event_delivery_seconds",
    "Event emitted -> written to an SSE client",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5),
)
DECISIONS = Counter("brandtruth_decisions_total", "Reviewer decisions accepted", ["kind"])
EVENT_LOOP_LAG = Histogram(
    "brandtruth_event_loop_lag_seconds",
    "How late a periodic wake-up ran: time the event loop was blocked",
    ["process"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
EVENT_LOOP_LAG_MAX = Gauge("brandtruth_event_loop_lag_max_seconds", "Worst event-loop lag in the last 1-2 minutes", ["process"])
