"""The Dask path (issue 6, point 7): on a local Dask cluster it gives exactly the tables of the
single-machine batch, quarantine included (a person given two person rows is held back by
both)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.batch import evaluate_caseload

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

AS_OF = date(2026, 1, 1)


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return sorted(list(csv.reader(handle))[1:])


def test_dask_tables_equal_the_local_batch(tmp_path: Path) -> None:
    from lab_rules.loops.dask_partitions import evaluate_partitions as dask_evaluate

    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 60, 4)
    lines = log.read_text(encoding="utf-8").splitlines()
    broken = [json.loads(line) for line in lines]
    for row in broken:
        if row["person_id"] == "synthetic-5" and row["type"] == "benefit_started":
            row["date"] = "2024-02-30"
    again = next(r for r in broken if r["person_id"] == "synthetic-7" and r["type"] == "person")
    broken.insert(broken.index(again) + 2, dict(again, custody=not again.get("custody")))
    log.write_text("".join(json.dumps(r) + "\n" for r in broken), encoding="utf-8")
    evaluate_caseload(log, tmp_path / "local", as_of=AS_OF, workers=1)

    frame = pd.read_json(log, lines=True, dtype=False)
    ddf = dd.from_pandas(frame, npartitions=4)
    cluster = distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None)
    with cluster, distributed.Client(cluster):
        tables = {name: table.compute() for name, table in
                  dask_evaluate(ddf, as_of=AS_OF).items()}
    for name in ("obligations", "sanctions", "persons"):
        got = sorted(tables[name].astype(str).values.tolist())
        assert got == _csv_rows(tmp_path / "local" / f"{name}.csv"), name
    assert sorted(tables["quarantine"]["person_id"]) == ["synthetic-5", "synthetic-7"]
    local = [json.loads(line)["person_id"] for line in
             (tmp_path / "local" / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(local) == ["synthetic-5", "synthetic-7"]
