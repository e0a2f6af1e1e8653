"""The ``lab-rules/timeline/v1`` JSON format: parse with located errors, and serialise.

The attrs classes of :mod:`lab_rules.inputs.timeline` are the single description of the format:
their fields and types (:mod:`lab_rules.inputs.timeline_fields`) drive the parser, the
serialiser and the JSON Schema (:mod:`lab_rules.inputs.timeline_schema`). The parser never
stops at the first problem: it reports every one, each with its JSON Pointer
(``/events/3/date: "2024-02-30" is not a valid date``), and never lets a Python traceback
escape on bad input. Each value goes through its field type's converter
(:mod:`lab_rules.inputs.timeline_values`); the checks beyond field types are
:mod:`lab_rules.inputs.timeline_checks`. Every message is CPR-masked.

Validate means evaluable: dates outside the supported range, numbers too large to compute
with, and text that is not Unicode are problems here, never a crash later; ``9999-12-31`` in
an optional end (:data:`~lab_rules.inputs.timeline_fields.OPEN_ENDS`) is read as no end.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence, Set
from pathlib import Path
from typing import Any

from lab_rules.core.errors import Problem, TimelineError
from lab_rules.inputs.events import BenefitEnded, BenefitStarted, Event
from lab_rules.inputs.json_strict import (
    NotStrictJsonError,
    refuse_constant,
    strictness_problems,
    unique_object,
)
from lab_rules.inputs.timeline import (
    EVENT_TYPES,
    READABLE_SCHEMAS,
    SCHEMA_ID,
    Person,
    Timeline,
)
from lab_rules.inputs.timeline_checks import (
    Collector,
    check_benefit_sequence,
    check_event,
    check_person,
    echo,
    event_checks,
    pointer_part,
)
from lab_rules.inputs.timeline_fields import FIELDS, optional_inner
from lab_rules.inputs.timeline_values import (
    MAX_DIGITS,
    Bad,
    Huge,
    converter,
    read_float,
    read_int,
)
from lab_rules.inputs.timeline_write import dumps_timeline, timeline_to_json

__all__ = [
    "EventReading",
    "dumps_timeline",
    "event_reading",
    "load_timeline",
    "loads_timeline",
    "parse_timeline",
    "timeline_of_read",
    "timeline_to_json",
]

_MISSING = object()


_PARSE: dict[type[Any], tuple[tuple[str, Any, bool, bool], ...]] = {
    cls: tuple((name, *optional_inner(tp), required) for name, tp, required in fields)
    for cls, fields in FIELDS.items()
}
"""Per class: (name, inner type, allows None, required), resolved once."""
_KNOWN: dict[type[Any], frozenset[str]] = {
    cls: frozenset(name for name, _, _ in fields) for cls, fields in FIELDS.items()
}
_TYPE_KEY = frozenset({"type"})
_KNOWN_WITH_TYPE: dict[type[Any], frozenset[str]] = {
    cls: known | _TYPE_KEY for cls, known in _KNOWN.items()
}

_CONVERT: dict[type[Any], tuple[tuple[str, Callable[[object], object], bool, bool], ...]] = {
    cls: tuple((name, converter(cls, name, inner), nullable, required)
               for name, inner, nullable, required in fields)
    for cls, fields in _PARSE.items()
}
"""Per class: (name, converter, allows None, required), built once."""
_BY_NAME: dict[type[Any], dict[str, tuple[Callable[[object], object], bool]]] = {
    cls: {name: (convert, nullable) for name, convert, nullable, _ in fields}
    for cls, fields in _CONVERT.items()
}
"""Per class: each field's converter and whether it allows None, by name."""
_REQUIRED: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(name for name, _, _, required in fields if required)
    for cls, fields in _CONVERT.items()
}
"""Per class: the required fields, in field order (the order their problems are listed)."""


