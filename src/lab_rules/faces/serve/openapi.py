"""The OpenAPI 3.1 document of the server, generated from the JSON Schemas lab-rules publishes.

The request and response bodies are the library's own schemas, not copies: the timeline
(:func:`lab_rules.inputs.timeline_schema.json_schema`), the event-log row
(:func:`lab_rules.inputs.eventlog_schema.event_log_schema`) and the evaluation
(``lab_rules/schemas/evaluation-v2.schema.json``). Each is placed in
``components/schemas`` under its name, its ``$defs`` beside it as ``Name.def`` and every
``#/$defs/...`` reference rewritten to point there, so generators that know OpenAPI but not
embedded schema resources read them; the original ``$id`` is kept as ``x-lab-rules-schema``.
Only the envelopes of the server's own documents (health, rules, coverage, problems) are
written here.
"""

from __future__ import annotations

import json
from typing import Any

from lab_rules._version import __version__
from lab_rules.faces.evaluation_json import evaluation_schema_path
from lab_rules.faces.serve.documents import COVERAGE_YEARS
from lab_rules.faces.serve.limits import Limits
from lab_rules.faces.serve.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPES
from lab_rules.faces.worklist_output import worklist_schema
from lab_rules.inputs.eventlog_schema import event_log_schema
from lab_rules.inputs.timeline_schema import json_schema

__all__ = ["LAW_HASH_HEADER", "openapi_document", "published_schemas"]

LAW_HASH_HEADER = "Lab-Rules-Law-Hash"
"""The response header that names the content hash of the law that answered."""
_DEFS = "#/$defs/"
_HERE = "#/components/schemas/"


def _rewritten(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and item.startswith(_DEFS):
                out[key] = f"{_HERE}{name}.{item[len(_DEFS):]}"
            elif key == "$ref" and item == "#":
                out[key] = f"{_HERE}{name}"
            else:
                out[key] = _rewritten(item, name)
        return out
    if isinstance(value, list):
        return [_rewritten(item, name) for item in value]
    return value


def _hoisted(name: str, schema: dict[str, Any], into: dict[str, Any]) -> None:
    root = {key: value for key, value in schema.items()
            if key not in ("$defs", "$id", "$schema")}
    root["x-lab-rules-schema"] = schema.get("$id")
    into[name] = _rewritten(root, name)
    for key, value in schema.get("$defs", {}).items():
        into[f"{name}.{key}"] = _rewritten(value, name)


def published_schemas() -> dict[str, dict[str, Any]]:
    """The published JSON Schemas the API is made of, by component name, as published."""
    evaluation = json.loads(evaluation_schema_path().read_text(encoding="utf-8"))
    return {"Timeline": json_schema(), "EventLogRow": event_log_schema(),
            "Evaluation": evaluation, "Worklist": worklist_schema()}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _HERE + name}


def _envelopes() -> dict[str, Any]:
    law = {"law": {"type": "string"}, "content_hash": {"type": "string"},
           "overlays": {"type": "array", "items": {"type": "string"}},
           "policies": {"type": "object", "additionalProperties": {"type": "string"}}}
    located = {"type": "object", "properties": {
        "pointer": {"type": "string", "description": "JSON Pointer into the body"},
        "parameter": {"type": "string", "description": "the query parameter"},
        "detail": {"type": "string"}, "line": {"type": "integer"}}, "required": ["detail"]}
    return {
        "Problem": {"type": "object", "description": "RFC 9457 problem details; every text "
                    "CPR-masked", "required": ["type", "title", "status", "detail"],
                    "properties": {"type": {"type": "string", "format": "uri-reference",
                                            "enum": [f"/v1/problems/{n}" for n in
                                                     PROBLEM_TYPES]},
                                   "title": {"type": "string"}, "status": {"type": "integer"},
                                   "detail": {"type": "string"},
                                   "problems": {"type": "array", "items": located}}},
        "Health": {"type": "object", "required": ["status", "lab_rules_version",
                                                   "content_hash", "limits"],
                   "properties": {"status": {"const": "ok"},
                                  "lab_rules_version": {"type": "string"}, **law,
                                  "limits": {"type": "object"}}},
        "Validation": {"type": "object", "required": ["valid", "events"],
                       "properties": {"valid": {"const": True},
                                      "schema": {"type": "string"},
                                      "events": {"type": "integer"}}},
        "Rules": {"type": "object", "required": ["schema", "content_hash", "rules"],
                  "properties": {"schema": {"const": "lab-rules/rules/v1"}, **law,
                                 "rules": {"type": "array", "items": {"type": "object"}},
                                 "sanction_rules": {"type": "array",
                                                    "items": {"type": "object"}}}},
        "Coverage": {"type": "object", "required": ["schema", "quarters", "gaps"],
                     "properties": {"schema": {"const": "lab-rules/coverage/v1"}, **law,
                                    "quarters": {"type": "object",
                                                 "additionalProperties": {"type": "string"}},
                                    "marks": {"type": "object"},
                                    "gaps": {"type": "array", "items": {"type": "object"}}}},
    }


