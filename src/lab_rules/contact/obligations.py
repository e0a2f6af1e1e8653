"""From one rule and one membership span to obligations: generate, adjust, fulfil, judge.

For each shape of ``semantics.md`` §3 this module computes the obligations' windows on the
rule's clock, then applies, in order: the version selector (§8), exemption effects (§4),
the no-show policy (§5), fulfilment (the earliest qualifying unused event at or after
``opens``; one event meets at most one obligation of a rule), and the status at ``as_of``.
Every date carries a trace step saying how it was computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

import attrs

from lab_rules.calendar import Duration, Reading, Rounding, add
from lab_rules.contact.results import Obligation, Status, TraceStep
from lab_rules.core.vocabulary import OfferKind, TargetGroup
from lab_rules.facts.clocks import Course, CourseClock, Point
from lab_rules.inputs.timeline import CaseStepDone, ConversationHeld, Event, Exemption, OfferStarted
from lab_rules.law.model import Anchor, Clock, Effect, IntervalFrom, Rule, Shape
from lab_rules.law.policies import NoShowPolicy, Policies, VersionSelector

_MAX_ITEMS = 400
"""Safety bound on recurring obligations per rule and span (200 years of quarters)."""


class Candidate(NamedTuple):
    """An event that may fulfil obligations of a rule (or, under ``timely_summons_counts``, a
    summons followed by a no-show, described by ``summons``). A named tuple: thousands are
    made per second, and it is immutable."""

    day: date
    event: Event | None = None
    summons: str | None = None

    @property
    def by_summons(self) -> bool:
        return self.summons is not None

    @property
    def offer(self) -> OfferStarted | None:
        return self.event if isinstance(self.event, OfferStarted) else None

    @property
    def label(self) -> str:
        """Words for the result, built only for candidates that fulfil something."""
        event = self.event
        if isinstance(event, ConversationHeld):
            return (f"{event.kind.value} ({event.form.value}, {event.held_by.value}) "
                    f"{event.date}")
        if isinstance(event, OfferStarted):
            return f"{event.offer.value} started {event.date}"
        if isinstance(event, CaseStepDone):
            return f"{event.step.value} {event.date}"
        return self.summons or str(self.day)


@attrs.frozen
class Incident:
    """An unexcused no-show after a summons, and when contact was restored (if it was)."""

    no_show: date
    summons_sent: date
    contact: date | None


@attrs.define
class RuleSpan:
    """Everything one rule needs about one membership span (internal, not mutated)."""

    rule: Rule
    course: Course
    group: TargetGroup
    start: date
    end: date | None
    anchor: date
    anchor_text: str
    as_of: date
    policies: Policies
    candidates: tuple[Candidate, ...]
    exemptions: tuple[Exemption, ...]
    incidents: tuple[Incident, ...]
    clock: CourseClock
    opens_at: date | None = None
    policy_items: tuple[tuple[str, str], ...] = ()
    selector: VersionSelector = VersionSelector.OPENS

    @property
    def horizon(self) -> date:
        return self.as_of if self.end is None else min(self.as_of, self.end)


@attrs.define
class _Draft:
    sequence: int
    opens: date
    due: date
    trace: list[TraceStep]
    waived_by: str | None = None
    policy_notes: list[tuple[str, str]] = attrs.field(factory=list)
    fulfilled: Candidate | None = None


def _step(name: str, point: Point) -> TraceStep:
    return TraceStep(name, point.day, point.detail)


def _point(rs: RuleSpan, anchor: date, duration: Duration, reading: Reading | None = None
           ) -> Point:
    rule = rs.rule
    return rs.clock.point(anchor, duration, reading or rule.reading, rule.rounding, rule.roll)


def _opens(rs: RuleSpan, anchor: date) -> tuple[date, list[TraceStep]]:
    rule = rs.rule
    if rs.opens_at is not None:
        return rs.opens_at, [TraceStep("opens", rs.opens_at, f"window opens {rs.opens_at}")]
    if rule.opens_after is None:
        return anchor, []
    # "Tidligst ved N måneder": the first day with N months behind the person (D-07); on the
    # hour clock the day the hours are reached (D-17).
    reading = Reading.WITHIN if rule.clock is Clock.DAGPENGE_HOURS else Reading.AFTER
    point = rs.clock.point(anchor, rule.opens_after, reading, Rounding.UP)
    opens = point.day or anchor
    return opens, [_step("opens", point)]


def _generate(rs: RuleSpan, anchor: date) -> list[_Draft]:
    """Drafts for every non-rolling shape, anchored on *anchor*."""
    rule = rs.rule
    drafts: list[_Draft] = []
    if rule.shape is Shape.SCHEDULE:
        assert rule.interval is not None
        limit = rule.max_items or _MAX_ITEMS
        for index in range(limit):
            k = rule.start_index + index
            previous = _point(rs, anchor, rule.interval * (k - 1)) if k > 1 else None
            opens = previous.day if previous and previous.day else anchor
            if previous and previous.day and rule.grace is not None:
                # The previous point's slack belongs to it: this window opens after it.
                opens = add(previous.day, rule.grace, Rounding.DOWN) + timedelta(days=1)
            if opens > rs.horizon:
                break
            point = _point(rs, anchor, rule.interval * k)
            if point.day is None:
                break
            trace = [_step("due", point)]
            due = point.day
            if rule.grace is not None:
                due = add(point.day, rule.grace, Rounding.DOWN)
                trace.append(TraceStep("grace", due, f"{point.day} + {rule.grace.describe('en')}"
                                       f" allowed late (no effect on the next point) = {due}"))
            drafts.append(_Draft(k, opens, due, trace))
        return drafts
    assert rule.duration is not None
    repeat_limit = (rule.max_items or _MAX_ITEMS) if rule.repeat is not None else 1
    opens_anchor, opens_trace = _opens(rs, anchor)
    for window in range(repeat_limit):
        offset = rule.repeat * window if rule.repeat is not None and window else None
        opens = opens_anchor
        trace = list(opens_trace)
        if offset is not None:
            start_point = _point(rs, anchor, offset, Reading.AFTER)
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
            drafts.append(_Draft(window * rule.count + i + 1, opens, point.day, list(trace)))
    return drafts


def _select_versions(rs: RuleSpan, drafts: list[_Draft]) -> list[_Draft]:
    return [draft for draft in drafts if rs.rule.valid_on(_selector_day(rs, draft))]


def _apply_exemptions(rs: RuleSpan, draft: _Draft) -> None:
    rule = rs.rule
    for exemption in rs.exemptions:
        effect = rule.effect_of(exemption.reason)
        if effect is Effect.NONE:
            continue
        end = exemption.end
        if rule.shape is Shape.ACTIVATION and rule.after_exemption and exemption.covers(draft.due):
            if end is None:
                draft.waived_by = exemption.reason.value
                draft.trace.append(TraceStep("exemption", exemption.start,
                                             f"exempt ({exemption.reason.value}) at the deadline, "
                                             "no end known yet"))
                continue
            new_due = add(end, rule.after_exemption, Rounding.DOWN)
            draft.trace.append(TraceStep("after_exemption", new_due, (
                f"exempt ({exemption.reason.value}) at the deadline {draft.due}; offer due "
                f"{rule.after_exemption.describe('en')} after the exemption ends {end} = "
                f"{new_due}")))
            draft.due = new_due
            continue
        if effect is Effect.WAIVE and exemption.covers(draft.due):
            draft.waived_by = exemption.reason.value
            draft.trace.append(TraceStep("waived", exemption.start, (
                f"due {draft.due} falls in the exemption {exemption.start} to "
                f"{end or 'open'} ({exemption.reason.value}): waived")))
        elif effect is Effect.EXTEND:
            if end is None:
                if exemption.start <= draft.due:
                    draft.waived_by = exemption.reason.value
                    draft.trace.append(TraceStep("waived", exemption.start, (
                        f"open exemption from {exemption.start} ({exemption.reason.value}) "
                        "extends the due date without end")))
                continue
            overlap = (min(end, draft.due) - max(exemption.start, draft.opens)).days + 1
            if overlap > 0:
                new_due = draft.due + timedelta(days=overlap)
                draft.trace.append(TraceStep("extended", new_due, (
                    f"{overlap} days of exemption ({exemption.reason.value}, {exemption.start} "
                    f"to {end}) push the due date {draft.due} to {new_due}")))
                draft.due = new_due


def _take(rs: RuleSpan, draft: _Draft, used: set[int], last_day: date,
          after_opens: bool = False) -> None:
    """Give *draft* the earliest unused candidate at (or, with *after_opens*, after) its
    opening day; a summons-and-no-show only counts on or before the due date."""
    draft.fulfilled = None
    for index, candidate in enumerate(rs.candidates):
        if index in used or candidate.day < draft.opens:
            continue
        if candidate.day > last_day:
            break
        if (after_opens and candidate.day == draft.opens) or (
                candidate.by_summons and candidate.day > draft.due):
            continue
        draft.fulfilled = candidate
        used.add(index)
        break


def _match(rs: RuleSpan, drafts: Sequence[_Draft], until: date | None = None) -> None:
    """Fulfil drafts in order of opening: one event meets at most one obligation of a rule."""
    used: set[int] = set()
    last_day = rs.horizon if until is None else until
    for draft in sorted(drafts, key=lambda d: (d.opens, d.due, d.sequence)):
        _take(rs, draft, used, last_day)


def _loentilskud_grace(rule: Rule, draft: _Draft) -> None:
    """LAB § 102 stk. 3: løntilskud given within the deadline may start ≤ 3 weeks after it."""
    candidate = draft.fulfilled
    if (candidate and candidate.offer and rule.loentilskud_grace
            and candidate.offer.offer is OfferKind.LOENTILSKUD and candidate.day > draft.due
            and candidate.offer.offered_on is not None
            and candidate.offer.offered_on <= draft.due):
        limit = add(draft.due, rule.loentilskud_grace, Rounding.DOWN)
        if candidate.day > limit:
            return
        draft.trace.append(TraceStep("loentilskud", limit, (
            f"løntilskud given {candidate.offer.offered_on} within the deadline {draft.due} may "
            f"start up to {rule.loentilskud_grace.describe('en')} later, by {limit}")))
        draft.due = limit


def _suspend(draft: _Draft, incident: Incident) -> None:
    """Move *draft* by the days the course was suspended (no-show to restored contact)."""
    assert incident.contact is not None
    days = (incident.contact - incident.no_show).days
    new_due = draft.due + timedelta(days=days)
    draft.trace.append(TraceStep("restart", new_due, (
        f"no-show {incident.no_show} after the summons of {incident.summons_sent}; contact "
        f"restored {incident.contact}: the course was suspended for {days} days, so the due "
        f"date moves from {draft.due} to {new_due} (restart_from_contact)")))
    draft.policy_notes.append(("no_show", NoShowPolicy.RESTART_FROM_CONTACT.value))
    draft.due = new_due
    if draft.opens > incident.no_show:
        draft.opens += timedelta(days=days)


def _restart(rs: RuleSpan, drafts: list[_Draft]) -> list[_Draft]:
    """Rødovre's proposal ("genoptages fra henvendelsesdagen", seed 003; semantics.md §5): the
    no-show suspends the course until contact is restored. Every obligation not met before
    the no-show and due on or after it moves by the suspended days, so those days are neither
    late nor a refund loss; delay after the contact day counts as usual."""
    for incident in rs.incidents:
        if incident.contact is None:
            continue
        _match(rs, drafts, until=incident.no_show - timedelta(days=1))
        for draft in drafts:
            if draft.fulfilled is None and draft.due >= incident.no_show:
                _suspend(draft, incident)
    return drafts


def _status(rs: RuleSpan, draft: _Draft) -> tuple[Status, int | None, int | None]:
    fulfilled = draft.fulfilled.day if draft.fulfilled else None
    if fulfilled is not None and fulfilled <= draft.due:
        return Status.MET, None, None
    if draft.waived_by is not None:
        return Status.WAIVED, None, None
    if fulfilled is not None:
        return Status.MET_LATE, (fulfilled - draft.due).days, None
    last_in_group = rs.horizon
    if rs.end is not None and rs.end <= draft.due:
        return Status.LAPSED, None, None
    if rs.as_of > draft.due:
        return Status.OVERDUE, None, (last_in_group - draft.due).days
    return Status.OPEN, None, None


def _rolling(rs: RuleSpan, anchor: date) -> list[_Draft]:
    rule = rs.rule
    assert rule.interval is not None
    drafts: list[_Draft] = []
    used: set[int] = set()
    if rule.anchor is Anchor.FIRST_FOLLOWUP:
        used.update(i for i, c in enumerate(rs.candidates) if c.day == anchor)
    current = anchor
    first = rule.duration or rule.interval
    for k in range(1, (rule.max_items or _MAX_ITEMS) + 1):
        if current > rs.horizon:
            break
        point = _point(rs, current, first if k == 1 else rule.interval)
        if point.day is None:
            break
        draft = _Draft(k, current, point.day, [_step("due", point)])
        for incident in rs.incidents:
            if (rs.policies.no_show is NoShowPolicy.RESTART_FROM_CONTACT and incident.contact
                    and draft.due >= incident.no_show
                    and not _fulfilled_before(rs, draft, used, incident.no_show)):
                _suspend(draft, incident)
        _apply_exemptions(rs, draft)
        if not rule.valid_on(_selector_day(rs, draft)):
            if draft.opens > (rule.valid_to or date.max):
                break
            current = draft.due
            continue
        strict = rule.interval_from is IntervalFrom.LAST_FULFILMENT and (
            k > 1 or rule.anchor is Anchor.FIRST_FOLLOWUP)
        _take(rs, draft, used, rs.horizon, after_opens=strict)
        drafts.append(draft)
        if draft.waived_by is not None:
            exemption_end = next((e.end for e in rs.exemptions if e.covers(draft.due)), None)
            if exemption_end is None:
                break
            current = exemption_end
            first = rule.interval
            continue
        if rule.interval_from is IntervalFrom.LAST_FULFILMENT:
            if draft.fulfilled is None:
                break
            current = draft.fulfilled.day
        else:
            current = draft.due
    return drafts


def _fulfilled_before(rs: RuleSpan, draft: _Draft, used: set[int], day: date) -> bool:
    return any(i not in used and draft.opens <= c.day < day
               for i, c in enumerate(rs.candidates))


def _selector_day(rs: RuleSpan, draft: _Draft) -> date:
    selector = rs.selector
    if selector is VersionSelector.OPENS:
        return draft.opens
    return draft.due if selector is VersionSelector.DUE else rs.course.start


def build_obligations(rs: RuleSpan) -> list[Obligation]:
    """All obligations of one rule on one span, judged at ``rs.as_of``."""
    rule = rs.rule
    if rule.shape is Shape.ROLLING:
        drafts = _rolling(rs, rs.anchor)
    else:
        drafts = _select_versions(rs, _generate(rs, rs.anchor))
        for draft in drafts:
            _apply_exemptions(rs, draft)
        if rs.policies.no_show is NoShowPolicy.RESTART_FROM_CONTACT and rs.incidents:
            drafts = _restart(rs, drafts)
        _match(rs, drafts)
        for draft in drafts:
            _loentilskud_grace(rule, draft)
    anchor_step = TraceStep("anchor", rs.anchor, rs.anchor_text)
    base_policies = tuple(sorted((*rule.fixed_policies, *rs.policy_items,
                                  ("version_selector", rs.selector.value))))
    policies = dict(base_policies)
    obligations = []
    for draft in drafts:
        status, late, overdue = _status(rs, draft)
        used_summons = draft.fulfilled is not None and draft.fulfilled.by_summons
        applied_policies = base_policies
        if draft.policy_notes:
            applied = dict(policies)
            applied.update(draft.policy_notes)
            applied_policies = tuple(sorted(applied.items()))
        if used_summons:
            draft.trace.append(TraceStep("no_show_policy", draft.fulfilled.day if draft.fulfilled
                                         else None, "timely summons followed by an unexcused "
                                         "no-show counts as fulfilled (timely_summons_counts)"))
        obligation = Obligation(
            rule=rule, sequence=draft.sequence, group=rs.group, course_start=rs.course.start,
            opens=draft.opens, due=draft.due, status=status,
            fulfilled_on=draft.fulfilled.day if draft.fulfilled else None,
            fulfilment=draft.fulfilled,
            days_late=late, days_overdue=overdue,
            policies=applied_policies,
            trace=(anchor_step, *draft.trace), no_show_incident=bool(rs.incidents),
        )
        obligations.append(obligation)
    return obligations
