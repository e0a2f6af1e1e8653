"""Adjusting drafts before they are judged: versions, exemptions, no-shows, løntilskud.

In the order :mod:`lab_rules.contact.obligations` applies them: the version selector keeps
the drafts whose rule version is in force (``semantics.md`` §8); exemptions waive, extend or
move a due date (§4); under ``restart_from_contact`` a no-show suspends the course until
contact is restored (§5); and løntilskud given in time may start up to the rule's grace
later (LAB § 102 stk. 3). Each change leaves a trace step saying why.
"""

from __future__ import annotations

from datetime import date, timedelta

from lab_rules.calendar import Rounding, add
from lab_rules.contact.fulfilment import match
from lab_rules.contact.results import TraceStep
from lab_rules.contact.rule_span import Draft, Incident, RuleSpan
from lab_rules.contact.windows import extend_window
from lab_rules.core.messages import Message
from lab_rules.core.vocabulary import OfferKind
from lab_rules.law.model import Effect, ExemptWindow, Rule, Shape
from lab_rules.law.policies import NoShowPolicy, VersionSelector

__all__ = [
    "apply_exemptions",
    "loentilskud_grace",
    "restart",
    "select_versions",
    "selector_day",
    "suspend",
]

# Enum members read per person, bound once: on Python 3.11 reading a member off its class
# goes through ``EnumType.__getattr__``'s lookup hook, as dear as a short function call.
_OPENS, _DUE = VersionSelector.OPENS, VersionSelector.DUE
_EXTEND_WINDOW = ExemptWindow.EXTEND
_NO_EFFECT, _WAIVE, _EXTEND = Effect.NONE, Effect.WAIVE, Effect.EXTEND
_ACTIVATION = Shape.ACTIVATION


def select_versions(rs: RuleSpan, drafts: list[Draft]) -> list[Draft]:
    rule = rs.rule
    first, last = rule.valid_from, rule.valid_to or date.max
    selector = rs.selector
    if selector is _OPENS:
        return [draft for draft in drafts if first <= draft.opens <= last]
    if selector is _DUE:
        return [draft for draft in drafts if first <= draft.due <= last]
    return list(drafts) if first <= rs.course.start <= last else []


def apply_exemptions(rs: RuleSpan, draft: Draft) -> None:
    rule = rs.rule
    if rule.exempt_window is _EXTEND_WINDOW:
        extend_window(rs, draft)
    for exemption in rs.exemptions:
        effect = rule.effect_of(exemption.reason)
        if effect is _NO_EFFECT:
            continue
        end = exemption.end
        if rule.shape is _ACTIVATION and rule.after_exemption and exemption.covers(draft.due):
            if end is None:
                draft.waived_by = exemption.reason.value
                draft.trace.append(TraceStep("exemption", exemption.start, Message(
                    "contact.trace.exempt_no_end", reason=exemption.reason.value)))
                continue
            new_due = add(end, rule.after_exemption, Rounding.DOWN)
            draft.trace.append(TraceStep("after_exemption", new_due, Message(
                "contact.trace.after_exemption", reason=exemption.reason.value, due=draft.due,
                span=rule.after_exemption, end=end, new=new_due)))
            draft.due = new_due
            continue
        if effect is _WAIVE and exemption.covers(draft.due):
            draft.waived_by = exemption.reason.value
            draft.trace.append(TraceStep("waived", exemption.start, Message(
                "contact.trace.waived", due=draft.due, start=exemption.start,
                end=end or Message("contact.trace.open"), reason=exemption.reason.value)))
        elif effect is _EXTEND:
            if rule.exempt_window is not None:
                continue  # counted over the whole window by contact.windows
            if end is None:
                if exemption.start <= draft.due:
                    draft.waived_by = exemption.reason.value
                    draft.trace.append(TraceStep("waived", exemption.start, Message(
                        "contact.trace.exempt_open", start=exemption.start,
                        reason=exemption.reason.value)))
                continue
            overlap = (min(end, draft.due) - max(exemption.start, draft.opens)).days + 1
            if overlap > 0:
                new_due = draft.due + timedelta(days=overlap)
                draft.trace.append(TraceStep("extended", new_due, Message(
                    "contact.trace.extended", overlap=overlap, reason=exemption.reason.value,
                    start=exemption.start, end=end, due=draft.due, new=new_due)))
                draft.due = new_due


def loentilskud_grace(rule: Rule, draft: Draft) -> None:
    """LAB § 102 stk. 3: løntilskud given within the deadline may start ≤ 3 weeks after it."""
    candidate = draft.fulfilled
    if (rule.loentilskud_grace and candidate and candidate.offer
            and candidate.offer.offer is OfferKind.LOENTILSKUD and candidate.day > draft.due
            and candidate.offer.offered_on is not None
            and candidate.offer.offered_on <= draft.due):
        limit = add(draft.due, rule.loentilskud_grace, Rounding.DOWN)
        if candidate.day > limit:
            return
        draft.trace.append(TraceStep("loentilskud", limit, Message(
            "contact.trace.loentilskud", given=candidate.offer.offered_on, due=draft.due,
            grace=rule.loentilskud_grace, limit=limit)))
        draft.due = limit


def suspend(draft: Draft, incident: Incident) -> None:
    """Move *draft* by the days the course was suspended (no-show to restored contact)."""
    assert incident.contact is not None
    days = (incident.contact - incident.no_show).days
    new_due = draft.due + timedelta(days=days)
    draft.trace.append(TraceStep("restart", new_due, Message(
        "contact.trace.restart", no_show=incident.no_show, summons=incident.summons_sent,
        contact=incident.contact, days=days, due=draft.due, new=new_due)))
    draft.policy_notes += (("no_show", NoShowPolicy.RESTART_FROM_CONTACT.value),)
    draft.due = new_due
    if draft.opens > incident.no_show:
        draft.opens += timedelta(days=days)


def restart(rs: RuleSpan, drafts: list[Draft]) -> list[Draft]:
    """Rødovre's proposal ("genoptages fra henvendelsesdagen", seed 003; semantics.md §5): the
    no-show suspends the course until contact is restored. Every obligation not met before
    the no-show and due on or after it moves by the suspended days, so those days are neither
    late nor a refund loss; delay after the contact day counts as usual."""
    for incident in rs.incidents:
        if incident.contact is None:
            continue
        match(rs, drafts, until=incident.no_show - timedelta(days=1))
        for draft in drafts:
            if draft.fulfilled is None and draft.due >= incident.no_show:
                suspend(draft, incident)
    return drafts


def selector_day(rs: RuleSpan, draft: Draft) -> date:
    selector = rs.selector
    if selector is _OPENS:
        return draft.opens
    return draft.due if selector is _DUE else rs.course.start
