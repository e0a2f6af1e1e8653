"""Sanctions: what a failure costs the citizen, and whether it may.

Per failure in the timeline (a no-show at a jobsamtale, absence from an offer, a self-booking
deadline missed, a refusal, a lapse of sygedagpenge) this module says which rule applies by the
benefit the person was on that day (kontanthjælp family: LAS §§ 36, 37, 37 a, 39-40; dagpenge:
RÅD-DP-2023 §§ 18-19 and § 11; sygedagpenge: SDPL § 21), whether the failure is
sanctionable and why not (a reasonable excuse, LAS § 13 stk. 7; no written guidance before it,
§ 35 stk. 1; an exemption; for aktivitetsparate no record that personal contact was attempted,
§ 35 stk. 7), the days, the rate (by the person's monthly hjælp, from a dated rate
table), the amount, the monthly cap (deductions in a month ≤ the month's hjælp, § 35 stk. 4) and
the procedure deadlines (the last month a deduction may be made: 3 whole calendar months after
the month of the failure, § 35 stk. 3; consultation before the decision).

Counting questions the law leaves open are policies: ``sanction_contact_day`` (is the day contact
is restored deducted?) and ``sanction_days`` (calendar days or weekdays). Covered: kontanthjælp
failures from October 2009 (2009-2013 a calendar-day share of the month and fixed reductions;
2014-2019 daily rate = monthly hjælp × 12 / 260; 2020 on, the sanktionssats bands); dagpenge
no-shows, offer absences and missed bookings as the days without dagpenge (the amount is the
a-kasse's) and karantæne in hours; the sygedagpenge resumption rule. Not computed yet: § 38,
§ 40 a, the job-suggestion checks, the era before October 2009 (reported as gaps, never
guessed). The 225-hour rule is :mod:`lab_rules.entitlements.hours_rule`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lab_rules.calendar import DanishCalendar, Duration, Roll, Rounding, add
from lab_rules.core.vocabulary import Benefit, ExemptionReason, RateCategory, TargetGroup
from lab_rules.inputs.timeline import (
    BenefitEnded,
    BenefitStarted,
    BookingMissed,
    ConditionsMet,
    ContactRestored,
    Exemption,
    GroupChanged,
    JoblogMonthEmpty,
    JobSuggestionsMissed,
    NoShow,
    OfferAbsence,
    Payment,
    Refusal,
    RegistrationMissing,
    SdpCessation,
    StrictSanction,
    Timeline,
    WrittenGuidance,
)
from lab_rules.law.model import Confidence
from lab_rules.law.policies import ContactDay, Policies, SanctionDays
from lab_rules.law.sanctions import RateTable, bundled_sanction_register, covering

_KH_BENEFITS = frozenset({Benefit.KONTANTHJAELP, Benefit.UDDANNELSESHJAELP,
                          Benefit.OVERGANGSYDELSE})
_AKTIVITETSPARAT = frozenset({TargetGroup.AKTIVITETSPARAT_KONTANTHJAELP,
                              TargetGroup.AKTIVITETSPARAT_UDDANNELSESHJAELP})
_EXEMPTING = frozenset({ExemptionReason.MINDRE_INTENSIV_INDSATS, ExemptionReason.BARSEL,
                        ExemptionReason.SYGDOM, ExemptionReason.FERIE,
                        ExemptionReason.RIMELIG_GRUND})
_CALENDAR = DanishCalendar()
_FOUR_WEEKS = Duration.of(weeks=4)


@attrs.frozen
class Sanction:
    """One failure and what follows from it."""

    failure: str
    day: date
    rule: str
    legal_basis: str
    sanctionable: bool
    reasons: tuple[str, ...]
    days: int
    rate: Decimal | None
    rate_table: str | None
    rate_confidence: str | None
    amount: Decimal | None
    deducted: Decimal | None
    last_deduction_month: str | None
    last_deduction_day: date | None
    consultation: str
    policies: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    benefit: str | None = None
    dates: tuple[date, ...] = ()
    """The days the failure costs (deducted, or without dagpenge)."""
    resumes: date | None = None
    """The day payment resumes (dagpenge after contact; sygedagpenge under SDPL § 21 stk. 4)."""
    rule_era: str | None = None
    """The era of the rule register (``rules/parameters/sanktionsregler.toml``) that covered
    the failure's date; None when no era did (then a note says so)."""
    rule_confidence: str | None = None
    rule_source: str | None = None
    effective: date | None = None
    """Dagpenge karantæne: the day it takes effect."""
    hours: int | None = None
    """Dagpenge karantæne: its length in hours (SFL § 24)."""
    lapses: date | None = None
    """Dagpenge karantæne: the day it lapses if not served (3 months after effect, SFL § 26)."""

    def explain(self, lang: str = "en") -> str:
        head = f"{self.failure} {self.day} ({self.legal_basis})"
        da = lang == "da"
        if not self.sanctionable:
            return (head + (": kan ikke sanktioneres: " if da else ": not sanctionable: ")
                    + "; ".join(self.reasons) + ".")
        amount = f", {self.deducted} kr." if self.deducted is not None else ""
        if self.rule == "R-SDP-21":
            if self.resumes is None:
                return head + (": sygedagpenge genoptages ikke." if da
                               else ": sygedagpenge do not resume.")
            return head + (f": sygedagpenge genoptages {self.resumes}." if da
                           else f": sygedagpenge resume on {self.resumes}.")
        if self.legal_basis == "LAS § 40 a stk. 6":
            return head + (": hjælpen ophører, og sagen lukkes." if da
                           else ": the hjælp stops and the case is closed.")
        if self.rule in ("R-DP-63", "R-DP-JOBLOG"):
            if self.hours is None or self.effective is None:
                return head + ": " + "; ".join(self.notes)
            return head + (f": karantæne {self.hours} timer fra {self.effective}; bortfalder "
                           f"{self.lapses} hvis den ikke er afviklet." if da
                           else f": karantæne of {self.hours} hours from {self.effective}; "
                           f"lapses on {self.lapses} if not served.")
        if self.benefit == Benefit.DAGPENGE.value:
            again = (f"; igen fra {self.resumes}" if da else f"; again from {self.resumes}"
                     ) if self.resumes else ""
            return head + (f": ingen dagpenge for {self.days} dage{again}." if da
                           else f": no dagpenge for {self.days} days{again}.")
        if self.rule == "R-LAS-39-40":
            return head + (f": nedsættelse{amount}; senest i {self.last_deduction_month}." if da
                           else f": reduction{amount}; at the latest in "
                           f"{self.last_deduction_month}.")
        return head + (f": fradrag for {self.days} dage{amount}; senest i "
                       f"{self.last_deduction_month}." if da
                       else f": deduction for {self.days} days{amount}; at the latest in "
                       f"{self.last_deduction_month}.")


