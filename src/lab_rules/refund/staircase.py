"""State refund (refusion) and municipal co-financing: the era C staircase ledger (from 4 January
2016, lov 994/2015), from the parameters of ``rules/parameters/refusionstrappe.toml``.

A week is a calendar week Monday-Sunday. Its number on the person's count
(:mod:`lab_rules.refund.week_count`) selects a band of § 5: a refund share for refunded
benefits, a co-financing share for co-financed ones. Payments for several days are spread
evenly per day (BEK 1772/2015 § 19, stk. 2); the week's cost times the band's share is the
week's amount (BEK § 23). In the 2015/16 transition week the days the transition entry names
take the rate of the first staircase week (law § 29, stk. 3). A week that touches two months
is split between them "forholdsmæssigt" (BEK § 26, stk. 2) by the policy ``month_split``.

Money is Decimal kroner computed per day and rounded to øre only in the monthly totals; the
grand totals are the sums of the rounded monthly totals, so totals equal the sum of their parts.
Every line names the band entry that produced it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import attrs

from lab_rules.core.messages import Message
from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.facts import Facts
from lab_rules.facts.paid import Interval
from lab_rules.law.params import kept
from lab_rules.law.policies import MonthSplit, Policies
from lab_rules.law.refund import MonthSplitText, Note, Staircase, confidence_words
from lab_rules.refund.law_index import staircase_index
from lab_rules.refund.ledger_totals import Segment, first_crossing, month_totals, segments
from lab_rules.refund.months import MonthTotal, monday_of, rounded
from lab_rules.refund.week_count import count_weeks

_DAY = timedelta(days=1)
_SUNDAY = timedelta(days=7) - _DAY


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
    entry: str = ""
    """The id of the band that produced the line."""


@attrs.frozen
class RefundWeek:
    """A benefit week in the ledger. ``rate_week`` is the week whose count sets the rate
    (itself, except in the 2015/16 transition week)."""

    monday: date
    number: int
    rate_week: date
    rate_number: int
    lines: tuple[RefundLine, ...]


class _Weeks:
    """The ledger's weeks, built by the Decimal ledger the first time they are read."""

    __slots__ = ("_build", "_weeks")

    def __init__(self, build: Callable[[], tuple[RefundWeek, ...]] | None,
                 weeks: tuple[RefundWeek, ...] = ()) -> None:
        self._build, self._weeks = build, weeks

    def get(self) -> tuple[RefundWeek, ...]:
        if self._build is not None:
            self._weeks, self._build = self._build(), None
        return self._weeks

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Weeks) and self.get() == other.get()

    def __hash__(self) -> int:
        return hash(self.get())

    def __repr__(self) -> str:
        return repr(self.get())

    def __reduce__(self) -> tuple[type[_Weeks], tuple[None, tuple[RefundWeek, ...]]]:
        return (_Weeks, (None, self.get()))


@attrs.frozen
class RefundLedger:
    """A person's refund ledger for era C, with its notes and the readings that applied.

    The weeks are built when first read (JSON, text, report); the monthly totals, which are
    all a batch or a what-if reads, do not need them."""

    scheme: str
    act: str
    source: str
    lazy_weeks: _Weeks
    months: tuple[MonthTotal, ...]
    restarts: tuple[date, ...]
    week_kinds: tuple[tuple[str, int], ...]
    notes: tuple[Note, ...]
    """In both languages; ``str()`` of a note is the English form of JSON."""
    restart_weeks: tuple[date, ...] = ()
    """The Monday of the self-support week that completed each restart."""
    staircase_restart: str = ""
    """The reading of law § 6, stk. 1 applied (policy ``staircase_restart``)."""
    month_split: str = ""
    """The reading of BEK 1772/2015 § 26, stk. 2 applied (policy ``month_split``)."""
    valid_from: date | None = None
    """The staircase's first day (4 January 2016): a text says so when no week is on it."""

    @property
    def weeks(self) -> tuple[RefundWeek, ...]:
        """The benefit weeks with their lines, in order."""
        return self.lazy_weeks.get()

    @property
    def total_refund(self) -> Decimal:
        return sum((m.refund for m in self.months), Decimal(0))

    @property
    def total_cofinancing(self) -> Decimal:
        return sum((m.cofinancing for m in self.months), Decimal(0))

    def week(self, monday: date) -> RefundWeek | None:
        return next((w for w in self.weeks if w.monday == monday), None)


