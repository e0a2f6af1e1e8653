"""Entitlements a caseworker can query: kontanthjælp holiday and dagpenge during sickness.

Kontanthjælp holiday (LAS § 13 stk. 12-13, lov nr. 296 af 22.3.2016): after 12 consecutive
months on uddannelses- or kontanthjælp a person may take up to 4 weeks' holiday on hjælp within
the following 12 months, at most 2 weeks at a time, agreed with the kommune in advance; own
holiday with feriegodtgørelse goes first. Each further 12 consecutive months earn a new
entitlement. Holiday taken is read from ``exemption`` events with reason ``ferie``.

Dagpenge during sickness (ALF § 62 stk. 3; bek. om rådighed § 21): a member keeps dagpenge for
the first 14 days of a sickness, without the duty to attend meetings or offers; the days are
calendar days from the first day of absence.

Every figure (12 months, 4 weeks, 2 weeks, 5 holiday days a week, 14 days) and legal basis is
the dated entry's (``law.holiday_rules``, ``law.sickness_rules``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import attrs

from lab_rules.calendar import Rounding, add, weekdays_between
from lab_rules.core.messages import Said
from lab_rules.core.vocabulary import Benefit, ExemptionReason
from lab_rules.facts.facts import Facts
from lab_rules.inputs.timeline import (
    BenefitEnded,
    BenefitStarted,
    Exemption,
    SicknessReported,
    Timeline,
)
from lab_rules.law.entitlements import (
    HolidayRule,
    SicknessRule,
)
from lab_rules.law.params import in_force, nearest

_HOLIDAY_BENEFITS = frozenset({Benefit.KONTANTHJAELP, Benefit.UDDANNELSESHJAELP})
_DAYS_A_WEEK = 7


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
    entry: str = ""
    """The id of the holiday entry that produced it."""
    cited: Said | None = None
    """The legal basis in both languages."""


@attrs.frozen
class SickDagpenge:
    """Dagpenge for the first days of one sickness."""

    first_day: date
    last_dagpenge_day: date
    legal_basis: str
    notes: tuple[str, ...]
    entry: str = ""
    """The id of the sickness entry that produced it."""
    cited: Said | None = None
    """The legal basis in both languages."""


def _holiday_days(rule: HolidayRule) -> int:
    return rule.total.days // _DAYS_A_WEEK * rule.days_per_week


def holiday_entitlements(facts: Facts, rules: Sequence[HolidayRule]
                         ) -> tuple[HolidayEntitlement, ...]:
    """Every kontanthjælp holiday entitlement earned up to ``facts.as_of`` under *rules*
    (``law.holiday_rules``); none is earned before the first entry is in force."""
    as_of, timeline = facts.as_of, facts.timeline
    entries = tuple(sorted(rules, key=lambda r: r.valid_from))
    holidays = [e for e in facts.exemptions if e.reason is ExemptionReason.FERIE]
    found = []
    for start, end in timeline.runs_of(_HOLIDAY_BENEFITS, as_of):
        block = 1
        while entries:
            rule = nearest(entries, start)
            earned = add(start, rule.earned_after * block, Rounding.UP)
            if earned > end + timedelta(days=1) or earned > as_of:
                break
            block += 1
            rule = in_force(entries, earned)
            if rule is None:
                continue
            found.append(_entitlement(rule, earned, holidays, as_of))
    return tuple(sorted(found, key=lambda h: h.earned_on))


def _entitlement(rule: HolidayRule, earned: date, holidays: Sequence[Exemption],
                 as_of: date) -> HolidayEntitlement:
    take_by = add(earned, rule.take_within, Rounding.UP) - timedelta(days=1)
    allowed = _holiday_days(rule)
    longest = rule.longest_period.days
    used, too_long = 0, []
    for holiday in holidays:
        first = max(holiday.start, earned)
        last = min(holiday.end or as_of, take_by)
        if first > last:
            continue
        used += weekdays_between(first, last)
        if ((holiday.end or as_of) - holiday.start).days + 1 > longest:
            too_long.append((holiday.start, holiday.end or as_of))
    weeks = rule.total.describe("en")
    notes = [f"{rule.days_per_week_confidence.value}: a week is {rule.days_per_week} holiday "
             f"days (Monday-Friday); {weeks} = {allowed} days",
             f"the holiday must be agreed with the kommune beforehand ({rule.agreement_basis}); "
             "own holiday with feriegodtgørelse is taken first",
             f"entry {rule.id} from {rule.valid_from} ({rule.confidence.value})"]
    if too_long:
        notes.append(f"a holiday period is longer than {rule.longest_period.describe('en')} "
                     f"({rule.legal_basis})")
    if used > allowed:
        notes.append(f"{used} holiday days taken: more than the {weeks} allowed")
    return HolidayEntitlement(earned, take_by, allowed, used, max(allowed - used, 0),
                              tuple(too_long), rule.legal_basis, tuple(notes), rule.id,
                              rule.cited())


def sickness_dagpenge(facts: Facts, rules: Sequence[SicknessRule]) -> tuple[SickDagpenge, ...]:
    """For each sickness reported while on dagpenge: the last day on dagpenge under *rules*
    (``law.sickness_rules``)."""
    timeline = facts.timeline
    entries = tuple(sorted(rules, key=lambda r: r.valid_from))
    found = []
    for report in timeline.of_type(SicknessReported):
        first = report.first_absence_day
        if not entries or not _on_dagpenge(timeline, first):
            continue
        rule = in_force(entries, first)
        notes = ["no duty to attend meetings, offers or job search during the days on "
                 f"dagpenge ({(rule or entries[0]).duties_basis})",
                 "afterwards the person is on sygedagpenge from the kommune"]
        if rule is None:
            rule = nearest(entries, first)
            notes.append(f"UNCONFIRMED: no entry in force on {first}; entry {rule.id} from "
                         f"{rule.valid_from} is used")
        last = add(first, rule.duration, Rounding.UP) - timedelta(days=1)
        found.append(SickDagpenge(first, last, rule.legal_basis, tuple(notes), rule.id,
                                  rule.cited()))
    return tuple(found)


def _on_dagpenge(timeline: Timeline, first: date) -> bool:
    on_dagpenge = False
    for event in timeline.events:
        if event.on > first:
            break
        if isinstance(event, BenefitStarted) and event.benefit is Benefit.DAGPENGE:
            on_dagpenge = True
        elif isinstance(event, BenefitEnded) and event.benefit is Benefit.DAGPENGE and (
                event.date < first):
            on_dagpenge = False
    return on_dagpenge
