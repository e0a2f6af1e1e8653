"""Generating draft obligations for each rule shape of ``semantics.md`` §3.

Deadline and activation rules give one window (or ``count`` windows, repeated every
``repeat``); schedules give a window per point of the interval; rolling rules give the next
window from the last due date or fulfilment (or, for repeat offers, from the end of the offer
that met the last one), so they are fulfilled and adjusted as they go.
Every window is computed on the rule's clock, and each date carries a trace step saying how.
"""

from __future__ import annotations

from datetime import date, timedelta

from lab_rules.calendar import Duration, Reading, Rounding, add
from lab_rules.contact.adjustments import apply_exemptions, selector_day, suspend
from lab_rules.contact.fulfilment import fulfilled_before, take
from lab_rules.contact.results import TraceStep
from lab_rules.contact.rule_span import Draft, RuleSpan
from lab_rules.core.messages import Message
from lab_rules.core.slots import new_tuple
from lab_rules.facts.clocks import Point
from lab_rules.law.model import Anchor, Clock, IntervalFrom, Shape
from lab_rules.law.policies import NoShowPolicy, VersionSelector

__all__ = ["generate", "rolling"]

_MAX_ITEMS = 400
"""Safety bound on recurring obligations per rule and span (200 years of quarters)."""

# Enum members read per person, bound once: on Python 3.11 reading a member off its class
# goes through ``EnumType.__getattr__``'s lookup hook, as dear as a short function call.
_SCHEDULE = Shape.SCHEDULE
_OPENS = VersionSelector.OPENS
_AFTER, _WITHIN = Reading.AFTER, Reading.WITHIN
_UP, _DOWN, _STRICT = Rounding.UP, Rounding.DOWN, Rounding.STRICT
_DAGPENGE_HOURS = Clock.DAGPENGE_HOURS
_ONE_DAY = timedelta(days=1)


def _step(name: str, point: Point) -> TraceStep:
    return new_tuple(TraceStep, (name, point.day, point.detail))


def _point(rs: RuleSpan, anchor: date, duration: Duration, reading: Reading | None = None
           ) -> Point:
    rule = rs.rule
    return rs.clock.point(anchor, duration, reading or rule.reading, rule.rounding, rule.roll)


def _opens(rs: RuleSpan, anchor: date) -> tuple[date, list[TraceStep]]:
    rule = rs.rule
    if rs.opens_at is not None:
        return rs.opens_at, [TraceStep("opens", rs.opens_at,
                                       Message("contact.trace.window_opens", day=rs.opens_at))]
    if rule.opens_after is None:
        return anchor, []
    # "Tidligst ved N måneder": the first day with N months behind the person (D-07); on the
    # hour clock the day the hours are reached (D-17).
    reading = _WITHIN if rule.clock is _DAGPENGE_HOURS else _AFTER
    point = rs.clock.point(anchor, rule.opens_after, reading, _UP)
    opens = point.day or anchor
    return opens, [_step("opens", point)]


