"""Event logs: one event per row with a ``person_id``, read as a stream of persons.

Parquet (``.parquet``, with the ``parquet`` extra) has the same columns; rows are read one
record batch at a time, and a row number stands in for the line.

JSON Lines (``.jsonl``): each row is a ``timeline/v1`` event object (``type``, its fields) with
a ``person_id`` key; an optional row of ``"type": "person"`` carries the person's facts
(``birth_date``, ``education``, ``custody``, ``married``, ``good_job_prospects``, ``cpr``).
CSV (``.csv``): the same keys as columns; an empty cell is an absent field.

A person's rows must be contiguous (sort the file by ``person_id`` first, e.g. ``sort -s``
on the column or a database ``ORDER BY``): the reader keeps one person in memory at a time. A
person whose rows appear again after another person's are reported, not merged, so nothing is
silently lost. A row that is not an object or lacks a ``person_id`` is reported with its line
and holds back the person whose rows it sits among (before any person: a record of its own).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from lab_rules.core.errors import LabRulesError
from lab_rules.core.privacy import mask_cpr

PERSON_FIELDS = ("cpr", "birth_date", "education", "custody", "married",
                 "good_job_prospects")


@attrs.frozen
class PersonRows:
    """One person's ``timeline/v1`` document as read, or the reasons it could not be read."""

    person_id: str
    first_line: int
    document: dict[str, Any] | None
    problems: tuple[str, ...] = ()


def _parquet_rows(path: Path,
                  progress: ReadProgress | None = None) -> Iterator[tuple[int, object]]:
    """Parquet rows, one record batch at a time (needs the ``parquet`` extra: pyarrow);
    progress counts rows against the row count in the file's footer."""
    try:
        import pyarrow.parquet as pq
    except ImportError as err:
        raise LabRulesError(f"{path}: reading Parquet needs pyarrow: pip install "
                            "'lab-rules[parquet]'") from err
    line = 0
    source = pq.ParquetFile(path)
    if progress is not None:
        progress.total = source.metadata.num_rows
    for batch in source.iter_batches():
        for record in batch.to_pylist():
            line += 1
            if progress is not None:
                progress.read = line
            yield line, {k: _iso(v) for k, v in record.items() if v is not None}


