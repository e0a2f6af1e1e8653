"""Every person accounted for (issue 12, point 2, reader side), on random logs: persons split
apart, interleaved, junk lines anywhere. Persons in = persons yielded clean + persons held
back, each once; every clean person's document is the one a clean log gives; rows read = rows
used + rows quarantined."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_rules.inputs.eventlog import ReadProgress, read_persons
from test_eventlog import _person

JSON_JUNK = [b"", b"   ", b"{not json", b'{"type": "no_show", "date": "2024-01-03"}', b"\xff\xfe",
             b"[1, 2]", b'{"person_id": ""}', b"[" * 5000, b'{"person_id": null, "type": "x"}']
CSV_JUNK = [b"", b',"open quote', b",\xff\xfe", b",first_contact,2024-01-02,", b",b,c,d,e,f",
            b",,,,,,,,,,,,", b" "]
"""Lines that belong to no person (a line whose person_id is not UTF-8 names a person of its
own: test_eventlog_errors)."""
COLUMNS = ("person_id", "type", "date", "birth_date", "education", "benefit", "group", "kind")


def _encode(row: dict[str, Any], kind: str) -> bytes:
    if kind == "jsonl":
        return json.dumps(row).encode()
    text = io.StringIO()
    csv.writer(text, lineterminator="").writerow([
        "" if row.get(c) is None else str(row[c]) for c in COLUMNS])
    return text.getvalue().encode()


def _write(path: Path, lines: list[bytes], kind: str) -> Path:
    head = [",".join(COLUMNS).encode()] if kind == "csv" else []
    path.write_bytes(b"\n".join(head + lines) + b"\n")
    return path


@st.composite
def _logs(draw: st.DrawFn) -> tuple[list[tuple[str | None, bytes]], list[str], str]:
    kind = draw(st.sampled_from(["jsonl", "csv"]))
    ids = [f"p{n}" for n in range(draw(st.integers(1, 6)))]
    clean = [(r["person_id"], _encode(r, kind)) for pid in ids
             for r in _person(pid, draw(st.integers(0, 3)))]
    lines: list[tuple[str | None, bytes]] = list(clean)
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(lines) - 1))
        size = draw(st.integers(1, 3))
        moved, lines = lines[start:start + size], lines[:start] + lines[start + size:]
        at = draw(st.integers(0, len(lines)))
        lines[at:at] = moved
    junk = JSON_JUNK if kind == "jsonl" else CSV_JUNK
    for _ in range(draw(st.integers(0, 4))):
        lines.insert(draw(st.integers(0, len(lines))), (None, draw(st.sampled_from(junk))))
    return lines, ids, kind


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(log=_logs())
def test_every_person_is_accounted_for(tmp_path: Path, log: Any) -> None:
    lines, ids, kind = log
    clean_rows = sorted(((pid, raw) for pid, raw in lines if pid is not None),
                        key=lambda item: ids.index(item[0]))
    want = {p.person_id: p.document for p in read_persons(
        _write(tmp_path / f"clean.{kind}", [raw for _, raw in clean_rows], kind))}
    assert all(want[pid] is not None for pid in ids)
    progress = ReadProgress()
    got = list(read_persons(_write(tmp_path / f"messy.{kind}", [raw for _, raw in lines],
                                   kind), progress))
    persons = [p for p in got if not p.unattributed]
    assert sorted(p.person_id for p in persons) == sorted(ids)
    for person in persons:
        if person.document is not None:
            assert person.document == want[person.person_id]
        else:
            assert person.problems
    rows = sum(1 for _, raw in lines if raw.strip())
    assert progress.rows_read == rows == sum(p.rows for p in got)
    assert progress.rows_read == progress.rows_used + progress.rows_quarantined
    assert progress.rows_used == sum(p.rows for p in got if p.document is not None)
    runs = [pid for index, (pid, _) in enumerate(lines) if pid is not None
            and pid != next((q for q, _ in reversed(lines[:index]) if q is not None), None)]
    for pid in ids:
        if runs.count(pid) > 1:
            assert next(p for p in persons if p.person_id == pid).document is None


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(log=_logs(), run_rows=st.integers(1, 8))
def test_grouping_by_person_reads_unsorted_logs_whole(
        tmp_path: Path, log: Any, run_rows: int) -> None:
    """With group=True (an external merge sort in runs of a few rows), a person split apart
    or interleaved is read whole: every person without an unreadable row among its rows is
    evaluated from exactly the rows of a clean log."""
    import lab_rules.inputs.eventlog_sort as sorting

    lines, ids, kind = log
    clean_rows = sorted(((pid, raw) for pid, raw in lines if pid is not None),
                        key=lambda item: ids.index(item[0]))
    want = {p.person_id: p.document for p in read_persons(
        _write(tmp_path / f"clean.{kind}", [raw for _, raw in clean_rows], kind))}
    tainted: set[str] = set()
    current = None
    for pid, raw in lines:
        if pid is not None:
            current = pid
        elif raw.strip() and current is not None:
            tainted.add(current)
    progress = ReadProgress()
    original = sorting.RUN_ROWS
    sorting.RUN_ROWS = run_rows
    try:
        got = list(read_persons(_write(tmp_path / f"messy.{kind}", [raw for _, raw in lines],
                                       kind), progress, group=True))
    finally:
        sorting.RUN_ROWS = original
    persons = [p for p in got if not p.unattributed]
    assert [p.person_id for p in persons] == sorted(ids)
    for person in persons:
        if person.person_id in tainted:
            assert person.document is None
        else:
            assert person.document == want[person.person_id]
    assert progress.rows_read == sum(1 for _, raw in lines if raw.strip())
    assert progress.rows_read == progress.rows_used + progress.rows_quarantined


def test_the_external_sort_keeps_every_cell_type_without_pickle(tmp_path: Path) -> None:
    import datetime as dt
    from decimal import Decimal

    from lab_rules.inputs.eventlog_sort import _load, _spill
    from lab_rules.inputs.row_types import Row

    cells = {"date": dt.date(2024, 2, 29), "at": dt.datetime(2024, 2, 29, 12, 30),
             "amount": Decimal("1234.50"), "raw": b"\x00\xff", "hours": 7.4, "n": 2,
             "flag": True, "none": None, "nested": {"kinds": ["jobsamtale"]}}
    run = [((1, "b", 2), Row(3, "b", cells)), ((1, "a", 5), Row(6, "a", None, "bad row", 2,
                                                                  True))]
    path = _spill(list(run), tmp_path, 0)
    assert "pickle" not in path.read_text(encoding="utf-8")
    with path.open(encoding="utf-8") as handle:
        assert list(_load(handle)) == sorted(run, key=lambda item: item[0])
