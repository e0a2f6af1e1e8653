"""The 225-hour rule ("225-timersreglen", LAS §§ 13 f-13 g, 1.7.2011 - 30.6.2025), and for
married couples its predecessors: 300 hours within 24 calendar months after 2 years of help
(LAS lbk 1460/2007 § 13 stk. 8) and 450 hours (lov nr. 476 af 12.6.2009, lbk 946/2009), see
:data:`ERAS`.

A person who has received kontanthjælp-family help for 1 year in all within 3 years (the
*overgangsdato* is the day that year is reached) and has not documented 225 hours of ordinary,
unsupported work within the last 12 calendar months is deemed not to use their work
opportunities. An unmarried person's hjælp is reduced by a fixed monthly amount (§ 13 g; from
1.4.2016) from the 1st of the month after the month in which the conditions are not met (the
*bortfaldsdato*, § 13 g stk. 2); a married person's hjælp stops (§ 13 f stk. 2, from 1.7.2011).
The help count restarts after a continuous year without help (§ 13 f stk. 11). Full help is
regained by 225 hours within the last 12 calendar months, all worked after the reduction
(stk. 14).

The procedure (BEK 1625/2024, same in 474/2020): the warning letter at the latest 6 months
before the bortfaldsdato (§ 4 stk. 2), the consultation at the latest 1 month before (§ 6);
when the letter was late the reduction applies at the earliest 6 months after it was actually
sent (§ 7). No letters where the bortfaldsdato is 1.7.2025 or later: the rule was abolished
(§ 4 stk. 7; lov nr. 1655 af 30.12.2024).

Conventions, said in every result: a month's hours are the work periods' hours spread evenly
over their days; the 12 calendar months are the month tested and the 11 before it, extended
back by the days of documented sickness and barsel (``exemption`` events) and the Covid periods
(§ 13 f stk. 12, § 13 h), never beyond 3 years (stk. 13); the other extensions (care
allowances, værnepligt, education, other benefits) and the months added forward are not
applied. "3 years" back from 29 February ends on 28 February; "6 months" after a letter of the
31st lands on the 1st of the month after (the later date, in the citizen's favour).
"""

from __future__ import annotations

import functools
from calendar import monthrange
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import attrs

from lab_rules.calendar import Duration, Rounding, add, merge_periods
from lab_rules.core.vocabulary import Benefit, ExemptionReason
from lab_rules.inputs.timeline import (
    Exemption,
    HoursRuleWarning,
    Timeline,
    WorkHours,
)
from lab_rules.law.hours import ReductionLevel, bundled_reduction_levels

REQUIRED_HOURS = Decimal(225)
_HELP = frozenset({Benefit.KONTANTHJAELP, Benefit.UDDANNELSESHJAELP, Benefit.OVERGANGSYDELSE})
_UNMARRIED_FROM = date(2016, 4, 1)
_ABOLISHED = date(2025, 7, 1)
_CONVENTIONS = (
    "the 12 calendar months are the month tested and the 11 before it; hours are spread evenly "
    "over each work period's days",
    "the window is extended by sygdom and barsel exemptions and the Covid periods (§ 13 f "
    "stk. 12, § 13 h) but not yet by care allowances, værnepligt, education or other benefits: "
    "check those by hand; months added forward (stk. 13) are not added",
)