def _group_on(timeline: Timeline, day: date) -> tuple[Benefit, TargetGroup | None] | None:
    """The benefit whose sanction rules apply on *day* (the kontanthjælp family first, then
    dagpenge, then sygedagpenge), and the target group then."""
    running: dict[Benefit, date] = {}
    for event in timeline.events:
        if event.on > day:
            break
        if isinstance(event, BenefitStarted):
            running[event.benefit] = event.date
        elif isinstance(event, BenefitEnded) and event.date < day:
            running.pop(event.benefit, None)
    benefit = next((b for b in running if b in _KH_BENEFITS), None)
    if benefit is None:
        benefit = next((b for b in (Benefit.DAGPENGE, Benefit.SYGEDAGPENGE) if b in running),
                       None)
    if benefit is None:
        return None
    group = None
    for event in timeline.events:
        if event.on > day:
            break
        if isinstance(event, GroupChanged) or (
                isinstance(event, BenefitStarted) and event.benefit is benefit):
            group = event.group or group
    return benefit, group


def _monthly(timeline: Timeline, day: date) -> Decimal | None:
    """The month's hjælp from the payments for *day*'s month (for the band and the cap)."""
    first = day.replace(day=1)
    following = add(first, Duration(months=1), Rounding.STRICT)
    total, covered = Decimal(0), 0
    for payment in timeline.of_type(Payment):
        if payment.benefit not in _KH_BENEFITS or payment.amount is None:
            continue
        start, end = max(payment.start, first), min(payment.end, following - timedelta(days=1))
        if start > end:
            continue
        days = (payment.end - payment.start).days + 1
        overlap = (end - start).days + 1
        total += payment.amount * overlap / days
        covered += overlap
    return total if covered else None


def _count(start: date, end_exclusive: date, policy: SanctionDays) -> list[date]:
    days = []
    day = start
    while day < end_exclusive:
        if policy is SanctionDays.CALENDAR or _CALENDAR.is_business_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _dagpenge_days(start: date, end_exclusive: date) -> list[date]:
    """Monday to Friday, public holidays included: dagpenge are paid for 5 days a week."""
    return [start + timedelta(days=n) for n in range((end_exclusive - start).days)
            if (start + timedelta(days=n)).weekday() < 5]


def _table(tables: Sequence[RateTable], day: date) -> RateTable | None:
    return next((t for t in tables if t.valid_from <= day
                 and (t.valid_to is None or day <= t.valid_to)), None)


@attrs.frozen
class _Failure:
    """A failure as the timeline records it, before any benefit's rule is applied."""

    failure: str
    day: date
    excuse: str | None = None
    contact_attempted: bool | None = None
    until: date | None = None
    """Contact restored, booking made, or cooperation resumed."""
    end: date | None = None
    """The last day of an absence."""
    cancelled: bool = False
    kind: str | None = None
    promotes_availability: bool | None = None


@attrs.frozen
class _Applied:
    """A benefit's rule applied to a failure: what it costs and from when it stops."""

    rule: str
    legal_basis: str
    dates: tuple[date, ...] = ()
    resumes: date | None = None
    notes: tuple[str, ...] = ()
    effective: date | None = None
    hours: int | None = None
    lapses: date | None = None


def _failures(timeline: Timeline) -> list[_Failure]:
    contacts = sorted(c.date for c in timeline.of_type(ContactRestored))
    found = []
    for no_show in timeline.of_type(NoShow):
        contact = next((c for c in contacts if c >= no_show.date), None)
        found.append(_Failure("no_show", no_show.date,
                              no_show.excuse.value if no_show.excuse else None,
                              no_show.contact_attempted, contact, cancelled=no_show.cancelled,
                              promotes_availability=no_show.promotes_availability))
    for absence in timeline.of_type(OfferAbsence):
        found.append(_Failure("offer_absence", absence.start, None, absence.contact_attempted,
                              end=absence.end,
                              promotes_availability=absence.promotes_availability))
    for missed in timeline.of_type(BookingMissed):
        found.append(_Failure("booking_missed", missed.date,
                              missed.excuse.value if missed.excuse else None,
                              missed.contact_attempted, until=missed.booked_on,
                              promotes_availability=missed.promotes_availability))
    for refusal in timeline.of_type(Refusal):
        found.append(_Failure("refusal", refusal.date,
                              refusal.excuse.value if refusal.excuse else None,
                              refusal.contact_attempted, until=refusal.ended_on,
                              kind=refusal.kind.value,
                              promotes_availability=refusal.promotes_availability))
    for missing in timeline.of_type(RegistrationMissing):
        found.append(_Failure("registration_missing", missing.date, until=missing.resolved_on,
                              kind=missing.kind.value))
    for missed_check in timeline.of_type(JobSuggestionsMissed):
        found.append(_Failure("job_suggestions_missed", missed_check.date,
                              until=missed_check.checked_on))
    for empty in timeline.of_type(JoblogMonthEmpty):
        month_end = add(empty.date.replace(day=1), Duration(months=1), Rounding.STRICT)
        found.append(_Failure("joblog_month_empty", month_end - timedelta(days=1),
                              until=empty.documented_on))
    for cessation in timeline.of_type(SdpCessation):
        found.append(_Failure("sdp_cessation", cessation.date,
                              cessation.excuse.value if cessation.excuse else None,
                              until=cessation.resumed_on))
    return sorted(found, key=lambda f: (f.day, f.failure))