def generate(rs: RuleSpan, anchor: date) -> list[Draft]:
    """Drafts for every non-rolling shape, anchored on *anchor*."""
    rule = rs.rule
    drafts: list[Draft] = []
    if rule.shape is _SCHEDULE:
        assert rule.interval is not None
        limit = rule.max_items or _MAX_ITEMS
        last: Point | None = None
        for index in range(limit):
            k = rule.start_index + index
            previous = None
            if k > 1:  # the point before this one; computed in the last round after the first
                previous = last or _point(rs, anchor, rule.interval * (k - 1))
            opens = previous.day if previous and previous.day else anchor
            if previous and previous.day and rule.grace is not None:
                # The previous point's slack belongs to it: this window opens after it.
                opens = add(previous.day, rule.grace, _DOWN) + _ONE_DAY
            if opens > rs.horizon:
                break
            point = last = _point(rs, anchor, rule.interval * k)
            if point.day is None:
                break
            trace = [_step("due", point)]
            due = point.day
            if rule.grace is not None:
                due = add(point.day, rule.grace, _DOWN)
                trace.append(TraceStep("grace", due, Message(
                    "contact.trace.grace", day=point.day, grace=rule.grace, due=due)))
            drafts.append(Draft(k, opens, due, trace))
        return drafts
    assert rule.duration is not None
    repeat_limit = (rule.max_items or _MAX_ITEMS) if rule.repeat is not None else 1
    opens_anchor, opens_trace = _opens(rs, anchor)
    if (rule.repeat is None and rs.selector is _OPENS
            and rule.rounding is not _STRICT and not rule.valid_on(opens_anchor)):
        return drafts  # its one window opens outside this version: select_versions drops it
    for window in range(repeat_limit):
        offset = rule.repeat * window if rule.repeat is not None and window else None
        opens = opens_anchor
        trace = list(opens_trace)
        if offset is not None:
            start_point = _point(rs, anchor, offset, _AFTER)
            if start_point.day is None:
                break
            opens = start_point.day
            trace = [_step("window", start_point)]
        if opens > rs.horizon:
            break
        point = _point(rs, anchor, rule.duration if offset is None else offset + rule.duration)
        if point.day is None:
            break
        trace.append(_step("due", point))
        for i in range(rule.count):
            drafts.append(Draft(window * rule.count + i + 1, opens, point.day, list(trace)))
    return drafts


def _offer_end(rs: RuleSpan, draft: Draft) -> date | None:
    """The last day of the offer that met *draft*, if it has ended."""
    fulfilled = draft.fulfilled
    event = fulfilled.event if fulfilled is not None else None
    return next((run.end for run in rs.offers if run.started is event), None)


def rolling(rs: RuleSpan, anchor: date) -> list[Draft]:
    rule = rs.rule
    assert rule.interval is not None
    drafts: list[Draft] = []
    used: set[int] = set()
    if rule.anchor is Anchor.FIRST_FOLLOWUP:
        used.update(i for i, c in enumerate(rs.candidates) if c.day == anchor)
    current = anchor
    first = rule.duration or rule.interval
    from_end = rule.interval_from is IntervalFrom.FULFILMENT_END
    for k in range(1, (rule.max_items or _MAX_ITEMS) + 1):
        if current > rs.horizon:
            break
        point = _point(rs, current, first if k == 1 else rule.interval)
        if point.day is None:
            break
        draft = Draft(k, current, point.day, [_step("due", point)])
        if k == 1 and rs.floor is not None and rs.floor.day and rs.floor.day > draft.due:
            draft.due = rs.floor.day
            draft.trace.append(_step("floor", rs.floor))
        for incident in rs.incidents:
            if (rs.policies.no_show is NoShowPolicy.RESTART_FROM_CONTACT and incident.contact
                    and draft.due >= incident.no_show
                    and not fulfilled_before(rs, draft, used, incident.no_show)):
                suspend(draft, incident)
        apply_exemptions(rs, draft)
        if not rule.valid_on(selector_day(rs, draft)):
            if draft.opens > (rule.valid_to or date.max):
                break
            if from_end:  # an earlier version's obligation: follow its offer to the next
                take(rs, draft, used, rs.horizon, after_opens=True)
                ended = _offer_end(rs, draft)
                if ended is None:
                    break
                current = ended
            else:
                current = draft.due
            continue
        strict = from_end or (rule.interval_from is IntervalFrom.LAST_FULFILMENT and (
            k > 1 or rule.anchor is Anchor.FIRST_FOLLOWUP))
        take(rs, draft, used, rs.horizon, after_opens=strict)
        drafts.append(draft)
        if draft.waived_by is not None:
            exemption_end = next((e.end for e in rs.exemptions if e.covers(draft.due)), None)
            if exemption_end is None:
                break
            current = exemption_end
            first = rule.interval
            continue
        if from_end:
            ended = _offer_end(rs, draft)
            if ended is None:
                break
            current = ended
        elif rule.interval_from is IntervalFrom.LAST_FULFILMENT:
            if draft.fulfilled is None:
                break
            current = draft.fulfilled.day
        else:
            current = draft.due
    return drafts
