"""Issue 14: the faster clocks give the days and words the plain computations give.

A calendar point keeps its arithmetic's arguments and works the steps out when read; a
cumulative clock finds its point by bisection on running totals; points are remembered per
clock. Each is pinned here against the straightforward computation it replaced.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.calendar import (
    DanishCalendar,
    Duration,
    Reading,
    Roll,
    Rounding,
    add,
    deadline,
    weekdays_between,
)
from lab_rules.core.errors import AmbiguousDateError
from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.clocks import Course, CourseClock, Span
from lab_rules.facts.points import CalendarSteps, calendar_point
from lab_rules.law.model import Clock

_DAYS = st.dates(date(2000, 1, 1), date(2040, 12, 31))
_DURATIONS = st.builds(Duration, st.integers(0, 3), st.integers(0, 30), st.integers(0, 400))
_READINGS = st.sampled_from([Reading.AFTER, Reading.WITHIN])


@settings(max_examples=300, deadline=None)
@given(_DAYS, _DURATIONS, _READINGS, st.sampled_from(list(Rounding)), st.sampled_from(list(Roll)))
def test_a_calendar_point_is_the_deadline_and_renders_its_steps(
        anchor: date, duration: Duration, reading: Reading, rounding: Rounding,
        roll: Roll) -> None:
    calendar = DanishCalendar()
    try:
        expected = deadline(anchor, duration, reading, rounding, roll, calendar)
    except AmbiguousDateError:
        with pytest.raises(AmbiguousDateError):
            calendar_point(anchor, duration, reading, rounding, roll, calendar)
        return
    point = calendar_point(anchor, duration, reading, rounding, roll, calendar)
    assert point.day == expected.result
    assert point.rounded == expected.rounded
    assert point.text == expected.describe("en")
    assert isinstance(point.detail, CalendarSteps)
    assert point.detail.describe("da") == expected.describe("da")
    assert point.detail == expected
    assert point.detail == calendar_point(anchor, duration, reading, rounding, roll,
                                          calendar).detail


def test_the_week_readings_still_go_through_deadline() -> None:
    point = calendar_point(date(2024, 1, 10), Duration(days=56), Reading.END_OF_WEEK,
                           Rounding.DOWN, Roll.NONE, DanishCalendar())
    assert point.day == date(2024, 3, 5)
    assert point.text.startswith("2024-01-10 + ")


_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 200)), min_size=1, max_size=6)


def _course(start: date, pieces: list[tuple[int, int]], ended: bool) -> Course:
    segments, day = [], start
    for gap, length in pieces:
        day += timedelta(days=gap)
        segments.append(Span(day, day + timedelta(days=length)))
        day += timedelta(days=length + 1)
    end = segments[-1].end if ended else None
    if not ended:
        segments[-1] = Span(segments[-1].start, None)
    return Course(Benefit.DAGPENGE, segments[0].start, end, tuple(segments), ())


def _walked_days(clock: CourseClock, anchor: date, needed: int, limit: date) -> date | None:
    """The span-by-span walk the cumulative clock made before it bisected."""
    remaining = needed
    for start, end in clock.counted_spans(anchor, limit):
        length = (end - start).days + 1
        if remaining <= length:
            return start + timedelta(days=remaining - 1)
        remaining -= length
    return None


def _walked_hours(clock: CourseClock, anchor: date, hours: Decimal, limit: date) -> date | None:
    per_day = clock.figures(anchor).weekday_hours
    remaining = hours
    for start, end in clock.counted_spans(anchor, limit):
        available = per_day * weekdays_between(start, end)
        if remaining <= available:
            n = max(int((remaining / per_day).to_integral_value(ROUND_CEILING)), 1)
            day = start
            while day.weekday() >= 5 or n > 1:
                n -= day.weekday() < 5
                day += timedelta(days=1)
            return day
        remaining -= available
    return None


@settings(max_examples=150, deadline=None)
@given(st.dates(date(2010, 1, 1), date(2030, 1, 1)), _SPANS, st.booleans(),
       st.integers(0, 900), st.integers(0, 120), st.integers(0, 60), st.integers(0, 40))
def test_bisection_on_running_totals_finds_what_the_walk_found(
        start: date, pieces: list[tuple[int, int]], ended: bool, needed: int, offset: int,
        excluded_from: int, excluded_days: int) -> None:
    course = _course(start, pieces, ended)
    ex_start = start + timedelta(days=excluded_from)
    excluded = ((ex_start, ex_start + timedelta(days=excluded_days)),)
    anchor = start + timedelta(days=offset)
    limit = start + timedelta(days=3000)
    days = CourseClock(course, Clock.CUMULATIVE_DAYS, excluded)
    within = days.point(anchor, Duration(days=needed), Reading.WITHIN, Rounding.UP,
                        horizon=limit)
    assert within.day == _walked_days(days, anchor, needed, limit)
    hours = CourseClock(course, Clock.DAGPENGE_HOURS, excluded)
    wanted = Decimal(needed) * Decimal("7.4")
    assert hours.completion_day(anchor, wanted, limit) == _walked_hours(hours, anchor, wanted,
                                                                        limit)


def test_a_remembered_point_keeps_the_words_of_its_own_duration() -> None:
    """1 year and 12 months are equal durations, but a trace says which the rule wrote."""
    course = Course(Benefit.KONTANTHJAELP, date(2024, 1, 31), None,
                    (Span(date(2024, 1, 31), None),), ())
    clock = CourseClock(course, Clock.CONTIGUOUS)
    year = clock.point(course.start, Duration(years=1), Reading.AFTER, Rounding.DOWN)
    months = clock.point(course.start, Duration(months=12), Reading.AFTER, Rounding.DOWN)
    assert year.day == months.day == add(course.start, Duration(years=1), Rounding.DOWN)
    assert year.text != months.text
    assert clock.point(course.start, Duration(years=1), Reading.AFTER, Rounding.DOWN) is year