def _until_contact(failure: _Failure, as_of: date, policies: Policies,
                   days_policy: SanctionDays | None) -> tuple[list[date], date | None]:
    """The days from the meeting day until contact, and the first day not counted (with
    *days_policy* None: dagpenge days)."""
    if failure.until is None:
        end = as_of + timedelta(days=1)
    elif policies.sanction_contact_day is ContactDay.INCLUSIVE:
        end = failure.until + timedelta(days=1)
    else:
        end = failure.until
    end = max(end, failure.day + timedelta(days=1))
    days = (_dagpenge_days(failure.day, end) if days_policy is None
            else _count(failure.day, end, days_policy))
    if failure.day not in days:
        days.insert(0, failure.day)
    return days, (end if failure.until is not None else None)


_LAS_2009 = date(2009, 10, 1)
_ASSESSMENT_FROM = date(2025, 7, 1)
_LAS_41_REPEALED = date(2020, 1, 1)


def _old_ladder(failure: _Failure, as_of: date, policies: Policies,
                earlier: Sequence[_Failure]) -> _Applied:
    """LAS lbk 1460/2007 § 38 d: a no-show costs the days until contact (stk. 1); a second
    within 12 months reduces the hjælp by 1/3 for 2 weeks (stk. 2); a further one within 12
    months of the latest, by 1/3 for 20 weeks or until more than 300 hours of unsupported work
    in 10 weeks (stk. 3). Stk. 1-2 lapse unserved after 3 whole calendar months; stk. 2 also
    after 185 hours of unsupported work (stk. 4)."""
    prior = [e.day for e in earlier if e.failure == "no_show"
             and e.day > add(failure.day, Duration(months=-12), Rounding.DOWN)]
    common = ("stk. 2-3 apply to adult rates received alone because of unemployment, and not "
              "when married to a starthjælp or introduktionsydelse recipient (stk. 5): not "
              "checked", "the reduction is assumed to run from the no-show day (UNCONFIRMED)",
              "the kroner amount of a 2007-2009 sanction is not computed: a gap")
    lapse_month = add(failure.day.replace(day=1), Duration(months=4), Rounding.STRICT)
    lapses = lapse_month - timedelta(days=1)
    if len(prior) >= 2:
        days = tuple(failure.day + timedelta(days=n) for n in range(140))
        return _Applied("R-LAS-OLD", "LAS lbk 1460/2007 § 38 d stk. 3", days,
                        effective=failure.day, notes=(
                            "third no-show within 12 months: hjælp reduced by 1/3 for 20 weeks, "
                            "or until more than 300 hours of unsupported work in 10 weeks",
                            *common))
    if prior:
        days = tuple(failure.day + timedelta(days=n) for n in range(14))
        return _Applied("R-LAS-OLD", "LAS lbk 1460/2007 § 38 d stk. 2", days,
                        effective=failure.day, lapses=lapses, notes=(
                            f"second no-show within 12 months (first {prior[-1]}): hjælp reduced "
                            "by 1/3 for 2 weeks; lapses unserved after 3 whole calendar months "
                            "or after 185 hours of unsupported work (stk. 4)", *common))
    until_contact, _ = _until_contact(failure, as_of, policies, SanctionDays.CALENDAR)
    return _Applied("R-LAS-OLD", "LAS lbk 1460/2007 § 38 d stk. 1", tuple(until_contact),
                    lapses=lapses, notes=(
                        "fradrag for the days from the meeting until contact is restored; "
                        "lapses unserved after 3 whole calendar months (stk. 4)", common[2]))


