"""JSON Lines and CSV event logs through Arrow: the log in blocks of whole lines, each parsed
by pyarrow into typed columns.

The first pass reads every block to find the persons whose rows lie in several places, as the
Python reader's first pass does, and decides whether the Arrow reader may read the file at
all: a file (or piece) with a byte order mark, a carriage return, a blank line, a line of
nearly :data:`~lab_rules.inputs.eventlog_lines.MAX_ROW_BYTES` or more, and for CSV a quote, a
NUL, text that is not UTF-8, a line as long as the ``csv`` module's field size limit or a
single column, is read by the Python reader instead (:func:`first_pass`
gives None), because each of those is read line by line with its own located problem. In the
second pass a JSON Lines block is parsed one event type at a time where that parses it as a
whole would (:func:`~lab_rules.inputs.eventlog_arrow_split.by_type`), else whole; a block
pyarrow cannot parse (which includes a key given twice and a lone surrogate
escape), or parses into other types than text, whole numbers and booleans (JSON numbers with a
fraction would lose their spelling; a bare NaN is a float), or into another number of rows
than it has lines, is fed line by line through the Python reader's row parsers, which locate
each problem; so is every row that is not fast (:mod:`lab_rules.inputs.eventlog_arrow_rows`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from lab_rules.inputs.eventlog_arrow_rows import Known, feed_chunk
from lab_rules.inputs.eventlog_arrow_split import (
    DATE_FIELDS,
    TypedTables,
    by_type,
    person_ids,
    read_json,
)
from lab_rules.inputs.eventlog_csv import csv_row
from lab_rules.inputs.eventlog_lines import BOM, MAX_ROW_BYTES, json_person, json_row
from lab_rules.inputs.eventlog_state import PersonReader, PersonRows
from lab_rules.inputs.row_types import ReadProgress, Row, person_id_of

__all__ = ["CsvLayout", "FirstPass", "first_pass", "text_persons"]

BLOCK = 1 << 23
"""Bytes read and parsed at a time (8 MiB; more than the longest line)."""
_BOM_FIRST = BOM[:1]
_STRETCH = 1 << 12
"""The shortest stretch :func:`_shorter` looks for a line end in (below it, it measures)."""
_WS = rb"[ \t\x0b\x0c]*"
_PERSON_FIRST = re.compile(rb"(?m)^" + _WS + rb"\{" + _WS + rb'"person_id"' + _WS + rb":"
                           + _WS + rb'"([^"\\\n]*)"' + _WS + rb"[,}]")
""":func:`json_person`'s pattern over a block of lines (no line ends inside a match)."""
_CANONICAL_FIRST = re.compile(rb'\n\{"person_id": "([^"\\\n]*)"' + _WS + rb"[,}]")
"""The same match for a line written as ``{"person_id": "...", ...`` (how the log writers and
``json.dumps`` write it), found after a line end: a pattern that starts with text is searched
for several times faster than one that starts with ``^`` and spaces."""


class CsvLayout:
    """A CSV log's header: its separator, column names and where ``person_id`` is."""

    def __init__(self, separator: str, names: list[str], header_bytes: int) -> None:
        self.separator = separator
        self.names = names
        self.position = names.index("person_id")
        self.header_bytes = header_bytes
        self.arrow_names = [name or f"\x00{index}" for index, name in enumerate(names)]


