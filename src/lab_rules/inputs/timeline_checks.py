"""Checks on a parsed timeline that its field types alone cannot express, with located problems.

The parser (:mod:`lab_rules.inputs.timeline_json`) converts each value to its field's type;
these checks then look at values together: a period that ends before it starts, a summons
after its meeting, a CPR number with an impossible date, a benefit that ends unstarted. Every
problem goes to a :class:`Collector` with its JSON Pointer, so a document is reported whole
rather than stopping at the first problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from lab_rules.core.errors import Problem
from lab_rules.core.vocabulary import Benefit
from lab_rules.inputs.events import (
    BenefitEnded,
    BenefitStarted,
    Event,
    Exemption,
    OfferAbsence,
    OfferStarted,
    Payment,
    SicknessReported,
    SummonsSent,
    WorkHours,
)
from lab_rules.inputs.sanction_events import ConditionsMet
from lab_rules.inputs.timeline import Person

__all__ = ["Collector", "check_benefit_sequence", "check_event", "check_person", "echo"]

_CPR_RE = re.compile(r"^(\d{2})(\d{2})\d{2}-?\d{4}$")


def echo(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


class Collector:
    """Collects problems with their JSON Pointer paths."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, self.source))


def check_person(person: Person, out: Collector) -> None:
    if person.cpr is not None:
        match = _CPR_RE.match(person.cpr)
        if not match or not (1 <= int(match[1]) <= 31 and 1 <= int(match[2]) <= 12):
            out.add("/person/cpr", f"{echo(person.cpr)} is not a CPR number (DDMMYY-SSSS)")


def _check_period(event: Any, path: str, out: Collector) -> None:
    if event.end is not None and event.end < event.start:
        out.add(f"{path}/end", f"{event.end} is before start {event.start}")


def _check_summons(event: Any, path: str, out: Collector) -> None:
    if event.meeting_date < event.date:
        out.add(f"{path}/meeting_date", f"{event.meeting_date} is before the summons {event.date}")


def _check_sickness(event: Any, path: str, out: Collector) -> None:
    if event.first_absence_day > event.date:
        out.add(f"{path}/first_absence_day",
                f"{event.first_absence_day} is after the report date {event.date}")
    if event.category is not None and event.category not in (1, 2, 3):
        out.add(f"{path}/category", f"{event.category} is not a visitation category (1-3)")


def _check_offer(event: Any, path: str, out: Collector) -> None:
    if event.offered_on and event.offered_on > event.date:
        out.add(f"{path}/offered_on",
                f"{event.offered_on} is after the offer started {event.date}")
    if event.hours_per_week is not None and event.hours_per_week < 0:
        out.add(f"{path}/hours_per_week", f"{event.hours_per_week} must not be negative")


def _check_conditions(event: Any, path: str, out: Collector) -> None:
    if event.end < event.start:
        out.add(f"{path}/end", f"{event.end} is before start {event.start}")
    elif not 0 <= event.days <= (event.end - event.start).days + 1:
        out.add(f"{path}/days", f"{event.days} is not between 0 and the "
                f"{(event.end - event.start).days + 1} days from start to end")


def _check_work_hours(event: Any, path: str, out: Collector) -> None:
    if event.hours < 0:
        out.add(f"{path}/hours", f"{event.hours} must not be negative")


def _check_payment(event: Any, path: str, out: Collector) -> None:
    for name in ("amount", "hours"):
        value = getattr(event, name)
        if value is not None and value < 0:
            out.add(f"{path}/{name}", f"{value} must not be negative")


_EVENT_CHECKS: dict[type[Any], tuple[Callable[[Any, str, Collector], None], ...]] = {
    Exemption: (_check_period,),
    OfferAbsence: (_check_period,),
    WorkHours: (_check_period, _check_work_hours),
    Payment: (_check_period, _check_payment),
    SummonsSent: (_check_summons,),
    SicknessReported: (_check_sickness,),
    OfferStarted: (_check_offer,),
    ConditionsMet: (_check_conditions,),
}
"""Checks within one event that its field types alone cannot express, by event class."""


def check_event(event: Event, path: str, out: Collector) -> None:
    for check in _EVENT_CHECKS.get(type(event), ()):
        check(event, path, out)


def check_benefit_sequence(indexed: list[tuple[int, Event]], out: Collector) -> None:
    """A benefit cannot end unless it runs, nor start while it already runs."""
    running: dict[Benefit, int] = {}
    for index, event in sorted(indexed, key=lambda pair: (pair[1].on, pair[0])):
        if isinstance(event, BenefitStarted):
            if event.benefit in running:
                out.add(f"/events/{index}", f"benefit_started for {event.benefit.value} on "
                        f"{event.date}, but it already runs since /events/{running[event.benefit]}")
            running[event.benefit] = index
        elif isinstance(event, BenefitEnded) and running.pop(event.benefit, None) is None:
            out.add(f"/events/{index}", f"benefit_ended for {event.benefit.value} on "
                    f"{event.date}, but no benefit_started for it runs before")
