"""The Danish business calendar: which days are closed, and moving deadlines off them.

Business days ("hverdage") are Monday to Friday except the Danish public holidays, which come
from the ``holidays`` package; a setting may also close Grundlovsdag, 24 and 31 December,
1 May or any other date. :class:`Roll` is what a rule does with a deadline that falls on a
closed day.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from datetime import date, timedelta

import attrs
import holidays

__all__ = ["ClosedDay", "DanishCalendar", "Roll"]


class Roll(enum.Enum):
    """What to do with a deadline that falls on a closed day (weekend or holiday)."""

    NONE = "none"
    FORWARD = "forward"
    BACKWARD = "backward"


class ClosedDay(enum.Enum):
    """Days that are not public holidays but that a calendar setting may treat as closed."""

    GRUNDLOVSDAG = "grundlovsdag"
    """5 June (Constitution Day)."""
    JULEAFTENSDAG = "juleaftensdag"
    """24 December."""
    NYTAARSAFTENSDAG = "nytaarsaftensdag"
    """31 December."""
    FOERSTE_MAJ = "foerste_maj"
    """1 May."""


_CLOSED_DAY_DATES: Mapping[ClosedDay, tuple[int, int, str]] = {
    ClosedDay.GRUNDLOVSDAG: (6, 5, "Grundlovsdag"),
    ClosedDay.JULEAFTENSDAG: (12, 24, "Juleaftensdag"),
    ClosedDay.NYTAARSAFTENSDAG: (12, 31, "Nytårsaftensdag"),
    ClosedDay.FOERSTE_MAJ: (5, 1, "1. maj"),
}


@functools.lru_cache(maxsize=512)
def _public_holidays(year: int) -> Mapping[date, str]:
    """Danish public holidays of *year* from the ``holidays`` package, in Danish.

    The package removes Store Bededag from 2024 on (lov nr. 132 af 24.2.2023).
    """
    return dict(holidays.country_holidays("DK", years=year, language="da").items())


@attrs.frozen
class DanishCalendar:
    """Business days ("hverdage"): Monday to Friday except Danish public holidays.

    Grundlovsdag, 24 and 31 December (and 1 May) are not public holidays; list them in
    ``closed_days`` to treat them as closed, and add any other date through ``extra_closed``
    (a municipality's closing day, say). The calendar is immutable and pure; it only caches
    the holiday table per year.
    """

    closed_days: frozenset[ClosedDay] = attrs.field(default=frozenset(), converter=frozenset)
    extra_closed: frozenset[date] = attrs.field(default=frozenset(), converter=frozenset)

    def holiday_name(self, day: date) -> str | None:
        """The name of the public holiday or configured closed day on *day*, if any."""
        name = _public_holidays(day.year).get(day)
        if name is not None:
            return name
        for closed in self.closed_days:
            month, dom, label = _CLOSED_DAY_DATES[closed]
            if (day.month, day.day) == (month, dom):
                return label
        if day in self.extra_closed:
            return "lukkedag"
        return None

    def is_business_day(self, day: date) -> bool:
        """True on a weekday that is neither a public holiday nor a configured closed day."""
        return day.weekday() < 5 and self.holiday_name(day) is None

    def roll(self, day: date, direction: Roll) -> date:
        """Move a closed *day* to the next (forward) or previous (backward) business day."""
        if direction is Roll.NONE:
            return day
        step = timedelta(days=1 if direction is Roll.FORWARD else -1)
        while not self.is_business_day(day):
            day += step
        return day

    def add_business_days(self, day: date, count: int) -> date:
        """The *count*-th business day after *day* (before it when negative).

        ``count == 0`` returns *day* unchanged, business day or not.
        """
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days *d* with ``start < d <= end``; negative when *end* is before *start*.

        So ``business_days_between(d, add_business_days(d, n)) == n``.
        """
        if end < start:
            return -self.business_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return count