def _kontanthjaelp_rule(failure: _Failure, as_of: date, policies: Policies,
                        era_2009: bool, earlier: Sequence[_Failure] = ()) -> _Applied:
    if failure.failure == "no_show" and failure.day < _LAS_2009:
        applied = _old_ladder(failure, as_of, policies, earlier)
        if failure.day < date(2008, 1, 1):
            applied = attrs.evolve(applied, notes=(*applied.notes, (
                "before lbk 1460/2007 the ladder's text is UNCONFIRMED")))
        return applied
    if failure.day < _LAS_2009:
        return _Applied("R-LAS-OLD", "LAS lbk 1460/2007 §§ 38 a-38 c, 39", notes=(
            "gap: 2007-2009 sanctions other than the § 38 d no-show ladder are not computed",))
    if failure.failure == "no_show":
        if era_2009:
            days, _ = _until_contact(failure, as_of, policies, SanctionDays.CALENDAR)
            return _Applied("R-LAS-37", "LAS lbk 190/2012 § 37, § 35 stk. 4", tuple(days), notes=(
                "2009-2013: the fradrag is the month's hjælp × the calendar days / the days in "
                "the month; the sanction_days policy does not apply",))
        days, _ = _until_contact(failure, as_of, policies, policies.sanction_days)
        return _Applied("R-LAS-37", "LAS § 37 stk. 1", tuple(days))
    if failure.failure == "offer_absence":
        assert failure.end is not None
        days = _count(failure.day, failure.end + timedelta(days=1), SanctionDays.WEEKDAYS)
        return _Applied("R-LAS-36", "LAS § 36 stk. 2", tuple(days))
    if failure.failure == "booking_missed":
        booked = failure.until or as_of + timedelta(days=1)
        days = _count(failure.day, max(booked, failure.day + timedelta(days=1)),
                      policies.sanction_days) or [failure.day]
        return _Applied("R-LAS-37a", "LAS § 37 a stk. 1", tuple(days))
    if failure.failure == "registration_missing":
        end = failure.until or as_of + timedelta(days=1)
        days = _count(failure.day, max(end, failure.day), SanctionDays.CALENDAR
                      if era_2009 else policies.sanction_days)
        return _Applied("R-LAS-38", "LAS § 38" + (" stk. 1, § 35 stk. 4" if era_2009 else ""),
                        tuple(days), notes=(
                            f"{failure.kind}: fradrag for each day until it is put right (not "
                            "when it is not the person's fault)",))
    if failure.failure == "refusal" and failure.kind == "refused_offer" and (
            failure.day < _LAS_41_REPEALED):
        end = failure.until or as_of + timedelta(days=1)
        return _Applied("R-LAS-41", "LAS lbk 981/2019 § 41",
                        tuple(_count(failure.day, max(end, failure.day + timedelta(days=1)),
                                     SanctionDays.CALENDAR)),
                        failure.until, notes=(
                            "until 2019: the hjælp stops as long as the person refuses the "
                            "tilbud, and the spouse's too; the kommune must keep an open tilbud",
                            "the kroner amount of the stop is not computed: a gap"))
    if failure.failure == "joblog_month_empty":
        return _Applied("R-LAS-39-40", "LAS § 13 a stk. 4, § 39 stk. 2, § 40", notes=(
            "1.4.2022 - 31.12.2023: a whole month without registered job search calls for a "
            "jobsamtale as soon as possible after the month; without job search documented for "
            "the month at the latest there, a § 40 nedsættelse of 3 × the sanktionssats",))
    if failure.failure == "job_suggestions_missed":
        procedure = _job_suggestions(failure, as_of, earlier)
        basis = "LAS § 8 a stk. 3, § 38 stk. 2; star.dk 16-02-2018"
        if procedure.effective is None:
            return attrs.evolve(procedure, rule="R-LAS-38", legal_basis=basis)
        end = max(failure.until or as_of + timedelta(days=1), procedure.effective)
        days = _count(procedure.effective, end,
                      SanctionDays.CALENDAR if era_2009 else policies.sanction_days)
        return _Applied("R-LAS-38", basis, tuple(days), failure.until,
                        (*procedure.notes, "fradrag for each day afmeldt"),
                        effective=procedure.effective)
    return _Applied("R-LAS-39-40", "LAS § 39 stk. 1, § 40 stk. 1-2",
                    notes=(f"{failure.kind}: nedsættelse = 3 × sanktionssats, at most one per "
                           "calendar month (LAS § 40 stk. 1-2)",))


def _dagpenge_rule(failure: _Failure, as_of: date, policies: Policies,
                   earlier: Sequence[_Failure], part_time: bool) -> _Applied:
    weekdays = ("dagpenge are paid for 5 days a week: Monday to Friday are counted, public "
                "holidays included")
    if failure.failure == "no_show":
        if failure.cancelled:
            return _Applied("R-DP-18", "RÅD-DP-2023 § 18 stk. 4", (failure.day,),
                            failure.day + timedelta(days=1),
                            ("cancelled before the meeting without lawful absence: only the "
                             "meeting day is lost",))
        days, resumes = _until_contact(failure, as_of, policies, None)
        applied = _Applied("R-DP-18", "RÅD-DP-2023 § 18 stk. 3", tuple(days), resumes,
                           ("the meeting day is never paid; whether the contact day is paid is "
                            "UNCONFIRMED (policy sanction_contact_day)", weekdays))
        if _NO_SHOW_CHAIN[0] <= failure.day <= _NO_SHOW_CHAIN[1]:
            return _no_show_chain(failure, applied, earlier)
        return applied
    if failure.failure == "offer_absence":
        assert failure.end is not None
        days = _dagpenge_days(failure.day, failure.end + timedelta(days=1))
        return _Applied("R-DP-19", "RÅD-DP-2023 § 19 stk. 3", tuple(days),
                        failure.end + timedelta(days=1), (weekdays,))
    if failure.failure == "booking_missed":
        start = failure.day + timedelta(days=1)
        end = failure.until or as_of + timedelta(days=1)
        days = _dagpenge_days(start, max(end, start))
        return _Applied("R-DP-BOOK", "RÅD-DP-2017 § 11 stk. 3", tuple(days), failure.until,
                        ("afmeldt as jobsøgende with effect from the day after the a-kasse's "
                         "deadline; dagpenge again from re-registration (start of the afmelding "
                         "consequence, 1.9.2016, UNCONFIRMED)", weekdays))
    if failure.failure == "job_suggestions_missed":
        return _job_suggestions(failure, as_of, earlier)
    if failure.failure == "joblog_month_empty":
        by = add(failure.day + timedelta(days=1), Duration(months=1), Rounding.STRICT)
        hours = 90 if part_time else 111
        notes = (f"rådighedssamtale in the a-kasse by {by - timedelta(days=1)} (RÅD-DP-2021 "
                 "§ 42 a)",)
        if failure.until is not None:
            return _Applied("R-DP-JOBLOG", "RÅD-DP-2021 § 42 a", notes=(
                *notes, f"job search documented on {failure.until}: no karantæne"))
        return _Applied("R-DP-JOBLOG", "RÅD-DP-2021 § 42 a; ALF § 63 stk. 1 nr. 6", hours=hours,
                        notes=(*notes, f"no job search documented: 3 weeks' karantæne ({hours} "
                               "hours) from the a-kasse's decision (its effect date is not "
                               "computed)"))
    return _karantaene(failure, [e for e in earlier if e.failure == "refusal"], part_time)


