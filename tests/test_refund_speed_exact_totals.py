"""The fast refund totals equal the Decimal computations they replace, to the øre.

The staircase's monthly totals are summed exactly per segment and month
(:mod:`lab_rules.refund.ledger_totals`) instead of week by week in Decimal; the 2007-2015
rate periods are found per stretch of equal rate and summed exactly instead of day by day.
These properties pin that both give the monthly totals (and notes) of the Decimal ledger.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.facts import facts_of
from lab_rules.facts.paid import Interval
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.law import bundled_law
from lab_rules.law.policies import MonthSplit
from lab_rules.law.refund import Staircase, bundled_staircase
from lab_rules.refund.ledger_totals import month_totals, segments
from lab_rules.refund.months import exact_months, refund_months, week_of
from lab_rules.refund.rates_before_2016 import _day_by_day, compute_rate_periods
from lab_rules.refund.staircase import _Ledger, _split_notes
from lab_rules.refund.week_count import WeekCount, _merged

_FIRST = date.fromisoformat("2015-11-02")
_ACROSS_TEXTS = date.fromisoformat("2019-06-03")
"""Ledgers from here on cross from one month-split text to the next (1 January 2020), or
start after the first one ends."""
_BENEFITS = (Benefit.KONTANTHJAELP, Benefit.SYGEDAGPENGE, Benefit.DAGPENGE)


def _odd_shares(staircase: Staircase) -> Staircase:
    """The staircase with shares whose products do not end in whole øre."""
    shares = (Decimal("0.333"), Decimal("0.1"), Decimal("0.857"), Decimal("0.05"))
    bands = tuple(attrs.evolve(b, refund=shares[i % 4], cofinancing=shares[(i + 1) % 4])
                  for i, b in enumerate(staircase.bands))
    return attrs.evolve(staircase, bands=bands)


@st.composite
def _ledgers(draw: st.DrawFn) -> tuple[list[Interval], WeekCount]:
    intervals = []
    first = draw(st.sampled_from((_FIRST, _ACROSS_TEXTS)))
    for _ in range(draw(st.integers(1, 8))):
        start = first + timedelta(days=draw(st.integers(0, 500)))
        length = draw(st.integers(1, 62))
        paid_days = draw(st.integers(1, 62))
        known = draw(st.integers(0, 9)) > 0
        amount = Decimal(draw(st.integers(0, 3_000_000))) / 100
        intervals.append(Interval(draw(st.sampled_from(_BENEFITS)), start,
                                  start + timedelta(days=length - 1),
                                  amount / paid_days if known else None))
    ranges = _merged((week_of(i.start), week_of(i.end)) for i in intervals)
    runs, count = [], 0
    for first, last in ranges:
        if draw(st.booleans()):
            count = 0
        runs.append((first, last, count + 1))
        count += last - first + 1
    return intervals, WeekCount(tuple(runs), (), (), (), tuple(intervals), ())


@settings(max_examples=400, deadline=None)
@given(_ledgers(), st.sampled_from(list(MonthSplit)), st.booleans())
def test_exact_month_totals_equal_the_decimal_ledger_to_the_ore(
        ledger: tuple[list[Interval], WeekCount], split: MonthSplit, odd: bool) -> None:
    _intervals, count = ledger
    stairs = _odd_shares(bundled_staircase()) if odd else bundled_staircase()
    reference = _Ledger(stairs, count.intervals, split)
    _weeks, months = reference.run(count.numbers)
    found = segments(count.runs, stairs)
    fast = month_totals(count.intervals, found, stairs, split)
    if fast is not None:
        assert fast == months
    notes = _split_notes(stairs, split, found, count.intervals)
    assert notes == tuple(reference.notes.values())


def test_a_total_on_half_an_ore_is_left_to_the_decimal_ledger() -> None:
    stairs = bundled_staircase()
    wednesday = date.fromisoformat("2016-03-16")
    interval = Interval(Benefit.KONTANTHJAELP, wednesday, wednesday, Decimal("0.00625"))
    week = week_of(wednesday)
    found = segments(((week, week, 1),), stairs)
    assert month_totals((interval,), found, stairs, MonthSplit.WEEK_DAYS) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(("2010-01", "2010-02")),
                          st.integers(0, 3_000_000), st.integers(1, 31),
                          st.sampled_from(("0.35", "0.5", "0.65", "0.333", "1")),
                          st.integers(1, 31)), max_size=12))
def test_exact_rate_sums_equal_the_day_by_day_sums_to_the_ore(
        raw: list[tuple[str, int, int, str, int]]) -> None:
    terms = [(month, Decimal(amount) / 100 / paid, Decimal(rate), days)
             for month, amount, paid, rate, days in raw]
    by_day: dict[str, Decimal] = defaultdict(Decimal)
    for month, per_day, rate, days in terms:
        for _ in range(days):
            by_day[month] += per_day * rate
    fast = exact_months(terms)
    if fast is not None:
        assert fast == refund_months(by_day)


def test_rate_periods_give_the_day_by_day_monthly_refund() -> None:
    law = bundled_law()
    rng = random.Random(7)
    for index in range(60):
        timeline, as_of = synthetic_timeline(rng, index, date.fromisoformat("2006-06-01"),
                                             date.fromisoformat("2015-06-01"))
        facts = facts_of(timeline, as_of, law)
        periods, months = compute_rate_periods(facts, law.losses)
        assert months == _day_by_day(facts, law.losses)
        assert sum(p.days for p in periods) == len({
            (p.benefit, p.start + timedelta(days=d)) for p in periods for d in range(p.days)})
