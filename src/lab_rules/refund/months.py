"""Money by calendar week and month: the week's Monday, monthly totals and the øre rounding.

Amounts are Decimal kroner computed per day and rounded to øre only in the monthly totals, so
a total (the sum of rounded months) equals the sum of its parts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, localcontext

import attrs

from lab_rules.core.slots import slot_setter

ORE = Decimal("0.01")
"""Rounding quantum: one øre (a technical constant, not law)."""
_ZERO = Decimal("0.00")
EXACT = Context(prec=200, traps=[Inexact])
"""A context in which the sums of a ledger are exact; a rounding raises."""
_PLACES = ORE.adjusted()
NEAR_HALF = 10**9
"""An exact sum within 1/(2 * NEAR_HALF) øre of half an øre is left to the Decimal sums."""
WEEK_DAYS = 7
"""Days in a calendar week (arithmetic, not law)."""


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_key(day: date) -> str:
    """``YYYY-MM`` (as ``strftime("%Y-%m")`` writes the years of the law, without its cost)."""
    return f"{day.year}-{day.month:02d}"


@attrs.frozen
class MonthTotal:
    month: str
    refund: Decimal
    cofinancing: Decimal


_NEW = object.__new__
_SET_MONTH = slot_setter(MonthTotal, "month")
_SET_REFUND = slot_setter(MonthTotal, "refund")
_SET_COFINANCING = slot_setter(MonthTotal, "cofinancing")


def month_total(month: str, refund: Decimal, cofinancing: Decimal) -> MonthTotal:
    """``MonthTotal(month, refund, cofinancing)`` in about half the time: a frozen class's
    ``__init__`` sets each field through ``object.__setattr__`` by name, where this sets the
    slots directly. :class:`MonthTotal` has no defaults, validators or converters, so the
    two build equal objects (``tests/test_refund_month_total.py`` pins it); every person has
    a total for each month of the ledger."""
    total = _NEW(MonthTotal)
    _SET_MONTH(total, month)
    _SET_REFUND(total, refund)
    _SET_COFINANCING(total, cofinancing)
    return total


def rounded(value: Decimal) -> Decimal:
    return value.quantize(ORE, ROUND_HALF_UP)


def ore(amount: int) -> Decimal:
    """A whole number of øre as Decimal kroner with two decimals, like :func:`rounded`."""
    return Decimal(amount).scaleb(_PLACES)


def exact_months(terms: Iterable[tuple[str, Decimal, Decimal, int]]
                 ) -> tuple[MonthTotal, ...] | None:
    """Monthly refund totals of (month, amount a day, rate, days) terms summed exactly, or None
    where an amount is negative or a sum lies within a billionth of an øre of half an øre
    (where sums rounded along the way could round apart, or round to a signed zero)."""
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    with localcontext(EXACT):
        for month, per_day, rate, days in terms:
            if per_day < 0:
                return None
            by_month[month] += per_day * rate * days
        for value in by_month.values():
            if abs(2 * (value.scaleb(-_PLACES) % 1) - 1) * NEAR_HALF < 1:
                return None
    return refund_months(by_month)


def refund_months(by_month: Mapping[str, Decimal]) -> tuple[MonthTotal, ...]:
    """Monthly refund totals (no co-financing), rounded to øre, in month order."""
    return tuple(month_total(m, rounded(v), _ZERO) for m, v in sorted(by_month.items()))


def cofinancing_months(by_month: Mapping[str, Decimal]) -> tuple[MonthTotal, ...]:
    """Monthly co-financing totals (no refund), rounded to øre, in month order."""
    return tuple(month_total(m, _ZERO, rounded(v)) for m, v in sorted(by_month.items()))


def week_of(day: date) -> int:
    """The index of *day*'s Monday-Sunday week (day ordinal 1, 1 January of year 1, is a
    Monday), so consecutive weeks have consecutive indices."""
    return (day.toordinal() - 1) // WEEK_DAYS


def monday_at(week: int) -> date:
    """The Monday of the week with index *week* (see :func:`week_of`)."""
    return date.fromordinal(week * WEEK_DAYS + 1)
