"""Clocks that measure time inside a course (:mod:`lab_rules.facts.courses`).

A clock turns "6 months" on a course into a date: calendar time (contiguous), days on the
benefit (cumulative days, ``semantics.md`` §2), or dagpenge hours, each with the periods a rule
excludes. The hour figures (hours a week, a month, a weekday on dagpenge, the a-kasse's
handover, whether public holidays count) are the law's, read from the course's
:class:`~lab_rules.law.clocks.ClockHours` entries; every hour reading names the entry it used.
"""

from __future__ import annotations

from bisect import bisect_left
from calendar import monthrange
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import NamedTuple

import attrs

from lab_rules.calendar import (
    DanishCalendar,
    Duration,
    Reading,
    Roll,
    Rounding,
    add,
    weekdays_between,
)
from lab_rules.core.messages import Message, text
from lab_rules.core.slots import new_tuple
from lab_rules.facts.courses import (
    DEFAULT_GROUP,
    GROUP_BENEFITS,
    Course,
    GroupSpan,
    Span,
    build_courses,
)
from lab_rules.facts.points import Point, calendar_point
from lab_rules.law.clocks import ClockHours, bundled_clock_hours
from lab_rules.law.model import Clock
from lab_rules.law.params import nearest

__all__ = ["DEFAULT_GROUP", "GROUP_BENEFITS", "ClockReading", "Course", "CourseClock",
           "GroupSpan", "Point", "Span", "build_courses"]

_WEEKDAYS = 5
"""Monday to Friday: the days that carry dagpenge hours."""
_ONE_DAY = timedelta(days=1)
"""Made once: building a ``timedelta`` from keywords costs more than the date sum it is for."""


def _counts(day: date, calendar: DanishCalendar, holidays: bool) -> bool:
    return day.weekday() < _WEEKDAYS and (holidays or calendar.holiday_name(day) is None)


def _nth_weekday(start: date, n: int) -> date:
    """The n-th weekday (n ≥ 1) counting from *start* inclusive."""
    day = start
    while day.weekday() >= _WEEKDAYS:
        day += _ONE_DAY
    weeks, rest = divmod(n - 1, _WEEKDAYS)
    day += timedelta(weeks=weeks)
    while rest:
        day += _ONE_DAY
        if day.weekday() < _WEEKDAYS:
            rest -= 1
    return day


def _walk(start: date, end: date, remaining: Decimal, per_day: Decimal,
          calendar: DanishCalendar) -> tuple[date | None, Decimal]:
    """Day by day, skipping public holidays: the day *remaining* hours are reached, or None
    and the hours still missing after *end*."""
    day = start
    while day <= end:
        if _counts(day, calendar, False):
            remaining -= per_day
            if remaining <= 0:
                return day, remaining
        day += _ONE_DAY
    return None, remaining


def _next_day(day: date, calendar: DanishCalendar, holidays: bool) -> date:
    """The next day after *day* that carries dagpenge hours."""
    day += _ONE_DAY
    while not _counts(day, calendar, holidays):
        day += _ONE_DAY
    return day


@attrs.frozen(slots=True)
class Hours:
    """A number of hours in words: as the figure is written (``7.4``), with a decimal comma
    in Danish (``7,4``)."""

    value: Decimal | int

    def describe(self, lang: str = "en") -> str:
        figure = str(self.value)
        return figure.replace(".", ",") if lang == "da" else figure


class ClockReading(NamedTuple):
    """How a cumulative clock reached a point; rendered to words only when asked (a named
    tuple: one is made per point of a cumulative clock)."""

    unit: str
    anchor: date
    duration: Duration
    needed: Decimal | int
    reached: date | None
    result: date | None
    reading: Reading
    figures: ClockHours | None = None
    """The hour figures used (hour clocks only)."""

    def describe(self, lang: str = "en") -> str:
        span = self.duration.describe(lang)
        if self.unit == "days":
            if self.result is None:
                return text("contact.clock.days_not_reached", lang, anchor=self.anchor,
                            span=span, needed=self.needed)
            return text("contact.clock.days", lang, anchor=self.anchor, span=span,
                        needed=self.needed, reading=text(f"contact.reading.{self.reading.value}",
                                                         lang),
                        result=self.result)
        if self.reached is None:
            return text("contact.clock.hours_not_reached", lang, anchor=self.anchor, span=span,
                        needed=Hours(self.needed))
        figures = self.figures
        per_day = (text("contact.clock.per_day", lang, hours=Hours(figures.weekday_hours))
                   if figures else "")
        entry = (text("contact.clock.entry", lang, basis=figures.legal_basis, entry=figures.id,
                      confidence=text(f"contact.confidence.{figures.weekday_confidence.value}",
                                      lang)) if figures else "")
        rest = ""
        if self.result != self.reached:
            rest = text("contact.clock.next_day", lang, day=self.result)
        elif self.reading is Reading.WITHIN:
            rest = text("contact.clock.same_day", lang)
        return text("contact.clock.hours", lang, anchor=self.anchor, span=span,
                    needed=Hours(self.needed), per_day=per_day, entry=entry, reached=self.reached,
                    rest=rest)


