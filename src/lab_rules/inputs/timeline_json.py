"""The ``lab-rules/timeline/v1`` JSON format: parse with located errors, serialise, schema.

The attrs classes of :mod:`lab_rules.inputs.timeline` are the single description of the format:
their fields and types drive the parser, the serialiser and the JSON Schema that ships in
``lab_rules/schemas/timeline-v1.schema.json`` (a test keeps the file equal to
:func:`json_schema`). The parser never stops at the first problem: it reports every one, each
with its JSON Pointer (``/events/3/date: "2024-02-30" is not a valid date``), and never lets
a Python traceback escape on bad input. Every message is CPR-masked.
"""

from __future__ import annotations

import difflib
import enum
import json
import re
import types
import typing
from collections.abc import Callable, Mapping, Set
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from lab_rules.core.errors import Problem, TimelineError
from lab_rules.core.vocabulary import Benefit
from lab_rules.inputs.timeline import (
    EVENT_TYPES,
    SCHEMA_ID,
    BenefitEnded,
    BenefitStarted,
    ConditionsMet,
    Event,
    Exemption,
    OfferAbsence,
    OfferStarted,
    Payment,
    Person,
    SicknessReported,
    SummonsSent,
    Timeline,
    WorkHours,
)

__all__ = [
    "dumps_timeline",
    "json_schema",
    "load_timeline",
    "loads_timeline",
    "parse_timeline",
    "schema_path",
    "timeline_to_json",
]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")
_CPR_RE = re.compile(r"^(\d{2})(\d{2})\d{2}-?\d{4}$")
_MISSING = object()


