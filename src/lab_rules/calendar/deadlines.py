"""Deadlines by the statute's reading, explained step by step, and recurring due dates.

The three readings of a deadline found in the law (``semantics.md`` §1) are
:func:`~lab_rules.calendar.arithmetic.after`, :func:`~lab_rules.calendar.arithmetic.within`
and :func:`~lab_rules.calendar.arithmetic.end_of_week`; :func:`deadline` computes any of them,
optionally rolled off a closed day, and records every step in a :class:`DateComputation` so
that a result can explain its dates. :func:`anchored_schedule` and :func:`chained_schedule`
are the two ways of counting a recurring interval.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

import attrs

from lab_rules.calendar.arithmetic import add, add_months, end_of_week
from lab_rules.calendar.danish import DanishCalendar, Roll
from lab_rules.calendar.durations import Duration, Rounding
from lab_rules.core.messages import text

__all__ = [
    "DateComputation",
    "Reading",
    "anchored_schedule",
    "chained_schedule",
    "deadline",
]


class Reading(enum.Enum):
    """How a statute's words turn an anchor and a duration into a last allowed day."""

    AFTER = "after"
    """anchor + d: "senest 1 uge fra første henvendelse"."""
    WITHIN = "within"
    """Last day of a period of length d that starts on (and counts) the anchor day."""
    END_OF_WEEK = "end_of_week"
    """Last day of week n counted in 7-day blocks from the anchor day (day 1 of week 1)."""
    END_OF_CALENDAR_WEEK = "end_of_calendar_week"
    """Sunday of the n-th Monday-Sunday week, counting the week that contains the anchor."""


@attrs.frozen
class DateComputation:
    """A deadline and the arithmetic that produced it, for traces and explanations."""

    anchor: date
    duration: Duration
    reading: Reading
    rounding: Rounding
    rounded: bool
    roll: Roll
    unrolled: date
    result: date

    def describe(self, lang: str = "en") -> str:
        """One line: "2024-03-04 + 6 måneder (within, rounding up) = 2024-09-03" (dates as
        *lang* writes them)."""
        notes = [text(f"contact.reading.{self.reading.value}", lang)]
        if self.reading in (Reading.AFTER, Reading.WITHIN):
            notes.append(text("contact.deadline.rounding", lang,
                              rounding=text(f"contact.rounding.{self.rounding.value}", lang)))
        if self.rounded:
            notes.append(text("contact.deadline.rounded", lang))
        line = text("contact.deadline.sum", lang, anchor=self.anchor,
                    span=self.duration.describe(lang), how=", ".join(notes),
                    result=self.unrolled)
        if self.result != self.unrolled:
            line = text("contact.deadline.rolled", lang, sum=line, result=self.result,
                        roll=text(f"contact.roll.{self.roll.value}", lang))
        return line


def deadline(
    anchor: date,
    duration: Duration,
    reading: Reading,
    rounding: Rounding,
    roll: Roll = Roll.NONE,
    calendar: DanishCalendar | None = None,
) -> DateComputation:
    """Compute a deadline by *reading* and record every step of it.

    ``END_OF_WEEK`` and ``END_OF_CALENDAR_WEEK`` need a duration in whole weeks.
    """
    rounded = False
    if reading is Reading.AFTER or reading is Reading.WITHIN:
        moved, rounded = add_months(anchor, duration.total_months, rounding, duration)
        unrolled = moved + timedelta(days=duration.days) if duration.days else moved
        if reading is Reading.WITHIN:
            unrolled -= timedelta(days=1)
    else:
        weeks = duration.weeks
        if weeks is None or weeks < 1:
            raise ValueError(f"reading {reading.value} needs a positive number of weeks, "
                             f"got {duration}")
        calendar_weeks = reading is Reading.END_OF_CALENDAR_WEEK
        unrolled = end_of_week(anchor, weeks, calendar_weeks=calendar_weeks)
    result = unrolled
    if roll is not Roll.NONE:
        result = (calendar or DanishCalendar()).roll(unrolled, roll)
    return DateComputation(anchor, duration, reading, rounding, rounded, roll, unrolled, result)


def anchored_schedule(
    anchor: date, interval: Duration, count: int, rounding: Rounding
) -> tuple[date, ...]:
    """``anchor + k·interval`` for k = 1..count: how recurring due dates must be computed.

    From 31 Jan 2024 monthly: 29 Feb, 31 Mar, 30 Apr, ... (``date-arithmetic.md``).
    """
    return tuple(add(anchor, interval * k, rounding) for k in range(1, count + 1))


def chained_schedule(
    anchor: date, interval: Duration, count: int, rounding: Rounding
) -> tuple[date, ...]:
    """Each date from the previous one: right only where a statute says the interval runs
    from the last event (fleksjob follow-up, "2½ år fra seneste opfølgning"). Drifts after
    one clamp: from 31 Jan 2024 monthly it gives 29 Feb, 29 Mar, 29 Apr, ...
    """
    dates: list[date] = []
    current = anchor
    for _ in range(count):
        current = add(current, interval, rounding)
        dates.append(current)
    return tuple(dates)
