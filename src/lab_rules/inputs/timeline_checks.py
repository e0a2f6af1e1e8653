"""Checks on a parsed timeline that its field types alone cannot express, with located problems.

The parser (:mod:`lab_rules.inputs.timeline_json`) converts each value to its field's type;
these checks then look at values together: a period that ends before it starts, a summons
after its meeting, a CPR number with an impossible date, a benefit that ends unstarted, more
hours paid for a period than it has (24 a day). Every problem goes to a :class:`Collector` with its
JSON Pointer, so a document is reported whole rather than stopping at the first problem.
:func:`echo` shows a bad value briefly and never fails on it, whatever its size or depth.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import islice
from typing import Any

from lab_rules.core.errors import Problem
from lab_rules.core.vocabulary import Benefit
from lab_rules.inputs.events import (
    BenefitEnded,
    BenefitStarted,
    Event,
    Exemption,
    OfferAbsence,
    OfferExtended,
    OfferStarted,
    Payment,
    SicknessReported,
    SummonsSent,
    WorkHours,
)
from lab_rules.inputs.sanction_events import ConditionsMet
from lab_rules.inputs.timeline import Person
from lab_rules.inputs.timeline_fields import HOURS_PER_DAY

__all__ = [
    "Collector",
    "check_benefit_sequence",
    "check_event",
    "check_person",
    "echo",
    "event_checks",
    "pointer_part",
    "printable",
]

_CPR_RE = re.compile(r"^(\d{2})(\d{2})\d{2}-?\d{4}$")
_ECHO_WIDTH = 60
_ECHO_ITEMS = 4
_ECHO_DEPTH = 2
_LARGEST_SHOWN = 2**64


def printable(text: str) -> str:
    """*text* with lone surrogates (valid in JSON, not in UTF-8) written as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def pointer_part(key: object) -> str:
    """A key as one part of a JSON Pointer (RFC 6901: ``~`` as ``~0``, ``/`` as ``~1``)."""
    return printable(str(key).replace("~", "~0").replace("/", "~1"))


def _brief(value: object, depth: int) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _LARGEST_SHOWN:
        return f"a number of {value.bit_length()} bits"
    if isinstance(value, list | tuple):
        if depth >= _ECHO_DEPTH:
            return "[...]"
        items = [_brief(item, depth + 1) for item in islice(value, _ECHO_ITEMS)]
        return "[" + ", ".join(items + ["..."] * (len(value) > _ECHO_ITEMS)) + "]"
    if isinstance(value, dict):
        if depth >= _ECHO_DEPTH:
            return "{...}"
        pairs = [f"{_brief(str(k), depth + 1)}: {_brief(v, depth + 1)}"
                 for k, v in islice(value.items(), _ECHO_ITEMS)]
        return "{" + ", ".join(pairs + ["..."] * (len(value) > _ECHO_ITEMS)) + "}"
    if isinstance(value, str):
        return json.dumps(value[:_ECHO_WIDTH + 1], ensure_ascii=False)
    if isinstance(value, bool | int | float) or value is None:
        return json.dumps(value)
    return str(value)[:_ECHO_WIDTH + 1]


def echo(value: object) -> str:
    """A short JSON-like rendering of a value for a message; never fails."""
    text = printable(_brief(value, 0))
    return text if len(text) <= _ECHO_WIDTH else text[:_ECHO_WIDTH - 3] + "..."


class Collector:
    """Collects problems with their JSON Pointer paths."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(printable(path), printable(message), self.source))


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


def _check_hours(event: Any, path: str, out: Collector) -> None:
    """No more hours paid for a period than 24 for each of its days. (Work hours have no such
    bound: for work without fixed hours they are income converted at an hourly figure, LAS
    § 13 f stk. 15, and may be dated to fewer days than they took.)"""
    if event.hours is None or event.end < event.start:
        return
    days = (event.end - event.start).days + 1
    if event.hours > HOURS_PER_DAY * days:
        out.add(f"{path}/hours", f"{event.hours} hours is more than the {HOURS_PER_DAY * days} "
                f"hours of the {days} days from start to end")


def _check_week_hours(event: Any, path: str, out: Collector) -> None:
    week = HOURS_PER_DAY * 7
    if event.hours_per_week is not None and event.hours_per_week > week:
        out.add(f"{path}/hours_per_week",
                f"{event.hours_per_week} is more than the {week} hours of a week")


def _check_extension(event: Any, path: str, out: Collector) -> None:
    if event.until is not None and event.until < event.date:
        out.add(f"{path}/until", f"{event.until} is before the extension was decided "
                f"{event.date}")


def _check_not_negative(*names: str) -> Callable[[Any, str, Collector], None]:
    def check(event: Any, path: str, out: Collector) -> None:
        for name in names:
            value = getattr(event, name)
            if value is not None and value < 0:
                out.add(f"{path}/{name}", f"{value} must not be negative")
    return check


_EVENT_CHECKS: dict[type[Any], tuple[Callable[[Any, str, Collector], None], ...]] = {
    Exemption: (_check_period,),
    OfferAbsence: (_check_period,),
    WorkHours: (_check_period, _check_not_negative("hours")),
    Payment: (_check_period, _check_not_negative("amount", "hours", "rate"),
              _check_hours),
    SummonsSent: (_check_summons,),
    SicknessReported: (_check_sickness,),
    OfferStarted: (_check_offer, _check_week_hours),
    OfferExtended: (_check_extension,),
    ConditionsMet: (_check_conditions,),
}
"""Checks within one event that its field types alone cannot express, by event class."""


def event_checks(cls: type[Event]) -> tuple[Callable[[Any, str, Collector], None], ...]:
    """The checks :func:`check_event` runs on an event of class *cls*, each called with the
    event, its path and the collector (for a parser that looks them up once per class)."""
    return _EVENT_CHECKS.get(cls, ())


def check_event(event: Event, path: str, out: Collector) -> None:
    for check in _EVENT_CHECKS.get(type(event), ()):
        check(event, path, out)


_RUNS = (BenefitStarted, BenefitEnded)


def check_benefit_sequence(indexed: list[tuple[int, Event]], out: Collector) -> None:
    """A benefit cannot end unless it runs, nor start while it already runs."""
    running: dict[Benefit, int] = {}
    runs = [pair for pair in indexed if isinstance(pair[1], _RUNS)]
    for index, event in sorted(runs, key=lambda pair: (pair[1].on, pair[0])):
        if isinstance(event, BenefitStarted):
            if event.benefit in running:
                out.add(f"/events/{index}", f"benefit_started for {event.benefit.value} on "
                        f"{event.date}, but it already runs since /events/{running[event.benefit]}")
            running[event.benefit] = index
        elif isinstance(event, BenefitEnded) and running.pop(event.benefit, None) is None:
            out.add(f"/events/{index}", f"benefit_ended for {event.benefit.value} on "
                    f"{event.date}, but no benefit_started for it runs before")
