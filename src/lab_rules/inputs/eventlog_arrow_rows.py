"""Rows of an event log from Arrow columns: typed cells converted once per distinct value, whole
runs of a person's rows handed to the person reader as events.

A chunk of rows arrives as an Arrow table (``person_id``, ``type`` and the field columns).
Per event type, each field's column is dictionary-encoded and every distinct value goes
through the same cell converter the Python reader uses (:mod:`lab_rules.inputs.row_types`),
so a cell's value is by construction the one ``convert_row`` gives; the events are then built
from the converted columns. A row is *fast* when its type is known, it holds only that type's
fields, and every cell converts; a run of a person's rows is handed over whole
(:meth:`~lab_rules.inputs.eventlog_state.PersonReader.run`) when every row of it is fast and
it holds at most one person row. Every other row (a cell no spelling fits, an unknown type or
field, a second person row, a row without a person) is rebuilt exactly as the Python reader
reads it and fed row by row, so its located problems are the Python reader's.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterator
from functools import partial
from itertools import groupby
from operator import itemgetter
from typing import Any

from lab_rules.inputs.eventlog_state import PersonReader, PersonRows
from lab_rules.inputs.row_types import (
    PERSON_FIELDS,
    PERSON_ROW,
    Converter,
    Row,
    convert_row,
    field_converter,
    person_id_of,
)
from lab_rules.inputs.timeline import EVENT_TYPES
from lab_rules.inputs.timeline_fields import FIELDS

__all__ = ["Known", "feed_chunk", "person_ids"]

_MISSING = object()
_BAD = object()
_UNSEEN = object()
_KEPT = 1 << 16
_PLAIN = (str, int, bool)
"""Values looked up as themselves; any other (a decimal, a float, a date) by its spelling."""
_KNOWN: dict[str, frozenset[str]] = {
    **{kind: frozenset(name for name, _, _ in FIELDS[cls]) for kind, cls in EVENT_TYPES.items()},
    PERSON_ROW: frozenset(PERSON_FIELDS),
}
"""The fields of every row type; a cell of any other column makes its row slow."""
_PERSON_ORDER = {name: index for index, name in enumerate(PERSON_FIELDS)}


def person_ids(column: Any) -> list[str | None]:
    """Each row's person id as the Python reader reads it (text, or a whole number as text);
    None where it reads none."""
    import pyarrow as pa

    kind = column.type
    values = column.to_pylist()
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return [v if v and not v.isspace() else None for v in values]
    if pa.types.is_integer(kind):
        return [None if v is None else str(v) for v in values]
    return [person_id_of(v) for v in values]


def _distinct(column: Any) -> tuple[list[object], list[int]]:
    """The column's distinct values and each row's index into them (nulls: one past the
    end). Floats are told apart by their spelling, so ``-0.0`` is not ``0.0``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_floating(column.type):
        places: dict[str, int] = {}
        values: list[object] = []
        index: list[int] = []
        for value in column.to_pylist():
            key = "" if value is None else repr(value)
            if key not in places:
                places[key] = len(values)
                values.append(value)
            index.append(places[key])
        return values, index
    encoded = pc.dictionary_encode(column.combine_chunks())
    values = encoded.dictionary.to_pylist()
    return values, encoded.indices.fill_null(len(values)).to_pylist()


class Known:
    """The values already converted in this read, per converter (at most :data:`_KEPT`
    each; None for the fields a row type does not have), so a date or an amount met again,
    in any field of any row type with the same converter, is looked up, not converted
    again: :func:`convert_row` gives a cell the same value for every such field."""

    def __init__(self) -> None:
        self.values: dict[Converter | None,
                          dict[tuple[type[object], object], object]] = {}

    def converted(self, kind: str, name: str, values: list[object]) -> list[object]:
        """Each distinct value of field *name* of a *kind* row as :func:`convert_row` turns
        it: the value, missing, or bad (a problem, or a field *kind* does not have); then
        missing, for nulls."""
        convert = field_converter(kind, name)
        field = convert is not None
        seen = self.values.setdefault(convert, {})
        if len(seen) > _KEPT:
            seen.clear()
        out: list[object] = []
        for value in values:
            key = (type(value), value if type(value) in _PLAIN else repr(value))
            found = seen.get(key, _UNSEEN)
            if found is _UNSEEN:
                converted, problems = convert_row({"type": kind, name: value})
                if name not in converted and not problems:
                    found = _MISSING
                elif problems or not field:
                    found = _BAD
                else:
                    found = converted[name]
                seen[key] = found
            out.append(found)
        out.append(_MISSING)
        return out