@attrs.frozen
class HoursRuleStatus:
    """Where a person stands under the 225-hour rule on ``as_of``."""

    as_of: date
    married: bool | None
    help_days: int
    """Days of help counted in the 3 years up to ``as_of`` (since the last restart)."""
    overgangsdato: date | None
    hours_last_12_months: Decimal
    first_unmet_month: str | None
    bortfaldsdato: date | None
    warning_by: date | None
    consultation_by: date | None
    warning_sent: date | None
    earliest_reduction: date | None
    consequence: str | None
    reduction_full_rate: Decimal | None
    reduction_other_rate: Decimal | None
    level: str | None
    regained_in: str | None
    legal_basis: str
    notes: tuple[str, ...]

    def explain(self, lang: str = "en") -> str:
        da = lang == "da"
        if self.overgangsdato is None:
            return (f"225-timersreglen: {self.help_days} dages hjælp inden for 3 år; 1 år er "
                    "ikke nået." if da else f"225-hour rule: {self.help_days} days of help "
                    "within 3 years; 1 year not reached.")
        if self.bortfaldsdato is None:
            return (f"225-timersreglen: overgangsdato {self.overgangsdato}; kravet er opfyldt "
                    f"({self.hours_last_12_months} timer)." if da else
                    f"225-hour rule: overgangsdato {self.overgangsdato}; the requirement is met "
                    f"({self.hours_last_12_months} hours).")
        regained = ((f"; fuld hjælp igen i {self.regained_in}" if da
                     else f"; full help again in {self.regained_in}") if self.regained_in else "")
        return (f"225-timersreglen: bortfaldsdato {self.bortfaldsdato} ({self.consequence}); "
                f"varslingsbrev senest {self.warning_by}, partshøring senest "
                f"{self.consultation_by}, tidligst fra {self.earliest_reduction}{regained}."
                if da else
                f"225-hour rule: bortfaldsdato {self.bortfaldsdato} ({self.consequence}); warning "
                f"letter by {self.warning_by}, consultation by {self.consultation_by}, at the "
                f"earliest from {self.earliest_reduction}{regained}.")


def _counted(spans: Sequence[tuple[date, date]], day: date, years: int | None) -> int:
    """Help days in *spans* up to *day*, within *years* years back when given."""
    low = _years_back(day, years) if years is not None else None
    total = 0
    for start, end in spans:
        first = start if low is None or start > low else low + timedelta(days=1)
        last = min(end, day)
        if last >= first:
            total += (last - first).days + 1
    return total


def _overgangsdato(spans: Sequence[tuple[date, date]],
                   era: HoursEra) -> tuple[date | None, int]:
    """The day the era's help requirement is reached (225: 1 year within 3 years, § 13 f stk. 1
    nr. 1, stk. 6 nr. 1; before: 2 years in all), restarting after the era's break without
    help (stk. 11); and the days counted. Works on periods, not days: within a period each day
    adds one, and the window's lower edge drops at most one day, except where it steps over a
    29 February, so the candidates are the period's end and each 28 February in it."""
    counted: list[tuple[date, date]] = []
    years = era.help_years
    for start, end in spans:
        if counted and (start - counted[-1][1]).days - 1 >= era.restart_days:
            counted = []
        counted.append((start, end))
        candidates = [end] + [date(y, 2, 28) for y in range(start.year, end.year + 1)
                              if start <= date(y, 2, 28) <= end]
        if max(_counted(counted, d, years) for d in candidates) < era.help_days:
            continue
        day = start + timedelta(days=max(era.help_days - _counted(counted, start, years), 0))
        day = min(day, end)
        while day > start and _counted(counted, day - timedelta(days=1), years) >= era.help_days:
            day -= timedelta(days=1)
        while _counted(counted, day, years) < era.help_days:
            day += timedelta(days=1)
        return day, _counted(counted, day, years)
    return None, (_counted(counted, counted[-1][1], years) if counted else 0)


