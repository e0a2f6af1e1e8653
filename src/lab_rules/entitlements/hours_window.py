"""The counting mechanisms of the hours rule: the runs of help, days of help within years, and
documented hours within a window of calendar months extended back by exempt periods.

Both take their figures from the era entry (:class:`lab_rules.law.hours.HoursEra`): the help
required (days, within a number of years or since the last restart) and the window (calendar
months, the cap on its extension, the fixed extension periods). Conventions, which every
result marks inferred: a work period's hours are spread evenly over its days; "3 years" back
from 29 February ends on 28 February.
"""

from __future__ import annotations

import functools
from calendar import monthrange
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import attrs

from lab_rules.calendar import Duration, Rounding, add, merge_periods
from lab_rules.core.vocabulary import Benefit, ExemptionReason
from lab_rules.inputs.timeline import BenefitEnded, BenefitStarted, Exemption, Timeline, WorkHours
from lab_rules.law.hours import HoursEra
from lab_rules.law.params import kept

HELP = frozenset({Benefit.KONTANTHJAELP, Benefit.UDDANNELSESHJAELP, Benefit.OVERGANGSYDELSE})
"""The help (hjælp efter § 11) whose days count and whose months are tested."""
_FEBRUARY, _LAST_SURE_DAY = 2, 28
_ONE_DAY = timedelta(days=1)


@functools.cache
def _back(years: int) -> Duration:
    return Duration(years=-years)


@functools.lru_cache(maxsize=4096)
def _years_back(day: date, years: int) -> date:
    """*day* moved back whole years, 29 February to 28 February (``Rounding.DOWN``)."""
    return add(day, _back(years), Rounding.DOWN)


def counted(spans: Sequence[tuple[date, date]], day: date, years: int | None) -> int:
    """Help days in *spans* up to *day*, within *years* years back when given."""
    low = _years_back(day, years) if years is not None else None
    total = 0
    for start, end in spans:
        first = start if low is None or start > low else low + timedelta(days=1)
        last = min(end, day)
        if last >= first:
            total += (last - first).days + 1
    return total


def overgangsdato(spans: Sequence[tuple[date, date]], era: HoursEra) -> tuple[date | None, int]:
    """The day the era's help requirement is reached (``help_days`` within ``help_within``, or
    in all), restarting after ``restart_days`` without help; and the days counted. Works on
    periods, not days: within a period each day adds one, and the window's lower edge drops at
    most one day, except where it steps over a 29 February, so the candidates are the period's
    end and each 28 February in it."""
    spans_counted: list[tuple[date, date]] = []
    years = era.help_within.total_months // 12 if era.help_within else None
    need = era.help_days
    for start, end in spans:
        if spans_counted and (start - spans_counted[-1][1]).days - 1 >= era.restart_days:
            spans_counted = []
        spans_counted.append((start, end))
        candidates = [end] + [date(y, _FEBRUARY, _LAST_SURE_DAY)
                              for y in range(start.year, end.year + 1)
                              if start <= date(y, _FEBRUARY, _LAST_SURE_DAY) <= end]
        if not any(counted(spans_counted, d, years) >= need for d in candidates):
            continue
        day = start + timedelta(days=max(need - counted(spans_counted, start, years), 0))
        day = min(day, end)
        while day > start and counted(spans_counted, day - _ONE_DAY, years) >= need:
            day -= _ONE_DAY
        while (reached := counted(spans_counted, day, years)) < need:
            day += _ONE_DAY
        return day, reached
    last = counted(spans_counted, spans_counted[-1][1], years) if spans_counted else 0
    return None, last


@attrs.frozen
class Hours:
    """Documented work by day, and the periods that extend the window."""

    by_day: dict[date, Decimal]
    extending: tuple[tuple[date, date], ...]


def hours_of(work: Sequence[WorkHours], exemptions: Sequence[Exemption], era: HoursEra,
             as_of: date, since: date | None = None) -> Hours:
    """Documented hours by day (from *since*), and the exempt and fixed extension periods."""
    by_day: dict[date, Decimal] = defaultdict(Decimal)
    for period in work:
        days = (period.end - period.start).days + 1
        if days < 1:
            continue
        share = period.hours / days
        for n in range(days):
            day = period.start + timedelta(days=n)
            if since is None or day >= since:
                by_day[day] += share
    extending, fixed = _extending(era)
    periods = [(e.start, e.end or as_of) for e in exemptions if e.reason in extending]
    if not periods:
        return Hours(dict(by_day), fixed)
    periods += [(x.start, x.end) for x in era.extensions]
    return Hours(dict(by_day), tuple(merge_periods(periods)))