def compute_refund(facts: Facts, staircase: Staircase, policies: Policies | None = None
                   ) -> RefundLedger:
    """The era C refund ledger of *facts* (known on ``facts.as_of``)."""
    policies = policies or Policies()
    split = policies.month_split
    count = count_weeks(facts, staircase, policies.staircase_restart)
    found = segments(count.runs, staircase)
    months = month_totals(count.intervals, found, staircase, split)
    if months is None:
        ledger = _Ledger(staircase, count.intervals, split)
        weeks, months = ledger.run(count.numbers)
        lazy, notes = _Weeks(None, weeks), tuple(ledger.notes.values())
    else:
        lazy = _Weeks(lambda: _Ledger(staircase, count.intervals, split).run(count.numbers)[0])
        notes = _split_notes(staircase, split, found, count.intervals)
    restart_reading, split_reading = _readings(policies)
    return RefundLedger(
        staircase.id, staircase.act, staircase.source, lazy, months, count.restarts,
        count.week_kinds, count.notes + notes, count.restart_weeks,
        restart_reading, split_reading, staircase.valid_from)


@kept
def _readings(policies: Policies) -> tuple[str, str]:
    """The readings of ``staircase_restart`` and ``month_split`` a ledger names, read once
    per policy set (an enum's ``value`` is a property that runs in Python)."""
    return policies.staircase_restart.value, policies.month_split.value


def _split_note(staircase: Staircase, split: MonthSplit, monday: date,
                notes: dict[str, Note]) -> None:
    """Note, once per text, the text that splits the week of *monday* between two months."""
    text = staircase.month_split_on(monday)
    if text is not None and text.entry.id not in notes:
        notes[text.entry.id] = _split_text(text, split)


def _split_text(text: MonthSplitText, split: MonthSplit) -> Note:
    return _split_words(text)[split]


@kept
def _split_words(text: MonthSplitText) -> dict[MonthSplit, Note]:
    """The note of *text* under each reading of ``month_split``: the same sentence for every
    person, so worded once per text of a law (and its hash, when notes are deduplicated,
    worked out once)."""
    return {split: Message("refund.note.month_split", basis=text.entry.legal_basis,
                           split=split.value, confidence=confidence_words(text.entry.confidence),
                           entry=text.entry.id)
            for split in MonthSplit}


def _split_notes(staircase: Staircase, split: MonthSplit, found: list[Segment],
                 intervals: tuple[Interval, ...]) -> tuple[Note, ...]:
    """The notes of the texts that split the ledger's weeks touching two months, once per
    text, in the order of the first week each splits. A text in force only before the
    ledger's first day (the segments are in order) splits none of its weeks."""
    notes: dict[str, Note] = {}
    if not found:
        return ()
    index = staircase_index(staircase)
    first_day = found[0][0]
    for start, end, text in index.split_texts:
        if first_day < end and text.entry.id not in notes:
            monday = first_crossing(found, intervals, index, start)
            if monday is not None and monday < end:
                notes[text.entry.id] = _split_text(text, split)
    return tuple(notes.values())


def _by_month(start: date, end: date) -> list[tuple[date, date]]:
    """Split ``start``..``end`` (at most a week) at a month boundary."""
    if start.month == end.month:
        return [(start, end)]
    first_of_next = end.replace(day=1)
    return [(start, first_of_next - _DAY), (first_of_next, end)]


