"""Typed legal durations: years, months and days that are never normalised.

One month is not 30 days, so a :class:`Duration` keeps its three parts apart and comparing a
month with days is an error. :meth:`Duration.parse` reads the ISO-8601 form the rule files
use (``P1M``, ``P2W``, ``-P1Y2M3D``); :class:`Rounding` is the choice a rule makes for a month
step that lands on a day the target month lacks. Adding a duration to a date is
:mod:`lab_rules.calendar.arithmetic`.
"""

from __future__ import annotations

import enum
import functools
import re

import attrs

from lab_rules.core.errors import DurationFormatError, IncomparableDurationsError

__all__ = ["Duration", "Rounding"]


class Rounding(enum.Enum):
    """What to do when a month step lands on a day the target month lacks."""

    DOWN = "down"
    """Last day of the target month (31 Jan + 1 month = 28/29 Feb)."""
    UP = "up"
    """First day of the following month (31 Jan + 1 month = 1 Mar)."""
    STRICT = "strict"
    """Raise :class:`AmbiguousDateError`: the rule must say which it means."""


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
