"""Municipal co-financing of dagpenge, 4 January 2010 - 3 January 2016 (ALF § 82 a).

Per calendar week (Monday-Sunday) and in hours (BEK 316/2011 § 24): the municipality pays a share
of the dagpenge of passive hours (50 %, from 2011 70 %), of active hours in an offer (25 %; from
2011 50 % for education and virksomhedspraktik, 70 % for other offers) and, in 2011-2012, 100 %
of the passive hours of a week in which the person had ret og pligt to an offer but was not in
one of the prescribed extent ("passive timer med ret og pligt", BEK 316/2011 § 3 stk. 3). The
first weeks after the indplacering are free (karens: 18 weeks in 2010, 12 in 2011, 8 in 2012,
then 4), in 2010-2012 counted from Monday of week 1 of the calendar year (BEK 316/2011 § 9,
INFERRED to apply to every recipient). Hours are the payments' hours, or 7.4 a weekday on
dagpenge; offer hours are the offer's hours a week, or all the week's hours when not given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lab_rules.contact.results import Obligation, Status
from lab_rules.core.vocabulary import Benefit, TargetGroup
from lab_rules.facts.clocks import HOURS_PER_WEEKDAY
from lab_rules.facts.paid import paid_intervals
from lab_rules.inputs.timeline import BenefitStarted, OfferEnded, OfferStarted, Payment, Timeline
from lab_rules.law.model import FulfilledBy
from lab_rules.law.refund import CofinancingRules
from lab_rules.refund.staircase import ORE, MonthTotal, monday_of


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


def _week_hours(payments: list[Payment], monday: date, dagpenge_days: int) -> tuple[
        Decimal, Decimal | None]:
    """Dagpenge hours in the week and the amount per hour (from payments when they say)."""
    sunday = monday + timedelta(days=6)
    hours, amount, known = Decimal(0), Decimal(0), bool(payments)
    for payment in payments:
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
    return HOURS_PER_WEEKDAY * dagpenge_days, None


def compute_cofinancing(timeline: Timeline, as_of: date, obligations: Iterable[Obligation],
                        rules: CofinancingRules
                        ) -> tuple[tuple[CofinancingWeek, ...], tuple[MonthTotal, ...]]:
    """The co-financing weeks of dagpenge from 4 January 2010 to 3 January 2016."""
    if not rules.periods:
        return (), ()
    known = timeline.until(as_of)
    first_day, last_day = rules.periods[0].valid_from, min(rules.periods[-1].valid_to, as_of)
    spans = _dagpenge_spans(known, as_of)
    if not spans:
        return (), ()
    payments = [p for p in known.of_type(Payment) if p.benefit is Benefit.DAGPENGE]
    ends = sorted(e.date for e in known.of_type(OfferEnded))
    offers = [(o, next((d for d in ends if d >= o.date), None))
              for o in known.of_type(OfferStarted)]
    due_dates = [o.due for o in obligations
                 if o.rule.fulfilled_by.event is FulfilledBy.OFFER_STARTED
                 and o.group is TargetGroup.DAGPENGE
                 and o.status in (Status.MET, Status.MET_LATE, Status.OVERDUE)]
    indplaceringer = [e.date for e in known.of_type(BenefitStarted)
                      if e.benefit is Benefit.DAGPENGE]
    weeks: list[CofinancingWeek] = []
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    monday = monday_of(max(first_day, spans[0][0]))
    karens_count: dict[date, int] = {}
    while monday <= last_day:
        period = rules.period(monday)
        sunday = monday + timedelta(days=6)
        days = [monday + timedelta(days=i) for i in range(5)
                if any(s <= monday + timedelta(days=i) <= e for s, e in spans)]
        if period is None or not days:
            monday += timedelta(days=7)
            continue
        hours, per_hour = _week_hours(payments, monday, len(days))
        low = high = Decimal(0)
        for offer, end in offers:
            if offer.date > sunday or (end is not None and end < monday):
                continue
            in_offer = sum(1 for d in days if offer.date <= d and (end is None or d <= end))
            offered = (offer.hours_per_week if offer.hours_per_week is not None else hours)
            part = min(offered * in_offer / 5, hours - low - high)
            if offer.offer in rules.low_offers:
                low += part
            else:
                high += part
        passive = hours - low - high
        late = any(due <= sunday for due in due_dates) and passive > 0
        start = max(d for d in indplaceringer if d <= sunday) if any(
            d <= sunday for d in indplaceringer) else spans[0][0]
        if period.karens_from_year_start:
            year_start = monday_of(date(monday.year, 1, 4))
            start = max(start, year_start)
        key = monday_of(start)
        karens_count[key] = karens_count.get(key, 0) + 1
        karens = karens_count[key] <= period.karens_weeks
        share_hours = Decimal(0) if karens else (
            low * period.active_low + high * period.active_high
            + passive * (period.late if late else period.passive))
        municipal = share_hours * per_hour if per_hour is not None else None
        if municipal is not None:
            by_month[monday.strftime("%Y-%m")] += municipal
        weeks.append(CofinancingWeek(monday, hours, low, high, passive, late, karens, municipal,
                                     period.legal_basis))
        monday += timedelta(days=7)
    months = tuple(MonthTotal(m, Decimal("0.00"), v.quantize(ORE, ROUND_HALF_UP))
                   for m, v in sorted(by_month.items()))
    return tuple(weeks), months


def _dagpenge_spans(timeline: Timeline, as_of: date) -> list[tuple[date, date]]:
    return sorted((i.start, i.end) for i in paid_intervals(timeline, as_of,
                                                        frozenset({Benefit.DAGPENGE})))
