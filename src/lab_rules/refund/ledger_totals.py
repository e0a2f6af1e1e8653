"""The monthly totals of the staircase ledger in exact arithmetic, without its weeks.

The ledger (:mod:`lab_rules.refund.staircase`) spreads each payment evenly per day (BEK
1772/2015 § 19, stk. 2), takes the week's band share (§ 23) and splits a week touching two
months between them (BEK § 26, stk. 2, policy ``month_split``). Its monthly totals need no
week: the benefit weeks are cut into *segments* of one band (a run of weeks between two band
changes, or one week of the 2015/16 transition), and every paid interval is cut by the
segments once. Under ``week_days`` each day of a week touching two months goes to them by the
week's days in each (the week's cost shared k/span), so a stretch of paid days owes each month
a *weight* that depends on the calendar alone; it is worked out once per stretch (and kept for
the next person paid for the same days), and a month's total is the sum of amount a day ×
share × weight.

The sums are exact: Decimal with enough digits that nothing is rounded (any rounding raises,
and the Decimal ledger decides), the weights whole numbers of 1/420 day (420 = lcm(1..7)) so
that every k/span is whole.

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
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, Inexact, localcontext

from lab_rules.core.slots import slot_setter
from lab_rules.facts.paid import Interval
from lab_rules.law.policies import MonthSplit
from lab_rules.law.refund import Staircase
from lab_rules.refund.law_index import StaircaseIndex, staircase_index
from lab_rules.refund.months import EXACT, NEAR_HALF, ORE, WEEK_DAYS, MonthTotal, month_total

_PAID_DAYS = MonthSplit.PAID_DAYS
_UNIT = math.lcm(*range(1, WEEK_DAYS + 1))
"""A day's weight is counted in 1/_UNIT parts, so a week's day share k/span is whole."""
_SEVENTH = _UNIT // WEEK_DAYS
_MONTHS = 12
_NONE = Decimal(0)
_ONE = Decimal(1)
"""An øre more, added as Decimal: adding an int converts it first, at twice the cost."""
_PLACES = ORE.adjusted()
_ZERO = _NONE.scaleb(_PLACES)
_ORE_UNIT = ORE * _UNIT
"""One øre in the 1/_UNIT parts the totals are counted in."""
_HALF = _ORE_UNIT / 2
_BELOW_HALF, _ABOVE_HALF = _HALF - _HALF / NEAR_HALF, _HALF + _HALF / NEAR_HALF
"""Totals this close to half an øre are left to the Decimal ledger."""
_NEW = object.__new__
_SET_MONTH = slot_setter(MonthTotal, "month")
_SET_REFUND = slot_setter(MonthTotal, "refund")
_SET_COFINANCING = slot_setter(MonthTotal, "cofinancing")

Segment = tuple[int, int, int, int]
"""First and last day ordinal, the position of the band in the staircase's bands, and the
Monday ordinal of a transition week (else 0)."""
Days = tuple[tuple[int, int], ...]
"""(month index, weight in 1/_UNIT days) for every month a stretch of days owes."""
Weights = tuple[tuple[str, Decimal], ...]
""":data:`Days` with the months named (``YYYY-MM``, which sorts as the months do) and the
weights as Decimal, ready to multiply an amount and to total by the name a month total has."""


def _monday(week: int) -> int:
    return week * WEEK_DAYS + 1


def segments(runs: Sequence[tuple[int, int, int]], staircase: Staircase) -> list[Segment]:
    """The ledger's weeks (from the transition week on) as segments of one band, in order.

    A week before the staircase's first day takes the number of the first staircase week, or
    its own number plus one (law § 29, stk. 3)."""
    index = staircase_index(staircase)
    transition, first_normal, rate_week = (index.transition_week, index.first_normal,
                                           index.rate_week)
    rate_count = next((number + rate_week - first for first, last, number in runs
                       if first <= rate_week <= last), None)
    found: list[Segment] = []
    for first, last, number in runs:
        low = max(first, transition)
        for week in range(low, min(last, first_normal - 1) + 1):
            count = rate_count if rate_count is not None else (
                number + week - first + (rate_week != week))
            found.append((_monday(week), _monday(week) + WEEK_DAYS - 1, index.band(count),
                          _monday(week)))
        low = max(low, first_normal)
        if low > last:
            continue
        lowest, highest = number + low - first, number + last - first
        offset = low - lowest
        for position, first_week, last_week in index.band_weeks:
            band_low = first_week if first_week > lowest else lowest
            band_high = highest if last_week is None or last_week > highest else last_week
            if band_low <= band_high:
                found.append(((offset + band_low) * WEEK_DAYS + 1,
                              (offset + band_high + 1) * WEEK_DAYS, position, 0))
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


@functools.lru_cache(maxsize=4096)
def _month_name(index: int) -> str:
    return f"{index // _MONTHS:04d}-{index % _MONTHS + 1:02d}"


def _decimal(days: Days) -> Weights:
    """*days* as :data:`Weights` (a list built and made a tuple, cheaper than a generator)."""
    return tuple([(_month_name(month), Decimal(weight)) for month, weight in days])


@functools.lru_cache(maxsize=1 << 14)
def _paid_day_weights(low: int, high: int) -> Weights:
    return _decimal(_paid_days(low, high))


@functools.lru_cache(maxsize=1 << 14)
def _week_day_weights(low: int, high: int) -> Weights:
    return _decimal(_week_days(low, high))


@functools.lru_cache(maxsize=4096)
def _transition_weights(first: int, sunday: int) -> Weights:
    return _decimal(_transition(first, sunday))


def _paid_days(low: int, high: int) -> Days:
    """``paid_days``: each day of low..high to its own month."""
    weights = []
    index = _month_of(low)
    while low <= high:
        following = _month(index)[1]
        weights.append((index, (min(high, following - 1) - low + 1) * _UNIT))
        low, index = following, index + 1
    return tuple(weights)


def _week_days(low: int, high: int) -> Days:
    """``week_days``: each day of low..high to its own month, or in a week touching two
    months k/7 to the month with k of the week's days."""
    index = _month_of(low)
    first, following, head_end, tail = _month(index)
    if high >= following:
        return _spanning(low, high, index)
    before = own = after = 0
    if low <= head_end:
        days, earlier = min(head_end, high) - low + 1, first + WEEK_DAYS - 1 - head_end
        before, own = days * earlier * _SEVENTH, days * (WEEK_DAYS - earlier) * _SEVENTH
        low = head_end + 1
    if low <= high and low < tail:
        own += (min(tail - 1, high) - low + 1) * _UNIT
        low = tail
    if low <= high:
        days, within = high - low + 1, following - tail
        own += days * within * _SEVENTH
        after = days * (WEEK_DAYS - within) * _SEVENTH
    if before:
        if after:
            return ((index - 1, before), (index, own), (index + 1, after))
        return ((index - 1, before), (index, own))
    return ((index, own), (index + 1, after)) if after else ((index, own),)