_JOBFORSLAG = (date(2015, 7, 1), date(2019, 12, 31))
_JOBLOG_MONTHS = (date(2022, 4, 1), date(2023, 12, 31))
_NO_SHOW_CHAIN = (date(2012, 1, 1), date(2015, 6, 30))


def _no_show_chain(failure: _Failure, applied: _Applied,
                   earlier: Sequence[_Failure]) -> _Applied:
    """2012 - mid-2015 (SFL-2012 §§ 5-6, 41-45): a second no-show at a jobsamtale within 12
    months of a prior one is selvforskyldt ledighed with 2 weeks' karantæne; a further one within
    12 months is gentagelse: the dagpengeret lapses until 300 hours' work within 3 months."""
    window = add(failure.day, Duration(months=-12), Rounding.DOWN)
    prior = [e.day for e in earlier if e.failure == "no_show" and e.day > window]
    era = "the era's first and last day (BEK 61/62 of 2012, SFL-2015) are UNCONFIRMED"
    if len(prior) >= 2:
        return attrs.evolve(applied, rule="R-DP-18-2012", legal_basis="SFL-2012 §§ 42, 45",
                            notes=(*applied.notes, "gentagelse: a third no-show within 12 "
                                   "months: the dagpengeret lapses until 300 hours' work within "
                                   "3 months", era))
    if prior:
        return attrs.evolve(applied, rule="R-DP-18-2012", legal_basis="SFL-2012 §§ 5, 41",
                            effective=failure.day, notes=(
                                *applied.notes, f"second no-show within 12 months (first "
                                f"{prior[-1]}): selvforskyldt ledighed, 2 weeks' karantæne from "
                                f"{failure.day}", era))
    return applied


def _job_suggestions(failure: _Failure, as_of: date, earlier: Sequence[_Failure]) -> _Applied:
    """Jobnet's check of jobforslag (star.dk 16-02-2018): the 1st and 2nd miss within 12 months
    get a reminder and 7 more days (rolled to the next business day), then afmelding the day
    after; the 3rd is afmeldt the day after the deadline, without a reminder. No dagpenge while
    afmeldt (RÅD-DP-2017 § 6)."""
    basis = "LAB-2015 § 11; RÅD-DP-2017 § 6; star.dk 16-02-2018"
    if not _JOBFORSLAG[0] <= failure.day <= _JOBFORSLAG[1]:
        return _Applied("R-DP-JOBFORSLAG", basis, notes=(
            "gap: the jobforslag check is computed for mid-2015 - 2019 only (before: weekly "
            "confirmation, UNCONFIRMED consequences; from 2020 abolished)",))
    window = add(failure.day, Duration(months=-12), Rounding.DOWN)
    prior = [e for e in earlier if e.failure == "job_suggestions_missed" and e.day > window]
    notes = ["the start of the Jobnet procedure (mid-2015) is UNCONFIRMED"]
    if len(prior) >= 2:
        deadline = failure.day
        notes.append("3rd miss within 12 months: afmeldt without a reminder")
    else:
        deadline = _CALENDAR.roll(failure.day + timedelta(days=7), Roll.FORWARD)
        notes.append(f"miss no. {len(prior) + 1} within 12 months: reminder letter, new "
                     f"deadline {deadline}")
        if failure.until is not None and failure.until <= deadline:
            notes.append(f"checked on {failure.until}, by the new deadline: no afmelding")
            return _Applied("R-DP-JOBFORSLAG", basis, notes=tuple(notes))
    start = deadline + timedelta(days=1)
    end = failure.until or as_of + timedelta(days=1)
    notes.append(f"afmeldt from {start} (the night after the deadline); dagpenge again from "
                 "re-registration")
    return _Applied("R-DP-JOBFORSLAG", basis, tuple(_dagpenge_days(start, max(end, start))),
                    failure.until, tuple(notes), effective=start)


_KARANTAENE_FROM = date(2019, 1, 1)


def _karantaene(failure: _Failure, earlier: Sequence[_Failure], part_time: bool) -> _Applied:
    """Selvforskyldt ledighed (ALF § 63; SFL-2019/2021 §§ 24-27): 3 weeks' karantæne counted in
    hours (111 fuldtid, 90 deltid), from the day of a refusal or the day after a quit; it lapses
    if not served within 3 months of taking effect or after 185 (deltid 150) reported løntimer.
    A second act within 12 months of the latest is gentagelse: the dagpengeret lapses."""
    if failure.day < _KARANTAENE_FROM:
        return _Applied("R-DP-63", "ALF § 63 stk. 1", notes=(
            "gap: karantæne before 2019 (counted in weeks, with the 2012-2015 no-show chain) is "
            "not computed",))
    previous = [e.day for e in earlier if e.day > add(failure.day, Duration(months=-12),
                                                        Rounding.STRICT)]
    if previous:
        regain = ("150 løntimer in a continuous 3-month period (or 138 in 12 weeks)" if part_time
                  else "300 løntimer in a continuous 3-month period (or 276 in 12 weeks)")
        return _Applied("R-DP-63", "ALF § 63 stk. 4; SFL-2021 § 27", notes=(
            f"gentagelse: a second act within 12 months of {max(previous)}: the dagpengeret "
            f"lapses until {regain}",))
    effective = failure.day + timedelta(days=1) if failure.kind == "quit_job" else failure.day
    hours = 90 if part_time else 111
    lapses = add(effective, Duration(months=3), Rounding.STRICT)
    return _Applied(
        "R-DP-63", "ALF § 63 stk. 1; SFL-2021 §§ 24-26", effective=effective, hours=hours,
        lapses=lapses, notes=(
            f"karantæne {hours} hours from {effective}; served only on days with an otherwise "
            "right to dagpenge; lapses if not served by "
            f"{lapses} (end convention UNCONFIRMED) or after "
            f"{150 if part_time else 185} reported løntimer (SFL-2021 § 26)",))


