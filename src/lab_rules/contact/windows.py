"""Exempt time in a count-in-window rule, and the form of the first conversation.

*Exempt time.* "Mindst fire jobsamtaler inden for de første 6 måneder" (LAB lbk 280/2024
§ 31, stk. 3) says nothing of months the person was exempt; the rule file names the policy it
follows (``exempt_window``). Under ``extend`` the window's end moves by the exempt days
(:func:`lab_rules.contact.adjustments.apply_exemptions`) and each obligation it moved records
the policy; under ``pro_rate`` (a what-if) only ⌈count × active days / window days⌉ stay due
by the unmoved end and the rest are waived (:func:`pro_rate`).

*The first conversation's form.* "Første jobsamtale holdes ved personligt fremmøde. Herefter
vælger personen …" (LAB lbk 280/2024 § 33, stk. 1): a conversation in another form held before
the first one in the required form fulfils nothing (:func:`first_form`), and the trace says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import attrs

from lab_rules.contact.results import Listed, TraceStep
from lab_rules.contact.rule_span import Draft, RuleSpan
from lab_rules.core.messages import Message
from lab_rules.core.vocabulary import Form
from lab_rules.inputs.events import ConversationHeld
from lab_rules.law.model import Effect, ExemptWindow

__all__ = ["extend_window", "first_form", "form_steps", "pro_rate"]


def extend_window(rs: RuleSpan, draft: Draft) -> None:
    """Move *draft*'s end so that its window holds as many days without an ``extend``
    exemption as it had days (``exempt_window = extend``): days the extension adds that are
    exempt too move it further. An exemption without an end that begins by then waives it."""
    rule = rs.rule
    spans = sorted((e.start, e.end, e.reason.value) for e in rs.exemptions
                   if rule.effect_of(e.reason) is Effect.EXTEND)
    if not spans:
        return
    need = (draft.due - draft.opens).days + 1
    cursor = draft.opens
    exempt, reasons = 0, []
    for start, end, reason in spans:
        if end is not None and end < cursor:
            continue
        free = (start - cursor).days
        if free >= need:
            break
        if free > 0:
            need -= free
            cursor = start
        if end is None:
            draft.waived_by = reason
            draft.trace.append(TraceStep("waived", start, Message(
                "contact.trace.window_exempt_open", start=start, reason=reason)))
            return
        exempt += (end - cursor).days + 1
        reasons.append(Message("contact.trace.exempt_span", reason=reason, start=start,
                               end=end))
        cursor = end + timedelta(days=1)
    if not exempt:
        return
    new_due = cursor + timedelta(days=need - 1)
    draft.trace.append(TraceStep("extended", new_due, Message(
        "contact.trace.window_extended", exempt=exempt, reasons=Listed(tuple(reasons), "; "),
        days=(draft.due - draft.opens).days + 1, due=new_due, old=draft.due)))
    draft.policy_notes += (("exempt_window", ExemptWindow.EXTEND.value),)
    draft.due = new_due


def pro_rate(rs: RuleSpan, drafts: Sequence[Draft]) -> None:
    """Waive the obligations of each window beyond ⌈count × active / all days⌉, where the
    active days are those no ``extend`` exemption covers (``exempt_window = pro_rate``)."""
    rule = rs.rule
    windows: dict[tuple[date, date], list[Draft]] = {}
    for draft in drafts:
        windows.setdefault((draft.opens, draft.due), []).append(draft)
    for (opens, due), group in windows.items():
        exempt: set[date] = set()
        reasons: list[str] = []
        for exemption in rs.exemptions:
            if rule.effect_of(exemption.reason) is not Effect.EXTEND:
                continue
            first, last = max(exemption.start, opens), min(exemption.end or due, due)
            if first <= last:
                exempt.update(first + timedelta(days=i) for i in range((last - first).days + 1))
                reasons.append(exemption.reason.value)
        if not exempt:
            continue
        days = (due - opens).days + 1
        active = days - len(exempt)
        required = -(-len(group) * active // days)
        text = Message("contact.trace.pro_rated", exempt=len(exempt), days=days,
                       reasons=", ".join(sorted(set(reasons))), count=len(group),
                       active=active, required=required, due=due)
        for index, draft in enumerate(sorted(group, key=lambda d: d.sequence)):
            draft.policy_notes += (("exempt_window", ExemptWindow.PRO_RATE.value),)
            draft.trace.append(TraceStep("pro_rated", due, text))
            if index >= required:
                draft.waived_by = reasons[0]


def first_form(rs: RuleSpan) -> tuple[RuleSpan, list[ConversationHeld]]:
    """*rs* without the conversations held, in a form the rule does not allow first, before
    the first one in an allowed form; and those conversations."""
    allowed = rs.rule.fulfilled_by.first_forms
    ignored: list[ConversationHeld] = []
    kept = []
    found = False
    for candidate in rs.candidates:
        event = candidate.event
        if not found and isinstance(event, ConversationHeld):
            if event.form in allowed or rs.rule.fulfilled_by.excepted(event.form,
                                                                      event.form_exception):
                found = True
            else:
                ignored.append(event)
                continue
        kept.append(candidate)
    if not ignored:
        return rs, ignored
    return attrs.evolve(rs, candidates=tuple(kept)), ignored


def form_steps(rs: RuleSpan, drafts: Sequence[Draft], ignored: Sequence[ConversationHeld],
               key: str, forms: frozenset[Form]) -> None:
    """Say in each draft's trace which conversations in its window did not count for form,
    in the catalogue's sentence *key* naming the *forms* the rule asks for."""
    required = "/".join(sorted(f.value for f in forms))
    basis = rs.rule.form_basis
    for draft in drafts:
        for event in ignored:
            if draft.opens <= event.date <= draft.due:
                draft.trace.append(TraceStep("form", event.date, Message(
                    key, kind=event.kind.value, day=event.date,
                    form=event.form.value, required=required, basis=basis)))
