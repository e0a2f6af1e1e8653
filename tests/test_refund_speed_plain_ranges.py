"""The week count merges the weeks of a person on plain benefits in one pass
(:func:`~lab_rules.refund.week_count._plain_ranges`) while the intervals come in order, and
sorts them otherwise: either way the ranges are what merging the sorted spans gives."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.paid import Interval
from lab_rules.refund.week_count import _merged, _plain_ranges, _plain_weeks

_DAY0 = date(2015, 6, 1)
_ONE = st.builds(
    lambda start, length: Interval(Benefit.KONTANTHJAELP, _DAY0 + timedelta(days=start),
                                   _DAY0 + timedelta(days=start + length), None),
    st.integers(0, 900), st.integers(-3, 70))


@settings(max_examples=500, deadline=None)
@given(st.lists(_ONE, max_size=25), st.integers(-30, 400), st.booleans())
def test_plain_ranges_are_the_merged_sorted_spans(paid: list[Interval], cut: int,
                                                  in_order: bool) -> None:
    if in_order:
        paid.sort(key=lambda i: i.start)
    counted_from = (_DAY0 + timedelta(days=cut)).toordinal()
    assert _plain_ranges(paid, counted_from) == _merged(_plain_weeks(paid, counted_from))


def test_monthly_payments_make_one_range() -> None:
    months = [date(2020, m, 1) for m in range(1, 13)]
    paid = [Interval(Benefit.KONTANTHJAELP, first, nxt - timedelta(days=1), None)
            for first, nxt in zip(months, [*months[1:], date(2021, 1, 1)], strict=True)]
    counted_from = date(2016, 1, 4).toordinal()
    assert _plain_ranges(paid, counted_from) == _merged(_plain_weeks(paid, counted_from))
    assert len(_plain_ranges(paid, counted_from)) == 1
