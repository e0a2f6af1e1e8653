"""Parquet event logs (the ``parquet`` extra: pyarrow): the columns of a CSV log, read one
row group and record batch at a time; a row number (from 1) stands in for the line.

Arrow dates and timestamps, integers, floats (pandas' columns with gaps), decimals and
booleans arrive as Python values and go through the same cell converters as the other
formats. A file whose footer cannot be read (empty, truncated, not Parquet) stops the read
with one error; a row group or a cell that cannot be read is a problem of the persons whose
rows it holds, found from the ``person_id`` column when that can still be read, else of the
persons on either side of the unreadable block.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.row_types import ReadProgress, Row, person_id_of

__all__ = ["ignored_column", "parquet_module", "parquet_rows"]

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


def parquet_rows(path: Path, progress: ReadProgress | None = None) -> Iterator[Row]:
    """The rows of a Parquet event log; *progress* counts rows against the footer's count."""
    pq = parquet_module()
    try:
        source = pq.ParquetFile(path)
        names = [n for n in source.schema_arrow.names if not ignored_column(n)]
        groups = source.metadata.num_row_groups
        sizes = [source.metadata.row_group(g).num_rows for g in range(groups)]
    except Exception as err:  # whatever pyarrow raises on a damaged footer
        raise LabRulesError(f"{path}: cannot be read as Parquet: {err}") from None
    if "person_id" not in names:
        raise LabRulesError(f"{path}: no person_id column")
    if progress is not None:
        progress.total = sum(sizes)
    first = 1
    for group, size in enumerate(sizes):
        done = 0
        try:
            for batch in source.iter_batches(batch_size=_BATCH, row_groups=[group],
                                             columns=names, use_threads=False):
                yield from _batch_rows(batch, names, first + done)
                done += batch.num_rows
                if progress is not None:
                    progress.read += batch.num_rows
        except Exception as err:  # a damaged row group, whatever pyarrow raises
            yield from _unreadable(source, group, first + done, done, size, err)
            if progress is not None:
                progress.read += size - done
        first += size


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
