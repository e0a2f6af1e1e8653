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

from lab_rules.calendar import Duration, Rounding, add, merge_periods
from lab_rules.core.messages import Message, Said, number_text
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
from lab_rules.law.hours import HoursEra, HoursExempt, PartialMonth, ReductionLevel
from lab_rules.law.model import Confidence
from lab_rules.law.params import in_force, in_force_index, in_force_on, kept

__all__ = ["HELP", "ExemptSpan", "HoursRuleStatus", "hours_rule_status"]

_CENTS = Decimal(1) / 100


@attrs.frozen
class ExemptSpan:
    """A recorded exemption that takes the person outside the requirement, with the era's
    entry for its reason."""

    rule: HoursExempt
    start: date
    end: date | None

    def period(self) -> Message:
        if self.end is None:
            return Message("entitlements.hours.period_open", start=self.start)
        return Message("entitlements.hours.period", start=self.start, end=self.end)


@attrs.frozen
class HoursRuleStatus:
    """Where a person stands under the hours rule on ``as_of``."""

    as_of: date
    married: bool | None
    help_days: int
    """Days of help counted up to ``as_of`` (since the last restart)."""
    overgangsdato: date | None
    hours_last_12_months: Decimal
    """Hours within the era's window ending with ``as_of``'s month (12 months for 225)."""
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
    """The reduction level entry's id."""
    regained_in: str | None
    legal_basis: str
    notes: tuple[str, ...]
    era: str | None = None
    """The era entry's id (``225-timer``, ``450-timer``, ``300-timer``)."""
    confidence: str = Confidence.INFERRED.value
    """The weakest confidence of the era, the level and the conventions used."""
    exempt: ExemptSpan | None = None
    """The exemption that leaves ``as_of``'s month untested (LAS § 13 f, stk. 9), if any."""
    restarted: tuple[date, str] | None = None
    """The day the counts start afresh after a long exemption, and its legal basis."""
    said_consequence: Message | None = None
    """:attr:`consequence` in words for either language."""
    notice_order: bool = True
    """Whether the era has a notice order (warning letter and consultation deadlines)."""
    required: Decimal | None = None
    """The era's hours, which name the rule ("225-timersreglen"); None: named generically."""
    uncovered: Message | None = None
    """Why an unmarried person is outside the era in force (married couples only, or not
    yet), or None."""

    def explain(self, lang: str = "en") -> str:
        """The status in one paragraph of the catalogue's sentences in *lang*."""
        return " ".join(m.describe(lang) for m in self.sentences())

    def sentences(self) -> tuple[Message, ...]:
        """The explanation's sentences, put into words when read."""
        said: list[Message] = []
        rule = (Message("entitlements.hours.name", hours=_figure(self.required))
                if self.required is not None else Message("entitlements.hours.generic"))
        if self.bortfaldsdato is not None:
            said.append(Message("entitlements.hours.unmet", rule=rule,
                                bortfald=self.bortfaldsdato, consequence=self._consequence(),
                                notices=self._notices(), regained=self._regained()))
        elif self.first_unmet_month is not None:
            said.append(Message("entitlements.hours.abolished", rule=rule,
                                month=_month_words(self.first_unmet_month)))
        elif self.uncovered is not None:
            said.append(self.uncovered)
        elif self.exempt is not None:
            pass
        elif self.overgangsdato is None:
            said.append(Message("entitlements.hours.not_reached", rule=rule,
                                days=Message("unit.days", n=self.help_days)))
        else:
            said.append(Message("entitlements.hours.met", rule=rule,
                                overgang=self.overgangsdato,
                                hours=Message("unit.hours",
                                              n=_figure(self.hours_last_12_months))))
        if self.exempt is not None:
            if said:
                said.append(Message("entitlements.hours.exempt_after",
                                    period=self.exempt.period(), what=self.exempt.rule.said,
                                    basis=self.exempt.rule.legal_basis))
            else:
                said.append(Message("entitlements.hours.exempt", rule=rule,
                                    period=self.exempt.period(), what=self.exempt.rule.said,
                                    basis=self.exempt.rule.legal_basis))
        if self.restarted is not None:
            said.append(Message("entitlements.hours.restarted", day=self.restarted[0],
                                basis=self.restarted[1]))
        return tuple(said)

    def _consequence(self) -> object:
        if self.said_consequence is not None:
            return self.said_consequence
        return self.consequence or ""

    def _notices(self) -> Message | str:
        if not self.notice_order:
            return Message("entitlements.hours.no_notices", earliest=self.earliest_reduction)
        if self.earliest_reduction is None:
            return Message("entitlements.hours.notices_no_letter", warning_by=self.warning_by,
                           consultation_by=self.consultation_by)
        return Message("entitlements.hours.notices", warning_by=self.warning_by,
                       consultation_by=self.consultation_by, earliest=self.earliest_reduction)

    def _regained(self) -> Message | str:
        if self.regained_in is None:
            return ""
        return Message("entitlements.hours.regained", month=_month_words(self.regained_in))


