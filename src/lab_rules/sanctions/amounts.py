"""The kroner of a kontanthjælp sanction: the rate, the amount by the entry's ``amount``
method, the monthly cap and the last month a deduction may be made.

Methods: ``per_day_rate`` (the sanktionssats, or 2014-2019 the dagssats, per day),
``month_share`` (2009-2013: each month's hjælp × the calendar days in it / its days, LAS lbk
190/2012 § 35 stk. 4), ``rate_multiple`` (§§ 39-40: a multiple of the rate) and
``fixed_reduction`` (2009-2013 § 40: a fixed amount by rate category). The cap is per calendar
month (LAS § 35, stk. 4, 3. pkt.): the days of each month are capped against that month's hjælp
less what was already deducted in it.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lab_rules.calendar import Duration, Rounding, add
from lab_rules.core.messages import Message
from lab_rules.core.vocabulary import RateCategory
from lab_rules.law.policies import SanctionDeadline
from lab_rules.law.rule_texts import Figure, Month
from lab_rules.law.sanction_conditions import SanctionProcedure
from lab_rules.law.sanction_rates import RateTable
from lab_rules.law.sanctions import SanctionRule
from lab_rules.sanctions.counting import month_end
from lab_rules.sanctions.hjaelp import MonthlyHjaelp
from lab_rules.sanctions.result import Words

_CENT = Decimal((0, (1,), -2))


def month_key(day: date) -> str:
    """``YYYY-MM`` as ``strftime("%Y-%m")`` writes it."""
    return f"{day.year}-{day.month:02d}"


@attrs.frozen
class Amount:
    rate: Decimal | None
    portions: tuple[tuple[date, Decimal | None], ...]
    """Per month (its first day) the amount falling in it; None where the month's hjælp is
    unknown (a gap)."""

    @property
    def total(self) -> Decimal | None:
        known = [a for _, a in self.portions if a is not None]
        return sum(known, Decimal()) if known else None


def amount_of(entry: SanctionRule, day: date, dates: tuple[date, ...], table: RateTable,
              monthly: MonthlyHjaelp, hjaelp_of: Callable[[date], MonthlyHjaelp | None],
              category: RateCategory | None, notes: list[Words]) -> Amount | None:
    """The amount *entry* gives for a failure on *day* costing *dates*, with the month's hjælp
    *monthly* choosing the band; None when it is a gap (notes say why)."""
    rate = table.rate(monthly.amount)
    if entry.amount == "per_day_rate":
        if not dates:
            return None
        by_month: dict[date, int] = defaultdict(int)
        for d in dates:
            by_month[d.replace(day=1)] += 1
        return Amount(rate, tuple((m, rate * n) for m, n in sorted(by_month.items())))
    if entry.amount == "month_share":
        by_month = defaultdict(int)
        for d in dates:
            by_month[d.replace(day=1)] += 1
        portions: list[tuple[date, Decimal | None]] = []
        for first, n in sorted(by_month.items()):
            hjaelp = monthly if first == day.replace(day=1) else hjaelp_of(first)
            in_month = month_end(first).day
            if hjaelp is None:
                notes.append(Message("sanctions.note.share_unknown", month=Month(first),
                                     days=Message("unit.days", n=n)))
                portions.append((first, None))
                continue
            notes.append(entry.text("share", days=n, in_month=in_month,
                                    monthly=Figure(hjaelp.amount)))
            portions.append((first, hjaelp.amount * n / in_month))
        shown = (monthly.amount / month_end(day).day).quantize(_CENT, ROUND_HALF_UP)
        return Amount(shown, tuple(portions)) if portions else None
    if entry.amount == "rate_multiple":
        return Amount(rate, ((day.replace(day=1), rate * entry.integer("multiple")),))
    if entry.amount == "fixed_reduction":
        fixed = dict(table.reductions).get(category) if category is not None else None
        if fixed is None or category is None:
            notes.append(entry.text("no_category"))
            return None
        notes.append(entry.text("fixed", category=category.value))
        return Amount(fixed, ((day.replace(day=1), fixed),))
    return None


@attrs.frozen
class Deducted:
    deducted: Decimal | None
    by_month: tuple[tuple[str, Decimal, Decimal | None], ...]


def cap(amount: Amount, used: dict[str, Decimal],
        hjaelp_of: Callable[[date], MonthlyHjaelp | None],
        procedure: SanctionProcedure | None, notes: list[Words],
        capped: bool = True) -> Deducted:
    """Each month's part capped at that month's hjælp less what *used* already holds for it
    (updated), with *procedure*'s note on a capped month; a month whose hjælp is unknown is
    not capped, and a note says so. Without
    *capped* (before 2020) the parts are only rounded."""
    total, rows = Decimal(), []
    for first, part in amount.portions:
        if part is None:
            continue
        key = month_key(first)
        hjaelp = hjaelp_of(first) if capped else None
        if not capped:
            deducted = part.quantize(_CENT, ROUND_HALF_UP)
        elif hjaelp is None:
            notes.append(Message("sanctions.note.cap_unknown", month=Month(first)))
            deducted = part.quantize(_CENT, ROUND_HALF_UP)
        else:
            room = max(hjaelp.amount - used[key], Decimal())
            deducted = min(part, room).quantize(_CENT, ROUND_HALF_UP)
            if deducted < part and procedure is not None and procedure.cap_note:
                notes.append(procedure.capped(monthly=Figure(hjaelp.amount), month=Month(first)))
        used[key] += deducted
        total += deducted
        rows.append((key, part, deducted))
    return Deducted(total, tuple(rows))


def last_deduction(day: date, procedure: SanctionProcedure | None,
                   policy: SanctionDeadline) -> tuple[str | None, date | None]:
    """The last month (and day) a deduction for a failure on *day* may be made: by default
    the end of the ``deduction_within``-th whole calendar month after the failure's month;
    under ``from_failure_day`` that many months from the failure's day."""
    if procedure is None or procedure.deduction_within is None:
        return None, None
    return _deadline(day, procedure.deduction_within, policy)


@functools.lru_cache(maxsize=8192)
def _deadline(day: date, within: Duration, policy: SanctionDeadline) -> tuple[str, date]:
    """:func:`last_deduction` of a procedure's ``deduction_within``; failures share days, so
    the answer is kept."""
    if policy is SanctionDeadline.FROM_FAILURE_DAY:
        last = add(day, within, Rounding.DOWN)
    else:
        last = month_end(add(day.replace(day=1), within, Rounding.STRICT))
    return month_key(last), last
