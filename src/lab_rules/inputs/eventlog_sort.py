"""Grouping an unsorted event log by person, in bounded memory, before it is read as persons.

An external merge sort from the standard library: the rows are read once, in runs of at most
:data:`RUN_ROWS` rows sorted by person (and, within a person, by their place in the log) and
written to temporary files (JSON Lines, with dates, times and decimals tagged so every cell
keeps its type; nothing is unpickled, so a temporary file can never run code), then merged with
:func:`heapq.merge`, holding one row per run. A row that belongs to no person stays with the
person whose rows it sits among, as when the log is read unsorted, and a damaged Parquet block
still holds back the person after it; rows before any person come first. The temporary files
are removed when the merge ends, however it ends.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from lab_rules.inputs.row_types import Row

__all__ = ["RUN_ROWS", "grouped_rows"]

RUN_ROWS = 100_000
"""Rows sorted in memory at a time; the memory bound of the sort."""

_Key = tuple[int, str, int]
_NO_PERSON = (0, "")


def _keyed(rows: Iterator[Row]) -> Iterator[tuple[_Key, Row]]:
    """Each row with its sort key: its person (or that of the rows it sits among) and its
    place in the log. A damaged block's warning is carried to the next person as a row of no
    size."""
    current: tuple[int, str] = _NO_PERSON
    taint: Row | None = None
    for seq, row in enumerate(rows):
        if row.person is not None:
            if taint is not None and row.person != current[1]:
                yield (1, row.person, seq), taint._replace(person=row.person, size=0,
                                                           taints_next=False)
            taint = None
            current = (1, row.person)
        yield (*current, seq), row._replace(taints_next=False) if row.taints_next else row
        if row.taints_next:
            taint = Row(row.line, None, None, f"rows from {row.line} could not be read and may "
                        "hold rows of this person")


_TAG = "\u0000lab-rules"
_TYPES: dict[str, Any] = {"date": dt.date.fromisoformat, "datetime": dt.datetime.fromisoformat,
                          "time": dt.time.fromisoformat, "decimal": Decimal,
                          "bytes": bytes.fromhex}


def _tagged(value: object) -> object:
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {_TAG: "time", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "v": str(value)}
    if isinstance(value, bytes):
        return {_TAG: "bytes", "v": value.hex()}
    raise TypeError(f"a cell of type {type(value).__name__} cannot be sorted")


def _untagged(table: dict[str, Any]) -> object:
    kind = table.get(_TAG)
    return _TYPES[kind](table["v"]) if kind in _TYPES else table


def _spill(run: list[tuple[_Key, Row]], folder: Path, index: int) -> Path:
    run.sort(key=lambda item: item[0])
    path = folder / f"run-{index}"
    with path.open("w", encoding="utf-8") as handle:
        for key, row in run:
            handle.write(json.dumps([key, list(row)], default=_tagged) + "\n")
    return path


def _load(handle: TextIO) -> Iterator[tuple[_Key, Row]]:
    for line in handle:
        key, fields = json.loads(line, object_hook=_untagged)
        yield (key[0], key[1], key[2]), Row(*fields)


def grouped_rows(rows: Iterator[Row], run_rows: int | None = None) -> Iterator[Row]:
    """*rows* grouped by person (persons in id order, each person's rows in log order), in
    memory bounded by *run_rows* rows (default :data:`RUN_ROWS`)."""
    bound = run_rows or RUN_ROWS
    with tempfile.TemporaryDirectory(prefix="lab-rules-sort-") as scratch:
        folder = Path(scratch)
        paths: list[Path] = []
        run: list[tuple[_Key, Row]] = []
        for item in _keyed(rows):
            run.append(item)
            if len(run) >= bound:
                paths.append(_spill(run, folder, len(paths)))
                run = []
        paths.append(_spill(run, folder, len(paths)))
        handles = [path.open(encoding="utf-8") for path in paths]
        try:
            for _, row in heapq.merge(*(_load(h) for h in handles), key=lambda item: item[0]):
                yield row
        finally:
            for handle in handles:
                handle.close()
