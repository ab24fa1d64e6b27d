"""The generate step: ask a provider for copy, then enforce limits, distinctness and the truth check.

Providers only write. Here every draft is fitted to the platform's limits on word boundaries, its
call to action mapped onto the fixed set, its citations checked, its claims verified against the
site's evidence and its headline kept apart from the others. A draft that fails is sent back to
the provider with the reason (bounded attempts); one that still fails is dropped, and why is
recorded in `GenerateOutput.dropped`, so nothing unsupported reaches a reviewer silently.
"""

from __future__ import annotations

from ..errors import ProviderError
from ..llm.base import ANGLES, CopyProvider, CopyRequest, Draft, Slot
from ..models import Claim, CopyVariant, GenerateInput, GenerateOutput, Usage
from ..truth import check_variant
from .distinct import too_similar
from .platforms import CTAS, LIMITS, fit, limits_for, normalize_cta

__all__ = ["CTAS", "LIMITS", "MAX_ATTEMPTS", "generate_copy", "limits_for"]

MAX_ATTEMPTS = 3


def _variant(draft: Draft, inp: GenerateInput, revision: int) -> CopyVariant:
    lim = limits_for(inp.platform)
    claims = [Claim(text=c.text, fact_ids=list(dict.fromkeys(c.fact_ids))) for c in draft.claims]
    return CopyVariant(
        id=draft.id, angle=draft.angle, revision=revision,
        headline=fit(draft.headline, lim.headline), body=fit(draft.body, lim.body),
        description=fit(draft.description, lim.description), cta=normalize_cta(draft.cta), claims=claims,
        fact_ids=list(dict.fromkeys(fid for c in claims for fid in c.fact_ids)),
    )


def _add_usage(total: Usage, more: Usage) -> Usage:
    return Usage(provider=more.provider or total.provider, model=more.model or total.model,
                 input_tokens=total.input_tokens + more.input_tokens,
                 output_tokens=total.output_tokens + more.output_tokens,
                 cost_usd=round(total.cost_usd + more.cost_usd, 6))


def _problem(variant: CopyVariant, accepted: dict[str, CopyVariant]) -> list[str]:
    if not variant.headline or not variant.body:
        return ["the headline or primary text is empty"]
    if variant.truth and variant.truth.unsupported:
        return list(variant.truth.unsupported)
    others = [(v.id, v.headline, v.body) for v in accepted.values() if v.id != variant.id]
    twin = too_similar(variant.headline, variant.body, others)
    return [f"too similar to {twin} (headline \"{accepted[twin].headline}\")"] if twin else []


async def generate_copy(inp: GenerateInput, provider: CopyProvider) -> GenerateOutput:
    """Write `num_variants` variants v1..vN, or revise `revise_ids` of `existing` and keep the rest."""
    existing = {v.id: v for v in inp.existing}
    if inp.revise_ids:
        targets = list(dict.fromkeys(inp.revise_ids))
        kept = {vid: v for vid, v in existing.items() if vid not in targets}
    else:
        targets = [f"v{i}" for i in range(1, inp.num_variants + 1)]
        kept = {}
    slots = {
        vid: Slot(id=vid, angle=ANGLES[(int(vid[1:]) - 1) % len(ANGLES)] if vid[1:].isdigit() else ANGLES[0],
                  revision=existing[vid].revision + 1 if vid in existing else 1, previous=existing.get(vid))
        for vid in targets
    }
    accepted: dict[str, CopyVariant] = dict(kept)
    usage = Usage(provider=provider.name, model=provider.model)
    caught: list[str] = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        pending = [slots[vid] for vid in targets if vid not in accepted]
        if not pending:
            break
        req = CopyRequest(
            run_id=inp.run_id, brand=inp.brand, platform=inp.platform, limits=limits_for(inp.platform),
            slots=pending, ctas=list(CTAS), feedback=inp.feedback, attempt=attempt,
            avoid_headlines=[v.headline for v in accepted.values()],
            avoid_bodies=[v.body for v in accepted.values()],
        )
        result = await provider.write(req)
        usage = _add_usage(usage, result.usage)
        wanted = {s.id for s in pending}
        for draft in result.drafts:
            if draft.id not in wanted or draft.id in accepted:
                continue
            variant = _variant(draft, inp, slots[draft.id].revision)
            variant.truth = check_variant(variant, inp.brand.facts, inp.brand.name, attempts=attempt)
            # The checker may link a statement to a fact the draft forgot to cite.
            variant.fact_ids = list(dict.fromkeys([*variant.fact_ids, *(s.fact_id for s in variant.truth.supported)]))
            problems = _problem(variant, accepted)
            if problems:
                slots[draft.id].rejected = problems
                caught.extend(f"{draft.id} (attempt {attempt}): {p}" for p in problems)
                continue
            accepted[draft.id] = variant
        for slot in pending:
            if slot.id not in accepted and not slot.rejected:
                slot.rejected = ["the provider returned no draft for this id"]
    dropped = []
    for vid in targets:
        if vid in accepted:
            continue
        reason = "; ".join(slots[vid].rejected) or "no draft"
        if vid in existing:
            accepted[vid] = existing[vid]
            dropped.append(f"{vid}: revision dropped after {MAX_ATTEMPTS} attempts ({reason}); "
                           f"kept revision {existing[vid].revision}")
        else:
            dropped.append(f"{vid}: dropped after {MAX_ATTEMPTS} attempts ({reason})")
    if not accepted:
        raise ProviderError(f"No variant passed the checks after {MAX_ATTEMPTS} attempts: {' | '.join(dropped)}", retryable=False)
    variants = sorted(accepted.values(), key=lambda v: (int(v.id[1:]) if v.id[1:].isdigit() else 10**6, v.id))
    return GenerateOutput(variants=variants, usage=usage, dropped=dropped, caught=caught)
