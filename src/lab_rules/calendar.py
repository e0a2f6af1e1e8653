"""Exact, explained date arithmetic for legal deadlines, and the Danish business calendar.

Durations are non-normalised (years, months, days) triples: one month is not 30 days, and
comparing a month with days is an error. Adding a duration follows the algorithm Catala
formalised (Monat, Fromherz, Merigoux, "Formalizing Date Arithmetic and Statically
Detecting Ambiguities for the Law", ESOP 2024): add years and months together, round once
if the day does not exist in the target month, then add the days. Rounding down is what
``dateutil.relativedelta`` does; rounding up and strict are the other two choices a rule
can make (``shared/domain/date-arithmetic.md``).

The three readings of a deadline found in the law (``semantics.md`` §1) are
:func:`after`, :func:`within` and :func:`end_of_week`; :func:`deadline` computes any of them
and records every step so that a result can explain its dates.
"""

from __future__ import annotations

import enum
import functools
import re
from calendar import monthrange
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import attrs
import holidays

from lab_rules.core.errors import (
    AmbiguousDateError,
    DurationFormatError,
    IncomparableDurationsError,
)

__all__ = [
    "ClosedDay",
    "DanishCalendar",
    "DateComputation",
    "Duration",
    "Reading",
    "Roll",
    "Rounding",
    "add",
    "add_explained",
    "after",
    "anchored_schedule",
    "chained_schedule",
    "deadline",
    "end_of_week",
    "within",
]


class Rounding(enum.Enum):
    """What to do when a month step lands on a day the target month lacks."""

    DOWN = "down"
    """Last day of the target month (31 Jan + 1 month = 28/29 Feb)."""
    UP = "up"
    """First day of the following month (31 Jan + 1 month = 1 Mar)."""
    STRICT = "strict"
    """Raise :class:`AmbiguousDateError`: the rule must say which it means."""


class Roll(enum.Enum):
    """What to do with a deadline that falls on a closed day (weekend or holiday)."""

    NONE = "none"
    FORWARD = "forward"
    BACKWARD = "backward"


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


_ISO_DURATION = re.compile(
    r"^(?P<sign>[-+])?P"
    r"(?:(?P<years>[-+]?\d+)Y)?"
    r"(?:(?P<months>[-+]?\d+)M)?"
    r"(?:(?P<weeks>[-+]?\d+)W)?"
    r"(?:(?P<days>[-+]?\d+)D)?$"
)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if abs(n) == 1 else many}"


