"""Adding durations to dates, exactly, and the two readings of a deadline that are sums.

Adding a duration follows the algorithm Catala formalised (Monat, Fromherz, Merigoux,
"Formalizing Date Arithmetic and Statically Detecting Ambiguities for the Law", ESOP 2024):
add years and months together, round once if the day does not exist in the target month,
then add the days. Rounding down is what ``dateutil.relativedelta`` does; rounding up and
strict are the other two choices a rule can make (``docs/domain/date-arithmetic.md``).
:func:`after`, :func:`within` and :func:`end_of_week` are the readings of a deadline found in
the law (``semantics.md`` §1); the day counts and period merging here are plain date sums too.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from datetime import date, timedelta

import attrs

from lab_rules.calendar.durations import Duration, Rounding
from lab_rules.core.errors import AmbiguousDateError

__all__ = [
    "DateStep",
    "add",
    "add_explained",
    "add_months",
    "after",
    "end_of_week",
    "merge_periods",
    "weekdays_between",
    "within",
]

_SHORTEST_MONTH = 28
"""Every month has this many days: a day up to it exists in any month (no lookup needed)."""


def add_months(
    start: date, months: int, rounding: Rounding, duration: Duration
) -> tuple[date, bool]:
    """Add whole months to *start*; return the date and whether rounding happened."""
    if months == 0:
        return start, False
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        raise OverflowError(f"{start} + {duration} leaves the supported date range")
    day = start.day
    if day <= _SHORTEST_MONTH:
        return date(year, month0 + 1, day), False
    last = monthrange(year, month0 + 1)[1]
    if day <= last:
        return date(year, month0 + 1, day), False
    if rounding is Rounding.DOWN:
        return date(year, month0 + 1, last), True
    if rounding is Rounding.UP:
        return date(year, month0 + 1, last) + timedelta(days=1), True
    raise AmbiguousDateError(start, duration, f"{year:04d}-{month0 + 1:02d}-{day:02d}")


@attrs.frozen
class DateStep:
    """One addition ``start + duration`` and whether its month step was rounded."""

    start: date
    duration: Duration
    rounding: Rounding
    result: date
    rounded: bool


def add_explained(start: date, duration: Duration, rounding: Rounding) -> DateStep:
    """Add *duration* to *start* (months first, round once, then days) and record how."""
    moved, rounded = add_months(start, duration.total_months, rounding, duration)
    result = moved + timedelta(days=duration.days) if duration.days else moved
    return DateStep(start, duration, rounding, result, rounded)


def add(start: date, duration: Duration, rounding: Rounding) -> date:
    """``start + duration`` with the given month-end rounding (Catala's algorithm)."""
    moved, _ = add_months(start, duration.total_months, rounding, duration)
    return moved + timedelta(days=duration.days) if duration.days else moved


def after(anchor: date, duration: Duration, rounding: Rounding = Rounding.DOWN) -> date:
    """``anchor + duration``: "senest 1 uge fra første henvendelse" (4 Mar → 11 Mar 2024)."""
    return add(anchor, duration, rounding)


def within(anchor: date, duration: Duration, rounding: Rounding = Rounding.UP) -> date:
    """Last day of a period of *duration* that starts on, and counts, the anchor day.

    ``(anchor + duration, month step rounded up) - 1 day``: "inden for de første 6 måneder"
    from 29 Aug 2024 ends 28 Feb 2025; rounding down first would lose the last day because
    February is short (``semantics.md`` §1).
    """
    return add(anchor, duration, rounding) - timedelta(days=1)


def end_of_week(anchor: date, weeks: int, *, calendar_weeks: bool = False) -> date:
    """Last day of week *weeks*: "inden udgangen af 8. uge regnet fra første fraværsdag".

    By default week 1 is the 7 days starting on the anchor day (Wed 10 Jan 2024, week 8
    ends Tue 5 Mar 2024). ``calendar_weeks=True`` is the alternative reading the catalogue
    names: the Sunday of the n-th Monday-Sunday week, the anchor's own week being week 1
    (Sun 3 Mar 2024).
    """
    if weeks < 1:
        raise ValueError(f"week number must be at least 1, got {weeks}")
    if calendar_weeks:
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(days=7 * weeks - 1)
    return anchor + timedelta(days=7 * weeks - 1)


def weekdays_between(start: date, end: date) -> int:
    """Monday-Friday days in ``start``..``end`` inclusive, public holidays included."""
    if end < start:
        return 0
    weeks, rest = divmod((end - start).days + 1, 7)
    first = start.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (first + i) % 7 < 5)


def merge_periods(periods: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Inclusive periods sorted, with overlapping and adjoining ones joined."""
    merged: list[tuple[date, date]] = []
    for first, last in sorted(periods):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
