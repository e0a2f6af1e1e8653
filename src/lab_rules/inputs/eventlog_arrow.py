"""The Arrow event-log reader (the ``parquet`` extra: pyarrow), and the choice of reader.

:func:`read_persons_arrow` gives what :func:`lab_rules.inputs.eventlog.read_persons` gives (the
same persons in the same order, equal documents, the same located problems, the same row
counts) but reads JSON Lines, CSV and Parquet logs as typed Arrow columns, converts each
distinct cell value once and hands a person's clean rows over whole
(:mod:`lab_rules.inputs.eventlog_arrow_rows`). Wherever Arrow would read a file differently
from the Python reader, the Python reader reads it: a whole file or piece when its bytes need
line-by-line reading (:mod:`lab_rules.inputs.eventlog_arrow_text`), a Parquet file whose row
groups or cells cannot all be read, an unsorted log read with *group*; a block pyarrow cannot
parse, line by line; a row that is not clean, row by row. So both readers give the same
quarantine entries on any log.

:func:`persons_reader` picks a reader by name: ``python``, ``arrow``, or ``auto`` (Arrow when
pyarrow can be imported).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from importlib.util import find_spec
from itertools import groupby
from pathlib import Path
from typing import Any

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.eventlog_arrow_rows import Known, feed_chunk
from lab_rules.inputs.eventlog_arrow_split import person_ids
from lab_rules.inputs.eventlog_arrow_text import CsvLayout, first_pass, text_persons
from lab_rules.inputs.eventlog_csv import csv_header
from lab_rules.inputs.eventlog_lines import check_content, format_of, physical_lines
from lab_rules.inputs.eventlog_parquet import opened, ranged_batches
from lab_rules.inputs.eventlog_state import PersonReader, PersonRows, suspects
from lab_rules.inputs.row_types import ReadProgress, Row, person_id_of

__all__ = ["READERS", "arrow_available", "persons_reader", "read_persons_arrow",
           "reader_name"]

READERS = ("auto", "python", "arrow")
"""The names of the readers: ``auto`` is Arrow when pyarrow can be imported."""
_BATCH = 1 << 16
_DATES = ("date32", "date64", "timestamp")

Reader = Callable[..., Iterator[PersonRows]]


def arrow_available() -> bool:
    """Whether pyarrow can be imported (the ``parquet`` extra)."""
    try:
        return find_spec("pyarrow") is not None
    except (ImportError, ValueError):
        return False


def reader_name(name: str) -> str:
    """The reader *name* stands for: ``auto`` resolved; an unknown name, or ``arrow`` without
    pyarrow, is an error."""
    if name not in READERS:
        raise LabRulesError(f"reader {name!r}: expected one of {', '.join(READERS)}")
    if name == "auto":
        return "arrow" if arrow_available() else "python"
    if name == "arrow" and not arrow_available():
        raise LabRulesError("the arrow reader needs pyarrow: pip install 'lab-rules[parquet]'")
    return name


def persons_reader(name: str, events: bool = False) -> Reader:
    """The reading function of a resolved reader name (:func:`reader_name`); with *events*,
    the Arrow reader also reads the events of the persons it reads clean
    (:attr:`~lab_rules.inputs.eventlog_state.PersonRows.events`), for a caller that parses
    every timeline."""
    if reader_name(name) != "arrow":
        return read_persons
    return partial(read_persons_arrow, events=True) if events else read_persons_arrow


def _csv_layout(source: Path) -> CsvLayout | None:
    with source.open("rb") as handle:
        first = next(physical_lines(handle, 1), None)
    if first is None:
        return None
    separator, names = csv_header(source, first[2])
    return CsvLayout(separator, names, first[1])


def read_persons_arrow(path: str | Path, progress: ReadProgress | None = None, *,
                       start: int = 0, end: int | None = None,
                       group: bool = False, events: bool = False) -> Iterator[PersonRows]:
    """The persons of an event log, as :func:`lab_rules.inputs.eventlog.read_persons` gives
    them, read through Arrow where that reads the same (see the module); with *events*, the
    events of the persons read clean are read too (:attr:`PersonRows.events`)."""
    source = Path(path)
    kind = format_of(source)
    if group or not arrow_available():
        yield from read_persons(source, progress, start=start, end=end, group=group)
        return
    check_content(source, kind)
    counts = progress if progress is not None else ReadProgress()
    if kind == "parquet":
        plan = _parquet_plan(source, start, end)
        if plan is None:
            yield from read_persons(source, progress, start=start, end=end)
            return
        reader = PersonReader(suspects(iter(plan[1]), counts.named), "row", counts)
        yield from _parquet_persons(plan[0], reader, progress, events)
        yield from reader.close()
        return
    layout = _csv_layout(source) if kind == "csv" else None
    if kind == "csv" and layout is None:
        return
    start, end = (start, end) if layout is None else (0, None)
    found = first_pass(source, start, end, layout)
    if found is None:
        yield from read_persons(source, progress, start=start, end=end)
        return
    if progress is not None:
        progress.total = source.stat().st_size
    reader = PersonReader(suspects(iter(found.people), counts.named), "line", counts)
    yield from text_persons(source, start, end, layout, reader, progress, events, found.plain)
    yield from reader.close()


def _readable(batch: Any) -> bool:
    """Whether every cell of *batch* becomes a Python value (text that is UTF-8, dates within
    years 1-9999)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for column in batch.columns:
        kind = column.type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)
                or pa.types.is_integer(kind) or pa.types.is_boolean(kind)
                or pa.types.is_null(kind) or pa.types.is_floating(kind)
                or pa.types.is_decimal128(kind) or pa.types.is_date32(kind)
                or pa.types.is_timestamp(kind)):
            return False
        try:
            column.validate(full=True)
        except pa.ArrowException:
            return False
        if str(kind).startswith(_DATES) and column.null_count < len(column):
            try:
                low, high = pc.min_max(column).values()
                low.as_py()
                high.as_py()
            except (pa.ArrowException, ValueError, OverflowError):
                return False
    return True


