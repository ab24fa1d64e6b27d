"""The one ordering of the pipeline's steps and the review loop, shared by both engines.

`Pipeline` owns a RunState and its append-only event log. It never does I/O itself: every step
goes through a `Runner` (Temporal activities, or in-process calls for the local engine), and time
comes from `runner.now()`, so the same code is deterministic inside a Temporal workflow.

Resuming is by state: a step whose output is already in the state is not run again. The local
engine relies on this after an API restart; Temporal never needs it (it replays history instead).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from . import review
from .models import (
    BrandProfile,
    ComposeBatchInput,
    ComposeOutput,
    CopyVariant,
    Creative,
    Decision,
    DecisionInput,
    ExportInput,
    ExportOutput,
    ExtractInput,
    GenerateInput,
    GenerateOutput,
    ImageMatch,
    MatchInput,
    MatchOutput,
    PipelineInput,
    PriorCopy,
    ProgressEvent,
    RunState,
    RunStatus,
    ScoreInput,
    ScoreOutput,
    StepProgress,
    StepRetry,
    StepRound,
    StepState,
    Usage,
    VariantRevision,
    VariantScore,
)
from .review import DecisionRejected

__all__ = ["ContinueAsNew", "DecisionRejected", "Pipeline", "Runner", "StepFailed"]

T = TypeVar("T")

# Percent reached when each step starts and finishes; the approval wait sits at 95.
STEP_START_PERCENT = {"extract": 2, "generate": 25, "match": 45, "compose": 55, "score": 85}
STEP_PERCENT = {"extract": 25, "generate": 45, "match": 55, "compose": 85, "score": 95}
# Sub-step progress: the event a step's progress reports become, its message, and the share of the
# step's percent range it moves through (extract still reads images and builds the profile after its pages).
PROGRESS_EVENTS = {
    "extract": ("page_fetched", "Fetched {n} of {total} pages", 0.6),
    "compose": ("creative_rendered", "Rendered {n} of {total} creatives", 1.0),
}
# Variants per call of the compose step, at most: one call costs the Temporal server a task, history
# events and a workflow task (~30 ms of its CPU on 2 cores), so a batch renders several variants; more
# than one batch lets several workers share a big run. A run's batches are near-equal in size.
VARIANTS_PER_COMPOSE = 4
# Reminders per approval wait, at most (one an hour over the longest wait the API allows): each is
# an event kept with the run, so a short default interval cannot make a long wait's story unbounded.
MAX_REMINDERS = 720
# Invalid fire-and-forget decisions recorded per run (each is an event carried with the run); past
# this, one event says further ones are refused unrecorded. Ids and reasons are cut to a bounded size.
MAX_RECORDED_REJECTIONS = 20


class StepFailed(Exception):
    """A step failed for good (retries exhausted or non-retryable). Raised by runners."""

    def __init__(self, step: str, message: str, error_type: str = "StepFailed", retryable: bool | None = None):
        super().__init__(message)
        self.step = step
        self.message = message
        self.error_type = error_type
        self.retryable = retryable  # whether trying again later could succeed (timeouts, 5xx, 429)


class ContinueAsNew(Exception):  # noqa: N818 (a request, not an error)
    """Raised out of the approval wait when the engine says the run should go on in a fresh history
    (Temporal: its history grew past the limit). The state, events included, carries over unchanged."""


class Runner(Protocol):
    def now(self) -> datetime: ...
    async def extract(self, inp: ExtractInput) -> BrandProfile: ...
    async def generate(self, inp: GenerateInput) -> GenerateOutput: ...
    async def match(self, inp: MatchInput) -> MatchOutput: ...
    async def compose(self, inp: ComposeBatchInput) -> ComposeOutput: ...
    async def score(self, inp: ScoreInput) -> ScoreOutput: ...
    async def export(self, inp: ExportInput) -> ExportOutput | None: ...

    async def wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until condition() holds (True) or the timeout passes (False)."""
        ...

    async def checkpoint(self, state: RunState) -> None:
        """Called after every change worth keeping; the local engine persists here."""
        ...

    def cancel_is_final(self) -> bool:
        """Whether a CancelledError means the user cancelled (vs. the process shutting down)."""
        ...

    def announce(self, event: ProgressEvent) -> None:
        """Make a new event visible to readers at once, if the engine has a way (Temporal: history)."""
        ...

    def should_continue_as_new(self) -> bool:
        """Whether a long wait should go on in a fresh history now (Temporal); always False locally."""
        ...

    # Optional: `reports_progress() -> bool`, whether sub-step progress events are emitted (Temporal:
    # not while replaying a history recorded before they existed); True when a runner lacks it.
    # Optional: `variants_per_compose() -> int`, the largest batch one compose call takes (Temporal: 1
    # while replaying a history recorded before batches); VARIANTS_PER_COMPOSE when a runner lacks it.


