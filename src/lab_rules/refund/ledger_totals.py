"""The monthly totals of the staircase ledger in exact arithmetic, without its weeks.

The ledger (:mod:`lab_rules.refund.staircase`) spreads each payment evenly per day (BEK
1772/2015 § 19, stk. 2), takes the week's band share (§ 23) and splits a week touching two
months between them (BEK § 26, stk. 2, policy ``month_split``). Its monthly totals need no
week: the benefit weeks are cut into *segments* of one band (a run of weeks between two band
changes, or one week of the 2015/16 transition), every paid interval is cut by the segments
and the months once, and under ``week_days`` a week touching two months collects its cost
and shares it by its days. The sums are exact: Decimal with enough digits that nothing is
rounded (any rounding raises, and the Decimal ledger decides), the week shares k/span kept
whole by counting in 1/420 parts (420 = lcm(1..7)).

The Decimal ledger rounds its intermediate figures to 28 digits, far below an øre, so the
two agree on every monthly total to the øre except where an exact total lies within a
billionth of an øre of half an øre; there, and for negative daily amounts,
:func:`month_totals` returns None and the caller takes the Decimal ledger's totals. A property
test pins the equality.
"""

from __future__ import annotations

import functools
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, Inexact, localcontext

from lab_rules.facts.paid import Interval
from lab_rules.law.policies import MonthSplit
from lab_rules.law.refund import Band, Staircase
from lab_rules.refund.months import EXACT, NEAR_HALF, ORE, WEEK_DAYS, MonthTotal, ore, week_of

_UNIT = math.lcm(*range(1, WEEK_DAYS + 1))
"""Every amount is counted in 1/_UNIT parts, so a week's day share k/span is whole."""
_MONTHS = 12
_NONE = Decimal(0)
_ZERO = ore(0)
_PLACES = ORE.adjusted()
_ORE_UNIT = ORE * _UNIT
"""One øre in the 1/_UNIT parts the totals are counted in."""
_HALF = _ORE_UNIT / 2
_BELOW_HALF, _ABOVE_HALF = _HALF - _HALF / NEAR_HALF, _HALF + _HALF / NEAR_HALF
"""Totals this close to half an øre are left to the Decimal ledger."""

Segment = tuple[int, int, Band, int]
"""First and last day ordinal, the band, and the Monday ordinal of a transition week (else 0)."""
Key = tuple[bool, int, int]
"""Co-financed (or refunded), year and month."""


def _monday(week: int) -> int:
    return week * WEEK_DAYS + 1


