"""What the LLM providers send and accept: the instructions, the brief, the variant schema, prices.

The brief is JSON inside <brief> tags: models follow it well, and it carries every fact with its id
and verbatim evidence so the model can cite what it uses. The schema is strict-mode compatible
(every property required, no extra properties) and serves as Anthropic's tool input schema too.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..lint import LANGUAGE_NAMES
from ..models import BrandProfile, Usage, card_title
from .base import CopyRequest, Draft, DraftBatch

M = TypeVar("M", bound=BaseModel)

TOOL_NAME = "submit_variants"

SYSTEM_PROMPT = """You are a senior performance-marketing copywriter. You write paid-social and search ad \
copy for a brand using ONLY what the brand's own website states.

Rules you never break:
- Every number, percentage, price, customer count, rating, certification, guarantee, award or \
superlative (#1, best, fastest, only, leading...) you write must appear in the evidence of a fact \
you cite. If it is not in the evidence, leave it out. Do not round, inflate or combine numbers.
- Each variant lists its claims; each claim cites the fact ids (from the brief) it rests on.
- Respect the character limits exactly; write complete words and sentences, never cut text off.
- The call to action is exactly one of the allowed CTAs.
- Variants must differ in angle and material (offer, proof, product, story, testimonial), not in \
stock phrases; no two headlines alike, none like the ones to avoid.

Copy rules (a copy lint checks every variant; a variant that breaks one is sent back to you):
- Write everything, the CTA included, in the brand's language (brief: brand.language). Never mix \
languages, never add English stock words to a French, German or Spanish ad.
- Use the typed material: a fact's subject says what it is about (the product a price prices, a \
stat's label, a feature card's heading, which may head an ad over that fact), its value is the \
number or term as the site writes it. Keep a price with its \
product and a stat with its label. Quote a testimonial whole, with its author.
- Never use as copy: section headings or form titles (brief: section_headings_not_copy), button or \
interface labels ("Add to Cart", "Read more", "Submit"), legal, privacy, cookie or GDPR text, \
placeholder or test items, navigation, separator strips ("A | B | C", "A • B").
- Headline: the brand's strongest line for the angle (a hero line, a quantified proof, an offer \
with its terms, a product with its price). It must never repeat the body or its first clause.
- Body: one or two complete sentences that support the headline with specifics, in sentence case, \
keeping the site's own casing of names ("Roof Inspection" stays so; "Huila" never becomes "huila").
- Every sentence names something of this brand: its name, a product, a number, a fact. No filler \
("See how it works.", "Explore what's inside.", "Take the tour.", "Don't miss it.").
- Prefer the site's own primary action as the CTA when it is allowed; else the one that fits the \
business (shop: buy; service: book or quote; software: download or start; nonprofit: donate).
- A revision follows the reviewer's feedback visibly; if the site has nothing to follow it with, \
keep the copy and say why in the angle.
Return the variants through the structured output you are given, nothing else."""

_CLAIM = {
    "type": "object",
    "properties": {
        "text": {"type": "string", "description": "The claim as the copy makes it."},
        "fact_ids": {"type": "array", "items": {"type": "string"}, "description": "Ids of the facts it rests on."},
    },
    "required": ["text", "fact_ids"],
    "additionalProperties": False,
}
_VARIANT = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": "The variant id from the brief, e.g. v1."},
        "angle": {"type": "string"},
        "headline": {"type": "string"},
        "body": {"type": "string", "description": "Primary text."},
        "description": {"type": "string"},
        "cta": {"type": "string"},
        "claims": {"type": "array", "items": _CLAIM},
    },
    "required": ["id", "angle", "headline", "body", "description", "cta", "claims"],
    "additionalProperties": False,
}
VARIANTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"variants": {"type": "array", "items": _VARIANT}},
    "required": ["variants"],
    "additionalProperties": False,
}

# USD per million (input, output) tokens; longest matching prefix wins. An estimate, not a bill.
PRICES: dict[str, tuple[float, float]] = {
    "claude-opus-4-5": (5.0, 25.0),
    "claude-opus-4": (15.0, 75.0),
    "claude-sonnet-4": (3.0, 15.0),
    "claude-3-7-sonnet": (3.0, 15.0),
    "claude-haiku-4": (1.0, 5.0),
    "claude-3-5-haiku": (0.8, 4.0),
    "gpt-4.1-nano": (0.1, 0.4),
    "gpt-4.1-mini": (0.4, 1.6),
    "gpt-4.1": (2.0, 8.0),
    "gpt-4o-mini": (0.15, 0.6),
    "gpt-4o": (2.5, 10.0),
    "gpt-5-nano": (0.05, 0.4),
    "gpt-5-mini": (0.25, 2.0),
    "gpt-5": (1.25, 10.0),
    # Family fallbacks for newer models: the tier's typical price.
    "claude-sonnet": (3.0, 15.0),
    "claude-haiku": (1.0, 5.0),
    "claude-opus": (5.0, 25.0),
}


class MalformedOutput(ValueError):
    """The model's output did not fit the variant schema."""


def estimate_cost(model: str, input_tokens: int, output_tokens: int) -> float:
    match = max((p for p in PRICES if model.startswith(p)), key=len, default=None)
    if match is None:
        return 0.0
    price_in, price_out = PRICES[match]
    return round((input_tokens * price_in + output_tokens * price_out) / 1_000_000, 6)


def usage(provider: str, model: str, input_tokens: int, output_tokens: int) -> Usage:
    return Usage(
        provider=provider,
        model=model,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_usd=estimate_cost(model, input_tokens, output_tokens),
    )


def _material(b: BrandProfile) -> set[str]:
    # A feature card's heading is material too: it names what the card's sentence says.
    titles = [card_title(f) for f in b.facts if not f.disputed]
    return {t.strip().lower() for t in [b.tagline, *b.value_props, *b.features, *b.offers, *titles] if t.strip()}


def brief(req: CopyRequest) -> dict[str, Any]:
    """The brand as typed material: facts with kind/subject/value, whole testimonials, the site's CTA.

    Disputed facts (contradicted elsewhere on the site) are left out until a person checks them;
    headings that are not material are passed as what they are, so the model does not reuse them.
    """
    b = req.brand
    material = _material(b)
    return {
        "brand": {
            "name": b.name,
            "url": b.url,
            "language": b.language,
            "language_name": LANGUAGE_NAMES.get(b.language.split("-")[0].lower(), b.language),
            "business_type": b.business_type,
            "primary_cta": b.primary_cta,
            "tagline": b.tagline,
            "description": b.description,
            "voice": b.voice,
            "value_props": b.value_props,
            "features": b.features,
            "offers": b.offers,
            "site_ctas": b.ctas,
            "testimonials": [
                {k: v for k, v in {"quote": t.quote, "author": t.author, "place": t.place, "rating": t.rating}.items() if v}
                for t in b.testimonials
            ],
        },
        "section_headings_not_copy": [h for h in b.headings[:20] if h.strip().lower() not in material],
        "facts": [
            {
                "id": f.id,
                "kind": f.kind,
                **({"subject": f.subject} if f.subject else {}),
                **({"value": f.value} if f.value else {}),
                **({"region": f.region} if f.region else {}),
                "text": f.text,
                "evidence": f.evidence,
                "source_url": f.source_url,
            }
            for f in b.facts
            if not f.disputed
        ],
        "platform": req.platform,
        "limits": {
            "headline_max_chars": req.limits.headline,
            "body_max_chars": req.limits.body,
            "description_max_chars": req.limits.description,
        },
        "allowed_ctas": req.ctas,
        "variants_to_write": [
            {
                "id": s.id,
                "angle": s.angle,
                "revision": s.revision,
                **({"problems_with_previous_draft": s.rejected} if s.rejected else {}),
                **({"version_being_revised": {"headline": s.previous.headline, "body": s.previous.body}} if s.previous else {}),
            }
            for s in req.slots
        ],
        "reviewer_feedback": req.feedback,
        "headlines_to_avoid": req.avoid_headlines,
    }


def user_message(req: CopyRequest) -> str:
    n = len(req.slots)
    return (
        f"Write {n} ad variant{'s' if n != 1 else ''} for {req.brand.name} on {req.platform}, "
        f"one per entry in variants_to_write, using that id and aiming for that angle. "
        f"Write in {LANGUAGE_NAMES.get(req.brand.language.split('-')[0].lower(), req.brand.language)}. "
        f"Fix every listed problem with a previous draft: each names the rule it broke and the offending text."
        f"\n<brief>\n{json.dumps(brief(req), ensure_ascii=False)}\n</brief>"
    )


def structured_output(data: Any, model: type[M], schema: str) -> M:
    """A model's structured output (JSON text or already decoded) as `model`; MalformedOutput saying
    what is wrong otherwise (`schema` names it: "variant", "critique")."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise MalformedOutput(f"not valid JSON ({exc.msg} at position {exc.pos})") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise MalformedOutput(f"does not match the {schema} schema ({problems})") from exc


def parse_batch(data: Any) -> list[Draft]:
    """Validate the model's structured output; raise MalformedOutput saying what is wrong."""
    batch = structured_output(data, DraftBatch, "variant")
    if not batch.variants:
        raise MalformedOutput("contains no variants")
    return batch.variants


def repair_instruction(problem: str) -> str:
    return (
        f"Your previous output {problem}. Send all the variants again, complete and valid against the schema, with the same ids."
    )
