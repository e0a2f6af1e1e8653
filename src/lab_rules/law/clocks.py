"""The dagpenge hour clock's figures as data (``rules/parameters/dagpengetimer.toml``, kind
``clock_hours``).

For dagpenge recipients the periods of the contact course count as *sammenlagt ledighed*
(LAB § 9, stk. 1, nr. 1), measured in hours: the order converts a week into 37 hours and a
month into 160,33 hours (bek. 2636/2021 § 7, stk. 3; bek. 1216/2023 § 7, stk. 4), and from
1.1.2024 the a-kasse keeps the course until the end of the month with 410 hours' forbrug
(bek. 1216/2023 § 7, stk. 2); hours before a 5-year gap without dagpenge do not count
(§ 7, stk. 5). Each dated entry gives those figures, the hours one weekday on
dagpenge adds, and whether a public holiday on a weekday adds them; the clock
(:class:`lab_rules.facts.clocks.CourseClock`) only interprets them.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from lab_rules.calendar import Duration
from lab_rules.law.bounds import DAY_HOURS, MAX_WHOLE, MONTH_HOURS, WEEK_HOURS
from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import COMMON_KEYS, decimal_of, entry_of
from lab_rules.law.reader import described

KEYS = COMMON_KEYS | {"week_hours", "month_hours", "weekday_hours", "weekday_basis",
                      "weekday_confidence", "transfer_hours", "transfer_basis",
                      "public_holidays_count", "public_holidays_basis",
                      "public_holidays_confidence", "restart_after", "restart_basis"}


@attrs.frozen
class ClockHours:
    """The hour figures of the dagpenge clock in one period."""

    id: str
    valid_from: date
    valid_to: date | None
    week_hours: Decimal
    month_hours: Decimal
    weekday_hours: Decimal
    """Hours one weekday on dagpenge adds to the clock."""
    transfer_hours: Decimal | None
    """Forbrug after which the a-kasse hands the course to the jobcentre at the end of the
    month (None: no such handover in the period)."""
    public_holidays_count: bool
    """Whether a public holiday on a weekday adds ``weekday_hours``."""
    restart_after: Duration
    """A gap without dagpenge this long starts a new count of sammenlagt ledighed."""
    restart_basis: str
    legal_basis: str
    weekday_basis: str
    transfer_basis: str | None
    public_holidays_basis: str
    confidence: Confidence
    weekday_confidence: Confidence
    public_holidays_confidence: Confidence
    source: str


def _confidence(reader_value: object) -> Confidence | None:
    return next((c for c in Confidence if c.value == reader_value), None)


def load_clock_hours(path: str | Path) -> tuple[ClockHours, ...]:
    """Read the hour figures; raise :class:`RuleError` with every located problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"entry"}, "")
    found = []
    for where, raw in reader.tables(document, "entry", ""):
        reader.check_keys(raw, set(KEYS), where)
        common = entry_of(reader, raw, where)
        figures = [decimal_of(reader, raw, key, where, maximum=most, positive=True, unit="hours")
                   for key, most in (("week_hours", WEEK_HOURS), ("month_hours", MONTH_HOURS),
                                     ("weekday_hours", DAY_HOURS))]
        transfer = decimal_of(reader, raw, "transfer_hours", where, required=False,
                              maximum=Decimal(MAX_WHOLE), positive=True, unit="hours")
        transfer_basis = reader.text(raw, "transfer_basis", where, required=transfer is not None)
        weekday_basis = reader.text(raw, "weekday_basis", where)
        holidays_basis = reader.text(raw, "public_holidays_basis", where)
        restart = reader.duration(raw, "restart_after", where)
        restart_basis = reader.text(raw, "restart_basis", where)
        if restart is None:
            reader.problem(where, 'missing required duration "restart_after" (P5Y)')
        holidays = raw.get("public_holidays_count")
        if not isinstance(holidays, bool):
            reader.problem(f"{where}.public_holidays_count", f"must be true or false, got "
                           f"{described(holidays)}")
        marks = {}
        for key in ("weekday_confidence", "public_holidays_confidence"):
            marks[key] = _confidence(raw.get(key))
            if marks[key] is None:
                reader.problem(f"{where}.{key}", "must be one of confirmed, inferred, "
                               f"unconfirmed; got {raw.get(key)!r}")
        week, month, weekday = figures
        if (common is None or week is None or month is None or weekday is None
                or weekday_basis is None or holidays_basis is None or restart is None
                or restart_basis is None
                or not isinstance(holidays, bool) or None in marks.values()):
            continue
        found.append(ClockHours(
            common.id, common.valid_from, common.valid_to, week, month, weekday, transfer,
            holidays, restart, restart_basis, common.legal_basis, weekday_basis,
            transfer_basis, holidays_basis,
            common.confidence, marks["weekday_confidence"] or common.confidence,
            marks["public_holidays_confidence"] or common.confidence, common.source))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(found)


@functools.lru_cache(maxsize=1)
def bundled_clock_hours() -> tuple[ClockHours, ...]:
    """The national figures, for callers that are not given a :class:`Law` (read once)."""
    return load_clock_hours(bundled_rules_dir() / "parameters" / "dagpengetimer.toml")

