"""Typed cells of an event-log row: one converter per field, built from the ``timeline/v1``
field table, the same for JSON Lines, CSV and Parquet.

Every format spells values its own way: a CSV cell is text (``"2"``, ``"True"``, ``"1.0"``),
pandas writes integer columns with gaps as floats (``2.0``) and booleans as ``True``/``False``,
Parquet carries dates as Arrow dates or timestamps, JSON numbers like ``1234.50`` are numbers.
:func:`convert_row` turns each cell of a row into the value ``timeline/v1`` JSON holds for its
field (an integer, a boolean, a decimal, a ``YYYY-MM-DD`` date, text), so one parser
(:func:`lab_rules.inputs.timeline_json.parse_timeline`) checks every format alike. An empty
cell, ``null`` and a NaN (how pandas writes a gap in CSV and Parquet; a bare ``NaN`` in JSON
Lines is no JSON and refused before this) are a missing value. A cell that no spelling fits
is a problem of the row, named by field; fields of unknown event types and unknown fields are
passed on unchanged for the timeline parser to report.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import attrs

from lab_rules.inputs.timeline import EVENT_TYPES, Person
from lab_rules.inputs.timeline_checks import echo
from lab_rules.inputs.timeline_fields import DECIMAL_RE, FIELDS, optional_inner

__all__ = ["DATE_PATTERN", "FALSE_TEXTS", "PERSON_FIELDS", "PERSON_ROW", "TRUE_TEXTS",
           "WHOLE_PATTERN", "Converter", "ReadProgress", "Row", "convert_row",
           "field_converter", "has_surrogate", "is_missing", "person_id_of"]

PERSON_ROW = "person"
"""The ``type`` of the row that carries a person's facts rather than an event."""

PERSON_FIELDS: tuple[str, ...] = tuple(name for name, _, _ in FIELDS[Person] if name != "id")

_MAX_DIGITS = 30
"""A technical bound on the digits of a number cell (whole or decimal), so a 4,300-digit
integer or ``1e999999999`` is a problem of its row instead of a crash or a huge string."""

