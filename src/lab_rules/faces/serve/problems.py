"""RFC 9457 problem documents (``application/problem+json``): every error the server answers.

A problem names its type by an absolute-path URI, ``/v1/problems/<name>``, which the server
itself answers with the type's description (:data:`PROBLEM_TYPES`), so a client can branch on
``type`` and a person can read what it means. Besides the RFC's members (``type``, ``title``,
``status``, ``detail``) a problem carries ``problems``: the located problems of the input, each
with a JSON Pointer into the body (``pointer``) or the query parameter it is about
(``parameter``), the same messages ``lab-rules validate`` prints. Every text in a problem
document is CPR-masked: a CPR number sent in a bad request is never echoed whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

import attrs

from lab_rules.core.errors import Problem
from lab_rules.core.privacy import mask_cpr

__all__ = ["PROBLEM_MEDIA_TYPE", "PROBLEM_TYPES", "ProblemError", "ProblemType",
           "http_problem_document", "located", "problem_document", "type_uri"]

PROBLEM_MEDIA_TYPE = "application/problem+json"


@attrs.frozen(slots=True)
class ProblemType:
    """One kind of error: its HTTP status, a short title and what it means."""

    status: int
    title: str
    description: str


PROBLEM_TYPES: Mapping[str, ProblemType] = {
    "invalid-timeline": ProblemType(
        422, "The timeline is not valid",
        "The body is not a valid lab-rules/timeline/v2 (or v1) document: every problem "
        "found is listed with its JSON Pointer, as lab-rules validate prints them."),
    "not-evaluable": ProblemType(
        422, "The timeline cannot be evaluated",
        "The timeline is valid but the law cannot be applied to it as of the date asked "
        "(the detail says why)."),
    "invalid-caseload": ProblemType(
        422, "The caseload is not valid",
        "The worklist body is not an object with a list of timelines; the problems say "
        "where."),
    "invalid-query": ProblemType(
        400, "A query parameter is missing or invalid",
        "Each problem names the parameter and what is wrong with it (as_of is "
        "YYYY-MM-DD; policy is name=value; refund and sanctions are true or false)."),
    "unsupported-media-type": ProblemType(
        415, "The body is not JSON",
        "Send the body as application/json (or another +json media type)."),
    "body-too-large": ProblemType(
        413, "The body is too large",
        "The request body is larger than the server's limit (see /v1/health)."),
    "too-many-events": ProblemType(
        413, "The timeline has too many events",
        "A timeline may hold at most the server's max_events events (see /v1/health)."),
    "too-many-persons": ProblemType(
        413, "The request holds too many persons",
        "A worklist request may hold at most the server's max_persons timelines (see "
        "/v1/health); split the caseload."),
    "time-budget-exceeded": ProblemType(
        503, "The request took longer than the time budget",
        "Reading, evaluating and answering took longer than the server's time budget (see "
        "/v1/health); retry later, or send less."),
    "busy": ProblemType(
        503, "The server is busy",
        "Every evaluation slot is taken by requests that overran their time budget; retry "
        "after the seconds in Retry-After."),
    "not-found": ProblemType(
        404, "No such resource", "The path is not one of the server's endpoints (see "
        "/v1/openapi.json)."),
    "method-not-allowed": ProblemType(
        405, "Method not allowed", "The endpoint does not take this method; Allow lists "
        "those it takes."),
    "internal-error": ProblemType(
        500, "Internal error",
        "A bug in lab-rules: the request was not evaluated. Please report it with the input."),
}
"""Every problem type the server answers with, by name."""


def type_uri(name: str) -> str:
    return f"/v1/problems/{name}"


def located(problems: Iterable[Problem]) -> list[dict[str, object]]:
    """The located problems of an input as problem-document members: a JSON Pointer into the
    body, the message, and the line where the JSON could not be read."""
    items: list[dict[str, object]] = []
    for problem in problems:
        item: dict[str, object] = {"pointer": problem.path, "detail": problem.message}
        if problem.line is not None:
            item["line"] = problem.line
        items.append(item)
    return items


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, dict):
        return {mask_cpr(str(k)): _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value


class ProblemError(Exception):
    """Raised by a request's handling to answer with a problem document of type *name*."""

    def __init__(self, name: str, detail: str, *, problems: Iterable[dict[str, object]] = (),
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(mask_cpr(detail))
        self.name = name
        self.detail = mask_cpr(detail)
        self.problems = tuple(problems)
        self.headers = dict(headers or {})

    @property
    def status(self) -> int:
        return PROBLEM_TYPES[self.name].status

    def document(self) -> dict[str, object]:
        return problem_document(self.name, self.detail, self.problems)


def problem_document(name: str, detail: str,
                     problems: Iterable[dict[str, object]] = ()) -> dict[str, object]:
    """The RFC 9457 document of a problem of type *name*, every text CPR-masked."""
    kind = PROBLEM_TYPES[name]
    document: dict[str, object] = {"type": type_uri(name), "title": kind.title,
                                   "status": kind.status, "detail": detail}
    found = list(problems)
    if found:
        document["problems"] = found
    masked: dict[str, object] = _masked(document)
    return masked


def http_problem_document(status: int, detail: str) -> dict[str, object]:
    """A problem of plain HTTP (a status the server has no type of its own for): type
    ``about:blank`` and the status phrase as title, as RFC 9457 section 4.2.1 says."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return {"type": "about:blank", "title": title, "status": status,
            "detail": mask_cpr(detail)}
