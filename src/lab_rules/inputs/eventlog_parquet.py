"""Parquet event logs (the ``parquet`` extra: pyarrow): the columns of a CSV log, read one
row group and record batch at a time; a row number (from 1) stands in for the line.

Arrow dates and timestamps, integers, floats (pandas' columns with gaps), decimals and
booleans arrive as Python values and go through the same cell converters as the other
formats. A file whose footer cannot be read (empty, truncated, not Parquet) stops the read
with one error; a row group or a cell that cannot be read is a problem of the persons whose
rows it holds, found from the ``person_id`` column when that can still be read, else of the
persons on either side of the unreadable block.

A file can be read in pieces of rows, cut where a new person starts
(:func:`parquet_person_starts`), for the batch's workers; a piece that meets a row group it
cannot read raises :class:`PieceUnreadableError`, and the batch reads the file in one pass instead,
which reports the damage as above.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.row_types import ReadProgress, Row, person_id_of

__all__ = ["PieceUnreadableError", "ignored_column", "opened", "parquet_module",
           "parquet_person_starts", "parquet_row_count", "parquet_rows", "ranged_batches"]

_BATCH = 8192


def parquet_module() -> Any:
    """``pyarrow.parquet``, or the error that names the extra to install."""
    try:
        import pyarrow.parquet as pq
    except ImportError as err:
        raise LabRulesError("reading Parquet needs pyarrow: pip install "
                            "'lab-rules[parquet]'") from err
    return pq


def ignored_column(name: str) -> bool:
    """pandas' index columns: unnamed, or ``__index_level_N__``."""
    return not name.strip() or name.startswith("__index_level_")


class PieceUnreadableError(Exception):
    """A piece of a Parquet log holds rows that cannot be read: read the log in one pass."""


def ranged_batches(source: Any, names: list[str], offsets: list[int], start: int,
                   end: int | None, batch_size: int) -> Iterator[Any]:
    """The record batches of rows *start* to *end* (from 0, end excluded; None: to the last
    row) of an open ``ParquetFile`` whose row group *g* holds rows ``offsets[g]`` to
    ``offsets[g + 1]`` (:func:`opened`), cut from the row groups that hold them, which are
    found by binary search."""
    limit = offsets[-1] if end is None else min(end, offsets[-1])
    groups = [g for g in range(max(bisect_right(offsets, start) - 1, 0),
                               bisect_left(offsets, limit))
              if offsets[g + 1] > max(start, offsets[g])]
    if not groups:
        return
    at = offsets[groups[0]]
    for batch in source.iter_batches(batch_size=batch_size, row_groups=groups, columns=names,
                                     use_threads=False):
        count = batch.num_rows
        low, high = max(start - at, 0), min(limit - at, count)
        at += count
        if low < high:
            yield batch if low == 0 and high == count else batch.slice(low, high - low)
        if at >= limit:
            return


def opened(path: Path) -> tuple[Any, list[str], list[int]]:
    """The open ``ParquetFile`` of an event log, the columns read (pandas' index columns left
    out) and the row groups' offsets (the first row of each, then the row count); one error
    for a file that cannot be opened, has no ``person_id`` column or names a column twice (as
    a CSV header may not: a row's value would be lost)."""
    pq = parquet_module()
    try:
        source = pq.ParquetFile(path)
        names = [n for n in source.schema_arrow.names if not ignored_column(n)]
        metadata = source.metadata
        offsets = [0]
        for group in range(metadata.num_row_groups):
            offsets.append(offsets[-1] + metadata.row_group(group).num_rows)
    except Exception as err:  # whatever pyarrow raises on a damaged footer
        raise LabRulesError(f"{path}: cannot be read as Parquet: {err}") from None
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise LabRulesError(f"{path}: column(s) named twice: {', '.join(twice)}")
    if "person_id" not in names:
        raise LabRulesError(f"{path}: no person_id column")
    return source, names, offsets


def parquet_row_count(path: Path) -> int:
    """The rows of a Parquet log, from its footer."""
    return opened(path)[2][-1]