@kept
def _extending(era: HoursEra
               ) -> tuple[frozenset[ExemptionReason], tuple[tuple[date, date], ...]]:
    """The exemption reasons that extend *era*'s window, and its fixed extension periods
    merged: what every person without an extending exemption has (worked out once per era)."""
    return (frozenset(reason for reason, _ in era.extending),
            tuple(merge_periods((x.start, x.end) for x in era.extensions)))


def _covered(periods: Sequence[tuple[date, date]], start: date, end: date) -> int:
    """Days of *start*..*end* inside the (merged, disjoint) *periods*."""
    return sum(max((min(last, end) - max(first, start)).days + 1, 0) for first, last in periods)


def window(hours: Hours, month: date, era: HoursEra) -> tuple[Decimal, int]:
    """Hours within the era's window of calendar months ending with *month*, the window
    extended back by the days of the extending periods inside it but never beyond the era's
    cap; and the days it was extended by."""
    end = month_end(month)
    months = era.window.total_months
    start = _window_start(hours.extending, month, months, era.window_cap.total_months)
    total = sum((h for d, h in hours.by_day.items() if start <= d <= end), Decimal(0))
    return total, (_months_back(month, months) - start).days


@functools.lru_cache(maxsize=8192)
def _window_start(extending: tuple[tuple[date, date], ...], month: date, months: int,
                  cap: int) -> date:
    """The first day of the window of *months* calendar months ending with *month*, extended
    back by the days of *extending* inside it until that adds no more, never before the
    *cap* months' window. Many persons share the extending periods (the era's fixed ones), so
    the answer is kept."""
    end = month_end(month)
    base = _months_back(month, months)
    floor = _months_back(month, cap)
    extended = 0
    while True:
        start = max(base - timedelta(days=extended), floor)
        covered = _covered(extending, start, end)
        if covered <= extended or start == floor:
            return start
        extended = covered


@functools.lru_cache(maxsize=4096)
def _months_back(month: date, months: int) -> date:
    """The first day of the window of *months* calendar months that ends with *month*."""
    return add(month, Duration(months=1 - months), Rounding.STRICT)


def months_between(start: date, end: date) -> list[date]:
    """The first days of the calendar months from *start*'s to *end*'s."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [date(n // 12, n % 12 + 1, 1) for n in range(first, last + 1)]


@functools.lru_cache(maxsize=4096)
def month_end(month: date) -> date:
    return month.replace(day=monthrange(month.year, month.month)[1])


def help_runs(timeline: Timeline, as_of: date) -> list[tuple[date, date]]:
    """The uninterrupted runs of help (:data:`HELP`) up to *as_of*: what
    ``timeline.runs_of(HELP, as_of)`` gives, read from the benefit events alone, and nothing
    to read for a person who never started help."""
    starts = timeline.of_type(BenefitStarted)
    if not any(start.benefit in HELP for start in starts):
        return []
    running: dict[Benefit, date] = {}
    spans: list[tuple[date, date]] = []
    for event in timeline.of_types(BenefitStarted, BenefitEnded):
        if isinstance(event, BenefitStarted):
            if event.benefit in HELP:
                running.setdefault(event.benefit, event.date)
        elif isinstance(event, BenefitEnded) and event.benefit in running:
            spans.append((running.pop(event.benefit), min(event.date, as_of)))
    spans += [(start, as_of) for start in running.values()]
    return merge_periods(spans)


@attrs.define
class EraCounts:
    """What one person's status needs of an era, worked out once per era object however
    often the months ask: the day its help requirement is reached (with the days counted),
    and the documented hours with the extending periods."""

    days: Sequence[tuple[date, date]]
    work: Sequence[WorkHours]
    exemptions: Sequence[Exemption]
    as_of: date
    since: date | None = None
    """The day the work is counted from (the restart after a long exemption), or None."""
    _reached: dict[int, tuple[date | None, int]] = attrs.field(factory=dict)
    _hours: dict[int, Hours] = attrs.field(factory=dict)

    def reached(self, era: HoursEra) -> tuple[date | None, int]:
        found = self._reached.get(id(era))
        if found is None:
            found = self._reached[id(era)] = overgangsdato(self.days, era)
        return found

    def hours(self, era: HoursEra) -> Hours:
        found = self._hours.get(id(era))
        if found is None:
            found = self._hours[id(era)] = hours_of(self.work, self.exemptions, era,
                                                    self.as_of, self.since)
        return found
