"""State refund (refusion) and municipal co-financing: the era C staircase (from 4 Jan 2016).

A week is a calendar week Monday-Sunday. It is a *benefit week* ("berørt uge") if a covered
benefit (lov 994/2015 § 3 stk. 1) was paid for any day in it; several benefits in one week count
once (BEK 1772/2015 § 2 stk. 6). The person's count runs from 1 July 2014 (law § 30 stk. 1) or
from the last restart, which happens after 52 whole calendar weeks of self-support in total
within the last 3 years (law § 6 stk. 1); weeks of other public support (barselsdagpenge, SU)
neither count nor restart. The count sets the rate: 80/40/30/20 % refund, or 20/60/70/80 %
co-financing for dagpenge (§ 5). Payments for several days are spread evenly per day (§ 19 stk. 2)
so a week spanning two months is split between them by days (§ 26 stk. 2).

Money is Decimal kroner computed per day and rounded to øre only in the monthly totals; the
grand totals are the sums of the rounded monthly totals, so totals equal the sum of their parts.
Era A and B refund rates and refund losses are not computed yet.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lab_rules.calendar import Rounding, add
from lab_rules.core.vocabulary import Benefit, CaseStep
from lab_rules.facts.paid import Interval, paid_intervals
from lab_rules.inputs.timeline import (
    CaseStepDone,
    Timeline,
)
from lab_rules.law.refund import Staircase

ORE = Decimal("0.01")
_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@attrs.frozen
class RefundLine:
    """One benefit in one week: its days, cost, the share that applies, and the amount."""

    benefit: Benefit
    days: int
    cost: Decimal | None
    share: str
    rate: Decimal
    amount: Decimal | None
    legal_basis: str


@attrs.frozen
class RefundWeek:
    """A benefit week in the ledger. ``rate_week`` is the week whose count sets the rate
    (itself, except in the 2015/16 transition week)."""

    monday: date
    number: int
    rate_week: date
    rate_number: int
    lines: tuple[RefundLine, ...]


@attrs.frozen
class MonthTotal:
    month: str
    refund: Decimal
    cofinancing: Decimal


@attrs.frozen
class RefundLedger:
    """A person's refund ledger for era C, with its notes."""

    scheme: str
    act: str
    source: str
    weeks: tuple[RefundWeek, ...]
    months: tuple[MonthTotal, ...]
    restarts: tuple[date, ...]
    week_kinds: tuple[tuple[str, int], ...]
    notes: tuple[str, ...]

    @property
    def total_refund(self) -> Decimal:
        return sum((m.refund for m in self.months), Decimal(0))

    @property
    def total_cofinancing(self) -> Decimal:
        return sum((m.cofinancing for m in self.months), Decimal(0))

    def week(self, monday: date) -> RefundWeek | None:
        return next((w for w in self.weeks if w.monday == monday), None)


def _mondays(intervals: Iterable[Interval], from_day: date) -> set[date]:
    found: set[date] = set()
    for interval in intervals:
        if interval.end < from_day:
            continue
        monday = monday_of(max(interval.start, from_day))
        while monday <= interval.end:
            found.add(monday)
            monday += _WEEK
    return found


def _eligible(interval: Interval, timeline: Timeline, staircase: Staircase,
              notes: list[str]) -> bool:
    """Fleksjob benefits and førtidspension join the staircase only for cases from 1 July
    2014 (law § 30 stk. 2-4); older cases keep the old rules (LAS § 104), not computed here."""
    if interval.benefit in (Benefit.LEDIGHEDSYDELSE, Benefit.FLEKSLOENTILSKUD):
        visits = [e.date for e in timeline.of_type(CaseStepDone)
                  if e.step is CaseStep.VISITATION and e.date <= interval.start]
        if visits and max(visits) < staircase.fleksjob_visited_from:
            notes.append(f"{interval.benefit.value} from {interval.start}: visiteret til fleksjob "
                         f"{max(visits)}, before {staircase.fleksjob_visited_from}; the old rules "
                         "(LAS § 104) apply and are not computed (law § 30 stk. 2-3)")
            return False
    if (interval.benefit is Benefit.FOERTIDSPENSION
            and interval.start < staircase.foertidspension_granted_from):
        notes.append(f"førtidspension from {interval.start}: granted before "
                     f"{staircase.foertidspension_granted_from}, not on the staircase "
                     "(law § 30 stk. 4)")
        return False
    return True


