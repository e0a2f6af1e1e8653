"""Membership periods ("courses"): one stretch of a benefit as LAB § 9 counts it.

For the contiguous benefits (kontanthjælp, uddannelseshjælp, ressourceforløbsydelse,
ledighedsydelse, ...) a sammenhængende periode on the same benefit, broken only by a whole
calendar month without it (bek. 1216/2023 § 8 stk. 3-4) and restarted by a benefit change
(§ 9 stk. 1 nr. 2); for dagpenge the sammenlagt ledighed from the indplacering, summed across
gaps until a new indplacering or a 5-year gap (§ 9 stk. 2 nr. 1, stk. 7). Inside a course the
person is in one target group at a time (``group_changed``). Each course carries the hour
figures of the law it is measured under (:class:`lab_rules.law.clocks.ClockHours`), so a clock
on it needs nothing else.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import attrs

from lab_rules.calendar import Rounding, add
from lab_rules.core.slots import slot_setter
from lab_rules.core.vocabulary import Benefit, TargetGroup
from lab_rules.inputs.timeline import (
    BenefitEnded,
    BenefitStarted,
    FirstContact,
    FollowupRequested,
    GroupChanged,
    Registered,
    SicknessReported,
    Timeline,
    TransferredToJobcenter,
)
from lab_rules.law.clocks import ClockHours, bundled_clock_hours
from lab_rules.law.params import nearest

DEFAULT_GROUP: dict[Benefit, TargetGroup] = {
    Benefit.DAGPENGE: TargetGroup.DAGPENGE,
    Benefit.KONTANTHJAELP: TargetGroup.JOBPARAT_KONTANTHJAELP,
    Benefit.UDDANNELSESHJAELP: TargetGroup.UDDANNELSESPARAT_UDDANNELSESHJAELP,
    Benefit.OVERGANGSYDELSE: TargetGroup.JOBPARAT_KONTANTHJAELP,
    Benefit.SYGEDAGPENGE: TargetGroup.SYGEDAGPENGE,
    Benefit.JOBAFKLARINGSYDELSE: TargetGroup.JOBAFKLARINGSFORLOEB,
    Benefit.RESSOURCEFORLOEBSYDELSE: TargetGroup.RESSOURCEFORLOEB,
    Benefit.LEDIGHEDSYDELSE: TargetGroup.FLEKSJOBVISITERET,
    Benefit.REVALIDERINGSYDELSE: TargetGroup.REVALIDERING,
    Benefit.FOERTIDSPENSION: TargetGroup.FOERTIDSPENSION,
    Benefit.FLEKSLOENTILSKUD: TargetGroup.FLEKSJOB_ANSAT,
    Benefit.INTEGRATIONSYDELSE: TargetGroup.INTEGRATIONSPROGRAM,
    Benefit.SELVFORSOERGELSES_OG_HJEMREJSEYDELSE: TargetGroup.INTEGRATIONSPROGRAM,
    Benefit.KONTANTYDELSE: TargetGroup.KONTANTYDELSE,
}
"""Target group assumed when a benefit starts without one (noted in the result)."""

_HELP = frozenset({Benefit.KONTANTHJAELP, Benefit.OVERGANGSYDELSE, Benefit.INTEGRATIONSYDELSE,
                   Benefit.SELVFORSOERGELSES_OG_HJEMREJSEYDELSE})
"""Help of LAS kap. 4: outside the integration programme its recipients are in the kontanthjælp
groups (LAB lbk 280/2024 § 6, nr. 2-3), inside it in the programme."""

GROUP_BENEFITS: dict[TargetGroup, frozenset[Benefit]] = {
    TargetGroup.DAGPENGE: frozenset({Benefit.DAGPENGE}),
    TargetGroup.JOBPARAT_KONTANTHJAELP: _HELP,
    TargetGroup.AKTIVITETSPARAT_KONTANTHJAELP: _HELP,
    TargetGroup.UDDANNELSESPARAT_UDDANNELSESHJAELP: frozenset({Benefit.UDDANNELSESHJAELP,
                                                               Benefit.OVERGANGSYDELSE}),
    TargetGroup.AKTIVITETSPARAT_UDDANNELSESHJAELP: frozenset({Benefit.UDDANNELSESHJAELP,
                                                              Benefit.OVERGANGSYDELSE}),
    TargetGroup.SYGEDAGPENGE: frozenset({Benefit.SYGEDAGPENGE}),
    TargetGroup.JOBAFKLARINGSFORLOEB: frozenset({Benefit.JOBAFKLARINGSYDELSE}),
    TargetGroup.RESSOURCEFORLOEB: frozenset({Benefit.RESSOURCEFORLOEBSYDELSE}),
    TargetGroup.FLEKSJOBVISITERET: frozenset({Benefit.LEDIGHEDSYDELSE}),
    TargetGroup.REVALIDERING: frozenset({Benefit.REVALIDERINGSYDELSE}),
    TargetGroup.FOERTIDSPENSION: frozenset({Benefit.FOERTIDSPENSION}),
    TargetGroup.FLEKSJOB_ANSAT: frozenset({Benefit.FLEKSLOENTILSKUD}),
    TargetGroup.INTEGRATIONSPROGRAM: _HELP,
    TargetGroup.KONTANTYDELSE: frozenset({Benefit.KONTANTYDELSE}),
}
"""Which benefits a target group can be received on: a group change applies to the course of
a matching benefit only (a kontanthjælp visitation does not touch a parallel dagpenge course)."""

_NOT_A_COURSE = frozenset({
    Benefit.BARSELSDAGPENGE, Benefit.SU, Benefit.EFTERLOEN, Benefit.FOLKEPENSION,
    Benefit.FLEKSYDELSE, Benefit.DELPENSION, Benefit.FERIEDAGPENGE, Benefit.JOBROTATIONSYDELSE,
    Benefit.VOKSENLAERLINGETILSKUD, Benefit.SENIORJOB, Benefit.EFTERLEVELSESPENSION,
    Benefit.TIDLIG_PENSION, Benefit.SELVSTAENDIGTILSKUD, Benefit.FLEKSJOBTILSKUD,
    Benefit.KONTANTHJAELP_EFTERLOENSALDER, Benefit.FOERTIDSPENSION_FOER_2003,
    Benefit.FOERTIDSPENSION_UDLAND})
"""Benefits with no contact course of their own (LAB § 6 names none of them): they count for
refund (BEK 1772/2015 § 3, stk. 2) but open no course."""

_SYGEDAGPENGE = Benefit.SYGEDAGPENGE
"""Bound once: on Python 3.11 reading a member off its class goes through
``EnumType.__getattr__``'s lookup hook, and :func:`build_courses` asks for every benefit."""


