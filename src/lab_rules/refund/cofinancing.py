"""Municipal co-financing of dagpenge before the staircase (ALF § 82 a), from the periods of
``rules/parameters/dagpenge-medfinansiering.toml``.

Per calendar week (Monday-Sunday) and in hours (BEK 316/2011 § 24): the municipality pays the
period's share of the dagpenge of passive hours, of active hours in a "low" offer (education,
virksomhedspraktik) or another offer and, where the period says so, a higher share of the
passive hours of a week in which the person had ret og pligt to an offer but was not in one
("passive timer med ret og pligt", BEK 316/2011 § 3, stk. 3). The period's first karens weeks
after the indplacering are free, in 2010-2012 counted from Monday of week 1 of the calendar
year (BEK 316/2011 § 9, INFERRED to apply to every recipient). Hours are the payments' hours,
or the file's assumed hours a weekday (``assumed_hours``); offer hours are the offer's
hours a week, or all the week's hours when not given. Every week names its period.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import attrs

from lab_rules.contact.results import Obligation, Status
from lab_rules.facts.facts import Facts
from lab_rules.inputs.timeline import BenefitStarted, OfferEnded, OfferStarted, Payment
from lab_rules.law.cofinancing import CofinancingPeriod, CofinancingRules
from lab_rules.law.model import FulfilledBy
from lab_rules.refund.months import MonthTotal, cofinancing_months, monday_of, month_key

_WEEK = timedelta(days=7)
_TO_SUNDAY = _WEEK - timedelta(days=1)
_WORKDAYS = 5
_DAY = timedelta(days=1)
_WEEKDAY_OFFSETS = tuple(timedelta(days=i) for i in range(_WORKDAYS))
_DEADLINE_STATUSES = (Status.MET, Status.MET_LATE, Status.OVERDUE)
_OFFER_STARTED = FulfilledBy.OFFER_STARTED


@attrs.frozen
class CofinancingWeek:
    """One dagpenge week: hours by kind, the shares that apply and the municipal amount."""

    monday: date
    hours: Decimal
    active_low: Decimal
    active_high: Decimal
    passive: Decimal
    late_passive: bool
    karens: bool
    municipal: Decimal | None
    legal_basis: str
    entry: str = ""
    """The id of the co-financing period that produced the week."""
    hours_entry: str = ""
    """The id of the assumed hours used when payments did not give hours ("" when they did)."""


def _week_hours(person: _Person, monday: date, dagpenge_days: int,
                weekday_hours: Decimal) -> tuple[Decimal, Decimal | None]:
    """Dagpenge hours in the week and the amount per hour (from payments when they say)."""
    sunday = monday + _TO_SUNDAY
    hours, amount, known = Decimal(0), Decimal(0), bool(person.payments)
    for payment in person.overlapping(monday, sunday):
        overlap = (min(payment.end, sunday) - max(payment.start, monday)).days + 1
        if overlap <= 0:
            continue
        days = (payment.end - payment.start).days + 1
        if payment.hours is None or payment.amount is None:
            known = False
        else:
            hours += payment.hours * overlap / days
            amount += payment.amount * overlap / days
    if known and hours:
        return hours, amount / hours
    return weekday_hours * dagpenge_days, None


def _merged(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Sorted spans of days joined where they overlap or touch."""
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + _DAY:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@attrs.frozen
class _Person:
    """What co-financing reads from one person's facts."""

    spans: list[tuple[date, date]]
    payments: list[Payment]
    offers: list[tuple[OfferStarted, date | None]]
    due_dates: list[date]
    indplaceringer: list[date]
    """In order of day."""
    payment_days: tuple[list[date], list[date]] | None = None
    """The payments' first and last days, when both are in order (then the payments of a week
    are found by a binary search)."""

    def overlapping(self, monday: date, sunday: date) -> list[Payment]:
        """The payments that may touch monday..sunday, in order: all of them, or when they
        are in order of both first and last day, those that end on or after *monday* and
        start on or before *sunday*."""
        if self.payment_days is None:
            return self.payments
        starts, ends = self.payment_days
        return self.payments[bisect_left(ends, monday):bisect_right(starts, sunday)]


