"""The copy-provider interface: what a provider is asked for and what it hands back.

A provider only *writes*; `generate_copy` owns limits, distinctness, the truth check and retries.
It may also *critique* scored variants in words; the score itself is never the provider's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from pydantic import BaseModel, Field

from ..models import BrandProfile, CopyVariant, Platform, Usage, VariantScore

# The angles a variant can take; providers are asked for them in this order, v1 first.
ANGLES: tuple[str, ...] = ("benefit", "social_proof", "feature", "offer", "question", "testimonial", "story")


class PlatformLimits(BaseModel):
    """Character limits for one ad platform (Meta, Google responsive search, LinkedIn)."""

    platform: Platform
    headline: int
    body: int
    description: int


class Slot(BaseModel):
    """One variant to write: its id, the angle wanted, and why an earlier draft was refused."""

    id: str
    angle: str
    revision: int = 1
    rejected: list[str] = Field(default_factory=list, description="Problems with the previous draft of this id.")
    previous: CopyVariant | None = Field(None, description="The version being revised, if any.")


class CopyRequest(BaseModel):
    run_id: str
    brand: BrandProfile
    platform: Platform
    limits: PlatformLimits
    slots: list[Slot]
    ctas: list[str]
    feedback: str = ""
    avoid_headlines: list[str] = Field(default_factory=list, description="Headlines already taken.")
    avoid_bodies: list[str] = Field(default_factory=list, description="Primary texts already taken (same order).")
    attempt: int = 1


class DraftClaim(BaseModel):
    text: str
    fact_ids: list[str] = Field(default_factory=list)


class Draft(BaseModel):
    """One variant as a provider writes it (the structured-output schema for the LLMs)."""

    id: str
    angle: str = ""
    headline: str
    body: str
    description: str = ""
    cta: str
    claims: list[DraftClaim] = Field(default_factory=list)


class DraftBatch(BaseModel):
    variants: list[Draft]


class ProviderResult(BaseModel):
    drafts: list[Draft]
    usage: Usage = Field(default_factory=Usage)


# A critique is one short note a reviewer reads beside the score; longer ones are shortened to fit.
CRITIQUE_MAX_CHARS = 280


class CritiqueRequest(BaseModel):
    """Scored variants to review: the copy, each deterministic score breakdown, and the brand."""

    run_id: str
    brand: BrandProfile
    platform: Platform
    variants: list[CopyVariant]
    scores: list[VariantScore]


class CritiqueResult(BaseModel):
    critiques: dict[str, str] = Field(default_factory=dict, description="Variant id -> critique (<= 280 chars).")
    usage: Usage = Field(default_factory=Usage)


class CopyProvider(ABC):
    """Writes ad copy drafts. Raises `ProviderError` (retryable or not) when it cannot."""

    name: str = "provider"
    model: str = ""

    @abstractmethod
    async def write(self, req: CopyRequest) -> ProviderResult: ...

    async def critique(self, req: CritiqueRequest) -> CritiqueResult:
        """One short critique per variant id. By default none: the deterministic score explains itself."""
        return CritiqueResult(usage=Usage(provider=self.name, model=self.model))