def _blocks(handle: BinaryIO, start: int, end: int | None) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) of whole lines from *start*, up to the line that starts at or after
    *end*; a block without a line end only at the end of the file."""
    handle.seek(start)
    offset, carry = start, b""
    while end is None or offset < end:
        data = handle.read(BLOCK)
        buffer = carry + data
        if end is not None and offset + len(buffer) >= end:
            cut = buffer.find(b"\n", end - offset - 1)
            if cut < 0 and data:
                carry = buffer
                continue
            if buffer:
                yield offset, buffer if cut < 0 else buffer[:cut + 1]
            return
        if not data:
            if buffer:
                yield offset, buffer
            return
        cut = buffer.rfind(b"\n")
        if cut < 0:
            carry = buffer
            if len(carry) > MAX_ROW_BYTES:
                yield offset, carry
                return
            continue
        yield offset, buffer[:cut + 1]
        offset += cut + 1
        carry = buffer[cut + 1:]


def _lines(block: bytes) -> list[bytes]:
    lines = block.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


def _count(block: bytes) -> int:
    """How many lines :func:`_lines` cuts *block* into, without cutting it."""
    return block.count(b"\n") + (1 if block and not block.endswith(b"\n") else 0)


def _shorter(block: bytes, limit: int) -> bool:
    """Whether every line of *block* is shorter than *limit* bytes. A line that long would
    hold a whole stretch of ``limit // 2`` bytes starting at a multiple of it, so only a
    stretch without a line end needs the lines measured."""
    half = limit // 2
    if half < _STRETCH or any(block.find(b"\n", at, at + half) < 0
                              for at in range(0, len(block), half)):
        return max(map(len, _lines(block)), default=0) < limit
    return True


def _clean(block: bytes, layout: CsvLayout | None) -> bool:
    """Whether the Python reader would read every line of *block* as a plain line (blank
    lines aside, which the second pass reads line by line). A byte order mark is only looked
    for where its first byte is (a search for one byte is several times faster than for
    three, and text without characters from U+F000 up has none)."""
    if (_BOM_FIRST in block and BOM in block) or b"\r" in block:
        return False
    if layout is None:
        return _shorter(block, MAX_ROW_BYTES - 1)
    if (b'"' in block or b"\x00" in block or len(layout.names) < 2
            or not _shorter(block, min(MAX_ROW_BYTES - 1, csv.field_size_limit()))):
        return False
    try:
        block.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _plain(block: bytes, count: int) -> bool:
    """Whether every line of a JSON Lines block of *count* lines starts a row (no blank
    line)."""
    return block.startswith(b"{") and block.count(b"\n{") + 1 == count


def _json_people(block: bytes, lines: list[bytes]) -> list[str | None]:
    """The persons of the block's rows, one per run of rows (enough for :func:`suspects`)."""
    return _json_runs(block, len(lines))[0]


def _json_runs(block: bytes, count: int) -> tuple[list[str | None], bool]:
    """:func:`_json_people` of a block of *count* lines; and True when every line is known
    to start a row (:func:`_plain`), which a match of :data:`_CANONICAL_FIRST` on every line
    shows by itself."""
    if b"\\" not in block and block.count(b'"person_id"') == count:
        found = _CANONICAL_FIRST.findall(b"\n" + block)
        plain = len(found) == count or _plain(block, count)
        if plain and len(found) != count:
            found = _PERSON_FIRST.findall(block)
        if plain and len(found) == count:
            try:
                return [person_id_of(raw.decode("utf-8")) for raw, _ in groupby(found)], True
            except UnicodeDecodeError:  # such a line's person is read as the row parser does
                pass
    lines = _lines(block)
    return [person for person, _ in groupby(json_person(raw)[1] for raw in lines)], False


def _csv_people(block: bytes, count: int, layout: CsvLayout) -> list[str | None]:
    """The persons of the block's rows, one per run of rows."""
    separator, position = layout.separator.encode(), layout.position
    pattern = re.compile(rb"(?m)^" + (rb"[^\n" + re.escape(separator) + rb"]*"
                                      + re.escape(separator)) * position
                         + rb"([^\n" + re.escape(separator) + rb"]*)")
    found = pattern.findall(block, 0, len(block) - block.endswith(b"\n"))
    if len(found) != count:
        found = [cells[position] if position < len(cells := raw.split(separator)) else b""
                 for raw in _lines(block)]
    return [person_id_of(raw.decode("utf-8")) for raw, _ in groupby(found)]


class FirstPass(NamedTuple):
    """What the first pass found: the persons of the rows in log order (a run of one
    person's rows may be given once), and whether every line of a JSON Lines log is known to
    start a row (so the second pass need not look for blank lines)."""

    people: list[str | None]
    plain: bool


def first_pass(path: Path, start: int, end: int | None, layout: CsvLayout | None
               ) -> FirstPass | None:
    """The persons of the rows in log order, as the Python reader's first pass reads them
    (:class:`FirstPass`); None when the file is for the Python reader (see the module)."""
    people: list[str | None] = []
    plain = layout is None
    with path.open("rb") as handle:
        begin = layout.header_bytes if layout is not None else start
        for _, block in _blocks(handle, begin, end):
            if not _clean(block, layout):
                return None
            count = _count(block)
            if layout is not None:
                people += _csv_people(block, count, layout)
            else:
                found, seen = _json_runs(block, count)
                people += found
                plain = plain and seen
    return FirstPass(people, plain)


_DATES = tuple(sorted(DATE_FIELDS))