class _Ledger:
    """Weeks from the transition week on, and the monthly totals."""

    def __init__(self, staircase: Staircase, intervals: tuple[Interval, ...],
                 split: MonthSplit) -> None:
        self.staircase, self.split = staircase, split
        self.cofinanced = staircase.cofinanced
        self.notes: dict[str, Note] = {}
        self.totals: dict[bool, dict[tuple[int, int], Decimal]] = {
            True: defaultdict(Decimal), False: defaultdict(Decimal)}
        by_benefit: dict[Benefit, list[Interval]] = defaultdict(list)
        for interval in intervals:
            by_benefit[interval.benefit].append(interval)
        self.benefits = sorted(by_benefit, key=lambda b: b.value)
        self.by_benefit = {b: sorted(by_benefit[b], key=lambda i: (i.start, i.end))
                           for b in self.benefits}
        self.ends = {b: [i.end for i in self.by_benefit[b]] for b in self.benefits}
        self.starts = {b: [i.start for i in self.by_benefit[b]] for b in self.benefits}
        self.ordered = {b: all(x <= y for x, y in zip(self.ends[b], self.ends[b][1:],
                                                       strict=False)) for b in self.benefits}

    def run(self, numbers: dict[date, int]
            ) -> tuple[tuple[RefundWeek, ...], tuple[MonthTotal, ...]]:
        stairs = self.staircase
        start = stairs.valid_from
        transition = monday_of(min(stairs.early_from, stairs.others_from))
        weeks = []
        for monday in sorted(m for m in numbers if m >= transition):
            rate_week = monday if monday >= start else monday_of(start)
            rate_number = numbers.get(rate_week, numbers[monday] + (rate_week != monday))
            lines = [line for benefit in self.benefits
                     if (line := self._line(benefit, monday, rate_number)) is not None]
            if lines:
                weeks.append(RefundWeek(monday, numbers[monday], rate_week, rate_number,
                                        tuple(lines)))
        refund, cofin = self.totals[False], self.totals[True]
        months = tuple(
            MonthTotal(f"{m[0]:04d}-{m[1]:02d}", rounded(refund[m]), rounded(cofin[m]))
            for m in sorted(set(refund) | set(cofin)))
        return tuple(weeks), months

    def _first_day(self, benefit: Benefit, monday: date) -> date:
        stairs = self.staircase
        if monday >= stairs.valid_from:
            return monday
        return max(monday, stairs.early_from if benefit in stairs.early_benefits
                   else stairs.others_from)

    def _line(self, benefit: Benefit, monday: date, rate_number: int) -> RefundLine | None:
        band = self.staircase.band(rate_number)
        cofinanced = benefit in self.cofinanced
        rate = band.cofinancing if cofinanced else band.refund
        totals = self.totals[cofinanced]
        first_day, sunday = self._first_day(benefit, monday), monday + _SUNDAY
        days, cost, known = 0, Decimal(0), True
        candidates = self.by_benefit[benefit]
        if self.ordered[benefit]:
            candidates = candidates[bisect_left(self.ends[benefit], first_day):
                                    bisect_right(self.starts[benefit], sunday)]
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
                if self.split is MonthSplit.PAID_DAYS:
                    totals[(part_start.year, part_start.month)] += part * rate
        if not days:
            return None
        if first_day.month != sunday.month:
            _split_note(self.staircase, self.split, monday, self.notes)
        if self.split is MonthSplit.WEEK_DAYS and cost:
            span = (sunday - first_day).days + 1
            for part_start, part_end in _by_month(first_day, sunday):
                share = Decimal((part_end - part_start).days + 1) / span
                totals[(part_start.year, part_start.month)] += cost * rate * share
        return RefundLine(
            benefit, days, cost if known else None,
            "medfinansiering" if cofinanced else "refusion", rate,
            cost * rate if known else None,
            band.cofinancing_basis if cofinanced else band.refund_basis, band.id)