WHOLE_PATTERN = rf"^[+-]?[0-9]{{1,{_MAX_DIGITS}}}(\.0*)?$"
"""A whole number written as text (``2``, ``2.0``); also the event-log schema's pattern."""
DATE_PATTERN = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})([T ]00:00(:00(\.0+)?)?Z?)?$"
"""A date written as text: ``YYYY-MM-DD``, or a midnight timestamp of that day."""
_WHOLE_RE = re.compile(WHOLE_PATTERN, re.ASCII)
_DATE_RE = re.compile(DATE_PATTERN, re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: what a ``\\ud800`` JSON escape or an undecodable byte leaves in text."""
TRUE_TEXTS = ("true", "True", "TRUE", "1", "1.0")
FALSE_TEXTS = ("false", "False", "FALSE", "0", "0.0")
_TRUE = frozenset(TRUE_TEXTS)
_FALSE = frozenset(FALSE_TEXTS)

Converter = Callable[[object], object]


class BadCellError(Exception):
    """A cell no spelling of its field's type fits; the message names the value."""


def has_surrogate(text: str) -> bool:
    """Whether *text* holds a lone surrogate, which no UTF-8 output can write."""
    return _SURROGATE.search(text) is not None


def is_missing(value: object) -> bool:
    """An empty or blank cell, ``null`` or a float NaN: the field is absent."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    return False


def _finite(value: float | Decimal) -> Decimal:
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if (not number.is_finite() or number.adjusted() >= _MAX_DIGITS
            or int(number.as_tuple().exponent) < -_MAX_DIGITS):
        raise BadCellError(f"{echo(str(value))} is not a usable number")
    return number


def _to_int(raw: object) -> object:
    if isinstance(raw, bool):
        raise BadCellError(f"{echo(raw)} must be a whole number")
    if isinstance(raw, int):
        if abs(raw) >= 10 ** _MAX_DIGITS:
            raise BadCellError(f"a whole number with more than {_MAX_DIGITS} digits")
        return raw
    if isinstance(raw, float | Decimal):
        number = _finite(raw)
        if number == number.to_integral_value():
            return int(number)
    if isinstance(raw, str) and _WHOLE_RE.match(raw.strip()):
        return int(raw.strip().split(".")[0])
    raise BadCellError(f"{echo(raw)} must be a whole number")


def _to_bool(raw: object) -> object:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float | Decimal) and raw in (0, 1):
        return raw == 1
    if isinstance(raw, str):
        text = raw.strip()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise BadCellError(f"{echo(raw)} must be true or false (also True/False, 1/0, 1.0/0.0)")


def _to_decimal(raw: object) -> object:
    if isinstance(raw, int) and not isinstance(raw, bool):
        if abs(raw) >= 10 ** _MAX_DIGITS:
            raise BadCellError(f"a number with more than {_MAX_DIGITS} digits")
        return Decimal(raw)
    if isinstance(raw, float | Decimal):
        return _finite(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) <= 2 * _MAX_DIGITS and DECIMAL_RE.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                pass
    raise BadCellError(f"{echo(raw)} must be a decimal number such as 1234.50")


def _to_date(raw: object) -> object:
    if type(raw) is str and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            date.fromisoformat(raw)
        except ValueError:
            pass
        else:
            return raw
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, str):
        found = _DATE_RE.match(raw.strip())
        if found:
            try:
                return date.fromisoformat(found.group(1)).isoformat()
            except ValueError:
                pass
    raise BadCellError(f"{echo(raw if isinstance(raw, str | int | float | bool) else str(raw))} "
                  "is not a valid date (expected YYYY-MM-DD)")


def _to_text(raw: object) -> object:
    if type(raw) is str:
        return raw
    raise BadCellError(f"{echo(raw if isinstance(raw, int | float | bool) else str(raw))} "
                  "must be text")


def _converter(tp: Any) -> Converter:
    inner, _ = optional_inner(tp)
    simple: dict[Any, Converter] = {int: _to_int, bool: _to_bool, Decimal: _to_decimal,
                                    date: _to_date, str: _to_text}
    if inner in simple:
        return simple[inner]
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return _to_text
    raise TypeError(f"no cell converter for {tp!r}")  # pragma: no cover


_NONE: Mapping[str, Converter] = {}
_CONVERTERS: Mapping[str, Mapping[str, Converter]] = {
    **{name: {field: _converter(tp) for field, tp, _ in FIELDS[cls]}
       for name, cls in EVENT_TYPES.items()},
    PERSON_ROW: {field: _converter(tp) for field, tp, _ in FIELDS[Person] if field != "id"},
}


_KEPT = 1 << 16
_TEXTS: dict[Converter, dict[str, object]] = {
    convert: {} for convert in (_to_int, _to_bool, _to_decimal, _to_date)}
"""Per converter, what it made of each text met lately (at most :data:`_KEPT`): a date or
an amount recurs over a log's rows, and a lookup costs a fraction of a conversion (the
converters are pure, and a text they refuse is not kept, so it is refused again)."""


def field_converter(kind: str, name: str) -> Converter | None:
    """The converter of field *name* of a *kind* row, None for a field *kind* does not have:
    :func:`convert_row` gives a cell the same value for every field with the same converter,
    so a reader may convert a value once for all of them."""
    return _CONVERTERS.get(kind, _NONE).get(name)


def convert_row(row: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """The row (without ``person_id``) with every present cell converted for its field, and
    the problems (``field: message``) of cells that could not be. Missing cells are dropped."""
    kind = row.get("type")
    converters = _CONVERTERS.get(kind, _NONE) if type(kind) is str else _NONE
    values: dict[str, object] = {}
    problems: list[str] = []
    for key, value in row.items():
        convert = converters.get(key)
        if type(value) is str:
            if not value or value.isspace():
                continue
            if convert is None or convert is _to_text:
                values[key] = value
                continue
            seen = _TEXTS[convert]
            found = seen.get(value)
            if found is not None:
                values[key] = found
                continue
            try:
                values[key] = found = convert(value)
            except BadCellError as err:
                problems.append(f"{key}: {err}")
                continue
            if len(seen) >= _KEPT:
                seen.clear()
            seen[value] = found
            continue
        elif value is None or is_missing(value):
            continue
        elif convert is None:
            values[key] = value
            continue
        try:
            values[key] = convert(value)
        except BadCellError as err:
            problems.append(f"{key}: {err}")
    return values, problems


def person_id_of(value: object) -> str | None:
    """A row's person id as text: text, or a whole number (Parquet and pandas write numeric
    ids as integers, or floats when some are missing); None when absent or unusable. Text read
    with undecodable bytes or escapes is checked by the caller (:func:`has_surrogate`)."""
    if type(value) is str:
        return value if value and not value.isspace() else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        try:
            whole = _to_int(value)
        except BadCellError:
            return None
        return str(whole)
    return None


class Row(NamedTuple):
    """One row of an event log as read: its line (or Parquet row) number, its person id when
    one could be read, its cells (``person_id`` removed, not yet converted) or the problem that
    kept them from being read. ``size`` is how many rows of the file it stands for (more than
    one only for an unreadable Parquet block); ``taints_next`` marks a block whose persons are
    unknown, so the person after it may have lost rows too."""

    line: int
    person: str | None
    cells: dict[str, object] | None
    problem: str | None = None
    size: int = 1
    taints_next: bool = False


@attrs.define
class ReadProgress:
    """How far a reader has come through a log, and what became of its rows.

    ``read`` and ``total`` are for an ETA: bytes of a JSON Lines or CSV file, rows of a Parquet
    file. ``rows_read`` counts the rows met (blank lines are not rows); after a complete read
    ``rows_read == rows_used + rows_quarantined``, where ``rows_used`` are the rows of persons
    yielded with a document and ``rows_quarantined`` those of persons held back and of rows that
    belong to no person (:attr:`PersonRows.rows` gives the split per person)."""

    read: int = 0
    total: int | None = None
    rows_read: int = 0
    rows_used: int = 0
    rows_quarantined: int = 0
    named: set[str] | None = None
    """When set to a set, the reader's first pass adds every person it names, a damaged row's
    too: the batch's pieces compare them, so that a person named in two pieces is read in one
    pass (and held back as the one pass holds it), not evaluated from one piece's rows."""
