"""The shapes that cost days: until contact, of an absence, until a booking or a registration,
a payment stop, a meeting day, a punctual reduction, a register gap, and the ladder of repeated
no-shows (LAS lbk 1460/2007 § 38 d; the 2012-2015 dagpenge chain, SFL-2012 §§ 5, 41-45).

Each shape reads its figures (windows, durations) and texts from its register entry
(:class:`~lab_rules.law.sanctions.SanctionRule`) and returns an
:class:`~lab_rules.sanctions.result.Applied`.
"""

from __future__ import annotations

from datetime import date, timedelta

from lab_rules.calendar import Rounding, add
from lab_rules.facts.failures import Failure
from lab_rules.law.sanctions import SanctionRule
from lab_rules.sanctions.context import Context
from lab_rules.sanctions.counting import ONE_DAY, count, month_end, until_contact
from lab_rules.sanctions.result import Applied

DAGPENGE_DAYS = "dagpenge_weekdays"


def values_of(failure: Failure, **more: object) -> dict[str, object]:
    """The values a note template may name."""
    return {"kind": failure.kind, "day": failure.day, "until": failure.until,
            "excuse": failure.excuse, **more}


def _applied(entry: SanctionRule, failure: Failure, dates: list[date] | tuple[date, ...] = (),
             resumes: date | None = None, **more: object) -> Applied:
    return Applied(entry.id, entry.basis(), tuple(dates), resumes,
                   entry.worded_notes(values_of(failure)), **more)  # type: ignore[arg-type]


def gap(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """A rule the register names but lab-rules does not compute: the notes say so."""
    return _applied(entry, failure)


def punctual(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """A reduction on the failure's day, not per day (LAS §§ 39-40): the amount follows."""
    return _applied(entry, failure)


def meeting_day(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """Only the meeting day is lost; payment again the day after (RÅD-DP § 18 stk. 4)."""
    return _applied(entry, failure, (failure.day,), failure.day + ONE_DAY)


def days_until_contact(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """The days from the meeting until contact is restored."""
    days, end = until_contact(failure, ctx.as_of, ctx.policies, entry.days)
    return _applied(entry, failure, days, end if entry.days == DAGPENGE_DAYS else None)


def days_of_absence(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """Each day of an absence, whole or part (LAS § 36 stk. 2; RÅD-DP § 19 stk. 3)."""
    last = failure.end or failure.day
    days = count(failure.day, last + ONE_DAY, entry.days, ctx.policies)
    return _applied(entry, failure, days,
                    last + ONE_DAY if entry.days == DAGPENGE_DAYS else None)


def days_until_booked(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """From the day the booking should have been made until it is (at least that day)."""
    booked = failure.until or ctx.as_of + ONE_DAY
    days = count(failure.day, max(booked, failure.day + ONE_DAY), entry.days,
                 ctx.policies) or [failure.day]
    return _applied(entry, failure, days)


def days_from_deadline_until_booked(entry: SanctionRule, failure: Failure,
                                    ctx: Context) -> Applied:
    """Afmeldt from the day after the deadline until re-registration."""
    start = failure.day + ONE_DAY
    end = failure.until or ctx.as_of + ONE_DAY
    return _applied(entry, failure, count(start, max(end, start), entry.days, ctx.policies),
                    failure.until)


def days_until_resolved(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """Each day until the registration is put right (none when put right the same day)."""
    end = failure.until or ctx.as_of + ONE_DAY
    return _applied(entry, failure, count(failure.day, max(end, failure.day), entry.days,
                                          ctx.policies))


def payment_stop(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """The hjælp stops as long as the refusal lasts (LAS § 41 until 2019)."""
    end = failure.until or ctx.as_of + ONE_DAY
    return _applied(entry, failure, count(failure.day, max(end, failure.day + ONE_DAY),
                                          entry.days, ctx.policies), failure.until)


def ladder(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """The step for the number of earlier unexcused failures of the same kind within the
    entry's ``window``: its days (until contact, or a fixed ``duration`` from the failure), its
    legal basis, whether it takes effect on the failure's day and whether it lapses unserved
    at the end of the ``lapse_after``-th whole calendar month after the failure's month."""
    window_start = add(failure.day, -entry.duration("window"), Rounding.DOWN)
    prior = [e.day for e in ctx.priors.unexcused(failure.failure, window_start)]
    step = [s for s in entry.steps if s.prior <= len(prior)][-1]
    values = values_of(failure, prior=prior[-1] if prior else None)
    resumes = None
    if step.until_contact:
        days, end = until_contact(failure, ctx.as_of, ctx.policies, entry.days)
        resumes = end if entry.days == DAGPENGE_DAYS else None
    else:
        length = step.duration.days if step.duration is not None else 0
        days = [failure.day + timedelta(days=n) for n in range(length)]
    lapses = None
    if step.lapse:
        lapses = month_end(add(failure.day.replace(day=1), entry.duration("lapse_after"),
                               Rounding.STRICT))
    return Applied(step.rule or entry.id, step.legal_basis, tuple(days), resumes,
                   entry.worded_notes(values) + step.worded_notes(values),
                   effective=failure.day if step.effective else None, lapses=lapses)
