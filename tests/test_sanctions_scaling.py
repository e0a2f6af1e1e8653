"""The indexes that keep sanctions linear in the number of events give what a plain scan of
the timeline gives: the situation on a day, the first exemption covering it, the payments of
a month and the rate a payment carries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.core.vocabulary import Benefit, ExemptionReason, TargetGroup
from lab_rules.inputs.timeline import (
    BenefitEnded,
    BenefitStarted,
    Exemption,
    GroupChanged,
    Payment,
    Person,
    Timeline,
)
from lab_rules.sanctions.conditions import EXEMPTING, Exemptions
from lab_rules.sanctions.hjaelp import KhPayments
from lab_rules.sanctions.select import KH_BENEFITS, Situations

START = date(2020, 1, 1)
BENEFITS = [Benefit.KONTANTHJAELP, Benefit.DAGPENGE, Benefit.SYGEDAGPENGE,
            Benefit.UDDANNELSESHJAELP]
GROUPS = [TargetGroup.JOBPARAT_KONTANTHJAELP, TargetGroup.DAGPENGE, None]


def _naive_situation(timeline: Timeline, day: date) -> tuple[Benefit | None, object]:
    running: dict[Benefit, date] = {}
    for event in timeline.events:
        if event.on > day:
            break
        if isinstance(event, BenefitStarted):
            running[event.benefit] = event.date
        elif isinstance(event, BenefitEnded) and event.date < day:
            running.pop(event.benefit, None)
    benefit = next((b for b in running if b in KH_BENEFITS), None)
    if benefit is None:
        benefit = next((b for b in (Benefit.DAGPENGE, Benefit.SYGEDAGPENGE) if b in running),
                       None)
    if benefit is None:
        return None, None
    group = None
    for event in timeline.events:
        if event.on > day:
            break
        if isinstance(event, GroupChanged) or (
                isinstance(event, BenefitStarted) and event.benefit is benefit):
            group = event.group or group
    return benefit, group


markers = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 2),
                             st.sampled_from(BENEFITS), st.sampled_from(GROUPS)), max_size=25)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(markers, st.lists(st.integers(-2, 64), min_size=1, max_size=12))
def test_the_sweep_gives_the_situation_a_scan_gives(raw: list[tuple[int, int, Benefit,
                                                                    TargetGroup | None]],
                                                     asked: list[int]) -> None:
    events: list[object] = []
    for offset, kind, benefit, group in raw:
        day = START + timedelta(days=offset)
        if kind == 0:
            events.append(BenefitStarted(day, benefit, group))
        elif kind == 1:
            events.append(BenefitEnded(day, benefit))
        elif group is not None:
            events.append(GroupChanged(day, group))
    timeline = Timeline.of(Person("p"), events)  # type: ignore[arg-type]
    sweep = Situations.of(timeline)
    for offset in [*sorted(asked), *asked]:
        day = START + timedelta(days=offset)
        found = sweep.on(day)
        assert (found.benefit, found.group) == _naive_situation(timeline, day)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 40), st.one_of(st.none(), st.integers(0, 20)),
                          st.sampled_from(list(ExemptionReason))), max_size=12),
       st.integers(-2, 70))
def test_the_first_covering_exemption_is_found_by_search(
        raw: list[tuple[int, int | None, ExemptionReason]], offset: int) -> None:
    events = [Exemption(START + timedelta(days=s), reason,
                        None if length is None else START + timedelta(days=s + length))
              for s, length, reason in raw]
    timeline = Timeline.of(Person("p"), events)  # type: ignore[arg-type]
    exemptions = timeline.of_type(Exemption)
    day = START + timedelta(days=offset)
    expected = next((e for e in exemptions if e.covers(day) and e.reason in EXEMPTING), None)
    assert Exemptions.of(exemptions).on(day) == expected


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 90), st.integers(0, 70), st.integers(0, 30000),
                          st.one_of(st.none(), st.integers(1, 20000))), max_size=10),
       st.integers(0, 170))
def test_month_payments_and_supplied_rates_match_a_scan(
        raw: list[tuple[int, int, int, int | None]], offset: int) -> None:
    events = [Payment(Benefit.KONTANTHJAELP, START + timedelta(days=s),
                      START + timedelta(days=s + length), Decimal(amount),
                      rate=None if rate is None else Decimal(rate))
              for s, length, amount, rate in raw]
    timeline = Timeline.of(Person("p"), events)  # type: ignore[arg-type]
    payments = timeline.of_type(Payment)
    day = START + timedelta(days=offset)
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    total, covered = Decimal(), 0
    for p in payments:
        start, end = max(p.start, first), min(p.end, following - timedelta(days=1))
        if start <= end:
            assert p.amount is not None
            total += p.amount * ((end - start).days + 1) / ((p.end - p.start).days + 1)
            covered += 1
    index = KhPayments.of(timeline)
    assert index.paid(day) == (total if covered else None)
    assert index.rate(day) == next((p.rate for p in payments if p.rate is not None
                                    and p.start <= day <= p.end), None)
