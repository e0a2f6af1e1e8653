"""The shapes of procedures and karantæne: the jobforslag check with its reminder
(star.dk 16-02-2018), dagpenge karantæne in hours and its gentagelse (ALF § 63; SFL-2021
§§ 24-27), the 2022-2023 joblog month (RÅD-DP-2021 § 42 a) and the resumption of sygedagpenge
(SDPL § 21 stk. 4). Figures and texts come from the register entry."""

from __future__ import annotations

from datetime import timedelta

from lab_rules.calendar import DanishCalendar, Roll, Rounding, add
from lab_rules.facts.failures import Failure
from lab_rules.law.sanctions import SanctionRule
from lab_rules.sanctions.context import Context
from lab_rules.sanctions.counting import ONE_DAY, count
from lab_rules.sanctions.result import Applied
from lab_rules.sanctions.shapes_days import values_of

_CALENDAR = DanishCalendar()
_REFUSAL = "refusal"


def afmelding_after_reminder(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """Jobnet's check of jobforslag: a miss gets a reminder and ``reminder`` more days (rolled
    to the next business day), then afmelding the day after; the
    ``misses_without_reminder``-th miss within ``window`` is afmeldt the day after the
    deadline without a reminder. The days afmeldt are counted as the entry says."""
    values = values_of(failure)
    notes = list(entry.worded_notes(values))
    window_start = add(failure.day, -entry.duration("window"), Rounding.DOWN)
    prior = ctx.priors.unexcused(failure.failure, window_start)
    if len(prior) + 1 >= entry.integer("misses_without_reminder"):
        deadline = failure.day
        notes.append(entry.text("no_reminder", **values))
    else:
        deadline = _CALENDAR.roll(failure.day + timedelta(days=entry.duration("reminder").days),
                                  Roll.FORWARD)
        notes.append(entry.text("reminder", n=len(prior) + 1, deadline=deadline, **values))
        if failure.until is not None and failure.until <= deadline:
            notes.append(entry.text("checked", **values))
            return Applied(entry.id, entry.basis(), notes=tuple(notes), outcome="checked")
    start = deadline + ONE_DAY
    end = failure.until or ctx.as_of + ONE_DAY
    notes.append(entry.text("afmeldt", start=start, **values))
    if entry.has_text("per_day"):
        notes.append(entry.text("per_day", **values))
    return Applied(entry.id, entry.basis(),
                   tuple(count(start, max(end, start), entry.days, ctx.policies)),
                   failure.until, tuple(notes), effective=start)


def karantaene_hours(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """Selvforskyldt ledighed: a karantæne of ``hours_full_time`` (``hours_part_time``) hours
    from the failure's day plus ``effective_after``, lapsing if not served within
    ``lapse_after`` or after the lapse hours; a second act within ``window`` of an earlier
    refusal is gentagelse (outcome ``repeat``): the dagpengeret lapses."""
    window_start = add(failure.day, -entry.duration("window"), Rounding.DOWN)
    previous = [e.day for e in ctx.priors.unexcused(_REFUSAL, window_start)]
    values = values_of(failure)
    time = "part_time" if ctx.part_time else "full_time"
    if previous:
        regain = entry.text(f"regain_{time}")
        return Applied(entry.id, entry.basis("repeat"), outcome="repeat", notes=(
            *entry.worded_notes(values),
            entry.text("repeat", previous=max(previous), regain=regain, **values)))
    effective = failure.day + timedelta(days=entry.duration("effective_after").days)
    hours = entry.integer(f"hours_{time}")
    lapses = add(effective, entry.duration("lapse_after"), Rounding.DOWN)
    return Applied(entry.id, entry.basis(), effective=effective, hours=hours, lapses=lapses,
                   notes=(*entry.worded_notes(values), entry.text(
                       "karantaene", hours=hours, effective=effective, lapses=lapses,
                       lapse_hours=entry.integer(f"lapse_hours_{time}"), **values)))


def joblog_karantaene(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """A month without job search in the joblog: a rådighedssamtale within ``talk_within``
    after the month; job search documented by then (outcome ``documented``) or a karantæne of
    ``hours_full_time`` (``hours_part_time``) hours from the a-kasse's decision."""
    values = values_of(failure)
    by = add(failure.day + ONE_DAY, entry.duration("talk_within"), Rounding.DOWN) - ONE_DAY
    notes = (*entry.worded_notes(values), entry.text("talk", by=by, **values))
    if failure.until is not None:
        return Applied(entry.id, entry.basis("documented"), outcome="documented",
                       notes=(*notes, entry.text("documented", **values)))
    hours = entry.integer("hours_part_time" if ctx.part_time else "hours_full_time")
    return Applied(entry.id, entry.basis(), hours=hours,
                   notes=(*notes, entry.text("karantaene", hours=hours, **values)))


def sdp_resumption(entry: SanctionRule, failure: Failure, ctx: Context) -> Applied:
    """Payment resumes the day after cooperation resumes, if that is ``within`` of the notice,
    and only once per sygedagpengeforløb (the forløb's earlier lapses, from
    ``ctx.forloeb_start``)."""
    within = entry.duration("within")
    values = values_of(failure)
    if failure.until is None:
        return Applied(entry.id, entry.basis(), notes=(entry.text("not_resumed", **values),))
    deadline = add(failure.day, within, Rounding.DOWN)
    if failure.until > deadline:
        return Applied(entry.id, entry.basis(), notes=(
            entry.text("too_late", deadline=deadline, **values),))
    lapses = (ctx.priors.since(failure.failure, ctx.forloeb_start)
              if ctx.forloeb_start is not None else ())
    if any(e.until is not None and e.until <= add(e.day, within, Rounding.DOWN)
           for e in lapses):
        return Applied(entry.id, entry.basis(), notes=(entry.text("again", **values),))
    return Applied(entry.id, entry.basis(), resumes=failure.until + ONE_DAY)
