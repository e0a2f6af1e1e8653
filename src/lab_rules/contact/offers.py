"""The longest length of an offer: one obligation per offer, due on its last allowed day.

For each offer an ``offer_limit`` rule limits (``RuleSpan.limited``) the last allowed day is
the start + the rule's ``duration``, counted by the ``offer_duration`` policy (the start day
counts, LAB names no counting rule). Each recorded ``offer_extended`` moves it when the rule
allows the step, the extension was decided on or before the current last day and its basis is
the one the step needs; every extension leaves a trace step, also one that is not applied
and why. The offer's own ``offer_ended`` fulfils the obligation; its status follows as for
every other obligation (met, met late, overdue, open, lapsed when the person left the target
group before the last day without an end recorded).
"""

from __future__ import annotations

from datetime import date

from lab_rules.calendar import Duration, Reading
from lab_rules.contact.adjustments import apply_exemptions, selector_day
from lab_rules.contact.fulfilment import status_of
from lab_rules.contact.results import Listed, Obligation, TraceStep
from lab_rules.contact.rule_span import Candidate, Draft, RuleSpan
from lab_rules.core.messages import Message, Said
from lab_rules.facts.clocks import Point
from lab_rules.facts.offers import OfferRun
from lab_rules.inputs.events import OfferExtended
from lab_rules.law.model import Extension
from lab_rules.law.policies import OfferDuration

__all__ = ["offer_limit_obligations"]


def _last_day(rs: RuleSpan, start: date, length: Duration) -> Point:
    """The last day of an offer of *length* from *start*, by the ``offer_duration`` policy."""
    rule = rs.rule
    reading = rule.reading
    if rs.policies.offer_duration is OfferDuration.CALENDAR_WEEKS and length.weeks:
        reading = Reading.END_OF_CALENDAR_WEEK
    return rs.clock.point(start, length, reading, rule.rounding, rule.roll)


def _bound(rs: RuleSpan, start: date, due: date, step: Extension) -> Point | None:
    """The latest last day *step* allows: ``to`` from the start, ``step`` after the current
    last day, or None (open: the recorded end)."""
    if step.to is not None:
        return _last_day(rs, start, step.to)
    if step.step is not None:
        return rs.clock.point(due, step.step, Reading.AFTER, rs.rule.rounding, rs.rule.roll)
    return None


def _extend(rs: RuleSpan, run: OfferRun, draft: Draft) -> None:
    """Move *draft*'s last day by the run's extensions the rule allows, in order."""
    steps = rs.rule.extensions
    stage = 0
    for extension in run.extensions:
        day = extension.date
        refused = _refusal(extension, draft.due, steps, stage)
        if refused is not None:
            draft.trace.append(TraceStep("extension_not_applied", day, refused))
            continue
        step = steps[stage]
        bound = _bound(rs, run.start, draft.due, step)
        until = extension.until
        if bound is None and until is None:
            draft.trace.append(TraceStep("extension_not_applied", day, Message(
                "contact.trace.extension_unbounded", day=day, basis=step.basis.value,
                legal_basis=step.legal_basis)))
            continue
        new = (until if bound is None or bound.day is None
               else bound.day if until is None else min(until, bound.day))
        assert new is not None
        if new <= draft.due:
            draft.trace.append(TraceStep("extension_not_applied", day, Message(
                "contact.trace.extension_not_later", day=day, new=new, due=draft.due)))
            continue
        rest: list[object] = []
        if until is not None and bound is not None and bound.day is not None and until > new:
            rest.append(Message("contact.trace.extension_beyond", until=until,
                                bound=bound.detail))
        if extension.basis is None:
            rest.append(Message("contact.trace.extension_basis_read", basis=step.basis.value))
        if step.note:
            rest.append(Said(f"; {step.note_da or step.note}", f"; {step.note}"))
        draft.trace.append(TraceStep("extended", new, Message(
            "contact.trace.extension", day=day, basis=step.basis.value,
            legal_basis=step.legal_basis, due=draft.due, new=new,
            rest=Listed(tuple(rest), ""))))
        draft.due = new
        if not step.repeatable:
            stage += 1


def _refusal(extension: OfferExtended, due: date, steps: tuple[Extension, ...], stage: int
             ) -> Message | None:
    """Why *extension* cannot move the last day *due*, or None if the next step may."""
    day = extension.date
    if not steps:
        return Message("contact.trace.extension_none", day=day)
    if day > due:
        return Message("contact.trace.extension_too_late", day=day, due=due)
    if stage >= len(steps):
        return Message("contact.trace.extension_no_more", day=day)
    step = steps[stage]
    if extension.basis is not None and extension.basis is not step.basis:
        return Message("contact.trace.extension_wrong_basis", day=day,
                       basis=extension.basis.value, needed=step.basis.value,
                       legal_basis=step.legal_basis)
    return None


def offer_limit_obligations(rs: RuleSpan) -> list[Obligation]:
    """One obligation per offer of ``rs.limited``, judged at ``rs.as_of``."""
    rule = rs.rule
    assert rule.duration is not None
    policies = tuple(sorted((*rule.fixed_policies, *rs.policy_items,
                             ("offer_duration", rs.policies.offer_duration.value),
                             ("version_selector", rs.selector.value))))
    obligations: list[Obligation] = []
    for run, assumed in rs.limited:
        start = run.start
        point = _last_day(rs, start, rule.duration)
        if point.day is None:
            continue
        draft = Draft(len(obligations) + 1, start, point.day,
                      [TraceStep("due", point.day, point.detail)])
        _extend(rs, run, draft)
        if not rule.valid_on(selector_day(rs, draft)):
            continue
        if rule.exemptions:
            apply_exemptions(rs, draft)
        if run.ended is not None:
            draft.fulfilled = Candidate(run.ended.date, run.ended)
        status, late, overdue = status_of(rs, draft)
        steps = [TraceStep("anchor", start, run)]
        if assumed is not None:
            steps.append(TraceStep("assumed", start, assumed))
        obligations.append(Obligation(
            rule, draft.sequence, rs.group, rs.course.start, start, draft.due, status,
            run.end, draft.fulfilled, late, overdue, policies, (*steps, *draft.trace)))
    return obligations
