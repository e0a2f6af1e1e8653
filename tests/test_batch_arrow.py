"""The batch's tables written through Arrow (issue 14, point 4): typed rows formatted by Arrow's
kernels give exactly the bytes of the pure-Python writer (``csv`` over ``cell``), for any value
the rows can hold, and a run gives the same tables with either writer."""

from __future__ import annotations

import enum
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow")

from lab_rules.core.csv_rows import CsvRows
from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.batch import evaluate_caseload
from lab_rules.loops.batch_arrow import FLUSH_ROWS, ArrowRows, csv_bytes
from lab_rules.loops.batch_tables import BOOL, DATE, INT, MONEY, TABLE_KINDS, cell

AS_OF = date(2026, 1, 1)


class _Kind(str, enum.Enum):  # noqa: UP042 (a StrEnum's str() is its value)
    """A text enum: its ``str()`` is not its value, so it must not be taken for text."""

    LATE = "late"


def _python_bytes(rows: list[tuple[object, ...]]) -> bytes:
    out = io.StringIO()
    CsvRows(out).writerows(tuple(map(cell, r)) for r in rows)
    return out.getvalue().encode("utf-8")


_TEXT = st.one_of(st.none(), st.text(alphabet=st.sampled_from(
    ["a", "Z", " ", ",", '"', "\n", "\r", "\t", ";", "æ", "ø", "§", "\u00a0", "\x00", "0"]),
    max_size=6), st.text(max_size=4))
_MONEY = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=2),
                   st.sampled_from([Decimal(0), Decimal("0.00"), Decimal("-0.00"),
                                    Decimal("1E+2"), Decimal("12.345"), Decimal("-7.5")]))
_PURE = {None: _TEXT, INT: st.one_of(st.none(), st.integers(-(2 ** 63), 2 ** 63 - 1)),
         DATE: st.one_of(st.none(), st.dates()), BOOL: st.one_of(st.none(), st.booleans()),
         MONEY: _MONEY}
"""Values of the types the batch's rows hold in each kind of column."""
_MIXED = {None: st.one_of(_TEXT, st.just(_Kind.LATE), st.integers(), st.booleans(),
                          st.just(Decimal("1.10"))),
          INT: st.one_of(_PURE[INT], st.integers(), st.booleans(), st.just(2.0), st.just("7")),
          DATE: st.one_of(_PURE[DATE], st.datetimes(), st.just("2020-01-01")),
          BOOL: st.one_of(_PURE[BOOL], st.just(1), st.just("true")),
          MONEY: st.one_of(_MONEY, st.just(""), st.just(3), st.just(True))}
"""Anything else a column might be handed: beyond int64, a bool among integers, a datetime
among dates, a text enum among text, text among money."""


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[tuple[object, ...]], tuple[str | None, ...]]:
    kinds = tuple(draw(st.lists(st.sampled_from([None, INT, DATE, BOOL, MONEY]),
                                min_size=2, max_size=6)))
    values = [(_PURE if draw(st.booleans()) else _MIXED)[kind] for kind in kinds]
    return draw(st.lists(st.tuples(*values), max_size=12)), kinds


@settings(max_examples=400, deadline=None)
@given(_tables())
def test_arrow_formatting_is_the_python_writers_bytes_for_any_value(
        table: tuple[list[tuple[object, ...]], tuple[str | None, ...]]) -> None:
    rows, kinds = table
    assert csv_bytes(rows, kinds) == _python_bytes(rows)


def test_quoting_follows_the_standard_writer() -> None:
    rows: list[tuple[object, ...]] = [
        ("a,b", 'say "hi"', "line\nbreak", "cr\ronly", " lead", ""),
        (None, "§ 10, stk. 2", "plain", "tab\there", "trail ", "x")]
    assert csv_bytes(rows, (None,) * 6) == _python_bytes(rows)


def test_money_keeps_each_values_exponent() -> None:
    rows: list[tuple[object, ...]] = [(Decimal(0), Decimal("0.00"), Decimal("-0.00"), None),
                                      (Decimal("1E+2"), Decimal("12.345"), Decimal("5"), None)]
    assert csv_bytes(rows, (MONEY,) * 4) == b"0,0.00,-0.00,\n1E+2,12.345,5,\n"


def test_a_money_column_of_one_object_is_written_as_that_objects_text() -> None:
    zero, other_zero = Decimal("0.00"), Decimal("0")  # equal, written apart
    rows: list[tuple[object, ...]] = [(zero, zero, zero), (zero, other_zero, Decimal("0.00")),
                                      (zero, zero, zero)]
    assert csv_bytes(rows, (MONEY,) * 3) == b"0.00,0.00,0.00\n0.00,0,0.00\n0.00,0.00,0.00\n"
    assert csv_bytes(rows, (MONEY,) * 3) == _python_bytes(rows)


def test_held_rows_are_written_when_full_and_when_flushed(tmp_path: Path) -> None:
    kinds = TABLE_KINDS["refund.csv"]
    row = ("p1", "2024-01", Decimal("1.00"), None, Decimal("-2.50"), Decimal(0))
    with (tmp_path / "t.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write("header\n")
        writer = ArrowRows(handle, kinds)
        writer.writerows([row] * (FLUSH_ROWS - 1))
        assert handle.tell() == len("header\n")
        writer.writerow(row)
        written = handle.tell()
        assert written > len("header\n")
        writer.writerows([row] * 3)
        writer.flush()
    assert (tmp_path / "t.csv").read_bytes() == (
        b"header\n" + _python_bytes([row] * (FLUSH_ROWS + 3)))


@pytest.mark.parametrize(("workers", "refund", "table_format"),
                         [(1, True, "csv"), (2, False, "csv"), (1, True, "parquet")])
def test_a_run_writes_the_same_tables_through_arrow_as_through_csv(
        tmp_path: Path, workers: int, refund: bool, table_format: str) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 700, 3)
    found = {}
    for writer in ("python", "arrow"):
        out = tmp_path / writer
        evaluate_caseload(log, out, as_of=AS_OF, workers=workers, refund=refund,
                          table_format=table_format, fast_path="off", table_writer=writer)
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert run["table_writer"] == writer
        found[writer] = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "run.json"}
    assert found["arrow"] == found["python"]
    assert sum(len(b) for b in found["arrow"].values()) > 100_000
