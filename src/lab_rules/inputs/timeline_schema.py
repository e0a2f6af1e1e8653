"""The JSON Schema (2020-12) of ``timeline/v1``, generated from the attrs classes.

The schema ships in ``lab_rules/schemas/timeline-v1.schema.json`` (:func:`schema_path`); a
test keeps that file equal to :func:`json_schema`, and ``lab-rules schema`` prints it. It is
built from the same field table (:mod:`lab_rules.inputs.timeline_fields`) as the parser, so
the two describe one format.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from lab_rules.inputs.timeline import EVENT_TYPES, SCHEMA_ID, Person
from lab_rules.inputs.timeline_fields import DECIMAL_RE, FIELDS, optional_inner

__all__ = ["json_schema", "schema_path"]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_DEF_NAMES: Mapping[Any, str] = {date: "date", Decimal: "decimal"}


def _type_schema(tp: Any, defs: dict[str, object]) -> dict[str, object]:
    inner, nullable = optional_inner(tp)
    schema: dict[str, object]
    if inner is date:
        schema = {"$ref": "#/$defs/date"}
    elif inner is Decimal:
        schema = {"$ref": "#/$defs/decimal"}
    elif inner is bool:
        schema = {"type": "boolean"}
    elif inner is int:
        schema = {"type": "integer"}
    elif inner is str:
        schema = {"type": "string", "minLength": 1}
    elif isinstance(inner, type) and issubclass(inner, enum.Enum):
        name = inner.__name__
        defs.setdefault(name, {"enum": [m.value for m in inner],
                               "description": (inner.__doc__ or "").strip().splitlines()[0]})
        schema = {"$ref": f"#/$defs/{name}"}
    else:  # pragma: no cover
        raise TypeError(f"no JSON Schema for {tp!r}")
    return {"anyOf": [schema, {"type": "null"}]} if nullable else schema


def _object_schema(
    cls: type[Any], defs: dict[str, object], extra: Mapping[str, object] | None = None
) -> dict[str, object]:
    properties: dict[str, object] = dict(extra or {})
    required = list(extra or {})
    for name, tp, is_required in FIELDS[cls]:
        properties[name] = _type_schema(tp, defs)
        if is_required:
            required.append(name)
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def json_schema() -> dict[str, object]:
    """The JSON Schema (2020-12) of ``timeline/v1``, generated from the attrs classes."""
    defs: dict[str, object] = {
        "date": {"type": "string", "format": "date", "pattern": _DATE_RE.pattern},
        "decimal": {
            "anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_RE.pattern}]
        },
    }
    event_refs = []
    for name, cls in EVENT_TYPES.items():
        defs[f"event_{name}"] = _object_schema(cls, defs, {"type": {"const": name}})
        event_refs.append({"$ref": f"#/$defs/event_{name}"})
    defs["person"] = _object_schema(Person, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "lab-rules timeline v1: a person and the dated events of their case",
        "type": "object",
        "properties": {
            "schema": {"const": SCHEMA_ID},
            "person": {"$ref": "#/$defs/person"},
            "events": {"type": "array", "items": {"oneOf": event_refs}},
        },
        "required": ["schema", "person", "events"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def schema_path() -> Path:
    """Where the shipped ``timeline-v1.schema.json`` lies in the installed package."""
    return Path(str(resources.files("lab_rules") / "schemas" / "timeline-v1.schema.json"))
