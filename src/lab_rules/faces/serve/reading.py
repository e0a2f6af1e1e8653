"""Reading a request without the web framework: its query and its JSON body, bounded.

Each function takes what the request holds (query pairs, the body's bytes, its media type)
and returns what the handler needs or raises :class:`~lab_rules.faces.serve.problems.
ProblemError` with the located problems, so every bad input is answered with a problem
document and none reaches the framework as an exception. Events and persons are counted on
the decoded JSON, before the located parse, so an oversized document costs no more than its
decoding.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

import attrs

from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.faces.serve.documents import COVERAGE_YEARS
from lab_rules.faces.serve.limits import Limits
from lab_rules.faces.serve.problems import ProblemError, located
from lab_rules.inputs.json_strict import refuse_constant, unique_object
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_fields import FIRST_DAY, LAST_DAY, supported_day
from lab_rules.inputs.timeline_json import loads_timeline, parse_timeline
from lab_rules.inputs.timeline_values import read_float, read_int
from lab_rules.law.policies import Policies

__all__ = ["JSON_LINES", "UNREADABLE", "EvaluateQuery", "as_of_of", "check_json", "count_events",
           "coverage_years", "decoded", "evaluate_query", "grouped", "no_query", "policies_of",
           "query_problem", "raise_query_problems", "timeline_of", "unknown_parameters"]

UNREADABLE = object()
_TRUE = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@attrs.frozen(slots=True)
class EvaluateQuery:
    """The query of an evaluation: the day it is made, the policy swaps on top of the
    server's, and whether refund and sanctions are computed."""

    as_of: date
    policies: tuple[str, ...] = ()
    refund: bool = True
    sanctions: bool = True


def query_problem(parameter: str, detail: str) -> dict[str, object]:
    """A located problem of the query: the parameter and what is wrong with it."""
    return {"parameter": parameter, "detail": detail}


def unknown_parameters(pairs: Sequence[tuple[str, str]], known: set[str]
                       ) -> list[dict[str, object]]:
    """A problem for each parameter not in *known* (a misspelt one would be ignored)."""
    return [query_problem(name, "unknown query parameter; the endpoint takes "
                          + (", ".join(sorted(known)) or "none"))
            for name in dict.fromkeys(name for name, _ in pairs) if name not in known]


def raise_query_problems(problems: list[dict[str, object]]) -> None:
    """Answer 400 with every problem of the query, if there are any."""
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise ProblemError("invalid-query", f"the query has {len(problems)} {noun}",
                           problems=problems)


def no_query(pairs: Sequence[tuple[str, str]]) -> None:
    """An endpoint without parameters refuses any (a misspelt one would be ignored)."""
    raise_query_problems(unknown_parameters(pairs, set()))


def _flag(name: str, values: list[str], problems: list[dict[str, object]]) -> bool:
    if not values:
        return True
    chosen = _TRUE.get(values[-1].strip().lower())
    if chosen is None or len(values) > 1:
        problems.append(query_problem(name, "must be given once, true or false"))
        return True
    return chosen


def as_of_of(values: dict[str, list[str]], problems: list[dict[str, object]]) -> date:
    """The required ``as_of``: one day from 1990-01-01 to 2100-12-31, written ``YYYY-MM-DD``."""
    days = values.get("as_of", [])
    if len(days) != 1:
        problems.append(query_problem("as_of", "required once: the day the evaluation is "
                                      "made (YYYY-MM-DD)"))
        return FIRST_DAY
    try:
        return supported_day(days[0])
    except ValueError as err:
        problems.append(query_problem("as_of", str(err)))
        return FIRST_DAY


def policies_of(values: dict[str, list[str]], defaults: Sequence[str],
                problems: list[dict[str, object]]) -> tuple[str, ...]:
    """The ``policy=name=value`` swaps, checked on top of the server's *defaults*."""
    policies = tuple(values.get("policy", []))
    try:
        Policies.parse([*defaults, *policies])
    except LabRulesError as err:
        problems.append(query_problem("policy", str(err)))
    return policies


