"""A chunk's converted rows, as the Arrow reader hands them to the person reader: built as
dicts a column at a time (:class:`BuiltRows`), or kept as the converted columns of each event
type and built (the same way, all at once) when a row is first asked for (:class:`ChunkCells`).

The reader keeps them unbuilt when it has read the chunk's events
(:class:`~lab_rules.inputs.eventlog_arrow_rows.Known`): a person whose events are all read is
parsed from those (:meth:`~lab_rules.inputs.eventlog_state.PersonRows.timeline`), and its
rows are only built when its document is asked for, so a caller that parses each person
that way builds none (about 1 % of a batch's instructions). Either way a
row's dict is the one :func:`~lab_rules.inputs.row_types.convert_row` gives: its type first,
then its cells in the order of its type's columns in the chunk, without its missing cells.
"""

from __future__ import annotations

from collections import deque
from itertools import repeat
from operator import setitem
from typing import NamedTuple, TypeVar, cast

__all__ = ["MISSING", "BuiltRows", "ChunkCells", "RowsBlock", "dicts", "without"]

MISSING = object()
"""A cell a row does not have."""

Cells = tuple[object, ...]
Row = dict[str, object]
_T = TypeVar("_T")


class RowsBlock(NamedTuple):
    """The converted rows of one event type: the keys (``type`` first) and a column of cells
    per key, the keys whose columns have missing cells, and the rows that are not fast."""

    keys: list[str]
    columns: list[Cells]
    gapped: set[str]
    slow: set[int]


def dicts(block: RowsBlock) -> list[Row | None]:
    """The rows of *block* as dicts, None for its slow rows. Built a column at a time: a
    cell is set by ``map``, with no Python step per row."""
    keys, columns, gapped, slow = block
    built = [{keys[0]: value} for value in columns[0]]
    for name, cells in zip(keys[1:], columns[1:], strict=True):
        if name in gapped:
            for row, value in zip(built, cells, strict=True):
                if value is not MISSING:
                    row[name] = value
        else:
            deque(map(setitem, built, repeat(name), cells), maxlen=0)
    rows = cast(list[Row | None], built)
    for number in slow:
        rows[number] = None
    return rows


def without(items: list[_T], number: int | None, start: int, end: int) -> list[_T]:
    """``items[start:end]`` without item *number* (None: with every item)."""
    if number is None:
        return items[start:end]
    return items[start:number] + items[number + 1:end]


class BuiltRows:
    """A chunk's rows built (None for a row that is not fast)."""

    def __init__(self, rows: list[Row | None]) -> None:
        self.built = rows

    def row(self, number: int) -> Row:
        """Row *number*, a fast one."""
        return cast(Row, self.built[number])

    def rows(self, start: int, end: int, own: int | None) -> list[Row]:
        """Rows *start* to *end* - 1 but row *own* (None: every one), all fast."""
        return without(cast(list[Row], self.built), own, start, end)


class ChunkCells:
    """A chunk's rows, most unbuilt: *built*, each row's dict where it is built already
    (the person rows: a person's facts are read at once); the rows in order of type
    (*positions*: each one's number in the chunk) and, from where each type's rows begin in
    that order, the :class:`RowsBlock` of the rest. The first row asked for has them all
    built, a column at a time as :func:`dicts` builds them (a row at a time is slower, and a
    caller that builds one person's document is likely to build the others')."""

    def __init__(self, built: list[object], positions: list[int],
                 blocks: list[tuple[int, RowsBlock]]) -> None:
        self.built = built
        self.positions = positions
        self.blocks = blocks

    def _build(self) -> None:
        for start, block in self.blocks:
            end = start + len(block.columns[0])
            deque(map(self.built.__setitem__, self.positions[start:end], dicts(block)),
                  maxlen=0)
        self.blocks = []

    def row(self, number: int) -> Row:
        """Row *number*, a fast one."""
        if self.blocks and type(self.built[number]) is not dict:
            self._build()
        return cast(Row, self.built[number])

    def rows(self, start: int, end: int, own: int | None) -> list[Row]:
        """Rows *start* to *end* - 1 but row *own* (None: every one), all fast."""
        self._build()
        return without(cast(list[Row], self.built), own, start, end)
