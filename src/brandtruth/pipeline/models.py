"""Pydantic models that cross every boundary: API bodies, activity inputs/outputs, run state.

New fields always get defaults so that recorded workflow histories keep replaying.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .hostnames import hostname_problem

MAX_VARIANTS = 10
MAX_URL_LENGTH = 2048
MIN_REMINDER_SECONDS = 3600  # reminders are events kept with the run: at most one an hour

Format = Literal["square", "landscape", "story"]
FORMAT_SIZES: dict[str, tuple[int, int]] = {
    "square": (1080, 1080),
    "landscape": (1200, 628),
    "story": (1080, 1920),
}
ALL_FORMATS: list[Format] = ["square", "landscape", "story"]
Platform = Literal["meta", "google", "linkedin"]
ProviderName = Literal["offline", "anthropic", "openai"]


class RunStatus(StrEnum):
    STARTED = "started"
    RUNNING = "running"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REJECTED = "rejected"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.EXPIRED, RunStatus.REJECTED})

STEP_NAMES: tuple[str, ...] = ("extract", "generate", "match", "compose", "score")


# ----------------------------------------------------------------------------- requests


class StartRequest(BaseModel):
    """Body of POST /workflow/start."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(..., max_length=MAX_URL_LENGTH, description="The brand's website (http or https).")
    num_variants: int = Field(3, strict=True, ge=1, le=MAX_VARIANTS, description="How many copy variants to write.")
    formats: list[Format] = Field(default_factory=lambda: list(ALL_FORMATS), min_length=1, max_length=3)
    provider: ProviderName | None = Field(None, description="Copy provider; default from settings.")
    platform: Platform = "meta"
    max_pages: int | None = Field(None, strict=True, ge=1, le=20, description="Same-site pages to read besides the start page.")
    approval_timeout_seconds: float | None = Field(
        None, strict=True, gt=0, le=30 * 24 * 3600, description="How long to wait for approval; default from settings."
    )
    # At least an hour: each reminder is an event kept with the run (and, on Temporal, history events).
    reminder_interval_seconds: float | None = Field(
        None,
        strict=True,
        ge=MIN_REMINDER_SECONDS,
        le=30 * 24 * 3600,
        description="How often the stream reminds reviewers while the run waits (at least 3600 s).",
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("url must be an absolute http:// or https:// address, e.g. https://example.com")
        problem = None if ":" in parts.hostname else hostname_problem(parts.hostname)  # IPv6 literals are no names
        if problem:
            raise ValueError(f"url: {problem}; check the address for typos")
        return value

    @field_validator("formats")
    @classmethod
    def _unique_formats(cls, value: list[Format]) -> list[Format]:
        return list(dict.fromkeys(value))


class ReviseRequest(BaseModel):
    """Body of POST /workflow/revise/{id}: regenerate these variants with the reviewer's feedback."""

    model_config = ConfigDict(extra="forbid")

    variant_ids: list[str] = Field(..., description="Variant ids to revise, e.g. ['v2'].")
    feedback: str = Field(..., min_length=1, max_length=2000, description="What to change.")
    approver: str | None = Field(None, max_length=200)


class RejectRequest(BaseModel):
    """Body of POST /workflow/reject/{id}: end the run without running any variant."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=2000)
    approver: str | None = Field(None, max_length=200)


class ApproveRequest(BaseModel):
    """Body of POST /workflow/approve/{id}."""

    model_config = ConfigDict(extra="forbid")

    variant_ids: list[str] = Field(..., description="Variant ids to approve, e.g. ['v1', 'v2'].")
    approver: str | None = Field(None, max_length=200)
    comment: str | None = Field(None, max_length=2000)
    wait: bool = Field(True, strict=True, description="False sends a fire-and-forget signal and returns 202 at once.")


# ----------------------------------------------------------------------------- brand


class Fact(BaseModel):
    """A statement the brand's site makes, with the exact text it came from.

    `evidence` is verbatim page text as a reader sees it: the visible text of the page with block
    boundaries kept as single spaces (so a pricing card's evidence is "Drain Clear $129–$249 Single
    fixture", never the glued "Drain Clear$129–$249Single fixture").
    """

    id: str
    text: str
    evidence: str
    source_url: str
    kind: str = "claim"
    region: str = Field("", description="Where on the page: hero, section, card, stat, pricing, testimonial, footer...")
    subject: str = Field("", description="What it is about: the product a price prices, a stat's label, a quote's author.")
    value: str = Field("", description="The number, price or term as the site writes it: '$129–$249', '1000+', '20 ans'.")
    disputed: bool = Field(False, description="Contradicted elsewhere on the site: kept out of copy until a person checks.")


class ImageAsset(BaseModel):
    url: str
    alt: str = ""
    nearby_text: str = ""
    width: int = 0
    height: int = 0
    key: str | None = Field(None, description="Artifact-store key of the downloaded bytes.")
    role: Literal["image", "logo"] = "image"


class BrandColors(BaseModel):
    primary: str = "#1f2937"
    secondary: str = "#374151"
    accent: str = "#2563eb"
    background: str = "#ffffff"
    text: str = "#111827"


class Testimonial(BaseModel):
    quote: str
    author: str = ""
    source_url: str = ""
    place: str = ""
    rating: str = Field("", description="As the site gives it, e.g. '5/5' or '★★★★★'.")


class BrandProfile(BaseModel):
    url: str
    name: str
    title: str = ""
    description: str = ""
    tagline: str = ""
    headings: list[str] = Field(default_factory=list)
    value_props: list[str] = Field(default_factory=list)
    features: list[str] = Field(default_factory=list)
    offers: list[str] = Field(default_factory=list)
    ctas: list[str] = Field(default_factory=list)
    testimonials: list[Testimonial] = Field(default_factory=list)
    language: str = "en"
    voice: str = ""
    colors: BrandColors = Field(default_factory=BrandColors)
    fonts: list[str] = Field(default_factory=list)
    logo: ImageAsset | None = None
    images: list[ImageAsset] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    pages: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    primary_cta: str = Field("", description="The site's own main action, e.g. 'Get a free estimate'.")
    business_type: str = Field("", description="shop, service, software, food, nonprofit... (guides CTAs and tone).")


# ----------------------------------------------------------------------------- copy


class LintFault(BaseModel):
    """One thing a marketer would not run, named, with the offending text (see pipeline/lint.py)."""

    code: str = Field(..., description="e.g. ui_label, heading_as_copy, legal_text, glued_tokens, headline_repeats_body.")
    message: str
    text: str = ""
    field: str = Field("", description="headline, body, description or cta.")


class Claim(BaseModel):
    text: str
    fact_ids: list[str] = Field(default_factory=list)


class SupportedClaim(BaseModel):
    text: str
    fact_id: str
    evidence: str
    source_url: str


class TruthReport(BaseModel):
    verdict: Literal["supported", "unsupported"] = "supported"
    supported: list[SupportedClaim] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list)
    attempts: int = 1


class CopyVariant(BaseModel):
    id: str
    angle: str = ""
    headline: str
    body: str
    description: str = ""
    cta: str
    claims: list[Claim] = Field(default_factory=list)
    fact_ids: list[str] = Field(default_factory=list)
    truth: TruthReport | None = None
    revision: int = 1
    lint: list[LintFault] = Field(default_factory=list, description="Copy-lint faults; empty for a clean variant.")
    revision_note: str = Field("", description="How the last revision followed its feedback, or why it could not.")


class Usage(BaseModel):
    provider: str = "offline"
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


# ----------------------------------------------------------------------------- images & creatives


class ImageMatch(BaseModel):
    variant_id: str
    format: Format
    image: ImageAsset | None = None
    background: bool = False
    reason: str = ""


class Creative(BaseModel):
    variant_id: str
    format: Format
    width: int
    height: int
    key: str = Field(..., description="Artifact key of the PNG.")
    jpeg_key: str | None = None
    thumb_key: str | None = None
    image_url: str | None = None
    reason: str = ""
    contrast: dict[str, float] = Field(default_factory=dict)
    revision: int = 1
    text_area_ratio: float | None = Field(
        default=None, ge=0, le=1, description="Share of the canvas covered by text (0..1); None when not measured."
    )
    palette: dict[str, float] = Field(
        default_factory=dict, description="Dominant colours of the render, '#rrggbb' -> share of pixels (0..1)."
    )
    text_boxes: dict[str, list[int]] = Field(
        default_factory=dict, description="Pixel box [x0, y0, x1, y1] of each text element (headline, body, cta, brand)."
    )
    source_image_url: str | None = Field(None, description="The brand image used as hero; None for a brand background.")
    upscale: float | None = Field(None, description="How much the hero crop was enlarged (<= 1.5; None without hero).")


class ScoreComponent(BaseModel):
    name: str
    weight: float
    value: float = Field(..., description="0..1")
    points: float
    reason: str


class VariantScore(BaseModel):
    variant_id: str
    score: float
    components: list[ScoreComponent] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    rank: int = 0
    recommended: bool = False
    creative_scores: dict[str, float] = Field(default_factory=dict, description="Score per creative, by format.")
    creative_components: dict[str, list[ScoreComponent]] = Field(
        default_factory=dict, description="Breakdown per creative, by format; points sum to creative_scores."
    )
    critique: str | None = Field(None, description="An LLM's review of the variant; never changes the score.")


class ScoreWeights(BaseModel):
    """Relative weight of each scoring component; normalised so the maximum total is 100 points."""

    headline_fit: float = Field(default=15, ge=0)
    readability: float = Field(default=10, ge=0)
    specificity: float = Field(default=15, ge=0)
    cta: float = Field(default=10, ge=0)
    truth: float = Field(default=15, ge=0)
    contrast: float = Field(default=10, ge=0)
    text_area: float = Field(default=5, ge=0)
    brand_color: float = Field(default=10, ge=0)
    distinctness: float = Field(default=10, ge=0)


# ----------------------------------------------------------------------------- step inputs/outputs


class ExtractInput(BaseModel):
    run_id: str
    url: str
    max_pages: int = 5


class GenerateInput(BaseModel):
    run_id: str
    brand: BrandProfile
    num_variants: int = 3
    platform: Platform = "meta"
    provider: ProviderName = "offline"
    feedback: str = ""
    revise_ids: list[str] = Field(default_factory=list)
    existing: list[CopyVariant] = Field(default_factory=list)


class GenerateOutput(BaseModel):
    variants: list[CopyVariant]
    usage: Usage = Field(default_factory=Usage)
    dropped: list[str] = Field(default_factory=list, description="Why variants were dropped, if any.")
    caught: list[str] = Field(
        default_factory=list, description="What the truth check and distinctness check refused before a retry."
    )
    warnings: list[str] = Field(default_factory=list, description="What a reviewer should know about the copy.")


class MatchInput(BaseModel):
    run_id: str
    brand: BrandProfile
    variants: list[CopyVariant]
    formats: list[Format] = Field(default_factory=lambda: list(ALL_FORMATS))


class MatchOutput(BaseModel):
    matches: list[ImageMatch]


class ComposeInput(BaseModel):
    run_id: str
    brand: BrandProfile
    variant: CopyVariant
    matches: list[ImageMatch]
    formats: list[Format] = Field(default_factory=lambda: list(ALL_FORMATS))


class ComposeOutput(BaseModel):
    creatives: list[Creative]


class ScoreInput(BaseModel):
    run_id: str
    brand: BrandProfile
    variants: list[CopyVariant]
    creatives: list[Creative] = Field(default_factory=list)
    platform: Platform = "meta"
    weights: ScoreWeights | None = Field(default=None, description="Override the default scoring weights.")
    provider: ProviderName = Field("offline", description="An LLM provider adds a critique beside the score.")


class ScoreOutput(BaseModel):
    scores: list[VariantScore]
    usage: Usage | None = Field(None, description="Tokens spent on the optional LLM critique.")


# ----------------------------------------------------------------------------- run state


class StepState(BaseModel):
    name: str
    status: Literal["pending", "running", "completed", "failed", "skipped"] = "pending"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int = 0
    message: str = ""


class ProgressEvent(BaseModel):
    id: int
    type: str
    status: RunStatus
    percent: int
    current_step: str | None = None
    message: str = ""
    timestamp: datetime
    data: dict[str, Any] | None = None


class StepRetry(BaseModel):
    """An attempt after the first of a step, reported while it runs (Temporal: a signal from the activity)."""

    step: str
    attempt: int


class DecisionInput(BaseModel):
    """What a reviewer sends: the payload of the approve Update/Signal."""

    kind: Literal["approve", "reject", "revise"] = "approve"
    variant_ids: list[str] = Field(default_factory=list)
    approver: str | None = None
    comment: str | None = None
    via: Literal["update", "signal", "api"] = "update"


class Decision(BaseModel):
    kind: Literal["approve", "reject", "revise"] = "approve"
    variant_ids: list[str] = Field(default_factory=list)
    approver: str | None = None
    comment: str | None = None
    via: str = "update"
    at: datetime


class ExportInput(BaseModel):
    run_id: str
    brand: BrandProfile
    variants: list[CopyVariant]
    creatives: list[Creative] = Field(default_factory=list)
    scores: list[VariantScore] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)


class ExportOutput(BaseModel):
    key: str = Field(..., description="Artifact key of the zip bundle.")
    size_bytes: int = 0
    files: list[str] = Field(default_factory=list)
    sha256: str = ""


class RunState(BaseModel):
    """Everything a run knows; the workflow's query result and the local engine's stored row."""

    workflow_id: str
    engine: Literal["temporal", "local"] = "temporal"
    request: StartRequest
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
    export: ExportOutput | None = None
    error: str | None = None
    error_type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    events: list[ProgressEvent] = Field(default_factory=list)


class PipelineInput(BaseModel):
    """The workflow's single argument: the request plus engine-resolved defaults. Never secrets."""

    workflow_id: str
    request: StartRequest
    provider: ProviderName = "offline"
    max_pages: int = 5
    approval_timeout_seconds: float = 7 * 24 * 3600
    reminder_interval_seconds: float = 24 * 3600
    max_revision_rounds: int = 3
    # Temporal: a run waiting for approval continues-as-new once its history has this many events.
    continue_as_new_after_events: int = 10_000
    resume: RunState | None = Field(None, description="The state a continued-as-new run carries over.")


# ----------------------------------------------------------------------------- API responses


class StartResponse(BaseModel):
    workflow_id: str
    status: str = "started"
    engine: str = "temporal"


class TokenResponse(BaseModel):
    token: str
    expires_in: int
    auth_enabled: bool = True


class VariantSummary(BaseModel):
    id: str
    headline: str
    cta: str
    score: float | None = None
    revision: int = 1


class RunProgress(BaseModel):
    workflow_id: str
    engine: str
    status: RunStatus
    percent: int
    current_step: str | None
    steps: list[StepState]
    variants: list[VariantSummary] = Field(default_factory=list)
    error: str | None = None
    last_event_id: int = 0
    updated_at: datetime | None = None


class CreativeView(Creative):
    """A creative as the API shows it: with the URLs its files are served at."""

    url: str = ""
    jpeg_url: str | None = None
    thumb_url: str | None = None


class VariantResult(BaseModel):
    variant: CopyVariant
    creatives: list[CreativeView] = Field(default_factory=list)
    matches: list[ImageMatch] = Field(default_factory=list)
    score: VariantScore | None = None
    evidence: list[Fact] = Field(default_factory=list)
    approved: bool = False


class RunResult(BaseModel):
    workflow_id: str
    engine: str
    status: RunStatus
    request: StartRequest
    brand: BrandProfile | None = None
    variants: list[VariantResult] = Field(default_factory=list)
    approved_variant_ids: list[str] = Field(default_factory=list)
    decision: Decision | None = None
    decisions: list[Decision] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    revision_round: int = 0
    export: ExportOutput | None = None
    export_url: str | None = None
    contact_sheet_url: str | None = None
    error: str | None = None
    error_type: str | None = None
    error_retryable: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class RunSummary(BaseModel):
    workflow_id: str
    engine: str
    status: str
    url: str = ""
    created_at: datetime | None = None


# ----------------------------------------------------------------------------- batches

MAX_BATCH_ITEMS = 100


class BatchRequest(BaseModel):
    """Body of POST /workflow/batch: many sites, each a normal run, at most `max_concurrency` working at once."""

    model_config = ConfigDict(extra="forbid")

    items: list[StartRequest] = Field(
        default_factory=list, max_length=MAX_BATCH_ITEMS, description="Per-URL options (same fields as /workflow/start)."
    )
    urls: list[str] = Field(default_factory=list, max_length=MAX_BATCH_ITEMS, description="Shorthand: just URLs.")
    max_concurrency: int = Field(3, strict=True, ge=1, le=20)

    def start_requests(self) -> list[StartRequest]:
        reqs = list(self.items) + [StartRequest(url=u) for u in self.urls]
        if not reqs:
            raise ValueError("give at least one URL in `urls` or `items`")
        if len(reqs) > MAX_BATCH_ITEMS:
            raise ValueError(f"at most {MAX_BATCH_ITEMS} runs per batch")
        return reqs


class BatchInput(BaseModel):
    batch_id: str
    runs: list[PipelineInput]
    max_concurrency: int = 3


class BatchChild(BaseModel):
    workflow_id: str
    url: str
    status: str = "pending"
    error: str | None = None
    started_at: datetime | None = None
    ready_at: datetime | None = None
    percent: int = 0


class ChildUpdate(BaseModel):
    """A child run telling its batch that it is ready for review or finished."""

    workflow_id: str
    status: str
    error: str | None = None


class BatchSummary(BaseModel):
    total: int
    succeeded: int
    failed: int
    pending: int
    total_duration_seconds: float | None = None
    average_duration_seconds: float | None = None


class BatchState(BaseModel):
    batch_id: str
    engine: str = "temporal"
    status: str = "running"
    max_concurrency: int = 3
    children: list[BatchChild] = Field(default_factory=list)
    created_at: datetime | None = None
    finished_at: datetime | None = None
    summary: BatchSummary | None = None


class BatchStartResponse(BaseModel):
    batch_id: str
    status: str = "started"
    engine: str
    workflow_ids: list[str]
