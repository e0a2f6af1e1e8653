"""Refund before the staircase (eras A and B, 2007 - 2015): rates, and refund lost for late steps.

The rates of a day depend on the benefit, the era, whether the person is in an offer (active)
and, for sygedagpenge, the week of the sickness spell counted in 7-day blocks from the first
day of absence (SDP § 62: 100 % weeks 1-4, 50 % weeks 5-8, 30/50 % weeks 9-52, none after).

Until 2015 a municipality lost the state refund of a person's kontanthjælp for the days an
obligation was overdue: an activation offer not started by the ret og pligt deadline (L1), or
a jobsamtale not held in time in a case drawn in the state's sample audit (L2). A loss runs
from the deadline (policy ``loss_from``) to the day before the obligation was met, or to
``as_of`` while it is unmet, and is total: the refund that would have been paid for those days,
at the passive or active rate of the day, is lost (catalogue ``refund.md`` §§ 2-3, 6).

Loss rules and rates are data (``rules/parameters/refusionsbortfald.toml``). The no-show policy
acts through the obligations: under ``timely_summons_counts`` a summoned no-show meets the
obligation, so there is no loss; under ``restart_from_contact`` the days of suspension are no
loss.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lab_rules.calendar import Duration, Rounding, add
from lab_rules.contact.results import Obligation, Status
from lab_rules.core.vocabulary import Benefit, CaseStep, TargetGroup
from lab_rules.facts.paid import Interval, paid_intervals
from lab_rules.inputs.timeline import (
    AuditSampled,
    CaseStepDone,
    GroupChanged,
    OfferAbsence,
    OfferEnded,
    OfferStarted,
    SicknessReported,
    Timeline,
)
from lab_rules.law.model import Confidence
from lab_rules.law.policies import LossFrom, Policies
from lab_rules.law.refund import BaseRate, LossRule, LossSchedule
from lab_rules.refund.staircase import ORE, MonthTotal


@attrs.frozen
class RefundLoss:
    """Refund lost for the days ``start``..``end`` because an obligation was late."""

    loss_rule: LossRule
    rule_id: str
    sequence: int
    due: date
    fulfilled_on: date | None
    start: date
    end: date
    days: int
    amount: Decimal | None
    loss_from: str

    def explain(self, lang: str = "en") -> str:
        held = self.fulfilled_on.isoformat() if self.fulfilled_on else None
        if lang == "da":
            until = f"opfyldt {held}" if held else "endnu ikke opfyldt"
            return (f"{self.loss_rule.title_da} ({self.loss_rule.legal_basis}): frist "
                    f"{self.due}, {until}; refusionen bortfalder {self.start} til {self.end} "
                    f"({self.days} dage, loss_from={self.loss_from}).")
        until = f"met {held}" if held else "not met yet"
        return (f"{self.loss_rule.title_en} ({self.loss_rule.legal_basis}): due {self.due}, "
                f"{until}; refund lost {self.start} to {self.end} ({self.days} days, "
                f"loss_from={self.loss_from}).")


@attrs.frozen
class OfferSpan:
    """An offer's days with what the refund rate needs to know about it."""

    start: date
    end: date | None
    hours_per_week: Decimal | None
    documented: bool


def _offer_days(timeline: Timeline) -> list[OfferSpan]:
    """Periods in an offer (started .. ended), for the active refund rate."""
    periods: list[OfferSpan] = []
    ends = sorted(e.date for e in timeline.of_type(OfferEnded))
    for started in timeline.of_type(OfferStarted):
        end = next((d for d in ends if d >= started.date), None)
        periods.append(OfferSpan(started.date, end, started.hours_per_week,
                                 bool(started.reduced_hours_documented)))
    return periods


def _spell_start(timeline: Timeline, day: date) -> date | None:
    """First day of the sickness spell that *day* belongs to (SDP § 62: "1. sygedag")."""
    starts = [s.first_absence_day for s in timeline.of_type(SicknessReported)
              if s.first_absence_day <= day]
    return max(starts) if starts else None


