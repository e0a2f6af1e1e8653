"""The 2007-2015 refund computations give what their day-by-day readings give.

The rate of a day (``rules/parameters/refusionsbortfald.toml``) is looked up once per stretch
of days on which nothing it depends on changes, for the rate periods and for the refund lost;
the lost refund is still added day by day, so its Decimal sums round as before. The
co-financing week finds its payments by a binary search when they are in order; the paid
intervals skip the benefit periods when every started benefit has payments. These properties
pin each shortcut against the reading it replaces.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import attrs
import pytest

from lab_rules import evaluate
from lab_rules.core.vocabulary import Benefit, CaseStep
from lab_rules.facts.facts import facts_of
from lab_rules.facts.paid import Interval, paid_intervals
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.inputs.timeline import (
    BenefitEnded,
    BenefitStarted,
    CaseStepDone,
    Event,
    OfferAbsence,
    Payment,
    Timeline,
)
from lab_rules.law import bundled_law
from lab_rules.law.policies import Policies
from lab_rules.refund.case_facts import offer_spans, spell_starts, visitations
from lab_rules.refund.cofinancing import _Person, compute_cofinancing
from lab_rules.refund.losses import compute_losses
from lab_rules.refund.months import month_key, refund_months
from lab_rules.refund.rates_before_2016 import RateStretches, day_rate

_FIRST, _LAST = date.fromisoformat("2006-01-02"), date.fromisoformat("2015-06-30")
_DAY = timedelta(days=1)


def _old_timelines(count: int, seed: int) -> list[tuple[Timeline, date]]:
    """Synthetic cases of 2007-2015 with offer absences and fleksjob visitations added, so
    that every input of a day's rate changes somewhere, and hours on most payments."""
    rng = random.Random(seed)
    found = []
    for index in range(count):
        timeline, as_of = synthetic_timeline(rng, index, _FIRST, _LAST, years=3)
        start = timeline.events[0].on
        extra: list[Event] = [
            attrs.evolve(e, hours=Decimal(rng.randrange(20, 160))) if isinstance(e, Payment)
            and rng.random() < 0.9 else e for e in timeline.events]
        for _ in range(rng.randrange(0, 3)):
            first = start + timedelta(days=rng.randrange(0, 900))
            extra.append(OfferAbsence(first, first + timedelta(days=rng.randrange(0, 30))))
        if rng.random() < 0.3:
            extra.append(CaseStepDone(start + timedelta(days=rng.randrange(-400, 600)),
                                      CaseStep.VISITATION))
        found.append((Timeline.of(timeline.person, extra), as_of))
    return found


CASES = _old_timelines(80, 11)


@pytest.mark.parametrize("index", range(0, 80, 4))
def test_the_rate_is_the_same_on_every_day_of_a_stretch(index: int) -> None:
    law = bundled_law()
    timeline, as_of = CASES[index]
    facts = facts_of(timeline, as_of, law)
    offers, visits = offer_spans(facts.timeline), visitations(facts.timeline)
    stretches = RateStretches(law.losses, offers, visits, spell_starts(facts.timeline))
    for interval in facts.paid_of(frozenset(r.benefit for r in law.losses.rates)):
        cut = stretches.of(interval)
        assert cut[0][0] == interval.start
        assert cut[-1][1] == interval.end
        for (_, end), (start, _) in pairwise(cut):
            assert start == end + _DAY
        for low, high in cut:
            first = day_rate(law.losses, facts.timeline, offers, interval.benefit, low, visits)
            day = low + _DAY
            while day <= high:
                assert day_rate(law.losses, facts.timeline, offers, interval.benefit, day,
                                visits) == first, (interval, low, day)
                day += _DAY


def _lost_by_day(paid: list[Interval], benefits: frozenset[Benefit], start: date, end: date,
                 facts_timeline: Timeline, by_month: dict[str, Decimal]) -> Decimal | None:
    """The lost refund summed one day at a time (the reading the stretches replace)."""
    law = bundled_law()
    offers, visits = offer_spans(facts_timeline), visitations(facts_timeline)
    amount = Decimal(0)
    parts: dict[str, Decimal] = defaultdict(Decimal)
    for interval in paid:
        if interval.benefit not in benefits:
            continue
        day, last = max(interval.start, start), min(interval.end, end)
        while day <= last:
            if interval.per_day is None:
                return None
            found = day_rate(law.losses, facts_timeline, offers, interval.benefit, day, visits)
            if found is None:
                return None
            lost = interval.per_day * found[0]
            amount += lost
            parts[month_key(day)] += lost
            day += _DAY
    for month, value in parts.items():
        by_month[month] += value
    return amount


