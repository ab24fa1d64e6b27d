"""Reviewer decisions (approve, revise, reject): validation and their effect on a RunState.

Validation is pure, so the Temporal Update validators and the local engine reject exactly the same
inputs with the same messages; `reason` says which HTTP code the API answers with.
"""

from __future__ import annotations

from datetime import datetime

from .models import Decision, DecisionInput, PipelineInput, RunState, RunStatus


class DecisionRejected(Exception):
    """A decision that cannot be applied. `reason` is 'wrong_state' (409) or 'invalid' (422)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def validate(state: RunState, inp: PipelineInput, d: DecisionInput) -> None:
    if state.status != RunStatus.AWAITING_APPROVAL or state.pending is not None:
        raise DecisionRejected("wrong_state", f"Run is {state.status.value}, not awaiting_approval; nothing to {d.kind} now.")
    if d.kind == "reject":
        return
    if not d.variant_ids:
        raise DecisionRejected("invalid", f"variant_ids is empty: name at least one variant to {d.kind}, e.g. ['v1'].")
    known = [v.id for v in state.variants]
    unknown = [v for v in d.variant_ids if v not in known]
    if unknown:
        raise DecisionRejected("invalid", f"Unknown variant id(s) {unknown}; this run has {known}.")
    if d.kind == "revise":
        if not (d.comment or "").strip():
            raise DecisionRejected("invalid", "feedback is empty: say what should change.")
        if state.revision_round >= inp.max_revision_rounds:
            raise DecisionRejected(
                "wrong_state",
                f"This run already used its {inp.max_revision_rounds} revision round(s); "
                "approve or reject the variants, or start a new run.",
            )


def record(state: RunState, d: DecisionInput, now: datetime) -> Decision:
    """Append the decision to the run's history and set the status it leads to."""
    decision = Decision(
        kind=d.kind, variant_ids=list(dict.fromkeys(d.variant_ids)), approver=d.approver, comment=d.comment, via=d.via, at=now
    )
    state.decisions.append(decision)
    if d.kind == "approve":
        state.decision = decision
        state.status, state.current_step = RunStatus.APPROVED, None
    elif d.kind == "revise":
        state.status, state.current_step = RunStatus.RUNNING, "revise"
    state.pending = decision
    return decision


def describe(decision: Decision) -> str:
    who = f" by {decision.approver}" if decision.approver else ""
    if decision.kind == "approve":
        return f"Approved {', '.join(decision.variant_ids)}{who}"
    if decision.kind == "revise":
        return f"Revision of {', '.join(decision.variant_ids)} requested{who}: {decision.comment}"
    return f"Rejected{who}" + (f": {decision.comment}" if decision.comment else "")
