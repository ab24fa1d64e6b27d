"""The one ordering of the pipeline's steps and the approval wait, shared by both engines.

`Pipeline` owns a RunState and its append-only event log. It never does I/O itself: every step
goes through a `Runner` (Temporal activities, or in-process calls for the local engine), and time
comes from `runner.now()`, so the same code is deterministic inside a Temporal workflow.

Resuming is by state: a step whose output is already in the state is not run again. The local
engine relies on this after an API restart; Temporal never needs it (it replays history instead).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from .models import (
    BrandProfile,
    ComposeInput,
    ComposeOutput,
    Decision,
    DecisionInput,
    ExtractInput,
    GenerateInput,
    GenerateOutput,
    MatchInput,
    MatchOutput,
    PipelineInput,
    ProgressEvent,
    RunState,
    RunStatus,
    ScoreInput,
    ScoreOutput,
    StepState,
)

# Percent reached when each step finishes; the approval wait sits at 95.
STEP_PERCENT = {"extract": 25, "generate": 45, "match": 55, "compose": 85, "score": 95}
STEP_START_PERCENT = {"extract": 2, "generate": 25, "match": 45, "compose": 55, "score": 85}


class StepFailed(Exception):
    """A step failed for good (retries exhausted or non-retryable). Raised by runners."""

    def __init__(self, step: str, message: str, error_type: str = "StepFailed"):
        super().__init__(message)
        self.step = step
        self.message = message
        self.error_type = error_type


class DecisionRejected(Exception):
    """A decision that cannot be applied. `reason` is 'wrong_state' (409) or 'invalid' (422)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class Runner(Protocol):
    def now(self) -> datetime: ...
    async def extract(self, inp: ExtractInput) -> BrandProfile: ...
    async def generate(self, inp: GenerateInput) -> GenerateOutput: ...
    async def match(self, inp: MatchInput) -> MatchOutput: ...
    async def compose(self, inp: ComposeInput) -> ComposeOutput: ...
    async def score(self, inp: ScoreInput) -> ScoreOutput: ...

    async def wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until condition() holds (True) or the timeout passes (False)."""
        ...

    async def checkpoint(self, state: RunState) -> None:
        """Called after every change worth keeping; the local engine persists here."""
        ...

    def cancel_is_final(self) -> bool:
        """Whether a CancelledError means the user cancelled (vs. the process shutting down)."""
        ...


class Pipeline:
    def __init__(self, inp: PipelineInput, runner: Runner, state: RunState | None = None, engine: str = "temporal"):
        self.inp = inp
        self.runner = runner
        if state is None:
            now = runner.now()
            state = RunState(
                workflow_id=inp.workflow_id, engine=engine, request=inp.request, created_at=now, updated_at=now
            )  # type: ignore[arg-type]
        self.state = state

    # ------------------------------------------------------------------ events

    def emit(self, type_: str, message: str, data: dict[str, Any] | None = None) -> ProgressEvent:
        now = self.runner.now()
        event = ProgressEvent(
            id=len(self.state.events) + 1,
            type=type_,
            status=self.state.status,
            percent=self.state.percent,
            current_step=self.state.current_step,
            message=message,
            timestamp=now,
            data=data,
        )
        self.state.events.append(event)
        self.state.updated_at = now
        return event

    def _step(self, name: str) -> StepState:
        return next(s for s in self.state.steps if s.name == name)

    # ------------------------------------------------------------------ the run

    async def run(self) -> RunState:
        st = self.state
        try:
            if not st.events:
                self.emit("run_started", f"Started pipeline for {st.request.url}", {"url": st.request.url})
            if st.status == RunStatus.STARTED:
                st.status = RunStatus.RUNNING
            await self._run_steps()
            if st.decision is None:
                await self._await_decision()
            if st.status == RunStatus.APPROVED:
                self._finish(RunStatus.COMPLETED, "completed", self._completion_message())
        except StepFailed as exc:
            self._step(exc.step).status = "failed"
            self._step(exc.step).message = exc.message
            st.error, st.error_type = exc.message, exc.error_type
            self._finish(RunStatus.FAILED, "failed", f"{exc.step} failed: {exc.message}", {"error_type": exc.error_type})
        except asyncio.CancelledError:
            if not self.runner.cancel_is_final():
                raise
            if st.current_step and self._step(st.current_step).status == "running":
                self._step(st.current_step).status = "failed"
                self._step(st.current_step).message = "cancelled"
            self._finish(RunStatus.CANCELLED, "cancelled", "Run cancelled")
        await self.runner.checkpoint(st)
        return st

    async def _run_steps(self) -> None:
        st, inp = self.state, self.inp
        if st.brand is None:
            st.brand = await self._timed(
                "extract", self.runner.extract(ExtractInput(run_id=inp.workflow_id, url=inp.request.url, max_pages=inp.max_pages))
            )
            b = st.brand
            self._done("extract", f"Read {len(b.pages)} page(s): {b.name}, {len(b.facts)} facts, {len(b.images)} images",
                       {"brand": b.name, "facts": len(b.facts), "images": len(b.images), "pages": b.pages})
        if not st.variants:
            gen = await self._timed("generate", self.runner.generate(GenerateInput(
                run_id=inp.workflow_id, brand=st.brand, num_variants=inp.request.num_variants,
                platform=inp.request.platform, provider=inp.provider)))
            st.variants, st.usage = gen.variants, gen.usage
            self._done("generate", f"Wrote {len(gen.variants)} variant(s)",
                       {"variants": [v.id for v in gen.variants], "dropped": gen.dropped})
        if not st.matches:
            out = await self._timed("match", self.runner.match(MatchInput(
                run_id=inp.workflow_id, brand=st.brand, variants=st.variants, formats=inp.request.formats)))
            st.matches = out.matches
            self._done("match", f"Chose images for {len(st.variants)} variant(s)")
        if not st.creatives:
            composed = await self._timed("compose", asyncio.gather(*[
                self.runner.compose(ComposeInput(
                    run_id=inp.workflow_id, brand=st.brand, variant=v, formats=inp.request.formats,
                    matches=[m for m in st.matches if m.variant_id == v.id]))
                for v in st.variants
            ]))
            st.creatives = [c for out in composed for c in out.creatives]
            self._done("compose", f"Rendered {len(st.creatives)} creative(s)", {"creatives": len(st.creatives)})
        if not st.scores:
            scored = await self._timed("score", self.runner.score(ScoreInput(
                run_id=inp.workflow_id, brand=st.brand, variants=st.variants, creatives=st.creatives,
                platform=inp.request.platform)))
            st.scores = scored.scores
            self._done("score", "Scored variants", {"scores": {s.variant_id: s.score for s in st.scores}})

    async def _timed(self, name: str, awaitable: Any) -> Any:
        step = self._step(name)
        step.status, step.started_at, step.attempts = "running", self.runner.now(), step.attempts + 1
        self.state.current_step = name
        self.state.percent = STEP_START_PERCENT[name]
        self.emit("step_started", f"{name.capitalize()} started", {"step": name, "attempt": step.attempts})
        await self.runner.checkpoint(self.state)
        try:
            return await awaitable
        except StepFailed as exc:
            exc.step = name
            raise

    def _done(self, name: str, message: str, data: dict[str, Any] | None = None) -> None:
        step = self._step(name)
        step.status, step.finished_at, step.message = "completed", self.runner.now(), message
        self.state.percent = STEP_PERCENT[name]
        payload = {"step": name, **(data or {})}
        if step.started_at:
            payload["duration_ms"] = round((step.finished_at - step.started_at) / timedelta(milliseconds=1))
        self.emit("step_completed", message, payload)
        # The checkpoint is awaited by the next step's _timed() or by run(); steps stay atomic.

    async def _await_decision(self) -> None:
        st = self.state
        if st.status != RunStatus.AWAITING_APPROVAL:
            st.status, st.current_step, st.percent = RunStatus.AWAITING_APPROVAL, "approval", 95
            self.emit("awaiting_approval", "Variants ready for review", {"variants": self._variant_summaries()})
            await self.runner.checkpoint(st)
        # Measured from the awaiting_approval event, so a resumed run keeps its original deadline.
        since = self._awaiting_since() or self.runner.now()
        remaining = self.inp.approval_timeout_seconds - (self.runner.now() - since).total_seconds()
        got = await self.runner.wait(lambda: st.decision is not None, max(0.0, remaining))
        if not got and st.decision is None:
            self._finish(RunStatus.EXPIRED, "expired", "No decision before the approval timeout")

    def _awaiting_since(self) -> datetime | None:
        for ev in reversed(self.state.events):
            if ev.type == "awaiting_approval":
                return ev.timestamp
        return None

    def _finish(self, status: RunStatus, type_: str, message: str, data: dict[str, Any] | None = None) -> None:
        st = self.state
        st.status = status
        st.percent = 100 if status == RunStatus.COMPLETED else st.percent
        st.current_step = None
        self.emit(type_, message, data)

    def _completion_message(self) -> str:
        ids = self.state.decision.variant_ids if self.state.decision else []
        return f"Completed with {len(ids)} approved variant(s): {', '.join(ids)}"

    def _variant_summaries(self) -> list[dict[str, Any]]:
        scores = {s.variant_id: s.score for s in self.state.scores}
        return [{"id": v.id, "headline": v.headline, "cta": v.cta, "score": scores.get(v.id)} for v in self.state.variants]

    # ------------------------------------------------------------------ decisions

    def validate_approval(self, d: DecisionInput) -> None:
        st = self.state
        if st.status != RunStatus.AWAITING_APPROVAL or st.decision is not None:
            raise DecisionRejected("wrong_state", f"Run is {st.status.value}, not awaiting_approval; nothing to approve.")
        if not d.variant_ids:
            raise DecisionRejected("invalid", "variant_ids is empty: name at least one variant, e.g. ['v1'].")
        known = [v.id for v in st.variants]
        unknown = [v for v in d.variant_ids if v not in known]
        if unknown:
            raise DecisionRejected("invalid", f"Unknown variant id(s) {unknown}; this run has {known}.")

    def apply_approval(self, d: DecisionInput) -> Decision:
        self.validate_approval(d)
        st = self.state
        decision = Decision(kind="approve", variant_ids=list(dict.fromkeys(d.variant_ids)), approver=d.approver,
                            comment=d.comment, via=d.via, at=self.runner.now())
        st.decision = decision
        st.decisions.append(decision)
        st.status, st.current_step = RunStatus.APPROVED, None
        self.emit("approved", f"Approved {', '.join(decision.variant_ids)}", {"decision": decision.model_dump(mode="json")})
        return decision

    def record_rejected_decision(self, d: DecisionInput, reason: str) -> None:
        """An invalid fire-and-forget approval is kept on the record, never dropped silently."""
        self.emit("approval_rejected", reason, {"variant_ids": d.variant_ids, "via": d.via})
