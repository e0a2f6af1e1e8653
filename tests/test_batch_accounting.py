"""Every person accounted for (issue 12, point 2), through the whole batch: for random logs
with junk rows, split and interleaved persons, persons in = evaluated + quarantined and rows in
= rows used + rows quarantined (both in run.json), a quarantined person is in no other table,
and every evaluated person's rows are those of a clean run."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_rules.faces.cli import main
from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.batch import evaluate_caseload

AS_OF = date(2026, 1, 1)
JUNK = [b"", b"{not json", b'{"type": "no_show"}', b"\xff\xfe bad", b"[1, 2]",
        b'{"person_id": 7, "type": "first_contact"}']


def _ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[0] for row in list(csv.reader(handle))[1:]]


def _rows_by_person(path: Path) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in list(csv.reader(handle))[1:]:
            found.setdefault(row[0], []).append(row)
    return found


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_every_person_and_row_is_accounted_for(tmp_path_factory: pytest.TempPathFactory,
                                               data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("log")
    clean = folder / "clean.jsonl"
    write_event_log(clean, 10, data.draw(st.integers(0, 50), label="seed"))
    lines = clean.read_bytes().split(b"\n")[:-1]
    moves = data.draw(st.lists(st.tuples(st.integers(0, len(lines) - 1),
                                         st.integers(0, len(lines) - 1)), max_size=3),
                      label="moves")
    for source, target in moves:
        lines.insert(target, lines.pop(source))
    junk = data.draw(st.lists(st.tuples(st.sampled_from(JUNK), st.integers(0, len(lines))),
                              max_size=4), label="junk")
    for row, where in junk:
        lines.insert(where, row)
    messy = folder / "messy.jsonl"
    messy.write_bytes(b"\n".join(lines) + b"\n")
    workers = data.draw(st.sampled_from([1, 1, 2]), label="workers")
    evaluate_caseload(clean, folder / "clean", as_of=AS_OF, workers=1)
    summary = evaluate_caseload(messy, folder / "out", as_of=AS_OF, workers=workers)

    run = json.loads((folder / "out" / "run.json").read_text(encoding="utf-8"))
    persons, rows = run["accounting"]["persons"], run["accounting"]["rows"]
    assert persons["balanced"] is True
    assert persons["in"] == persons["evaluated"] + persons["quarantined"] == summary.persons
    assert rows["balanced"] is True
    assert rows["in"] == sum(1 for line in lines if line.strip())
    quarantined = {json.loads(line)["person_id"] for line in
                   (folder / "out" / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()}
    evaluated = _ids(folder / "out" / "persons.csv")
    assert len(evaluated) == persons["evaluated"] == len(set(evaluated))
    assert quarantined.isdisjoint(evaluated)
    for table in ("obligations.csv", "sanctions.csv"):
        assert quarantined.isdisjoint(_ids(folder / "out" / table))
        got = _rows_by_person(folder / "out" / table)
        want = _rows_by_person(folder / "clean" / table)
        assert all(got[p] == want[p] for p in got), table
    want_persons = _rows_by_person(folder / "clean" / "persons.csv")
    for person, person_rows in _rows_by_person(folder / "out" / "persons.csv").items():
        assert person_rows == want_persons[person]


def test_compare_out_is_whole_or_absent(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 8, 2)
    out = tmp_path / "cmp"
    args = ["compare", str(log), "--as-of", "2026-01-01", "--variant", "roedovre-genstart",
            "--workers", "1", "--out", str(out)]
    assert main(args) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(first) == {"persons.csv", "summary.csv", "months.csv", "changes.csv",
                          "quarantine.jsonl"}
    assert main(args) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(args) == 2
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cmp.")]