_CALENDAR = DanishCalendar()

_CALENDAR_POINTS: dict[tuple[object, ...], Point] = {}
"""Calendar points on the national calendar, shared by every course and evaluation: a
calendar point is a pure function of its arguments (the anchor, the duration's parts, the
reading, rounding and roll), and a caseload asks for the same few hundred anchors and
durations again and again. Only a cache (emptied when it grows past
:data:`_CALENDAR_POINTS_MAX`): no result depends on it."""
_CALENDAR_POINTS_MAX = 1 << 16

# Enum members read per person, bound once: on Python 3.11 reading a member off its class
# goes through ``EnumType.__getattr__``'s lookup hook, as dear as a short function call.
_CONTIGUOUS = Clock.CONTIGUOUS
_CUMULATIVE_DAYS = Clock.CUMULATIVE_DAYS
_WITHIN = Reading.WITHIN
_UP = Rounding.UP
_LAST_DAY = date.max - _ONE_DAY
"""How far an open-ended clock is counted when no horizon is given."""


class _Counted:
    """The counted spans from one anchor, with running totals for a binary search: ``days[i]``
    is the days in ``spans[0..i]``, ``weekdays[i]`` the Monday-Friday days in them (worked out
    when an hour clock first asks: a day clock never does)."""

    __slots__ = ("_weekdays", "days", "spans")

    def __init__(self, spans: list[tuple[date, date]]) -> None:
        self.spans = spans
        days: list[int] = []
        total = 0
        for start, end in spans:
            total += (end - start).days + 1
            days.append(total)
        self.days = days
        self._weekdays: list[int] | None = None

    @property
    def weekdays(self) -> list[int]:
        found = self._weekdays
        if found is None:
            found = []
            total = 0
            for start, end in self.spans:
                total += weekdays_between(start, end)
                found.append(total)
            self._weekdays = found
        return found