def _years_back(day: date, years: int) -> date:
    """*day* moved back whole years, 29 February to 28 February (``Rounding.DOWN``)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@attrs.frozen
class _Hours:
    """Documented work by day, and the periods that extend the window (§ 13 f stk. 12)."""

    by_day: dict[date, Decimal]
    extending: tuple[tuple[date, date], ...]


_COVID = ((date(2020, 3, 9), date(2020, 9, 8)), (date(2020, 11, 1), date(2021, 6, 30)))
_EXTENDING = frozenset({ExemptionReason.SYGDOM, ExemptionReason.BARSEL})


def _hours(timeline: Timeline, as_of: date, since: date | None = None) -> _Hours:
    by_day: dict[date, Decimal] = defaultdict(Decimal)
    for work in timeline.of_type(WorkHours):
        days = (work.end - work.start).days + 1
        for n in range(days):
            day = work.start + timedelta(days=n)
            if since is None or day >= since:
                by_day[day] += work.hours / days
    periods = [(e.start, e.end or as_of) for e in timeline.of_type(Exemption)
               if e.reason in _EXTENDING] + list(_COVID)
    return _Hours(dict(by_day), tuple(merge_periods(periods)))


def _covered(periods: Sequence[tuple[date, date]], start: date, end: date) -> int:
    """Days of *start*..*end* inside the (merged, disjoint) *periods*."""
    return sum(max((min(last, end) - max(first, start)).days + 1, 0) for first, last in periods)


def _window(hours: _Hours, month: date, months: int) -> tuple[Decimal, int]:
    """Hours within the *months* calendar months ending with *month*, the window extended back
    by the days of sickness, barsel and the Covid periods inside it (§ 13 f stk. 12, § 13 h)
    but never more than 3 years back (stk. 13); and the days it was extended by."""
    end = _month_end(month)
    base = add(month, Duration(months=-(months - 1)), Rounding.STRICT)
    floor = add(month, Duration(months=-35), Rounding.STRICT)
    extended = 0
    while True:
        start = max(base - timedelta(days=extended), floor)
        covered = _covered(hours.extending, start, end)
        if covered <= extended or start == floor:
            break
        extended = covered
    total = sum((h for d, h in hours.by_day.items() if start <= d <= end), Decimal(0))
    return total, (base - start).days


def _months(start: date, end: date) -> list[date]:
    """The first days of the calendar months from *start*'s to *end*'s."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [date(n // 12, n % 12 + 1, 1) for n in range(first, last + 1)]


@functools.lru_cache(maxsize=4096)
def _month_end(month: date) -> date:
    return month.replace(day=monthrange(month.year, month.month)[1])


@attrs.frozen
class HoursEra:
    """One version of the rule: who, how many hours within how many calendar months, after how
    much help (``help_days`` in all, within ``help_years`` years or, when None, ever since the
    last restart), and how long a break without help restarts the count."""

    valid_from: date
    valid_to: date
    hours: Decimal
    window_months: int
    help_days: int
    help_years: int | None
    restart_days: int
    unmarried_from: date | None
    notices: bool
    legal_basis: str
    note: str


ERAS = (
    HoursEra(date(2007, 1, 1), date(2009, 6, 30), Decimal(300), 24, 730, None, 730, None, False,
             "LAS lbk 1460/2007 § 13 stk. 8", "300 hours within 24 calendar months for a married "
             "spouse after 2 years of help in all; the era's first day is UNCONFIRMED"),
    HoursEra(date(2009, 7, 1), date(2011, 6, 30), Decimal(450), 24, 730, None, 730, None, True,
             "LAS lbk 946/2009 § 13 stk. 8 (lov nr. 476 af 12.6.2009)", "450 hours within 24 "
             "calendar months for a married spouse after 2 years of help in all; the switch from "
             "300 hours on 1.7.2009 is UNCONFIRMED"),
    HoursEra(date(2011, 7, 1), _ABOLISHED - timedelta(days=1), REQUIRED_HOURS, 12, 365, 3, 365,
             _UNMARRIED_FROM, True, "LAS § 13 f (lov nr. 461 af 18.5.2011; ugifte from lov nr. "
             "296 af 22.3.2016)", "225 hours within 12 calendar months after 1 year of help "
             "within 3 years"),
)


def _era(day: date) -> HoursEra | None:
    return next((e for e in ERAS if e.valid_from <= day <= e.valid_to), None)


