"""A person the Arrow reader reads with its events keeps its document's rows unbuilt: parsing
the person with those events (``PersonRows.timeline``) needs only its facts and how many events
it has, so the rows are built only when the document is asked for, or when the document has a
problem to locate. Whatever is asked, the answer is the one a built document gives: the same
document, the same timeline, the same located problems, compared and pickled alike."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from lab_rules.core.errors import TimelineError
from lab_rules.inputs import eventlog_arrow_cells
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.eventlog_arrow import read_persons_arrow
from lab_rules.inputs.eventlog_state import PersonReader
from lab_rules.inputs.row_types import ReadProgress, Row
from lab_rules.inputs.synth import write_event_log
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_json import parse_timeline

PROBLEMS = [
    {"person_id": "late", "type": "benefit_started", "date": "2024-02-01",
     "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"},
    {"person_id": "late", "type": "benefit_ended", "date": "2024-01-01",
     "benefit": "kontanthjaelp"},
    {"person_id": "young", "type": "person", "birth_date": "2030-01-01"},
    {"person_id": "young", "type": "first_contact", "date": "2024-02-01"},
]
"""Persons whose events are all read, with a problem only the whole document shows."""


def _log(tmp_path: Path) -> Path:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 40, 3)
    with log.open("a", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in PROBLEMS)
    return log


def _parsed(parse: Callable[[], Timeline]) -> object:
    """The timeline *parse* gives, or its problems."""
    try:
        return parse()
    except TimelineError as err:
        return [str(problem) for problem in err.problems]


def test_unbuilt_documents_are_the_python_readers_documents(tmp_path: Path) -> None:
    log = _log(tmp_path)
    persons = list(read_persons_arrow(log, events=True))
    python = list(read_persons(log))
    assert persons == python
    assert [rows.document for rows in persons] == [rows.document for rows in python]


def test_unbuilt_documents_are_pickled_built(tmp_path: Path) -> None:
    log = _log(tmp_path)
    persons = list(read_persons_arrow(log, events=True))
    copies = pickle.loads(pickle.dumps(persons))
    assert copies == list(read_persons(log))
    assert all(type(rows.document) is dict for rows in copies)


def test_a_persons_timeline_is_parse_timeline_of_its_document(tmp_path: Path) -> None:
    log = _log(tmp_path)
    persons = list(read_persons_arrow(log, events=True))
    built = list(read_persons_arrow(log, events=True))
    assert {rows.person_id for rows in persons if rows.events is not None} >= {"late", "young"}
    problems = 0
    for rows, twin in zip(persons, built, strict=True):
        if twin.document is None:
            assert not rows.readable
            continue
        assert rows.readable
        expected = _parsed(partial(parse_timeline, twin.document, source="p",
                                   events=twin.events))
        assert _parsed(partial(rows.timeline, "p")) == expected
        problems += isinstance(expected, list)
    assert problems >= 1


def test_a_clean_persons_timeline_is_read_without_building_its_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 40, 3)
    persons = list(read_persons_arrow(log, events=True))
    built: list[int] = []
    dicts = eventlog_arrow_cells.dicts
    monkeypatch.setattr(eventlog_arrow_cells, "dicts",
                        lambda block: built.append(len(block.slow)) or dicts(block))
    timelines = [rows.timeline() for rows in persons]
    assert not built
    assert timelines == [parse_timeline(rows.document) for rows in persons]
    assert built


def test_rows_fed_after_an_unbuilt_run_follow_its_rows() -> None:
    reader = PersonReader({}, "line", ReadProgress())
    first = {"type": "first_contact", "date": "2024-02-01"}
    list(reader.run("a", 1, 1, lambda: [dict(first)], {}, None))
    list(reader.row(Row(2, "a", {"type": "written_guidance", "date": "2024-02-02"})))
    (person,) = reader.close()
    assert person.document is not None
    assert [event["type"] for event in person.document["events"]] == [
        "first_contact", "written_guidance"]
