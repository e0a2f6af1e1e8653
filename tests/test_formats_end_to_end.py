"""The README's synth → batch example in every format: the same caseload written as JSON
Lines, CSV and Parquet by ``lab-rules synth``, and as CSV and Parquet by pandas from the same
rows, gives the same batch tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lab_rules.faces.cli import main

TABLES = ("obligations.csv", "sanctions.csv", "persons.csv", "refund.csv", "compliance.csv",
          "quotas.csv")


def _tables(folder: Path) -> dict[str, str]:
    return {name: (folder / name).read_text(encoding="utf-8") for name in TABLES}


def _batch(log: Path, out: Path) -> dict[str, str]:
    assert main(["batch", str(log), "--as-of", "2026-01-01", "--out", str(out),
                 "--workers", "1", "--allow-quarantine"]) == 0
    return _tables(out)


def test_synth_then_batch_gives_the_same_tables_in_every_format(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    results = {}
    for suffix in (".jsonl", ".csv", ".parquet"):
        log = tmp_path / f"events{suffix}"
        assert main(["synth", "--persons", "40", "--seed", "7", "--out", str(log)]) == 0
        results[suffix] = _batch(log, tmp_path / f"out{suffix}")
    rows = [json.loads(line) for line in
            (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    frame = pd.DataFrame(rows)
    frame.to_csv(tmp_path / "pandas.csv")
    frame.to_parquet(tmp_path / "pandas.parquet")
    results["pandas.csv"] = _batch(tmp_path / "pandas.csv", tmp_path / "out-pandas-csv")
    results["pandas.parquet"] = _batch(tmp_path / "pandas.parquet",
                                       tmp_path / "out-pandas-parquet")
    reference = results[".jsonl"]
    assert reference["persons.csv"].count("\n") == 41
    for name, tables in results.items():
        assert tables == reference, name
