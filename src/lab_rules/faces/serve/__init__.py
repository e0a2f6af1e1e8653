"""``lab-rules serve``: the evaluator as an HTTP service, for case systems that are not Python.

Versioned endpoints under ``/v1`` (:mod:`lab_rules.faces.serve.app`) give the same documents
as the library (``evaluation/v2`` byte for byte as :func:`lab_rules.dumps_evaluation` gives
it), the OpenAPI 3.1 document is generated from the JSON Schemas the library publishes
(:mod:`lab_rules.faces.serve.openapi`), and every error is an RFC 9457 problem document with
the located problems (:mod:`lab_rules.faces.serve.problems`). Request size, events per
timeline, persons per request and time are bounded (:mod:`lab_rules.faces.serve.limits`); no
log line carries a CPR number (:mod:`lab_rules.faces.serve.logs`).

The web framework (Starlette, served by uvicorn) is the optional ``serve`` extra: only
:mod:`~lab_rules.faces.serve.app` imports it, so the limits, problems and documents can be
used, and the command can say the extra is missing, without it.
"""