def test_lost_refund_equals_the_day_by_day_sums() -> None:
    law = bundled_law()
    checked = 0
    for timeline, as_of in CASES:
        evaluation = evaluate(timeline, as_of=as_of, law=law, sanctions=False)
        facts = facts_of(timeline, as_of, law)
        paid = facts.paid_of(frozenset(b for loss in law.losses.losses for b in loss.benefits))
        losses, months = compute_losses(facts, evaluation.obligations, law.losses, Policies())
        assert (losses, months) == (evaluation.refund_losses, evaluation.refund_loss_months)
        by_month: dict[str, Decimal] = defaultdict(Decimal)
        for loss in losses:
            assert loss.amount == _lost_by_day(paid, loss.loss_rule.benefits, loss.start,
                                               loss.end, facts.timeline, by_month)
            checked += loss.amount is not None
        assert months == refund_months(by_month)
    assert checked > 20


def test_cofinancing_weeks_are_the_same_when_payments_are_scanned(
        monkeypatch: pytest.MonkeyPatch) -> None:
    law = bundled_law()
    cases = [(t, a) for t, a in CASES if t.of_type(BenefitStarted)[0].benefit is Benefit.DAGPENGE]
    assert cases
    searched = []
    for timeline, as_of in cases:
        evaluation = evaluate(timeline, as_of=as_of, law=law, sanctions=False)
        searched.append(evaluation.cofinancing_weeks)
        assert compute_cofinancing(facts_of(timeline, as_of, law), evaluation.obligations,
                                   law.cofinancing)[0] == evaluation.cofinancing_weeks
    monkeypatch.setattr(_Person, "overlapping", lambda self, monday, sunday: self.payments)
    scanned = [evaluate(t, as_of=a, law=law, sanctions=False).cofinancing_weeks
               for t, a in cases]
    assert scanned == searched
    assert any(searched)


def _paid_by_reading_every_event(timeline: Timeline, as_of: date,
                                 benefits: frozenset[Benefit]) -> list[Interval]:
    """Paid intervals from payments, and from benefit periods of benefits without payments,
    reading the whole timeline (the reading the shortcut replaces)."""
    paid = [Interval(p.benefit, p.start, min(p.end, as_of),
                     p.amount / ((p.end - p.start).days + 1) if p.amount is not None else None)
            for p in timeline.of_type(Payment) if p.benefit in benefits and p.start <= as_of]
    with_payments = {i.benefit for i in paid}
    running: dict[Benefit, date] = {}
    for event in timeline.events:
        if isinstance(event, BenefitStarted) and event.benefit in benefits:
            running.setdefault(event.benefit, event.date)
        elif isinstance(event, BenefitEnded) and event.benefit in running:
            start = running.pop(event.benefit)
            if event.benefit not in with_payments:
                paid.append(Interval(event.benefit, start, min(event.date, as_of), None))
    paid += [Interval(b, s, as_of, None) for b, s in running.items()
             if b not in with_payments and s <= as_of]
    return paid


@pytest.mark.parametrize("drop", [0.0, 0.5, 1.0])
def test_paid_intervals_equal_a_reading_of_every_event(drop: float) -> None:
    rng = random.Random(5)
    for timeline, as_of in CASES:
        kept = [e for e in timeline.events if not isinstance(e, Payment) or rng.random() >= drop]
        if rng.random() < 0.3:
            start = timeline.events[0].on + timedelta(days=rng.randrange(0, 300))
            kept.append(BenefitStarted(start, Benefit.SYGEDAGPENGE))
        cut = Timeline.of(timeline.person, kept)
        for benefits in (frozenset(Benefit), frozenset({Benefit.SYGEDAGPENGE})):
            assert paid_intervals(cut, as_of, benefits) == _paid_by_reading_every_event(
                cut, as_of, benefits)


def test_stretches_are_found_again_for_another_schedule() -> None:
    law = bundled_law()
    moved = attrs.evolve(law.losses, rates=tuple(
        attrs.evolve(r, valid_from=r.valid_from + timedelta(days=3)) for r in law.losses.rates))
    interval = Interval(Benefit.KONTANTHJAELP, date(2007, 1, 1), date(2015, 12, 31), None)
    starts = {lo for lo, _ in RateStretches(law.losses, [], (), []).of(interval)}
    moved_starts = {lo for lo, _ in RateStretches(moved, [], (), []).of(interval)}
    assert moved_starts - starts == {r.valid_from for r in moved.rates
                                     if r.benefit is Benefit.KONTANTHJAELP
                                     and r.valid_from.day != 1} - {interval.start}
