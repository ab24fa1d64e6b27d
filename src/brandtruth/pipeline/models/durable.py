"""Durable payloads: the workflow's input, activity inputs/outputs, decisions, events, run and batch state.

Everything here is recorded (Temporal histories, local-engine rows): see `base.Durable` for the rules
that keep old records readable. None of them embeds an API body; `RunOptions` carries a run's options.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from .base import Durable
from .domain import (
    ALL_FORMATS,
    STEP_NAMES,
    BrandProfile,
    CopyVariant,
    Creative,
    Format,
    ImageMatch,
    Platform,
    ProviderName,
    RunStatus,
    ScoreWeights,
    Usage,
    VariantScore,
)


class RunOptions(Durable):
    """What the caller asked for, as stored with the run (converted from `StartRequest` by the API).

    Stored under the key `request` in RunState and PipelineInput (the name runs recorded before this
    type was introduced use), with the API's field names; no validation beyond types: the API checked
    the values when the run started, and a rule added later must not make an old run unreadable.
    """

    url: str
    num_variants: int = 3
    formats: list[Format] = Field(default_factory=lambda: list(ALL_FORMATS))
    provider: ProviderName | None = None
    platform: Platform = "meta"
    max_pages: int | None = None
    approval_timeout_seconds: float | None = None
    reminder_interval_seconds: float | None = None


# ----------------------------------------------------------------------------- step inputs/outputs


class ExtractInput(Durable):
    run_id: str
    url: str
    max_pages: int = 5


class GenerateInput(Durable):
    run_id: str
    brand: BrandProfile
    num_variants: int = 3
    platform: Platform = "meta"
    provider: ProviderName = "offline"
    feedback: str = ""
    revise_ids: list[str] = Field(default_factory=list)
    existing: list[CopyVariant] = Field(default_factory=list)


class GenerateOutput(Durable):
    variants: list[CopyVariant]
    usage: Usage = Field(default_factory=Usage)
    dropped: list[str] = Field(default_factory=list, description="Why variants were dropped, if any.")
    caught: list[str] = Field(
        default_factory=list, description="What the truth check and distinctness check refused before a retry."
    )
    warnings: list[str] = Field(default_factory=list, description="What a reviewer should know about the copy.")


class MatchInput(Durable):
    run_id: str
    brand: BrandProfile
    variants: list[CopyVariant]
    formats: list[Format] = Field(default_factory=lambda: list(ALL_FORMATS))


class MatchOutput(Durable):
    matches: list[ImageMatch]


class ComposeInput(Durable):
    run_id: str
    brand: BrandProfile
    variant: CopyVariant
    matches: list[ImageMatch]
    formats: list[Format] = Field(default_factory=lambda: list(ALL_FORMATS))


class ComposeBatchInput(Durable):
    """Several variants' creatives in one call of the compose step: on Temporal one activity renders a
    batch, where one per variant cost the server a task, history events and a workflow task for each."""

    run_id: str
    brand: BrandProfile
    variants: list[CopyVariant]
    matches: list[ImageMatch]
    formats: list[Format] = Field(default_factory=lambda: list(ALL_FORMATS))

    def per_variant(self) -> list[ComposeInput]:
        """One ComposeInput per variant, each with its own images only."""
        return [
            ComposeInput(
                run_id=self.run_id,
                brand=self.brand,
                variant=v,
                matches=[m for m in self.matches if m.variant_id == v.id],
                formats=self.formats,
            )
            for v in self.variants
        ]


class ComposeOutput(Durable):
    creatives: list[Creative]


class ScoreInput(Durable):
    run_id: str
    brand: BrandProfile
    variants: list[CopyVariant]
    creatives: list[Creative] = Field(default_factory=list)
    platform: Platform = "meta"
    weights: ScoreWeights | None = Field(default=None, description="Override the default scoring weights.")
    provider: ProviderName = Field("offline", description="An LLM provider adds a critique beside the score.")


class ScoreOutput(Durable):
    scores: list[VariantScore]
    usage: Usage | None = Field(None, description="Tokens spent on the optional LLM critique.")


# ----------------------------------------------------------------------------- run state


class StepRound(Durable):
    """One execution of a step: the first pass is round 0, revision round n is round n."""

    round: int = 0
    status: Literal["running", "completed", "failed"] = "running"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_ms: int | None = None


class StepState(Durable):
    """A step's latest execution (status, times, attempts), plus every round's timings in `rounds`, so a
    revision round adds its timings instead of replacing the first pass's."""

    name: str
    status: Literal["pending", "running", "completed", "failed"] = "pending"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int = 0
    message: str = ""
    rounds: list[StepRound] = Field(default_factory=list)


class ProgressEvent(Durable):
    id: int
    type: str
    status: RunStatus
    percent: int
    current_step: str | None = None
    message: str = ""
    timestamp: datetime
    data: dict[str, Any] | None = None


class StepRetry(Durable):
    """An attempt after the first of a step, reported while it runs (Temporal: a signal from the activity)."""

    step: str
    attempt: int