@attrs.frozen
class Span:
    """Inclusive days ``start``..``end`` (``end`` None: still running)."""

    start: date
    end: date | None

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen
class GroupSpan:
    group: TargetGroup
    start: date
    end: date | None
    assumed: bool = False


@attrs.frozen
class Course:
    """One benefit period as LAB § 9 counts it, with its anchors and group spans."""

    benefit: Benefit | None
    start: date
    end: date | None
    segments: tuple[Span, ...]
    groups: tuple[GroupSpan, ...]
    first_contact: date | None = None
    registered: date | None = None
    transfer: date | None = None
    sickness: SicknessReported | None = None
    follows_other_course: bool = False
    followup_requested: date | None = None
    sickness_known: date | None = None
    clock_hours: tuple[ClockHours, ...] = ()
    """The dagpenge clock's figures (empty: the bundled national ones)."""

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


_NEW = object.__new__
_SET_SPAN_START = slot_setter(Span, "start")
_SET_SPAN_END = slot_setter(Span, "end")
_SET_GROUP_GROUP = slot_setter(GroupSpan, "group")
_SET_GROUP_START = slot_setter(GroupSpan, "start")
_SET_GROUP_END = slot_setter(GroupSpan, "end")
_SET_GROUP_ASSUMED = slot_setter(GroupSpan, "assumed")
_SET_BENEFIT = slot_setter(Course, "benefit")
_SET_START = slot_setter(Course, "start")
_SET_END = slot_setter(Course, "end")
_SET_SEGMENTS = slot_setter(Course, "segments")
_SET_GROUPS = slot_setter(Course, "groups")
_SET_FIRST_CONTACT = slot_setter(Course, "first_contact")
_SET_REGISTERED = slot_setter(Course, "registered")
_SET_TRANSFER = slot_setter(Course, "transfer")
_SET_SICKNESS = slot_setter(Course, "sickness")
_SET_FOLLOWS = slot_setter(Course, "follows_other_course")
_SET_REQUESTED = slot_setter(Course, "followup_requested")
_SET_SICKNESS_KNOWN = slot_setter(Course, "sickness_known")
_SET_CLOCK_HOURS = slot_setter(Course, "clock_hours")


def span(start: date, end: date | None) -> Span:
    """``Span(start, end)`` built by setting its slots directly (:mod:`lab_rules.core.slots`;
    ``tests/test_course_classes_built.py`` pins it against the class's ``__init__``)."""
    built = _NEW(Span)
    _SET_SPAN_START(built, start)
    _SET_SPAN_END(built, end)
    return built


