"""Money by calendar week and month: the week's Monday, monthly totals and the øre rounding.

Amounts are Decimal kroner computed per day and rounded to øre only in the monthly totals, so
a total (the sum of rounded months) equals the sum of its parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

ORE = Decimal("0.01")
"""Rounding quantum: one øre (a technical constant, not law)."""
_ZERO = Decimal("0.00")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_key(day: date) -> str:
    return day.strftime("%Y-%m")


@attrs.frozen
class MonthTotal:
    month: str
    refund: Decimal
    cofinancing: Decimal


def rounded(value: Decimal) -> Decimal:
    return value.quantize(ORE, ROUND_HALF_UP)


def refund_months(by_month: Mapping[str, Decimal]) -> tuple[MonthTotal, ...]:
    """Monthly refund totals (no co-financing), rounded to øre, in month order."""
    return tuple(MonthTotal(m, rounded(v), _ZERO) for m, v in sorted(by_month.items()))


def cofinancing_months(by_month: Mapping[str, Decimal]) -> tuple[MonthTotal, ...]:
    """Monthly co-financing totals (no refund), rounded to øre, in month order."""
    return tuple(MonthTotal(m, _ZERO, rounded(v)) for m, v in sorted(by_month.items()))