def hours_rule_status(timeline: Timeline, as_of: date,
                      levels: Sequence[ReductionLevel] | None = None) -> HoursRuleStatus | None:
    """The hours rule in force for the person on *as_of* (225 hours, and for married couples
    its 300- and 450-hour predecessors), or None when they never had help. Only months with
    help are tested: a month without hjælp has nothing to reduce."""
    known = timeline.until(as_of)
    days = known.runs_of(_HELP, as_of)
    if not days:
        return None
    levels = bundled_reduction_levels() if levels is None else levels
    married = known.person.married
    notes = list(_CONVENTIONS)
    if married is None:
        notes.append("marital status unknown: treated as unmarried (reduction, § 13 g)")
    hours = _hours(known, as_of)
    current = _era(as_of) or ERAS[-1]
    overgang, counted = _overgangsdato(days, current)
    last_window, extended = _window(hours, as_of.replace(day=1), current.window_months)
    if extended:
        notes.append(f"the window up to {as_of} is extended by {extended} days of sickness, "
                     "barsel or the Covid periods (§ 13 f stk. 12, § 13 h)")
    basis = current.legal_basis
    none = HoursRuleStatus(as_of, married, counted, overgang,
                           last_window.quantize(Decimal("0.01")), None, None, None, None, None,
                           None, None, None, None, None, None, basis, tuple(notes))
    first_unmet: date | None = None
    era: HoursEra | None = None
    reached = {e: _overgangsdato(days, e)[0] for e in ERAS
               if e.valid_to >= days[0][0] and e.valid_from <= as_of}
    for month in _months(days[0][0], as_of):
        month_end = _month_end(month)
        if not any(start <= month_end and end >= month for start, end in days):
            continue
        era = _era(month)
        if era is None or (not married and (era.unmarried_from is None
                                            or month < era.unmarried_from)):
            continue
        day = reached.get(era)
        if day is not None and day <= month_end and (
                _window(hours, month, era.window_months)[0] < era.hours):
            first_unmet = month
            break
    if first_unmet is None or era is None:
        if _era(as_of) is None and as_of >= _ABOLISHED:
            notes.append("the rule is abolished from 1.7.2025 (lov nr. 1655 af 30.12.2024)")
            return attrs.evolve(none, notes=tuple(notes))
        return none
    notes.append(f"{era.legal_basis}: {era.note}")
    bortfald = add(first_unmet, Duration(months=1), Rounding.STRICT)
    if bortfald >= _ABOLISHED:
        notes.append("the bortfaldsdato falls on or after 1.7.2025: the rule is abolished, no "
                     "reduction (BEK 1625/2024 § 4 stk. 7)")
        return attrs.evolve(none, first_unmet_month=first_unmet.strftime("%Y-%m"),
                            notes=tuple(notes))
    warning_by = consultation_by = sent = earliest = None
    if era.notices:
        warning_by = add(bortfald, Duration(months=-6), Rounding.STRICT)
        consultation_by = add(bortfald, Duration(months=-1), Rounding.STRICT)
        warnings = [w.date for w in known.of_type(HoursRuleWarning) if w.date <= bortfald]
        sent = warnings[0] if warnings else None
        if sent is None:
            notes.append("no warning letter recorded: no reduction before 6 months after one "
                         "is sent (BEK 1625/2024 § 7)")
        elif sent <= warning_by:
            earliest = bortfald
        else:
            earliest = add(sent, Duration(months=6), Rounding.UP)
            notes.append(f"the warning letter of {sent} was late (due {warning_by}): the "
                         "reduction applies 6 months after it at the earliest (BEK 1625/2024 "
                         "§ 7)")
    else:
        earliest = bortfald
        notes.append("no notice order is known for this era; the effect from the 1st of the "
                     "following month is UNCONFIRMED")
    full = other = None
    level_id = None
    if married:
        consequence = ("the spouse is deemed not to use their work opportunities: the couple's "
                       "hjælp is recalculated (§ 26), the spouse's hjælp stops")
    else:
        consequence = "monthly reduction (§ 13 g)"
        level = next((lv for lv in levels if lv.valid_from <= bortfald
                      and (lv.valid_to is None or bortfald <= lv.valid_to)), None)
        if level is None:
            notes.append(f"no confirmed reduction amount for {bortfald.year}: a gap, not a guess")
        else:
            full, other, level_id = level.full, level.other, level.id
    after = _hours(known, as_of, since=bortfald)
    regained = None
    if sum(after.by_day.values(), Decimal(0)) >= era.hours:
        regained = next((m for m in _months(bortfald, as_of)
                         if _window(after, m, era.window_months)[0] >= era.hours), None)
    if regained is not None:
        notes.append(f"full hjælp again once the {era.hours} hours after the reduction are "
                     "documented; the restoration's effective date is UNCONFIRMED "
                     "(§ 13 f stk. 14)")
    return HoursRuleStatus(
        as_of, married, counted, overgang, last_window.quantize(Decimal("0.01")),
        first_unmet.strftime("%Y-%m"), bortfald, warning_by, consultation_by, sent, earliest,
        consequence, full, other, level_id, regained.strftime("%Y-%m") if regained else None,
        era.legal_basis, tuple(notes))
