"""Timeouts and retry policies per step, shared by both engines.

Temporal turns each StepPolicy into activity options (start-to-close, heartbeat, RetryPolicy);
the local engine runs the same attempts and backoff in-process. Errors marked non-retryable in
`errors.py` stop retries at once on both engines.

Why these numbers:
- extract reads up to a handful of pages, each capped at the fetcher's own timeout, so 2 minutes
  is generous; sites flake, so 4 attempts.
- generate talks to LLM APIs that rate-limit; 5 attempts with a longer backoff (Retry-After, when
  given, overrides the next delay).
- match/compose/score are local CPU work: failures are bugs or a vanished worker, 3 attempts.
- Every step heartbeats every second; a 5 s heartbeat timeout lets Temporal notice a dead worker
  quickly instead of waiting for the whole start-to-close timeout.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepPolicy:
    start_to_close_seconds: float
    max_attempts: int
    initial_interval_seconds: float = 1.0
    backoff: float = 2.0
    max_interval_seconds: float = 30.0
    heartbeat_seconds: float | None = 5.0

    def delay_before(self, attempt: int) -> float:
        """Backoff before `attempt` (2 = first retry)."""
        return min(self.max_interval_seconds, self.initial_interval_seconds * self.backoff ** max(0, attempt - 2))


HEARTBEAT_EVERY_SECONDS = 1.0

EXTRACT_POLICY = StepPolicy(start_to_close_seconds=120, max_attempts=4)
GENERATE_POLICY = StepPolicy(start_to_close_seconds=180, max_attempts=5, initial_interval_seconds=2.0, max_interval_seconds=60.0)
MATCH_POLICY = StepPolicy(start_to_close_seconds=60, max_attempts=3)
COMPOSE_POLICY = StepPolicy(start_to_close_seconds=120, max_attempts=3)
SCORE_POLICY = StepPolicy(start_to_close_seconds=60, max_attempts=3)
# export zips files already on disk: quick, and idempotent, so retrying is always safe.
EXPORT_POLICY = StepPolicy(start_to_close_seconds=120, max_attempts=5)

STEP_POLICIES = {
    "extract": EXTRACT_POLICY,
    "generate": GENERATE_POLICY,
    "match": MATCH_POLICY,
    "compose": COMPOSE_POLICY,
    "score": SCORE_POLICY,
    "export": EXPORT_POLICY,
}
