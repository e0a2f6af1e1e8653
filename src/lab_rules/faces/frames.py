"""Results as typed data frames for analysts: a single evaluation, a batch run's tables and a
what-if comparison, in pandas (Arrow-backed dtypes) or polars.

Dates are dates, counts integers, money ``decimal128(18, 2)`` (never float or ``object``),
groups, statuses and rule ids categories. ``pip install 'lab-rules[frames]'``.

    >>> from lab_rules import frames                                      # doctest: +SKIP
    >>> tables = frames.batch_frames("out/batch")                         # doctest: +SKIP
    >>> tables["obligations"].dtypes                                      # doctest: +SKIP
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from lab_rules.core.errors import LabRulesError
from lab_rules.evaluation.result import Evaluation
from lab_rules.loops.batch_tables import (
    BOOL,
    COLUMN_TYPES,
    DATE,
    INT,
    MONEY,
    SHARE,
)
from lab_rules.loops.typed_frames import CATEGORIES, arrow_table, as_frame
from lab_rules.loops.whatif import Comparison

__all__ = ["batch_frames", "comparison_frames", "evaluation_frames"]


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {INT: pa.int64(), DATE: pa.date32(), MONEY: pa.decimal128(18, 2),
            SHARE: pa.decimal128(9, 3), BOOL: pa.bool_()}[kind]


def evaluation_frames(evaluation: Evaluation, backend: str = "pandas") -> dict[str, Any]:
    """One evaluation's ``obligations``, ``sanctions``, ``refund`` (per month) and ``notes``."""
    obligations = [{
        "rule_id": o.rule_id, "sequence": o.sequence, "group": o.group.value,
        "opens": o.opens, "due": o.due, "fulfilled_on": o.fulfilled_on,
        "status": o.status.value, "days_late": o.days_late, "days_overdue": o.days_overdue,
        "legal_basis": o.rule.legal_basis.cite()} for o in evaluation.obligations]
    sanctions = [{
        "failure": s.failure, "date": s.day, "rule": s.rule, "benefit": s.benefit,
        "sanctionable": s.sanctionable, "days": s.days, "rate": s.rate,
        "deducted": s.deducted, "legal_basis": s.legal_basis} for s in evaluation.sanctions]
    months: dict[str, dict[str, Any]] = {}
    if evaluation.refund is not None:
        for total in evaluation.refund.months:
            row = months.setdefault(total.month, {"month": total.month})
            row["refund"] = total.refund
            row["cofinancing"] = total.cofinancing
    for total in evaluation.refund_loss_months:
        months.setdefault(total.month, {"month": total.month})["refund_lost"] = total.refund
    notes = [{"kind": n.kind, "text": n.text, "rule_id": n.rule_id} for n in evaluation.notes]
    tables = {
        "obligations": arrow_table(obligations, _OBLIGATION_COLUMNS),
        "sanctions": arrow_table(sanctions, _SANCTION_COLUMNS),
        "refund": arrow_table([months[m] for m in sorted(months)], _REFUND_COLUMNS,
                              _money_types(_REFUND_COLUMNS[1:])),
        "notes": arrow_table(notes, ("kind", "text", "rule_id")),
    }
    return {name: as_frame(table, backend) for name, table in tables.items()}


_OBLIGATION_COLUMNS = ("rule_id", "sequence", "group", "opens", "due", "fulfilled_on",
                       "status", "days_late", "days_overdue", "legal_basis")
_SANCTION_COLUMNS = ("failure", "date", "rule", "benefit", "sanctionable", "days", "rate",
                     "deducted", "legal_basis")
_REFUND_COLUMNS = ("month", "refund", "cofinancing", "refund_lost")


def _money_types(columns: tuple[str, ...]) -> dict[str, Any]:
    return {column: _arrow_type(MONEY) for column in columns}


def batch_frames(folder: str | Path, backend: str = "pandas") -> dict[str, Any]:
    """The tables of a ``lab-rules batch`` result folder (CSV or Parquet), typed."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq
    except ImportError as err:
        raise LabRulesError("typed DataFrames need pyarrow: pip install "
                            "'lab-rules[frames]'") from err
    root = Path(folder)
    if not (root / "run.json").is_file():
        raise LabRulesError(f"{root}: not a lab-rules batch result (no run.json)")
    frames: dict[str, Any] = {}
    for path in sorted([*root.glob("*.csv"), *root.glob("*.parquet")]):
        if path.suffix == ".parquet":
            table = pq.read_table(path)
        else:
            with path.open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle), [])
            kinds = COLUMN_TYPES.get(path.stem, {})
            types = {c: _arrow_type(kinds[c]) if c in kinds else pa.string() for c in header}
            table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=False, true_values=["true"],
                false_values=["false"]))
        for index, name in enumerate(table.column_names):
            if name in CATEGORIES and pa.types.is_string(table.schema.field(name).type):
                table = table.set_column(index, name, table.column(name).dictionary_encode())
        frames[path.stem] = as_frame(table, backend)
    return frames


def comparison_frames(comparison: Comparison, backend: str = "pandas") -> dict[str, Any]:
    """A what-if comparison's tables, typed (the same as ``Comparison.frames``)."""
    return comparison.frames(backend)
