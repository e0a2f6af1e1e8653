"""The staircase's shortcuts give what the day-by-day and week-by-week readings give.

The monthly totals weigh a stretch of paid days once (:mod:`lab_rules.refund.ledger_totals`)
instead of walking its weeks: these properties pin the weights against each day's share of its
month counted one day at a time. The restart of the count (lov 994/2015 § 6, stk. 1) is found
by jumping over the self-support weeks that cannot complete it; a property pins that it
restarts on the same week as a walk that checks every week.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.calendar import Duration
from lab_rules.law.policies import StaircaseRestart
from lab_rules.law.refund import Staircase, bundled_staircase
from lab_rules.refund.ledger_totals import _paid_days, _transition, _week_days
from lab_rules.refund.months import week_of
from lab_rules.refund.week_count import _length, _Walk

_UNIT = 420
_FIRST = date.fromisoformat("2015-06-01").toordinal()


def _month(ordinal: int) -> int:
    day = date.fromordinal(ordinal)
    return day.year * 12 + day.month - 1


def _week_days_by_day(low: int, high: int) -> dict[int, int]:
    """Each day to its month, or in a week touching two months k/7 to the month of k days."""
    weights: dict[int, int] = defaultdict(int)
    for day in range(low, high + 1):
        monday = day - date.fromordinal(day).weekday()
        months = [_month(d) for d in range(monday, monday + 7)]
        for month in set(months):
            weights[month] += months.count(month) * _UNIT // 7
    return dict(weights)


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 4000), st.integers(0, 120))
def test_week_day_weights_are_each_days_share_of_its_months(start: int, length: int) -> None:
    low = _FIRST + start
    assert dict(_week_days(low, low + length)) == _week_days_by_day(low, low + length)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 4000), st.integers(0, 120))
def test_paid_day_weights_give_each_day_to_its_own_month(start: int, length: int) -> None:
    low = _FIRST + start
    by_day: dict[int, int] = defaultdict(int)
    for day in range(low, low + length + 1):
        by_day[_month(day)] += _UNIT
    assert dict(_paid_days(low, low + length)) == by_day


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 4000), st.integers(0, 6))
def test_transition_weights_share_a_day_by_the_counted_days_in_each_month(
        start: int, skipped: int) -> None:
    sunday = _FIRST + start + 6 - date.fromordinal(_FIRST + start).weekday()
    first = sunday - 6 + skipped
    span = sunday - first + 1
    by_day: dict[int, int] = defaultdict(int)
    for day in range(first, sunday + 1):
        by_day[_month(day)] += _UNIT // span
    assert dict(_transition(first, sunday)) == by_day


class _WeekByWeek:
    """The restart walk checking every self-support week (the reference): a :class:`_Walk`
    whose gaps are walked here a week at a time. It wraps the walk rather than subclassing
    it, as the compiled build's ``_Walk`` is a native class that Python code cannot subclass."""

    def __init__(self, staircase: Staircase, reading: StaircaseRestart) -> None:
        self.walk = _Walk(staircase, reading)

    def run(self, first: int, last: int) -> None:
        self.walk.run(first, last)

    def gap(self, self_weeks: list[tuple[int, int]]) -> None:
        walk = self.walk
        if not walk.count:
            return
        if (walk.on_last_week
                and walk.self_weeks + _length(self_weeks) >= walk.staircase.restart_weeks):
            for lo, hi in self_weeks:
                for week in range(lo, hi + 1):
                    walk._add(week, week)
                    if walk._reached(week + 1):
                        walk._restart(week)
                        return
            return
        for lo, hi in self_weeks:
            walk._add(lo, hi)


def _walked(walk: _Walk | _WeekByWeek, steps: list[tuple[int, int, int]]) -> _Walk:
    week = week_of(date.fromisoformat("2016-01-04"))
    for run, gap, supported in steps:
        walk.run(week, week + run - 1)
        week += run
        if gap:
            walk.gap([(week + supported, week + gap - 1)] if supported < gap else [])
            week += gap
    return walk if isinstance(walk, _Walk) else walk.walk


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 80), st.integers(0, 5)),
                min_size=1, max_size=12),
       st.integers(1, 60), st.integers(1, 40), st.sampled_from(list(StaircaseRestart)))
def test_the_count_restarts_on_the_week_a_week_by_week_walk_restarts(
        steps: list[tuple[int, int, int]], needed: int, months: int,
        reading: StaircaseRestart) -> None:
    stairs: Staircase = attrs.evolve(bundled_staircase(), restart_weeks=needed,
                                     restart_window=Duration(months=months))
    fast = _walked(_Walk(stairs, reading), steps)
    slow = _walked(_WeekByWeek(stairs, reading), steps)
    assert (fast.runs, fast.restarts, fast.completed) == (slow.runs, slow.restarts,
                                                          slow.completed)
    assert fast.self_support == slow.self_support


def test_a_restart_in_a_long_gap_is_found_on_the_completing_week() -> None:
    stairs = bundled_staircase()
    walk = _Walk(stairs, StaircaseRestart.ON_LAST_WEEK)
    start = week_of(date.fromisoformat("2016-01-04"))
    walk.run(start, start + 9)
    walk.gap([(start + 10, start + 200)])
    assert walk.completed == [date.fromisoformat("2016-01-04") + timedelta(weeks=10 + 51)]
