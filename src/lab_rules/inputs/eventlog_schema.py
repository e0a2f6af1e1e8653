"""The JSON Schema (2020-12) of one event-log row, generated from the ``timeline/v1`` field
table and the reader's cell spellings.

The schema ships in ``lab_rules/schemas/event-log-v1.schema.json`` (:func:`event_log_schema_path`);
a test keeps that file equal to :func:`event_log_schema`, and ``lab-rules schema --kind
event-log`` prints it. A row is a JSON Lines object, or a CSV or Parquet row read as one with
its absent cells left out; it is a ``person`` row or one ``timeline/v1`` event with a
``person_id``. Each field admits the spellings :mod:`lab_rules.inputs.row_types` converts
(``"2"`` and ``2.0`` for a whole number, ``True``/``1``/``"1.0"`` for a boolean, ...), and an
optional field may be ``null`` or ``""`` (absent).
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from lab_rules.inputs.row_types import (
    DATE_PATTERN,
    FALSE_TEXTS,
    PERSON_ROW,
    TRUE_TEXTS,
    WHOLE_PATTERN,
)
from lab_rules.inputs.timeline import EVENT_TYPES, Person
from lab_rules.inputs.timeline_fields import DECIMAL_RE, FIELDS, optional_inner

__all__ = ["EVENT_LOG_SCHEMA", "event_log_schema", "event_log_schema_path"]

EVENT_LOG_SCHEMA = "lab-rules/event-log/v1"

_BASE_DEFS: dict[str, object] = {
    "absent": {"description": "an absent value: null, an empty cell (or NaN in a table)",
               "anyOf": [{"type": "null"}, {"const": ""}]},
    "person_id": {"description": "the person the row belongs to; rows of one person must be "
                                 "contiguous (sorted by person_id)",
                  "anyOf": [{"type": "string", "minLength": 1, "pattern": r"\S"},
                            {"type": "integer"}]},
    "date": {"description": "a date, YYYY-MM-DD (a midnight timestamp of the day, or an Arrow "
                            "date or timestamp in Parquet)",
             "type": "string", "pattern": DATE_PATTERN},
    "integer": {"description": "a whole number, also written as text or with .0",
                "anyOf": [{"type": "integer"}, {"type": "string", "pattern": WHOLE_PATTERN}]},
    "boolean": {"description": "true or false, also True/False, 1/0, 1.0/0.0",
                "anyOf": [{"type": "boolean"}, {"enum": [0, 1]},
                          {"enum": [*TRUE_TEXTS, *FALSE_TEXTS]}]},
    "decimal": {"description": "a decimal number such as 1234.50, as a number or text",
                "anyOf": [{"type": "number"},
                          {"type": "string", "pattern": DECIMAL_RE.pattern}]},
    "text": {"type": "string", "minLength": 1},
}
_SIMPLE = {date: "date", int: "integer", bool: "boolean", Decimal: "decimal", str: "text"}


def _field(tp: Any, defs: dict[str, object]) -> dict[str, object]:
    inner, _ = optional_inner(tp)
    if inner in _SIMPLE:
        return {"$ref": f"#/$defs/{_SIMPLE[inner]}"}
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        defs.setdefault(inner.__name__, {
            "enum": [m.value for m in inner],
            "description": (inner.__doc__ or "").strip().splitlines()[0]})
        return {"$ref": f"#/$defs/{inner.__name__}"}
    raise TypeError(f"no event-log schema for {tp!r}")  # pragma: no cover


def _row(cls: type[Any], kind: str, defs: dict[str, object]) -> dict[str, object]:
    properties: dict[str, object] = {"person_id": {"$ref": "#/$defs/person_id"},
                                     "type": {"const": kind}}
    required = ["person_id", "type"]
    for name, tp, is_required in FIELDS[cls]:
        if cls is Person and name == "id":
            continue
        schema = _field(tp, defs)
        if is_required:
            required.append(name)
            properties[name] = schema
        else:
            properties[name] = {"anyOf": [schema, {"$ref": "#/$defs/absent"}]}
    return {"type": "object",
            "description": (cls.__doc__ or "").strip().splitlines()[0],
            "properties": properties, "required": required, "additionalProperties": False}


def event_log_schema() -> dict[str, object]:
    """The JSON Schema (2020-12) of one event-log row."""
    defs: dict[str, object] = dict(_BASE_DEFS)
    rows = {f"row_{PERSON_ROW}": _row(Person, PERSON_ROW, defs)}
    for kind, cls in EVENT_TYPES.items():
        rows[f"row_{kind}"] = _row(cls, kind, defs)
    defs.update(rows)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": EVENT_LOG_SCHEMA,
        "title": "lab-rules event log v1: one row of a JSON Lines, CSV or Parquet event log",
        "$comment": " ".join(REVISIONS),
        "description": "A person row (type person: the person's facts) or one timeline/v1 "
                       "event, with the person_id it belongs to. In CSV and Parquet the "
                       "columns are these keys and a row leaves out its empty cells.",
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in rows],
        "$defs": dict(sorted(defs.items())),
    }


REVISIONS = (
    "Additive changes keep the version; the timeline schema's $comment lists the event "
    "types and values each added.",
    "Additive, same version (issue 15): the row type assigned (caseworker, optional team).",
    "Additive, same version (issue 16): the row type offer_extended (offer, basis, until, "
    "ref), the offer_started column employer_sector and the person columns hard_to_place "
    "and dimittend.",
    "Additive, same version (issue 16): the conversation_held column form_exception; the "
    "exemption reasons begraenset_arbejdsevne, pasning, vaernepligt, uddannelse_uden_raadighed, "
    "behandling and livstruende_uhelbredelig.",
)
"""What changed in the event-log schema, newest last (its ``$comment``)."""


def event_log_schema_path() -> Path:
    """Where the shipped ``event-log-v1.schema.json`` lies in the installed package."""
    return Path(str(resources.files("lab_rules") / "schemas" / "event-log-v1.schema.json"))