_Rows = tuple[Any, list[str], list[int], int, int | None]
"""An open Parquet file, its columns, its row groups' offsets, and the rows to read."""


def _parquet_plan(source: Path, start: int, end: int | None
                  ) -> tuple[_Rows, list[str | None]] | None:
    """The open file and what to read of it (rows *start* to *end*), and the persons of its
    runs of rows; None when some row group or cell cannot be read (the Python reader reads
    the file or piece then)."""
    file, names, offsets = opened(source)
    people: list[str | None] = []
    try:
        for batch in ranged_batches(file, names, offsets, start, end, _BATCH):
            if not _readable(batch):
                return None
            people += [person for person, _ in groupby(
                person_ids(batch.column(names.index("person_id"))))]
    except Exception:  # a damaged row group, whatever pyarrow raises
        return None
    return (file, names, offsets, start, end), people


def _parquet_persons(plan: _Rows, reader: PersonReader, progress: ReadProgress | None,
                     events: bool) -> Iterator[PersonRows]:
    import pyarrow as pa

    file, names, offsets, start, end = plan
    if progress is not None:
        progress.total = offsets[-1]
    line = start + 1
    pending = None
    known = Known(events)
    batches = ranged_batches(file, names, offsets, start, end, _BATCH)
    batch = next(batches, None)
    while batch is not None:
        following = next(batches, None)
        table = pa.Table.from_batches([batch])
        if pending is not None:
            table = pa.concat_tables([pending, table])
        people = person_ids(table.column("person_id"))
        done = len(people)
        if following is not None:
            while done > 0 and people[done - 1] == people[-1]:
                done -= 1

        def slow(number: int, table: Any = table, line: int = line) -> Row:
            record = table.slice(number, 1).to_pylist()[0]
            person = person_id_of(record.pop("person_id", None))
            return (Row(line + number, person, record) if person is not None
                    else Row(line + number, None, None, "a row needs a person_id"))

        yield from feed_chunk(reader, known, table, people, line, done, slow)
        if progress is not None:
            progress.read += done
        pending, line = table.slice(done), line + done
        batch = following
