"""Refund lost before the staircase (2007 - 2015): the loss shapes L1-L6 read from data.

Each loss entry of ``rules/parameters/refusionsbortfald.toml`` names its *trigger*, and this
module interprets it:

- ``late_obligation`` (L1-L4): no refund for the days an obligation of one of the entry's
  rules is overdue: from the deadline (policy ``loss_from``) to the day before it was met, or
  to ``as_of`` while it is unmet (e.g. LAS § 100, stk. 2; BEK 1002/2010 § 5; SDP § 62, stk. 7).
  ``requires_sample`` losses apply only in cases drawn in the state's sample audit.
- ``undocumented_step`` (L5): no refund for the entry's ``duration`` from a case step of the
  entry's ``steps`` recorded without documented basis (LAS § 104 a).
- ``long_spell`` (L6): no refund once the person has had the entry's ``spell`` on the
  ``counted`` benefits within ``within``, until ``ends_after`` in fleksjob within
  ``ends_within`` (LAS § 104, stk. 1-2).

A loss is total: the refund the day's rate row would have paid is lost. An open loss ends
with the last paid day of its benefits. The no-show policy acts through the obligations.
Every loss names its entry (``loss_rule``).
"""

from __future__ import annotations

from bisect import bisect_left
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from itertools import repeat

import attrs

from lab_rules.calendar import Duration, Rounding, add
from lab_rules.contact.results import Obligation, Status
from lab_rules.core.messages import Message, Said, text
from lab_rules.facts.facts import Facts
from lab_rules.facts.paid import Interval
from lab_rules.inputs.timeline import AuditSampled, CaseStepDone, Timeline
from lab_rules.law.policies import LossFrom, Policies
from lab_rules.law.refund_losses import LossRule, LossSchedule, SpellLimits
from lab_rules.refund.case_facts import (
    OfferSpan,
    day_set,
    group_days,
    offer_spans,
    spell_starts,
    visitations,
)
from lab_rules.refund.law_index import schedule_index
from lab_rules.refund.months import MonthTotal, month_key, refund_months
from lab_rules.refund.rates_before_2016 import RateStretches, day_rate

_DAY = timedelta(days=1)
_LATE = (Status.MET_LATE, Status.OVERDUE)
_DAY_AFTER_DUE, _DOWN = LossFrom.DAY_AFTER_DUE, Rounding.DOWN
_SHORTEST_MONTH = 28
"""Days in the shortest month (calendar arithmetic, not law)."""


@attrs.frozen
class RefundLoss:
    """Refund lost for the days ``start``..``end`` because of the entry ``loss_rule``."""

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

    @property
    def entry(self) -> str:
        """The id of the loss entry that produced the loss."""
        return self.loss_rule.id

    def describe(self, lang: str = "en") -> str:
        """The loss in a sentence of *lang* for people: dates and the legal basis the
        reader's way (the JSON ``explanation`` keeps :meth:`explain`)."""
        held = (Message("refund.losses.met", day=self.fulfilled_on) if self.fulfilled_on
                else Message("refund.losses.unmet"))
        return text("refund.losses.loss", lang,
                    title=Said(self.loss_rule.title_da, self.loss_rule.title_en),
                    basis=self.loss_rule.basis, due=self.due, held=held, start=self.start,
                    end=self.end, days=Message("unit.days", n=self.days),
                    loss_from=self.loss_from)

    def explain(self, lang: str = "en") -> str:
        """The loss as the JSON ``explanation`` has always worded it (ISO dates in both
        languages): a contract with vendors, so it does not change."""
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