def _person(facts: Facts, obligations: Iterable[Obligation], rules: CofinancingRules,
            spans: list[tuple[date, date]]) -> _Person:
    known = facts.timeline
    ends = sorted(e.date for e in known.of_type(OfferEnded))
    payments = [p for p in known.of_type(Payment) if p.benefit is rules.benefit]
    firsts, lasts = [p.start for p in payments], [p.end for p in payments]
    return _Person(
        spans, payments,
        [(o, next((d for d in ends if d >= o.date), None)) for o in known.of_type(OfferStarted)],
        [o.due for o in obligations
         if o.rule.fulfilled_by.event is _OFFER_STARTED and o.group is rules.group
         and o.status in _DEADLINE_STATUSES],
        sorted(e.date for e in known.of_type(BenefitStarted) if e.benefit is rules.benefit),
        (firsts, lasts) if _ordered(firsts) and _ordered(lasts) else None)


def _ordered(days: list[date]) -> bool:
    return all(a <= b for a, b in pairwise(days))


def _offer_hours(person: _Person, rules: CofinancingRules, monday: date, days: list[date],
                 hours: Decimal) -> tuple[Decimal, Decimal]:
    """Active hours of the week in low and in other offers."""
    sunday = monday + _TO_SUNDAY
    low = high = Decimal(0)
    for offer, end in person.offers:
        if offer.date > sunday or (end is not None and end < monday):
            continue
        in_offer = sum(1 for d in days if offer.date <= d and (end is None or d <= end))
        offered = offer.hours_per_week if offer.hours_per_week is not None else hours
        part = min(offered * in_offer / _WORKDAYS, hours - low - high)
        if offer.offer in rules.low_offers:
            low += part
        else:
            high += part
    return low, high


def _karens_start(person: _Person, period: CofinancingPeriod, monday: date) -> date:
    """The Monday karens weeks count from: the latest indplacering, or in periods that say
    so the Monday of ISO week 1 of the year if later."""
    sunday = monday + _TO_SUNDAY
    started = bisect_right(person.indplaceringer, sunday)
    start = person.indplaceringer[started - 1] if started else person.spans[0][0]
    if period.karens_from_year_start:
        start = max(start, date.fromisocalendar(monday.year, 1, 1))
    return monday_of(start)


def compute_cofinancing(facts: Facts, obligations: Iterable[Obligation], rules: CofinancingRules
                        ) -> tuple[tuple[CofinancingWeek, ...], tuple[MonthTotal, ...]]:
    """The co-financing weeks of the benefit within the periods of *rules*."""
    if not rules.periods:
        return (), ()
    spans = sorted((i.start, i.end) for i in facts.paid_of(frozenset({rules.benefit})))
    if not spans:
        return (), ()
    first_day, last_day = rules.periods[0].valid_from, min(rules.periods[-1].valid_to,
                                                           facts.as_of)
    monday = monday_of(max(first_day, spans[0][0]))
    if monday > last_day:  # paid only after the periods (or after as_of): no week to walk
        return (), ()
    weeks: list[CofinancingWeek] = []
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    karens_count: dict[date, int] = defaultdict(int)
    merged = _merged(spans)
    starts, ends = [s for s, _ in merged], [e for _, e in merged]
    person = None
    while monday <= last_day:
        days = []
        for offset in _WEEKDAY_OFFSETS:
            day = monday + offset
            index = bisect_right(starts, day) - 1
            if index >= 0 and day <= ends[index]:
                days.append(day)
        if not days:
            following = bisect_left(ends, monday + _WEEK)
            if following == len(merged):
                break
            monday = max(monday + _WEEK, monday_of(starts[following]))
            continue
        period = rules.period(monday)
        if period is not None:
            if person is None:
                person = _person(facts, obligations, rules, spans)
            weeks.append(_week(person, rules, period, monday, days, karens_count, by_month))
        monday += _WEEK
    return tuple(weeks), cofinancing_months(by_month)


def _week(person: _Person, rules: CofinancingRules, period: CofinancingPeriod, monday: date,
          days: list[date], karens_count: dict[date, int], by_month: dict[str, Decimal]
          ) -> CofinancingWeek:
    hours, per_hour = _week_hours(person, monday, len(days), rules.weekday_hours)
    low, high = _offer_hours(person, rules, monday, days, hours)
    passive = hours - low - high
    sunday = monday + _TO_SUNDAY
    late = any(due <= sunday for due in person.due_dates) and passive > 0
    key = _karens_start(person, period, monday)
    karens_count[key] += 1
    karens = karens_count[key] <= period.karens_weeks
    share_hours = Decimal(0) if karens else (
        low * period.active_low + high * period.active_high
        + passive * (period.late if late else period.passive))
    municipal = share_hours * per_hour if per_hour is not None else None
    if municipal is not None:
        by_month[month_key(monday)] += municipal
    return CofinancingWeek(monday, hours, low, high, passive, late, karens, municipal,
                           period.legal_basis, period.id,
                           "" if per_hour is not None else rules.weekday_hours_entry)
