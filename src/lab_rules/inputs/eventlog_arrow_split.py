"""A JSON Lines block parsed by pyarrow one event type at a time, and a chunk's rows in order of
type.

pyarrow builds a column for every field any line of a block has, and a row without the field
gets a null in it: a block of many event types is mostly nulls, and appending them is about
half of ``read_json``'s work. :func:`by_type` guesses each line's type from its text (the
first ``"type": "..."`` in it), parses each type's lines by themselves with only that type's
date fields in the schema, and checks the guess: every row's parsed type is the guessed one,
each part has as many rows as lines, and each column has the types the whole block's parse
would give it (a date field text, the other fields one type across the parts). When any of
that fails, or a line's type cannot be guessed or is unknown, it gives None and the block is
parsed whole as before, so a block is read the same either way.

:class:`TypeSlices` is what :mod:`lab_rules.inputs.eventlog_arrow_rows` converts: the rows of
a chunk in order of type (stable: in line order within a type), each type's rows one table;
from a block parsed whole by :func:`sorted_by_type`, from one parsed by type by
:meth:`TypedTables.upto`.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left
from collections import deque
from datetime import date
from itertools import chain
from operator import itemgetter
from typing import Any

import attrs

from lab_rules.inputs.row_types import PERSON_ROW, person_id_of
from lab_rules.inputs.timeline import EVENT_TYPES, Person
from lab_rules.inputs.timeline_fields import FIELDS, optional_inner

__all__ = ["DATE_FIELDS", "TypeSlices", "TypedTables", "by_type", "person_ids", "read_json",
           "sorted_by_type"]

ARROW_BLOCK = 1 << 20
"""The blocks pyarrow parses a block in (no line is as long: the longer ones go to Python)."""
_CANONICAL_TYPE = re.compile(rb'\n\{"person_id": "[^"\\\n]*", "type": "([^"\\\n]*)"')
"""A line's type where the line starts as the log writers and ``json.dumps`` write it."""
_ANY_TYPE = re.compile(rb'(?m)^\{[^\n]*?"type"[ \t]*:[ \t]*"([^"\\\n]*)"')
"""The first ``"type": "..."`` of a line written any other way (checked after parsing).
Both patterns match a line only when it starts with ``{``, so every line of a type's part
starts a row, as every line of a block given to ``read_json`` must (see :func:`by_type`)."""


def _date_fields() -> frozenset[str]:
    """The fields that are a date in every row type that has them: pyarrow is told they are
    text, so it does not read a date as a timestamp (a timestamp in any other field makes its
    row go the Python way)."""
    kinds: dict[str, set[bool]] = {}
    for cls in (*EVENT_TYPES.values(), Person):
        for name, tp, _ in FIELDS[cls]:
            kinds.setdefault(name, set()).add(optional_inner(tp)[0] is date)
    return frozenset(name for name, dates in kinds.items() if dates == {True})


DATE_FIELDS = _date_fields()
_CLASSES: dict[str, type[Any]] = {**EVENT_TYPES, PERSON_ROW: Person}
_TYPE_DATES: dict[bytes, tuple[str, ...]] = {
    kind.encode(): tuple(sorted({name for name, _, _ in FIELDS[cls]} & DATE_FIELDS))
    for kind, cls in _CLASSES.items()}
"""Each row type's date fields, the only fields of its own parse's schema."""


def read_json(block: bytes, dates: tuple[str, ...]) -> Any:
    """The JSON Lines *block* (valid UTF-8, every line starting a row) as an Arrow table, the
    fields *dates* read as text and the others inferred; None when pyarrow cannot parse it or
    gives a column other than text, whole numbers, booleans or nulls (JSON numbers with a
    fraction would lose their spelling; a bare NaN is a float)."""
    import pyarrow as pa
    import pyarrow.json as pj

    try:
        table = pj.read_json(io.BytesIO(block), read_options=pj.ReadOptions(
            use_threads=False, block_size=ARROW_BLOCK), parse_options=pj.ParseOptions(
            explicit_schema=pa.schema([(name, pa.string()) for name in dates]),
            unexpected_field_behavior="infer"))
    except (pa.ArrowException, ValueError):
        return None
    allowed = (pa.types.is_string, pa.types.is_int64, pa.types.is_boolean, pa.types.is_null)
    if not all(any(check(t) for check in allowed) for t in table.schema.types):
        return None
    return table


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


@attrs.frozen
class TypeSlices:
    """A chunk's rows in order of type: *positions*, each row's number in the chunk in that
    order; *parts*, per type (in order of its first row) the type, where its rows begin in
    that order, and a table of its rows."""

    positions: list[int]
    parts: list[tuple[object, int, Any]]


