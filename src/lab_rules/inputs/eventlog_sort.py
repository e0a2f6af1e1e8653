"""Grouping an unsorted event log by person, in bounded memory, before it is read as persons.

An external merge sort from the standard library: the rows are read once, in runs of at most
:data:`RUN_ROWS` rows sorted by person (and, within a person, by their place in the log) and
written to temporary files (``pickle``, so every cell keeps its type), then merged with
:func:`heapq.merge`, holding one row per run. A row that belongs to no person stays with the
person whose rows it sits among, as when the log is read unsorted, and a damaged Parquet block
still holds back the person after it; rows before any person come first. The temporary files
are removed when the merge ends, however it ends.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

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


def _spill(run: list[tuple[_Key, Row]], folder: Path, index: int) -> Path:
    run.sort(key=lambda item: item[0])
    path = folder / f"run-{index}"
    with path.open("wb") as handle:
        for item in run:
            pickle.dump(item, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _load(handle: BinaryIO) -> Iterator[tuple[_Key, Row]]:
    while True:
        try:
            yield pickle.load(handle)
        except EOFError:
            return


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
        handles = [path.open("rb") for path in paths]
        try:
            for _, row in heapq.merge(*(_load(h) for h in handles), key=lambda item: item[0]):
                yield row
        finally:
            for handle in handles:
                handle.close()
