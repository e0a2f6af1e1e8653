"""The batch's CSV tables written through Arrow: rows kept as typed values (text, integers,
dates, booleans, money as :class:`~decimal.Decimal`, ``None``), turned into columns a few
thousand rows at a time and formatted by Arrow's kernels instead of ``str()`` per cell (the
``parquet`` extra, pyarrow).

The bytes are those of :func:`lab_rules.loops.batch_tables.cell` and
:class:`~lab_rules.core.csv_rows.CsvRows` (:mod:`csv` with ``lineterminator="\\n"``, a carriage
return quoted on every Python), by construction: a column is formatted by Arrow only when every
value is of a type whose Arrow text is the cell's text (``str``; ``int`` within int64; ``date``;
``bool`` as ``true``/``false``; ``None`` as an empty cell); money keeps ``str(Decimal)``, which
preserves each value's exponent (``0`` and ``0.00`` stay apart); any other column goes through
:func:`~lab_rules.loops.batch_tables.cell`. A text cell is quoted exactly where that writer
quotes it (:data:`~lab_rules.core.csv_rows.QUOTED`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from itertools import repeat
from operator import is_
from typing import Any, BinaryIO, TextIO

import pyarrow as pa
import pyarrow.compute as pc

from lab_rules.core.csv_rows import QUOTED
from lab_rules.loops.batch_tables import BOOL, DATE, INT, MONEY, cell

__all__ = ["FLUSH_ROWS", "ArrowRows", "csv_bytes"]

FLUSH_ROWS = 8192
"""Rows held per table before they are formatted and written (bounded memory)."""

_NONE = type(None)
_ARROW_TYPES: dict[str, tuple[Any, frozenset[type]]] = {
    INT: (pa.int64(), frozenset({int, _NONE})),
    DATE: (pa.date32(), frozenset({date, _NONE})),
    BOOL: (pa.bool_(), frozenset({bool, _NONE})),
}
_TEXT = frozenset({str, _NONE})
_MONEY = frozenset({Decimal, _NONE})
_CONVERSION_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError)


_NEEDS_QUOTES = "[" + "".join(f"\\x{ord(c):02x}" for c in QUOTED) + "]"


def _text(column: Sequence[object], types: set[type]) -> Any:
    """Text cells (of the *types* found in *column*), quoted where the standard writer quotes
    them (each distinct text is looked at once: a column repeats a few texts, or a person's
    id over its rows)."""
    values = pa.array(column if _TEXT.issuperset(types)
                      else [cell(v) for v in column], pa.string()).dictionary_encode()
    texts = values.dictionary
    needs = pc.match_substring_regex(texts, _NEEDS_QUOTES)
    if pc.any(needs).as_py():
        doubled = pc.replace_substring(texts, '"', '""')
        texts = pc.if_else(needs, pc.binary_join_element_wise('"', doubled, '"', ""), texts)
    return texts.take(values.indices).fill_null("")


def _formatted(column: Sequence[object], kind: str | None) -> Any:
    """One column as the text of its cells (never null).

    A money column that holds one Decimal object throughout (the refund table's columns
    that are ``0.00`` for almost every person hold the one zero the rows are made with) is
    formatted once: ``str()`` of a Decimal costs some 1,400 instructions a cell with its
    conversion to Arrow. Only the same object qualifies, not an equal one: ``0`` and ``0.00``
    are equal but written apart."""
    types = set(map(type, column))
    if kind in _ARROW_TYPES:
        arrow_type, allowed = _ARROW_TYPES[kind]
        if allowed.issuperset(types):
            try:
                return pa.array(column, arrow_type).cast(pa.string()).fill_null("")
            except _CONVERSION_ERRORS:
                pass
    elif kind == MONEY and _MONEY.issuperset(types):
        if _NONE not in types:
            first = column[0]
            if all(map(is_, column, repeat(first))):
                return pa.repeat(pa.scalar(str(first), pa.string()), len(column))
            return pa.array([str(v) for v in column], pa.string())
        return pa.array([None if v is None else str(v) for v in column],
                        pa.string()).fill_null("")
    return _text(column, types)


def csv_bytes(rows: Sequence[Sequence[object]], kinds: Sequence[str | None]) -> bytes:
    """*rows* as CSV lines, each ending in ``\\n``: the bytes ``csv.writer`` writes for the
    rows' :func:`~lab_rules.loops.batch_tables.cell` texts."""
    if not rows:
        return b""
    parts: list[Any] = []
    for column, kind in zip(zip(*rows, strict=True), kinds, strict=True):
        parts += (_formatted(column, kind), ",")
    parts[-1] = "\n"
    lines = pc.binary_join_element_wise(*parts, "")
    _, offsets, data = lines.buffers()
    ends = memoryview(offsets).cast("i")
    return bytes(memoryview(data)[ends[lines.offset]:ends[lines.offset + len(lines)]])


class ArrowRows:
    """A table file's rows, written through Arrow (the interface of ``csv.writer`` that the
    batch uses: :meth:`writerow`, :meth:`writerows`)."""

    def __init__(self, handle: TextIO, kinds: Sequence[str | None]) -> None:
        self.handle = handle
        self.kinds = tuple(kinds)
        self.rows: list[Sequence[object]] = []

    def writerow(self, row: Sequence[object]) -> None:
        self.rows.append(row)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def writerows(self, rows: Iterable[Sequence[object]]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the rows held so far (after whatever the text handle holds)."""
        if self.rows:
            data = csv_bytes(self.rows, self.kinds)
            self.rows = []
            self.handle.flush()
            raw: BinaryIO = self.handle.buffer
            raw.write(data)
