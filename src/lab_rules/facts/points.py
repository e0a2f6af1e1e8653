"""A point on a clock: a computed date and how it was computed, in words only when asked.

A calendar deadline (:func:`calendar_point`) keeps the arguments of its arithmetic instead of
the worked steps, so a caseload evaluation that never reads a trace never builds them; the
day itself is the same sum :func:`~lab_rules.calendar.deadline` makes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple, Protocol

from lab_rules.calendar import (
    DanishCalendar,
    DateComputation,
    Duration,
    Reading,
    Roll,
    Rounding,
    deadline,
)
from lab_rules.calendar.arithmetic import add_months
from lab_rules.core.slots import new_tuple

__all__ = ["CalendarSteps", "Describable", "Point", "calendar_point"]

# Enum members read per person, bound once: on Python 3.11 reading a member off its class
# goes through ``EnumType.__getattr__``'s lookup hook, as dear as a short function call.
_AFTER = Reading.AFTER
_WITHIN = Reading.WITHIN
_NO_ROLL = Roll.NONE
_ONE_DAY = timedelta(days=1)


class Describable(Protocol):
    def describe(self, lang: str = "en") -> str: ...


class Point(NamedTuple):
    """A computed date and how it was computed (words rendered on demand). A named tuple,
    like the contact course's candidates: several are made per obligation, and it is
    immutable."""

    day: date | None
    detail: str | Describable
    rounded: bool = False

    @property
    def text(self) -> str:
        return self.detail if isinstance(self.detail, str) else self.detail.describe("en")


class CalendarSteps:
    """The arithmetic of a calendar deadline, kept as its arguments and worked out (by
    :func:`~lab_rules.calendar.deadline`) only when a trace is read: most evaluations of a
    caseload never render one."""

    __slots__ = ("_args", "_computed")

    def __init__(self, anchor: date, duration: Duration, reading: Reading, rounding: Rounding,
                 roll: Roll, calendar: DanishCalendar) -> None:
        self._args = (anchor, duration, reading, rounding, roll, calendar)
        self._computed: DateComputation | None = None

    @property
    def computation(self) -> DateComputation:
        computed = self._computed
        if computed is None:
            computed = self._computed = deadline(*self._args)
        return computed

    def describe(self, lang: str = "en") -> str:
        return self.computation.describe(lang)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CalendarSteps):
            return self._args == other._args
        # typed as an object: compiled by mypyc, two values typed DateComputation (an attrs
        # class) would be compared for identity instead of with attrs' __eq__
        computation: object = self.computation
        return computation == other if isinstance(other, DateComputation) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._args)

    def __repr__(self) -> str:
        return repr(self.computation)


def calendar_point(anchor: date, duration: Duration, reading: Reading, rounding: Rounding,
                   roll: Roll, calendar: DanishCalendar) -> Point:
    """The day :func:`~lab_rules.calendar.deadline` gives, its steps kept for later: the
    after and within readings are the month step, the days and, within, one day back, then
    the roll (the same sums ``deadline`` makes; the week readings ask it)."""
    if reading is not _AFTER and reading is not _WITHIN:
        computed = deadline(anchor, duration, reading, rounding, roll, calendar)
        return Point(computed.result, computed, computed.rounded)
    day, rounded = add_months(anchor, duration.total_months, rounding, duration)
    if duration.days:
        day += timedelta(days=duration.days)
    if reading is _WITHIN:
        day -= _ONE_DAY
    if roll is not _NO_ROLL:
        day = calendar.roll(day, roll)
    return new_tuple(Point, (day, CalendarSteps(anchor, duration, reading, rounding, roll,
                                                calendar), rounded))