class _Context:
    """What the lost amounts read: the rate rows need the person's offers, visitations and
    sickness spells, found the first time a loss has days to price, and each paid interval's
    stretches of one rate."""

    __slots__ = ("_rates_of", "_stretches", "by_month", "facts", "paid", "schedule")

    def __init__(self, facts: Facts, schedule: LossSchedule, paid: list[Interval]) -> None:
        self.facts, self.schedule, self.paid = facts, schedule, paid
        self.by_month: dict[str, Decimal] = defaultdict(Decimal)
        self._rates_of: tuple[list[OfferSpan], tuple[date, ...], RateStretches] | None = None
        self._stretches: dict[int, list[tuple[date, date]]] = {}

    def rates_of(self) -> tuple[list[OfferSpan], tuple[date, ...], RateStretches]:
        """The person's offers and fleksjob visitations, and the cuts of their rates."""
        if self._rates_of is None:
            timeline = self.facts.timeline
            offers, visits = offer_spans(timeline), visitations(timeline)
            self._rates_of = (offers, visits, RateStretches(self.schedule, offers, visits,
                                                            spell_starts(timeline)))
        return self._rates_of

    def stretches(self, interval: Interval) -> list[tuple[date, date]]:
        """The days of *interval* cut where its rate could change (one of ``paid``)."""
        found = self._stretches.get(id(interval))
        if found is None:
            found = self._stretches[id(interval)] = self.rates_of()[2].of(interval)
        return found


def _lost_amount(ctx: _Context, loss: LossRule, start: date, end: date) -> Decimal | None:
    """The refund of the loss days: daily benefit × the day's rate, added day by day (the
    sums round as the day-by-day sums always did: ``sum`` adds one day at a time, in the
    Decimal context, without a Python loop). The rate is looked up once per stretch of days
    on which nothing it depends on changes."""
    amount = Decimal(0)
    parts: dict[str, Decimal] = defaultdict(Decimal)
    for interval in ctx.paid:
        if interval.benefit not in loss.benefits:
            continue
        first, last = max(interval.start, start), min(interval.end, end)
        if first > last:
            continue
        if interval.per_day is None:
            return None
        offers, visits, _ = ctx.rates_of()
        for low, high in ctx.stretches(interval):
            low, high = max(low, first), min(high, last)
            if low > high:
                continue
            found = day_rate(ctx.schedule, ctx.facts.timeline, offers, interval.benefit, low,
                             visits)
            if found is None:
                return None
            lost = interval.per_day * found[0]
            for month, days in _month_days(low, high):
                amount = sum(repeat(lost, days), amount)
                parts[month] = sum(repeat(lost, days), parts[month])
    for month, value in parts.items():
        ctx.by_month[month] += value
    return amount


def _month_days(low: date, high: date) -> list[tuple[str, int]]:
    """The months (``YYYY-MM``) of the days low..high and how many of the days each has."""
    found = []
    while True:
        last = min(high, low.replace(day=monthrange(low.year, low.month)[1]))
        found.append((month_key(low), (last - low).days + 1))
        if last >= high:
            return found
        low = last + _DAY


def _days_in(days: list[date], start: date, end: date) -> int:
    """How many of the sorted *days* lie in ``start`` .. ``end`` - 1."""
    return bisect_left(days, end) - bisect_left(days, start)


def _not_before(day: date, days: list[date], period: Duration) -> date:
    """The first day from *day* on which the sorted *days* before it can fill *period*: a
    period of months lasts at least 28 days a month, so no day before the one after the
    shortest period's worth of *days* can satisfy it (a day past every day if none can)."""
    if period.total_months < 0 or period.days < 0:
        return day
    least = period.total_months * _SHORTEST_MONTH + period.days
    if least == 0:
        return day
    if len(days) < least:
        return date.max
    return max(day, days[least - 1] + _DAY)


def _back(day: date, period: Duration) -> date:
    return add(day, -period, _DOWN)


def _undocumented_steps(loss: LossRule, timeline: Timeline, as_of: date
                        ) -> list[tuple[date, date, str]]:
    windows = []
    for step in timeline.of_type(CaseStepDone):
        if (loss.duration is not None and step.step in loss.steps and step.documented is False
                and loss.valid_from <= step.date <= loss.valid_to):
            end = add(step.date, loss.duration, _DOWN) - _DAY
            cause = f"case_step {step.step.value} {step.date} without documented basis"
            windows.append((step.date, min(end, as_of), cause))
    return windows


