"""Typed data frames (issue 15, point 5): dates, integers, money as decimal128(18, 2), never
float or object, labels as categories; pandas (Arrow-backed) and polars alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lab_rules import evaluate, frames, load_timeline
from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.batch import evaluate_caseload
from lab_rules.loops.whatif import compare_caseload

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
ROOT = Path(__file__).resolve().parents[1]
MONEY = pa.decimal128(18, 2)


def _arrow(series: object) -> object:
    dtype = series.dtype  # type: ignore[attr-defined]
    assert isinstance(dtype, pd.ArrowDtype), f"{series.name}: {dtype}"  # type: ignore[attr-defined]
    return dtype.pyarrow_dtype


def test_batch_tables_as_pandas_have_dates_integers_money_and_categories(
        tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    write_event_log(log, 60, 2)
    evaluate_caseload(log, tmp_path / "out", as_of=date(2026, 1, 1), workers=1)
    tables = frames.batch_frames(tmp_path / "out")
    obligations, refund = tables["obligations"], tables["refund"]
    assert _arrow(obligations["due"]) == pa.date32()
    assert _arrow(obligations["days_late"]) == pa.int64()
    assert pa.types.is_dictionary(_arrow(obligations["status"]))
    assert _arrow(refund["refund_lost"]) == MONEY
    assert _arrow(tables["persons"]["deducted"]) == MONEY
    assert all(str(t) not in ("object", "float64") for t in obligations.dtypes)
    assert refund["refund"].sum() == sum(
        (Decimal(v) for v in (tmp_path / "out" / "refund.csv").read_text().splitlines()[1:]
         for v in [v.split(",")[2]]), Decimal(0))


def test_batch_tables_as_polars_keep_the_same_types(tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    log = tmp_path / "log.jsonl"
    write_event_log(log, 30, 2)
    evaluate_caseload(log, tmp_path / "out", as_of=date(2026, 1, 1), workers=1)
    tables = frames.batch_frames(tmp_path / "out", backend="polars")
    schema = tables["obligations"].schema
    assert schema["due"] == pl.Date
    assert schema["status"] == pl.Categorical
    assert tables["refund"].schema["refund_lost"] == pl.Decimal(18, 2)


def test_a_single_evaluation_as_frames() -> None:
    timeline = load_timeline(ROOT / "examples" / "timelines" / "jobparat-kontanthjaelp-noshow.json")
    result = evaluate(timeline, as_of=date(2024, 10, 1))
    tables = frames.evaluation_frames(result)
    assert len(tables["obligations"]) == len(result.obligations)
    assert _arrow(tables["obligations"]["opens"]) == pa.date32()
    assert _arrow(tables["obligations"]["sequence"]) == pa.int64()


def test_comparison_frames_have_money_as_decimal_and_months_as_dates() -> None:
    comparison = compare_caseload(ROOT / "examples" / "caseload" / "caseload.jsonl", "national",
                                  "roedovre-genstart", as_of=date(2026, 1, 1))
    tables = comparison.frames()
    assert _arrow(tables["persons"]["refund_loss"]) == MONEY
    assert _arrow(tables["persons"]["d_refund_loss"]) == MONEY
    assert _arrow(tables["months"]["month"]) == pa.date32()
    assert pa.types.is_dictionary(_arrow(tables["summary"]["variant"]))
    national = tables["summary"].set_index("variant").loc["national"]
    assert national["refund_loss"] == comparison.summary[0]["refund_loss"]
