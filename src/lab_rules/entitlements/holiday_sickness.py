"""Entitlements a caseworker can query: kontanthjælp holiday and dagpenge during sickness.

Kontanthjælp holiday (LAS § 13 stk. 12-13, lov nr. 296 af 22.3.2016): after 12 consecutive
months on uddannelses- or kontanthjælp a person may take up to 4 weeks' holiday on hjælp within
the following 12 months, at most 2 weeks at a time, agreed with the kommune in advance; own
holiday with feriegodtgørelse goes first. Each further 12 consecutive months earn a new
entitlement. Holiday taken is read from ``exemption`` events with reason ``ferie``; a week is 5
holiday days (Monday to Friday), so 4 weeks are 20 days (a convention the result states).

Dagpenge during sickness (BEK om rådighed 2026 (46/2026) on "de første 14 dages sygdom"): a
member keeps dagpenge for the first 14 days of a sickness, without the duty to attend meetings
or offers; the 14 days are calendar days from the first day of absence.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from lab_rules.calendar import Duration, Rounding, add, weekdays_between
from lab_rules.core.vocabulary import Benefit, ExemptionReason
from lab_rules.inputs.timeline import (
    BenefitEnded,
    BenefitStarted,
    Exemption,
    SicknessReported,
    Timeline,
)

_HOLIDAY_BENEFITS = frozenset({Benefit.KONTANTHJAELP, Benefit.UDDANNELSESHJAELP})
_HOLIDAY_FROM = date(2016, 4, 1)
HOLIDAY_DAYS = 20
"""4 weeks of 5 holiday days."""
PERIOD_DAYS = 14
"""At most 2 weeks at a time (calendar days of one holiday period)."""
SICK_DAYS = 14


@attrs.frozen
class HolidayEntitlement:
    """One earned kontanthjælp holiday: when it was earned and what is left of it."""

    earned_on: date
    take_by: date
    days: int
    used: int
    remaining: int
    periods_too_long: tuple[tuple[date, date], ...]
    legal_basis: str
    notes: tuple[str, ...]


@attrs.frozen
class SickDagpenge:
    """Dagpenge for the first 14 days of one sickness."""

    first_day: date
    last_dagpenge_day: date
    legal_basis: str
    notes: tuple[str, ...]


def kh_holiday(timeline: Timeline, as_of: date) -> tuple[HolidayEntitlement, ...]:
    """Every kontanthjælp holiday entitlement earned up to *as_of* (LAS § 13 stk. 12-13)."""
    known = timeline.until(as_of)
    holidays = [e for e in known.of_type(Exemption) if e.reason is ExemptionReason.FERIE]
    found = []
    for start, end in known.runs_of(_HOLIDAY_BENEFITS, as_of):
        block = 1
        while True:
            earned = add(start, Duration(months=12 * block), Rounding.UP)
            if earned > end + timedelta(days=1) or earned > as_of:
                break
            block += 1
            if earned < _HOLIDAY_FROM:
                continue
            take_by = add(earned, Duration(months=12), Rounding.UP) - timedelta(days=1)
            used, too_long = 0, []
            for holiday in holidays:
                first = max(holiday.start, earned)
                last = min(holiday.end or as_of, take_by)
                if first > last:
                    continue
                used += weekdays_between(first, last)
                if ((holiday.end or as_of) - holiday.start).days + 1 > PERIOD_DAYS:
                    too_long.append((holiday.start, holiday.end or as_of))
            notes = ["a week is 5 holiday days (Monday-Friday); 4 weeks = 20 days",
                     "the holiday must be agreed with the kommune beforehand (§ 13 stk. 13); "
                     "own holiday with feriegodtgørelse is taken first",
                     "the first day the rule applies (lov nr. 296/2016) is UNCONFIRMED: "
                     "1.4.2016 is used"]
            if too_long:
                notes.append("a holiday period is longer than 2 weeks (§ 13 stk. 12, 7. pkt.)")
            if used > HOLIDAY_DAYS:
                notes.append(f"{used} holiday days taken: more than the 4 weeks allowed")
            found.append(HolidayEntitlement(
                earned, take_by, HOLIDAY_DAYS, used, max(HOLIDAY_DAYS - used, 0),
                tuple(too_long), "LAS § 13 stk. 12-13", tuple(notes)))
    return tuple(sorted(found, key=lambda h: h.earned_on))


def dagpenge_sickness(timeline: Timeline, as_of: date) -> tuple[SickDagpenge, ...]:
    """For each sickness reported while on dagpenge: the last day of the 14 days on dagpenge."""
    known = timeline.until(as_of)
    found = []
    for report in known.of_type(SicknessReported):
        first = report.first_absence_day
        on_dagpenge = False
        for event in known.events:
            if event.on > first:
                break
            if isinstance(event, BenefitStarted) and event.benefit is Benefit.DAGPENGE:
                on_dagpenge = True
            elif isinstance(event, BenefitEnded) and event.benefit is Benefit.DAGPENGE and (
                    event.date < first):
                on_dagpenge = False
        if on_dagpenge:
            found.append(SickDagpenge(
                first, first + timedelta(days=SICK_DAYS - 1),
                "BEK om rådighed (46/2026); ALF § 62 stk. 3 (catalogue TC-30, low authority)",
                ("no duty to attend meetings, offers or job search during the 14 days",
                 "from day 15 the person is on sygedagpenge from the kommune")))
    return tuple(found)