def _parse(block: bytes, layout: CsvLayout | None) -> Any:
    """The block as an Arrow table, or None when pyarrow cannot read it as the Python reader
    does. A JSON Lines block is given only when every line starts a row (:func:`_plain`): a
    block whose first line is ``null`` ends the process in pyarrow 26's ``read_json``
    (SIGSEGV), and a line that is not an object is the Python reader's to locate anyway."""
    import pyarrow as pa

    if layout is None:
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return read_json(block, _DATES)
    try:
        import pyarrow.csv as pcsv

        named = [a for a, n in zip(layout.arrow_names, layout.names, strict=True) if n]
        return pcsv.read_csv(io.BytesIO(block), read_options=pcsv.ReadOptions(
            column_names=layout.arrow_names, use_threads=False,
            block_size=max(len(block), 1)), parse_options=pcsv.ParseOptions(
            delimiter=layout.separator, quote_char=False, double_quote=False,
            escape_char=False, newlines_in_values=False, ignore_empty_lines=True),
            convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(named, pa.string()), strings_can_be_null=True,
            null_values=[""], include_columns=named))
    except (pa.ArrowException, ValueError, UnicodeDecodeError):
        return None


def text_persons(path: Path, start: int, end: int | None, layout: CsvLayout | None,
                 reader: PersonReader, progress: ReadProgress | None, events: bool = False,
                 plain: bool = False) -> Iterator[PersonRows]:
    """The persons of a JSON Lines or CSV log (a clean one: :func:`first_pass`); with
    *events*, with their events read (:class:`~lab_rules.inputs.eventlog_arrow_rows.Known`);
    with *plain*, the first pass found every line starting a row (:attr:`FirstPass.plain`).
    A block is cut into lines only where a line is read the Python way."""
    with path.open("rb") as handle:
        line = 1
        if layout is not None:
            begin, line = layout.header_bytes, 2
            if progress is not None:
                progress.read += begin
        else:
            begin = start
            line += _newlines_before(handle, start)
        pending = b""
        known = Known(events)
        blocks = _blocks(handle, begin, end)
        block = next(blocks, None)
        while block is not None:
            following = next(blocks, None)
            buffer = pending + block[1]
            count = _count(buffer)
            table: Any = None
            if layout is not None:
                table = _parse(buffer, layout)
            elif plain or _plain(buffer, count):
                table = by_type(buffer, count) or _parse(buffer, layout)
            if isinstance(table, TypedTables):
                people = table.people()
            elif table is not None and (table.num_rows != count
                                        or "person_id" not in table.column_names):
                table = None
            else:
                people = [] if table is None else person_ids(table.column("person_id"))
            done = count
            if table is None:
                for number, raw in enumerate(_lines(buffer)):
                    if raw.strip():
                        yield from reader.row(_slow(layout, line + number, raw))
            else:
                if following is not None:
                    last = people[-1]
                    done = len(people)
                    while done > 0 and people[done - 1] == last:
                        done -= 1
                yield from feed_chunk(reader, known, table, people, line, done,
                                      _slow_rows(layout, line, buffer))
            taken = _line_start(buffer, count, done)
            if progress is not None:
                progress.read += taken
            pending, line = buffer[taken:], line + done
            block = following
            if block is None and pending:
                block = (0, b"")


def _slow_rows(layout: CsvLayout | None, first: int, buffer: bytes) -> Callable[[int], Row]:
    """Row *number* of *buffer* (whose first line is line *first*) as the Python reader
    reads it; the buffer is cut into lines when a row is first asked for."""
    cut: list[list[bytes]] = []

    def slow(number: int) -> Row:
        if not cut:
            cut.append(_lines(buffer))
        return _slow(layout, first + number, cut[0][number])
    return slow


def _line_start(buffer: bytes, count: int, number: int) -> int:
    """Where line *number* of *buffer*'s *count* lines starts (the end of the buffer after
    the last), found back from the end: the lines left over are one person's."""
    if number >= count:
        return len(buffer)
    at = len(buffer) - 1 if buffer.endswith(b"\n") else len(buffer)
    for _ in range(count - number):
        at = buffer.rfind(b"\n", 0, at)
    return at + 1


def _newlines_before(handle: BinaryIO, offset: int) -> int:
    handle.seek(0)
    count = 0
    while offset > 0:
        block = handle.read(min(offset, BLOCK))
        if not block:
            break
        count += block.count(b"\n")
        offset -= len(block)
    return count


def _slow(layout: CsvLayout | None, line: int, raw: bytes) -> Row:
    """The row as the Python reader reads it."""
    if layout is None:
        row = json_row(line, raw)
        assert row is not None
        return row
    return csv_row(line, raw, layout.separator, layout.names, layout.position)
