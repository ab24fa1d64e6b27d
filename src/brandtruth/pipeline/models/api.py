"""API bodies: what clients send (requests: unknown fields refused) and what the API answers (views).

Never stored: a run keeps its options as `durable.RunOptions` (see `StartRequest.options`), so an API
field can be renamed or removed without making recorded runs undecodable.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..hostnames import hostname_problem
from .domain import (
    ALL_FORMATS,
    BrandProfile,
    CopyVariant,
    Creative,
    Fact,
    Format,
    ImageMatch,
    Platform,
    ProviderName,
    RunStatus,
    Usage,
    VariantScore,
)
from .durable import Decision, ExportOutput, RunOptions, StepState, VariantRevision

MAX_VARIANTS = 10
MAX_URL_LENGTH = 2048
MIN_REMINDER_SECONDS = 3600  # reminders are events kept with the run: at most one an hour


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

    def options(self) -> RunOptions:
        """The run's options as they are stored with it (a durable type, not this API body)."""
        return RunOptions.model_validate(self.model_dump())


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


class EvidenceView(Fact):
    """A fact beside the variant it backs, with a link that opens its page at the sentence."""

    link: str = Field("", description="source_url with a text fragment (#:~:text=...) that highlights the evidence.")


class ClaimView(BaseModel):
    """A claim the copy makes, the fact that backs it, and the exact page that fact was read on."""

    text: str
    fact_id: str
    evidence: str = Field("", description="The sentence on the page, verbatim.")
    source_url: str = Field("", description="The page the fact was read on (not always the start page).")
    link: str = Field("", description="source_url with a text fragment (#:~:text=...) that highlights the evidence.")


class RevisionView(VariantRevision):
    """A rewrite as the API shows it: with the URLs of the creatives the variant had before."""

    before_creative_urls: dict[str, str] = Field(default_factory=dict, description="Format -> URL of the earlier creative.")


class VariantResult(BaseModel):
    variant: CopyVariant
    creatives: list[CreativeView] = Field(default_factory=list)
    matches: list[ImageMatch] = Field(default_factory=list)
    score: VariantScore | None = None
    evidence: list[EvidenceView] = Field(default_factory=list)
    claims: list[ClaimView] = Field(default_factory=list, description="Each claim with its page and a link to its sentence.")
    revisions: list[RevisionView] = Field(default_factory=list, description="Earlier versions of this variant, oldest first.")
    approved: bool = False


class RunResult(BaseModel):
    workflow_id: str
    engine: str
    status: RunStatus
    request: RunOptions
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
    temporal_ui_url: str | None = Field(None, description="The run in the Temporal web UI (Temporal runs, when the UI is known).")
    error: str | None = None
    error_type: str | None = None
    error_retryable: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class WhoAmI(BaseModel):
    """GET /workflow/whoami: who the server takes the caller for."""

    auth_enabled: bool
    identity: str | None = Field(
        None, description="The name recorded on decisions made with this token; null when the API is open."
    )


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


class BatchStartResponse(BaseModel):
    batch_id: str
    status: str = "started"
    engine: str
    workflow_ids: list[str]
