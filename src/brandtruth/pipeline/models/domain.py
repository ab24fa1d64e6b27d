"""Domain types: what a brand says, the copy written for it, the creatives drawn and their scores.

They are stored inside run state (so they are `Durable`: unknown fields ignored, new fields defaulted)
and shown by the API as they are.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from .base import Durable

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


# ----------------------------------------------------------------------------- brand


class Fact(Durable):
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
    subject: str = Field(
        "",
        description="What it is about: the product a price prices, a stat's label, a quote's author, a feature card's heading.",
    )
    value: str = Field("", description="The number, price or term as the site writes it: '$129–$249', '1000+', '20 ans'.")
    disputed: bool = Field(False, description="Contradicted elsewhere on the site: kept out of copy until a person checks.")


# Kinds whose subject says something else (what a price or offer prices, whose words a quote are,
# which offer fine print belongs to), or that an ad never heads with.
UNTITLED_KINDS = frozenset({"price", "offer", "terms", "testimonial", "policy"})


def card_title(fact: Fact) -> str:
    """The heading of the feature card a fact's sentence was read from ("Lead-free glazes"), or "": the
    subject of other kinds says something else (what a price prices, whose words a quote are). An offer's
    card heading that names it ("New Patient Special" over "$79 exam, cleaning & X-rays for new patients")
    is its subject too, told apart by not being words of its sentence."""
    if fact.region != "card" or not fact.subject:
        return ""
    if fact.kind not in UNTITLED_KINDS:
        return fact.subject
    named = fact.kind == "offer" and fact.subject.casefold() not in fact.evidence.casefold()
    return fact.subject if named else ""


class ImageAsset(Durable):
    url: str
    alt: str = ""
    nearby_text: str = ""
    width: int = 0
    height: int = 0
    key: str | None = Field(None, description="Artifact-store key of the downloaded bytes.")
    role: Literal["image", "logo"] = "image"


class BrandColors(Durable):
    primary: str = "#1f2937"
    secondary: str = "#374151"
    accent: str = "#2563eb"
    background: str = "#ffffff"
    text: str = "#111827"


class Testimonial(Durable):
    quote: str
    author: str = ""
    source_url: str = ""
    place: str = ""
    rating: str = Field("", description="As the site gives it, e.g. '5/5' or '★★★★★'.")


class BrandProfile(Durable):
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

    def for_rendering(self) -> BrandProfile:
        """Only what rendering a creative reads (name, colours, fonts, logo, language): each compose
        activity's input goes into Temporal's history, and the facts, pages and images were most of
        it (Northwind: 25 KB a variant, 15 KB of them facts; a big site's facts run to 100 KB)."""
        return BrandProfile(
            url=self.url,
            name=self.name,
            language=self.language,
            colors=self.colors,
            fonts=self.fonts,
            logo=self.logo,
        )


# ----------------------------------------------------------------------------- copy


class LintFault(Durable):
    """One thing a marketer would not run, named, with the offending text (see pipeline/lint.py)."""

    code: str = Field(..., description="e.g. ui_label, heading_as_copy, legal_text, glued_tokens, headline_repeats_body.")
    message: str
    text: str = ""
    field: str = Field("", description="headline, body, description or cta.")


class Claim(Durable):
    text: str
    fact_ids: list[str] = Field(default_factory=list)


class SupportedClaim(Durable):
    text: str
    fact_id: str
    evidence: str
    source_url: str


class TruthReport(Durable):
    verdict: Literal["supported", "unsupported"] = "supported"
    supported: list[SupportedClaim] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list)
    attempts: int = 1


class CopyVariant(Durable):
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


class Usage(Durable):
    provider: str = "offline"
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


# ----------------------------------------------------------------------------- images & creatives


class ImageMatch(Durable):
    variant_id: str
    format: Format
    image: ImageAsset | None = None
    background: bool = False
    reason: str = ""


class Creative(Durable):
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


class ScoreComponent(Durable):
    name: str
    weight: float
    value: float = Field(..., description="0..1")
    points: float
    reason: str


class VariantScore(Durable):
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


class ScoreWeights(Durable):
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
