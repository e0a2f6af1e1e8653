"""From one rule and one membership span to obligations: generate, adjust, fulfil, judge.

For each shape of ``semantics.md`` §3 the obligations' windows are computed on the rule's
clock (:mod:`lab_rules.contact.shapes`), then, in order: the version selector (§8),
exemption effects (§4), the no-show policy (§5) (:mod:`lab_rules.contact.adjustments`),
fulfilment (the earliest qualifying unused event at or after ``opens``; one event meets at
most one obligation of a rule) and the status at ``as_of`` (:mod:`lab_rules.contact.fulfilment`).
Every date carries a trace step saying how it was computed. This module runs those steps and
freezes the result into :class:`Obligation` objects.
"""

from __future__ import annotations

from lab_rules.contact.adjustments import (
    apply_exemptions,
    loentilskud_grace,
    restart,
    select_versions,
)
from lab_rules.contact.conversation_form import alternate_form
from lab_rules.contact.fulfilment import match, status_of
from lab_rules.contact.results import Obligation, TraceStep, obligation
from lab_rules.contact.rule_span import RuleSpan
from lab_rules.contact.shapes import generate, rolling
from lab_rules.contact.windows import first_form, form_steps, pro_rate
from lab_rules.core.messages import Message
from lab_rules.core.slots import new_tuple
from lab_rules.law.model import ExemptWindow, Shape
from lab_rules.law.params import kept_together
from lab_rules.law.policies import NoShowPolicy, VersionSelector

__all__ = ["build_obligations"]

# Enum members read per person, bound once: on Python 3.11 reading a member off its class
# goes through ``EnumType.__getattr__``'s lookup hook, as dear as a short function call.
_ROLLING = Shape.ROLLING
_PRO_RATE = ExemptWindow.PRO_RATE
_RESTART_FROM_CONTACT = NoShowPolicy.RESTART_FROM_CONTACT


def build_obligations(rs: RuleSpan) -> list[Obligation]:
    """All obligations of one rule on one span, judged at ``rs.as_of``."""
    rule = rs.rule
    ignored = None
    if rule.fulfilled_by.first_forms:
        rs, ignored = first_form(rs)
    skipped = None
    if rule.fulfilled_by.alternate_forms:
        rs, skipped = alternate_form(rs)
    if rule.shape is _ROLLING:
        drafts = rolling(rs, rs.anchor)
    else:
        drafts = select_versions(rs, generate(rs, rs.anchor))
        if rs.exemptions:
            for draft in drafts:
                apply_exemptions(rs, draft)
            if rule.exempt_window is _PRO_RATE:
                pro_rate(rs, drafts)
        if rs.incidents and rs.policies.no_show is _RESTART_FROM_CONTACT:
            drafts = restart(rs, drafts)
        match(rs, drafts)
        if rule.loentilskud_grace is not None:
            for draft in drafts:
                loentilskud_grace(rule, draft)
    if ignored:
        form_steps(rs, drafts, ignored, "contact.trace.form", rule.fulfilled_by.first_forms)
    if skipped:
        form_steps(rs, drafts, skipped, "contact.trace.alternate_form",
                   rule.fulfilled_by.alternate_forms)
    anchor_step = new_tuple(TraceStep, ("anchor", rs.anchor, rs.anchor_text))
    base_policies = _base_policies(rule.fixed_policies, rs.policy_items, rs.selector)
    incident = bool(rs.incidents)
    obligations = []
    for draft in drafts:
        status, late, overdue = status_of(rs, draft)
        fulfilled = draft.fulfilled
        applied_policies = base_policies
        if draft.policy_notes:
            applied = dict(base_policies)
            applied.update(draft.policy_notes)
            applied_policies = tuple(sorted(applied.items()))
        if fulfilled is not None and fulfilled.summons is not None:
            draft.trace.append(TraceStep("no_show_policy", fulfilled.day,
                                         Message("contact.trace.timely_summons")))
        obligations.append(obligation(
            rule, draft.sequence, rs.group, rs.course.start, draft.opens, draft.due, status,
            fulfilled.day if fulfilled is not None else None, fulfilled, late, overdue,
            applied_policies, (anchor_step, *draft.trace), incident))
    return obligations


def _policies_of(fixed: tuple[tuple[str, str], ...], items: tuple[tuple[str, str], ...],
                 selector: VersionSelector) -> tuple[tuple[str, str], ...]:
    """The policies every obligation of a rule span records (the same for most spans)."""
    return tuple(sorted((*fixed, *items, ("version_selector", selector.value))))


_base_policies = kept_together(_policies_of)
""":func:`_policies_of`, kept per identity of its arguments: hashing the tuples, or an enum
member, costs more than the sort it saves."""