def _iso(value: object) -> object:
    """Parquet date and timestamp cells as the ``YYYY-MM-DD`` text of ``timeline/v1``."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


@attrs.define
class ReadProgress:
    """How far a reader has come through a log, for an ETA: characters of a JSON Lines or CSV
    file, rows of a Parquet file."""

    read: int = 0
    total: int | None = None


def _rows(path: Path, progress: ReadProgress | None = None, start: int = 0,
          end: int | None = None) -> Iterator[tuple[int, object]]:
    if path.suffix == ".parquet":
        yield from _parquet_rows(path, progress)
        return
    if progress is not None:
        progress.total = path.stat().st_size
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            lines = handle if progress is None else _counted(handle, progress)
            for line, row in enumerate(csv.DictReader(lines), start=2):
                yield line, {k: _csv_value(v) for k, v in row.items() if v not in ("", None)}
        return
    yield from _json_rows(path, progress, start, end)


def _json_rows(path: Path, progress: ReadProgress | None, start: int,
               end: int | None) -> Iterator[tuple[int, object]]:
    """JSON Lines rows with their line numbers, from byte *start* (a line start) to the line
    starting at or after *end*. Lines are split on ``\\n`` and decoded one by one, so a line
    that is not UTF-8 is a located problem, not the end of the run."""
    with path.open("rb") as handle:
        line = 1 + _newlines_before(handle, start)
        handle.seek(start)
        offset = start
        for raw in handle:
            if end is not None and offset >= end:
                return
            offset += len(raw)
            if progress is not None:
                progress.read += len(raw)
            here, line = line, line + 1
            if not raw.strip():
                continue
            try:
                yield here, json.loads(raw.decode("utf-8-sig" if here == 1 else "utf-8"))
            except json.JSONDecodeError as err:
                yield here, f"not JSON: {err.msg} at column {err.colno}"
            except UnicodeDecodeError as err:
                yield here, f"not UTF-8 text: {err.reason} at byte {err.start + 1}"


def _newlines_before(handle: BinaryIO, offset: int) -> int:
    handle.seek(0)
    count = 0
    while offset > 0:
        block = handle.read(min(offset, 1 << 20))
        if not block:
            break
        count += block.count(b"\n")
        offset -= len(block)
    return count


def _person_of(raw: bytes) -> str | None:
    try:
        row = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    person = row.get("person_id") if isinstance(row, dict) else None
    return person if isinstance(person, str) else None


def _person_before(handle: BinaryIO, offset: int) -> str | None:
    """The person of the last readable row that ends before *offset* (a line start)."""
    window = 1 << 16
    while offset > 0:
        back = max(0, offset - window)
        handle.seek(back)
        lines = handle.read(offset - back).split(b"\n")
        for raw in reversed(lines if back == 0 else lines[1:]):
            person = _person_of(raw) if raw.strip() else None
            if person is not None:
                return person
        if back == 0:
            return None
        window *= 2
    return None


def person_starts(path: str | Path, parts: int) -> list[int]:
    """Byte offsets that cut a JSON Lines log into at most *parts* pieces, each beginning at a
    row where :func:`read_persons` starts a new person, so the pieces can be read apart
    (``read_persons(path, start=..., end=...)``) and give what one pass gives. The first is 0.
    Each cut is found by reading a few rows around it; the log is not read through."""
    source = Path(path)
    size = source.stat().st_size
    cuts = [0]
    with source.open("rb") as handle:
        for part in range(1, parts):
            candidate = max(size * part // parts, cuts[-1] + 1)
            if candidate >= size:
                break
            handle.seek(candidate - 1)
            handle.readline()
            offset = handle.tell()
            last = _person_before(handle, offset)
            handle.seek(offset)
            while raw := handle.readline():
                person = _person_of(raw) if raw.strip() else None
                if person is not None and person != last:
                    cuts.append(offset)
                    break
                last = person if person is not None else last
                offset += len(raw)
    return cuts


def _counted(lines: Iterable[str], progress: ReadProgress) -> Iterator[str]:
    for text in lines:
        progress.read += len(text)
        yield text


def _csv_value(value: str) -> object:
    """CSV cells are text; booleans and numbers for the fields that take them."""
    if value in ("true", "false"):
        return value == "true"
    return value


def read_persons(path: str | Path, progress: ReadProgress | None = None, *, start: int = 0,
                 end: int | None = None) -> Iterator[PersonRows]:
    """The persons of an event log, in file order, each as a ``timeline/v1`` document;
    *progress*, when given, follows how far the reader has come. *start* and *end* (JSON
    Lines only, offsets from :func:`person_starts`) read one piece of the log."""
    seen: set[str] = set()
    current: PersonRows | None = None
    events: list[dict[str, Any]] = []
    person: dict[str, Any] = {}
    problems: list[str] = []

    def finish() -> PersonRows | None:
        if current is None:
            return None
        document = {"schema": "lab-rules/timeline/v1",
                    "person": {"id": current.person_id, **person}, "events": events}
        return attrs.evolve(current, document=None if problems else document,
                            problems=tuple(problems))

    for line, row in _rows(Path(path), progress, start, end):
        if not isinstance(row, dict) or not isinstance(row.get("person_id"), str):
            reason = row if isinstance(row, str) else "a row needs a text person_id"
            if current is not None:
                problems.append(f"line {line}: {reason} (a row among this person's rows, "
                                "so the person is held back rather than evaluated without it)")
            else:
                yield PersonRows(f"line-{line}", line, None, (f"line {line}: {reason}",))
            continue
        person_id = row.pop("person_id")
        if current is None or person_id != current.person_id:
            done = finish()
            if done is not None:
                yield done
            events, person, problems = [], {}, []
            current = PersonRows(person_id, line, None)
            if person_id in seen:
                problems.append(f"line {line}: rows of {mask_cpr(person_id)} appear again "
                                "after another person's; sort the log by person_id")
            seen.add(person_id)
        if row.get("type") == "person":
            person.update({k: v for k, v in row.items() if k in PERSON_FIELDS})
            unknown = sorted(set(row) - set(PERSON_FIELDS) - {"type"})
            if unknown:
                problems.append(f"line {line}: unknown person field(s) {', '.join(unknown)}")
        else:
            events.append(row)
    done = finish()
    if done is not None:
        yield done