def group_span(group: TargetGroup, start: date, end: date | None, assumed: bool) -> GroupSpan:
    """``GroupSpan(...)`` with every field given, built by setting its slots directly."""
    built = _NEW(GroupSpan)
    _SET_GROUP_GROUP(built, group)
    _SET_GROUP_START(built, start)
    _SET_GROUP_END(built, end)
    _SET_GROUP_ASSUMED(built, assumed)
    return built


def course(benefit: Benefit | None, start: date, end: date | None, segments: tuple[Span, ...],
           groups: tuple[GroupSpan, ...], first_contact: date | None, registered: date | None,
           transfer: date | None, sickness: SicknessReported | None,
           follows_other_course: bool, followup_requested: date | None,
           sickness_known: date | None, clock_hours: tuple[ClockHours, ...]) -> Course:
    """``Course(...)`` with every field given, built by setting its slots directly: the
    class's ``__init__`` sets its 13 fields through ``object.__setattr__`` by name, and every
    person has a course or two."""
    built = _NEW(Course)
    _SET_BENEFIT(built, benefit)
    _SET_START(built, start)
    _SET_END(built, end)
    _SET_SEGMENTS(built, segments)
    _SET_GROUPS(built, groups)
    _SET_FIRST_CONTACT(built, first_contact)
    _SET_REGISTERED(built, registered)
    _SET_TRANSFER(built, transfer)
    _SET_SICKNESS(built, sickness)
    _SET_FOLLOWS(built, follows_other_course)
    _SET_REQUESTED(built, followup_requested)
    _SET_SICKNESS_KNOWN(built, sickness_known)
    _SET_CLOCK_HOURS(built, clock_hours)
    return built


def _whole_month_between(last_day: date, next_start: date) -> bool:
    """True if a whole calendar month lies strictly between the two days."""
    first_free = last_day + timedelta(days=1)
    month_start = first_free if first_free.day == 1 else _month_end(first_free) + timedelta(days=1)
    return _month_end(month_start) < next_start


def _month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def _runs(timeline: Timeline) -> list[tuple[BenefitStarted, date | None]]:
    """Each benefit_started with the last day of its run (None while it runs)."""
    open_runs: dict[Benefit, BenefitStarted] = {}
    runs: list[tuple[BenefitStarted, date | None]] = []
    for event in timeline.of_types(BenefitStarted, BenefitEnded):
        if isinstance(event, BenefitStarted):
            open_runs[event.benefit] = event
        elif isinstance(event, BenefitEnded) and event.benefit in open_runs:
            runs.append((open_runs.pop(event.benefit), event.date))
    runs.extend((started, None) for started in open_runs.values())
    if len(runs) > 1:
        runs.sort(key=lambda run: (run[0].date, run[0].benefit.value))
    return runs


def _compatible(group: TargetGroup, benefit: Benefit | None) -> bool:
    return benefit in GROUP_BENEFITS.get(group, frozenset())


def _group_changes(timeline: Timeline, benefit: Benefit,
                   runs: Sequence[tuple[BenefitStarted, date | None]]
                   ) -> list[tuple[date, TargetGroup]]:
    """The group changes that apply to one benefit's course, in date order."""
    changes = [(started.date, started.group) for started, _ in runs if started.group is not None]
    changes += [(e.date, e.group) for e in timeline.of_type(GroupChanged)
                if _compatible(e.group, benefit)]
    if len(changes) > 1:
        changes.sort(key=lambda change: change[0])
    return changes


def _split_by_group(start: date, end: date | None, initial: TargetGroup, assumed: bool,
                    changes: Sequence[tuple[date, TargetGroup]]) -> tuple[GroupSpan, ...]:
    spans: list[GroupSpan] = []
    group, since = initial, start
    for day, new_group in changes:
        if day <= start or (end is not None and day > end) or new_group == group:
            if day <= start:
                group, assumed = new_group, False
            continue
        spans.append(group_span(group, since, day - timedelta(days=1), assumed))
        group, since, assumed = new_group, day, False
    spans.append(group_span(group, since, end, assumed))
    return tuple(spans)


def _latest(days: Iterable[date], not_after: date, not_before: date | None) -> date | None:
    found = [d for d in days if d <= not_after and (not_before is None or d > not_before)]
    return max(found) if found else None


