"""The person's count of benefit weeks on the staircase and its restarts (lov 994/2015 §§ 5-6,
30; BEK 1772/2015 §§ 2-3, 20-22).

Every calendar week from the first benefit week is one of three kinds: a *benefit week*
("berørt uge": a covered benefit paid for a day of it, several benefits counting once, BEK
§ 2, stk. 6) advances the count; a week of other *offentlig forsørgelse* (the dated lists of
BEK § 3, stk. 2, and covered benefits of old cases kept off the staircase, law § 30, stk. 2-4)
neither advances nor restarts it; any other week is *self-support* and, after the first
week of the current count, counts toward the restart of law § 6, stk. 1. When the restart
takes effect is the policy ``staircase_restart``.

Weeks are week indices (:func:`~lab_rules.refund.months.week_of`) and every kind of week is a
list of ranges of indices, so the count walks the runs of benefit weeks and the gaps between
them rather than every week; only a gap that could complete a restart is walked, a jump at a
time over the weeks that cannot complete it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date

import attrs

from lab_rules.calendar import Duration, Rounding, add
from lab_rules.core.messages import Message, date_text
from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.facts import Facts
from lab_rules.facts.paid import Interval
from lab_rules.law.policies import StaircaseRestart
from lab_rules.law.refund import Note, OldCases, OldCaseTest, Staircase
from lab_rules.refund.case_facts import fleksjob_visitation, visitations
from lab_rules.refund.law_index import staircase_index
from lab_rules.refund.months import WEEK_DAYS, monday_at, week_of

_STARTED_BEFORE, _VISITED_BEFORE = OldCaseTest.STARTED_BEFORE, OldCaseTest.VISITED_BEFORE
_ON_LAST_WEEK, _AT_NEXT_BENEFIT_WEEK = (StaircaseRestart.ON_LAST_WEEK,
                                       StaircaseRestart.AT_NEXT_BENEFIT_WEEK)
Ranges = list[tuple[int, int]]
"""Sorted, disjoint, non-adjacent ranges of week indices, first and last inclusive."""


@attrs.frozen
class WeekCount:
    """The numbered benefit weeks, the restarts and the kinds of week counted."""

    runs: tuple[tuple[int, int, int], ...]
    """Runs of consecutive benefit weeks: first and last week index and the first's number."""
    restarts: tuple[date, ...]
    """The first benefit week of each new count."""
    restart_weeks: tuple[date, ...]
    """The Monday of the self-support week that completed each restart."""
    week_kinds: tuple[tuple[str, int], ...]
    intervals: tuple[Interval, ...]
    """The covered intervals on the staircase."""
    notes: tuple[Note, ...]

    @property
    def numbers(self) -> dict[date, int]:
        """The number of every benefit week, by its Monday."""
        return {monday_at(week): number + week - first
                for first, last, number in self.runs for week in range(first, last + 1)}


@attrs.frozen
class BenefitCode:
    """A benefit in a note: its word in Danish, its code in English (the form the notes of
    the JSON ledger have always had)."""

    benefit: Benefit

    def describe(self, lang: str = "en") -> str:
        return (Message(f"refund.benefit.{self.benefit.value}").describe(lang) if lang == "da"
                else self.benefit.value)


@attrs.frozen
class Dates:
    """Days in a sentence, joined by commas and written the reader's way."""

    days: tuple[date, ...]

    def describe(self, lang: str = "en") -> str:
        return ", ".join(date_text(d, lang) for d in self.days)


def _merged(spans: Iterable[tuple[int, int]]) -> Ranges:
    """The weeks of *spans* as :data:`Ranges`: the range being built is held in locals and
    stored once it ends, rather than read and replaced in the list for every span."""
    merged: Ranges = []
    low, high = 0, None
    for first, last in sorted(spans):
        if high is not None and first <= high + 1:
            if last > high:
                high = last
            continue
        if high is not None:
            merged.append((low, high))
        low, high = first, last
    if high is not None:
        merged.append((low, high))
    return merged