def _spanning(low: int, high: int, index: int) -> Days:
    """:func:`_week_days` of days low..high in month *index* and later months."""
    weights: dict[int, int] = {}
    while low <= high:
        first, following, head_end, tail = _month(index)
        if low <= head_end:
            end = head_end
            days = min(end, high) - low + 1
            earlier = first + WEEK_DAYS - 1 - head_end
            weights[index - 1] = weights.get(index - 1, 0) + days * earlier * _SEVENTH
            weights[index] = weights.get(index, 0) + days * (WEEK_DAYS - earlier) * _SEVENTH
        elif low < tail:
            end = tail - 1
            weights[index] = weights.get(index, 0) + (min(end, high) - low + 1) * _UNIT
        else:
            end = tail + WEEK_DAYS - 1
            days = min(end, high) - low + 1
            within = following - tail
            weights[index] = weights.get(index, 0) + days * within * _SEVENTH
            weights[index + 1] = (weights.get(index + 1, 0)
                                  + days * (WEEK_DAYS - within) * _SEVENTH)
        low = end + 1
        if low >= following:
            index += 1
    return tuple(sorted(weights.items()))


def _transition(first: int, sunday: int) -> Days:
    """``week_days`` in a transition week counted from *first*: a day's share of the days
    first..sunday in each month."""
    span = sunday - first + 1
    unit = _UNIT // span
    index = _month_of(first)
    following = _month(index)[1]
    if sunday < following:
        return ((index, span * unit),)
    return ((index, (following - first) * unit), (index + 1, (sunday - following + 1) * unit))


def _first_day(index: StaircaseIndex, interval: Interval, monday: int) -> int:
    """The first day of a transition week that counts for the interval's benefit."""
    return max(monday, index.early_from if interval.benefit in index.early
               else index.others_from)


def first_crossing(found: Sequence[Segment], intervals: Sequence[Interval],
                   index: StaircaseIndex, day: int) -> int | None:
    """The Monday ordinal, *day* or later, of the first of the ledger's weeks whose counted
    days touch two months; None if there is none."""
    for low, high, _, monday in found:
        if high < day:
            continue
        if monday:
            if monday >= day and any(
                    i.start.toordinal() <= high and i.end.toordinal() >= first
                    and _month_of(first) != _month_of(high)
                    for i in intervals for first in (_first_day(index, i, monday),)):
                return monday
            continue
        start = max(low, day)
        month = _month_of(start)
        _, following, _, tail = _month(month)
        while following <= high:
            if start <= tail < following:
                return tail
            month += 1
            _, following, _, tail = _month(month)
    return None