def sorted_by_type(table: Any) -> TypeSlices | None:
    """The rows of *table* in order of type, its columns that are all null left out; None
    when it has no text ``type`` column (no row is read fast then)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    size = table.num_rows
    if "type" not in table.column_names or not pa.types.is_string(
            table.schema.field("type").type):
        return None
    table = table.select([name for name in table.column_names
                          if table.column(name).null_count < size])
    if "type" not in table.column_names:
        return None
    encoded = pc.dictionary_encode(table.column("type").combine_chunks(),
                                   null_encoding="encode")
    codes = encoded.indices
    order = pc.sort_indices(codes)
    ordered = table.take(order)
    sorted_codes = codes.take(order).to_pylist()
    parts: list[tuple[object, int, Any]] = []
    for code, kind in enumerate(encoded.dictionary.to_pylist()):
        first = bisect_left(sorted_codes, code)
        last = bisect_left(sorted_codes, code + 1, first)
        parts.append((kind, first, ordered.slice(first, last - first)))
    return TypeSlices(order.to_pylist(), parts)


@attrs.frozen
class TypedTables:
    """A block parsed one type at a time (:func:`by_type`): per type, in order of its first
    line, the type, the numbers of its lines in the block (ascending) and its table."""

    count: int
    parts: list[tuple[str, list[int], Any]]

    def people(self) -> list[str | None]:
        """Each line's person id, as :func:`person_ids` reads it from the block parsed
        whole."""
        people: list[str | None] = [None] * self.count
        for _, numbers, table in self.parts:
            if "person_id" in table.column_names:
                deque(map(people.__setitem__, numbers, person_ids(table.column("person_id"))),
                      maxlen=0)
        return people

    def upto(self, end: int) -> TypeSlices:
        """Rows ``0..end-1`` in order of type."""
        positions: list[int] = []
        parts: list[tuple[object, int, Any]] = []
        for kind, numbers, table in self.parts:
            taken = bisect_left(numbers, end)
            if taken:
                parts.append((kind, len(positions), table.slice(0, taken)))
                positions += numbers[:taken]
        return TypeSlices(positions, parts)


def _guesses(block: bytes, count: int) -> list[bytes] | None:
    """Each line's guessed type, or None when some line's cannot be guessed."""
    found = _CANONICAL_TYPE.findall(b"\n" + block)
    if len(found) != count:
        found = _ANY_TYPE.findall(block)
    return found if len(found) == count else None


def _agree(tables: list[Any]) -> bool:
    """Whether every column of *tables* has the type the block parsed whole would give it: a
    date field text (or only nulls), any other one type where it is not only nulls."""
    import pyarrow as pa

    kinds: dict[str, Any] = {}
    for table in tables:
        for field in table.schema:
            if pa.types.is_null(field.type):
                continue
            if field.name in DATE_FIELDS and not pa.types.is_string(field.type):
                return False
            if kinds.setdefault(field.name, field.type) != field.type:
                return False
    return True


def by_type(block: bytes, count: int) -> TypedTables | None:
    """The JSON Lines *block* of *count* lines, every one starting a row, parsed one event
    type at a time (see the module); None when it is to be parsed whole. A type's part is
    given to pyarrow only when every line of it starts a row too, as the whole block is (a
    block whose first line is ``null`` ends the process in pyarrow 26's ``read_json``): a line
    has a guess only when it starts with ``{``, and the part is checked again for its first
    line."""
    guesses = _guesses(block, count)
    if guesses is None:
        return None
    groups: dict[bytes, list[int]] = {}
    for number, kind in enumerate(guesses):
        groups.setdefault(kind, []).append(number)
    if not groups.keys() <= _TYPE_DATES.keys():
        return None
    try:
        block.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = block.split(b"\n")
    parts: list[tuple[str, list[int], Any]] = []
    for kind, numbers in groups.items():
        chosen = itemgetter(*numbers)(lines) if len(numbers) > 1 else (lines[numbers[0]],)
        part = b"\n".join(chain(chosen, (b"",)))
        if not part.startswith(b"{"):
            return None
        table = read_json(part, _TYPE_DATES[kind])
        if (table is None or table.num_rows != len(numbers)
                or "type" not in table.column_names
                or table.column("type").unique().to_pylist() != [kind.decode()]):
            return None
        parts.append((kind.decode(), numbers, table))
    tables = [table for _, _, table in parts]
    if not _agree(tables) or not any("person_id" in t.column_names for t in tables):
        return None
    return TypedTables(count, parts)
