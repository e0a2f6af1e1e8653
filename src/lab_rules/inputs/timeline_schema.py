"""The JSON Schema (2020-12) of ``timeline/v1``, generated from the attrs classes.

The schema ships in ``lab_rules/schemas/timeline-v2.schema.json`` (:func:`schema_path`); a
test keeps that file equal to :func:`json_schema`, and ``lab-rules schema`` prints it. It is
built from the same field table (:mod:`lab_rules.inputs.timeline_fields`) as the parser, so
the two describe one format, supported ranges included: dates from 1990-01-01 to 2100-12-31
(birth dates from 1900-01-01), ``9999-12-31`` as an open end where an end is optional, and
numbers bounded (:data:`REVISIONS` says what changed when).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from lab_rules.inputs.timeline import EVENT_TYPES, READABLE_SCHEMAS, SCHEMA_ID, Person
from lab_rules.inputs.timeline_fields import (
    FIELDS,
    FIRST_BIRTH_DAY,
    FIRST_DAY,
    LAST_DAY,
    MAX_AMOUNT,
    MAX_INTEGER,
    OPEN_END,
    OPEN_ENDS,
    optional_inner,
)

__all__ = ["REVISIONS", "json_schema", "schema_path"]

REVISIONS = (
    "revision 1: the timeline/v1 format.",
    f"revision 2 (lab-rules 0.1.0, issue 12): validate means evaluable. Dates must lie from "
    f"{FIRST_DAY} to {LAST_DAY} (birth dates from {FIRST_BIRTH_DAY}); {OPEN_END} in an "
    f"optional end (exemption end, strict_sanction end, refusal ended_on, registration_missing "
    f"resolved_on, sdp_cessation resumed_on, booking_missed booked_on, job_suggestions_missed "
    f"checked_on) means no end; decimals are bounded by {MAX_AMOUNT} in size, whole numbers by "
    f"{MAX_INTEGER}; payment hours by 24 a day of the period, offer hours_per_week by 168. "
    f"This narrows v1 (a document outside these ranges was accepted and then crashed or was "
    f"evaluated before any rule applies), so the document identifier is now "
    f"lab-rules/timeline/v2; lab-rules still reads v1 documents, under these rules.",
    "Additive, same version (issue 13): the benefits integrationsydelse, "
    "selvforsoergelses_og_hjemrejseydelse and kontantydelse and the target groups "
    "integrationsprogram and kontantydelse.",
    "Additive, same version (issue 15): the event type assigned (caseworker, optional team), "
    "who handles the case from its date; no deadline depends on it.",
    "Additive, same version (issue 16): the event type offer_extended (offer, optional basis "
    "konkret_vurdering, saerligt_behov or helt_saerligt_behov, optional until, ref), a "
    "recorded extension of a running offer; the optional offer_started field employer_sector "
    "(offentlig or privat); the optional person facts hard_to_place and dimittend.",
    "Additive, same version (issue 16): the optional conversation_held field form_exception "
    "(ansat, delvist_genoptaget, raskmeldt_inden_4_uger, barsel_inden_4_uger, i_tilbud, "
    "sygdom_forhindrer or barsel_anmodning), why a conversation the law wants in person was "
    "held by phone or video.",
    "Additive, same version (issue 16): the exemption reasons begraenset_arbejdsevne, pasning, "
    "vaernepligt and uddannelse_uden_raadighed (the 225-hour rule) "
    "and behandling (længerevarende behandling, no effect on a deadline), and "
    "livstruende_uhelbredelig (exempts 2009-2012 only).",
)
"""What changed in the schema, newest last; the schema carries them as its ``$comment``."""


def _year_pattern(first: int, last: int) -> str:
    """A regular expression for the four-digit years *first* to *last*: whole centuries, then
    whole decades, then single years."""
    years = {str(year) for year in range(first, last + 1)}
    parts: list[str] = []
    for width, tail in ((2, "[0-9]{2}"), (3, "[0-9]")):
        spans = sorted({y[:width] for y in years
                        if all(f"{y[:width]}{n:0{4 - width}d}" in years
                               for n in range(10 ** (4 - width)))})
        parts += [span + tail for span in spans]
        years = {y for y in years if y[:width] not in spans}
    return "|".join([*parts, *sorted(years)])


def _date_pattern(first: date, last: date) -> str:
    return f"^({_year_pattern(first.year, last.year)})-[0-9]{{2}}-[0-9]{{2}}$"


_DECIMAL_PATTERN = (rf"^-?0*([0-9]{{1,{len(str(MAX_AMOUNT)) - 1}}}(\.[0-9]+)?"
                    rf"|{MAX_AMOUNT}(\.0+)?)$")
"""A decimal string no larger than :data:`MAX_AMOUNT` in size."""


def _date_ref(cls: type[Any], name: str) -> dict[str, object]:
    if cls is Person and name == "birth_date":
        return {"$ref": "#/$defs/birth_date"}
    if (getattr(cls, "TYPE", ""), name) in OPEN_ENDS:
        return {"$ref": "#/$defs/open_end"}
    return {"$ref": "#/$defs/date"}


def _type_schema(cls: type[Any], name: str, tp: Any, defs: dict[str, object]
                 ) -> dict[str, object]:
    inner, nullable = optional_inner(tp)
    schema: dict[str, object]
    if inner is date:
        schema = _date_ref(cls, name)
    elif inner is Decimal:
        schema = {"$ref": "#/$defs/decimal"}
    elif inner is bool:
        schema = {"type": "boolean"}
    elif inner is int:
        schema = {"type": "integer", "minimum": -MAX_INTEGER, "maximum": MAX_INTEGER}
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
        properties[name] = _type_schema(cls, name, tp, defs)
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
        "date": {"type": "string", "format": "date",
                 "pattern": _date_pattern(FIRST_DAY, LAST_DAY),
                 "description": f"a day from {FIRST_DAY} to {LAST_DAY} (YYYY-MM-DD)"},
        "birth_date": {"type": "string", "format": "date",
                       "pattern": _date_pattern(FIRST_BIRTH_DAY, LAST_DAY),
                       "description": f"a day from {FIRST_BIRTH_DAY} to {LAST_DAY}"},
        "open_end": {"anyOf": [{"$ref": "#/$defs/date"}, {"const": OPEN_END.isoformat()}],
                     "description": f"the last day, or {OPEN_END} (as case systems write "
                                    f"it) for no end, the same as leaving it out"},
        "decimal": {
            "anyOf": [{"type": "number", "minimum": -MAX_AMOUNT, "maximum": MAX_AMOUNT},
                      {"type": "string", "pattern": _DECIMAL_PATTERN, "maxLength": 40}],
            "description": f"a decimal number no larger than {MAX_AMOUNT} in size, as a JSON "
                           f"number or a string such as \"1234.50\"",
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
        "$comment": " ".join(REVISIONS),
        "title": f"lab-rules timeline v2 (schema revision {len(REVISIONS)}): a person and the "
                 f"dated events of their case",
        "type": "object",
        "properties": {
            "schema": {"enum": list(READABLE_SCHEMAS)},
            "person": {"$ref": "#/$defs/person"},
            "events": {"type": "array", "items": {"oneOf": event_refs}},
        },
        "required": ["schema", "person", "events"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def schema_path() -> Path:
    """Where the shipped ``timeline-v2.schema.json`` lies in the installed package (the v1
    schema as published stays beside it, unchanged)."""
    return Path(str(resources.files("lab_rules") / "schemas" / "timeline-v2.schema.json"))
