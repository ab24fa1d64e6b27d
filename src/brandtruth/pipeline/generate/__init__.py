"""The generate step: ask a provider for copy, then enforce limits, CTAs, distinctness, truth and lint.

Providers only write. Here every draft is fitted to the platform's limits on word boundaries, its
call to action made one the business would use (the site's own, or the platform's standard one in
the site's language), its claims verified against the site's undisputed evidence, its copy linted
and its headline kept apart from the others. A draft with an unsupported claim, a lint fault or
(for a revision) feedback it does not follow is sent back to the provider with the reasons
(bounded attempts). One that still fails the truth check is dropped, and why is recorded in
`GenerateOutput.dropped`; one that is truthful but still has lint faults or misses the feedback is
kept with its faults and note shown, so nothing reaches a reviewer silently.
"""

from __future__ import annotations

from ..errors import ProviderError
from ..lint import lint_variant
from ..llm.base import ANGLES, CopyProvider, CopyRequest, Draft, Slot
from ..llm.phrases import CTA_LIMITS, SUPPORTED, pick_cta, site_ctas, standard_ctas
from ..models import Claim, CopyVariant, GenerateInput, GenerateOutput, Usage
from ..truth import check_variant
from .cta_fit import fitting_cta, gift_cta
from .distinct import too_similar
from .platforms import CTAS, LIMITS, fit, limits_for
from .revise import cannot_follow, gaps, kept, note, wish_for

__all__ = ["CTAS", "LIMITS", "MAX_ATTEMPTS", "allowed_ctas", "generate_copy", "limits_for"]

MAX_ATTEMPTS = 3
# What a slot says when the writer gave it nothing: the site ran out of material it has not used yet.
NO_DRAFT = "the provider returned no draft for this id"


def allowed_ctas(inp: GenerateInput) -> list[str]:
    """The site's own actions that fit the platform's button, then the standard CTAs in its language."""
    b, limit = inp.brand, CTA_LIMITS.get(inp.platform, 25)
    return list(dict.fromkeys([*site_ctas(b.primary_cta, b.ctas, limit, b.language), *standard_ctas(b.language)]))


def _variant(draft: Draft, inp: GenerateInput, revision: int) -> CopyVariant:
    lim, b = limits_for(inp.platform), inp.brand
    claims = [Claim(text=c.text, fact_ids=list(dict.fromkeys(c.fact_ids))) for c in draft.claims]
    cta = pick_cta(draft.cta, b.primary_cta, b.ctas, b.business_type, b.language, CTA_LIMITS.get(inp.platform, 25))
    cta = fitting_cta(cta, " ".join((draft.headline, draft.body, draft.description)), b)
    cta = gift_cta(cta, [fid for c in claims for fid in c.fact_ids], b, CTA_LIMITS.get(inp.platform, 25))
    return CopyVariant(
        id=draft.id,
        angle=draft.angle,
        revision=revision,
        headline=fit(draft.headline, lim.headline, b.language),
        body=fit(draft.body, lim.body, b.language),
        description=fit(draft.description, lim.description, b.language),
        cta=cta,
        claims=claims,
        fact_ids=list(dict.fromkeys(fid for c in claims for fid in c.fact_ids)),
    )


def _add_usage(total: Usage, more: Usage) -> Usage:
    return Usage(
        provider=more.provider or total.provider,
        model=more.model or total.model,
        input_tokens=total.input_tokens + more.input_tokens,
        output_tokens=total.output_tokens + more.output_tokens,
        cost_usd=round(total.cost_usd + more.cost_usd, 6),
    )


def _refusal(variant: CopyVariant, accepted: dict[str, CopyVariant], name: str) -> list[str]:
    """Problems no variant may reach a reviewer with: empty copy, an unsupported claim, a twin."""
    if not variant.headline or not variant.body:
        return ["the headline or primary text is empty"]
    if variant.truth and variant.truth.unsupported:
        return list(variant.truth.unsupported)
    others = [(v.id, v.headline, v.body) for v in accepted.values() if v.id != variant.id]
    twin = too_similar(variant.headline, variant.body, others, name)
    return [f'too similar to {twin} (headline "{accepted[twin].headline}")'] if twin else []


def language_warning(language: str) -> str:
    lang = (language or "en").split("-")[0].lower()
    if lang in SUPPORTED:
        return ""
    return (
        f"The site is in '{lang}', which the copy writer has no phrasing for (it has {', '.join(SUPPORTED)}): "
        f"the offline copy uses only the site's own sentences and actions; check the CTAs."
    )


