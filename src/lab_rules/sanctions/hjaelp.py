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

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import attrs

from lab_rules.inputs.timeline import Payment, Timeline
from lab_rules.law.hjaelp_rates import HjaelpRate, PersonFacts, rate_for
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


def paid_in_month(timeline: Timeline, day: date) -> Decimal | None:
    """The kontanthjælp-family payments for *day*'s month (a payment spanning months counts
    by its share of days in the month); None without any."""
    first, last = day.replace(day=1), month_end(day)
    total, covered = Decimal(), 0
    for payment in timeline.of_type(Payment):
        if payment.benefit not in KH_BENEFITS or payment.amount is None:
            continue
        start, end = max(payment.start, first), min(payment.end, last)
        if start > end:
            continue
        days = (payment.end - payment.start).days + 1
        overlap = (end - start).days + 1
        total += payment.amount * overlap / days
        covered += overlap
    return total if covered else None


def person_facts(timeline: Timeline, day: date, benefit: str | None) -> PersonFacts:
    person = timeline.person
    return PersonFacts(benefit, person.age_on(day), person.custody, person.married)


def monthly_hjaelp(timeline: Timeline, rates: Sequence[HjaelpRate], day: date,
                   benefit: str | None, basis: str) -> MonthlyHjaelp | None:
    """The hjælp of *day*'s month: with *basis* ``rate`` the rate the case system supplied on
    the payment covering *day*, else the person's rate of *benefit* when a table entry fits,
    else (and with ``paid``) the month's payments; None when none is known."""
    if basis == "rate":
        supplied = next((p.rate for p in timeline.of_type(Payment)
                         if p.rate is not None and p.benefit in KH_BENEFITS
                         and p.start <= day <= p.end), None)
        if supplied is not None:
            return MonthlyHjaelp(supplied, RATE_FACT)
    entry = rate_for(rates, day, person_facts(timeline, day, benefit)) if basis == "rate" else None
    if entry is not None:
        return MonthlyHjaelp(entry.monthly, RATE_TABLE, entry.id, entry.confidence.value)
    paid = paid_in_month(timeline, day)
    return MonthlyHjaelp(paid, PAYMENTS) if paid is not None else None
