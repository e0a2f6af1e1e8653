"""Refund rates before the staircase (eras A and B, 2007 - 2015) and the rate periods of a person.

The rate of a day is the rate row in force for its benefit (``rules/parameters/
refusionsbortfald.toml``): passive, or active while in an offer of at least the row's hours
with no long absence in the month, and for sygedagpenge by the week of the sickness spell
counted in 7-day blocks from the first day of absence (SDP § 62 week bands in the row). The
rows end where the staircase begins (lov 994/2015 § 29, stk. 3); old fleksjob cases keep their
own row after it (§ 30, stk. 2). Every period names the row that produced it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import attrs

from lab_rules.core.messages import Said
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
    spell_starts,
    visitations,
)
from lab_rules.refund.law_index import ScheduleIndex, schedule_index
from lab_rules.refund.months import MonthTotal, exact_months, month_key, refund_months

_DAY = timedelta(days=1)
_WEEK_DAYS = 7
_MONTHS = 12


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
    basis: Said | None = None
    """The legal basis in both languages (``legal_basis`` is the English form of JSON)."""


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
                          self.row.legal_basis, self.row.confidence, self.row.id,
                          self.row.basis)


def compute_rate_periods(facts: Facts, schedule: LossSchedule
                         ) -> tuple[tuple[RatePeriod, ...], tuple[MonthTotal, ...]]:
    """The refund of the days with a rate row, as periods of equal rate, and per month.

    Only benefits with a rate row for the day are listed; amounts need payment events. The
    rate is found once per stretch of days on which nothing it depends on changes; the
    monthly sums are exact and equal the day-by-day Decimal sums to the øre, which decide
    where a sum lies within a billionth of an øre of half an øre."""
    timeline = facts.timeline
    index = schedule_index(schedule)
    paid = facts.paid_of(index.rate_benefits)
    if not paid:
        return (), ()
    last_rated = index.last_rated
    if not any(i.start <= last_rated for i in paid):
        return (), ()
    visits = visitations(timeline)
    rows: dict[Benefit, _Rows | None] = {}
    rated = []
    for interval in paid:
        benefit = interval.benefit
        if benefit not in rows:
            rows[benefit] = _rows(index, benefit, visits)
        own = rows[benefit]
        if (own is not None and interval.start <= own[1] and interval.end >= own[0]
                and _rated(interval, own[2])):
            rated.append(interval)
    if not rated:
        return (), ()
    offers = offer_spans(timeline)
    stretches = RateStretches(schedule, offers, visits, spell_starts(timeline))
    terms: list[tuple[str, Decimal, Decimal, int]] = []
    periods: list[RatePeriod] = []
    for interval in sorted(rated, key=lambda i: (i.benefit.value, i.start)):
        current = None
        for start, end in stretches.of(interval):
            found = day_rate(schedule, timeline, offers, interval.benefit, start, visits)
            if found is None:
                if current is not None:
                    periods.append(current.close(interval))
                current = None
                continue
            rate, active, row = found
            if current is not None and (current.rate, current.active, current.row) == (
                    rate, active, row) and current.end == start - _DAY:
                current.end = end
            else:
                if current is not None:
                    periods.append(current.close(interval))
                current = _Open(rate, active, row, start, end)
            if interval.per_day is not None:
                terms.append((month_key(start), interval.per_day, rate, (end - start).days + 1))
        if current is not None:
            periods.append(current.close(interval))
    months = exact_months(terms)
    return tuple(periods), months if months is not None else _day_by_day(facts, schedule)


_Rows = tuple[date, date, list[BaseRate]]
"""A benefit's rate rows for one person, from the first one's first day to the last one's
last."""


def _rows(index: ScheduleIndex, benefit: Benefit, visits: Sequence[date]) -> _Rows | None:
    """The rate rows of *benefit* that can apply to the person: a row of the old fleksjob
    scheme only for a person visited before its ``visited_before``. Found once per benefit,
    so that an interval outside all of them is set aside by two comparisons."""
    found = [r for r in index.rows[benefit]
             if r.visited_before is None or bool(visits and visits[0] < r.visited_before)]
    if not found:
        return None
    return min(r.valid_from for r in found), max(r.valid_to for r in found), found


def _rated(interval: Interval, rows: list[BaseRate]) -> bool:
    """Whether one of *rows* is in force on one of the interval's days."""
    return any(r.valid_from <= interval.end and interval.start <= r.valid_to for r in rows)


class RateStretches:
    """One person's paid intervals cut on every day their rate could change: a rate row's
    first and last day, a visitation, an offer's start and end, the first of a month (absence
    is judged per month), a sickness spell's start and its week bands. The days that do not
    depend on the interval are found once per benefit."""

    __slots__ = ("_changes", "_index", "_offers", "_spells", "_visits")

    def __init__(self, schedule: LossSchedule, offers: list[OfferSpan], visits: Sequence[date],
                 spells: Sequence[date]) -> None:
        self._index = schedule_index(schedule)
        self._offers, self._visits, self._spells = offers, visits, spells
        self._changes: dict[Benefit, list[date]] = {}

    def _of_benefit(self, benefit: Benefit) -> list[date]:
        found = self._changes.get(benefit)
        if found is None:
            changes = {*self._visits, *self._spells}
            for row in self._index.rows.get(benefit, ()):
                changes.add(row.valid_from)
                if row.valid_to < date.max:
                    changes.add(row.valid_to + _DAY)
                for spell in self._spells:
                    for band in row.week_bands:
                        changes.add(spell + timedelta(days=_WEEK_DAYS * (band.first - 1)))
                        if band.last is not None:
                            changes.add(spell + timedelta(days=_WEEK_DAYS * band.last))
            for offer in self._offers:
                changes.add(offer.start)
                if offer.end is not None and offer.end < date.max:
                    changes.add(offer.end + _DAY)
            found = self._changes[benefit] = sorted(changes)
        return found

    def of(self, interval: Interval) -> list[tuple[date, date]]:
        """The days of *interval* as stretches (first, last) of one rate, in order."""
        changes = self._of_benefit(interval.benefit)
        cuts = set(changes[bisect_right(changes, interval.start):
                           bisect_right(changes, interval.end)])
        month = interval.start.replace(day=1)
        while month <= interval.end:
            if month > interval.start:
                cuts.add(month)
            month = date(month.year + month.month // _MONTHS, month.month % _MONTHS + 1, 1)
        starts = [interval.start, *sorted(cuts)]
        return [(lo, hi - _DAY) for lo, hi in zip(starts, [*starts[1:], interval.end + _DAY],
                                                  strict=True)]


def _day_by_day(facts: Facts, schedule: LossSchedule) -> tuple[MonthTotal, ...]:
    """The monthly refund summed day by day in Decimal (the reference of the exact sums)."""
    timeline = facts.timeline
    offers = offer_spans(timeline)
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    visits = visitations(timeline)
    paid = facts.paid_of(frozenset(r.benefit for r in schedule.rates))
    for interval in sorted(paid, key=lambda i: (i.benefit.value, i.start)):
        if interval.per_day is None:
            continue
        day = interval.start
        while day <= interval.end:
            found = day_rate(schedule, timeline, offers, interval.benefit, day, visits)
            if found is not None:
                by_month[month_key(day)] += interval.per_day * found[0]
            day += _DAY
    return refund_months(by_month)
