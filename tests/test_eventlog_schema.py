"""The event-log row schema (issue 12, point 1): shipped equals generated, and it agrees with
the reader on synthetic rows in every spelling; ``lab-rules schema --kind`` prints each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lab_rules.faces.cli import main
from lab_rules.faces.evaluation_json import evaluation_schema_path
from lab_rules.inputs.eventlog_schema import event_log_schema, event_log_schema_path
from lab_rules.inputs.synth import write_event_log
from lab_rules.inputs.timeline_schema import json_schema

VALIDATOR = jsonschema.Draft202012Validator(event_log_schema())


def test_shipped_event_log_schema_equals_the_generated_one() -> None:
    shipped = json.loads(event_log_schema_path().read_text(encoding="utf-8"))
    assert shipped == event_log_schema(), (
        "regenerate with: lab-rules schema --kind event-log > " + str(event_log_schema_path()))


def test_event_log_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(event_log_schema())


def test_synthetic_rows_satisfy_the_schema(tmp_path: Path) -> None:
    write_event_log(tmp_path / "log.jsonl", 30, 2)
    for line in (tmp_path / "log.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert not list(VALIDATOR.iter_errors(row)), row
        as_text = {k: v if isinstance(v, str) else json.dumps(v).title().replace('"', "")
                   for k, v in row.items()}
        assert not list(VALIDATOR.iter_errors(as_text)), as_text


@pytest.mark.parametrize("row", [
    {"person_id": "p", "type": "first_contact"},
    {"person_id": "p", "type": "first_contact", "date": "2024/01/02"},
    {"person_id": "p", "type": "first_contact", "date": "2024-01-02", "colour": "blue"},
    {"person_id": "", "type": "first_contact", "date": "2024-01-02"},
    {"type": "first_contact", "date": "2024-01-02"},
    {"person_id": "p", "type": "sickness_reported", "date": "2024-01-02",
     "first_absence_day": "2024-01-01", "category": "two"},
    {"person_id": "p", "type": "person", "education": "yes"},
    {"person_id": "p", "type": "teleport", "date": "2024-01-02"},
])
def test_schema_rejects_bad_rows(row: dict[str, Any]) -> None:
    assert list(VALIDATOR.iter_errors(row))


@pytest.mark.parametrize(("kind", "want"), [
    (None, json_schema()), ("timeline", json_schema()), ("event-log", event_log_schema()),
    ("evaluation", json.loads(evaluation_schema_path().read_text(encoding="utf-8")))])
def test_cli_schema_prints_each_kind(capsys: pytest.CaptureFixture[str], kind: str | None,
                                     want: dict[str, Any]) -> None:
    assert main(["schema"] + ([] if kind is None else ["--kind", kind])) == 0
    assert json.loads(capsys.readouterr().out) == want
