"""What the LLM providers send and accept for a critique: the instructions, the review, the schema.

The review is JSON inside <review> tags, like the copy brief: each variant's copy and claims with the
deterministic score, rank and every component's points and reason, plus the brand's voice. The model
explains and advises; it never scores. The schema is strict-mode compatible and doubles as Anthropic's
tool input schema. Length is enforced on parsing, not in the schema (strict mode ignores maxLength).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .base import CRITIQUE_MAX_CHARS, CritiqueRequest
from .prompting import MalformedOutput, structured_output

CRITIQUE_TOOL_NAME = "submit_critiques"

CRITIQUE_SYSTEM_PROMPT = f"""You are a senior performance-marketing reviewer helping a person decide which \
ad variants to run. Each variant comes with a score computed by a fixed model, its component breakdown \
(points earned of the weight, with a reason) and the brand's voice.

For every variant write ONE critique of at most {CRITIQUE_MAX_CHARS} characters: the most useful thing a \
reviewer should know, what works and the one change that would help most.
- Ground it in the variant's own words, its weakest or strongest components, and the brand voice.
- Do not restate or dispute the score and do not invent a new one; it is computed elsewhere.
- Never suggest a number, price, rating or superlative the variant's claims do not already carry.
- If a variant lists copy faults (a button label, a heading as copy, filler, a repeated headline, the \
wrong language...), say first which one and how to fix it: a marketer would not run it as it stands.
- Plain sentences in the brand's language; no lists, no quotes around the critique.
Return the critiques through the structured output you are given, one per variant id, nothing else."""

_CRITIQUE = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": "The variant id from the review, e.g. v1."},
        "critique": {"type": "string", "description": f"At most {CRITIQUE_MAX_CHARS} characters."},
    },
    "required": ["id", "critique"],
    "additionalProperties": False,
}
CRITIQUES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"critiques": {"type": "array", "items": _CRITIQUE}},
    "required": ["critiques"],
    "additionalProperties": False,
}


class _Critique(BaseModel):
    id: str
    critique: str


class _Critiques(BaseModel):
    critiques: list[_Critique]


def review(req: CritiqueRequest) -> dict[str, Any]:
    b = req.brand
    scores = {s.variant_id: s for s in req.scores}
    variants = []
    for v in req.variants:
        s = scores.get(v.id)
        if s is None:
            continue
        variants.append(
            {
                "id": v.id,
                "angle": v.angle,
                "headline": v.headline,
                "body": v.body,
                "description": v.description,
                "cta": v.cta,
                "claims": [c.text for c in v.claims],
                "truth_verdict": v.truth.verdict if v.truth else "unchecked",
                "copy_faults": [{"code": f.code, "field": f.field, "text": f.text} for f in v.lint],
                "score": s.score,
                "rank": s.rank,
                "recommended": s.recommended,
                "components": [{"name": c.name, "points": c.points, "of": c.weight, "reason": c.reason} for c in s.components],
            }
        )
    return {
        "brand": {"name": b.name, "voice": b.voice, "language": b.language, "tagline": b.tagline, "description": b.description},
        "platform": req.platform,
        "variants": variants,
    }


def critique_message(req: CritiqueRequest) -> str:
    return (
        f"Critique each scored {req.platform} ad variant for {req.brand.name}, one critique per variant id."
        f"\n<review>\n{json.dumps(review(req), ensure_ascii=False)}\n</review>"
    )


def shorten(text: str, limit: int = CRITIQUE_MAX_CHARS) -> str:
    """`text` within `limit` characters: whole sentences if they fit, else whole words and an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if end >= limit // 2:
        return head[: end + 1]
    return head[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-") + "…"


def parse_critiques(data: Any, ids: list[str]) -> dict[str, str]:
    """Critiques for the requested ids (others ignored, first one per id kept); MalformedOutput if none."""
    parsed = structured_output(data, _Critiques, "critique")
    wanted = set(ids)
    out: dict[str, str] = {}
    for item in parsed.critiques:
        text = shorten(item.critique)
        if item.id in wanted and text and item.id not in out:
            out[item.id] = text
    if not out:
        raise MalformedOutput(f"holds no critique for any of {', '.join(ids)}")
    return out
