"""The CSV files lab-rules writes: the bytes of Python's ``csv`` writer, and a cell holding a
carriage return quoted on every Python (3.11's writer leaves it bare, and a bare ``\\r`` ends
the row for every reader)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from lab_rules.core.csv_rows import CsvRows
from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.batch import evaluate_caseload

_CELLS = st.lists(st.text(alphabet=st.sampled_from(
    ["a", " ", ",", '"', "\n", "\r", "\t", "ø", "0", "\x00"]), max_size=5), min_size=1,
    max_size=4)


def _written(rows: list[list[str]]) -> str:
    out = io.StringIO()
    CsvRows(out).writerows(rows)
    return out.getvalue()


@given(st.lists(_CELLS, max_size=4))
def test_every_row_reads_back_as_written(rows: list[list[str]]) -> None:
    assert list(csv.reader(io.StringIO(_written(rows), newline=""))) == rows


@given(st.lists(_CELLS, max_size=4))
def test_rows_without_a_carriage_return_are_the_csv_writers_bytes(
        rows: list[list[str]]) -> None:
    rows = [[c.replace("\r", "") for c in row] for row in rows]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    assert _written(rows) == out.getvalue()


def test_a_person_id_holding_a_carriage_return_is_evaluated_by_every_writer_alike(
        tmp_path: Path) -> None:
    """Such a person was written on two lines of ``persons.csv`` and the run refused its
    own output (persons in 1, evaluated 2)."""
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 3, 1)
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    log.write_text("".join(json.dumps({**r, "person_id": r["person_id"].replace("-", "\r")})
                           + "\n" for r in rows), encoding="utf-8")
    outputs = []
    for writer in ("python", "arrow"):
        for workers in (1, 2):
            out = tmp_path / f"{writer}{workers}"
            done = evaluate_caseload(log, out, as_of=date(2026, 1, 1), workers=workers,
                                     table_writer=writer)
            assert (done.persons, done.evaluated, done.quarantined) == (3, 3, 0)
            outputs.append({name: (out / name).read_bytes()
                            for name in ("persons.csv", "obligations.csv", "refund.csv")})
    assert all(o == outputs[0] for o in outputs)
    with (tmp_path / "python1" / "persons.csv").open(encoding="utf-8", newline="") as handle:
        ids = [row[0] for row in csv.reader(handle)][1:]
    assert ids == ["synthetic\r0", "synthetic\r1", "synthetic\r2"]
