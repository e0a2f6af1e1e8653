"""What the refund computations read from a person's timeline besides the paid days: offers
(for the active rate), sickness spells (SDP § 62 weeks), fleksjob visitations and days.

All functions take the timeline of :class:`~lab_rules.facts.facts.Facts`, already cut at
``as_of``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

import attrs

from lab_rules.core.vocabulary import CaseStep, TargetGroup
from lab_rules.facts.paid import Interval
from lab_rules.inputs.timeline import (
    CaseStepDone,
    GroupChanged,
    OfferAbsence,
    OfferEnded,
    OfferStarted,
    SicknessReported,
    Timeline,
)

_DAY = timedelta(days=1)
_VISITATION = CaseStep.VISITATION


@attrs.frozen
class OfferSpan:
    """An offer's days with what the refund rate needs to know about it."""

    start: date
    end: date | None
    hours_per_week: Decimal | None
    documented: bool

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def offer_spans(timeline: Timeline) -> list[OfferSpan]:
    """Periods in an offer (started .. ended)."""
    ends = sorted(e.date for e in timeline.of_type(OfferEnded))
    return [OfferSpan(started.date, next((d for d in ends if d >= started.date), None),
                      started.hours_per_week, bool(started.reduced_hours_documented))
            for started in timeline.of_type(OfferStarted)]


def spell_start(timeline: Timeline, day: date) -> date | None:
    """First day of the sickness spell that *day* belongs to (SDP § 62: "1. sygedag")."""
    starts = [s.first_absence_day for s in timeline.of_type(SicknessReported)
              if s.first_absence_day <= day]
    return max(starts) if starts else None


def spell_starts(timeline: Timeline) -> list[date]:
    """The first days of absence of the timeline's sickness spells, in order, once each."""
    return sorted({s.first_absence_day for s in timeline.of_type(SicknessReported)})


def long_absence_in_month(timeline: Timeline, day: date, limit: int) -> bool:
    """More than *limit* days' continuous absence from an offer in *day*'s calendar month (the
    monthly payment period of LAS § 89)."""
    first = day.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    for absence in timeline.of_type(OfferAbsence):
        start, end = max(absence.start, first), min(absence.end, following - _DAY)
        if start <= end and (end - start).days + 1 > limit:
            return True
    return False


def visitations(timeline: Timeline) -> tuple[date, ...]:
    """The days of the timeline's fleksjob visitations, in order."""
    return tuple(sorted(e.date for e in timeline.of_type(CaseStepDone)
                        if e.step is _VISITATION))


def fleksjob_visitation(timeline: Timeline, day: date,
                        visits: Sequence[date] | None = None) -> date | None:
    """The latest fleksjob visitation on or before *day*, if the timeline has one (*visits*:
    :func:`visitations` of the timeline, found once by a caller that asks for many days)."""
    visits = visitations(timeline) if visits is None else visits
    index = bisect_right(visits, day)
    return visits[index - 1] if index else None


def day_set(intervals: Iterable[Interval]) -> set[date]:
    found: set[date] = set()
    for interval in intervals:
        day = interval.start
        while day <= interval.end:
            found.add(day)
            day += _DAY
    return found


def group_days(timeline: Timeline, groups: frozenset[TargetGroup], as_of: date) -> set[date]:
    """Days the person was in one of *groups* (from group changes, up to the next change)."""
    days: set[date] = set()
    changes = timeline.of_type(GroupChanged)
    for index, change in enumerate(changes):
        if change.group not in groups:
            continue
        end = changes[index + 1].date - _DAY if index + 1 < len(changes) else as_of
        day = change.date
        while day <= end:
            days.add(day)
            day += _DAY
    return days