def _sygedagpenge_rule(failure: _Failure, earlier: Sequence[_Failure]) -> _Applied:
    """SDPL § 21 stk. 4: payment resumes the day after cooperation resumes, if that is within
    4 weeks of the notice of the lapse, and only once per sygedagpengeforløb."""
    basis = "SDPL § 21 stk. 3-4"
    if failure.until is None:
        return _Applied("R-SDP-21", basis, notes=("cooperation has not resumed",))
    deadline = add(failure.day, _FOUR_WEEKS, Rounding.STRICT)
    if failure.until > deadline:
        return _Applied("R-SDP-21", basis, notes=(
            f"cooperation resumed {failure.until}, more than 4 weeks after the notice "
            f"(deadline {deadline}): no resumption",))
    if any(e.until is not None and e.until <= add(e.day, _FOUR_WEEKS, Rounding.STRICT)
           for e in earlier):
        return _Applied("R-SDP-21", basis, notes=(
            "payment already resumed once in this sygedagpengeforløb: no second resumption",))
    return _Applied("R-SDP-21", basis, resumes=failure.until + timedelta(days=1))


def _category(timeline: Timeline, day: date) -> RateCategory | None:
    """The rate category of the payment covering *day*; failing that, adult rates from 25."""
    for payment in timeline.of_type(Payment):
        if payment.start <= day <= payment.end and payment.rate_category is not None:
            return payment.rate_category
    age = timeline.person.age_on(day)
    return RateCategory.VOKSEN if age is not None and age >= 25 else None


def _era_2009_amount(rule: str, day: date, monthly: Decimal, days: int, table: RateTable,
                     category: RateCategory | None,
                     notes: list[str]) -> tuple[Decimal | None, Decimal | None]:
    """October 2009 - 2013 (LAS lbk 190/2012): § 36 the gennemsnitssats per weekday (annual
    hjælp / 260); §§ 37-38 the month's hjælp × calendar days / days in the month (§ 35 stk. 4);
    § 40 a fixed nedsættelse by rate category. Returns the rate shown and the amount."""
    if rule == "R-LAS-36":
        rate = table.rate(monthly)
        return rate, rate * days
    if rule == "R-LAS-37":
        first = day.replace(day=1)
        in_month = (add(first, Duration(months=1), Rounding.STRICT) - first).days
        notes.append(f"{days}/{in_month} of the month's hjælp {monthly:.2f} kr.")
        return ((monthly / in_month).quantize(Decimal("0.01"), ROUND_HALF_UP),
                monthly * days / in_month)
    if rule == "R-LAS-39-40":
        fixed = dict(table.reductions).get(category) if category is not None else None
        if fixed is None or category is None:
            notes.append("the rate category (adult, under 25 away from or living at home) is "
                         "unknown: the fixed nedsættelse is a gap, not a guess")
            return None, None
        notes.append(f"fixed nedsættelse for {category.value} (LAS lbk 190/2012 § 40); less "
                     "if the hjælp itself is reduced, which is not checked")
        return fixed, fixed
    notes.append("no 2009-2013 rule for this failure in the rate table: a gap")
    return None, None


def _why_not(failure: _Failure, benefit: Benefit | None, group: TargetGroup | None,
             guidance: list[date], exemptions: Sequence[Exemption]) -> list[str]:
    """The reasons a failure may not be sanctioned (empty: it may)."""
    reasons = []
    if failure.excuse:
        reasons.append(f"rimelig grund: {failure.excuse} (LAS § 13 stk. 7)"
                       if benefit in _KH_BENEFITS else f"lovligt fravær: {failure.excuse}")
    if failure.failure == "sdp_cessation":
        if not any(g <= failure.day for g in guidance):
            reasons.append("no written orientation on the consequences before the lapse "
                           "(SDPL § 21 stk. 2)")
        return reasons
    if benefit is None:
        reasons.append("not on kontanthjælp, dagpenge or sygedagpenge that day")
    elif benefit is Benefit.SYGEDAGPENGE:
        reasons.append("on sygedagpenge: a failure lapses payment only through a § 21 decision "
                       "(record it as sdp_cessation)")
    if benefit in _KH_BENEFITS:
        if group in _AKTIVITETSPARAT and failure.contact_attempted is not True:
            reasons.append("aktivitetsparat: no record that all reasonable ways of personal "
                           "contact were tried (LAS § 35 stk. 7)")
        if (group in _AKTIVITETSPARAT and failure.day >= _ASSESSMENT_FROM
                and failure.promotes_availability is not True):
            reasons.append("aktivitetsparat: no recorded assessment that a sanction will "
                           "promote availability (LAS-2025 § 13 stk. 8)")
        if not any(g <= failure.day for g in guidance):
            reasons.append("no written guidance on the consequences before the failure "
                           "(LAS § 35 stk. 1)")
    cover = next((e for e in exemptions if e.covers(failure.day) and e.reason in _EXEMPTING),
                 None)
    if cover is not None:
        reasons.append(f"fritaget: {cover.reason.value} from {cover.start}")
    return reasons