def _echo(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_types(cls: type[Any]) -> tuple[tuple[str, Any, bool], ...]:
    """(name, resolved type, required) for every attrs field of *cls*."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, hints[f.name], f.default is attrs.NOTHING) for f in attrs.fields(cls)
    )


_CLASSES: tuple[type[Any], ...] = (Person, *EVENT_TYPES.values())
_FIELDS: dict[type[Any], tuple[tuple[str, Any, bool], ...]] = {
    cls: _field_types(cls) for cls in _CLASSES
}


def _optional_inner(tp: Any) -> tuple[Any, bool]:
    """(inner type, allows None) for ``X | None``; (tp, False) otherwise."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0], True
    return tp, False


_PARSE: dict[type[Any], tuple[tuple[str, Any, bool, bool], ...]] = {
    cls: tuple((name, *_optional_inner(tp), required) for name, tp, required in fields)
    for cls, fields in _FIELDS.items()
}
"""Per class: (name, inner type, allows None, required), resolved once."""
_KNOWN: dict[type[Any], frozenset[str]] = {
    cls: frozenset(name for name, _, _ in fields) for cls, fields in _FIELDS.items()
}


class _Collector:
    """Collects problems with their JSON Pointer paths."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, self.source))


@attrs.frozen
class _Bad:
    """What a converter returns for a value it cannot take: the problem's message."""

    message: str


def _to_date(raw: object) -> object:
    if type(raw) is str and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    return _Bad(f"{_echo(raw)} is not a valid date (expected YYYY-MM-DD)")


def _to_bool(raw: object) -> object:
    return raw if isinstance(raw, bool) else _Bad(f"{_echo(raw)} must be true or false")


def _to_int(raw: object) -> object:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    return _Bad(f"{_echo(raw)} must be a whole number")


def _to_str(raw: object) -> object:
    if isinstance(raw, str) and raw.strip():
        return raw
    return _Bad(f"{_echo(raw)} must be a non-empty string")


def _to_decimal(raw: object) -> object:
    if isinstance(raw, int | Decimal) and not isinstance(raw, bool):
        return Decimal(raw)
    if isinstance(raw, str) and _DECIMAL_RE.match(raw.strip()):
        try:
            return Decimal(raw.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            pass
    return _Bad(f"{_echo(raw)} must be a decimal number such as 1234.50")


def _to_enum(kind: type[enum.Enum]) -> Callable[[object], object]:
    members = kind._value2member_map_
    allowed = ", ".join(str(m.value) for m in kind)

    def convert(raw: object) -> object:
        member = members.get(raw) if isinstance(raw, str) else None
        if member is not None:
            return member
        return _Bad(f"{_echo(raw)} is not a known value; expected one of: {allowed}")
    return convert


def _converter(inner: Any) -> Callable[[object], object]:
    """The function that turns a JSON value into a field of type *inner*, or a :class:`_Bad`."""
    simple: dict[Any, Callable[[object], object]] = {
        date: _to_date, bool: _to_bool, int: _to_int, str: _to_str, Decimal: _to_decimal}
    if inner in simple:
        return simple[inner]
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return _to_enum(inner)
    raise TypeError(f"no JSON mapping for field type {inner!r}")  # pragma: no cover


_CONVERT: dict[type[Any], tuple[tuple[str, Callable[[object], object], bool, bool], ...]] = {
    cls: tuple((name, _converter(inner), nullable, required)
               for name, inner, nullable, required in fields)
    for cls, fields in _PARSE.items()
}
"""Per class: (name, converter, allows None, required), built once."""


def _parse_object(
    cls: type[Any], raw: object, path: str, out: _Collector, *, skip: frozenset[str] = frozenset()
) -> Any:
    """Build an instance of attrs class *cls* from a JSON object, or None after problems."""
    if not isinstance(raw, dict):
        out.add(path, f"must be an object, got {_echo(raw)}")
        return None
    known = _KNOWN[cls]
    ok = True
    if not known.issuperset(raw.keys() - skip):
        for key in raw:
            if key not in known and key not in skip:
                out.add(f"{path}/{key}", "unknown key" + _did_you_mean(key, known | skip))
                ok = False
    values: dict[str, object] = {}
    for name, convert, nullable, required in _CONVERT[cls]:
        if name not in raw:
            if required:
                out.add(path, f'missing required key "{name}"')
                ok = False
            continue
        value = raw[name]
        if value is None:
            if not nullable:
                out.add(f"{path}/{name}", "must not be null")
                ok = False
            else:
                values[name] = None
            continue
        value = convert(value)
        if type(value) is _Bad:
            out.add(f"{path}/{name}", value.message)
            ok = False
        else:
            values[name] = value
    return cls(**values) if ok else None


def _did_you_mean(key: str, known: Set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _check_person(person: Person, out: _Collector) -> None:
    if person.cpr is not None:
        match = _CPR_RE.match(person.cpr)
        if not match or not (1 <= int(match[1]) <= 31 and 1 <= int(match[2]) <= 12):
            out.add("/person/cpr", f"{_echo(person.cpr)} is not a CPR number (DDMMYY-SSSS)")


def _check_period(event: Any, path: str, out: _Collector) -> None:
    if event.end is not None and event.end < event.start:
        out.add(f"{path}/end", f"{event.end} is before start {event.start}")


def _check_summons(event: Any, path: str, out: _Collector) -> None:
    if event.meeting_date < event.date:
        out.add(f"{path}/meeting_date", f"{event.meeting_date} is before the summons {event.date}")


def _check_sickness(event: Any, path: str, out: _Collector) -> None:
    if event.first_absence_day > event.date:
        out.add(f"{path}/first_absence_day",
                f"{event.first_absence_day} is after the report date {event.date}")
    if event.category is not None and event.category not in (1, 2, 3):
        out.add(f"{path}/category", f"{event.category} is not a visitation category (1-3)")


def _check_offer(event: Any, path: str, out: _Collector) -> None:
    if event.offered_on and event.offered_on > event.date:
        out.add(f"{path}/offered_on",
                f"{event.offered_on} is after the offer started {event.date}")
    if event.hours_per_week is not None and event.hours_per_week < 0:
        out.add(f"{path}/hours_per_week", f"{event.hours_per_week} must not be negative")


def _check_conditions(event: Any, path: str, out: _Collector) -> None:
    if event.end < event.start:
        out.add(f"{path}/end", f"{event.end} is before start {event.start}")
    elif not 0 <= event.days <= (event.end - event.start).days + 1:
        out.add(f"{path}/days", f"{event.days} is not between 0 and the "
                f"{(event.end - event.start).days + 1} days from start to end")


def _check_work_hours(event: Any, path: str, out: _Collector) -> None:
    if event.hours < 0:
        out.add(f"{path}/hours", f"{event.hours} must not be negative")


def _check_payment(event: Any, path: str, out: _Collector) -> None:
    for name in ("amount", "hours"):
        value = getattr(event, name)
        if value is not None and value < 0:
            out.add(f"{path}/{name}", f"{value} must not be negative")


_EVENT_CHECKS: dict[type[Any], tuple[Callable[[Any, str, _Collector], None], ...]] = {
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


def _check_event(event: Event, path: str, out: _Collector) -> None:
    for check in _EVENT_CHECKS.get(type(event), ()):
        check(event, path, out)


def _check_benefit_sequence(indexed: list[tuple[int, Event]], out: _Collector) -> None:
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


def _document_order(problem: Problem) -> tuple[tuple[int, int | str], ...]:
    """Sort key: schema, person, then events by index (/events/2 before /events/10)."""
    parts = [part for part in problem.path.split("/") if part]
    top = {"schema": 0, "person": 1, "events": 2}.get(parts[0], 3) if parts else -1
    return ((0, top), *((0, int(p)) if p.isdigit() else (1, p) for p in parts[1:]))


def parse_timeline(document: object, *, source: str | None = None) -> Timeline:
    """Turn a decoded ``timeline/v1`` JSON document into a :class:`Timeline`.

    Raises :class:`TimelineError` listing every problem, each with its JSON Pointer.
    """
    out = _Collector(source)
    if not isinstance(document, dict):
        out.add("", f"a timeline must be a JSON object, got {_echo(document)}")
        raise TimelineError(out.problems, subject=source or "timeline")
    for key in document:
        if key not in ("schema", "person", "events"):
            out.add(f"/{key}", "unknown key" + _did_you_mean(key, {"schema", "person", "events"}))
    if document.get("schema") != SCHEMA_ID:
        shown = _echo(document["schema"]) if "schema" in document else "missing"
        out.add("/schema", f'must be "{SCHEMA_ID}", got {shown}')
    person = None
    if "person" not in document:
        out.add("", 'missing required key "person"')
    else:
        person = _parse_object(Person, document["person"], "/person", out)
        if person is not None:
            _check_person(person, out)
    events: list[tuple[int, Event]] = []
    raw_events = document.get("events", _MISSING)
    if raw_events is _MISSING:
        out.add("", 'missing required key "events"')
    elif not isinstance(raw_events, list):
        out.add("/events", f"must be an array, got {_echo(raw_events)}")
    else:
        for index, raw in enumerate(raw_events):
            path = f"/events/{index}"
            if not isinstance(raw, dict):
                out.add(path, f"an event must be an object, got {_echo(raw)}")
                continue
            kind = raw.get("type")
            cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
            if cls is None:
                shown = "missing" if kind is None else _echo(kind)
                out.add(f"{path}/type", f"unknown event type {shown}; expected one of: "
                        + ", ".join(EVENT_TYPES))
                continue
            event = _parse_object(cls, raw, path, out, skip=frozenset({"type"}))
            if event is not None:
                _check_event(event, path, out)
                events.append((index, event))
        _check_benefit_sequence(events, out)
    if out.problems or person is None:
        raise TimelineError(sorted(out.problems, key=_document_order), subject=source or "timeline")
    return Timeline.of(person, (event for _, event in events))


def loads_timeline(text: str | bytes, *, source: str | None = None) -> Timeline:
    """Parse ``timeline/v1`` JSON text. JSON syntax errors are located by line and column."""
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        problem = Problem("", f"invalid JSON: {err.msg} (column {err.colno})", source, err.lineno)
        raise TimelineError([problem], subject=source or "timeline") from None
    except UnicodeDecodeError as err:
        problem = Problem("", f"not UTF-8 text: {err.reason}", source)
        raise TimelineError([problem], subject=source or "timeline") from None
    return parse_timeline(document, source=source)


def load_timeline(path: str | Path) -> Timeline:
    """Read and parse a ``timeline/v1`` file. OSError propagates for unreadable paths."""
    data = Path(path).read_bytes()
    return loads_timeline(data, source=str(path))


def _to_json_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def _object_to_json(obj: Any) -> dict[str, object]:
    return {
        name: _to_json_value(getattr(obj, name))
        for name, _, _ in _FIELDS[type(obj)]
        if getattr(obj, name) is not None
    }


def timeline_to_json(timeline: Timeline) -> dict[str, object]:
    """The ``timeline/v1`` document of *timeline*, events in canonical order."""
    return {
        "schema": SCHEMA_ID,
        "person": _object_to_json(timeline.person),
        "events": [{"type": e.TYPE, **_object_to_json(e)} for e in timeline.events],
    }


def dumps_timeline(timeline: Timeline, *, indent: int | None = 2) -> str:
    """``timeline/v1`` JSON text; parsing it gives back an equal timeline."""
    return json.dumps(timeline_to_json(timeline), indent=indent, ensure_ascii=False)


_DEF_NAMES: Mapping[Any, str] = {date: "date", Decimal: "decimal"}


def _type_schema(tp: Any, defs: dict[str, object]) -> dict[str, object]:
    inner, nullable = _optional_inner(tp)
    schema: dict[str, object]
    if inner is date:
        schema = {"$ref": "#/$defs/date"}
    elif inner is Decimal:
        schema = {"$ref": "#/$defs/decimal"}
    elif inner is bool:
        schema = {"type": "boolean"}
    elif inner is int:
        schema = {"type": "integer"}
    elif inner is str:
        schema = {"type": "string", "minLength": 1}
    elif isinstance(inner, type) and issubclass(inner, enum.Enum):
        name = inner.__name__
        defs.setdefault(name, {"enum": [m.value for m in inner],
                               "description": (inner.__doc__ or "").strip().splitlines()[0]})
        schema = {"$ref": f"#/$defs/{name}"}
    else:  # pragma: no cover
        raise TypeError(f"no JSON Schema for {tp!r}")
    return {"anyOf": [schema, {"type": "null"}]} if nullable else schema


def _object_schema(
    cls: type[Any], defs: dict[str, object], extra: Mapping[str, object] | None = None
) -> dict[str, object]:
    properties: dict[str, object] = dict(extra or {})
    required = list(extra or {})
    for name, tp, is_required in _FIELDS[cls]:
        properties[name] = _type_schema(tp, defs)
        if is_required:
            required.append(name)
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def json_schema() -> dict[str, object]:
    """The JSON Schema (2020-12) of ``timeline/v1``, generated from the attrs classes."""
    defs: dict[str, object] = {
        "date": {"type": "string", "format": "date", "pattern": _DATE_RE.pattern},
        "decimal": {
            "anyOf": [{"type": "number"}, {"type": "string", "pattern": _DECIMAL_RE.pattern}]
        },
    }
    event_refs = []
    for name, cls in EVENT_TYPES.items():
        defs[f"event_{name}"] = _object_schema(cls, defs, {"type": {"const": name}})
        event_refs.append({"$ref": f"#/$defs/event_{name}"})
    defs["person"] = _object_schema(Person, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "lab-rules timeline v1: a person and the dated events of their case",
        "type": "object",
        "properties": {
            "schema": {"const": SCHEMA_ID},
            "person": {"$ref": "#/$defs/person"},
            "events": {"type": "array", "items": {"oneOf": event_refs}},
        },
        "required": ["schema", "person", "events"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def schema_path() -> Path:
    """Where the shipped ``timeline-v1.schema.json`` lies in the installed package."""
    return Path(str(resources.files("lab_rules") / "schemas" / "timeline-v1.schema.json"))