async def generate_copy(inp: GenerateInput, provider: CopyProvider) -> GenerateOutput:
    """Write `num_variants` variants v1..vN, or revise `revise_ids` of `existing` and keep the rest."""
    existing = {v.id: v for v in inp.existing}
    wish = wish_for(inp.feedback, inp.brand, bool(inp.revise_ids))
    if inp.revise_ids:
        targets = list(dict.fromkeys(inp.revise_ids))
        kept_ids = {vid: v for vid, v in existing.items() if vid not in targets}
        impossible = cannot_follow(wish, inp.brand)
        if impossible:  # nothing any provider writes could follow it: say so, change nothing
            kept_ids.update({vid: kept(existing[vid], impossible) for vid in targets if vid in existing})
            targets = []
    else:
        targets = [f"v{i}" for i in range(1, inp.num_variants + 1)]
        kept_ids = {}
    slots = {
        vid: Slot(
            id=vid,
            angle=ANGLES[(int(vid[1:]) - 1) % len(ANGLES)] if vid[1:].isdigit() else ANGLES[0],
            revision=existing[vid].revision + 1 if vid in existing else 1,
            previous=existing.get(vid),
        )
        for vid in targets
    }
    facts = [f for f in inp.brand.facts if not f.disputed]  # disputed claims wait for a person
    accepted: dict[str, CopyVariant] = dict(kept_ids)
    # Truthful but with lint faults or unmet feedback: the fallback, with how many problems it has.
    flawed: dict[str, tuple[int, CopyVariant]] = {}
    usage = Usage(provider=provider.name, model=provider.model)
    caught: list[str] = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        pending = [slots[vid] for vid in targets if vid not in accepted]
        if not pending:
            break
        req = CopyRequest(
            run_id=inp.run_id,
            brand=inp.brand,
            platform=inp.platform,
            limits=limits_for(inp.platform),
            slots=pending,
            ctas=allowed_ctas(inp),
            feedback=inp.feedback,
            attempt=attempt,
            avoid_headlines=[v.headline for v in accepted.values()],
            avoid_bodies=[v.body for v in accepted.values()],
        )
        result = await provider.write(req)
        usage = _add_usage(usage, result.usage)
        wanted = {s.id for s in pending}
        for draft in result.drafts:
            if draft.id not in wanted or draft.id in accepted:
                continue
            slot = slots[draft.id]
            variant = _variant(draft, inp, slot.revision)
            variant.truth = check_variant(variant, facts, inp.brand.name, attempts=attempt)
            # The checker may link a statement to a fact the draft forgot to cite.
            variant.fact_ids = list(dict.fromkeys([*variant.fact_ids, *(s.fact_id for s in variant.truth.supported)]))
            problems = _refusal(variant, accepted, inp.brand.name)
            if not problems:
                variant.lint = lint_variant(variant, inp.brand)
                unmet = gaps(wish, variant, slot.previous)
                variant.revision_note = note(wish, variant, slot.previous, [*accepted.values(), *kept_ids.values()])
                problems = [f"copy lint: {f.code}: {f.message}" for f in variant.lint] + unmet
                if problems and len(problems) < flawed.get(draft.id, (len(problems) + 1, variant))[0]:
                    flawed[draft.id] = (len(problems), variant)  # the closest attempt, not the last
            if problems:
                slot.rejected = problems
                caught.extend(f"{draft.id} (attempt {attempt}): {p}" for p in problems)
                continue
            accepted[draft.id] = variant
        for slot in pending:
            if slot.id not in accepted and not slot.rejected:
                slot.rejected = [NO_DRAFT]
    dropped = []
    for vid in targets:
        if vid in accepted:
            continue
        reason = "; ".join(slots[vid].rejected) or "no draft"
        fallback = flawed[vid][1] if vid in flawed else None
        if fallback is not None and not too_similar(
            fallback.headline, fallback.body, [(v.id, v.headline, v.body) for v in accepted.values()], inp.brand.name
        ):
            accepted[vid] = fallback  # shown with its faults rather than hidden
        elif vid in existing:
            nothing = reason == NO_DRAFT
            why = (
                f"the site has nothing more that follows “{inp.feedback.strip()}” without repeating another variant"
                if nothing
                else reason
            )
            accepted[vid] = kept(existing[vid], f"Not revised: {why}.") if wish else existing[vid]
            dropped.append(
                f"{vid}: revision dropped after {MAX_ATTEMPTS} attempts ({reason}); kept revision {existing[vid].revision}"
            )
        elif reason == NO_DRAFT:
            dropped.append(
                f"{vid}: not written: the site gives no material for one more ad that does not repeat another "
                f"({len(facts)} facts read); ask for fewer variants, or start from a page that says more"
            )
        else:
            dropped.append(f"{vid}: dropped after {MAX_ATTEMPTS} attempts ({reason})")
    if not accepted:
        raise ProviderError(f"No variant passed the checks after {MAX_ATTEMPTS} attempts: {' | '.join(dropped)}", retryable=False)
    variants = sorted(accepted.values(), key=lambda v: (int(v.id[1:]) if v.id[1:].isdigit() else 10**6, v.id))
    warning = language_warning(inp.brand.language)
    return GenerateOutput(variants=variants, usage=usage, dropped=dropped, caught=caught, warnings=[warning] if warning else [])