def _part_time(timeline: Timeline, day: date) -> bool:
    starts = [b for b in timeline.of_type(BenefitStarted)
              if b.benefit is Benefit.DAGPENGE and b.date <= day]
    return bool(starts and starts[-1].part_time)


def _sdp_forloeb_start(timeline: Timeline, day: date) -> date | None:
    starts = [b.date for b in timeline.of_type(BenefitStarted)
              if b.benefit is Benefit.SYGEDAGPENGE and b.date <= day]
    return max(starts) if starts else None


_CONSULTATION = {
    "kh": "consultation (partshøring) before the decision, with the monthly statement "
          "(LAS § 35 stk. 3; forvaltningsloven § 19)",
    "dagpenge": "the a-kasse decides after partshøring (forvaltningsloven § 19)",
    "sygedagpenge": "partshøring before the decision, within a deadline the kommune sets; an "
                    "employer entitled to refusion is told (SDPL § 21 stk. 3, 5)",
}


def compute_sanctions(timeline: Timeline, as_of: date, policies: Policies,
                      tables: Sequence[RateTable],
                      withdrawn: Mapping[str, str] | None = None) -> tuple[Sanction, ...]:
    """Every failure up to *as_of* and its sanction. *withdrawn* maps sanction rule ids an
    overlay abolishes to the overlay's id: such a failure is listed, not sanctioned."""
    known = timeline.until(as_of)
    guidance = [g.date for g in known.of_type(WrittenGuidance) if g.sufficient is not False]
    insufficient = [g.date for g in known.of_type(WrittenGuidance) if g.sufficient is False]
    exemptions = known.of_type(Exemption)
    used_by_month: dict[str, Decimal] = defaultdict(Decimal)
    reduced_months: set[str] = set()
    applied = (("sanction_contact_day", policies.sanction_contact_day.value),
               ("sanction_days", policies.sanction_days.value))
    failures = _failures(known)
    results = []
    for index, failure in enumerate(failures):
        situation = _group_on(known, failure.day)
        benefit, group = situation if situation is not None else (None, None)
        if failure.failure == "sdp_cessation":
            forloeb = _sdp_forloeb_start(known, failure.day)
            earlier = [f for f in failures[:index] if f.failure == "sdp_cessation"
                       and forloeb is not None and f.day >= forloeb]
            rule = _sygedagpenge_rule(failure, earlier)
            family = "sygedagpenge"
        elif benefit is Benefit.DAGPENGE:
            earlier_acts = [f for f in failures[:index] if not f.excuse]
            rule = _dagpenge_rule(failure, as_of, policies, earlier_acts,
                                  _part_time(known, failure.day))
            family = "dagpenge"
        else:
            table = _table(tables, failure.day)
            rule = _kontanthjaelp_rule(failure, as_of, policies,
                                       table is not None and table.formula == "era_2009",
                                       [f for f in failures[:index] if not f.excuse])
            family = "kh"
        reasons = _why_not(failure, benefit, group, guidance, exemptions)
        if withdrawn and rule.rule in withdrawn:
            reasons.append(f"{rule.rule} is withdrawn by the overlay {withdrawn[rule.rule]}")
        if failure.failure == "joblog_month_empty":
            if not _JOBLOG_MONTHS[0] <= failure.day <= _JOBLOG_MONTHS[1]:
                reasons.append("the monthly joblog rule applied 1.4.2022 - 31.12.2023 only")
            elif failure.until is not None and family == "kh":
                reasons.append(f"job search for the month documented on {failure.until} "
                               "(LAS § 13 a stk. 4)")
        weak = [d for d in insufficient if d <= failure.day]
        if weak and any("LAS § 35 stk. 1" in r for r in reasons):
            reasons.append(f"the written guidance of {weak[-1]} did not state the concrete "
                           "consequence (Ankestyrelsen 10.7.2013)")
        sanctionable = not reasons
        notes = list(rule.notes)
        rate = amount = deducted = None
        last_month_text = last_day = None
        table = None
        days = len(rule.dates) if sanctionable else 0
        if family == "kh":
            table = _table(tables, failure.day)
            monthly = _monthly(known, failure.day)
            if table is None:
                notes.append("no rate table for the date: the amount is a gap, not a guess")
            elif monthly is None:
                notes.append("the month's hjælp is unknown (no payment): the rate band cannot "
                             "be chosen")
            elif table.confidence is not Confidence.CONFIRMED:
                notes.append(f"rate table {table.id}: {table.note}")
            rate = table.rate(monthly) if table is not None and monthly is not None else None
            month = failure.day.strftime("%Y-%m")
            if (rate is not None and table is not None and monthly is not None and sanctionable
                    and rule.rule not in ("R-LAS-41",)
                    and not (rule.rule == "R-LAS-38" and not rule.dates)):
                if rule.rule == "R-LAS-39-40" and month in reduced_months:
                    amount = Decimal(0)
                    notes.append("a nedsættelse was already made this calendar month "
                                 "(LAS § 40 stk. 2)")
                elif table.formula == "era_2009" and rule.rule == "R-LAS-38":
                    rate, amount = _era_2009_amount("R-LAS-37", failure.day, monthly, days,
                                                    table, None, notes)
                elif table.formula == "era_2009":
                    rate, amount = _era_2009_amount(rule.rule, failure.day, monthly, days,
                                                    table, _category(known, failure.day), notes)
                elif rule.rule == "R-LAS-39-40":
                    amount = rate * 3
                else:
                    amount = rate * days
                if rule.rule == "R-LAS-39-40":
                    reduced_months.add(month)
            if amount is not None and monthly is not None:
                room = max(monthly - used_by_month[month], Decimal(0))
                deducted = min(amount, room).quantize(Decimal("0.01"), ROUND_HALF_UP)
                if deducted < amount:
                    notes.append(f"capped at the month's hjælp, {monthly:.2f} kr. "
                                 "(LAS § 35 stk. 4)")
                used_by_month[month] += deducted
            last_month = add(failure.day.replace(day=1), Duration(months=3), Rounding.STRICT)
            last_day = add(last_month, Duration(months=1), Rounding.STRICT) - timedelta(days=1)
            last_month_text = last_month.strftime("%Y-%m")
        results.append(Sanction(
            failure.failure, failure.day, rule.rule, rule.legal_basis, sanctionable,
            tuple(reasons), days, rate, table.id if table else None,
            table.confidence.value if table else None, amount, deducted,
            last_month_text, last_day, _CONSULTATION[family], applied, tuple(notes),
            benefit.value if benefit else None,
            rule.dates if sanctionable else (), rule.resumes if sanctionable else None,
            *_register_fields(rule.rule, failure.day, notes),
            *((rule.effective, rule.hours, rule.lapses) if sanctionable else (None, None, None))))
    prior = [r.day for r in results if r.sanctionable and r.benefit is not None
             and r.benefit != Benefit.DAGPENGE.value and r.rule != "R-SDP-21"]
    for strict in known.of_type(StrictSanction):
        results.extend(_strict_sanction(known, strict, as_of, prior, applied, exemptions))
    return tuple(results)


