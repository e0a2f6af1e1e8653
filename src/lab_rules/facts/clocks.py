"""Membership periods ("courses") and the clocks that measure time inside them.

A *course* is one stretch of a benefit as LAB § 9 counts it: for the contiguous benefits
(kontanthjælp, uddannelseshjælp, ressourceforløbsydelse, ledighedsydelse, ...) a
sammenhængende periode on the same benefit, broken only by a whole calendar month without it
(bek. 1216/2023 § 8 stk. 3-4) and restarted by a benefit change (§ 9 stk. 1 nr. 2); for
dagpenge the sammenlagt ledighed from the indplacering, summed across gaps until a new
indplacering or a 5-year gap (§ 9 stk. 2 nr. 1, stk. 7). Inside a course the person is in one
target group at a time (``group_changed``).

A clock turns "6 months" on a course into a date: calendar time (contiguous), days on the
benefit (cumulative days, ``semantics.md`` §2), or dagpenge hours (37 h a week, 160,33 h a
month, bek. 2636/2021 and 1216/2023 § 7), each with the periods a rule excludes (the COVID
months of bek. 2636/2021 § 7 stk. 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import attrs

from lab_rules.calendar import (
    DanishCalendar,
    DateComputation,
    Duration,
    Reading,
    Roll,
    Rounding,
    add,
    deadline,
    weekdays_between,
)
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
from lab_rules.law.model import Clock

HOURS_PER_WEEKDAY = Decimal("7.4")
HOURS_PER_WEEK = Decimal("37")
HOURS_PER_MONTH = Decimal("160.33")
TRANSFER_HOURS = Decimal("410")
"""A-kasse keeps the dagpenge course until the end of the month with 410 h forbrug
(bek. 1216/2023 § 7 stk. 2; full-time)."""

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
}
"""Target group assumed when a benefit starts without one (noted in the result)."""

GROUP_BENEFITS: dict[TargetGroup, frozenset[Benefit]] = {
    TargetGroup.DAGPENGE: frozenset({Benefit.DAGPENGE}),
    TargetGroup.JOBPARAT_KONTANTHJAELP: frozenset({Benefit.KONTANTHJAELP,
                                                   Benefit.OVERGANGSYDELSE}),
    TargetGroup.AKTIVITETSPARAT_KONTANTHJAELP: frozenset({Benefit.KONTANTHJAELP,
                                                          Benefit.OVERGANGSYDELSE}),
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
}
"""Which benefits a target group can be received on: a group change applies to the course of
a matching benefit only (a kontanthjælp visitation does not touch a parallel dagpenge course)."""

_NOT_A_COURSE = {Benefit.BARSELSDAGPENGE, Benefit.SU, Benefit.EFTERLOEN}


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

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def _whole_month_between(last_day: date, next_start: date) -> bool:
    """True if a whole calendar month lies strictly between the two days."""
    first_free = last_day + timedelta(days=1)
    month_start = first_free if first_free.day == 1 else add(
        first_free.replace(day=1), Duration(months=1), Rounding.STRICT)
    month_end = add(month_start, Duration(months=1), Rounding.STRICT) - timedelta(days=1)
    return month_end < next_start


def _runs(timeline: Timeline) -> list[tuple[BenefitStarted, date | None]]:
    """Each benefit_started with the last day of its run (None while it runs)."""
    open_runs: dict[Benefit, BenefitStarted] = {}
    runs: list[tuple[BenefitStarted, date | None]] = []
    for event in timeline.events:
        if isinstance(event, BenefitStarted):
            open_runs[event.benefit] = event
        elif isinstance(event, BenefitEnded) and event.benefit in open_runs:
            runs.append((open_runs.pop(event.benefit), event.date))
    runs.extend((started, None) for started in open_runs.values())
    return sorted(runs, key=lambda run: (run[0].date, run[0].benefit.value))


def _compatible(group: TargetGroup, benefit: Benefit | None) -> bool:
    return benefit in GROUP_BENEFITS.get(group, frozenset())


def _group_changes(timeline: Timeline, benefit: Benefit,
                   runs: Sequence[tuple[BenefitStarted, date | None]]
                   ) -> list[tuple[date, TargetGroup]]:
    """The group changes that apply to one benefit's course, in date order."""
    changes = [(started.date, started.group) for started, _ in runs if started.group is not None]
    changes += [(e.date, e.group) for e in timeline.of_type(GroupChanged)
                if _compatible(e.group, benefit)]
    return sorted(changes, key=lambda change: change[0])


