"""The ASGI application of ``lab-rules serve``: :func:`create_app`.

Endpoints: ``POST /v1/evaluate`` (a timeline; the ``evaluation/v2`` document),
``POST /v1/validate``, ``POST /v1/worklist`` (a caseload; the ``worklist/v1`` document),
``GET /v1/rules``, ``/v1/coverage``, ``/v1/health``, ``/v1/openapi.json`` and
``/v1/problems/{name}``.

The law is loaded once, when the app is made, and never changes; every request is answered
from its own body and query and that law alone, so two servers of one law answer alike and a
request cannot influence another's result. Request handling is split from the framework:
:mod:`~lab_rules.faces.serve.reading` turns bodies and queries into timelines or located
problems, :mod:`~lab_rules.faces.serve.budget` runs the evaluation in a worker thread within
the time budget, and every error, whatever raised it, is answered as an RFC 9457 problem
document (:mod:`~lab_rules.faces.serve.problems`), never as a traceback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from lab_rules.core.errors import LabRulesError
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.evaluation.worklist import worklist
from lab_rules.faces.evaluation_json import dumps_evaluation
from lab_rules.faces.serve.budget import Budget
from lab_rules.faces.serve.caseload import WorklistQuery, caseload_of, worklist_query
from lab_rules.faces.serve.documents import (
    COVERAGE_YEARS,
    coverage_document,
    health_document,
    rules_document,
)
from lab_rules.faces.serve.limits import Limits
from lab_rules.faces.serve.logs import LOGGER
from lab_rules.faces.serve.openapi import LAW_HASH_HEADER, openapi_document
from lab_rules.faces.serve.problems import (
    PROBLEM_MEDIA_TYPE,
    PROBLEM_TYPES,
    ProblemError,
    http_problem_document,
    problem_document,
)
from lab_rules.faces.serve.reading import (
    EvaluateQuery,
    check_json,
    coverage_years,
    evaluate_query,
    no_query,
    timeline_of,
)
from lab_rules.faces.worklist_output import worklist_json
from lab_rules.law.bundle import Law, bundled_law
from lab_rules.law.policies import Policies

__all__ = ["create_app"]

Endpoint = Callable[[Request], Awaitable[Response]]
_LONGEST_SAID = 300
DRAIN_FACTOR = 4
"""A body declared larger than the limit is still read and dropped up to this many times the
limit, so that the client can read the answer."""


def _json_bytes(document: object) -> bytes:
    """A response body: JSON, CPR-masked as a whole (a rules folder's name, a rule title)."""
    return mask_cpr(json.dumps(document, ensure_ascii=False)).encode("utf-8")


def _problem_response(error: ProblemError) -> Response:
    return Response(_json_bytes(error.document()), status_code=error.status,
                    media_type=PROBLEM_MEDIA_TYPE, headers=error.headers)


def _guarded(handler: Endpoint) -> Endpoint:
    """*handler* with every error answered: a :class:`ProblemError` as its problem document,
    anything else as a one-line log entry and a 500 problem (a bug)."""
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except ProblemError as error:
            return _problem_response(error)
        except ClientDisconnect:
            return Response(_json_bytes(http_problem_document(400, "the client disconnected")),
                            status_code=400, media_type=PROBLEM_MEDIA_TYPE)
        except Exception as error:
            logging.getLogger(LOGGER).error(
                "internal error (a bug; please report it with the input): %s %s: %s: %s",
                request.method, request.url.path, type(error).__name__,
                str(error)[:_LONGEST_SAID])
            return _problem_response(ProblemError("internal-error", "the request was not "
                                                  "evaluated; the server logged the error"))
    return endpoint


async def _http_problem(request: Request, error: Exception) -> Response:
    """Starlette's own errors (no such path, a method the path does not take) as problems."""
    status = error.status_code if isinstance(error, HTTPException) else 500
    headers = dict(error.headers or {}) if isinstance(error, HTTPException) else {}
    names = {404: "not-found", 405: "method-not-allowed"}
    if status in names:
        document = problem_document(names[status], f"{request.method} {request.url.path}")
    else:
        document = http_problem_document(status, str(getattr(error, "detail", "")))
    return Response(_json_bytes(document), status_code=status, media_type=PROBLEM_MEDIA_TYPE,
                    headers=headers)


class _Service:
    """The endpoints over one law, under one set of limits and default policy swaps."""

    def __init__(self, law: Law, limits: Limits, policies: Sequence[str]) -> None:
        self.law = law
        self.limits = limits
        self.policies = tuple(policies)
        self.budget = Budget(limits)
        self.hashed = {LAW_HASH_HEADER: law.content_hash}
        self.health = _json_bytes(health_document(law, limits))
        self.rules = _json_bytes(rules_document(law))
        self.coverage = _json_bytes(coverage_document(law, *COVERAGE_YEARS))
        self.openapi = _json_bytes(openapi_document(limits))

    def _json(self, body: bytes, *, hashed: bool = True) -> Response:
        return Response(body, media_type="application/json",
                        headers=self.hashed if hashed else None)

    async def _body(self, request: Request, deadline: float, *, lines: bool = False
                    ) -> bytes:
        """The request body, refused past the size limit. A body declared too large is refused
        at once when the client waits to be told (``Expect: 100-continue``) or it is huge;
        otherwise it is read to its end (up to :data:`DRAIN_FACTOR` times the limit) and
        dropped, so a client that sends its whole body before reading gets the 413 rather
        than a reset connection."""
        check_json(request.headers.get("content-type"), lines=lines)
        limit = self.limits.max_body_bytes
        declared = request.headers.get("content-length", "")
        size = int(declared) if declared.isascii() and declared.isdigit() else 0
        waits = request.headers.get("expect", "").lower() == "100-continue"
        if size > limit and (waits or size > DRAIN_FACTOR * limit):
            raise ProblemError("body-too-large", f"the body is {size} bytes; the limit is "
                               f"{limit}")
        chunks: list[bytes] = []
        read = 0
        with self.budget.until(deadline):
            async for chunk in request.stream():
                read += len(chunk)
                if read <= limit:
                    chunks.append(chunk)
                elif read > DRAIN_FACTOR * limit:
                    break
        if read > limit or size > limit:
            said = f"{size} bytes" if size > limit else f"more than {limit} bytes"
            raise ProblemError("body-too-large", f"the body is {said}; the limit is {limit}")
        return b"".join(chunks)

    def _evaluation(self, body: bytes, query: EvaluateQuery) -> bytes:
        timeline = timeline_of(body, self.limits)
        try:
            result = evaluate(timeline, as_of=query.as_of, law=self.law,
                              policies=[*self.policies, *query.policies],
                              refund=query.refund, sanctions=query.sanctions)
        except LabRulesError as error:
            raise ProblemError("not-evaluable", f"cannot be evaluated: {error}") from None
        return dumps_evaluation(result).encode("utf-8")

    async def evaluate(self, request: Request) -> Response:
        deadline = self.budget.deadline()
        query = evaluate_query(request.query_params.multi_items(), self.policies)
        body = await self._body(request, deadline)
        return self._json(await self.budget.run(lambda: self._evaluation(body, query),
                                                deadline))

    def _worklist(self, body: bytes, media: str, query: WorklistQuery) -> bytes:
        timelines, held = caseload_of(body, media, self.limits)
        try:
            result = worklist(timelines, as_of=query.as_of, horizon=query.horizon,
                              law=self.law, policies=[*self.policies, *query.policies],
                              held=held)
        except LabRulesError as error:
            raise ProblemError("not-evaluable", f"cannot be evaluated: {error}") from None
        text = json.dumps(worklist_json(result, query.by), ensure_ascii=False, indent=2)
        return mask_cpr(text).encode("utf-8")

    async def worklist_of(self, request: Request) -> Response:
        deadline = self.budget.deadline()
        query = worklist_query(request.query_params.multi_items(), self.policies)
        media = check_json(request.headers.get("content-type"), lines=True)
        body = await self._body(request, deadline, lines=True)
        return self._json(await self.budget.run(lambda: self._worklist(body, media, query),
                                                deadline))

    async def validate(self, request: Request) -> Response:
        deadline = self.budget.deadline()
        no_query(request.query_params.multi_items())
        body = await self._body(request, deadline)
        timeline = await self.budget.run(lambda: timeline_of(body, self.limits), deadline)
        return self._json(_json_bytes({"valid": True, "events": len(timeline.events)}),
                          hashed=False)

    async def rules_of(self, request: Request) -> Response:
        no_query(request.query_params.multi_items())
        return self._json(self.rules)

    async def coverage_of(self, request: Request) -> Response:
        first, last = coverage_years(request.query_params.multi_items())
        if (first, last) == COVERAGE_YEARS:
            return self._json(self.coverage)
        document = await self.budget.run(lambda: coverage_document(self.law, first, last),
                                         self.budget.deadline())
        return self._json(_json_bytes(document))

    async def health_of(self, request: Request) -> Response:
        no_query(request.query_params.multi_items())
        return self._json(self.health)

    async def openapi_of(self, request: Request) -> Response:
        no_query(request.query_params.multi_items())
        return self._json(self.openapi, hashed=False)

    async def problem_type(self, request: Request) -> Response:
        name = str(request.path_params["name"])
        kind = PROBLEM_TYPES.get(name)
        if kind is None:
            raise ProblemError("not-found", f"no problem type {name!r}")
        return self._json(_json_bytes({"type": f"/v1/problems/{name}", "title": kind.title,
                                       "status": kind.status,
                                       "description": kind.description}), hashed=False)


def create_app(law: Law | None = None, limits: Limits | None = None, *,
               policies: Sequence[str] = ()) -> Starlette:
    """The ASGI app over *law* (default: the bundled national law, loaded now), under
    *limits*, with *policies* (``name=value``) applied to every evaluation unless a request
    names the same policy. Raises the policies' :class:`PolicyError` for a bad one."""
    Policies.parse(policies)
    service = _Service(bundled_law() if law is None else law, limits or Limits(), policies)
    routes = [
        Route("/v1/evaluate", _guarded(service.evaluate), methods=["POST"]),
        Route("/v1/validate", _guarded(service.validate), methods=["POST"]),
        Route("/v1/worklist", _guarded(service.worklist_of), methods=["POST"]),
        Route("/v1/rules", _guarded(service.rules_of), methods=["GET"]),
        Route("/v1/coverage", _guarded(service.coverage_of), methods=["GET"]),
        Route("/v1/health", _guarded(service.health_of), methods=["GET"]),
        Route("/v1/openapi.json", _guarded(service.openapi_of), methods=["GET"]),
        Route("/v1/problems/{name}", _guarded(service.problem_type), methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: _http_problem})