def grouped(pairs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """The query's values by name, in order."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return values


def evaluate_query(pairs: Sequence[tuple[str, str]], defaults: Sequence[str] = ()
                   ) -> EvaluateQuery:
    """``as_of`` (required, a day from 1990-01-01 to 2100-12-31), ``policy=name=value``
    (repeatable, on top of the server's *defaults*), ``refund`` and ``sanctions`` (true or
    false, default true)."""
    problems = unknown_parameters(pairs, {"as_of", "policy", "refund", "sanctions"})
    values = grouped(pairs)
    as_of = as_of_of(values, problems)
    policies = policies_of(values, defaults, problems)
    refund = _flag("refund", values.get("refund", []), problems)
    sanctions = _flag("sanctions", values.get("sanctions", []), problems)
    raise_query_problems(problems)
    return EvaluateQuery(as_of, policies, refund, sanctions)


def coverage_years(pairs: Sequence[tuple[str, str]]) -> tuple[int, int]:
    """``first`` and ``last`` (years, default 2008 and 2026, within the supported range)."""
    problems = unknown_parameters(pairs, {"first", "last"})
    given = dict(pairs)
    years = []
    for name, default in zip(("first", "last"), COVERAGE_YEARS, strict=True):
        text = given.get(name, str(default))
        if not (text.isascii() and text.isdigit()
                and FIRST_DAY.year <= int(text) <= LAST_DAY.year):
            problems.append(query_problem(name, f"must be a year from {FIRST_DAY.year} to "
                                           f"{LAST_DAY.year}"))
            years.append(default)
        else:
            years.append(int(text))
    if years[0] > years[1]:
        problems.append(query_problem("last", "must not be before first"))
    raise_query_problems(problems)
    return years[0], years[1]


JSON_LINES = frozenset({"application/x-ndjson", "application/jsonl", "application/x-jsonlines"})
"""The media types of an event log in JSON Lines (the worklist takes one)."""


def check_json(content_type: str | None, *, lines: bool = False) -> str:
    """The body's media type, which must be JSON: ``application/json``, a ``+json`` type or
    none said (read as JSON); with *lines*, also JSON Lines (:data:`JSON_LINES`)."""
    media = (content_type or "").split(";", 1)[0].strip().lower() or "application/json"
    if media == "application/json" or media.endswith("+json") or (lines
                                                                    and media in JSON_LINES):
        return media
    wanted = "application/json" + (" or application/x-ndjson" if lines else "")
    raise ProblemError("unsupported-media-type", f"the body is {media}; send {wanted}")


def decoded(body: bytes) -> object:
    """The body's JSON value as the timeline reader decodes it (decimals exact), or a marker
    that it is not JSON, or not JSON as RFC 8259 has it (a key given twice, a bare NaN: the
    reader then says where)."""
    try:
        return json.loads(body, parse_float=read_float, parse_int=read_int,
                          object_pairs_hook=unique_object, parse_constant=refuse_constant)
    except (ValueError, RecursionError):
        return UNREADABLE


def count_events(document: object, limits: Limits, where: str, *, person: str | None = None
                 ) -> None:
    """Refuse a decoded timeline with more events than the limit (413), before parsing it;
    the problem points at ``where/events``, or names the *person* of an event log."""
    events = document.get("events") if isinstance(document, dict) else None
    if isinstance(events, list) and len(events) > limits.max_events:
        said = f"{len(events)} events, more than {limits.max_events}"
        item: dict[str, object] = ({"pointer": f"{where}/events", "detail": said}
                                   if person is None else {"detail": f"person {person}: {said}"})
        raise ProblemError("too-many-events", f"a timeline has {len(events)} events; the limit "
                           f"is {limits.max_events}", problems=[item])


def timeline_of(body: bytes, limits: Limits) -> Timeline:
    """The body's ``timeline/v2`` (or v1) document, parsed with every problem located."""
    document = decoded(body)
    try:
        if document is UNREADABLE:
            return loads_timeline(body)
        count_events(document, limits, "")
        return parse_timeline(document)
    except TimelineError as err:
        count = len(err.problems)
        raise ProblemError("invalid-timeline",
                           f"the timeline has {count} problem{'' if count == 1 else 's'}",
                           problems=located(err.problems)) from None
