"""Rows of an event log from Arrow columns: typed cells converted once per distinct value, whole
runs of a person's rows handed to the person reader as events.

A chunk of rows arrives as an Arrow table (``person_id``, ``type`` and the field columns),
or as one table per event type (:class:`~lab_rules.inputs.eventlog_arrow_split.TypedTables`);
either way its rows are taken in order of type
(:class:`~lab_rules.inputs.eventlog_arrow_split.TypeSlices`). Per event type, each field's
column is dictionary-encoded and every distinct value goes through the same cell converter
the Python reader uses (:mod:`lab_rules.inputs.row_types`), so a cell's value is by
construction the one ``convert_row`` gives; the events are then built from the converted
columns. A row is *fast* when its type is known, it holds only that type's
fields, and every cell converts; a run of a person's rows is handed over whole
(:meth:`~lab_rules.inputs.eventlog_state.PersonReader.run`) when every row of it is fast and
it holds at most one person row. Every other row (a cell no spelling fits, an unknown type or
field, a second person row, a row without a person) is rebuilt exactly as the Python reader
reads it and fed row by row, so its located problems are the Python reader's.

Asked for them (``Known(events=True)``), it also reads each clean run's events as
:func:`~lab_rules.inputs.timeline_json.parse_timeline` reads them, each distinct cell once with
the same converters (:func:`~lab_rules.inputs.timeline_json.event_reading`), and hands them
over with the run (:attr:`~lab_rules.inputs.eventlog_state.PersonRows.events`), so the parser
only checks them; a run with an event it would not read that way is handed over without. The
rows of a run handed over with its events are handed over unbuilt
(:class:`~lab_rules.inputs.eventlog_arrow_cells.ChunkCells`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import compress, groupby, repeat
from operator import is_, itemgetter
from typing import Any, NamedTuple, cast

import attrs

from lab_rules.inputs.eventlog_arrow_cells import (
    MISSING,
    BuiltRows,
    ChunkCells,
    RowsBlock,
    dicts,
    without,
)
from lab_rules.inputs.eventlog_arrow_split import (
    TypedTables,
    TypeSlices,
    sorted_by_type,
)
from lab_rules.inputs.eventlog_state import PersonReader, PersonRows
from lab_rules.inputs.events import Event
from lab_rules.inputs.events_bulk import built
from lab_rules.inputs.row_types import (
    PERSON_FIELDS,
    PERSON_ROW,
    Converter,
    Row,
    convert_row,
    field_converter,
)
from lab_rules.inputs.timeline import EVENT_TYPES
from lab_rules.inputs.timeline_fields import FIELDS
from lab_rules.inputs.timeline_json import EventReading, event_reading
from lab_rules.inputs.timeline_values import Bad

__all__ = ["Known", "feed_chunk"]

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


_FACTORY: type[object] = type(attrs.Factory(list))


def _field_order(kind: str) -> tuple[tuple[str, object], ...]:
    """The init fields of event type *kind*'s class in order, each with the value it takes
    when its cell is missing: its default, or bad (a required field, or one without a plain
    default, which the parser would not build without)."""
    reading = event_reading(kind)
    assert reading is not None
    cls, _, required = reading
    order: list[tuple[str, object]] = []
    for field in attrs.fields(cls):
        plain = field.default is not attrs.NOTHING and not isinstance(field.default, _FACTORY)
        if field.init:
            order.append((field.name, field.default if plain and field.name not in required
                          else _BAD))
    return tuple(order)


_FIELD_ORDER = {kind: _field_order(kind) for kind in EVENT_TYPES}


def _distinct(column: Any) -> tuple[list[object], list[int]]:
    """The column's distinct values (a null among them as None) and each row's index into
    them. Floats are told apart by their spelling, so ``-0.0`` is not ``0.0``. Nulls are
    encoded as a value, not filled in with an index: filling takes a scalar made from a Python
    value, and the first such makes pyarrow import pandas (~0.15 s CPU)."""
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
    encoded = pc.dictionary_encode(column.combine_chunks(), null_encoding="encode")
    return encoded.dictionary.to_pylist(), encoded.indices.to_pylist()


_Seen = dict[tuple[type[object], object], object]


def _seen(cache: dict[Any, _Seen], convert: object) -> _Seen:
    """The values *convert* has converted so far (at most :data:`_KEPT`)."""
    seen = cache.setdefault(convert, {})
    if len(seen) > _KEPT:
        seen.clear()
    return seen


def _key(value: object) -> tuple[type[object], object]:
    """A value as a cache key: plain values as themselves, others by spelling (``1.0`` and
    ``1.00`` are equal decimals, written apart)."""
    return (type(value), value if type(value) in _PLAIN else repr(value))


class Known:
    """The values already converted in this read, per converter (at most :data:`_KEPT`
    each; None for the fields a row type does not have), so a date or an amount met again,
    in any field of any row type with the same converter, is looked up, not converted
    again: :func:`convert_row` gives a cell the same value for every such field. With
    *events*, the reader also reads each clean run's events (see the module), each field's
    values through the same kind of cache, per timeline converter."""

    def __init__(self, events: bool = False) -> None:
        self.events = events
        self.values: dict[Converter | None, _Seen] = {}
        self.read_values: dict[Converter, _Seen] = {}

    def converted(self, kind: str, name: str, values: list[object]) -> list[object]:
        """Each distinct value of field *name* of a *kind* row as :func:`convert_row` turns
        it: the value, missing, or bad (a problem, or a field *kind* does not have); then
        missing, for nulls."""
        convert = field_converter(kind, name)
        field = convert is not None
        seen = _seen(self.values, convert)
        out: list[object] = []
        for value in values:
            key = _key(value)
            found = seen.get(key, _UNSEEN)
            if found is _UNSEEN:
                converted, problems = convert_row({"type": kind, name: value})
                if name not in converted and not problems:
                    found = MISSING
                elif problems or not field:
                    found = _BAD
                else:
                    found = converted[name]
                seen[key] = found
            out.append(found)
        out.append(MISSING)
        return out

    def read(self, convert: Converter, converted: list[object]) -> list[object]:
        """Each of *converted* (:meth:`converted`'s values) as the timeline converter
        *convert* reads it: the value, or bad where it refuses it; missing stays missing."""
        seen = _seen(self.read_values, convert)
        out: list[object] = []
        for value in converted:
            if value is not MISSING and value is not _BAD:
                key = _key(value)
                found = seen.get(key, _UNSEEN)
                if found is _UNSEEN:
                    found = convert(value)
                    seen[key] = found = _BAD if type(found) is Bad else found
                value = found
            out.append(value)
        return out


_Cells = tuple[object, ...]


def _pick(values: list[object], index: list[int]) -> _Cells:
    """Each row's value: ``values[i]`` for each ``i`` of *index*."""
    return itemgetter(*index)(values) if len(index) > 1 else (values[index[0]],)


def _bad_cells(values: list[object], cells: _Cells) -> Iterable[int]:
    """The numbers of the rows whose cell is bad, where one of the distinct *values* is."""
    if not any(map(is_, values, repeat(_BAD))):
        return ()
    return compress(range(len(cells)), map(is_, cells, repeat(_BAD)))


def _typed_rows(table: Any, kind: str, known: Known
                ) -> tuple[RowsBlock, list[Event | None] | None]:
    """The rows of *table* (all of type *kind*) converted, with the rows that are not fast;
    and when *known* reads events, the rows' events as the timeline parser reads them, None
    for a row it would not read so (or that is not fast)."""
    size = table.num_rows
    reading = event_reading(kind) if known.events else None
    keys: list[str] = ["type"]
    columns: list[_Cells] = [(kind,) * size]
    gapped: set[str] = set()
    slow: set[int] = set()
    present: dict[str, tuple[list[int], list[object]]] = {}
    for name in table.column_names:
        column = table.column(name)
        if name in ("type", "person_id") or column.null_count == size:
            continue
        distinct, index = _distinct(column)
        converted = known.converted(kind, name, distinct)
        cells = _pick(converted, index)
        slow.update(_bad_cells(converted, cells))
        if column.null_count or any(map(is_, converted[:-1], repeat(MISSING))):
            gapped.add(name)
        keys.append(name)
        columns.append(cells)
        present[name] = (index, converted)
    rows = RowsBlock(keys, columns, gapped, slow)
    if reading is None:
        return rows, None
    return rows, _events(kind, reading, present, slow, size, known)


def _events(kind: str, reading: EventReading, present: dict[str, tuple[list[int], list[object]]],
            slow: set[int], size: int, known: Known) -> list[Event | None]:
    """The rows' events (all of type *kind*) as the timeline parser reads them, built from
    the columns of their fields in the class's order, a missing optional field as its default
    (as the parser builds them, leaving it out); None for a row that is not fast, lacks a
    required field or has a value the parser refuses. *present* are the converted columns
    (each row's index into the column's converted distinct values, which end in the value for
    a null that :func:`_distinct` never points to, being given the null among them)."""
    cls, converters, _ = reading
    columns: list[Iterable[object]] = []
    unread = set(slow)
    for name, default in _FIELD_ORDER[kind]:
        found = present.get(name)
        if found is None:
            if default is _BAD:
                return [None] * size
            columns.append(repeat(default, size))
            continue
        index, converted = found
        values = [default if value is MISSING else value
                  for value in known.read(converters[name], converted[:-1])]
        cells = _pick(values, index)
        unread.update(_bad_cells(values, cells))
        columns.append(cells)
    events = cast(list[Event | None], built(cls, columns, size))
    for number in unread:
        events[number] = None
    return events


class _Marks(NamedTuple):
    """Where a chunk's rows stand out, each a sorted list of row numbers: the rows that are
    not fast, the person rows, and the rows without an event read (person rows among them),
    so a run of rows is judged by counting in a range, not by looking at each row."""

    slow: list[int]
    persons: list[int]
    unread: list[int]


def _nones(values: list[Any]) -> list[int]:
    """The numbers of the items of *values* that are None, in order."""
    return list(compress(range(len(values)), map(is_, values, repeat(None))))


def _rows(slices: TypeSlices | None, size: int, known: Known
          ) -> tuple[BuiltRows | ChunkCells, list[Event | None], _Marks]:
    """Every row of a chunk of *size* rows (*slices*: in order of type; None when no row is
    fast) converted as :func:`convert_row` does (built, or unbuilt when *known* reads
    events); every row's event read (when *known* reads them), else None; and where the rows
    that are not fast, the person rows and the rows without an event are."""
    out: list[Any] = [None] * size
    events: list[Event | None] = [None] * size
    everything = list(range(size))
    if slices is None:
        return BuiltRows(out), events, _Marks(everything, [], everything)
    positions = slices.positions
    person_rows: list[int] = []
    blocks: list[tuple[int, RowsBlock]] = []
    for kind, first, part in slices.parts:
        if type(kind) is not str or kind not in _KNOWN:
            continue
        last = first + part.num_rows
        block, read = _typed_rows(part, kind, known)
        if known.events and kind != PERSON_ROW:
            blocks.append((first, block))
            deque(map(out.__setitem__, positions[first:last], repeat(True)), maxlen=0)
            for number in block.slow:
                out[positions[first + number]] = None
        else:
            deque(map(out.__setitem__, positions[first:last], dicts(block)), maxlen=0)
        if read is not None:
            deque(map(events.__setitem__, positions[first:last], read), maxlen=0)
        if kind == PERSON_ROW:
            person_rows = sorted(positions[first:last])
    rows = ChunkCells(out, positions, blocks) if known.events else BuiltRows(out)
    return rows, events, _Marks(_nones(out), person_rows, _nones(events))


def _facts(row: dict[str, object]) -> dict[str, object]:
    return dict(sorted(((k, v) for k, v in row.items() if k != "type"),
                       key=lambda item: _PERSON_ORDER[item[0]]))


def _among(numbers: list[int], start: int, end: int) -> int:
    """How many of the sorted *numbers* lie in ``start..end-1``."""
    return bisect_left(numbers, end) - bisect_left(numbers, start)


def feed_chunk(reader: PersonReader, known: Known, table: Any, persons: list[str | None],
               first_line: int, upto: int, slow_row: Callable[[int], Row]
               ) -> Iterator[PersonRows]:
    """Rows ``0..upto-1`` of *table* (the rows from *first_line*, *persons* their person ids)
    into *reader*: whole runs of fast rows at once (a run with at most one person row), every
    other row as *slow_row* builds it. *table* is an Arrow table, or a block parsed one type
    at a time (:class:`~lab_rules.inputs.eventlog_arrow_split.TypedTables`)."""
    slices = (table.upto(upto) if isinstance(table, TypedTables)
              else sorted_by_type(table.slice(0, upto)))
    values, read, marks = _rows(slices, upto, known)
    end = 0
    for person, run in groupby(persons[:upto]):
        start, end = end, end + sum(1 for _ in run)
        owners = _among(marks.persons, start, end)
        if (person is None or person == reader.current_id or owners > 1
                or _among(marks.slow, start, end)):
            for number in range(start, end):
                yield from reader.row(slow_row(number))
            continue
        own = marks.persons[bisect_left(marks.persons, start)] if owners else None
        facts = {} if own is None else _facts(values.row(own))
        whole = known.events and _among(marks.unread, start, end) == owners
        prepared = cast(list[Event], without(read, own, start, end)) if whole else None
        rows = (partial(values.rows, start, end, own) if whole
                else values.rows(start, end, own))
        yield from reader.run(person, first_line + start, end - start, rows, facts,
                              None if own is None else first_line + own, prepared)