class StepProgress(Durable):
    """How far a running step has got (pages fetched, creatives rendered), reported while it runs
    (Temporal: a throttled signal from the activity; locally: a direct call). `part` names the share
    of the step it is about (a variant's creatives), "" when one call does the whole step."""

    step: str
    part: str = ""
    done: int
    total: int


class DecisionInput(Durable):
    """What a reviewer sends: the payload of the approve Update/Signal."""

    kind: Literal["approve", "reject", "revise"] = "approve"
    variant_ids: list[str] = Field(default_factory=list)
    approver: str | None = None
    comment: str | None = None
    via: Literal["update", "signal", "api"] = "update"


class Decision(Durable):
    kind: Literal["approve", "reject", "revise"] = "approve"
    variant_ids: list[str] = Field(default_factory=list)
    approver: str | None = None
    comment: str | None = None
    via: str = "update"
    at: datetime


class PriorCopy(Durable):
    """A variant as it was before a revision rewrote it: its copy and the creatives it had (artifact
    keys by format; a revision writes new files, so these stay readable)."""

    headline: str
    body: str
    description: str = ""
    cta: str = ""
    angle: str = ""
    revision: int = 1
    creative_keys: dict[str, str] = Field(default_factory=dict)


class VariantRevision(Durable):
    """One rewrite of one variant: what it said before, the feedback that asked for the change, and how
    the new copy followed it. The new copy is the variant itself (or the `before` of its next revision)."""

    variant_id: str
    round: int = Field(..., description="The revision round that rewrote it: 1 for the first revision.")
    before: PriorCopy
    revision: int = Field(..., description="The variant's revision number after this rewrite.")
    feedback: str = ""
    approver: str | None = None
    at: datetime | None = None
    note: str = Field("", description="How the new copy followed the feedback, or why it could not.")


class ExportInput(Durable):
    run_id: str
    brand: BrandProfile
    variants: list[CopyVariant]
    creatives: list[Creative] = Field(default_factory=list)
    scores: list[VariantScore] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)


class ExportOutput(Durable):
    key: str = Field(..., description="Artifact key of the zip bundle.")
    size_bytes: int = 0
    files: list[str] = Field(default_factory=list)
    sha256: str = ""


class RunState(Durable):
    """Everything a run knows; the workflow's query result and the local engine's stored row."""

    workflow_id: str
    engine: Literal["temporal", "local"] = "temporal"
    request: RunOptions
    status: RunStatus = RunStatus.STARTED
    percent: int = 0
    current_step: str | None = None
    steps: list[StepState] = Field(default_factory=lambda: [StepState(name=n) for n in STEP_NAMES])
    brand: BrandProfile | None = None
    variants: list[CopyVariant] = Field(default_factory=list)
    matches: list[ImageMatch] = Field(default_factory=list)
    creatives: list[Creative] = Field(default_factory=list)
    scores: list[VariantScore] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    decision: Decision | None = None
    decisions: list[Decision] = Field(default_factory=list)
    pending: Decision | None = Field(None, description="A revise/approve the run has accepted but not acted on yet.")
    error_retryable: bool | None = None
    revision_round: int = 0
    revisions: list[VariantRevision] = Field(default_factory=list, description="Every rewrite, oldest first.")
    export: ExportOutput | None = None
    error: str | None = None
    error_type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    events: list[ProgressEvent] = Field(default_factory=list)


class PipelineInput(Durable):
    """The workflow's single argument: the request plus engine-resolved defaults. Never secrets."""

    workflow_id: str
    request: RunOptions
    provider: ProviderName = "offline"
    max_pages: int = 5
    approval_timeout_seconds: float = 7 * 24 * 3600
    reminder_interval_seconds: float = 24 * 3600
    max_revision_rounds: int = 3
    # Temporal: a run waiting for approval continues-as-new once its history has this many events.
    continue_as_new_after_events: int = 10_000
    resume: RunState | None = Field(None, description="The state a continued-as-new run carries over.")


class BatchInput(Durable):
    batch_id: str
    runs: list[PipelineInput]
    max_concurrency: int = 3
    index: bool = False  # Temporal: start each run with the run index (the namespace has its search attributes)


class BatchChild(Durable):
    workflow_id: str
    url: str
    status: str = "pending"
    error: str | None = None
    started_at: datetime | None = None
    ready_at: datetime | None = None
    percent: int = 0


class ChildUpdate(Durable):
    """A child run telling its batch that it is ready for review or finished."""

    workflow_id: str
    status: str
    error: str | None = None


class BatchSummary(Durable):
    total: int
    succeeded: int
    failed: int
    pending: int
    total_duration_seconds: float | None = None
    average_duration_seconds: float | None = None


class BatchState(Durable):
    batch_id: str
    engine: str = "temporal"
    status: str = "running"
    max_concurrency: int = 3
    children: list[BatchChild] = Field(default_factory=list)
    created_at: datetime | None = None
    finished_at: datetime | None = None
    summary: BatchSummary | None = None