def compute_refund(timeline: Timeline, as_of: date, staircase: Staircase) -> RefundLedger:
    """The era C refund ledger of *timeline* up to *as_of*."""
    known = timeline.until(as_of)
    notes: list[str] = list(staircase.notes)
    covered = staircase.refunded | staircase.cofinanced
    intervals = [i for i in paid_intervals(known, as_of, covered)
                 if _eligible(i, known, staircase, notes)]
    support = paid_intervals(known, as_of, staircase.other_public_support)
    count_from = monday_of(staircase.count_from)
    counted = _mondays(intervals, staircase.count_from)
    supported = _mondays(support, staircase.count_from) - counted

    numbers: dict[date, int] = {}
    restarts: list[date] = []
    kinds = {"benefit": 0, "other_support": 0, "self_support": 0}
    count = 0
    self_support: list[date] = []
    if counted:
        monday = max(min(counted), count_from)
        last = monday_of(as_of)
        while monday <= last:
            if monday in counted:
                if count and len(self_support) >= staircase.restart_weeks:
                    window_start = add(monday, -staircase.restart_window, Rounding.DOWN)
                    recent = len(self_support) - bisect_left(self_support, window_start)
                    if recent >= staircase.restart_weeks:
                        count, self_support = 0, []
                        restarts.append(monday)
                count += 1
                numbers[monday] = count
                kinds["benefit"] += 1
            elif monday in supported:
                kinds["other_support"] += 1
            else:
                kinds["self_support"] += 1
                if count:
                    self_support.append(monday)
            monday += _WEEK

    weeks, months = _ledger(intervals, numbers, staircase)
    return RefundLedger(
        staircase.id, staircase.act, staircase.source, weeks, months, tuple(restarts),
        tuple(kinds.items()), tuple(dict.fromkeys(notes)))


def _ledger(intervals: list[Interval], numbers: dict[date, int], staircase: Staircase
            ) -> tuple[tuple[RefundWeek, ...], tuple[MonthTotal, ...]]:
    """Weeks from the era C start (with the 2015/16 transition) and monthly totals."""
    start = staircase.valid_from
    transition = monday_of(staircase.transition_from)
    refund: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    cofin: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    by_benefit: dict[Benefit, list[Interval]] = defaultdict(list)
    for interval in intervals:
        by_benefit[interval.benefit].append(interval)
    benefits = sorted(by_benefit, key=lambda b: b.value)
    for benefit in benefits:
        by_benefit[benefit].sort(key=lambda i: (i.start, i.end))
    ends = {b: [i.end for i in by_benefit[b]] for b in benefits}
    starts = {b: [i.start for i in by_benefit[b]] for b in benefits}
    ordered = {b: all(x <= y for x, y in zip(ends[b], ends[b][1:], strict=False))
               for b in benefits}
    weeks = []
    for monday in sorted(m for m in numbers if m >= transition):
        rate_week = monday if monday >= start else monday_of(start)
        rate_number = numbers.get(rate_week, numbers[monday] + (rate_week != monday))
        band = staircase.band(rate_number)
        lines = []
        sunday = monday + timedelta(days=6)
        for benefit in benefits:
            cofinanced = benefit in staircase.cofinanced
            rate = band.cofinancing if cofinanced else band.refund
            first_day = monday
            if monday < start and benefit is not Benefit.SYGEDAGPENGE:
                first_day = date(start.year, 1, 1)
            totals = cofin if cofinanced else refund
            days, cost, known = 0, Decimal(0), True
            candidates = by_benefit[benefit]
            if ordered[benefit]:
                candidates = candidates[bisect_left(ends[benefit], first_day):
                                        bisect_right(starts[benefit], sunday)]
            for interval in candidates:
                lo, hi = max(interval.start, first_day), min(interval.end, sunday)
                if lo > hi:
                    continue
                days += (hi - lo).days + 1
                if interval.per_day is None:
                    known = False
                    continue
                for part_start, part_end in _by_month(lo, hi):
                    part = interval.per_day * ((part_end - part_start).days + 1)
                    cost += part
                    totals[(part_start.year, part_start.month)] += part * rate
            if days:
                lines.append(RefundLine(
                    benefit, days, cost if known else None,
                    "medfinansiering" if cofinanced else "refusion", rate,
                    cost * rate if known else None,
                    f"{staircase.act} § 5, stk. {3 if cofinanced else 1}"))
        if lines:
            weeks.append(RefundWeek(monday, numbers[monday], rate_week, rate_number, tuple(lines)))
    months = tuple(
        MonthTotal(f"{m[0]:04d}-{m[1]:02d}", refund[m].quantize(ORE, ROUND_HALF_UP),
                   cofin[m].quantize(ORE, ROUND_HALF_UP))
        for m in sorted(set(refund) | set(cofin)))
    return tuple(weeks), months


def _by_month(start: date, end: date) -> list[tuple[date, date]]:
    """Split ``start``..``end`` (at most a week) at a month boundary."""
    if start.month == end.month:
        return [(start, end)]
    first_of_next = end.replace(day=1)
    return [(start, first_of_next - _DAY), (first_of_next, end)]