def _split_by_group(start: date, end: date | None, initial: TargetGroup, assumed: bool,
                    changes: Sequence[tuple[date, TargetGroup]]) -> tuple[GroupSpan, ...]:
    spans: list[GroupSpan] = []
    group, since = initial, start
    for day, new_group in changes:
        if day <= start or (end is not None and day > end) or new_group == group:
            if day <= start:
                group, assumed = new_group, False
            continue
        spans.append(GroupSpan(group, since, day - timedelta(days=1), assumed))
        group, since, assumed = new_group, day, False
    spans.append(GroupSpan(group, since, end, assumed))
    return tuple(spans)


def _latest(days: Iterable[date], not_after: date, not_before: date | None) -> date | None:
    found = [d for d in days if d <= not_after and (not_before is None or d > not_before)]
    return max(found) if found else None


def build_courses(timeline: Timeline) -> tuple[Course, ...]:
    """Derive the benefit courses of a timeline (already cut at ``as_of``)."""
    merged: list[tuple[Benefit, list[tuple[BenefitStarted, date | None]]]] = []
    for started, end in _runs(timeline):
        if started.benefit in _NOT_A_COURSE:
            continue
        previous = next((m for m in reversed(merged) if m[0] is started.benefit), None)
        if previous is not None and _continues(previous[1][-1], started):
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
        if benefit is Benefit.SYGEDAGPENGE:
            sickness = min(sicknesses, default=None,
                           key=lambda s: abs((s.first_absence_day - start).days))
            requested = next((r.date for r in timeline.of_type(FollowupRequested)
                              if r.date >= start and (end is None or r.date <= end)), None)
        known_sick = None
        if benefit is not Benefit.SYGEDAGPENGE:
            known_sick = next((s.date for s in sicknesses
                               if s.date >= start and (end is None or s.date <= end)), None)
        courses.append(Course(
            benefit, start, end, tuple(_segment(s, e) for s, e in runs), groups,
            first_contact, registered, transfer, sickness, follows, requested, known_sick))
    courses.extend(_standalone_groups(timeline, courses))
    return tuple(sorted(courses, key=lambda c: (c.start, c.benefit.value if c.benefit else "")))


def _segment(started: BenefitStarted, end: date | None) -> Span:
    return Span(started.date, end)


def _group_at(changes: Sequence[tuple[date, TargetGroup]], day: date) -> TargetGroup | None:
    group = None
    for when, new_group in changes:
        if when <= day:
            group = new_group
    return group


def _continues(last: tuple[BenefitStarted, date | None], started: BenefitStarted) -> bool:
    """Does a new start of the same benefit continue the previous course (LAB § 9)?"""
    last_end = last[1]
    if last_end is None:
        return True
    if started.benefit is Benefit.DAGPENGE:
        five_years = add(last_end, Duration(years=5), Rounding.DOWN)
        return not started.new_period and started.date <= five_years
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


def _nth_weekday(start: date, n: int) -> date:
    """The n-th weekday (n ≥ 1) counting from *start* inclusive."""
    day = start
    while day.weekday() >= 5:
        day += timedelta(days=1)
    weeks, rest = divmod(n - 1, 5)
    day += timedelta(days=7 * weeks)
    while rest:
        day += timedelta(days=1)
        if day.weekday() < 5:
            rest -= 1
    return day