@attrs.define
class CourseClock:
    """Measures elapsed time on one course by one clock kind. Remembers the counted spans per
    anchor, the hour figures per anchor and the calendar points it computed (the only state;
    results never depend on it)."""

    course: Course
    kind: Clock
    excluded: tuple[tuple[date, date], ...] = ()
    calendar: DanishCalendar = _CALENDAR
    _spans: dict[tuple[date, date], _Counted] = attrs.field(factory=dict)
    _figures: dict[date, ClockHours] = attrs.field(factory=dict)
    _points: dict[tuple[object, ...], Point] = attrs.field(factory=dict)

    def figures(self, anchor: date) -> ClockHours:
        """The hour figures in force on *anchor* (or the nearest entry): the course's, else
        the bundled national ones."""
        found = self._figures.get(anchor)
        if found is None:
            found = self._figures[anchor] = nearest(
                self.course.clock_hours or bundled_clock_hours(), anchor)
        return found

    def counted_spans(self, anchor: date, until: date) -> list[tuple[date, date]]:
        """Days from *anchor* that count on this clock, as inclusive spans up to *until*."""
        return self._counted(anchor, until).spans

    def _counted(self, anchor: date, until: date) -> _Counted:
        key = (anchor, until)
        cached = self._spans.get(key)
        if cached is None:
            cached = self._spans[key] = _Counted(self._count(anchor, until))
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
            start = max(self.course.end + _ONE_DAY, anchor)
            if start <= until:
                spans.append((start, until))
        for ex_start, ex_end in self.excluded:
            cut = []
            for start, end in spans:
                if ex_end < start or ex_start > end:
                    cut.append((start, end))
                    continue
                if start < ex_start:
                    cut.append((start, ex_start - _ONE_DAY))
                if end > ex_end:
                    cut.append((ex_end + _ONE_DAY, end))
            spans = cut
        return spans

    def point(self, anchor: date, duration: Duration, reading: Reading, rounding: Rounding,
              roll: Roll = Roll.NONE, horizon: date | None = None) -> Point:
        """The date *duration* after *anchor* on this clock, by *reading*.

        On a cumulative clock the point may lie beyond the known course; then ``day`` is None
        unless the course is still running, in which case it is projected assuming the
        benefit continues.
        """
        # Keyed on the duration's parts, not its equality: 1 year and 12 months are equal
        # durations but read differently in a trace.
        if self.kind is _CONTIGUOUS and self.calendar is _CALENDAR:
            shared = (anchor, duration.years, duration.months, duration.days,
                      duration.in_weeks, id(reading), id(rounding), id(roll))
            found = _CALENDAR_POINTS.get(shared)
            if found is None:
                if len(_CALENDAR_POINTS) >= _CALENDAR_POINTS_MAX:
                    _CALENDAR_POINTS.clear()
                found = _CALENDAR_POINTS[shared] = calendar_point(
                    anchor, duration, reading, rounding, roll, _CALENDAR)
            return found
        key = (anchor, duration.years, duration.months, duration.days, duration.in_weeks,
               id(reading), id(rounding), id(roll), horizon)
        found = self._points.get(key)
        if found is None:
            found = self._points[key] = self._point(anchor, duration, reading, rounding, roll,
                                                    horizon)
        return found

    def _point(self, anchor: date, duration: Duration, reading: Reading, rounding: Rounding,
               roll: Roll, horizon: date | None) -> Point:
        if self.kind is _CONTIGUOUS:
            return calendar_point(anchor, duration, reading, rounding, roll, self.calendar)
        limit = horizon or _LAST_DAY
        if self.kind is _CUMULATIVE_DAYS:
            return self._cumulative_days(anchor, duration, reading, rounding, limit)
        return self._hours(anchor, duration, reading, limit)

    def _cumulative_days(self, anchor: date, duration: Duration, reading: Reading,
                         rounding: Rounding, limit: date) -> Point:
        target_rounding = _UP if reading is _WITHIN else rounding
        calendar_end = add(anchor, duration, target_rounding)
        needed = (calendar_end - anchor).days
        counted = self._counted(anchor, limit)
        at = bisect_left(counted.days, needed)
        if at == len(counted.spans):
            return Point(None, ClockReading("days", anchor, duration, needed, None, None,
                                            reading))
        before = counted.days[at - 1] if at else 0
        # The day by its ordinal: no timedelta to build (it lies in a span, so in range).
        nth = date.fromordinal(counted.spans[at][0].toordinal() + needed - before - 1)
        day = nth if reading is _WITHIN else nth + _ONE_DAY
        return new_tuple(Point, (day, new_tuple(ClockReading, (
            "days", anchor, duration, needed, nth, day, reading, None)), False))

    def hours_needed(self, duration: Duration, anchor: date) -> Decimal:
        """Months at the month's hours, weeks at the week's, single days at a weekday's (the
        figures in force on *anchor*)."""
        figures = self.figures(anchor)
        weeks, days = divmod(duration.days, 7)
        return (figures.month_hours * duration.total_months + figures.week_hours * weeks
                + figures.weekday_hours * days)

    def completion_day(self, anchor: date, hours: Decimal, limit: date) -> date | None:
        """The day on which the dagpenge hours counted from *anchor* reach *hours*."""
        figures = self.figures(anchor)
        per_day = figures.weekday_hours
        counted = self._counted(anchor, limit)
        if not figures.public_holidays_count:
            remaining = hours
            for start, end in counted.spans:
                done, remaining = _walk(start, end, remaining, per_day, self.calendar)
                if done is not None:
                    return done
            return None
        # The first span whose running weekday total carries the hours, found by bisection
        # on the running totals (the same exact Decimal sums a span-by-span walk makes).
        weekdays = counted.weekdays
        low, high = 0, len(weekdays)
        while low < high:
            middle = (low + high) // 2
            if hours <= per_day * weekdays[middle]:
                high = middle
            else:
                low = middle + 1
        if low == len(weekdays):
            return None
        remaining = hours - per_day * weekdays[low - 1] if low else hours
        n = int((remaining / per_day).to_integral_value(ROUND_CEILING))
        return _nth_weekday(counted.spans[low][0], max(n, 1))

    def _hours(self, anchor: date, duration: Duration, reading: Reading, limit: date) -> Point:
        figures = self.figures(anchor)
        needed = self.hours_needed(duration, anchor)
        done = self.completion_day(anchor, needed, limit)
        if done is None:
            return Point(None, ClockReading("hours", anchor, duration, needed, None, None,
                                            reading, figures))
        day = (done if reading is _WITHIN
               else _next_day(done, self.calendar, figures.public_holidays_count))
        return Point(day, ClockReading("hours", anchor, duration, needed, done, day, reading,
                                       figures))

    def transfer_day(self, anchor: date, limit: date) -> Point:
        """First day with the jobcentre: the 1st of the month after the a-kasse has registered
        the handover hours' forbrug (the entry's ``transfer_hours`` and ``transfer_basis``)."""
        figures = self.figures(anchor)
        if figures.transfer_hours is None:
            return Point(None, Message("contact.anchor.no_handover", entry=figures.id))
        done = self.completion_day(anchor, figures.transfer_hours, limit)
        if done is None:
            return Point(None, Message("contact.anchor.hours_not_reached",
                                       hours=Hours(figures.transfer_hours)))
        first = done.replace(day=monthrange(done.year, done.month)[1]) + _ONE_DAY
        return Point(first, Message("contact.anchor.hours_reached",
                                    hours=Hours(figures.transfer_hours),
                                    done=done, basis=figures.transfer_basis, first=first))

