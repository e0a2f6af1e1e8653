"""The hours rule of the kontanthjælp family: the 225-hour rule ("225-timersreglen", LAS
§§ 13 f-13 g, 1.7.2011 - 30.6.2025) and, for married couples, its 300- and 450-hour
predecessors. Which variant runs, and with which numbers, is data: the era entries
(``law.hours_eras``) and the reduction levels (``law.hours_levels``).

A person who has received help for the era's time (the *overgangsdato* is the day it is
reached) and has not documented the era's hours of ordinary, unsupported work within its
window of calendar months is deemed not to use their work opportunities. An unmarried person
(from the era's ``unmarried_from``) has the hjælp reduced by the level's monthly amount from
the 1st of the month after the month in which the conditions are not met (the
*bortfaldsdato*); a married person's hjælp stops. Full help is regained by the era's hours
within its window, all worked after the reduction. Where the era has a notice order, the
warning letter is due ``warning_before`` the bortfaldsdato and the consultation
``consultation_before``; a late letter moves the effect to ``late_delay`` after it was sent.

A person whom a recorded exemption takes outside the requirement (the era's
``[[era.exempt]]``, LAS § 13 f, stk. 9: an arbejdsevne assessed as so limited that ordinary
employment cannot be obtained) has no month tested while it lasts, so nothing is reduced;
after an exemption of the era's ``restart_after`` the help and the work are counted afresh from
its end (stk. 9, 2. pkt.). The reasons whose periods extend the window are the era's
``[era.extending]``.

Every status names the era entry and the level entry that produced it, and marks the
conventions the catalogue calls derived as inferred. Its explanation is put into words from the
catalogue (``core/catalogue/entitlements.toml``) in the reader's language.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import attrs

from lab_rules.calendar import Duration, Rounding, add
from lab_rules.core.messages import Message
from lab_rules.entitlements.hours_exempt import ExemptSpan, Outside
from lab_rules.entitlements.hours_status import HoursRuleStatus, figure
from lab_rules.entitlements.hours_window import (
    HELP,
    EraCounts,
    Hours,
    help_runs,
    hours_of,
    month_end,
    months_between,
    window,
)
from lab_rules.facts.facts import Facts
from lab_rules.inputs.timeline import Exemption, HoursRuleWarning, WorkHours
from lab_rules.law.hours import HoursEra, PartialMonth, ReductionLevel
from lab_rules.law.model import Confidence
from lab_rules.law.params import in_force, in_force_index, in_force_on, kept

__all__ = ["HELP", "ExemptSpan", "HoursRuleStatus", "hours_rule_status"]

_CENTS = Decimal(1) / 100


@attrs.frozen
class _EraTexts:
    """The notes and the consequence an era entry always words alike, written once per entry:
    the derived conventions (catalogue: D), each marked inferred, and the rest."""

    conventions: tuple[str, ...]
    unknown_marriage: str
    in_force: str
    unmet: str
    reduction: str
    spouse: str
    no_letter: str
    """The note when no warning letter was sent (empty: the era has no notice order)."""

    @classmethod
    def of(cls, era: HoursEra) -> _EraTexts:
        fixed = ", ".join(f"{x.start}..{x.end} ({x.legal_basis})" for x in era.extensions)
        conventions = (
            f"inferred: the {era.window.total_months} calendar months are the month tested "
            "and the ones before it; hours are spread evenly over each work period's days",
            f"inferred: the window ({era.window_basis}) is extended by the recorded "
            "exemptions " + (", ".join(f"{r.value} ({g})" for r, g in era.extending) or "(none)")
            + (f" ({era.extending_basis})" if era.extending else "")
            + (f" and {fixed}" if fixed else "") + "; a ground not recorded as an exemption "
            "must be checked by hand; months added forward are not added",
            f"inferred: {era.help_days} days of help stand for the law's years; years back "
            "from 29 February end on 28 February; months after the 31st land on the 1st of "
            "the month after (the later date, in the citizen's favour)",
        )
        notices = era.notices
        no_letter = "" if notices is None else (
            f"no warning letter recorded: no reduction before "
            f"{notices.late_delay.describe('en')} after one is sent ({notices.late_basis})")
        return cls(
            conventions,
            "marital status unknown: treated as unmarried (reduction, "
            f"{era.unmarried_basis or era.married_basis})",
            f"era {era.id} ({era.legal_basis}; {era.confidence.value})",
            f"era {era.id} ({era.legal_basis}): {era.note}",
            f"monthly reduction ({era.unmarried_basis})",
            "the spouse is deemed not to use their work opportunities: the couple's hjælp is "
            f"recalculated, the spouse's hjælp stops ({era.married_basis})",
            no_letter)


_texts = kept(_EraTexts.of)


@kept
def _level_note(level: ReductionLevel) -> str:
    return f"reduction level {level.id} ({level.legal_basis}; {level.confidence.value})"


def _ordered(eras: Sequence[HoursEra]) -> tuple[HoursEra, ...]:
    """*eras* by ``valid_from`` (a stable sort), kept per tuple of eras (a law's), so that the
    same tuple comes back and its in-force index is built once."""
    return _by_start(eras if isinstance(eras, tuple) else tuple(eras))


@kept
def _by_start(eras: tuple[HoursEra, ...]) -> tuple[HoursEra, ...]:
    return tuple(sorted(eras, key=lambda e: e.valid_from))


_WEAKEST_FIRST = (Confidence.UNCONFIRMED, Confidence.INFERRED, Confidence.CONFIRMED)


def _weakest(*marks: Confidence) -> str:
    return _weakest_of(frozenset(marks))


@functools.lru_cache(maxsize=64)
def _weakest_of(marks: frozenset[Confidence]) -> str:
    """The weakest of *marks* (a handful of sets of three marks: kept)."""
    return next(m.value for m in _WEAKEST_FIRST if m in marks)


@functools.lru_cache(maxsize=4096)
def _before(day: date, span: Duration) -> date:
    """*day* less *span* (a notice period, months back from a 1st: never ambiguous)."""
    return add(day, -span, Rounding.STRICT)


def _month_text(month: date) -> str:
    """``YYYY-MM`` as ``strftime("%Y-%m")`` writes it."""
    return f"{month.year}-{month.month:02d}"


def hours_rule_status(facts: Facts, eras: Sequence[HoursEra],
                      levels: Sequence[ReductionLevel]) -> HoursRuleStatus | None:
    """The hours rule in force for the person on ``facts.as_of`` under *eras* and *levels*
    (``law.hours_eras``, ``law.hours_levels``), or None when they never had help. Only months
    with help are tested: a month without hjælp has nothing to reduce, nor has a month in
    which an exemption takes the person outside the requirement."""
    if not eras:
        return None
    as_of, timeline = facts.as_of, facts.timeline
    days = help_runs(timeline, as_of)
    if not days:
        return None
    ordered = _ordered(eras)
    married = timeline.person.married
    current = in_force_on(ordered, as_of) or ordered[-1]
    texts = _texts(current)
    notes = list(texts.conventions)
    if married is None:
        notes.append(texts.unknown_marriage)
    exemptions = timeline.of_type(Exemption)
    outside = Outside.of(ordered, exemptions, as_of)
    restarted = outside.restart(as_of)
    if restarted is not None:
        days = [(max(first, restarted.day), last) for first, last in days
                if last >= restarted.day]
        notes.append(f"the exemption from {restarted.start} to {restarted.end} lasted at least "
                     f"{restarted.after.describe('en')}: the help and the work are counted "
                     f"afresh from {restarted.day} ({restarted.basis})")
    now = outside.on_month(current, as_of.replace(day=1))
    if now is not None:
        notes.append(f"not covered by the requirement from {now.start}"
                     + (f" to {now.end}" if now.end else "") + f": {now.rule.said.en} "
                     f"({now.rule.legal_basis}); months with an exempt day are "
                     + ("not tested" if now.rule.partial_month is PartialMonth.NOT_TESTED
                        else "tested unless exempt on every day")
                     + f" (partial_month = {now.rule.partial_month.value})")
    restart = (restarted.day, restarted.basis) if restarted is not None else None
    per_era = EraCounts(days, timeline.of_type(WorkHours), exemptions, as_of,
                        restarted.day if restarted is not None else None)
    overgang, counted = per_era.reached(current) if days else (None, 0)
    last_window, extended = window(per_era.hours(current), as_of.replace(day=1), current)
    if extended:
        notes.append(f"the window up to {as_of} is extended by {extended} days of exemptions "
                     f"({', '.join(r.value for r, _ in current.extending)}) or fixed periods "
                     f"({current.window_basis}; {current.extending_basis})")
    quantized, weakest = last_window.quantize(_CENTS), _weakest(current.confidence,
                                                                 Confidence.INFERRED)
    first_unmet, era = (_first_unmet(days, ordered, married, per_era, as_of, outside)
                        if days else (None, None))
    if first_unmet is None or era is None:
        notes.append(texts.in_force)
        last = ordered[-1]
        if in_force_on(ordered, as_of) is None and last.valid_to is not None and (
                as_of > last.valid_to):
            notes.append(f"the rule is abolished from {last.valid_to + timedelta(days=1)} "
                         f"({last.ends_basis})")
        return HoursRuleStatus(as_of, married, counted, overgang, quantized, None, None, None,
                               None, None, None, None, None, None, None, None,
                               current.legal_basis, tuple(notes), current.id, weakest,
                               now, restart, required=current.hours,
                               uncovered=_uncovered(current, married, as_of))
    return _unmet(facts, era, first_unmet, levels, notes, (counted, overgang, quantized),
                  now, restart)


def _uncovered(era: HoursEra, married: bool | None, as_of: date) -> Message | None:
    """Why an unmarried person (or one of unknown status) is outside *era* on *as_of*."""
    if married or (era.unmarried_from is not None and as_of >= era.unmarried_from):
        return None
    rule = Message("entitlements.hours.name", hours=figure(era.hours))
    if era.unmarried_from is None:
        return Message("entitlements.hours.married_only", rule=rule, basis=era.married_basis)
    return Message("entitlements.hours.unmarried_from", rule=rule, day=era.unmarried_from,
                   basis=era.unmarried_basis or era.legal_basis)


def _first_unmet(days: Sequence[tuple[date, date]], eras: tuple[HoursEra, ...],
                 married: bool | None, per_era: EraCounts, as_of: date,
                 outside: Outside | None = None) -> tuple[date | None, HoursEra | None]:
    """The first month with help in which the era in force covers the person (no exemption
    takes them outside it), its help requirement is reached and its hours are not
    documented.

    The months are walked in order but not one by one where nothing can happen: *days* are
    merged runs in day order, so a month without help skips to the month the next run
    starts; and while the same era is in force (up to its index's next change) the months
    before its help requirement is reached are skipped to the month it is reached."""
    reachable = {e.id for e in eras
                 if (e.valid_to is None or e.valid_to >= days[0][0]) and e.valid_from <= as_of}
    reached: dict[str, date | None] = {}
    windows: dict[str, Hours] = {}
    index = in_force_index(eras)
    changes = index.changes
    run, runs = 0, len(days)
    number, last = _month_number(days[0][0]), _month_number(as_of)
    while number <= last:
        month = date(number // 12, number % 12 + 1, 1)
        number += 1
        while run < runs and days[run][1] < month:
            run += 1
        if run == runs:
            break
        end = month_end(month)
        if days[run][0] > end:
            number = _month_number(days[run][0])
            continue
        era = index.on(month)
        if era is None or (not married and (era.unmarried_from is None
                                            or month < era.unmarried_from)):
            continue
        if era.id not in reachable:
            continue
        if era.id not in reached:
            reached[era.id] = per_era.reached(era)[0]
        day = reached[era.id]
        if day is None or day > end:
            change = bisect_right(changes, month)
            era_ends = (_month_number(changes[change], up=True) if change < len(changes)
                        else last + 1)
            number = era_ends if day is None else min(_month_number(day), era_ends)
            continue
        if outside is not None and outside.spans and outside.on_month(era, month) is not None:
            continue
        hours = windows.get(era.id)
        if hours is None:
            hours = windows[era.id] = per_era.hours(era)
        if window(hours, month, era)[0] < era.hours:
            return month, era
    return None, None


def _month_number(day: date, up: bool = False) -> int:
    """The number of *day*'s month counted from year 0; with *up* the first month that starts
    on or after *day*."""
    return day.year * 12 + day.month - 1 + (1 if up and day.day > 1 else 0)


def _unmet(facts: Facts, era: HoursEra, first_unmet: date, levels: Sequence[ReductionLevel],
           notes: list[str], counts: tuple[int, date | None, Decimal],
           exempt: ExemptSpan | None, restarted: tuple[date, str] | None) -> HoursRuleStatus:
    """The status once a month fails the requirement: dates, consequence, level, regain.
    *counts* are the status's help days, overgangsdato and hours in the last window;
    *exempt* and *restarted* are the status's as :func:`hours_rule_status` found them."""
    as_of, timeline = facts.as_of, facts.timeline
    married = timeline.person.married
    help_days, overgang, hours = counts
    texts = _texts(era)
    notes.append(texts.unmet)
    marks = [era.confidence, Confidence.INFERRED]
    bortfald = month_end(first_unmet) + timedelta(days=1)
    unmet = _month_text(first_unmet)
    if era.valid_to is not None and bortfald > era.valid_to:
        basis = era.notices.no_letters_basis if era.notices else era.ends_basis
        notes.append(f"the bortfaldsdato falls on or after {era.valid_to + timedelta(days=1)}: "
                     f"the rule is abolished, no reduction ({basis})")
        return HoursRuleStatus(as_of, married, help_days, overgang, hours, unmet, None, None,
                               None, None, None, None, None, None, None, None, era.legal_basis,
                               tuple(notes), era.id, _weakest(*marks), exempt, restarted,
                               notice_order=era.notices is not None, required=era.hours)
    warning_by = consultation_by = sent = earliest = None
    notices = era.notices
    if notices is not None:
        marks.append(notices.confidence)
        warning_by = _before(bortfald, notices.warning_before)
        consultation_by = _before(bortfald, notices.consultation_before)
        warnings = [w.date for w in timeline.of_type(HoursRuleWarning) if w.date <= bortfald]
        sent = warnings[0] if warnings else None
        if sent is None:
            notes.append(texts.no_letter)
        elif sent <= warning_by:
            earliest = bortfald
        else:
            earliest = add(sent, notices.late_delay, Rounding.UP)
            notes.append(f"the warning letter of {sent} was late (due {warning_by}): the "
                         f"reduction applies {notices.late_delay.describe('en')} after it at "
                         f"the earliest ({notices.late_basis})")
    else:
        earliest = bortfald
        notes.append("no notice order is known for this era; the effect from the 1st of the "
                     "following month is UNCONFIRMED")
    full = other = level_id = None
    if married:
        consequence = texts.spouse
        said = Message("entitlements.hours.spouse", basis=era.married_basis)
    else:
        consequence = texts.reduction
        said = Message("entitlements.hours.reduction", basis=era.unmarried_basis or "")
        level = (in_force_on(levels, bortfald) if isinstance(levels, tuple)
                 else in_force(levels, bortfald))
        if level is None:
            notes.append(f"no confirmed reduction amount for {bortfald.year}: a gap, not a guess")
        else:
            full, other, level_id = level.full, level.other, level.id
            marks.append(level.confidence)
            notes.append(_level_note(level))
    regained = _regained(facts, era, bortfald)
    if regained is not None:
        notes.append(f"full hjælp again once the {era.hours} hours after the reduction are "
                     f"documented; the restoration's effective date is UNCONFIRMED "
                     f"({era.regain_basis})")
    return HoursRuleStatus(
        as_of, married, help_days, overgang, hours, unmet, bortfald, warning_by, consultation_by,
        sent, earliest, consequence, full, other, level_id, regained, era.legal_basis,
        tuple(notes), era.id, _weakest(*marks), exempt, restarted, said_consequence=said,
        notice_order=notices is not None, required=era.hours)


def _regained(facts: Facts, era: HoursEra, bortfald: date) -> str | None:
    """The first month whose window holds the era's hours, all worked from *bortfald*."""
    timeline = facts.timeline
    work = timeline.of_type(WorkHours)
    if not work and era.hours > 0:
        return None
    after = hours_of(work, timeline.of_type(Exemption), era, facts.as_of, since=bortfald)
    if sum(after.by_day.values(), Decimal(0)) < era.hours:
        return None
    month = next((m for m in months_between(bortfald, facts.as_of)
                  if window(after, m, era)[0] >= era.hours), None)
    return _month_text(month) if month else None