def _parse_object(
    cls: type[Any], raw: object, path: str, out: Collector, *, skip: frozenset[str] = frozenset()
) -> Any:
    """Build an instance of attrs class *cls* from a JSON object, or None after problems."""
    if not isinstance(raw, dict):
        out.add(path, f"must be an object, got {echo(raw)}")
        return None
    known = _KNOWN[cls]
    ok = True
    if not (_KNOWN_WITH_TYPE[cls] if skip is _TYPE_KEY else known | skip).issuperset(raw):
        for key in raw:
            if key not in known and key not in skip:
                out.add(f"{path}/{pointer_part(key)}",
                        "unknown key" + _did_you_mean(key, known | skip))
                ok = False
    for name in _REQUIRED[cls]:
        if name not in raw:
            out.add(path, f'missing required key "{name}"')
            ok = False
    values: dict[str, object] = {}
    fields = _BY_NAME[cls]
    for name, value in raw.items():  # problems are sorted by their paths afterwards
        field = fields.get(name)
        if field is None:  # an unknown key (reported above) or a skipped one
            continue
        convert, nullable = field
        if value is None:
            if not nullable:
                out.add(f"{path}/{name}", "must not be null")
                ok = False
            else:
                values[name] = None
            continue
        value = (Bad(f"{value} has more digits than any field takes ({MAX_DIGITS})")
                 if type(value) is Huge else convert(value))
        if type(value) is Bad:
            out.add(f"{path}/{name}", value.message)
            ok = False
        else:
            values[name] = value
    return cls(**values) if ok else None


_LONGEST_KEY = 64
"""Keys longer than any known key by far get no suggestion (difflib is quadratic)."""


def _did_you_mean(key: object, known: Set[str]) -> str:
    if not isinstance(key, str) or len(key) > _LONGEST_KEY:
        return ""
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _document_order(problem: Problem) -> tuple[tuple[int, int | str], ...]:
    """Sort key: schema, person, then events by index (/events/2 before /events/10)."""
    parts = [part for part in problem.path.split("/") if part]
    top = {"schema": 0, "person": 1, "events": 2}.get(parts[0], 3) if parts else -1
    return ((0, top),
            *((0, int(p)) if p.isascii() and p.isdigit() else (1, p) for p in parts[1:]))


def _quick_reader(cls: type[Any], extra: frozenset[str]) -> Callable[[dict[Any, object]], Any]:
    """A reader of *cls* from a JSON object for :func:`_parse_quickly`: the instance, or None
    at the first sign of a problem (an unknown key beyond *extra*, a missing one, a null where
    the field allows none, a value its converter refuses, which every converter does for a
    :class:`Huge`). What it accepts it builds exactly as :func:`_parse_object` does, with
    the same converters, but it locates nothing."""
    converters = {name: convert for name, convert, _, _ in _CONVERT[cls]}
    nullable = frozenset(name for name, _, allows_none, _ in _CONVERT[cls] if allows_none)
    known = _KNOWN[cls] | extra
    required = frozenset(_REQUIRED[cls])

    def read(raw: dict[Any, object]) -> Any:
        keys = raw.keys()
        if not (keys <= known and keys >= required):
            return None
        values: dict[str, object] = {}
        for name, value in raw.items():
            convert = converters.get(name)
            if convert is None:  # a key of *extra*, read by the caller
                continue
            if value is None:
                if name not in nullable:
                    return None
            else:
                value = convert(value)
                if type(value) is Bad:
                    return None
            values[name] = value
        return cls(**values)
    return read


_TOP_KEYS = frozenset({"schema", "person", "events"})
_READ_PERSON = _quick_reader(Person, frozenset())
_READ_EVENT = {kind: _quick_reader(cls, _TYPE_KEY) for kind, cls in EVENT_TYPES.items()}
"""Per event type: its quick reader (its checks are in :data:`_CHECKED`)."""
_RUN_TYPES = frozenset({BenefitStarted, BenefitEnded})
"""The only events :func:`check_benefit_sequence` looks at (the quick reading's are of these
classes exactly)."""
_CHECKED = tuple((cls, checks) for cls in EVENT_TYPES.values() if (checks := event_checks(cls)))
"""The event classes with checks: :func:`_parse_quickly` runs each over its class's events
(only whether a problem was found counts there, not the order; the careful reading locates)."""

