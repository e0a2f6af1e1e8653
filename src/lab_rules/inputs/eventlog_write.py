"""Writing event-log rows in the format a file's suffix names: JSON Lines, CSV or Parquet.

The rows are ``timeline/v1`` JSON values with a ``person_id`` (what
:func:`lab_rules.inputs.timeline_json.timeline_to_json` gives, one event or person row each).
CSV and Parquet have one column per field of the format (``person_id``, ``type``, the person's
fields, then every event field in the order of the field table), empty where a row has no
value; Parquet columns are typed (dates as ``date32``, whole numbers as ``int64``, booleans,
decimals as ``decimal128(18, 2)``, the rest text). The file is written beside its target and
renamed into place when complete, so a failed write leaves no partial log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from lab_rules.core.aside import write_aside
from lab_rules.core.csv_rows import CsvRows
from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog_lines import format_of
from lab_rules.inputs.timeline_fields import FIELDS, optional_inner

__all__ = ["COLUMNS", "write_rows"]


def _columns() -> dict[str, Any]:
    """Every column of a tabular log with the Python type of its field."""
    columns: dict[str, Any] = {"person_id": str, "type": str}
    for fields in FIELDS.values():
        for name, tp, _ in fields:
            if name != "id":
                columns.setdefault(name, optional_inner(tp)[0])
    return columns


_TYPES = _columns()
COLUMNS: tuple[str, ...] = tuple(_TYPES)
_BATCH = 10_000
_MONEY_DIGITS = 18
_MONEY_SCALE = 2


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_jsonl(handle: TextIO, rows: Iterable[dict[str, object]]) -> int:
    count = 0
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(handle: TextIO, rows: Iterable[dict[str, object]]) -> int:
    writer = CsvRows(handle)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([_text(row.get(column)) for column in COLUMNS])
        count += 1
    return count


def _arrow_type(pa: Any, tp: Any) -> Any:
    if tp is date:
        return pa.date32()
    if tp is bool:
        return pa.bool_()
    if tp is int:
        return pa.int64()
    if tp is Decimal:
        return pa.decimal128(_MONEY_DIGITS, _MONEY_SCALE)
    return pa.string()


def _typed(value: object, tp: Any) -> object:
    if value is None:
        return None
    if tp is date:
        return date.fromisoformat(str(value))
    if tp is Decimal:
        return Decimal(str(value))
    return value


def _write_parquet(target: Path, rows: Iterable[dict[str, object]]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise LabRulesError("writing Parquet needs pyarrow: pip install "
                            "'lab-rules[parquet]'") from err
    schema = pa.schema([(name, _arrow_type(pa, tp)) for name, tp in _TYPES.items()])
    count = 0
    iterator: Iterator[dict[str, object]] = iter(rows)
    with pq.ParquetWriter(target, schema) as writer:
        while chunk := list(islice(iterator, _BATCH)):
            writer.write_table(pa.table(
                {name: [_typed(row.get(name), tp) for row in chunk]
                 for name, tp in _TYPES.items()}, schema=schema))
            count += len(chunk)
    return count


def write_rows(path: str | Path, rows: Iterable[dict[str, object]]) -> int:
    """Write *rows* to *path* in the format its suffix names (``.jsonl``, ``.csv``,
    ``.parquet``); returns the number of rows. Nothing is left at *path* if writing fails."""
    kind = format_of(Path(path))
    count = 0

    def write(partial: Path) -> None:
        nonlocal count
        if kind == "parquet":
            count = _write_parquet(partial, rows)
        else:
            with partial.open("w", encoding="utf-8", newline="") as handle:
                count = (_write_csv if kind == "csv" else _write_jsonl)(handle, rows)

    write_aside(path, write)
    return count