_ALL_GROUPS_40A = (date(2020, 1, 1), date(2025, 6, 30))


def _register_fields(rule_id: str, day: date,
                     notes: list[str]) -> tuple[str | None, str | None, str | None]:
    """The register era covering *day* for *rule_id*: era, confidence, source."""
    entry = covering(bundled_sanction_register(), rule_id, day)
    if entry is None:
        notes.append(f"no era of {rule_id} in the rule register covers {day}: a gap")
        return None, None, None
    if entry.confidence is not Confidence.CONFIRMED:
        notes.append(f"{rule_id} era {entry.era} is {entry.confidence.value}: {entry.summary}")
    return entry.era, entry.confidence.value, entry.source


def _strict_sanction(timeline: Timeline, strict: StrictSanction, as_of: date,
                     prior: Sequence[date], applied: tuple[tuple[str, str], ...],
                     exemptions: Sequence[Exemption]) -> list[Sanction]:
    """LAS § 40 a: under a skærpet rådighedssanktion the month's hjælp is the share of its
    calendar days on which the conditions were met (stk. 5); a whole calendar month of absence
    from every activity stops the hjælp and closes the case, and a spouse's too (stk. 6)."""
    end = min(strict.end or add(strict.date, Duration(months=3), Rounding.DOWN)
              - timedelta(days=1), as_of)
    situation = _group_on(timeline, strict.date)
    reasons = []
    if situation is None or situation[0] not in _KH_BENEFITS:
        reasons.append("not on a kontanthjælp-family benefit")
    elif situation[1] in _AKTIVITETSPARAT and not (
            _ALL_GROUPS_40A[0] <= strict.date <= _ALL_GROUPS_40A[1]):
        reasons.append("aktivitetsparat: § 40 a covers only uddannelses- and jobparate outside "
                       "2020 - June 2025 (the end date of that extension is UNCONFIRMED)")
    if not any(d < strict.date for d in prior):
        reasons.append("no earlier sanction decision under §§ 36-40 (LAS § 40 a stk. 1)")
    if any(e.covers(strict.date) and e.reason in _EXEMPTING for e in exemptions):
        reasons.append("fritaget on the day the sanction takes effect")
    records = timeline.of_type(ConditionsMet)
    married = timeline.person.married
    out = []
    month = strict.date.replace(day=1)
    while month <= end:
        following = add(month, Duration(months=1), Rounding.STRICT)
        in_month = (following - month).days
        first, last = max(month, strict.date), min(following - timedelta(days=1), end)
        covered = [r for r in records if r.start <= last and r.end >= first]
        monthly = _monthly(timeline, month)
        notes = ["the kommune's concrete assessment of manglende vilje and the written "
                 "warning to the person and spouse (§ 35 stk. 2) are not checked"]
        met = sum(r.days for r in covered) + in_month - ((last - first).days + 1)
        basis = "LAS § 40 a stk. 5"
        amount = deducted = None
        days = in_month - met if covered else 0
        whole_month = first == month and last == following - timedelta(days=1)
        if not covered:
            notes.append("no conditions_met record for the month: the share is a gap")
        elif whole_month and met == 0:
            basis = "LAS § 40 a stk. 6"
            notes.append("absent from every activity for a whole calendar month: the hjælp "
                         "stops and the case is closed; the person may apply again")
            if married:
                notes.append("married: the spouse's hjælp stops and that case is closed too")
            amount = monthly
        elif monthly is not None:
            amount = monthly - monthly * met / in_month
            notes.append(f"hjælp for {met}/{in_month} days: "
                         f"{(monthly * met / in_month).quantize(Decimal('0.01'), ROUND_HALF_UP)}"
                         " kr.")
        if monthly is None and covered:
            notes.append("the month's hjælp is unknown (no payment)")
        if amount is not None and not reasons:
            deducted = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
        era = _register_fields("R-LAS-40a", first, notes)
        out.append(Sanction(
            "strict_sanction", first, "R-LAS-40a", basis, not reasons, tuple(reasons),
            days if not reasons else 0, None, None, None,
            amount if not reasons else None, deducted, None, None,
            _CONSULTATION["kh"], applied, tuple(notes),
            situation[0].value if situation else None, (), None, *era, effective=strict.date))
        month = following
    return out
