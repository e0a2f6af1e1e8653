"""The person's count of benefit weeks on the staircase and its restarts (lov 994/2015 §§ 5-6,
30; BEK 1772/2015 §§ 2-3, 20-22).

Every calendar week from the first benefit week is one of three kinds: a *benefit week*
("berørt uge": a covered benefit paid for a day of it, several benefits counting once, BEK
§ 2, stk. 6) advances the count; a week of other *offentlig forsørgelse* (the dated lists of
BEK § 3, stk. 2, and covered benefits of old cases kept off the staircase, law § 30, stk. 2-4)
neither advances nor restarts it; any other week is *self-support* and, after the first
week of the current count, counts toward the restart of law § 6, stk. 1. When the restart
takes effect is the policy ``staircase_restart``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, timedelta

import attrs

from lab_rules.calendar import Rounding, add
from lab_rules.facts.facts import Facts
from lab_rules.facts.paid import Interval
from lab_rules.law.policies import StaircaseRestart
from lab_rules.law.refund import OldCases, OldCaseTest, Staircase
from lab_rules.refund.case_facts import fleksjob_visitation
from lab_rules.refund.months import monday_of

_WEEK = timedelta(days=7)


@attrs.frozen
class WeekCount:
    """The numbered benefit weeks, the restarts and the kinds of week counted."""

    numbers: dict[date, int]
    restarts: tuple[date, ...]
    """The first benefit week of each new count."""
    restart_weeks: tuple[date, ...]
    """The Monday of the self-support week that completed each restart."""
    week_kinds: tuple[tuple[str, int], ...]
    intervals: tuple[Interval, ...]
    """The covered intervals on the staircase."""
    notes: tuple[str, ...]


def _mondays(intervals: Iterable[Interval], from_day: date, to_day: date | None = None
             ) -> set[date]:
    found: set[date] = set()
    for interval in intervals:
        end = interval.end if to_day is None else min(interval.end, to_day)
        if end < from_day or interval.start > end:
            continue
        monday = monday_of(max(interval.start, from_day))
        while monday <= end:
            found.add(monday)
            monday += _WEEK
    return found


def _old_case(interval: Interval, facts: Facts, staircase: Staircase) -> OldCases | None:
    """The old-case entry that keeps *interval* off the staircase, if any."""
    for old in staircase.old_cases:
        if interval.benefit not in old.benefits:
            continue
        if old.test is OldCaseTest.STARTED_BEFORE and interval.start < old.before:
            return old
        if old.test is OldCaseTest.VISITED_BEFORE:
            visited = fleksjob_visitation(facts.timeline, interval.start)
            if visited is not None and visited < old.before:
                return old
    return None


def count_weeks(facts: Facts, staircase: Staircase, reading: StaircaseRestart) -> WeekCount:
    """Number the benefit weeks of *facts* on *staircase* under the restart *reading*."""
    notes: list[str] = list(staircase.notes)
    on_stairs: list[Interval] = []
    off_stairs: list[Interval] = []
    for interval in facts.paid_of(staircase.refunded | staircase.cofinanced):
        old = _old_case(interval, facts, staircase)
        if old is None:
            on_stairs.append(interval)
        else:
            off_stairs.append(interval)
            notes.append(f"{interval.benefit.value} from {interval.start}: {old.entry.note} "
                         f"[{old.entry.id}]")
    counted = _mondays(on_stairs, staircase.count_from)
    supported = _mondays(off_stairs, staircase.count_from)
    for support in staircase.public_support:
        supported |= _mondays(facts.paid_of(support.benefits),
                              max(support.valid_from, staircase.count_from), support.valid_to)
    supported -= counted
    numbers: dict[date, int] = {}
    restarts: list[date] = []
    completed: list[date] = []
    kinds = {"benefit": 0, "other_support": 0, "self_support": 0}
    count, pending = 0, False
    self_support: list[date] = []

    def reached(moment: date) -> bool:
        start = add(moment, -staircase.restart_window, Rounding.DOWN)
        return len(self_support) - bisect_left(self_support, start) >= staircase.restart_weeks

    monday = max(min(counted), monday_of(staircase.count_from)) if counted else None
    while monday is not None and monday <= monday_of(facts.as_of):
        if monday in counted:
            if (reading is StaircaseRestart.AT_NEXT_BENEFIT_WEEK and count
                    and reached(monday)):
                completed.append(self_support[-1])
                count, self_support, pending = 0, [], True
            if pending:
                restarts.append(monday)
                pending = False
            count += 1
            numbers[monday] = count
            kinds["benefit"] += 1
        elif monday in supported:
            kinds["other_support"] += 1
        else:
            kinds["self_support"] += 1
            if count:
                self_support.append(monday)
                if reading is StaircaseRestart.ON_LAST_WEEK and reached(monday + _WEEK):
                    completed.append(monday)
                    count, self_support, pending = 0, [], True
        monday += _WEEK
    if completed:
        notes.append(f"{staircase.restart.legal_basis}: the count starts again after "
                     f"{staircase.restart_weeks} weeks of self-support within "
                     f"{staircase.restart_window.describe()} (completed "
                     f"{', '.join(str(d) for d in completed)}; staircase_restart="
                     f"{reading.value}) [{staircase.restart.id}]")
    return WeekCount(numbers, tuple(restarts), tuple(completed), tuple(kinds.items()),
                     tuple(on_stairs), tuple(dict.fromkeys(notes)))