def _typed_rows(table: Any, kind: str, known: Known) -> list[dict[str, object] | None]:
    """The rows of *table* (all of type *kind*) converted; None for a row that is not
    fast."""
    size = table.num_rows
    keys: list[str] = ["type"]
    columns: list[tuple[object, ...]] = [(kind,) * size]
    gaps: list[tuple[str, tuple[object, ...]]] = []
    slow: set[int] = set()
    for name in table.column_names:
        column = table.column(name)
        if name in ("type", "person_id") or column.null_count == size:
            continue
        distinct, index = _distinct(column)
        converted = known.converted(kind, name, distinct)
        cells = itemgetter(*index)(converted) if size > 1 else (converted[index[0]],)
        if any(value is _BAD for value in converted):
            slow.update(number for number, value in enumerate(cells) if value is _BAD)
        if column.null_count or any(value is _MISSING for value in converted[:-1]):
            gaps.append((name, cells))
        keys.append(name)
        columns.append(cells)
    rows: list[dict[str, object] | None] = list(map(dict, map(partial(zip, keys),
                                                              zip(*columns, strict=True))))
    for name, cells in gaps:
        for row, value in zip(rows, cells, strict=True):
            if value is _MISSING and row is not None:
                del row[name]
    for number in slow:
        rows[number] = None
    return rows


def _rows(table: Any, known: Known) -> list[dict[str, object] | None]:
    """Every row of *table* converted as :func:`convert_row` does; None for a row that is not
    fast. The rows are put in order of type once, so each type's rows are one slice."""
    import pyarrow as pa
    import pyarrow.compute as pc

    size = table.num_rows
    out: list[dict[str, object] | None] = [None] * size
    if "type" not in table.column_names or not pa.types.is_string(
            table.schema.field("type").type):
        return out
    table = table.select([name for name in table.column_names
                          if table.column(name).null_count < size])
    if "type" not in table.column_names:
        return out
    encoded = pc.dictionary_encode(table.column("type").combine_chunks())
    codes = encoded.indices.fill_null(-1)
    order = pc.sort_indices(codes)
    ordered = table.take(order)
    positions = order.to_pylist()
    sorted_codes = codes.take(order).to_pylist()
    for code, kind in enumerate(encoded.dictionary.to_pylist()):
        if type(kind) is not str or kind not in _KNOWN:
            continue
        first, last = bisect_left(sorted_codes, code), bisect_right(sorted_codes, code)
        converted = _typed_rows(ordered.slice(first, last - first), kind, known)
        deque(map(out.__setitem__, positions[first:last], converted), maxlen=0)
    return out


def _facts(row: dict[str, object]) -> dict[str, object]:
    return dict(sorted(((k, v) for k, v in row.items() if k != "type"),
                       key=lambda item: _PERSON_ORDER[item[0]]))


def feed_chunk(reader: PersonReader, known: Known, table: Any, persons: list[str | None],
               first_line: int, upto: int, slow_row: Callable[[int], Row]
               ) -> Iterator[PersonRows]:
    """Rows ``0..upto-1`` of *table* (the rows from *first_line*, *persons* their person ids)
    into *reader*: whole runs of fast rows at once, every other row as *slow_row* builds
    it."""
    values = _rows(table.slice(0, upto), known)
    for person, run in groupby(range(upto), key=persons.__getitem__):
        numbers = list(run)
        events: list[dict[str, object]] = []
        facts: dict[str, object] | None = None
        fast = person is not None and person != reader.current_id
        for number in numbers if fast else ():
            row = values[number]
            if row is None or (row["type"] == PERSON_ROW and facts is not None):
                fast = False
                break
            if row["type"] == PERSON_ROW:
                facts = _facts(row)
            else:
                events.append(row)
        if fast and person is not None:
            yield from reader.run(person, first_line + numbers[0], len(numbers), events,
                                  facts or {})
        else:
            for number in numbers:
                yield from reader.row(slow_row(number))
