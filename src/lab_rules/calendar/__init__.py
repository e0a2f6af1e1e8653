"""Exact, explained date arithmetic for legal deadlines, and the Danish business calendar.

Durations are non-normalised (years, months, days) triples: one month is not 30 days, and
comparing a month with days is an error. Adding a duration follows the algorithm Catala
formalised (Monat, Fromherz, Merigoux, ESOP 2024); a rule chooses how a month step that lands
on a missing day is rounded. The three readings of a deadline found in the law
(``semantics.md`` §1) are :func:`after`, :func:`within` and :func:`end_of_week`;
:func:`deadline` computes any of them and records every step so that a result can explain its
dates.

The package has one module per job: :mod:`~lab_rules.calendar.durations` (the
:class:`Duration` type and :class:`Rounding`), :mod:`~lab_rules.calendar.arithmetic` (adding
durations to dates), :mod:`~lab_rules.calendar.danish` (business days and holidays) and
:mod:`~lab_rules.calendar.deadlines` (readings, explained deadlines, schedules). Import from
the package: this module re-exports every public name, so callers need not know the layout.
"""

from __future__ import annotations

from lab_rules.calendar.arithmetic import (
    DateStep,
    add,
    add_explained,
    after,
    end_of_week,
    merge_periods,
    weekdays_between,
    within,
)
from lab_rules.calendar.danish import ClosedDay, DanishCalendar, Roll
from lab_rules.calendar.deadlines import (
    DateComputation,
    Reading,
    anchored_schedule,
    chained_schedule,
    deadline,
)
from lab_rules.calendar.durations import Duration, Rounding

__all__ = [
    "ClosedDay",
    "DanishCalendar",
    "DateComputation",
    "DateStep",
    "Duration",
    "Reading",
    "Roll",
    "Rounding",
    "add",
    "add_explained",
    "after",
    "anchored_schedule",
    "chained_schedule",
    "deadline",
    "end_of_week",
    "merge_periods",
    "weekdays_between",
    "within",
]