def parquet_rows(path: Path, progress: ReadProgress | None = None, start: int = 0,
                 end: int | None = None) -> Iterator[Row]:
    """The rows of a Parquet event log (or of rows *start* to *end*, from 0, end excluded: a
    piece from :func:`parquet_person_starts`); *progress* counts rows against the footer's
    count."""
    source, names, offsets = opened(path)
    if progress is not None:
        progress.total = offsets[-1]
    piece = start > 0 or end is not None
    for group, (begin, finish) in enumerate(pairwise(offsets)):
        low, high = max(start, begin), finish if end is None else min(finish, end)
        if low >= high:
            continue
        done = low - begin
        try:
            for batch in ranged_batches(source, names, offsets, low, high, _BATCH):
                yield from _batch_rows(batch, names, begin + 1 + done)
                done += batch.num_rows
                if progress is not None:
                    progress.read += batch.num_rows
        except Exception as err:  # a damaged row group, whatever pyarrow raises
            if piece:
                raise PieceUnreadableError(f"row group {group + 1}: {err}") from None
            yield from _unreadable(source, group, begin + 1 + done, done, finish - begin, err)
            if progress is not None:
                progress.read += finish - begin - done


def parquet_person_starts(path: Path, parts: int) -> list[int]:
    """Row numbers (from 0) that cut a Parquet log into at most *parts* pieces, each beginning
    at a row where a new person starts (as :func:`lab_rules.inputs.eventlog_pieces.
    person_starts` cuts JSON Lines); the first is 0. Only the ``person_id`` column is read,
    near each cut; a cut whose rows around it cannot be read is left out (the piece that
    holds them says so when it is read)."""
    source, _, offsets = opened(path)
    total = offsets[-1]
    cuts = [0]
    for part in range(1, parts):
        candidate = max(total * part // parts, cuts[-1] + 1)
        if candidate >= total:
            break
        try:
            cut = _next_person(source, offsets, candidate)
        except Exception:  # a cell or row group near the cut that cannot be read
            continue
        if cut is None:
            break
        if cut > cuts[-1]:
            cuts.append(cut)
    return cuts


def _ids(source: Any, offsets: list[int], low: int, high: int) -> list[str | None]:
    return [person_id_of(value) for batch in ranged_batches(
        source, ["person_id"], offsets, low, high, _BATCH) for value in
        batch.column(0).to_pylist()]


def _next_person(source: Any, offsets: list[int], candidate: int) -> int | None:
    """The first row from *candidate* on whose person differs from the last person before
    it (rows without one belong to neither); None if there is none."""
    last = None
    back = candidate
    window = _BATCH
    while last is None and back > 0:
        low = max(0, back - window)
        last = next((p for p in reversed(_ids(source, offsets, low, back)) if p is not None),
                    None)
        back, window = low, window * 2
    total = offsets[-1]
    at = candidate
    window = _BATCH
    while at < total:
        ids = _ids(source, offsets, at, at + window)
        if not ids:
            return None
        for offset, person in enumerate(ids):
            if person is not None and person != last:
                return at + offset
        at, window = at + len(ids), window * 2
    return None


def _batch_rows(batch: Any, names: list[str], first: int) -> Iterator[Row]:
    try:
        records = batch.to_pylist()
    except Exception:  # a cell Python cannot hold (a date past year 9999)
        records = None
    if records is not None:
        for offset, record in enumerate(records):
            person = person_id_of(record.pop("person_id", None))
            line = first + offset
            yield (Row(line, person, record) if person is not None
                   else Row(line, None, None, "a row needs a person_id"))
        return
    columns = {name: batch.column(name) for name in names}
    for offset in range(batch.num_rows):
        yield _cell_by_cell(columns, offset, first + offset)


def _cell_by_cell(columns: dict[str, Any], offset: int, line: int) -> Row:
    record: dict[str, object] = {}
    bad: list[str] = []
    for name, column in columns.items():
        try:
            record[name] = column[offset].as_py()
        except Exception as err:  # one cell Python cannot hold
            bad.append(f"{name}: cannot be read: {err}")
    person = person_id_of(record.pop("person_id", None))
    if bad or person is None:
        return Row(line, person, None, "; ".join(bad) or "a row needs a person_id")
    return Row(line, person, record)


def _unreadable(source: Any, group: int, first: int, done: int, size: int,
                err: Exception) -> Iterator[Row]:
    """Rows *done*.. of row *group* that could not be read: each a problem of its person when
    the ``person_id`` column can still be read, else one block that holds back the persons on
    either side."""
    problem = f"row group {group + 1} cannot be read: {err}"
    try:
        ids = source.read_row_group(group, columns=["person_id"]).column(0).to_pylist()[done:]
    except Exception:  # the person_id column is damaged too
        ids = None
    if ids is not None and len(ids) == size - done:
        for offset, value in enumerate(ids):
            yield Row(first + offset, person_id_of(value), None, problem)
        return
    if size > done:
        yield Row(first, None, None, f"rows {first}-{first + size - done - 1}: {problem}",
                  size=size - done, taints_next=True)