def _figure(value: Decimal) -> Said:
    """A number of hours as each language writes it, without needless decimals."""
    places = 0 if value == value.to_integral() else 2
    return Said(number_text(value, "da", places), number_text(value, "en", places))


def _month_words(month: str) -> Message:
    """``YYYY-MM`` as a month and year in words ("marts 2018", "March 2018")."""
    year, number = month.split("-")
    return Message("entitlements.month", name=Message(f"entitlements.months.m{int(number)}"),
                   year=year)


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
    outside = _Outside.of(ordered, exemptions, as_of)
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
    return attrs.evolve(_unmet(facts, era, first_unmet, levels, notes,
                               (counted, overgang, quantized)), exempt=now, restarted=restart)


def _uncovered(era: HoursEra, married: bool | None, as_of: date) -> Message | None:
    """Why an unmarried person (or one of unknown status) is outside *era* on *as_of*."""
    if married:
        return None
    rule = Message("entitlements.hours.name", hours=_figure(era.hours))
    if era.unmarried_from is None:
        return Message("entitlements.hours.married_only", rule=rule, basis=era.married_basis)
    if as_of < era.unmarried_from:
        return Message("entitlements.hours.unmarried_from", rule=rule, day=era.unmarried_from,
                       basis=era.unmarried_basis or era.legal_basis)
    return None


@attrs.frozen
class _Outside:
    """The recorded exemptions that take the person outside the requirement, per era."""

    spans: tuple[tuple[HoursEra, ExemptSpan], ...]

    @classmethod
    def of(cls, eras: tuple[HoursEra, ...], exemptions: Sequence[Exemption], as_of: date
           ) -> _Outside:
        if not exemptions or not any(era.exempt for era in eras):
            return cls(())
        found = []
        for era in eras:
            rules = {rule.reason: rule for rule in era.exempt}
            for exemption in exemptions:
                rule = rules.get(exemption.reason)
                if rule is not None and exemption.start <= as_of:
                    found.append((era, ExemptSpan(rule, exemption.start, exemption.end)))
        return cls(tuple(found))

    def on_month(self, era: HoursEra, month: date) -> ExemptSpan | None:
        """The exemption under *era* that leaves *month* untested, if any."""
        end = month_end(month)
        for owner, span in self.spans:
            if owner is not era:
                continue
            last = span.end or date.max
            if span.rule.partial_month is PartialMonth.NOT_TESTED:
                if span.start <= end and last >= month:
                    return span
            elif span.start <= month and last >= end:
                return span
        return None

    def restart(self, as_of: date) -> _Restart | None:
        """The restart after the last ended exemption that lasted its era's
        ``restart_after`` (stk. 9, 2. pkt.), under the era in force on its last day;
        adjoining exemptions count as one."""
        found: _Restart | None = None
        merged = merge_periods([(s.start, s.end) for _, s in self.spans
                                if s.end is not None and s.end < as_of])
        for start, end in merged:
            for era, span in self.spans:
                after, basis = span.rule.restart_after, span.rule.restart_basis
                if (after is None or basis is None or span.end is None
                        or not start <= span.end <= end
                        or not era.valid_from <= end <= (era.valid_to or date.max)):
                    continue
                day = end + timedelta(days=1)
                if add(start, after, Rounding.UP) <= day and (found is None or day > found.day):
                    found = _Restart(day, start, end, after, basis)
        return found


@attrs.frozen
class _Restart:
    """The counts start afresh on ``day`` after the exemption ``start``..``end``."""

    day: date
    start: date
    end: date
    after: Duration
    basis: str


def _first_unmet(days: Sequence[tuple[date, date]], eras: tuple[HoursEra, ...],
                 married: bool | None, per_era: EraCounts, as_of: date,
                 outside: _Outside | None = None) -> tuple[date | None, HoursEra | None]:
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
           notes: list[str], counts: tuple[int, date | None, Decimal]) -> HoursRuleStatus:
    """The status once a month fails the requirement: dates, consequence, level, regain.
    *counts* are the status's help days, overgangsdato and hours in the last window."""
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
                               tuple(notes), era.id, _weakest(*marks),
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
        tuple(notes), era.id, _weakest(*marks), said_consequence=said,
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