@functools.total_ordering
@attrs.frozen(eq=False)
class Duration:
    """A typed, non-normalised legal duration: years, months and days.

    Weeks are 7 days; ``in_weeks`` only remembers that the duration was written in weeks, so
    that ``P2W`` prints as ``P2W`` and reads "2 uger". ``P2W == P14D``. Durations of
    different units (months against days) cannot be ordered: that raises
    :class:`IncomparableDurationsError`.
    """

    years: int = 0
    months: int = 0
    days: int = 0
    in_weeks: bool = attrs.field(default=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if type(self.years) is not int or type(self.months) is not int or (
                type(self.days) is not int):
            raise TypeError(f"Duration parts must be ints, got {self.years!r}, "
                            f"{self.months!r}, {self.days!r}")

    @classmethod
    def of(cls, *, years: int = 0, months: int = 0, weeks: int = 0, days: int = 0) -> Duration:
        """Build a duration from named parts; weeks become 7 days each."""
        return cls(years, months, weeks * 7 + days, in_weeks=bool(weeks) and not days)

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse an ISO-8601 duration without a time part: ``P1M``, ``P2W``, ``-P1Y2M3D``."""
        if not isinstance(text, str):
            raise DurationFormatError(f"a duration must be a string like 'P1M', got {text!r}")
        match = _ISO_DURATION.match(text.strip())
        if match is None or text.strip() in ("P", "-P", "+P"):
            hint = " (durations have no time part)" if "T" in text else ""
            raise DurationFormatError(
                f"{text!r} is not an ISO-8601 duration such as 'P1M', 'P2W', 'P10D' or "
                f"'P1Y2M'{hint}"
            )
        parts = {k: int(v) for k, v in match.groupdict().items() if k != "sign" and v is not None}
        sign = -1 if match["sign"] == "-" else 1
        weeks = parts.get("weeks", 0)
        days = parts.get("days", 0)
        return cls(
            sign * parts.get("years", 0),
            sign * parts.get("months", 0),
            sign * (weeks * 7 + days),
            in_weeks="weeks" in parts and "days" not in parts,
        )

    @property
    def total_months(self) -> int:
        return 12 * self.years + self.months

    @property
    def unit(self) -> str:
        """``"days"``, ``"months"``, ``"mixed"`` or ``"zero"``."""
        if self.years == 0 and self.months == 0 and self.days == 0:
            return "zero"
        if self.years == 0 and self.months == 0:
            return "days"
        if self.days == 0:
            return "months"
        return "mixed"

    @property
    def weeks(self) -> int | None:
        """Whole weeks if the duration is a pure multiple of 7 days, else None."""
        if self.unit == "days" and self.days % 7 == 0:
            return self.days // 7
        return None

    def __str__(self) -> str:
        if self.unit == "zero":
            return "P0D"
        sign = ""
        years, months, days = self.years, self.months, self.days
        if years <= 0 and months <= 0 and days <= 0:
            sign, years, months, days = "-", -years, -months, -days
        text = sign + "P"
        if years:
            text += f"{years}Y"
        if months:
            text += f"{months}M"
        if days:
            text += f"{days // 7}W" if self.in_weeks and days % 7 == 0 else f"{days}D"
        return text

    def describe(self, lang: str = "en") -> str:
        """Human words for the duration: "6 måneder", "2 uger", "1 year and 3 days"."""
        words = {
            "da": (("år", "år"), ("måned", "måneder"), ("uge", "uger"), ("dag", "dage"), "og"),
            "en": (("year", "years"), ("month", "months"), ("week", "weeks"), ("day", "days"),
                   "and"),
        }[lang]
        parts = []
        if self.years:
            parts.append(_plural(self.years, *words[0]))
        if self.months:
            parts.append(_plural(self.months, *words[1]))
        if self.days:
            if self.in_weeks and self.days % 7 == 0:
                parts.append(_plural(self.days // 7, *words[2]))
            else:
                parts.append(_plural(self.days, *words[3]))
        if not parts:
            return _plural(0, *words[3])
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {words[4]} {parts[-1]}"

    def __neg__(self) -> Duration:
        return Duration(-self.years, -self.months, -self.days, in_weeks=self.in_weeks)

    def __add__(self, other: object) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented
        return Duration(
            self.years + other.years,
            self.months + other.months,
            self.days + other.days,
            in_weeks=(self.in_weeks or self.unit == "zero")
            and (other.in_weeks or other.unit == "zero"),
        )

    def __sub__(self, other: object) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented
        return self + (-other)

    def __mul__(self, factor: object) -> Duration:
        if not isinstance(factor, int) or isinstance(factor, bool):
            return NotImplemented
        return Duration(
            self.years * factor, self.months * factor, self.days * factor, in_weeks=self.in_weeks
        )

    __rmul__ = __mul__

    def _key(self) -> tuple[int, int]:
        return (self.total_months, self.days)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Duration):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Duration):
            return NotImplemented
        units = {self.unit, other.unit} - {"zero"}
        if len(units) > 1 or "mixed" in units:
            raise IncomparableDurationsError(
                f"cannot compare {self} with {other}: a month has no fixed number of days; "
                "compare durations in the same unit"
            )
        return self._key() < other._key()


def _add_months(start: date, months: int, rounding: Rounding, duration: Duration) -> tuple[date,
                                                                                          bool]:
    """Add whole months to *start*; return the date and whether rounding happened."""
    if months == 0:
        return start, False
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise OverflowError(f"{start} + {duration} leaves the supported date range")
    last = monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day), False
    if rounding is Rounding.DOWN:
        return date(year, month, last), True
    if rounding is Rounding.UP:
        return date(year, month, last) + timedelta(days=1), True
    raise AmbiguousDateError(start, duration, f"{year:04d}-{month:02d}-{start.day:02d}")


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
    moved, rounded = _add_months(start, duration.total_months, rounding, duration)
    result = moved + timedelta(days=duration.days) if duration.days else moved
    return DateStep(start, duration, rounding, result, rounded)


def add(start: date, duration: Duration, rounding: Rounding) -> date:
    """``start + duration`` with the given month-end rounding (Catala's algorithm)."""
    moved, _ = _add_months(start, duration.total_months, rounding, duration)
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
        """One line: "2024-03-04 + 6 måneder (within, round up) = 2024-09-03"."""
        notes = [self.reading.value]
        if self.reading in (Reading.AFTER, Reading.WITHIN):
            notes.append(f"rounding {self.rounding.value}")
        if self.rounded:
            notes.append("rundet" if lang == "da" else "rounded")
        text = (
            f"{self.anchor.isoformat()} + {self.duration.describe(lang)} "
            f"({', '.join(notes)}) = {self.unrolled.isoformat()}"
        )
        if self.result != self.unrolled:
            word = "flyttet til" if lang == "da" else "rolled to"
            text += f", {word} {self.result.isoformat()} ({self.roll.value})"
        return text


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
        moved, rounded = _add_months(anchor, duration.total_months, rounding, duration)
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
