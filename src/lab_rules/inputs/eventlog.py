"""Event logs: one event per row with a ``person_id``, read as a stream of persons.

Three formats, named by the file's suffix and checked against its content
(:mod:`lab_rules.inputs.eventlog_lines`): JSON Lines (``.jsonl``), each row a ``timeline/v1``
event object (``type``, its fields) with a ``person_id`` key; CSV (``.csv``), the same keys as
columns (:mod:`lab_rules.inputs.eventlog_csv`); Parquet (``.parquet``, the ``parquet`` extra,
:mod:`lab_rules.inputs.eventlog_parquet`). An optional row of ``"type": "person"`` carries the
person's facts (``birth_date``, ``education``, ``custody``, ``married``,
``good_job_prospects``, ``cpr``). Every cell goes through one converter per field
(:mod:`lab_rules.inputs.row_types`), so ``"2"``, ``2.0`` and ``2`` are one integer in every
format; the row schema is ``lab_rules/schemas/event-log-v1.schema.json``.

A person is evaluated from all of its rows or not at all. The reader keeps one person in
memory at a time, so a person's rows should be contiguous (sort the log by ``person_id``, e.g.
``sort -s`` on the column or a database ``ORDER BY``). A first pass over the log finds every
person whose rows lie in more than one place; such a person is held back as a whole: its rows
are counted but not read into a document, and it is yielded once, when its last run of rows
ends, with every place named. A row that cannot be read, or lacks a ``person_id``, is reported with
its line and holds back the person whose rows it sits among (before any person: a record of its
own, :attr:`PersonRows.unattributed`). Only a file that cannot be opened at all raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from lab_rules.core.errors import LabRulesError
from lab_rules.core.privacy import mask_cpr
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
from lab_rules.inputs.row_types import (
    PERSON_FIELDS,
    PERSON_ROW,
    ReadProgress,
    Row,
    convert_row,
)
from lab_rules.inputs.timeline import SCHEMA_ID

__all__ = ["PERSON_FIELDS", "PersonRows", "ReadProgress", "person_starts", "read_persons"]

_PLACES_SHOWN = 5


@attrs.frozen
class PersonRows:
    """One person's ``timeline/v1`` document as read, or the reasons it could not be read.

    ``rows`` is how many rows of the log are this person's (its own and unreadable rows among
    them); ``unattributed`` marks a record of rows that belong to no person (rows before the
    first person's that could not be read), whose ``person_id`` is ``line-N``; ``split`` a
    person held back as a whole because its rows lie in more than one place."""

    person_id: str
    first_line: int
    document: dict[str, Any] | None
    problems: tuple[str, ...] = ()
    rows: int = 0
    unattributed: bool = False
    split: bool = False


def _rows(path: Path, kind: str, progress: ReadProgress | None, start: int,
          end: int | None) -> Iterator[Row]:
    if kind == "parquet":
        yield from parquet_rows(path, progress)
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


def _people(source: Path, kind: str, start: int, end: int | None) -> Iterator[str | None]:
    """The person of every row, as a first reading gives it (:func:`json_person` for JSON
    Lines, the rows themselves for the other formats)."""
    if kind != "jsonl":
        for row in _rows(source, kind, None, start, end):
            yield row.person
        return
    with source.open("rb") as handle:
        handle.seek(start)
        for _, _, raw in physical_lines(handle, 1, end):
            is_row, person = json_person(raw)
            if is_row:
                yield person


def _suspects(people: Iterator[str | None]) -> dict[str, int]:
    """The first pass: every person whose rows lie in more than one run, with its number of
    runs (rows without a person do not end a run, as in the second pass)."""
    runs: dict[str, int] = {}
    current: str | None = None
    for person in people:
        if person is not None and person != current:
            runs[person] = runs.get(person, 0) + 1
            current = person
    return {person: count for person, count in runs.items() if count > 1}


@attrs.define
class _Held:
    """A person held back as a whole: where its runs of rows start, its rows, and how many of
    its runs the first pass found still to come."""

    runs_left: int
    starts: list[int] = attrs.Factory(list)
    rows: int = 0


@attrs.define
class _Person:
    """The rows of the person being read."""

    person_id: str
    first_line: int
    unit: str
    whole: bool = True
    events: list[dict[str, object]] = attrs.Factory(list)
    facts: dict[str, object] = attrs.Factory(dict)
    problems: list[str] = attrs.Factory(list)
    rows: int = 0

    def add(self, row: Row) -> None:
        self.rows += row.size
        where = f"{self.unit} {row.line}"
        if row.cells is None:
            self.problems.append(f"{where}: {row.problem} (a row among this person's rows, so "
                                 "the person is held back rather than evaluated without it)")
            return
        values, problems = convert_row(row.cells)
        self.problems += [f"{where}: {p}" for p in problems]
        if values.get("type") != PERSON_ROW:
            self.events.append(values)
            return
        unknown = sorted(set(values) - set(PERSON_FIELDS) - {"type"})
        if unknown:
            self.problems.append(f"{where}: unknown person field(s) {', '.join(unknown)}")
        for key in PERSON_FIELDS:
            if key in values:
                if key in self.facts and self.facts[key] != values[key]:
                    self.problems.append(f"{where}: {key} differs from an earlier person row")
                self.facts[key] = values[key]

    def finish(self) -> PersonRows:
        if self.problems:
            return PersonRows(self.person_id, self.first_line, None, tuple(self.problems),
                              self.rows)
        document = {"schema": SCHEMA_ID, "person": {"id": self.person_id, **self.facts},
                    "events": self.events}
        return PersonRows(self.person_id, self.first_line, document, (), self.rows)


def _split_problem(person_id: str, starts: list[int], unit: str) -> str:
    if len(starts) == 1:
        return (f"{unit} {starts[0]}: the rows of {mask_cpr(person_id)} could not be told apart "
                "from other persons' rows on a first reading (a damaged row among them); the "
                "person is held back as a whole")
    shown = ", ".join(str(s) for s in starts[:_PLACES_SHOWN])
    more = f" and {len(starts) - _PLACES_SHOWN} more" if len(starts) > _PLACES_SHOWN else ""
    return (f"{unit} {starts[0]}: the rows of {mask_cpr(person_id)} lie in {len(starts)} places "
            f"among other persons' rows (starting at {unit}s {shown}{more}); the person is "
            "held back as a whole, not evaluated from part of its rows: sort the log by "
            "person_id")


def read_persons(path: str | Path, progress: ReadProgress | None = None, *, start: int = 0,
                 end: int | None = None, group: bool = False) -> Iterator[PersonRows]:
    """The persons of an event log, each as a ``timeline/v1`` document or held back with its
    located problems, in the order their rows end (a person whose rows lie in several places
    when its last run ends); *progress*, when given,
    follows how far the reader has come and counts rows. *start* and *end* (JSON Lines only,
    offsets from :func:`person_starts`) read one piece of the log. *group* sorts the rows by
    person first, in bounded memory (:mod:`lab_rules.inputs.eventlog_sort`), so an unsorted
    log is read whole; persons then come in id order."""
    source = Path(path)
    kind = format_of(source)
    try:
        check_content(source, kind)
    except OSError as err:
        raise LabRulesError(f"{source}: cannot read: {err.strerror or err}") from None
    suspects = {} if group else _suspects(_people(source, kind, start, end))
    if progress is not None and kind != "parquet":
        progress.total = source.stat().st_size
    unit = "row" if kind == "parquet" else "line"
    counts = progress if progress is not None else ReadProgress()
    yielded: set[str] = set()
    held: dict[str, _Held] = {}
    current: _Person | None = None
    taint: str | None = None

    def done(person: _Person | None) -> Iterator[PersonRows]:
        """End a run of rows: a whole person is yielded; a held person when its last run
        (as the first pass counted them) is over, so its place is the same however the log
        is cut into pieces."""
        if person is None:
            return
        if person.whole:
            result = person.finish()
            if result.document is None:
                counts.rows_quarantined += result.rows
            else:
                counts.rows_used += result.rows
            yield result
            return
        place = held[person.person_id]
        place.runs_left -= 1
        if place.runs_left == 0:
            yield release(person.person_id, place)

    def release(person_id: str, place: _Held) -> PersonRows:
        counts.rows_quarantined += place.rows
        return PersonRows(person_id, place.starts[0], None,
                          (_split_problem(person_id, place.starts, unit),), place.rows,
                          split=True)

    rows = _rows(source, kind, progress, start, end)
    for row in grouped_rows(rows) if group else rows:
        counts.rows_read += row.size
        if row.person is not None and (current is None or row.person != current.person_id):
            yield from done(current)
            current = _Person(row.person, row.line, unit)
            if row.person in suspects or row.person in yielded:
                current.whole = False
                place = held.setdefault(row.person, _Held(suspects.get(row.person, 1)))
                place.starts.append(row.line)
            else:
                yielded.add(row.person)
                if taint is not None:
                    current.problems.append(f"{unit} {row.line}: {taint}")
        if row.person is not None:
            taint = None
        if current is None:
            counts.rows_quarantined += row.size
            yield PersonRows(f"{unit}-{row.line}", row.line, None,
                             (f"{unit} {row.line}: {row.problem}",), row.size, True)
        elif current.whole:
            current.add(row)
        else:
            held[current.person_id].rows += row.size
        if row.taints_next:
            taint = (f"{unit}s from {row.line} could not be read and may hold rows of this "
                     "person")
    yield from done(current)
    for person_id, place in held.items():
        if place.runs_left > 0:
            yield release(person_id, place)
