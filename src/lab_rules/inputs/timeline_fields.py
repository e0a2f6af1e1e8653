"""The fields of the ``timeline/v1`` format, read once from the attrs classes.

The attrs classes of :mod:`lab_rules.inputs.timeline` (a person and the event classes) are
the single description of the format. This table of their fields and resolved types, with the
pattern a decimal string must match, is what the parser and serialiser
(:mod:`lab_rules.inputs.timeline_json`) and the JSON Schema
(:mod:`lab_rules.inputs.timeline_schema`) are all built from, so the three cannot disagree.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

import attrs

from lab_rules.inputs.timeline import EVENT_TYPES, Person

__all__ = ["DECIMAL_RE", "FIELDS", "optional_inner"]

DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")


def _field_types(cls: type[Any]) -> tuple[tuple[str, Any, bool], ...]:
    """(name, resolved type, required) for every attrs field of *cls*."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, hints[f.name], f.default is attrs.NOTHING) for f in attrs.fields(cls)
    )


_CLASSES: tuple[type[Any], ...] = (Person, *EVENT_TYPES.values())
FIELDS: dict[type[Any], tuple[tuple[str, Any, bool], ...]] = {
    cls: _field_types(cls) for cls in _CLASSES
}


def optional_inner(tp: Any) -> tuple[Any, bool]:
    """(inner type, allows None) for ``X | None``; (tp, False) otherwise."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0], True
    return tp, False