def _weeks(intervals: Iterable[Interval], from_day: date, to_day: date | None = None
           ) -> list[tuple[int, int]]:
    """The first and last week index of each interval's days from_day..to_day."""
    low = from_day.toordinal()
    high = None if to_day is None else to_day.toordinal()
    spans = []
    for interval in intervals:
        start, end = interval.start.toordinal(), interval.end.toordinal()
        if high is not None and high < end:
            end = high
        if end < low or start > end:
            continue
        spans.append(((max(start, low) - 1) // WEEK_DAYS, (end - 1) // WEEK_DAYS))
    return spans


def _without(ranges: Ranges, removed: Ranges, first: int, last: int) -> Ranges:
    """The weeks of *ranges* within first..last that are not in *removed*."""
    kept: Ranges = []
    for lo, hi in ranges:
        lo, hi = max(lo, first), min(hi, last)
        for cut_lo, cut_hi in removed:
            if lo > hi or cut_lo > hi:
                break
            if cut_hi < lo:
                continue
            if cut_lo > lo:
                kept.append((lo, cut_lo - 1))
            lo = cut_hi + 1
        if lo <= hi:
            kept.append((lo, hi))
    return kept


def _length(ranges: Ranges) -> int:
    return sum(hi - lo + 1 for lo, hi in ranges)


def _old_case(interval: Interval, facts: Facts, visits: tuple[date, ...],
              staircase: Staircase) -> OldCases | None:
    """The old-case entry that keeps *interval* off the staircase, if any."""
    for old in staircase.old_cases:
        if interval.benefit not in old.benefits:
            continue
        if old.test is _STARTED_BEFORE and interval.start < old.before:
            return old
        if old.test is _VISITED_BEFORE:
            visited = fleksjob_visitation(facts.timeline, interval.start, visits)
            if visited is not None and visited < old.before:
                return old
    return None


@functools.lru_cache(maxsize=4096)
def _window_start(moment: int, window: Duration) -> int:
    """The first whole week of the *window* before the Monday of week *moment*."""
    start = add(monday_at(moment), -window, Rounding.DOWN)
    return -(-(start.toordinal() - 1) // WEEK_DAYS)


class _Walk:
    """The count walked over the runs of benefit weeks and the gaps of self-support."""

    def __init__(self, staircase: Staircase, reading: StaircaseRestart) -> None:
        self.staircase = staircase
        self.on_last_week = reading is _ON_LAST_WEEK
        self.at_next_benefit_week = reading is _AT_NEXT_BENEFIT_WEEK
        self.count, self.pending = 0, False
        self.self_support: Ranges = []
        self.self_weeks = 0
        self.runs: list[tuple[int, int, int]] = []
        self.restarts: list[date] = []
        self.completed: list[date] = []

    def _in_window(self, moment: int) -> int:
        """The self-support weeks in the window before the Monday of week *moment*, or all of
        them (more) while they are too few to restart the count."""
        stairs = self.staircase
        if self.self_weeks < stairs.restart_weeks:
            return self.self_weeks
        first = _window_start(moment, stairs.restart_window)
        return sum(hi - max(lo, first) + 1 for lo, hi in self.self_support if hi >= first)

    def _reached(self, moment: int) -> bool:
        """Enough self-support weeks in the window before the Monday of week *moment*."""
        return self._in_window(moment) >= self.staircase.restart_weeks

    def _restart(self, completed: int) -> None:
        self.completed.append(monday_at(completed))
        self.count, self.self_support, self.self_weeks, self.pending = 0, [], 0, True

    def gap(self, self_weeks: Ranges) -> None:
        """Self-support weeks between two runs (or after the last).

        Under ``on_last_week`` the restart takes effect with the week that completes it. A
        week adds at most one week to the window, so the weeks before the first that could
        complete it are added at once."""
        if not self.count:
            return
        needed = self.staircase.restart_weeks
        if self.on_last_week and self.self_weeks + _length(self_weeks) >= needed:
            for lo, hi in self_weeks:
                done = lo - 1
                while done < hi:
                    week = min(hi, done + max(1, needed - self._in_window(done + 1)))
                    self._add(done + 1, week)
                    if self._reached(week + 1):
                        self._restart(week)
                        return
                    done = week
            return
        for lo, hi in self_weeks:
            self._add(lo, hi)

    def _add(self, lo: int, hi: int) -> None:
        if self.self_support and self.self_support[-1][1] == lo - 1:
            self.self_support[-1] = (self.self_support[-1][0], hi)
        else:
            self.self_support.append((lo, hi))
        self.self_weeks += hi - lo + 1

    def run(self, first: int, last: int) -> None:
        """Consecutive benefit weeks first..last."""
        if self.at_next_benefit_week and self.count and self._reached(first):
            self._restart(self.self_support[-1][1])
        if self.pending:
            self.restarts.append(monday_at(first))
            self.pending = False
        self.runs.append((first, last, self.count + 1))
        self.count += last - first + 1


Supports = list[tuple[Interval, tuple[tuple[date, date | None], ...]]]
"""Intervals of a benefit on a list of other support, with the days the list names it."""


def _plain_weeks(paid: Iterable[Interval], counted_from: int) -> list[tuple[int, int]]:
    """The first and last week index of each interval's days from the day ordinal
    *counted_from* on (every interval on the staircase as it is)."""
    return [(((start if start > counted_from else counted_from) - 1) // WEEK_DAYS,
             (end - 1) // WEEK_DAYS)
            for interval in paid
            if (end := interval.end.toordinal()) >= counted_from
            and (start := interval.start.toordinal()) <= end]


def _plain_ranges(paid: Sequence[Interval], counted_from: int) -> Ranges:
    """:func:`_merged` of :func:`_plain_weeks`, in one pass while each interval's first week
    is not before the range being built (a person's payments come in order of their days),
    so that no span is built or sorted; an interval out of that order takes the two."""
    merged: Ranges = []
    low, high = 0, -2
    for interval in paid:
        end = interval.end.toordinal()
        if end < counted_from:
            continue
        start = interval.start.toordinal()
        if start > end:
            continue
        first = ((start if start > counted_from else counted_from) - 1) // WEEK_DAYS
        if first < low:
            return _merged(_plain_weeks(paid, counted_from))
        last = (end - 1) // WEEK_DAYS
        if first <= high + 1:
            if last > high:
                high = last
            continue
        if high >= 0:
            merged.append((low, high))
        low, high = first, last
    if high >= 0:
        merged.append((low, high))
    return merged


def _sorted_out(paid: Iterable[Interval], facts: Facts, staircase: Staircase,
                counted_from: int) -> tuple[list[Interval], list[Interval], Supports,
                                            list[Note], list[tuple[int, int]]]:
    """The intervals on the staircase, those an old case keeps off it, those on a list of
    other support; the old cases' notes; and the weeks of the
    intervals on the staircase. A person on :attr:`StaircaseIndex.plain` benefits alone has
    all of *paid* on the staircase and nothing else, which :func:`count_weeks` takes without
    sorting."""
    index = staircase_index(staircase)
    notes: list[Note] = []
    on_stairs: list[Interval] = []
    off_stairs: list[Interval] = []
    supports: Supports = []
    visits: tuple[date, ...] | None = None
    support, covered, old_benefits = index.support, index.covered, index.old_benefits
    for interval in paid:
        benefit = interval.benefit
        if benefit in support:
            supports.append((interval, support[benefit]))
        if benefit not in covered:
            continue
        if benefit in old_benefits:
            if visits is None:
                visits = visitations(facts.timeline)
            old = _old_case(interval, facts, visits, staircase)
            if old is not None:
                off_stairs.append(interval)
                notes.append(Message("refund.note.old_case", benefit=BenefitCode(benefit),
                                     start=interval.start, note=old.entry.said,
                                     entry=old.entry.id))
                continue
        on_stairs.append(interval)
    return on_stairs, off_stairs, supports, notes, _plain_weeks(on_stairs, counted_from)


def count_weeks(facts: Facts, staircase: Staircase, reading: StaircaseRestart) -> WeekCount:
    """Number the benefit weeks of *facts* on *staircase* under the restart *reading*."""
    index = staircase_index(staircase)
    counted_from = staircase.count_from.toordinal()
    paid = facts.paid_of(index.read)
    off_stairs: list[Interval]
    notes: list[Note]
    supports: Supports
    if {interval.benefit for interval in paid} <= index.plain:
        on_stairs, off_stairs, supports, notes = paid, [], [], []
        counted = _plain_ranges(paid, counted_from)
    else:
        on_stairs, off_stairs, supports, notes, weeks = _sorted_out(paid, facts, staircase,
                                                                    counted_from)
        counted = _merged(weeks)
    walk = _Walk(staircase, reading)
    kinds = {"benefit": 0, "other_support": 0, "self_support": 0}
    if counted:
        first, last = max(counted[0][0], week_of(staircase.count_from)), week_of(facts.as_of)
        counted = _without(counted, [], first, last)
        spans = _weeks(off_stairs, staircase.count_from) if off_stairs else []
        for interval, days in supports:
            for from_day, to_day in days:
                spans += _weeks((interval,), from_day, to_day)
        supported = _without(_merged(spans), counted, first, last) if spans else []
        if first <= last:
            kinds["benefit"], kinds["other_support"] = _length(counted), _length(supported)
            kinds["self_support"] = last - first + 1 - kinds["benefit"] - kinds["other_support"]
        after = first
        for lo, hi in [*counted, (last + 1, last)]:
            if lo > after:
                walk.gap(_without([(after, lo - 1)], supported, after, lo - 1))
            if lo <= hi:
                walk.run(lo, hi)
            after = hi + 1
    restart: tuple[Note, ...] = (Message(
        "refund.note.restart", basis=staircase.restart.legal_basis,
        n=staircase.restart_weeks, window=staircase.restart_window,
        completed=Dates(tuple(walk.completed)), reading=reading.value,
        entry=staircase.restart.id),) if walk.completed else ()
    return WeekCount(tuple(walk.runs), tuple(walk.restarts), tuple(walk.completed),
                     tuple(kinds.items()), tuple(on_stairs),
                     index.notes + _once(notes) + restart)


def _once(notes: list[Note]) -> tuple[Note, ...]:
    """The old cases' notes, each once. They cannot equal the staircase's notes (the rule
    file's words, or a sentence of another key) nor the one restart note, so only they are
    compared: hashing a sentence puts it into words."""
    return tuple(dict.fromkeys(notes)) if len(notes) > 1 else tuple(notes)
