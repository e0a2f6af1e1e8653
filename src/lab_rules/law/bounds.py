"""The bounds of every quantity a rule file gives: dates, durations, whole numbers and figures.

A rule file that passes ``lab-rules check-rules`` must evaluate every timeline of the supported
range (events and ``--as-of`` from 1990-01-01 to 2100-12-31) without an overflow, an endless
loop or a division by zero; so each quantity is refused at load time, with its file, key and
line, when it lies outside a bound that keeps every sum the evaluator makes inside Python's
dates (years 1 to 9999). The bounds are far beyond anything the law writes (its longest period
is a few years, its largest count a few dozen), and ``rules/README.md`` lists them:

- dates from :data:`FIRST_RULE_DAY` to :data:`LAST_RULE_DAY`; a ``valid_to`` may also be
  :data:`OPEN_END` (``9999-12-31``, no end, as in the timeline format);
- durations of whole, non-negative parts no longer than :data:`MAX_DURATION_DAYS` when a month
  counts as 31 days (100 years: ``P100Y``, ``P1200M``, ``P5314W``); an interval that steps a
  schedule or a repetition is also longer than zero;
- counts of obligations (:data:`MAX_COUNT`) and the first index of a schedule
  (:data:`MAX_START_INDEX`): a schedule's first point is ``start_index`` intervals from its
  anchor, and 50 intervals of 100 years from the last rule day stay before the year 9999;
- other whole numbers (weeks, days, hours) below :data:`MAX_WHOLE`, ages below :data:`MAX_AGE`;
- figures written as decimal strings (``"160.33"``): amounts of kroner at most
  :data:`MAX_AMOUNT` (the timeline's bound of a payment), shares from 0 to 1, hours a day at
  most 24, a week 168 and a month 744, with at most :data:`MAX_PLACES` decimals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

__all__ = ["DAY_HOURS", "FIRST_RULE_DAY", "LAST_RULE_DAY", "MAX_AGE", "MAX_AMOUNT",
           "MAX_COUNT", "MAX_DAYS", "MAX_DURATION_DAYS", "MAX_PLACES", "MAX_START_INDEX",
           "MAX_WEEKS", "MAX_WHOLE", "MONTH_HOURS", "OPEN_END", "SHARE", "WEEK_HOURS",
           "duration_days"]

FIRST_RULE_DAY = date(1900, 1, 1)
"""The earliest date a rule file may give (ninety years before the first timeline day)."""
LAST_RULE_DAY = date(2199, 12, 31)
"""The latest date a rule file may give (a century after the last timeline day)."""
OPEN_END = date.max
"""``9999-12-31``: a ``valid_to`` that means no end."""

MAX_DURATION_DAYS = 37_200
"""The longest duration, in days with a month counted as 31: 100 years (``P100Y``)."""
MAX_COUNT = 400
"""The most obligations one rule gives in a span or window (``count``, ``max_items``): the
evaluator's own bound on recurring obligations (200 years of quarters)."""
MAX_START_INDEX = 50
"""The highest first index of a schedule: its first point lies ``start_index`` intervals from
the anchor, at most 50 × 100 years after the last rule day."""
MAX_WEEKS = 5_300
"""Weeks (a refund band's weeks, a karens): 100 years of weeks."""
MAX_DAYS = 36_600
"""Days (help days, a restart, absence): 100 years of days."""
MAX_WHOLE = 100_000
"""Any other whole number a rule file gives (hours, multiples)."""
MAX_AGE = 150
"""An age in years."""

_KRONER = 10_000_000
_HOURS_A_DAY = 24
MAX_AMOUNT = Decimal(_KRONER)
"""Kroner: the largest amount or monthly rate of a payment in the timeline format."""
SHARE = Decimal(1)
"""A share (a refund or co-financing rate, a quota) is at most the whole."""
DAY_HOURS = Decimal(_HOURS_A_DAY)
WEEK_HOURS = 7 * DAY_HOURS
MONTH_HOURS = 31 * DAY_HOURS
MAX_PLACES = 12
"""Decimals a figure may have."""


def duration_days(total_months: int, days: int) -> int:
    """The longest a duration of *total_months* months and *days* days can be, in days."""
    return 31 * total_months + days
