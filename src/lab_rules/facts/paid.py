"""Paid days per benefit: from payment events where a benefit has them, else from its benefit
periods (amount unknown). Every money computation reads these intervals from the facts stage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from lab_rules.core.slots import slot_setter
from lab_rules.core.vocabulary import Benefit
from lab_rules.inputs.timeline import BenefitEnded, BenefitStarted, Payment, Timeline


@attrs.frozen
class Interval:
    """Days ``start``..``end`` inclusive on one benefit, with the amount per day if known."""

    benefit: Benefit
    start: date
    end: date
    per_day: Decimal | None


_NEW = object.__new__
_SET_BENEFIT = slot_setter(Interval, "benefit")
_SET_START = slot_setter(Interval, "start")
_SET_END = slot_setter(Interval, "end")
_SET_PER_DAY = slot_setter(Interval, "per_day")


def paid_intervals(timeline: Timeline, as_of: date, benefits: frozenset[Benefit]
               ) -> list[Interval]:
    """Paid days per benefit: from payment events where a benefit has them, else from its
    benefit periods (amount unknown).

    A person has an interval for every payment, so the payments' intervals are built by
    setting their slots directly, in about half the time of the frozen class's ``__init__``
    (which sets each field through ``object.__setattr__`` by name). :class:`Interval` has no
    defaults, validators or converters, so both build equal objects
    (``tests/test_paid_intervals_built.py`` pins it)."""
    paid: list[Interval] = []
    with_payments: set[Benefit] = set()
    for payment in timeline.of_type(Payment):
        benefit, start, end = payment.benefit, payment.start, payment.end
        if benefit not in benefits or start > as_of:
            continue
        with_payments.add(benefit)
        amount = payment.amount
        interval = _NEW(Interval)
        _SET_BENEFIT(interval, benefit)
        _SET_START(interval, start)
        _SET_END(interval, end if end <= as_of else as_of)
        _SET_PER_DAY(interval, amount / ((end - start).days + 1) if amount is not None
                     else None)
        paid.append(interval)
    if all(e.benefit in with_payments or e.benefit not in benefits
           for e in timeline.of_type(BenefitStarted)):
        return paid
    running: dict[Benefit, date] = {}
    for event in timeline.events:
        if isinstance(event, BenefitStarted) and event.benefit in benefits:
            running.setdefault(event.benefit, event.date)
        elif isinstance(event, BenefitEnded) and event.benefit in running:
            start = running.pop(event.benefit)
            if event.benefit not in with_payments:
                paid.append(Interval(event.benefit, start, min(event.date, as_of), None))
    for benefit, start in running.items():
        if benefit not in with_payments and start <= as_of:
            paid.append(Interval(benefit, start, as_of, None))
    return paid