class Pipeline:
    def __init__(self, inp: PipelineInput, runner: Runner, state: RunState | None = None, engine: str = "temporal"):
        self.inp = inp
        self.runner = runner
        if state is None:
            now = runner.now()
            state = RunState(
                workflow_id=inp.workflow_id,
                engine=engine,
                request=inp.request,
                created_at=now,
                updated_at=now,
            )
        self.state = state
        # Set by a cancel the run accepted: from then on no decision is taken (one outcome, not two).
        self.cancel_requested = False
        # Progress of the running step by part (note_progress), and how many parts' worth it expects.
        self._progress: dict[str, dict[str, StepProgress]] = {}
        self._expected: dict[str, int] = {}

    # ------------------------------------------------------------------ events

    def emit(self, type_: str, message: str, data: dict[str, Any] | None = None) -> ProgressEvent:
        now = self.runner.now()
        st = self.state
        event = ProgressEvent(
            id=len(st.events) + 1,
            type=type_,
            status=st.status,
            percent=st.percent,
            current_step=st.current_step,
            message=message,
            timestamp=now,
            data=data,
        )
        st.events.append(event)
        st.updated_at = now
        self.runner.announce(event)
        return event

    def _step(self, name: str) -> StepState:
        return next(s for s in self.state.steps if s.name == name)

    # ------------------------------------------------------------------ the run

    async def run(self) -> RunState:
        st = self.state
        try:
            if self.cancel_requested:  # accepted before the run (or this part of it) began
                raise asyncio.CancelledError()
            if not st.events:
                self.emit("run_started", f"Started pipeline for {st.request.url}", {"url": st.request.url})
            if st.status == RunStatus.STARTED:
                st.status = RunStatus.RUNNING
            await self._first_pass()
            await self._review_loop()
        except StepFailed as exc:
            self._step(exc.step).status, self._step(exc.step).message = "failed", exc.message
            self._end_round(self._step(exc.step), "failed")
            st.error, st.error_type, st.error_retryable = exc.message, exc.error_type, exc.retryable
            self._finish(
                RunStatus.FAILED,
                "failed",
                f"{exc.step} failed: {exc.message}",
                {"step": exc.step, "error_type": exc.error_type, "retryable": exc.retryable},
            )
        except asyncio.CancelledError:
            if not self.runner.cancel_is_final():
                raise
            running = next((s for s in st.steps if s.name == st.current_step and s.status == "running"), None)
            if running:
                running.status, running.message = "failed", "cancelled"
                self._end_round(running, "failed")
            self._finish(RunStatus.CANCELLED, "cancelled", "Run cancelled")
        await self.runner.checkpoint(st)
        return st

    async def _first_pass(self) -> None:
        st, inp = self.state, self.inp
        if st.brand is None:
            st.brand = b = await self._timed(
                "extract", self.runner.extract(ExtractInput(run_id=inp.workflow_id, url=inp.request.url, max_pages=inp.max_pages))
            )
            for part in list(self._progress.get("extract", {}).values()):  # the last reports may not have come
                self.note_progress(part.model_copy(update={"done": part.total}))
            self._done(
                "extract",
                f"Read {len(b.pages)} page(s): {b.name}, {len(b.facts)} facts, {len(b.images)} images",
                {"brand": b.name, "facts": len(b.facts), "images": len(b.images), "pages": b.pages, "warnings": b.warnings[:10]},
            )
        if not st.variants:
            st.variants, st.usage = await self._generate(
                GenerateInput(
                    run_id=inp.workflow_id,
                    brand=st.brand,
                    num_variants=inp.request.num_variants,
                    platform=inp.request.platform,
                    provider=inp.provider,
                )
            )
        if not st.matches:
            st.matches = await self._match(st.variants)
        if not st.creatives:
            st.creatives = await self._compose(st.variants, st.matches)
        if not st.scores:
            st.scores = await self._score(st.variants, st.creatives)

    # Each step helper runs one step over a set of variants and reports it; the first pass and a
    # revision round both use them.

    async def _generate(self, gen_inp: GenerateInput) -> tuple[list[CopyVariant], Usage]:
        gen = await self._timed("generate", self.runner.generate(gen_inp))
        rewritten = [v.id for v in gen.variants if v.id in gen_inp.revise_ids]
        if gen_inp.revise_ids:  # the other variants were kept as they were: say what was rewritten
            message = f"Rewrote {_count(len(rewritten), 'variant')} ({', '.join(rewritten)})"
        else:
            message = f"Wrote {_count(len(gen.variants), 'variant')}"
        if gen.caught:
            message += f"; the truth check caught {len(gen.caught)} unsupported claim(s) and had them rewritten"
        if gen.dropped:
            message += f"; dropped {len(gen.dropped)}"
        for warning in gen.warnings:
            message += f"; {warning}"
        self._done(
            "generate",
            message,
            {
                "variants": [v.id for v in gen.variants],
                "dropped": gen.dropped,
                "truth_caught": gen.caught[:20],
                "warnings": gen.warnings,
            },
        )
        return gen.variants, gen.usage

    async def _match(self, variants: list[CopyVariant]) -> list[ImageMatch]:
        out = await self._timed(
            "match",
            self.runner.match(
                MatchInput(
                    run_id=self.inp.workflow_id, brand=self.state.brand, variants=variants, formats=self.inp.request.formats
                )
            ),
        )
        self._done(
            "match",
            f"Chose images for {len(variants)} variant(s)",
            {"matches": [{"variant_id": m.variant_id, "format": m.format, "reason": m.reason} for m in out.matches]},
        )
        return out.matches

    async def _compose(self, variants: list[CopyVariant], matches: list[ImageMatch]) -> list[Creative]:
        formats = self.inp.request.formats
        self._expected["compose"] = len(variants) * len(formats)
        assert self.state.brand is not None
        brand = self.state.brand.for_rendering()

        async def one(batch: list[CopyVariant]) -> ComposeOutput:
            ids = {v.id for v in batch}
            out = await self.runner.compose(
                ComposeBatchInput(
                    run_id=self.inp.workflow_id,
                    brand=brand,
                    variants=batch,
                    formats=formats,
                    matches=[m for m in matches if m.variant_id in ids],
                )
            )
            # The result says all its creatives are done, whichever reports of them came.
            done = [
                StepProgress(step="compose", part=v.id, done=sum(c.variant_id == v.id for c in out.creatives), total=len(formats))
                for v in batch
            ]
            self.note_progress(*done)
            return out

        size = getattr(self.runner, "variants_per_compose", lambda: VARIANTS_PER_COMPOSE)()
        composed = await self._timed("compose", asyncio.gather(*[one(batch) for batch in _batches(variants, size)]))
        creatives = [c for out in composed for c in out.creatives]
        self._done(
            "compose",
            f"Rendered {len(creatives)} creative(s)",
            {
                "creatives": [
                    {
                        "variant_id": c.variant_id,
                        "format": c.format,
                        "key": c.key,
                        "thumb_key": c.thumb_key,
                        "width": c.width,
                        "height": c.height,
                        "image_url": c.image_url,
                        "reason": c.reason,
                        "contrast": c.contrast,
                    }
                    for c in creatives
                ]
            },
        )
        return creatives

    async def _score(self, variants: list[CopyVariant], creatives: list[Creative]) -> list[VariantScore]:
        scored = await self._timed(
            "score",
            self.runner.score(
                ScoreInput(
                    run_id=self.inp.workflow_id,
                    brand=self.state.brand,
                    variants=variants,
                    creatives=creatives,
                    platform=self.inp.request.platform,
                    provider=self.inp.provider,
                )
            ),
        )
        if scored.usage:
            self.state.usage = _add_usage(self.state.usage, scored.usage)
        self._done("score", "Scored variants", {"scores": {s.variant_id: s.score for s in scored.scores}})
        return scored.scores

    async def _timed(self, name: str, awaitable: Awaitable[T]) -> T:
        step = self._step(name)
        step.status, step.started_at, step.finished_at = "running", self.runner.now(), None
        step.attempts += 1
        round_ = self._round()
        # A round run again (a restart redoes an interrupted revision) replaces what it had recorded.
        step.rounds = [r for r in step.rounds if r.round != round_] + [StepRound(round=round_, started_at=step.started_at)]
        self._progress[name] = {}
        self.state.current_step = name
        self.state.percent = STEP_START_PERCENT[name]
        self.emit(
            "step_started",
            f"{name.capitalize()} started",
            {"step": name, "attempt": step.attempts, "round": round_},
        )
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
        self._end_round(step, "completed")
        payload["round"] = self._round()
        self.emit("step_completed", message, payload)
        # Persisted by the next step's _timed() or by the caller; a step's output lands atomically.

    def _round(self) -> int:
        """The round running now: 0 for the first pass, n while revision round n runs."""
        revising = self.state.pending is not None and self.state.pending.kind == "revise"
        return self.state.revision_round + (1 if revising else 0)

    def _end_round(self, step: StepState, status: str) -> None:
        last = step.rounds[-1] if step.rounds else None
        if last is None or last.status != "running":
            return  # a run recorded before rounds were kept
        last.status, last.finished_at = status, self.runner.now()  # type: ignore[assignment]
        if last.started_at:
            last.duration_ms = round((last.finished_at - last.started_at) / timedelta(milliseconds=1))

    # ------------------------------------------------------------------ review

    async def _review_loop(self) -> None:
        st = self.state
        while not st.status.terminal:
            if st.pending is None:
                if st.status != RunStatus.AWAITING_APPROVAL:
                    st.status, st.current_step, st.percent = RunStatus.AWAITING_APPROVAL, "approval", 95
                    self.emit(
                        "awaiting_approval",
                        "Variants ready for review",
                        {"variants": self._variant_summaries(), "round": st.revision_round},
                    )
                    await self.runner.checkpoint(st)
                if not await self._wait_for_decision():
                    self._finish(RunStatus.EXPIRED, "expired", "No decision before the approval timeout")
                    return
            decision = st.pending
            assert decision is not None
            if decision.kind == "approve":
                await self._export()
                self._finish(RunStatus.COMPLETED, "completed", self._completion_message())
            elif decision.kind == "reject":
                self._finish(RunStatus.REJECTED, "rejected", review.describe(decision))
            else:
                await self._revise(decision)
            st.pending = None
            await self.runner.checkpoint(st)

    async def _wait_for_decision(self) -> bool:
        """Wait for a decision, reminding reviewers every interval; False once the timeout passes."""
        st = self.state
        since = self._awaiting_since() or self.runner.now()  # a resumed run keeps its deadline
        while True:
            remaining = self.inp.approval_timeout_seconds - (self.runner.now() - since).total_seconds()
            if remaining <= 0:
                return False
            if self.runner.should_continue_as_new():
                raise ContinueAsNew()
            interval = max(self.inp.reminder_interval_seconds, self.inp.approval_timeout_seconds / MAX_REMINDERS)
            chunk = min(remaining, interval)
            if await self.runner.wait(lambda: st.pending is not None or self.runner.should_continue_as_new(), chunk):
                if st.pending is not None:
                    return True
                continue  # the history grew long while waiting: go on in a fresh one
            if remaining > chunk:
                left = remaining - chunk
                self.emit(
                    "reminder",
                    f"Still waiting for a decision on {len(st.variants)} variant(s); expires in {_human(left)}",
                    {"expires_in_seconds": round(left)},
                )
                await self.runner.checkpoint(st)

    async def _revise(self, decision: Decision) -> None:
        """Regenerate the named variants with the feedback; keep the others. Commits only at the end,
        so a revision interrupted by a restart is simply redone."""
        st, ids = self.state, decision.variant_ids
        variants, usage = await self._generate(
            GenerateInput(
                run_id=self.inp.workflow_id,
                brand=st.brand,
                num_variants=self.inp.request.num_variants,
                platform=self.inp.request.platform,
                provider=self.inp.provider,
                feedback=decision.comment or "",
                revise_ids=ids,
                existing=st.variants,
            )
        )
        revised = [v for v in variants if v.id in ids]
        matches = [m for m in st.matches if m.variant_id not in ids] + await self._match(revised)
        creatives = [c for c in st.creatives if c.variant_id not in ids] + await self._compose(revised, matches)
        scores = await self._score(variants, creatives)
        history = self._revisions(decision, revised)  # from the state before it changes
        st.variants, st.matches, st.creatives, st.scores = variants, matches, creatives, scores
        st.usage = _add_usage(st.usage, usage)
        st.revision_round += 1
        st.revisions.extend(history)
        # Each revised variant says how it followed the feedback, or why it could not.
        notes = {v.id: v.revision_note for v in revised if v.revision_note}
        self.emit(
            "revised",
            f"Revised {', '.join(ids)} (round {st.revision_round})" + "".join(f"; {vid}: {text}" for vid, text in notes.items()),
            {"variant_ids": ids, "round": st.revision_round, "revisions": {v.id: v.revision for v in revised}, "notes": notes},
        )

    def _revisions(self, decision: Decision, revised: list[CopyVariant]) -> list[VariantRevision]:
        """One record per rewritten variant: its copy and creatives before, the feedback, the new revision."""
        st = self.state
        old = {v.id: v for v in st.variants}
        out = []
        for v in revised:
            before = old.get(v.id)
            if before is None:
                continue
            keys = {c.format: c.key for c in st.creatives if c.variant_id == v.id}
            prior = PriorCopy(**before.model_dump(include=set(PriorCopy.model_fields) - {"creative_keys"}), creative_keys=keys)
            out.append(
                VariantRevision(
                    variant_id=v.id,
                    round=st.revision_round + 1,
                    before=prior,
                    revision=v.revision,
                    feedback=decision.comment or "",
                    approver=decision.approver,
                    at=decision.at,
                    note=v.revision_note,
                )
            )
        return out

    async def _export(self) -> None:
        st = self.state
        if st.export is not None or st.brand is None or st.decision is None:
            return
        approved = [v for v in st.variants if v.id in st.decision.variant_ids]
        out = await self.runner.export(
            ExportInput(
                run_id=self.inp.workflow_id,
                brand=st.brand,
                variants=approved,
                creatives=[c for c in st.creatives if c.variant_id in st.decision.variant_ids],
                scores=[s for s in st.scores if s.variant_id in st.decision.variant_ids],
                decisions=st.decisions,
            )
        )
        if out is not None:
            st.export = out
            self.emit("exported", f"Export bundle ready ({len(out.files)} files)", {"key": out.key, "files": len(out.files)})

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
        scores = {s.variant_id: s for s in self.state.scores}
        return [
            {
                "id": v.id,
                "headline": v.headline,
                "cta": v.cta,
                "revision": v.revision,
                "score": scores[v.id].score if v.id in scores else None,
                "recommended": scores[v.id].recommended if v.id in scores else False,
            }
            for v in self.state.variants
        ]

    # ------------------------------------------------------------------ decisions (called by handlers)

    def validate_decision(self, d: DecisionInput) -> None:
        if self.cancel_requested:
            raise DecisionRejected("wrong_state", f"Run is being cancelled; nothing to {d.kind} now.")
        review.validate(self.state, self.inp, d)

    def apply_decision(self, d: DecisionInput) -> Decision:
        self.validate_decision(d)
        decision = review.record(self.state, d, self.runner.now())
        if d.kind != "reject":  # a rejection is announced by the run's own terminal event
            self.emit(
                "approved" if d.kind == "approve" else "revision_requested",
                review.describe(decision),
                {"decision": decision.model_dump(mode="json")},
            )
        return decision

    def validate_cancel(self) -> None:
        """The cancel rule, the same on both engines: a run can be cancelled until it is approved.

        An approval is final: the run exports the approved variants and completes, so a cancel after
        it is refused (409) rather than leaving a run that says both 'approved' and 'cancelled'.
        Engines apply decisions and cancels one at a time, so whichever comes first wins and the
        other is refused."""
        st = self.state
        if st.status.terminal:
            raise DecisionRejected("wrong_state", f"Run is already {st.status.value}; nothing to cancel.")
        approval = st.pending if st.pending is not None and st.pending.kind == "approve" else st.decision
        if st.status == RunStatus.APPROVED or (st.pending is not None and st.pending.kind == "approve"):
            ids = ", ".join(approval.variant_ids) if approval else ""
            raise DecisionRejected(
                "wrong_state",
                f"Run is approved ({ids}) and is exporting its bundle; an approved run cannot be cancelled. "
                "It completes on its own: to not use these creatives, leave them unpublished, or start a new run.",
            )

    def request_cancel(self) -> None:
        """Accept a cancel (after validate_cancel); the engine then stops the run's task."""
        self.validate_cancel()
        self.cancel_requested = True

    def note_retry(self, retry: StepRetry) -> None:
        """A step is being tried again (the engine retries it); shown in the timeline and the stream."""
        step = next((s for s in self.state.steps if s.name == retry.step), None)
        if step is None or step.status != "running" or retry.attempt <= step.attempts:
            return  # unknown, finished, or already noted: a late or duplicate report changes nothing
        step.attempts = retry.attempt
        self.emit(
            "step_retrying",
            f"{retry.step.capitalize()} retrying (attempt {retry.attempt})",
            {"step": retry.step, "attempt": retry.attempt},
        )

    def note_progress(self, *reports: StepProgress) -> None:
        """Parts of a running step are done (a page fetched, a creative rendered): one progress event
        with n of N for the whole step. Reports may come late, twice or out of order (Temporal signals
        are throttled, and the step's own result completes its count); n only ever grows."""
        news = [p for p in reports if self._is_news(p)]
        if not news:
            return
        if not getattr(self.runner, "reports_progress", lambda: True)():
            return  # a Temporal run recorded before progress events: replay it as it ran
        for p in news:
            parts = self._progress.setdefault(p.step, {})
            if p.part not in parts or p.done > parts[p.part].done:
                parts[p.part] = p
        p = news[-1]
        kind = PROGRESS_EVENTS[p.step]
        parts = self._progress[p.step]
        n = sum(min(x.done, x.total) for x in parts.values())
        total = max(self._expected.get(p.step, 0), sum(x.total for x in parts.values()))
        event, message, share = kind
        start, end = STEP_START_PERCENT[p.step], STEP_PERCENT[p.step]
        self.state.percent = max(self.state.percent, start + int((end - start) * share * n / total))
        data: dict[str, Any] = {"step": p.step, "n": n, "total": total}
        if p.part:
            data["part"] = p.part
        self.emit(event, message.format(n=n, total=total), data)

    def _is_news(self, p: StepProgress) -> bool:
        step = next((s for s in self.state.steps if s.name == p.step), None)
        if p.step not in PROGRESS_EVENTS or step is None or step.status != "running" or p.total <= 0:
            return False
        known = self._progress.get(p.step, {}).get(p.part)
        return known is None or p.done > known.done

    def recorded_rejections(self) -> int:
        return sum(1 for e in self.state.events if e.type == "approval_rejected")

    def record_rejected_decision(self, d: DecisionInput, reason: str, bounded: bool = True) -> None:
        """An invalid fire-and-forget decision is kept on the record, never dropped silently; a flood
        of them is recorded up to MAX_RECORDED_REJECTIONS, then said to be refused unrecorded."""
        told = self.recorded_rejections()
        if bounded and told > MAX_RECORDED_REJECTIONS:
            return
        if bounded and told == MAX_RECORDED_REJECTIONS:
            self.emit(
                "approval_rejected",
                f"{told} invalid decisions recorded; further invalid ones are refused "
                "without being recorded. Use the approve endpoint with wait=true to see why each fails.",
                {"via": d.via, "kind": d.kind, "unrecorded": True},
            )
            return
        self.emit("approval_rejected", reason[:500], {"variant_ids": d.variant_ids[:20], "via": d.via, "kind": d.kind})


def _add_usage(a: Usage, b: Usage) -> Usage:
    return a.model_copy(
        update={
            "input_tokens": a.input_tokens + b.input_tokens,
            "output_tokens": a.output_tokens + b.output_tokens,
            "cost_usd": round(a.cost_usd + b.cost_usd, 6),
        }
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _human(seconds: float) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"


def _batches(variants: list[CopyVariant], size: int) -> list[list[CopyVariant]]:
    """The variants in order, in as few batches of at most `size` as there can be, near-equal in size."""
    count = -(-len(variants) // max(size, 1))
    return [variants[i * len(variants) // count : (i + 1) * len(variants) // count] for i in range(count)]