def _problems(*statuses: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for status in statuses:
        names = [name for name, kind in PROBLEM_TYPES.items() if kind.status == status]
        out[str(status)] = {"description": "; ".join(PROBLEM_TYPES[n].title for n in names),
                            "content": {PROBLEM_MEDIA_TYPE: {"schema": _ref("Problem")}}}
    return out


def _json(schema: dict[str, Any], description: str, *, hashed: bool = True) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description,
                              "content": {"application/json": {"schema": schema}}}
    if hashed:
        answer["headers"] = {LAW_HASH_HEADER: {"description": "content hash of the law",
                                               "schema": {"type": "string"}}}
    return answer


def _query(name: str, schema: dict[str, Any], description: str, *,
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


_EVALUATE_QUERY = [
    _query("as_of", {"type": "string", "format": "date"},
           "the day the evaluation is made; events after it are ignored", required=True),
    {**_query("policy", {"type": "array", "items": {"type": "string",
                                                    "pattern": "^[a-z_]+=[a-z_]+$"}},
              "a policy swap, name=value (repeatable), e.g. no_show=restart_from_contact"),
     "style": "form", "explode": True},
    _query("refund", {"type": "boolean", "default": True}, "compute the refund ledger"),
    _query("sanctions", {"type": "boolean", "default": True},
           "compute sanctions and the 225-hour rule"),
]


def openapi_document(limits: Limits) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the ``/v1`` endpoints under *limits*."""
    schemas: dict[str, Any] = {}
    for name, schema in published_schemas().items():
        _hoisted(name, schema, schemas)
    schemas.update(_envelopes())
    timeline_body = {"required": True, "content": {"application/json": {
        "schema": _ref("Timeline")}}}
    paths: dict[str, Any] = {
        "/v1/evaluate": {"post": {
            "summary": "Evaluate one timeline: the evaluation/v2 document",
            "description": "The body is a timeline/v2 (or v1) document of at most "
                           f"{limits.max_events} events; the answer is the evaluation, byte "
                           "for byte as lab_rules.dumps_evaluation writes it.",
            "operationId": "evaluate", "parameters": _EVALUATE_QUERY,
            "requestBody": timeline_body,
            "responses": {"200": _json(_ref("Evaluation"), "the evaluation"),
                          **_problems(400, 413, 415, 422, 503)}}},
        "/v1/validate": {"post": {
            "summary": "Validate one timeline: every problem, located",
            "operationId": "validate", "requestBody": timeline_body,
            "responses": {"200": _json(_ref("Validation"), "the timeline is valid",
                                       hashed=False),
                          **_problems(400, 413, 415, 422, 503)}}},
        "/v1/worklist": {"post": {
            "summary": "The worklist of a posted caseload: overdue, open and soon due, "
                       "projected ones included, grouped by caseworker, team or person",
            "description": "The body is {\"timelines\": [timeline, ...]} (application/json) "
                           "or an event log in JSON Lines (application/x-ndjson, one "
                           f"EventLogRow a line), at most {limits.max_persons} persons. A "
                           "person that cannot be read is listed under held, with why.",
            "operationId": "worklist",
            "parameters": [
                _EVALUATE_QUERY[0],
                _query("horizon", {"type": "string", "default": "P14D"},
                       "how far ahead: an ISO 8601 duration of at least a day, e.g. P2W"),
                _query("by", {"enum": ["caseworker", "team", "person"],
                              "default": "caseworker"}, "how the items are grouped"),
                _EVALUATE_QUERY[1]],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": {
                    "type": "object", "required": ["timelines"], "additionalProperties": False,
                    "properties": {"timelines": {"type": "array", "items": _ref("Timeline"),
                                                 "maxItems": limits.max_persons}}}},
                "application/x-ndjson": {"schema": _ref("EventLogRow")}}},
            "responses": {"200": _json(_ref("Worklist"), "the worklist"),
                          **_problems(400, 413, 415, 422, 503)}}},
        "/v1/rules": {"get": {
            "summary": "The law bundle's rules: id, legal basis, validity, confidence",
            "operationId": "rules", "responses": {"200": _json(_ref("Rules"), "the rules")}}},
        "/v1/coverage": {"get": {
            "summary": "Which target group has rules when, and why not elsewhere",
            "operationId": "coverage",
            "parameters": [_query("first", {"type": "integer", "default": COVERAGE_YEARS[0]},
                                  "first year"),
                           _query("last", {"type": "integer", "default": COVERAGE_YEARS[1]},
                                  "last year")],
            "responses": {"200": _json(_ref("Coverage"), "the coverage"),
                          **_problems(400)}}},
        "/v1/health": {"get": {
            "summary": "The server is up: version, law content hash, limits",
            "operationId": "health", "responses": {"200": _json(_ref("Health"), "up")}}},
        "/v1/openapi.json": {"get": {
            "summary": "This document", "operationId": "openapi",
            "responses": {"200": _json({"type": "object"}, "the OpenAPI document",
                                       hashed=False)}}},
        "/v1/problems/{name}": {"get": {
            "summary": "What a problem type means", "operationId": "problemType",
            "parameters": [{"name": "name", "in": "path", "required": True,
                            "schema": {"enum": list(PROBLEM_TYPES)}}],
            "responses": {"200": _json({"type": "object"}, "the problem type",
                                       hashed=False), **_problems(404)}}},
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "lab-rules", "version": __version__,
                 "summary": "Danish employment-law deadlines and refunds over a citizen's "
                            "timeline",
                 "license": {"name": "MIT", "identifier": "MIT"},
                 "x-limits": limits.as_json()},
        "paths": paths,
        "components": {"schemas": schemas},
    }