def _long_absence_in_month(timeline: Timeline, day: date, limit: int) -> bool:
    """More than *limit* days' continuous absence from an offer in *day*'s calendar month (the
    monthly payment period of LAS § 89)."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    for absence in timeline.of_type(OfferAbsence):
        start, end = max(absence.start, first), min(absence.end, following - timedelta(days=1))
        if start <= end and (end - start).days + 1 > limit:
            return True
    return False


def fleksjob_visitation(timeline: Timeline, day: date) -> date | None:
    """The latest fleksjob visitation on or before *day*, if the timeline has one."""
    visits = [e.date for e in timeline.of_type(CaseStepDone)
              if e.step is CaseStep.VISITATION and e.date <= day]
    return max(visits) if visits else None


def day_rate(schedule: LossSchedule, timeline: Timeline, offers: list[OfferSpan],
             benefit: Benefit, day: date) -> tuple[Decimal, bool, BaseRate] | None:
    """The refund rate of *benefit* on *day*, whether the day is active, and the rate row.

    Active: in an offer of at least the row's minimum hours a week (fewer when documented;
    an offer without hours is taken to qualify), with no continuous absence longer than the
    row allows in the month."""
    rate = schedule.rate_on(benefit, day, fleksjob_visitation(timeline, day))
    if rate is None:
        return None
    active = False
    for offer in offers:
        if offer.start <= day and (offer.end is None or day <= offer.end):
            hours_ok = (rate.active_min_hours is None or offer.hours_per_week is None
                        or offer.hours_per_week >= rate.active_min_hours or offer.documented)
            active = active or hours_ok
    if active and rate.max_absence_days is not None:
        active = not _long_absence_in_month(timeline, day, rate.max_absence_days)
    week = None
    if rate.week_bands:
        spell = _spell_start(timeline, day)
        week = (day - spell).days // 7 + 1 if spell else None
    return rate.rate(active, week), active, rate


def _lost_amount(start: date, end: date, loss: LossRule, paid: Iterable[Interval],
                 offers: list[OfferSpan], schedule: LossSchedule,
                 timeline: Timeline, by_month: dict[str, Decimal]) -> Decimal | None:
    """The refund of the loss days: daily benefit × the day's rate."""
    amount = Decimal(0)
    parts: dict[str, Decimal] = defaultdict(Decimal)
    for interval in paid:
        if interval.benefit not in loss.benefits:
            continue
        day, last = max(interval.start, start), min(interval.end, end)
        while day <= last:
            if interval.per_day is None:
                return None
            found = day_rate(schedule, timeline, offers, interval.benefit, day)
            if found is None:
                return None
            lost = interval.per_day * found[0]
            amount += lost
            parts[day.strftime("%Y-%m")] += lost
            day += timedelta(days=1)
    for month, value in parts.items():
        by_month[month] += value
    return amount


def _days_in(days: list[date], start: date, end: date) -> int:
    """How many of the sorted *days* lie in ``start`` .. ``end`` - 1."""
    return bisect_left(days, end) - bisect_left(days, start)


def _day_set(timeline: Timeline, as_of: date, benefits: frozenset[Benefit]) -> set[date]:
    found: set[date] = set()
    for interval in paid_intervals(timeline, as_of, benefits):
        day = interval.start
        while day <= interval.end:
            found.add(day)
            day += timedelta(days=1)
    return found


def _fleksjob_days(timeline: Timeline, as_of: date) -> set[date]:
    """Days employed in fleksjob: fleksløntilskud, or a fleksjob_ansat group period."""
    days = _day_set(timeline, as_of, frozenset({Benefit.FLEKSLOENTILSKUD}))
    changes = timeline.of_type(GroupChanged)
    for index, change in enumerate(changes):
        if change.group is not TargetGroup.FLEKSJOB_ANSAT:
            continue
        end = changes[index + 1].date - timedelta(days=1) if index + 1 < len(changes) else as_of
        day = change.date
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return days


def _status_losses(loss: LossRule, timeline: Timeline, as_of: date
                   ) -> list[tuple[date, date, str]]:
    """Loss windows (start, end, cause) of the rules not tied to one late obligation."""
    if loss.trigger == "undocumented_step" and loss.duration is not None:
        windows = []
        for step in timeline.of_type(CaseStepDone):
            if (step.step in loss.steps and step.documented is False
                    and loss.valid_from <= step.date <= loss.valid_to):
                end = add(step.date, loss.duration, Rounding.DOWN) - timedelta(days=1)
                cause = f"case_step {step.step.value} {step.date} without documented basis"
                windows.append((step.date, min(end, as_of), cause))
        return windows
    if loss.trigger != "long_spell" or not any(
            i.start <= loss.valid_to and i.end >= loss.valid_from
            for i in paid_intervals(timeline, as_of, loss.benefits)):
        return []
    on_benefit = sorted(_day_set(timeline, as_of, loss.counted or loss.benefits))
    fleksjob = sorted(_fleksjob_days(timeline, as_of))
    day, last = max(on_benefit[0], loss.valid_from), min(as_of, loss.valid_to)
    while day <= last:
        eighteen = add(day, Duration(months=-18), Rounding.DOWN)
        window = add(day, Duration(months=-24), Rounding.DOWN)
        if _days_in(on_benefit, window, day) >= (day - eighteen).days:
            start = day
            day += timedelta(days=1)
            while day <= as_of:
                nine = add(day, Duration(months=-9), Rounding.DOWN)
                months18 = add(day, Duration(months=-18), Rounding.DOWN)
                if _days_in(fleksjob, months18, day) >= (day - nine).days:
                    return [(start, day - timedelta(days=1),
                             f"18 months on benefit within 24 reached {start}; 9 months in "
                             f"fleksjob within 18 reached {day}")]
                day += timedelta(days=1)
            return [(start, as_of, f"18 months on benefit within 24 reached {start}")]
        day += timedelta(days=1)
    return []