EventReading = tuple[type[Event], dict[str, Callable[[object], object]], frozenset[str]]
"""An event type's class, the converter of each of its fields, and its required fields."""
_READINGS: dict[str, EventReading] = {
    kind: (cls, {name: convert for name, convert, _, _ in _CONVERT[cls]},
           frozenset(_REQUIRED[cls])) for kind, cls in EVENT_TYPES.items()}


def event_reading(kind: str) -> EventReading | None:
    """How :func:`parse_timeline` reads an event of type *kind* (None for no event type): a
    reader that converts a value with the field's converter and builds the class from the
    values of an event with its required fields, and no value a converter refuses, builds
    the event :func:`parse_timeline` builds."""
    return _READINGS.get(kind)


def _parse_quickly(document: object, read: Sequence[Event] | None = None) -> Timeline | None:
    """The timeline of a document without a problem, or None.

    Most documents have no problem, and this reads them in about half the time of
    :func:`_parse_carefully`, which must locate every problem. It gives up (None) at the first
    sign of one, or of anything unusual (a subclass of dict, list or str where JSON has the
    class itself), and the careful reading then does the whole work. What it returns is what
    the careful reading returns: the same readers' checks, the same converters, the same
    checks of events and their order, only without paths. *read* are the document's events
    already read (:attr:`~lab_rules.inputs.eventlog_state.PersonRows.events`), checked here
    as if read here.
    """
    if type(document) is not dict or document.keys() != _TOP_KEYS:
        return None
    raw_person, raw_events = document["person"], document["events"]
    if (document["schema"] not in READABLE_SCHEMAS or type(raw_person) is not dict
            or type(raw_events) is not list):
        return None
    return _quick_timeline(raw_person, raw_events, read)


def timeline_of_read(raw_person: dict[Any, object], read: Sequence[Event]) -> Timeline | None:
    """What :func:`parse_timeline` gives a document of this schema (:data:`SCHEMA_ID`) with
    *raw_person* as its person and one event for each of *read*, the events already read
    (its *events*), when the document has no problem; None when it may have one (then
    :func:`parse_timeline` of the document locates it). The events' objects are not looked
    at, so a reader that has read the events need not build them."""
    if type(raw_person) is not dict:
        return None
    return _quick_timeline(raw_person, read, read)


def _quick_timeline(raw_person: dict[Any, object], raw_events: Sequence[object],
                    read: Sequence[Event] | None) -> Timeline | None:
    """:func:`_parse_quickly` of a document's person and events, once its shape is known."""
    person = _READ_PERSON(raw_person)
    if person is None:
        return None
    out = Collector(None)
    check_person(person, out)
    events = (list(read) if read is not None and len(read) == len(raw_events)
              else _read_events(raw_events))
    if events is None:
        return None
    check_benefit_sequence([p for p in enumerate(events) if type(p[1]) in _RUN_TYPES], out)
    timeline = Timeline.of(person, events)
    for cls, checks in _CHECKED:
        for check in checks:
            for event in timeline.of_type(cls):
                check(event, "", out)
    return None if out.problems else timeline


def _read_events(raw_events: Sequence[object]) -> list[Event] | None:
    """The events of a document read quickly (:func:`_parse_quickly`), or None."""
    events: list[Event] = []
    for raw in raw_events:
        if type(raw) is not dict:
            return None
        kind = raw.get("type")
        reader = _READ_EVENT.get(kind) if type(kind) is str else None
        if reader is None:
            return None
        event = reader(raw)
        if event is None:
            return None
        events.append(event)
    return events


