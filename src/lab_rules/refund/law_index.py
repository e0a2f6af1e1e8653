"""What the refund computations read from a law's tables for every person, worked out once per
table: the staircase's covered benefits, the band of each week number, the lists of other
offentlig forsørgelse by benefit and the month-split texts by day; the 2007-2015 rate rows by
benefit and the late-obligation losses by rule.

A law's tables are immutable, so an index is kept per table object (looked up by identity, as
:func:`lab_rules.law.params.in_force_on` keeps its indexes) and a what-if law with other tables
gets its own. Nothing here is law: each field is a reading of the table it was built from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

import attrs

from lab_rules.core.vocabulary import Benefit
from lab_rules.law.refund import MonthSplitText, Note, Staircase
from lab_rules.law.refund_losses import BaseRate, LossRule, LossSchedule
from lab_rules.refund.months import WEEK_DAYS, week_of

_MAX_HELD = 64
_T = TypeVar("_T")
_K = TypeVar("_K")


def _held(table: _K, held: dict[int, tuple[_K, _T]], build: Callable[[_K], _T]) -> _T:
    found = held.get(id(table))
    if found is None or found[0] is not table:
        if len(held) >= _MAX_HELD:
            held.clear()
        found = held[id(table)] = (table, build(table))
    return found[1]


@attrs.frozen
class StaircaseIndex:
    """One staircase read for the ledger and the week count (lov 994/2015 §§ 3, 5, 29-30;
    BEK 1772/2015 § 3, stk. 2)."""

    covered: frozenset[Benefit]
    cofinanced: frozenset[Benefit]
    early: frozenset[Benefit]
    """The benefits whose 2015/16 transition days start at ``early_from`` (§ 29, stk. 3)."""
    early_from: int
    others_from: int
    transition_week: int
    """The week index of the transition's first day."""
    first_normal: int
    """The index of the first week that starts on or after the staircase's first day."""
    rate_week: int
    """The index of the week of the staircase's first day (whose count the transition takes)."""
    band_of_week: tuple[int, ...]
    """The position in ``bands`` of the band of week number 1, 2, ...; the last is open."""
    rates: tuple[tuple[Decimal, Decimal], ...]
    """Per band position: (refund, co-financing) share."""
    band_weeks: tuple[tuple[int, int, int | None], ...]
    """Per band: its position, first week number and last (None: open)."""
    old_benefits: frozenset[Benefit]
    """Benefits some old-case entry (§ 30, stk. 2-4) can keep off the staircase."""
    support: dict[Benefit, tuple[tuple[date, date | None], ...]]
    """Per benefit, the days (from, to or open) a list of other offentlig forsørgelse names
    it, from the first day counted on."""
    read: frozenset[Benefit]
    """The benefits the week count reads: covered or on a list of other support."""
    plain: frozenset[Benefit]
    """The covered benefits on no list of other support and in no old-case entry: their
    intervals are on the staircase as they are."""
    notes: tuple[Note, ...]
    """The staircase's notes, each once."""
    split_texts: tuple[tuple[int, int, MonthSplitText], ...]
    """The month-split text in force (BEK 1772/2015 § 26, stk. 2) from a day ordinal until
    one before another, in order, for the days some text is."""

    def band(self, week: int) -> int:
        """The position of the band of week number *week* (1 or more)."""
        if week < 1:
            raise ValueError(f"no band for week {week}")
        return self.band_of_week[min(week, len(self.band_of_week)) - 1]


def _band_table(staircase: Staircase) -> tuple[int, ...]:
    last = max(b.first_week for b in staircase.bands)
    table = []
    for week in range(1, last + 1):
        band = staircase.band(week)
        table.append(next(i for i, b in enumerate(staircase.bands) if b is band))
    return tuple(table)


