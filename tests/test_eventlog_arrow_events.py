"""The Arrow reader can read each clean person's events itself (``events=True``: each distinct
cell once, with the timeline parser's converters) and hand them over with the person, so
``parse_timeline`` only checks them. They must be the events the parser reads from the
person's document, one per event and in order; a person with any event the parser would not
read so is handed over without them, and the timeline (or its located problems) is the same
either way."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyarrow")

from lab_rules.core.errors import TimelineError
from lab_rules.inputs.eventlog import PersonRows, read_persons
from lab_rules.inputs.eventlog_arrow import persons_reader, read_persons_arrow
from lab_rules.inputs.eventlog_write import write_rows
from lab_rules.inputs.synth import write_event_log
from lab_rules.inputs.timeline_json import _read_events, parse_timeline
from lab_rules.loops.batch import evaluate_caseload

ROWS: list[dict[str, Any]] = [
    {"person_id": "a", "type": "person", "birth_date": "1990-01-01"},
    {"person_id": "a", "type": "first_contact", "date": "2024-02-01"},
    {"person_id": "a", "type": "payment", "benefit": "kontanthjaelp", "start": "2024-02-01",
     "end": "2024-02-29", "amount": "12000.50"},
    {"person_id": "b", "type": "first_contact", "date": "1700-02-01"},
    {"person_id": "c", "type": "payment", "benefit": "kontanthjaelp", "start": "2024-02-01"},
    {"person_id": "d", "type": "payment", "benefit": "no_such_benefit",
     "start": "2024-02-01", "end": "2024-02-29"},
    {"person_id": "e", "type": "benefit_started", "date": "2024-02-01",
     "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"},
    {"person_id": "e", "type": "benefit_ended", "date": "2024-01-01",
     "benefit": "kontanthjaelp"},
    {"person_id": "f", "type": "payment", "benefit": "kontanthjaelp", "start": "2024-02-01",
     "end": "2024-02-29", "amount": "20000000.00"},
    {"person_id": "g", "type": "first_contact", "date": "2024-02-01", "ref": " "},
    {"person_id": "g", "type": "payment", "benefit": "kontanthjaelp", "start": "2024-02-01",
     "end": "2024-02-29", "amount": "3"},
    {"person_id": "h", "type": "exemption", "start": "2024-02-01", "end": "9999-12-31",
     "reason": "sygdom"},
    {"person_id": "i", "type": "first_contact", "date": "2024-02-01"},
    {"person_id": "i", "type": "first_contact", "date": "2024-02-01"},
]


def _timeline(rows: PersonRows, read: bool) -> object:
    try:
        return parse_timeline(rows.document, events=rows.events if read else None)
    except TimelineError as err:
        return [str(problem) for problem in err.problems]


def _check(persons: list[PersonRows]) -> int:
    """Every person's events read by the reader are the parser's; the timelines (or
    problems) are the same with them and without. The number of persons with events."""
    found = 0
    for rows in persons:
        if rows.events is not None:
            assert rows.document is not None
            expected = _read_events(rows.document["events"])
            assert expected is not None, rows.person_id
            assert list(rows.events) == expected, rows.person_id
            assert [type(e) for e in rows.events] == [type(e) for e in expected]
            found += 1
        if rows.document is not None:
            assert _timeline(rows, True) == _timeline(rows, False), rows.person_id
    return found


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_events_read_by_the_reader_are_the_parsers_events(tmp_path: Path, suffix: str) -> None:
    log = tmp_path / f"caseload{suffix}"
    write_event_log(log, 200, 5)
    persons = list(read_persons_arrow(log, events=True))
    assert persons == list(read_persons(log))
    assert _check(persons) == len(persons) == 200


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_events_are_left_out_where_the_parser_would_not_read_them(tmp_path: Path,
                                                                  suffix: str) -> None:
    log = tmp_path / f"mixed{suffix}"
    if suffix == ".jsonl":
        log.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    else:
        write_rows(log, ROWS)
    persons = list(read_persons_arrow(log, events=True))
    assert persons == list(read_persons(log))
    _check(persons)
    read = {rows.person_id for rows in persons if rows.events is not None}
    assert {"a", "e", "h", "i"} <= read
    assert not read & {"b", "c", "d", "f"}


def test_events_are_read_only_when_asked(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 20, 2)
    assert all(rows.events is None for rows in read_persons_arrow(log))
    assert all(rows.events is not None for rows in persons_reader("arrow", True)(log))
    assert all(rows.events is None for rows in persons_reader("python", True)(log))


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_batch_tables_are_the_same_with_the_readers_events(tmp_path: Path, suffix: str) -> None:
    log = tmp_path / f"mixed{suffix}"
    write_event_log(tmp_path / f"synthetic{suffix}", 30, 4)
    rows = [*_read_rows(tmp_path / f"synthetic{suffix}"), *ROWS]
    write_rows(log, rows)
    outputs = {}
    for reader in ("python", "arrow"):
        out = tmp_path / reader
        evaluate_caseload(log, out, as_of=date(2026, 1, 1), workers=1, reader=reader)
        outputs[reader] = {name: (out / name).read_bytes() for name in (
            "obligations.csv", "sanctions.csv", "persons.csv", "refund.csv",
            "quarantine.jsonl", "compliance.csv", "quotas.csv")}
    assert outputs["arrow"] == outputs["python"]
    assert b'"e"' in outputs["arrow"]["quarantine.jsonl"]


def _read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a synthetic log, as written."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    import pyarrow.parquet as pq

    return [{k: v for k, v in row.items() if v is not None}
            for row in pq.read_table(path).to_pylist()]