def parse_timeline(document: object, *, source: str | None = None,
                   events: Sequence[Event] | None = None) -> Timeline:
    """Turn a decoded ``timeline/v1`` JSON document into a :class:`Timeline`.

    Raises :class:`TimelineError` listing every problem, each with its JSON Pointer. *events*
    are the document's events as a reader has already read them (one per event, in order:
    :attr:`~lab_rules.inputs.eventlog_state.PersonRows.events`), not read again.
    """
    timeline = _parse_quickly(document, events)
    return _parse_carefully(document, source) if timeline is None else timeline


def _parse_carefully(document: object, source: str | None) -> Timeline:
    """:func:`parse_timeline` value by value, collecting every problem with its path."""
    out = Collector(source)
    if not isinstance(document, dict):
        out.add("", f"a timeline must be a JSON object, got {echo(document)}")
        raise TimelineError(out.problems, subject=source or "timeline")
    for key in document:
        if key not in ("schema", "person", "events"):
            out.add(f"/{pointer_part(key)}",
                    "unknown key" + _did_you_mean(key, {"schema", "person", "events"}))
    if document.get("schema") not in READABLE_SCHEMAS:
        shown = echo(document["schema"]) if "schema" in document else "missing"
        out.add("/schema", f'must be "{SCHEMA_ID}" (or "{READABLE_SCHEMAS[0]}"), got {shown}')
    person = None
    if "person" not in document:
        out.add("", 'missing required key "person"')
    else:
        person = _parse_object(Person, document["person"], "/person", out)
        if person is not None:
            check_person(person, out)
    events: list[tuple[int, Event]] = []
    raw_events = document.get("events", _MISSING)
    if raw_events is _MISSING:
        out.add("", 'missing required key "events"')
    elif not isinstance(raw_events, list):
        out.add("/events", f"must be an array, got {echo(raw_events)}")
    else:
        for index, raw in enumerate(raw_events):
            path = f"/events/{index}"
            if not isinstance(raw, dict):
                out.add(path, f"an event must be an object, got {echo(raw)}")
                continue
            kind = raw.get("type")
            cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
            if cls is None:
                shown = "missing" if kind is None else echo(kind)
                out.add(f"{path}/type", f"unknown event type {shown}; expected one of: "
                        + ", ".join(EVENT_TYPES))
                continue
            event = _parse_object(cls, raw, path, out, skip=_TYPE_KEY)
            if event is not None:
                check_event(event, path, out)
                events.append((index, event))
        check_benefit_sequence(events, out)
    if out.problems or person is None:
        raise TimelineError(sorted(out.problems, key=_document_order), subject=source or "timeline")
    return Timeline.of(person, (event for _, event in events))


def loads_timeline(text: str | bytes, *, source: str | None = None) -> Timeline:
    """Parse ``timeline/v1`` JSON text. JSON syntax errors are located by line and column;
    a key given twice in an object, or a bare ``NaN`` or ``Infinity``, which Python's
    ``json`` reads but JSON does not allow (:mod:`lab_rules.inputs.json_strict`), by JSON
    Pointer."""
    try:
        document = json.loads(text, parse_float=read_float, parse_int=read_int,
                              object_pairs_hook=unique_object, parse_constant=refuse_constant)
    except NotStrictJsonError:
        problems = [Problem(pointer, message, source)
                    for pointer, message in strictness_problems(text)]
        raise TimelineError(problems, subject=source or "timeline") from None
    except json.JSONDecodeError as err:
        problem = Problem("", f"invalid JSON: {err.msg} (column {err.colno})", source, err.lineno)
        raise TimelineError([problem], subject=source or "timeline") from None
    except UnicodeDecodeError as err:
        problem = Problem("", f"not UTF-8 text: {err.reason}", source)
        raise TimelineError([problem], subject=source or "timeline") from None
    except RecursionError:
        problem = Problem("", "invalid JSON: nested too deeply to read", source)
        raise TimelineError([problem], subject=source or "timeline") from None
    return parse_timeline(document, source=source)


def load_timeline(path: str | Path) -> Timeline:
    """Read and parse a ``timeline/v1`` file. OSError propagates for unreadable paths."""
    data = Path(path).read_bytes()
    return loads_timeline(data, source=str(path))
