"""Hypothesis properties of the date algebra (issue 2 acceptance)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from lab_rules.calendar import (
    DanishCalendar,
    Duration,
    Roll,
    Rounding,
    add,
    anchored_schedule,
    chained_schedule,
    within,
)
from lab_rules.core.errors import AmbiguousDateError

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
months = st.integers(min_value=-60, max_value=60)
durations = st.builds(
    Duration,
    years=st.integers(min_value=-5, max_value=5),
    months=months,
    days=st.integers(min_value=-400, max_value=400),
)


@given(dates, durations)
def test_round_down_is_never_after_round_up(start: date, duration: Duration) -> None:
    assert add(start, duration, Rounding.DOWN) <= add(start, duration, Rounding.UP)


@given(dates, durations)
def test_strict_raises_exactly_when_down_and_up_differ(start: date, duration: Duration) -> None:
    down = add(start, duration, Rounding.DOWN)
    up = add(start, duration, Rounding.UP)
    try:
        strict = add(start, duration, Rounding.STRICT)
    except AmbiguousDateError:
        assert down != up
    else:
        assert down == up == strict


@given(dates, dates, months, st.sampled_from([Rounding.DOWN, Rounding.UP]))
def test_adding_months_is_monotone_in_the_start_date(a: date, b: date, m: int,
                                                     rounding: Rounding) -> None:
    assume(a <= b)
    duration = Duration(months=m)
    assert add(a, duration, rounding) <= add(b, duration, rounding)


@given(dates, st.integers(min_value=-24, max_value=24), st.integers(min_value=-24, max_value=24),
       st.sampled_from([Rounding.DOWN, Rounding.UP]))
def test_adding_more_months_never_gives_an_earlier_date(start: date, m1: int, m2: int,
                                                        rounding: Rounding) -> None:
    assume(m1 <= m2)
    assert add(start, Duration(months=m1), rounding) <= add(start, Duration(months=m2), rounding)


@given(dates, st.integers(min_value=-5000, max_value=5000))
def test_adding_then_subtracting_days_is_identity(start: date, n: int) -> None:
    there = add(start, Duration(days=n), Rounding.STRICT)
    assert add(there, Duration(days=-n), Rounding.STRICT) == start
    assert (there - start).days == n


@given(dates, st.integers(min_value=1, max_value=36))
def test_within_is_the_day_before_the_rounded_up_end(start: date, m: int) -> None:
    end = within(start, Duration(months=m))
    assert end == add(start, Duration(months=m), Rounding.UP) - timedelta(days=1)
    assert end >= start


@given(dates, st.integers(min_value=1, max_value=12), st.integers(min_value=2, max_value=24))
def test_anchored_and_chained_schedules_agree_unless_a_clamp_happens(
    start: date, m: int, count: int
) -> None:
    interval = Duration(months=m)
    anchored = anchored_schedule(start, interval, count, Rounding.DOWN)
    chained = chained_schedule(start, interval, count, Rounding.DOWN)
    if start.day <= 28:
        # No month lacks the day, so nothing is ever clamped: both are the same.
        assert anchored == chained
    else:
        # Chaining can only lose days after a clamp, never gain them.
        assert all(c <= a for a, c in zip(anchored, chained, strict=True))
        assert all(a.day in (start.day, _last_day(a)) for a in anchored)


def _last_day(day: date) -> int:
    following = day.replace(day=28) + timedelta(days=4)
    return (following - timedelta(days=following.day)).day


@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
       st.integers(min_value=0, max_value=60))
def test_business_days_between_inverts_add_business_days(start: date, n: int) -> None:
    cal = DanishCalendar()
    end = cal.add_business_days(start, n)
    assert cal.business_days_between(start, end) == n
    if n:
        assert cal.is_business_day(end)


@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)))
def test_rolled_days_are_business_days_and_close_by(day: date) -> None:
    cal = DanishCalendar()
    forward = cal.roll(day, Roll.FORWARD)
    backward = cal.roll(day, Roll.BACKWARD)
    assert cal.is_business_day(forward)
    assert cal.is_business_day(backward)
    assert backward <= day <= forward
    assert (forward - backward).days <= 7