def segments(runs: Sequence[tuple[int, int, int]], staircase: Staircase) -> list[Segment]:
    """The ledger's weeks (from the transition week on) as segments of one band, in order.

    A week before the staircase's first day takes the number of the first staircase week, or
    its own number plus one (law § 29, stk. 3)."""
    transition = week_of(min(staircase.early_from, staircase.others_from))
    start = staircase.valid_from
    first_normal = -(-(start.toordinal() - 1) // WEEK_DAYS)
    rate_week = week_of(start)
    rate_count = next((number + rate_week - first for first, last, number in runs
                       if first <= rate_week <= last), None)
    found: list[Segment] = []
    for first, last, number in runs:
        low = max(first, transition)
        for week in range(low, min(last, first_normal - 1) + 1):
            count = rate_count if rate_count is not None else (
                number + week - first + (rate_week != week))
            found.append((_monday(week), _monday(week) + WEEK_DAYS - 1,
                          staircase.band(count), _monday(week)))
        low = max(low, first_normal)
        if low > last:
            continue
        lowest, highest = number + low - first, number + last - first
        for band in staircase.bands:
            band_low = max(band.first_week, lowest)
            band_high = highest if band.last_week is None else min(band.last_week, highest)
            if band_low <= band_high:
                found.append((_monday(low + band_low - lowest),
                              _monday(low + band_high - lowest) + WEEK_DAYS - 1, band, 0))
    return found


@functools.lru_cache(maxsize=4096)
def _month(index: int) -> tuple[int, int, int, int]:
    """Month *index* (year * 12 + month - 1) as day ordinals: its first day, the first day of
    the next month, the last day of the week touching the previous month (first - 1 if the
    month starts on a Monday) and the Monday of the week touching the next (the next month's
    first day if that is a Monday)."""
    year, month = divmod(index, _MONTHS)
    first = date(year, month + 1, 1).toordinal()
    year, month = divmod(index + 1, _MONTHS)
    following = date(year, month + 1, 1).toordinal()
    head = (first - 1) % WEEK_DAYS
    tail = (following - 1) % WEEK_DAYS
    return (first, following, first - head + WEEK_DAYS - 1 if head else first - 1,
            following - tail)


def _month_of(ordinal: int) -> int:
    day = date.fromordinal(ordinal)
    return day.year * _MONTHS + day.month - 1


class _Totals:
    """Exact totals per (co-financed, month index), and the costs of weeks to share."""

    def __init__(self, split: MonthSplit) -> None:
        self.by_days = split is MonthSplit.PAID_DAYS
        self.totals: dict[tuple[bool, int], Decimal] = defaultdict(Decimal)
        self.shared: dict[tuple[bool, int], Decimal] = defaultdict(Decimal)
        self.weeks: dict[tuple[int, int, bool], Decimal] = defaultdict(Decimal)

    def paid(self, cofinanced: bool, low: int, high: int, per_day: Decimal) -> None:
        """Days low..high at *per_day*, to the months they lie in."""
        index = _month_of(low)
        while low <= high:
            following = _month(index)[1]
            self.totals[(cofinanced, index)] += per_day * (min(high, following - 1) - low + 1)
            low, index = following, index + 1

    def week_days(self, cofinanced: bool, low: int, high: int, per_day: Decimal) -> None:
        """Days low..high at *per_day*: a week that touches two months collects its cost."""
        if not per_day:
            return
        index = _month_of(low)
        while low <= high:
            _, following, head_end, tail = _month(index)
            if low <= head_end:
                end = head_end
                self.weeks[(end - WEEK_DAYS + 1, end - WEEK_DAYS + 1, cofinanced)] += (
                    per_day * (min(end, high) - low + 1))
            elif low < tail:
                end = tail - 1
                self.totals[(cofinanced, index)] += per_day * (min(end, high) - low + 1)
            else:
                end = tail + WEEK_DAYS - 1
                self.weeks[(tail, tail, cofinanced)] += per_day * (min(end, high) - low + 1)
            low = end + 1
            if low >= following:
                index += 1

    def share_weeks(self) -> None:
        """Share each collected week's cost between its months by its days."""
        for (monday, first, cofinanced), cost in self.weeks.items():
            if not cost:
                continue
            sunday = monday + WEEK_DAYS - 1
            unit = _UNIT // (sunday - first + 1)
            index = _month_of(first)
            following = _month(index)[1]
            if sunday < following:
                self.shared[(cofinanced, index)] += cost * (sunday - first + 1) * unit
            else:
                self.shared[(cofinanced, index)] += cost * (following - first) * unit
                self.shared[(cofinanced, index + 1)] += cost * (sunday - following + 1) * unit


def _first_day(staircase: Staircase, interval: Interval, monday: int) -> int:
    """The first day of a transition week that counts for the interval's benefit."""
    return max(monday, (staircase.early_from if interval.benefit in staircase.early_benefits
                        else staircase.others_from).toordinal())


def crossing_weeks(found: Sequence[Segment], intervals: Sequence[Interval],
                   staircase: Staircase) -> list[date]:
    """The Mondays of the ledger's weeks whose counted days touch two months, in order."""
    mondays: list[date] = []
    for low, high, _, monday in found:
        if monday:
            sunday = date.fromordinal(high)
            if any(i.start.toordinal() <= high and i.end.toordinal() >= first
                   and date.fromordinal(first).month != sunday.month
                   for i in intervals
                   for first in (_first_day(staircase, i, monday),)):
                mondays.append(date.fromordinal(monday))
            continue
        index = _month_of(low)
        _, following, _, tail = _month(index)
        while following <= high:
            if tail < following:
                mondays.append(date.fromordinal(tail))
            index += 1
            _, following, _, tail = _month(index)
    return mondays


def month_totals(intervals: Sequence[Interval], found: Sequence[Segment],
                 staircase: Staircase, split: MonthSplit) -> tuple[MonthTotal, ...] | None:
    """The ledger's monthly totals, rounded to øre; None where the Decimal ledger decides."""
    try:
        with localcontext(EXACT):
            return _month_totals(intervals, found, staircase, split)
    except Inexact:
        return None


def _month_totals(intervals: Sequence[Interval], found: Sequence[Segment],
                  staircase: Staircase, split: MonthSplit) -> tuple[MonthTotal, ...] | None:
    highs = [s[1] for s in found]
    cofinanced_benefits = staircase.cofinanced
    totals = _Totals(split)
    add = totals.paid if totals.by_days else totals.week_days
    for interval in intervals:
        paid = interval.per_day
        if paid is None:
            continue
        if not paid.is_finite() or paid < 0:
            return None
        cofinanced = interval.benefit in cofinanced_benefits
        start, end = interval.start.toordinal(), interval.end.toordinal()
        index = bisect_left(highs, start)
        while index < len(found) and found[index][0] <= end:
            low, high, band, monday = found[index]
            index += 1
            amount = paid * (band.cofinancing if cofinanced else band.refund)
            if not monday:
                add(cofinanced, max(start, low), min(end, high), amount)
                continue
            first = _first_day(staircase, interval, monday)
            low, high = max(start, first), min(end, high)
            if low > high:
                continue
            if totals.by_days:
                totals.paid(cofinanced, low, high, amount)
            else:
                totals.weeks[(monday, first, cofinanced)] += amount * (high - low + 1)
    totals.share_weeks()
    return _rounded(totals)


def _rounded(totals: _Totals) -> tuple[MonthTotal, ...] | None:
    summed = {key: amount * _UNIT for key, amount in totals.totals.items()}
    for key, amount in totals.shared.items():
        summed[key] = summed.get(key, _NONE) + amount
    cents: dict[int, list[Decimal]] = {}
    for (cofinanced, index), amount in summed.items():
        whole, rest = divmod(amount, _ORE_UNIT)
        if _BELOW_HALF < rest < _ABOVE_HALF:
            return None
        if rest > _HALF:
            whole += 1
        cents.setdefault(index, [_ZERO, _ZERO])[cofinanced] = whole.scaleb(_PLACES)
    return tuple(MonthTotal(f"{index // _MONTHS:04d}-{index % _MONTHS + 1:02d}", refund, cofin)
                 for index, (refund, cofin) in sorted(cents.items()))
