"""The shipped JSON Schema is the generated one and agrees with the parser."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lab_rules.core.errors import TimelineError
from lab_rules.inputs.timeline_json import parse_timeline, timeline_to_json
from lab_rules.inputs.timeline_schema import json_schema, schema_path
from test_timeline_json import GOOD


def test_shipped_schema_equals_the_generated_one() -> None:
    shipped = json.loads(schema_path().read_text(encoding="utf-8"))
    assert shipped == json_schema(), "regenerate with: lab-rules schema > " + str(schema_path())


def test_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_examples_satisfy_the_schema(example_files: list[Path]) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for path in example_files:
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path}: {errors[0].message}"


BAD_EVENTS: list[dict[str, Any]] = [
    {"type": "first_contact", "date": "2024/03/04"},
    {"type": "first_contact", "date": "2024-03-04", "colour": "blue"},
    {"type": "benefit_started", "date": "2024-03-04", "benefit": "lottery"},
    {"type": "conversation_held", "date": "2024-03-04"},
    {"type": "teleport", "date": "2024-03-04"},
    {"type": "payment", "benefit": "kontanthjaelp", "start": "2024-03-01", "end": "2024-03-31",
     "amount": "12.000,00"},
    {"type": "sickness_reported", "date": "2024-03-04", "first_absence_day": "2024-03-01",
     "category": "two"},
]


@pytest.mark.parametrize("event", BAD_EVENTS)
def test_parser_and_schema_reject_the_same_structural_errors(event: dict[str, Any]) -> None:
    document = copy.deepcopy(GOOD)
    document["events"].append(event)
    validator = jsonschema.Draft202012Validator(json_schema())
    assert list(validator.iter_errors(document))
    with pytest.raises(TimelineError):
        parse_timeline(document)


def test_v1_documents_are_still_read_and_v2_is_written() -> None:
    document = json.loads(sorted(Path(__file__).resolve().parents[1].glob(
        "examples/timelines/*.json"))[0].read_text(encoding="utf-8"))
    document["schema"] = "lab-rules/timeline/v1"
    timeline = parse_timeline(document)
    assert timeline_to_json(timeline)["schema"] == "lab-rules/timeline/v2"
    assert parse_timeline(timeline_to_json(timeline)) == timeline


def test_the_published_v1_schema_stays_beside_the_current_one() -> None:
    v1 = json.loads((schema_path().parent / "timeline-v1.schema.json").read_text(
        encoding="utf-8"))
    current = json.loads(schema_path().read_text(encoding="utf-8"))
    assert v1["$id"] == "lab-rules/timeline/v1"
    assert current["$id"] == "lab-rules/timeline/v2"
    assert "lab-rules/timeline/v2" in current["$comment"]
