"""Event logs: one event per row with a ``person_id``, read as a stream of persons.

Three formats, named by the file's suffix and checked against its content
(:mod:`lab_rules.inputs.eventlog_lines`): JSON Lines (``.jsonl``), each row a ``timeline/v1``
event object (``type``, its fields) with a ``person_id`` key; CSV (``.csv``), the same keys as
columns (:mod:`lab_rules.inputs.eventlog_csv`); Parquet (``.parquet``, the ``parquet`` extra,
:mod:`lab_rules.inputs.eventlog_parquet`). An optional row of ``"type": "person"`` carries the
person's facts (``birth_date``, ``education``, ``custody``, ``married``,
``good_job_prospects``, ``cpr``); a person has at most one (a second is a problem of the
person, not merged into the first). Every cell goes through one converter per field
(:mod:`lab_rules.inputs.row_types`), so ``"2"``, ``2.0`` and ``2`` are one integer in every
format; the row schema is ``lab_rules/schemas/event-log-v1.schema.json``.

A person is evaluated from all of its rows or not at all. The reader keeps one person in
memory at a time, so a person's rows should be contiguous (sort the log by ``person_id``, e.g.
``sort -s`` on the column or a database ``ORDER BY``). A first pass over the log finds every
person whose rows lie in more than one place; such a person is held back as a whole: its rows
are counted but not read into a document, and it is yielded once, when its last run of rows
ends, with every place named. A row that cannot be read, or lacks a ``person_id``, is reported with
its line and holds back the person whose rows it sits among (before any person: a record of its
own, :attr:`PersonRows.unattributed`); a row whose ``person_id`` is not text (a lone surrogate
escape, bytes that are not UTF-8) holds back the person it names, named with the bad part
escaped (:func:`~lab_rules.inputs.timeline_checks.printable`). Only a file that cannot be
opened at all raises.

This is the pure-Python reader, the default without pyarrow; the Arrow reader
(:mod:`lab_rules.inputs.eventlog_arrow`) gives the same persons and problems, faster. Which
rows make a person is decided in one place for both (:mod:`lab_rules.inputs.eventlog_state`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lab_rules.inputs.eventlog_arrow_text import first_pass
from lab_rules.inputs.eventlog_csv import csv_rows
from lab_rules.inputs.eventlog_lines import (
    check_content,
    format_of,
    json_person,
    json_row,
    physical_lines,
)
from lab_rules.inputs.eventlog_parquet import parquet_rows
from lab_rules.inputs.eventlog_pieces import person_starts
from lab_rules.inputs.eventlog_sort import grouped_rows
from lab_rules.inputs.eventlog_state import PersonReader, PersonRows, suspects
from lab_rules.inputs.row_types import PERSON_FIELDS, ReadProgress, Row

__all__ = ["PERSON_FIELDS", "PersonRows", "ReadProgress", "person_starts", "read_persons",
           "row_people"]


def _rows(path: Path, kind: str, progress: ReadProgress | None, start: int,
          end: int | None) -> Iterator[Row]:
    if kind == "parquet":
        yield from parquet_rows(path, progress, start, end)
    elif kind == "csv":
        yield from csv_rows(path, progress)
    else:
        yield from _json_rows(path, progress, start, end)


def _json_rows(path: Path, progress: ReadProgress | None, start: int,
               end: int | None) -> Iterator[Row]:
    with path.open("rb") as handle:
        line = 1 + _newlines_before(handle, start)
        handle.seek(start)
        for number, taken, raw in physical_lines(handle, line, end):
            if progress is not None:
                progress.read += taken
            row = json_row(number, raw)
            if row is not None:
                yield row


def _newlines_before(handle: Any, offset: int) -> int:
    handle.seek(0)
    count = 0
    while offset > 0:
        block = handle.read(min(offset, 1 << 20))
        if not block:
            break
        count += block.count(b"\n")
        offset -= len(block)
    return count


def row_people(source: Path, kind: str, start: int = 0, end: int | None = None
               ) -> Iterator[tuple[str | None, int]]:
    """The person of every row and the row's line (a Parquet row number), as a first reading
    gives them (:func:`json_person` for JSON Lines, the rows themselves for the other
    formats)."""
    if kind != "jsonl":
        for row in _rows(source, kind, None, start, end):
            yield row.person, row.line
        return
    with source.open("rb") as handle:
        handle.seek(start)
        for number, _, raw in physical_lines(handle, 1, end):
            is_row, person = json_person(raw)
            if is_row:
                yield person, number


def _people(source: Path, kind: str, start: int, end: int | None) -> Iterator[str | None]:
    """The persons of the rows in log order for the first pass (a run of one person's rows
    may be given once). A JSON Lines log whose lines are all plain is read a block at a time
    by the Arrow reader's first pass, which finds the same persons and is pure Python (a
    pattern over each block, about twice as fast as a look at every line:
    :func:`~lab_rules.inputs.eventlog_arrow_text.first_pass`); any other log line by line."""
    if kind == "jsonl":
        found = first_pass(source, start, end, None)
        if found is not None:
            return iter(found.people)
    return (person for person, _ in row_people(source, kind, start, end))


def read_persons(path: str | Path, progress: ReadProgress | None = None, *, start: int = 0,
                 end: int | None = None, group: bool = False) -> Iterator[PersonRows]:
    """The persons of an event log, each as a ``timeline/v1`` document or held back with its
    located problems, in the order their rows end (a person whose rows lie in several places
    when its last run ends); *progress*, when given,
    follows how far the reader has come and counts rows. *start* and *end* (from
    :func:`person_starts`: byte offsets of JSON Lines, row numbers of Parquet) read one piece
    of the log. *group* sorts the rows by
    person first, in bounded memory (:mod:`lab_rules.inputs.eventlog_sort`), so an unsorted
    log is read whole; persons then come in id order."""
    source = Path(path)
    kind = format_of(source)
    check_content(source, kind)
    found = {} if group else suspects(_people(source, kind, start, end),
                                      None if progress is None else progress.named)
    if progress is not None and kind != "parquet":
        progress.total = source.stat().st_size
    reader = PersonReader(found, "row" if kind == "parquet" else "line",
                          progress if progress is not None else ReadProgress())
    rows = _rows(source, kind, progress, start, end)
    for row in grouped_rows(rows) if group else rows:
        yield from reader.row(row)
    yield from reader.close()
