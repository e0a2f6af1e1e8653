"""Refund rates before the staircase (eras A and B, 2007 - 2015) and the rate periods of a person.

The rate of a day is the rate row in force for its benefit (``rules/parameters/
refusionsbortfald.toml``): passive, or active while in an offer of at least the row's hours
with no long absence in the month, and for sygedagpenge by the week of the sickness spell
counted in 7-day blocks from the first day of absence (SDP § 62 week bands in the row). The
rows end where the staircase begins (lov 994/2015 § 29, stk. 3); old fleksjob cases keep their
own row after it (§ 30, stk. 2). Every period names the row that produced it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import attrs

from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.facts import Facts
from lab_rules.facts.paid import Interval
from lab_rules.inputs.timeline import Timeline
from lab_rules.law.model import Confidence
from lab_rules.law.refund_losses import BaseRate, LossSchedule
from lab_rules.refund.case_facts import (
    OfferSpan,
    fleksjob_visitation,
    long_absence_in_month,
    offer_spans,
    spell_start,
    visitations,
)
from lab_rules.refund.months import MonthTotal, month_key, refund_months

_DAY = timedelta(days=1)
_WEEK_DAYS = 7


def day_rate(schedule: LossSchedule, timeline: Timeline, offers: list[OfferSpan],
             benefit: Benefit, day: date, visits: Sequence[date] | None = None
             ) -> tuple[Decimal, bool, BaseRate] | None:
    """The refund rate of *benefit* on *day*, whether the day is active, and the rate row.

    Active: in an offer of at least the row's minimum hours a week (fewer when documented;
    an offer without hours is taken to qualify), with no continuous absence longer than the
    row allows in the month."""
    row = schedule.rate_on(benefit, day, fleksjob_visitation(timeline, day, visits))
    if row is None:
        return None
    active = any(offer.covers(day) and (
        row.active_min_hours is None or offer.hours_per_week is None
        or offer.hours_per_week >= row.active_min_hours or offer.documented) for offer in offers)
    if active and row.max_absence_days is not None:
        active = not long_absence_in_month(timeline, day, row.max_absence_days)
    week = None
    if row.week_bands:
        spell = spell_start(timeline, day)
        week = (day - spell).days // _WEEK_DAYS + 1 if spell else None
    return row.rate(active, week), active, row


@attrs.frozen
class RatePeriod:
    """Consecutive days of one benefit at one refund rate before the staircase."""

    benefit: Benefit
    start: date
    end: date
    days: int
    rate: Decimal
    active: bool
    cost: Decimal | None
    refund: Decimal | None
    legal_basis: str
    confidence: Confidence
    entry: str = ""
    """The id of the rate row that produced the period."""


@attrs.define
class _Open:
    """A rate period being built."""

    rate: Decimal
    active: bool
    row: BaseRate
    start: date
    end: date

    def close(self, interval: Interval) -> RatePeriod:
        days = (self.end - self.start).days + 1
        cost = interval.per_day * days if interval.per_day is not None else None
        return RatePeriod(interval.benefit, self.start, self.end, days, self.rate, self.active,
                          cost, cost * self.rate if cost is not None else None,
                          self.row.legal_basis, self.row.confidence, self.row.id)


def compute_rate_periods(facts: Facts, schedule: LossSchedule
                         ) -> tuple[tuple[RatePeriod, ...], tuple[MonthTotal, ...]]:
    """The refund of the days with a rate row, as periods of equal rate, and per month.

    Only benefits with a rate row for the day are listed; amounts need payment events."""
    timeline = facts.timeline
    offers = offer_spans(timeline)
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    periods: list[RatePeriod] = []
    paid = facts.paid_of(frozenset(r.benefit for r in schedule.rates))
    visits = visitations(timeline)
    for interval in sorted(paid, key=lambda i: (i.benefit.value, i.start)):
        if not any(r.benefit is interval.benefit and r.valid_from <= interval.end
                   and interval.start <= r.valid_to for r in schedule.rates):
            continue
        day, current = interval.start, None
        while day <= interval.end:
            found = day_rate(schedule, timeline, offers, interval.benefit, day, visits)
            if found is None:
                if current is not None:
                    periods.append(current.close(interval))
                current = None
            else:
                rate, active, row = found
                if current is not None and (current.rate, current.active, current.row) == (
                        rate, active, row) and current.end == day - _DAY:
                    current.end = day
                else:
                    if current is not None:
                        periods.append(current.close(interval))
                    current = _Open(rate, active, row, day, day)
                if interval.per_day is not None:
                    by_month[month_key(day)] += interval.per_day * rate
            day += _DAY
        if current is not None:
            periods.append(current.close(interval))
    return tuple(periods), refund_months(by_month)