def _paid_until(end: date, loss: LossRule, paid: Iterable[Interval]) -> date:
    """An open loss window (one running to ``as_of``) ends at the last day paid of the loss's
    benefits: once the benefit has stopped there is no refund left to lose, so the days after
    it are not counted. Windows the law fixes (L5's 36 months) are not cut."""
    last = max((i.end for i in paid if i.benefit in loss.benefits), default=None)
    return end if last is None else min(end, last)


def compute_losses(obligations: Iterable[Obligation], timeline: Timeline, as_of: date,
                   schedule: LossSchedule, policies: Policies
                   ) -> tuple[tuple[RefundLoss, ...], tuple[MonthTotal, ...]]:
    """Every refund loss of the late obligations, and the lost refund per month."""
    known = timeline.until(as_of)
    sampled = bool(known.of_type(AuditSampled))
    benefits = frozenset(b for loss in schedule.losses for b in loss.benefits)
    paid = paid_intervals(known, as_of, benefits)
    offers = _offer_days(known)
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    found: list[RefundLoss] = []
    for loss in schedule.losses:
        for start, end, cause in _status_losses(loss, known, as_of):
            if end == as_of:
                end = _paid_until(end, loss, paid)
            if end < start:
                continue
            amount = _lost_amount(start, end, loss, paid, offers, schedule, known, by_month)
            found.append(RefundLoss(loss, cause, 1, start, None, start, end,
                                    (end - start).days + 1, amount, policies.loss_from.value))
    for obligation in obligations:
        if obligation.status not in (Status.MET_LATE, Status.OVERDUE):
            continue
        for loss in schedule.losses:
            if (loss.trigger != "late_obligation" or obligation.rule.id not in loss.rules
                    or not loss.valid_from <= obligation.due <= loss.valid_to
                    or (loss.requires_sample and not sampled)):
                continue
            start = obligation.due + timedelta(
                days=1 if policies.loss_from is LossFrom.DAY_AFTER_DUE else 0)
            end = _paid_until(obligation.fulfilled_on - timedelta(days=1)
                              if obligation.fulfilled_on else as_of, loss, paid)
            if end < start:
                continue
            amount = _lost_amount(start, end, loss, paid, offers, schedule, known, by_month)
            found.append(RefundLoss(loss, obligation.rule.id, obligation.sequence,
                                    obligation.due, obligation.fulfilled_on, start, end,
                                    (end - start).days + 1, amount, policies.loss_from.value))
    months = tuple(MonthTotal(m, v.quantize(ORE, ROUND_HALF_UP), Decimal("0.00"))
                   for m, v in sorted(by_month.items()))
    return tuple(found), months


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
                          self.row.legal_basis, self.row.confidence)


def compute_rate_periods(timeline: Timeline, as_of: date, schedule: LossSchedule,
                         before: date, sygedagpenge_before: date,
                         fleksjob_cutoff: date = date(2014, 7, 1)
                         ) -> tuple[tuple[RatePeriod, ...], tuple[MonthTotal, ...]]:
    """The refund of the days before the staircase, as periods of equal rate, and per month.

    Only benefits with a rate row for the day are listed; amounts need payment events."""
    known = timeline.until(as_of)
    benefits = frozenset(r.benefit for r in schedule.rates)
    offers = _offer_days(known)
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    periods: list[RatePeriod] = []
    for interval in sorted(paid_intervals(known, as_of, benefits),
                           key=lambda i: (i.benefit.value, i.start)):
        limit = sygedagpenge_before if interval.benefit is Benefit.SYGEDAGPENGE else before
        visited = fleksjob_visitation(known, interval.start)
        if (interval.benefit in (Benefit.LEDIGHEDSYDELSE, Benefit.FLEKSLOENTILSKUD)
                and visited is not None and visited < fleksjob_cutoff):
            limit = as_of + timedelta(days=1)  # old scheme: never on the staircase
        day, last = interval.start, min(interval.end, limit - timedelta(days=1))
        current: _Open | None = None
        while day <= last:
            found = day_rate(schedule, known, offers, interval.benefit, day)
            if found is None:
                if current is not None:
                    periods.append(current.close(interval))
                current = None
            else:
                rate, active, row = found
                if current is not None and (current.rate, current.active, current.row) == (
                        rate, active, row) and current.end == day - timedelta(days=1):
                    current.end = day
                else:
                    if current is not None:
                        periods.append(current.close(interval))
                    current = _Open(rate, active, row, day, day)
                if interval.per_day is not None:
                    by_month[day.strftime("%Y-%m")] += interval.per_day * rate
            day += timedelta(days=1)
        if current is not None:
            periods.append(current.close(interval))
    months = tuple(MonthTotal(m, v.quantize(ORE, ROUND_HALF_UP), Decimal("0.00"))
                   for m, v in sorted(by_month.items()))
    return tuple(periods), months
