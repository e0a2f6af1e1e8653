"""The fields of the ``timeline/v1`` format, read once from the attrs classes.

The attrs classes of :mod:`lab_rules.inputs.timeline` (a person and the event classes) are
the single description of the format. This table of their fields and resolved types, with the
pattern a decimal string must match, is what the parser and serialiser
(:mod:`lab_rules.inputs.timeline_json`) and the JSON Schema
(:mod:`lab_rules.inputs.timeline_schema`) are all built from, so the three cannot disagree.

It also holds the supported ranges, so that what ``validate`` accepts can be evaluated: dates
of events from 1990 to 2100 (the rule packs start in the 2000s; a year beyond the range is a
typing error, and adding a rule's durations to it must stay far inside ``date.max``), birth
dates from 1900, and money below a bound no benefit payment comes near. They are technical
bounds of the input, not figures of law. ``9999-12-31``, the way case systems write "no end",
is read as an open end (None) wherever an event's end is optional.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Any

import attrs

from lab_rules.inputs.timeline import EVENT_TYPES, Person

__all__ = [
    "DECIMAL_RE",
    "FIELDS",
    "FIRST_BIRTH_DAY",
    "FIRST_DAY",
    "HOURS_PER_DAY",
    "LAST_DAY",
    "MAX_AMOUNT",
    "MAX_INTEGER",
    "OPEN_END",
    "OPEN_ENDS",
    "date_range_of",
    "optional_inner",
    "supported_day",
]

DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")

FIRST_YEAR = 1990
LAST_YEAR = 2100
FIRST_BIRTH_YEAR = 1900
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
"""The first day an event (or ``--as-of``) may fall on."""
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
"""The last day an event (or ``--as-of``) may fall on."""
FIRST_BIRTH_DAY = dt.date(FIRST_BIRTH_YEAR, 1, 1)
"""The first birth date accepted (a person born before it would be past any benefit age)."""
OPEN_END = dt.date.max
"""``9999-12-31``: "no end" in case systems; read as None where an event's end is optional."""
MAX_AMOUNT = 10_000_000
"""The largest amount or monthly rate in kroner one payment may carry (a benefit payment is
below 100,000 kr.; the bound keeps sums of a life's payments exact and printable)."""
MAX_INTEGER = 2**31 - 1
"""The largest whole number a field takes (a visitation category, a count of days)."""
HOURS_PER_DAY = 24
"""Hours in a day: no period holds more hours of work or benefit than 24 for each of its days."""
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

OPEN_ENDS: frozenset[tuple[str, str]] = frozenset({
    ("exemption", "end"),
    ("strict_sanction", "end"),
    ("refusal", "ended_on"),
    ("registration_missing", "resolved_on"),
    ("sdp_cessation", "resumed_on"),
    ("booking_missed", "booked_on"),
    ("job_suggestions_missed", "checked_on"),
})
"""(event type, field): optional ends of a state, where ``9999-12-31`` means "still running"."""


def date_range_of(cls: type[Any], name: str) -> tuple[dt.date, dt.date]:
    """The first and last day field *name* of *cls* accepts."""
    return (FIRST_BIRTH_DAY if cls is Person and name == "birth_date" else FIRST_DAY, LAST_DAY)


def supported_day(text: str) -> dt.date:
    """The day *text* names, written exactly ``YYYY-MM-DD`` and from :data:`FIRST_DAY` to
    :data:`LAST_DAY`: the one reading of a day given on the command line (``--as-of``,
    ``law:DATE``) or in a query. Python 3.11's ``date.fromisoformat`` alone would also take
    ``20240601`` and ``2024-W01-1``, which the format does not name. Raises ValueError saying
    which of the two it is not."""
    if _ISO_DAY.fullmatch(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if not FIRST_DAY <= day <= LAST_DAY:
                raise ValueError(f"{text} is outside the supported range {FIRST_DAY} to "
                                 f"{LAST_DAY}")
            return day
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")


def _field_types(cls: type[Any]) -> tuple[tuple[str, Any, bool], ...]:
    """(name, resolved type, required) for every attrs field of *cls*."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, hints[f.name], f.default is attrs.NOTHING) for f in attrs.fields(cls)
    )


_CLASSES: tuple[type[Any], ...] = (Person, *EVENT_TYPES.values())
FIELDS: dict[type[Any], tuple[tuple[str, Any, bool], ...]] = {
    cls: _field_types(cls) for cls in _CLASSES
}


def optional_inner(tp: Any) -> tuple[Any, bool]:
    """(inner type, allows None) for ``X | None``; (tp, False) otherwise."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0], True
    return tp, False