def build_courses(timeline: Timeline, clock_hours: tuple[ClockHours, ...] = ()
                  ) -> tuple[Course, ...]:
    """Derive the benefit courses of a timeline (already cut at ``as_of``), each measured by
    *clock_hours* (a :class:`~lab_rules.law.bundle.Law`'s ``clock_hours``)."""
    merged: list[tuple[Benefit, list[tuple[BenefitStarted, date | None]]]] = []
    for started, end in _runs(timeline):
        if started.benefit in _NOT_A_COURSE:
            continue
        previous = next((m for m in reversed(merged) if m[0] is started.benefit), None)
        if previous is not None and _continues(previous[1][-1], started, clock_hours):
            previous[1].append((started, end))
        else:
            merged.append((started.benefit, [(started, end)]))

    first_contacts = [e.date for e in timeline.of_type(FirstContact)]
    registrations = [e.date for e in timeline.of_type(Registered)]
    transfers = [e.date for e in timeline.of_type(TransferredToJobcenter)]
    sicknesses = timeline.of_type(SicknessReported)
    courses: list[Course] = []
    ends = sorted((runs[-1][1] or date.max, runs[0][0].date) for _, runs in merged)
    for benefit, runs in merged:
        start = runs[0][0].date
        end = runs[-1][1]
        previous_end = max((e for e, s in ends if e < start), default=None)
        changes = _group_changes(timeline, benefit, runs)
        given = _group_at(changes, start)
        initial = given or DEFAULT_GROUP.get(benefit)
        assumed = given is None
        groups = () if initial is None else _split_by_group(start, end, initial, assumed, changes)
        follows = previous_end is not None and (start - previous_end).days <= 1
        first_contact = _latest(first_contacts, start, previous_end)
        registered = _latest(registrations, start, previous_end) or next(
            (d for d in registrations if d >= start and (end is None or d <= end)), None)
        transfer = next((d for d in transfers if d >= start and (end is None or d <= end)), None)
        sickness = None
        requested = None
        if benefit is _SYGEDAGPENGE:
            sickness = min(sicknesses, default=None,
                           key=lambda s: abs((s.first_absence_day - start).days))
            requested = next((r.date for r in timeline.of_type(FollowupRequested)
                              if r.date >= start and (end is None or r.date <= end)), None)
        known_sick = None
        if benefit is not _SYGEDAGPENGE:
            known_sick = next((s.date for s in sicknesses
                               if s.date >= start and (end is None or s.date <= end)), None)
        courses.append(course(
            benefit, start, end, tuple(_segment(s, e) for s, e in runs), groups,
            first_contact, registered, transfer, sickness, follows, requested, known_sick,
            clock_hours))
    if timeline.of_type(GroupChanged):
        courses.extend(_standalone_groups(timeline, courses))
    if len(courses) > 1:
        courses.sort(key=lambda c: (c.start, c.benefit.value if c.benefit else ""))
    return tuple(courses)


def _segment(started: BenefitStarted, end: date | None) -> Span:
    return span(started.date, end)


def _group_at(changes: Sequence[tuple[date, TargetGroup]], day: date) -> TargetGroup | None:
    group = None
    for when, new_group in changes:
        if when <= day:
            group = new_group
    return group


def _continues(last: tuple[BenefitStarted, date | None], started: BenefitStarted,
               clock_hours: tuple[ClockHours, ...]) -> bool:
    """Does a new start of the same benefit continue the previous course (LAB § 9)? Dagpenge
    continue unless a new dagpengeperiode starts or the gap reaches the clock entry's
    ``restart_after`` (5 years)."""
    last_end = last[1]
    if last_end is None:
        return True
    if started.benefit is Benefit.DAGPENGE:
        figures: ClockHours = nearest(clock_hours or bundled_clock_hours(), last_end)
        restart = add(last_end, figures.restart_after, Rounding.DOWN)
        return not started.new_period and started.date <= restart
    return not _whole_month_between(last_end, started.date)


def _standalone_groups(timeline: Timeline, courses: Sequence[Course]) -> list[Course]:
    """Group memberships without a benefit (fleksjob_ansat, selvforsoergende, ...)."""
    standalone = []
    changes = timeline.of_type(GroupChanged)
    for index, change in enumerate(changes):
        if any(c.span.contains(change.date) and _compatible(change.group, c.benefit)
               for c in courses):
            continue
        later = [c.start for c in courses if c.start > change.date]
        later += [c.date for c in changes[index + 1:]]
        end = min(later) - timedelta(days=1) if later else None
        standalone.append(Course(None, change.date, end, (Span(change.date, end),),
                                 (GroupSpan(change.group, change.date, end),)))
    return standalone