def _staircase_index(staircase: Staircase) -> StaircaseIndex:
    support: dict[Benefit, list[tuple[date, date | None]]] = {}
    for entry in staircase.public_support:
        for benefit in entry.benefits:
            support.setdefault(benefit, []).append(
                (max(entry.valid_from, staircase.count_from), entry.valid_to))
    start = staircase.valid_from
    return StaircaseIndex(
        staircase.refunded | staircase.cofinanced, staircase.cofinanced,
        staircase.early_benefits, staircase.early_from.toordinal(),
        staircase.others_from.toordinal(),
        week_of(min(staircase.early_from, staircase.others_from)),
        -(-(start.toordinal() - 1) // WEEK_DAYS), week_of(start), _band_table(staircase),
        tuple((b.refund, b.cofinancing) for b in staircase.bands),
        tuple((i, b.first_week, b.last_week) for i, b in enumerate(staircase.bands)),
        frozenset(b for old in staircase.old_cases for b in old.benefits),
        {b: tuple(days) for b, days in support.items()},
        staircase.refunded | staircase.cofinanced | frozenset(support),
        (staircase.refunded | staircase.cofinanced) - frozenset(support) - frozenset(
            b for old in staircase.old_cases for b in old.benefits),
        tuple(dict.fromkeys(staircase.notes)),
        _split_texts(staircase))


def _split_texts(staircase: Staircase) -> tuple[tuple[int, int, MonthSplitText], ...]:
    last = date.max.toordinal()
    changes = sorted({d for t in staircase.month_splits for d in (
        t.valid_from.toordinal(), t.valid_to.toordinal() + 1 if t.valid_to else 0)
        if 0 < d <= last})
    if not changes:  # a staircase without [[month_split]]: no text to name
        return ()
    ends = [*changes[1:], last + 1]
    return tuple((start, end, text) for start, end in zip(changes, ends, strict=True)
                 if (text := staircase.month_split_on(date.fromordinal(start))) is not None)


_STAIRCASES: dict[int, tuple[Staircase, StaircaseIndex]] = {}


def staircase_index(staircase: Staircase) -> StaircaseIndex:
    """The index of *staircase*, built the first time it is asked for. The ledger asks for
    it several times a person, so an index already held is found here, without a call of
    :func:`_held`."""
    found = _STAIRCASES.get(id(staircase))
    if found is not None and found[0] is staircase:
        return found[1]
    return _held(staircase, _STAIRCASES, _staircase_index)


@attrs.frozen
class ScheduleIndex:
    """One schedule of 2007-2015 rates and losses read for the rate periods and the losses."""

    rate_benefits: frozenset[Benefit]
    rows: dict[Benefit, tuple[BaseRate, ...]]
    """The rate rows of each benefit, in the schedule's order."""
    last_rated: date
    """The last day any rate row is in force."""
    loss_benefits: frozenset[Benefit]
    by_status: tuple[LossRule, ...]
    """The losses not tied to one late obligation, in the schedule's order."""
    late: dict[str, tuple[LossRule, ...]]
    """The ``late_obligation`` losses naming each rule id, in the schedule's order."""


def _schedule_index(schedule: LossSchedule) -> ScheduleIndex:
    rows: dict[Benefit, list[BaseRate]] = {}
    for row in schedule.rates:
        rows.setdefault(row.benefit, []).append(row)
    late: dict[str, list[LossRule]] = {}
    for loss in schedule.losses:
        if loss.trigger == "late_obligation":
            for rule in loss.rules:
                late.setdefault(rule, []).append(loss)
    return ScheduleIndex(
        frozenset(r.benefit for r in schedule.rates), {b: tuple(r) for b, r in rows.items()},
        max((r.valid_to for r in schedule.rates), default=date.min),
        frozenset(b for loss in schedule.losses for b in loss.benefits),
        tuple(loss for loss in schedule.losses if loss.trigger != "late_obligation"),
        {rule: tuple(losses) for rule, losses in late.items()})


_SCHEDULES: dict[int, tuple[LossSchedule, ScheduleIndex]] = {}


def schedule_index(schedule: LossSchedule) -> ScheduleIndex:
    """The index of *schedule*, built the first time it is asked for (an index already held
    found here, as :func:`staircase_index` finds its)."""
    found = _SCHEDULES.get(id(schedule))
    if found is not None and found[0] is schedule:
        return found[1]
    return _held(schedule, _SCHEDULES, _schedule_index)
