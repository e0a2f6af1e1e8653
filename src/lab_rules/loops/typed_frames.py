"""Rows as typed data frames: dates as dates, counts as integers, money as Arrow
``decimal128(18, 2)`` (never float or ``object``), labels as categories.

The one conversion every DataFrame of lab-rules goes through (what-if comparisons, batch
tables, a single evaluation): rows of plain Python values become an Arrow table with explicit
types, then a pandas frame backed by Arrow (``pd.ArrowDtype``) or a polars frame. Needs
pyarrow and pandas or polars (``pip install 'lab-rules[frames]'``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from lab_rules.core.errors import LabRulesError

__all__ = ["CATEGORIES", "arrow_table", "as_frame"]

CATEGORIES = frozenset({"variant", "group", "status", "rule_id", "benefit", "failure",
                        "rule", "rule_era", "kind", "quota", "cohort", "confidence"})
"""Columns of few distinct labels, kept as categories (Arrow dictionaries)."""
MONEY_SCALE = 2
SHARE_SCALE = 3


def _arrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError as err:
        raise LabRulesError("typed DataFrames need pyarrow: pip install "
                            "'lab-rules[frames]'") from err
    return pa


def _month(value: object) -> object:
    """``YYYY-MM`` as the first day of that month."""
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        return dt.date(int(value[:4]), int(value[5:]), 1)
    return value


def _type_of(name: str, values: Sequence[object], pa: Any) -> Any:
    present = [v for v in values if v is not None]
    if name in CATEGORIES:
        return pa.dictionary(pa.int32(), pa.string())
    if not present:
        return pa.string()
    first = present[0]
    if isinstance(first, bool):
        return pa.bool_()
    if isinstance(first, int):
        return pa.int64()
    if isinstance(first, Decimal):
        scale = max(-v.as_tuple().exponent for v in present  # type: ignore[operator]
                    if isinstance(v, Decimal))
        return pa.decimal128(18, max(scale, MONEY_SCALE) if scale <= MONEY_SCALE
                             else SHARE_SCALE)
    if isinstance(first, dt.date):
        return pa.date32()
    return pa.string()


def arrow_table(rows: Iterable[Mapping[str, object]], columns: Sequence[str] | None = None,
                types: Mapping[str, Any] | None = None) -> Any:
    """An Arrow table of *rows* (dicts), column types inferred from the values unless given in
    *types*; ``month`` columns of ``YYYY-MM`` become dates (the month's first day)."""
    pa = _arrow()
    rows = list(rows)
    names = list(columns) if columns is not None else list(dict.fromkeys(
        key for row in rows for key in row))
    arrays = []
    for name in names:
        values = [row.get(name) for row in rows]
        if name == "month":
            values = [_month(v) for v in values]
        kind = (types or {}).get(name) or _type_of(name, values, pa)
        if pa.types.is_dictionary(kind):
            arrays.append(pa.array([None if v is None else str(v) for v in values],
                                   pa.string()).dictionary_encode())
        else:
            arrays.append(pa.array(values, kind))
    return pa.table(dict(zip(names, arrays, strict=True)))


def as_frame(table: Any, backend: str = "pandas") -> Any:
    """The Arrow *table* as a pandas DataFrame with Arrow-backed dtypes, or a polars one."""
    if backend == "polars":
        try:
            import polars as pl
        except ImportError as err:
            raise LabRulesError("polars frames need polars: pip install "
                                "'lab-rules[frames]'") from err
        return pl.from_arrow(table)
    if backend != "pandas":
        raise LabRulesError(f"backend {backend!r}: expected pandas or polars")
    try:
        import pandas as pd
    except ImportError as err:
        raise LabRulesError("pandas frames need pandas: pip install 'lab-rules[frames]'") \
            from err
    return table.to_pandas(types_mapper=pd.ArrowDtype)
