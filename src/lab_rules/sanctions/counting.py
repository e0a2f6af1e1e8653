"""Counting the days a failure costs: calendar days, Danish business days, dagpenge weekdays
(Monday to Friday, public holidays included) or the ``sanction_days`` policy, as the register
entry's ``days`` says."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from lab_rules.calendar import DanishCalendar
from lab_rules.facts.failures import Failure
from lab_rules.law.policies import ContactDay, Policies, SanctionDays

_CALENDAR = DanishCalendar()
ONE_DAY = timedelta(days=1)
_SATURDAY = 5
_CALENDAR_DAYS, _INCLUSIVE = SanctionDays.CALENDAR, ContactDay.INCLUSIVE


def count(start: date, end_exclusive: date, mode: str, policies: Policies) -> list[date]:
    """The days from *start* up to *end_exclusive* that *mode* counts."""
    if mode == "policy":
        mode = "calendar" if policies.sanction_days is _CALENDAR_DAYS else "weekdays"
    days: list[date] = []
    day = start
    if mode == "calendar":
        while day < end_exclusive:
            days.append(day)
            day += ONE_DAY
    elif mode == "weekdays":
        while day < end_exclusive:
            if _CALENDAR.is_business_day(day):
                days.append(day)
            day += ONE_DAY
    elif mode == "dagpenge_weekdays":
        while day < end_exclusive:
            if day.weekday() < _SATURDAY:
                days.append(day)
            day += ONE_DAY
    return days


def until_contact(failure: Failure, as_of: date, policies: Policies,
                  mode: str) -> tuple[list[date], date | None]:
    """The days from the meeting day until contact (the meeting day always; the contact day
    under the ``sanction_contact_day`` policy), and the first day not counted once contact is
    restored."""
    if failure.until is None:
        end = as_of + ONE_DAY
    elif policies.sanction_contact_day is _INCLUSIVE:
        end = failure.until + ONE_DAY
    else:
        end = failure.until
    end = max(end, failure.day + ONE_DAY)
    days = count(failure.day, end, mode, policies)
    if failure.day not in days:
        days.insert(0, failure.day)
    return days, (end if failure.until is not None else None)


def month_end(day: date) -> date:
    """The last day of *day*'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