def _long_spell(loss: LossRule, limits: SpellLimits, facts: Facts, paid: list[Interval]
                ) -> list[tuple[date, date, str]]:
    as_of = facts.as_of
    if not any(i.benefit in loss.benefits and i.start <= loss.valid_to
               and i.end >= loss.valid_from for i in paid):
        return []
    on_benefit = sorted(day_set(facts.paid_of(loss.counted or loss.benefits)))
    fleksjob = sorted(day_set(facts.paid_of(limits.fleksjob_benefits))
                      | group_days(facts.timeline, limits.fleksjob_groups, as_of))
    day, last = max(on_benefit[0], loss.valid_from), min(as_of, loss.valid_to)
    reached = (f"{limits.spell.describe()} on benefit within {limits.within.describe()} "
               "reached")
    ended = (f"{limits.ends_after.describe()} in fleksjob within "
             f"{limits.ends_within.describe()} reached")
    day = _not_before(day, on_benefit, limits.spell)
    while day <= last:
        if _days_in(on_benefit, _back(day, limits.within), day) >= (
                day - _back(day, limits.spell)).days:
            start = day
            day = _not_before(day + _DAY, fleksjob, limits.ends_after)
            while day <= as_of:
                if _days_in(fleksjob, _back(day, limits.ends_within), day) >= (
                        day - _back(day, limits.ends_after)).days:
                    return [(start, day - _DAY, f"{reached} {start}; {ended} {day}")]
                day += _DAY
            return [(start, as_of, f"{reached} {start}")]
        day += _DAY
    return []


def _status_losses(loss: LossRule, facts: Facts, paid: list[Interval]
                   ) -> list[tuple[date, date, str]]:
    """Loss windows (start, end, cause) of the shapes not tied to one late obligation
    (*paid*: the paid intervals of the schedule's benefits)."""
    if loss.trigger == "undocumented_step":
        return _undocumented_steps(loss, facts.timeline, facts.as_of)
    if loss.trigger == "long_spell" and loss.limits is not None:
        return _long_spell(loss, loss.limits, facts, paid)
    return []


def _paid_until(end: date, loss: LossRule, paid: Iterable[Interval]) -> date:
    """An open loss window (one running to ``as_of``) ends at the last day paid of the loss's
    benefits: once the benefit has stopped there is no refund left to lose, so the days after
    it are not counted. Windows the law fixes (L5's 36 months) are not cut."""
    last = max((i.end for i in paid if i.benefit in loss.benefits), default=None)
    return end if last is None else min(end, last)


def compute_losses(facts: Facts, obligations: Iterable[Obligation], schedule: LossSchedule,
                   policies: Policies
                   ) -> tuple[tuple[RefundLoss, ...], tuple[MonthTotal, ...]]:
    """Every refund loss of *facts* and the late *obligations*, and the lost refund per month.
    The amounts' context is set up at the first loss: most people have none."""
    as_of = facts.as_of
    sampled = bool(facts.timeline.of_type(AuditSampled))
    index = schedule_index(schedule)
    paid = facts.paid_of(index.loss_benefits)
    ctx: _Context | None = None
    found: list[RefundLoss] = []
    for loss in index.by_status:
        for start, end, cause in _status_losses(loss, facts, paid):
            if end == as_of:
                end = _paid_until(end, loss, paid)
            if end < start:
                continue
            if ctx is None:
                ctx = _Context(facts, schedule, paid)
            amount = _lost_amount(ctx, loss, start, end)
            found.append(RefundLoss(loss, cause, 1, start, None, start, end,
                                    (end - start).days + 1, amount, policies.loss_from.value))
    for obligation in obligations:
        if obligation.status not in _LATE:
            continue
        for loss in index.late.get(obligation.rule.id, ()):
            if (not loss.valid_from <= obligation.due <= loss.valid_to
                    or (loss.requires_sample and not sampled)):
                continue
            start = (obligation.due + _DAY if policies.loss_from is _DAY_AFTER_DUE
                     else obligation.due)
            end = _paid_until(obligation.fulfilled_on - _DAY
                              if obligation.fulfilled_on else as_of, loss, paid)
            if end < start:
                continue
            if ctx is None:
                ctx = _Context(facts, schedule, paid)
            amount = _lost_amount(ctx, loss, start, end)
            found.append(RefundLoss(loss, obligation.rule.id, obligation.sequence,
                                    obligation.due, obligation.fulfilled_on, start, end,
                                    (end - start).days + 1, amount, policies.loss_from.value))
    return tuple(found), refund_months(ctx.by_month) if ctx is not None else ()
