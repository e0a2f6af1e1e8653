"""The ``lab-rules/timeline/v1`` JSON document of a timeline: the serialiser beside the parser
(:mod:`lab_rules.inputs.timeline_json`, which gives these names too). Driven by the same field
descriptions (:mod:`lab_rules.inputs.timeline_fields`), so that parsing what it writes gives
back an equal timeline."""

from __future__ import annotations

import enum
import json
from datetime import date
from decimal import Decimal
from typing import Any

from lab_rules.inputs.timeline import SCHEMA_ID, Timeline
from lab_rules.inputs.timeline_fields import FIELDS

__all__ = ["dumps_timeline", "timeline_to_json"]


def _to_json_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def _object_to_json(obj: Any) -> dict[str, object]:
    return {
        name: _to_json_value(getattr(obj, name))
        for name, _, _ in FIELDS[type(obj)]
        if getattr(obj, name) is not None
    }


def timeline_to_json(timeline: Timeline) -> dict[str, object]:
    """The ``timeline/v1`` document of *timeline*, events in canonical order."""
    return {
        "schema": SCHEMA_ID,
        "person": _object_to_json(timeline.person),
        "events": [{"type": e.TYPE, **_object_to_json(e)} for e in timeline.events],
    }


def dumps_timeline(timeline: Timeline, *, indent: int | None = 2) -> str:
    """``timeline/v1`` JSON text; parsing it gives back an equal timeline."""
    return json.dumps(timeline_to_json(timeline), indent=indent, ensure_ascii=False)
