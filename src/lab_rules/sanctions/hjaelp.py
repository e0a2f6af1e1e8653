"""The person's monthly hjælp that a kontanthjælp sanction is banded and capped by.

LAS § 35, stk. 4 bands the sanktionssats by the hjælp the person receives under §§ 16-20 "pr.
måned", regardless of deductions for income, and caps a calendar month's deductions at "den
beregnede hjælp ... for samme måned": the person's RATE of hjælp. Which source wins:

1. the rate the case system supplies for the month (``rate`` on a kontanthjælp-family
   ``payment`` covering the day): the case system knows facts the table cannot see (living
   with parents, ekstra børnetilskud), so it wins over the table;
2. the dated rate table (kind ``hjaelp_rates``) entry that fits the person's facts on the day
   (age from ``Person.birth_date``, ``custody``, ``married``);
3. otherwise the month's kontanthjælp payments, and the result says so (``rate_basis =
   "payments"`` and a note): a partial month or an income deduction then lowers the band.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import attrs

from lab_rules.inputs.timeline import Payment, Timeline
from lab_rules.law.hjaelp_rates import HjaelpRate, PersonFacts, rate_for
from lab_rules.law.params import in_force_index
from lab_rules.sanctions.counting import month_end
from lab_rules.sanctions.select import KH_BENEFITS

RATE_FACT, RATE_TABLE, PAYMENTS = "rate_fact", "rate_table", "payments"


@attrs.frozen
class MonthlyHjaelp:
    """A month's hjælp and where it was read."""

    amount: Decimal
    basis: str
    """``rate_fact``, ``rate_table`` or ``payments``."""
    source: str | None = None
    """The rate entry's id (``rate_table``)."""
    confidence: str | None = None
    """The rate entry's confidence (``rate_table``)."""


@attrs.frozen
class KhPayments:
    """A timeline's kontanthjælp-family payments, indexed once: the amounts paid and the
    rates the case system supplied, so a day's rate is a binary search. The amount paid in a
    calendar month (a payment spanning months counts by its share of days in each) is summed
    when a month is first asked for and kept: a sanction asks for a month or two, not every
    month of the timeline."""

    paying: tuple[tuple[date, date, Decimal], ...]
    """The payments with an amount (first day, last day, amount), in timeline order."""
    rate_starts: tuple[date, ...]
    rate_reach: tuple[date, ...]
    """The latest end among the rate-carrying payments up to each one (non-decreasing)."""
    rates: tuple[Decimal, ...]
    _by_month: dict[date, Decimal | None] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def of(cls, timeline: Timeline) -> KhPayments:
        paying: list[tuple[date, date, Decimal]] = []
        starts: list[date] = []
        reach: list[date] = []
        rates: list[Decimal] = []
        backwards: list[date] = []
        for payment in timeline.of_type(Payment):
            if payment.benefit not in KH_BENEFITS:
                continue
            if payment.rate is not None:
                starts.append(payment.start)
                reach.append(max(payment.end, reach[-1]) if reach else payment.end)
                rates.append(payment.rate)
            if payment.amount is not None:
                paying.append((payment.start, payment.end, payment.amount))
                if payment.end < payment.start:
                    backwards.append(payment.start)
        indexed = cls(tuple(paying), tuple(starts), tuple(reach), tuple(rates))
        for start in backwards:  # summed at once: where it cannot be (0/0), it fails here
            indexed.paid(start)
        return indexed

    def paid(self, day: date) -> Decimal | None:
        """The payments for *day*'s month; None without any."""
        month = day.replace(day=1)
        if month in self._by_month:
            return self._by_month[month]
        last = month_end(month)
        total: Decimal | None = None
        for first, final, amount in self.paying:
            if first <= last and final >= month:
                start, end = max(first, month), min(final, last)
                share = amount * ((end - start).days + 1) / ((final - first).days + 1)
                total = (Decimal() if total is None else total) + share
        self._by_month[month] = total
        return total

    def rate(self, day: date) -> Decimal | None:
        """The rate on the first payment (in timeline order) that covers *day*."""
        index = bisect_left(self.rate_reach, day)
        if index < len(self.rates) and self.rate_starts[index] <= day:
            return self.rates[index]
        return None


def person_facts(timeline: Timeline, day: date, benefit: str | None) -> PersonFacts:
    person = timeline.person
    return PersonFacts(benefit, person.age_on(day), person.custody, person.married)


def monthly_hjaelp(timeline: Timeline, payments: KhPayments, rates: Sequence[HjaelpRate],
                   day: date, benefit: str | None, basis: str) -> MonthlyHjaelp | None:
    """The hjælp of *day*'s month: with *basis* ``rate`` the rate the case system supplied on
    the payment covering *day*, else the person's rate of *benefit* when a table entry fits,
    else (and with ``paid``) the month's payments; None when none is known."""
    if basis == "rate":
        supplied = payments.rate(day)
        if supplied is not None:
            return MonthlyHjaelp(supplied, RATE_FACT)
        in_force = in_force_index(rates).all_on(day) if isinstance(rates, tuple) else rates
        entry = rate_for(in_force, day, person_facts(timeline, day, benefit))
        if entry is not None:
            return MonthlyHjaelp(entry.monthly, RATE_TABLE, entry.id, entry.confidence.value)
    paid = payments.paid(day)
    return MonthlyHjaelp(paid, PAYMENTS) if paid is not None else None