def month_totals(intervals: Sequence[Interval], found: Sequence[Segment],
                 staircase: Staircase, split: MonthSplit) -> tuple[MonthTotal, ...] | None:
    """The ledger's monthly totals, rounded to øre; None where the Decimal ledger decides."""
    try:
        with localcontext(EXACT):
            return _month_totals(intervals, found, staircase_index(staircase), split)
    except Inexact:
        return None


def _month_totals(intervals: Sequence[Interval], found: Sequence[Segment],
                  index: StaircaseIndex, split: MonthSplit) -> tuple[MonthTotal, ...] | None:
    by_days = split is _PAID_DAYS
    weigh = _paid_day_weights if by_days else _week_day_weights
    highs = [s[1] for s in found]
    count = len(found)
    rates = index.rates
    cofinanced_benefits = index.cofinanced
    totals: tuple[dict[str, Decimal], dict[str, Decimal]] = ({}, {})
    for interval in intervals:
        paid = interval.per_day
        if paid is None:
            continue
        if not paid.is_finite() or paid < _NONE:
            return None
        cofinanced = interval.benefit in cofinanced_benefits
        into = totals[cofinanced]
        start, end = interval.start.toordinal(), interval.end.toordinal()
        at = bisect_left(highs, start)
        if at < count:
            low, high, band, monday = found[at]
            if not monday and low <= start and end <= high:
                amount = paid * rates[band][cofinanced]
                if amount or by_days:
                    for month, weight in weigh(start, end):
                        into[month] = into.get(month, _NONE) + amount * weight
                continue
        while at < count:
            low, high, band, monday = found[at]
            if low > end:
                break
            at += 1
            amount = paid * rates[band][cofinanced]
            if not (amount or by_days):
                continue
            if end < high:
                high = end
            if monday:
                first = _first_day(index, interval, monday)
                low = start if start > first else first
                if low > high:
                    continue
                if by_days:
                    weights = weigh(low, high)
                else:
                    weights = _transition_weights(first, monday + WEEK_DAYS - 1)
                    amount *= high - low + 1
            else:
                weights = weigh(start if start > low else low, high)
            for month, weight in weights:
                into[month] = into.get(month, _NONE) + amount * weight
    return _rounded(totals)


def _rounded(totals: tuple[dict[str, Decimal], dict[str, Decimal]]
             ) -> tuple[MonthTotal, ...] | None:
    """The refunded and co-financed totals by month (in 1/_UNIT days) rounded half up to øre;
    None where one lies within a billionth of an øre of half an øre (a rest above that band
    is above half an øre, so one comparison settles most months). A whole number of øre times
    :data:`ORE` is that many øre with two decimals, as :func:`~lab_rules.refund.months.ore`
    writes them, for a multiplication rather than a rescaling."""
    refunded, cofinanced = totals
    if refunded and cofinanced:
        return _both_rounded(refunded, cofinanced)
    found = []
    # Each total is built here as :func:`~lab_rules.refund.months.month_total` builds it
    # (object.__new__ and the slots' setters), without a call per month.
    set_money, set_zero = ((_SET_COFINANCING, _SET_REFUND) if cofinanced
                           else (_SET_REFUND, _SET_COFINANCING))
    for month, amount in sorted((refunded or cofinanced).items()):
        whole, rest = divmod(amount, _ORE_UNIT)
        if rest > _BELOW_HALF:
            if rest < _ABOVE_HALF:
                return None
            whole += _ONE
        total = _NEW(MonthTotal)
        _SET_MONTH(total, month)
        set_money(total, whole * ORE)
        set_zero(total, _ZERO)
        found.append(total)
    return tuple(found)


def _both_rounded(refunded: dict[str, Decimal], cofinanced: dict[str, Decimal]
                  ) -> tuple[MonthTotal, ...] | None:
    """:func:`_rounded` of a person with refunded and co-financed benefits."""
    cents: dict[str, list[Decimal]] = {}
    for share, by_month in enumerate((refunded, cofinanced)):
        for month, amount in by_month.items():
            whole, rest = divmod(amount, _ORE_UNIT)
            if rest > _BELOW_HALF:
                if rest < _ABOVE_HALF:
                    return None
                whole += _ONE
            cents.setdefault(month, [_ZERO, _ZERO])[share] = whole * ORE
    return tuple(month_total(month, refund, cofin)
                 for month, (refund, cofin) in sorted(cents.items()))