def _next_weekday(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@attrs.frozen
class ClockReading:
    """How a cumulative clock reached a point; rendered to words only when asked."""

    unit: str
    anchor: date
    duration: Duration
    needed: Decimal | int
    reached: date | None
    result: date | None
    reading: Reading

    def describe(self, lang: str = "en") -> str:
        span = self.duration.describe(lang)
        if self.unit == "days":
            if self.result is None:
                return (f"{self.anchor} + {span} of cumulative benefit days ({self.needed} days): "
                        "not reached within the known course")
            return (f"{self.anchor} + {span} of cumulative benefit days ({self.needed} days, "
                    f"{self.reading.value}) = {self.result}")
        if self.reached is None:
            return (f"{self.anchor} + {span} = {self.needed} dagpenge hours: not reached within "
                    "the known course")
        text = (f"{self.anchor} + {span} = {self.needed} dagpenge hours at 7.4 h per weekday, "
                f"reached {self.reached}")
        if self.result != self.reached:
            text += f"; deadline the next weekday, {self.result}"
        return text


@attrs.frozen
class Point:
    """A computed date and how it was computed (words rendered on demand)."""

    day: date | None
    detail: str | DateComputation | ClockReading
    rounded: bool = False

    @property
    def text(self) -> str:
        return self.detail if isinstance(self.detail, str) else self.detail.describe("en")


_CALENDAR = DanishCalendar()


@attrs.define
class CourseClock:
    """Measures elapsed time on one course by one clock kind. Remembers the counted spans per
    anchor (the only state; results never depend on it)."""

    course: Course
    kind: Clock
    excluded: tuple[tuple[date, date], ...] = ()
    calendar: DanishCalendar = _CALENDAR
    _spans: dict[tuple[date, date], list[tuple[date, date]]] = attrs.field(factory=dict)

    def counted_spans(self, anchor: date, until: date) -> list[tuple[date, date]]:
        """Days from *anchor* that count on this clock, as inclusive spans up to *until*."""
        key = (anchor, until)
        cached = self._spans.get(key)
        if cached is None:
            cached = self._spans[key] = self._count(anchor, until)
        return cached

    def _count(self, anchor: date, until: date) -> list[tuple[date, date]]:
        spans = []
        for segment in self.course.segments:
            start = max(segment.start, anchor)
            end = min(segment.end or until, until)
            if start <= end:
                spans.append((start, end))
        if self.course.end is not None:
            # Past the end of a finished course the clock is projected as if the benefit had
            # continued, so a point beyond it still has a date (and its obligation lapses).
            start = max(self.course.end + timedelta(days=1), anchor)
            if start <= until:
                spans.append((start, until))
        for ex_start, ex_end in self.excluded:
            cut = []
            for start, end in spans:
                if ex_end < start or ex_start > end:
                    cut.append((start, end))
                    continue
                if start < ex_start:
                    cut.append((start, ex_start - timedelta(days=1)))
                if end > ex_end:
                    cut.append((ex_end + timedelta(days=1), end))
            spans = cut
        return spans

    def point(self, anchor: date, duration: Duration, reading: Reading, rounding: Rounding,
              roll: Roll = Roll.NONE, horizon: date | None = None) -> Point:
        """The date *duration* after *anchor* on this clock, by *reading*.

        On a cumulative clock the point may lie beyond the known course; then ``day`` is None
        unless the course is still running, in which case it is projected assuming the
        benefit continues.
        """
        if self.kind is Clock.CONTIGUOUS:
            computed = deadline(anchor, duration, reading, rounding, roll, self.calendar)
            return Point(computed.result, computed, computed.rounded)
        limit = horizon or date(9999, 12, 30)
        if self.kind is Clock.CUMULATIVE_DAYS:
            return self._cumulative_days(anchor, duration, reading, rounding, limit)
        return self._hours(anchor, duration, reading, limit)

    def _cumulative_days(self, anchor: date, duration: Duration, reading: Reading,
                         rounding: Rounding, limit: date) -> Point:
        target_rounding = Rounding.UP if reading is Reading.WITHIN else rounding
        calendar_end = add(anchor, duration, target_rounding)
        needed = (calendar_end - anchor).days
        remaining = needed
        for start, end in self.counted_spans(anchor, limit):
            length = (end - start).days + 1
            if remaining <= length:
                nth = start + timedelta(days=remaining - 1)
                day = nth if reading is Reading.WITHIN else nth + timedelta(days=1)
                return Point(day, ClockReading("days", anchor, duration, needed, nth, day,
                                               reading))
            remaining -= length
        return Point(None, ClockReading("days", anchor, duration, needed, None, None, reading))

    @staticmethod
    def hours_needed(duration: Duration) -> Decimal:
        """Months at 160,33 h, weeks at 37 h, single days at 7,4 h (bek. 1216/2023 § 7)."""
        weeks, days = divmod(duration.days, 7)
        return (HOURS_PER_MONTH * duration.total_months + HOURS_PER_WEEK * weeks
                + HOURS_PER_WEEKDAY * days)

    def completion_day(self, anchor: date, hours: Decimal, limit: date) -> date | None:
        """The weekday on which the dagpenge hours counted from *anchor* reach *hours*."""
        remaining = hours
        for start, end in self.counted_spans(anchor, limit):
            available = HOURS_PER_WEEKDAY * weekdays_between(start, end)
            if remaining <= available:
                n = int((remaining / HOURS_PER_WEEKDAY).to_integral_value(ROUND_CEILING))
                return _nth_weekday(start, max(n, 1))
            remaining -= available
        return None

    def _hours(self, anchor: date, duration: Duration, reading: Reading, limit: date) -> Point:
        needed = self.hours_needed(duration)
        done = self.completion_day(anchor, needed, limit)
        if done is None:
            return Point(None, ClockReading("hours", anchor, duration, needed, None, None,
                                            reading))
        day = done if reading is Reading.WITHIN else _next_weekday(done)
        return Point(day, ClockReading("hours", anchor, duration, needed, done, day, reading))

    def transfer_day(self, anchor: date, limit: date) -> Point:
        """First day with the jobcentre: the 1st of the month after 410 h (bek. 1216/2023
        § 7 stk. 2)."""
        done = self.completion_day(anchor, TRANSFER_HOURS, limit)
        if done is None:
            return Point(None, "410 dagpenge hours not reached within the known course")
        first = add(done.replace(day=1), Duration(months=1), Rounding.STRICT)
        return Point(first, f"410 dagpenge hours reached {done}; the a-kasse keeps the course "
                     f"to the end of that month, the jobcentre from {first}")
