"""Reading a posted caseload for the worklist: timeline documents or an event log, bounded.

``POST /v1/worklist`` takes either ``{"timelines": [timeline/v2, ...]}`` (``application/json``)
or an event log in JSON Lines (``application/x-ndjson``, the rows of
``lab_rules/schemas/event-log-v1.schema.json``, as ``lab-rules worklist`` reads from a file).
As in the command, a person whose timeline or rows cannot be read is not dropped: it is held
back with its located reasons and listed in the worklist's ``held``. Persons are counted, and
each person's events, before any is evaluated; past a limit the whole request is refused.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date

import attrs

from lab_rules.calendar import Duration
from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.worklist import DEFAULT_HORIZON, Held, horizon_problem
from lab_rules.faces.serve.limits import Limits
from lab_rules.faces.serve.problems import ProblemError
from lab_rules.faces.serve.reading import (
    JSON_LINES,
    UNREADABLE,
    as_of_of,
    count_events,
    decoded,
    grouped,
    policies_of,
    query_problem,
    raise_query_problems,
    timeline_of,
    unknown_parameters,
)
from lab_rules.inputs.eventlog_lines import json_person, json_row, physical_lines
from lab_rules.inputs.eventlog_state import PersonReader, PersonRows, suspects
from lab_rules.inputs.row_types import ReadProgress
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_json import parse_timeline

__all__ = ["GROUPINGS", "WorklistQuery", "caseload_of", "worklist_query"]

GROUPINGS = ("caseworker", "team", "person")


@attrs.frozen(slots=True)
class WorklistQuery:
    """The query of a worklist: the day it is made, how far it looks ahead, how its items
    are grouped, and the policy swaps on top of the server's."""

    as_of: date
    horizon: Duration
    by: str = "caseworker"
    policies: tuple[str, ...] = ()


def _horizon(values: list[str], problems: list[dict[str, object]]) -> Duration:
    default = DEFAULT_HORIZON
    if not values:
        return default
    text = values[-1]
    try:
        value = Duration.parse(text)
    except (ValueError, LabRulesError):
        problems.append(query_problem("horizon", f"{text!r} is not a duration such as P14D, "
                                      "P2W or P1M"))
        return default
    problem = horizon_problem(value)
    if len(values) > 1:
        problems.append(query_problem("horizon", "must be given once"))
    elif problem is not None:
        problems.append(query_problem("horizon", f"{text}: {problem}"))
    else:
        return value
    return default


def worklist_query(pairs: Sequence[tuple[str, str]], defaults: Sequence[str] = ()
                   ) -> WorklistQuery:
    """``as_of`` (required), ``horizon`` (an ISO 8601 duration of at least a day, default
    ``P14D``), ``by`` (caseworker, team or person) and ``policy=name=value`` (repeatable)."""
    problems = unknown_parameters(pairs, {"as_of", "horizon", "by", "policy"})
    values = grouped(pairs)
    as_of = as_of_of(values, problems)
    horizon = _horizon(values.get("horizon", []), problems)
    by = values.get("by", ["caseworker"])
    if len(by) != 1 or by[0] not in GROUPINGS:
        problems.append(query_problem("by", "must be given once, one of "
                                      + ", ".join(GROUPINGS)))
    policies = policies_of(values, defaults, problems)
    raise_query_problems(problems)
    return WorklistQuery(as_of, horizon, by[0], policies)


def _too_many(count: int, limits: Limits, where: str) -> None:
    if count > limits.max_persons:
        raise ProblemError(
            "too-many-persons", f"the request holds more than {limits.max_persons} persons",
            problems=[{"pointer": where, "detail": f"{count} persons, more than "
                       f"{limits.max_persons}"}])


def _documents(body: bytes, limits: Limits) -> tuple[list[Timeline], list[Held]]:
    document = decoded(body)
    if document is UNREADABLE:
        timeline_of(body, limits)
    raw = document.get("timelines") if isinstance(document, dict) else None
    if not isinstance(document, dict) or not isinstance(raw, list) or len(document) != 1:
        raise ProblemError("invalid-caseload", "the body is not a caseload",
                           problems=[{"pointer": "", "detail": 'must be {"timelines": [a '
                                      "timeline/v2 document per person, ...]}"}])
    _too_many(len(raw), limits, "/timelines")
    timelines: list[Timeline] = []
    held: list[Held] = []
    for index, item in enumerate(raw):
        where = f"/timelines/{index}"
        count_events(item, limits, where)
        try:
            timelines.append(parse_timeline(item))
        except TimelineError as err:
            person = item.get("person") if isinstance(item, dict) else None
            ident = person.get("id") if isinstance(person, dict) else None
            held.append(Held(mask_cpr(ident) if isinstance(ident, str) else where, tuple(
                mask_cpr(f"{where}{p.path}: {p.message}") for p in err.problems)))
    return timelines, held


def _event_log(body: bytes) -> Iterator[PersonRows]:
    """The persons of a JSON Lines event log held in memory, read as ``read_persons`` reads
    a file (a person whose rows lie in several places is held back whole)."""
    def people() -> Iterator[str | None]:
        for _, _, raw in physical_lines(io.BytesIO(body), 1):
            is_row, person = json_person(raw)
            if is_row:
                yield person

    reader = PersonReader(suspects(people()), "line", ReadProgress())
    for number, _, raw in physical_lines(io.BytesIO(body), 1):
        row = json_row(number, raw)
        if row is not None:
            yield from reader.row(row)
    yield from reader.close()


def _rows(body: bytes, limits: Limits) -> tuple[list[Timeline], list[Held]]:
    persons = list(_event_log(body))
    _too_many(len(persons), limits, "")
    timelines: list[Timeline] = []
    held: list[Held] = []
    for rows in persons:
        person = mask_cpr(rows.person_id)
        if rows.document is None:
            held.append(Held(person, tuple(mask_cpr(r) for r in rows.problems)))
            continue
        count_events(rows.document, limits, "", person=person)
        try:
            timelines.append(parse_timeline(rows.document, source=f"person {person}"))
        except TimelineError as err:
            held.append(Held(person, tuple(mask_cpr(str(p)) for p in err.problems)))
    return timelines, held


def caseload_of(body: bytes, media: str, limits: Limits) -> tuple[list[Timeline], list[Held]]:
    """The timelines of a posted caseload and the persons held back with their reasons."""
    return _rows(body, limits) if media in JSON_LINES else _documents(body, limits)
