"""Validate means evaluable: a bounded, deterministic fuzz over the bundled examples and a small
synthetic caseload.

Each example is a real timeline with one to four values mutated (a field's value swapped for a
date at or beyond the supported range, a huge or odd number, text that is not Unicode, a wrong
type, deep nesting; a key dropped or added; an event dropped, doubled or retyped). Whatever the
mutation, :func:`parse_timeline` either refuses it with located problems (a
:class:`TimelineError`), or the timeline it accepts evaluates, serialises and renders at any
``as_of`` of the supported range: only the documented :class:`LabRulesError` may end the way.
Hypothesis runs derandomised, so CI sees the same examples every time.
"""

from __future__ import annotations

import copy
import enum
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_rules.core import vocabulary
from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.faces import plot
from lab_rules.faces.evaluation_json import dumps_evaluation
from lab_rules.faces.report import render_report
from lab_rules.faces.text_table import render_text
from lab_rules.inputs.synth import synthetic_caseload
from lab_rules.inputs.timeline import EVENT_TYPES, Timeline
from lab_rules.inputs.timeline_fields import FIRST_DAY, LAST_DAY
from lab_rules.inputs.timeline_json import (
    dumps_timeline,
    loads_timeline,
    parse_timeline,
    timeline_to_json,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "timelines"


def _seeds() -> list[dict[str, Any]]:
    documents = [json.loads(path.read_text(encoding="utf-8"))
                 for path in sorted(EXAMPLES.glob("*.json"))]
    documents += [timeline_to_json(t) for t in synthetic_caseload(3, seed=12)]
    return documents


SEEDS = _seeds()

NASTY: list[object] = [
    None, True, False, 0, -1, 1, 2, 3, 4, 2**31, -(2**63), 10**5000,
    "", " ", "²", "\ud800", "x" * 10_000, "9999-12-31", "0001-01-01", "1989-12-31",
    "1990-01-01", "2100-12-31", "2101-01-01", "1899-12-31", "2024-02-29", "2023-02-29",
    "2024-13-01", "24-01-01", "1e999999999", "-5", "10000000", "10000000.01", "0.001",
    "99999999999999999999999999999999999999999999", "NaN", "Infinity", "1,5",
    Decimal("1E+999999999"), Decimal("1E-999999999"), Decimal("NaN"), Decimal("-0"),
    Decimal("9999999.99"), 1.5, float("nan"), float("inf"), [], {}, [[[[[[]]]]]],
    {"a": {"b": {"c": {}}}}, "kontanthjaelp", "dagpenge", "jobsamtale", "sygdom",
    "jobparat_kontanthjaelp", "personligt", "jobcenter",
]
"""Values that have crashed parsers and computations elsewhere, and the ordinary ones."""


def _deep(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


values = st.one_of(
    st.sampled_from(NASTY),
    st.dates(FIRST_DAY - timedelta(days=3), LAST_DAY + timedelta(days=3)).map(date.isoformat),
    st.dates(LAST_DAY - timedelta(days=400), LAST_DAY).map(date.isoformat),
    st.integers(-(2**70), 2**70),
    st.decimals(allow_nan=False, allow_infinity=False, places=2,
                min_value=-20_000_000, max_value=20_000_000),
    st.text(max_size=12),
    st.integers(2000, 5000).map(_deep),
)


_ENUMS = [sorted(m.value for m in kind) for kind in vars(vocabulary).values()
          if isinstance(kind, type) and issubclass(kind, enum.Enum) and kind is not enum.Enum]


def _plausible(draw: st.DrawFn, current: object) -> object:
    """A value of the same kind as *current* that validate may accept: another date in the
    supported range, another member of the same enumeration, another small amount."""
    if isinstance(current, str) and len(current) == 10 and current[4] == "-":
        return draw(st.one_of(st.dates(FIRST_DAY, LAST_DAY),
                              st.dates(date(2007, 1, 1), date(2030, 12, 31)))).isoformat()
    for members in _ENUMS:
        if current in members:
            return draw(st.sampled_from(members))
    if isinstance(current, bool):
        return not current
    if isinstance(current, int):
        return draw(st.integers(0, 400))
    if isinstance(current, str) and current.replace(".", "").isdigit():
        return str(draw(st.decimals(0, 200_000, places=2)))
    return current


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    document = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    wild = draw(st.booleans())
    for _ in range(draw(st.integers(1, 4))):
        events = document.get("events")
        events = events if isinstance(events, list) else []
        where = draw(st.sampled_from(("person", "event", "event", "event", "list", "top")))
        if where == "person":
            target = document.get("person")
        elif where == "top":
            target = document
        elif where == "list" and events:
            index = draw(st.integers(0, len(events) - 1))
            action = draw(st.sampled_from(("drop", "double", "retype", "replace") if wild
                                          else ("drop", "double")))
            if action == "drop":
                del events[index]
            elif action == "double":
                events.append(copy.copy(events[index]))
            elif action == "retype" and isinstance(events[index], dict):
                events[index]["type"] = draw(st.sampled_from(sorted(EVENT_TYPES)))
            elif action == "replace":
                events[index] = draw(values)
            continue
        elif events:
            target = events[draw(st.integers(0, len(events) - 1))]
        else:
            continue
        if not isinstance(target, dict):
            continue
        extra = ["²", "end", "amount", "hours", "ref"] if wild else []
        if not target and not extra:
            continue
        key = draw(st.sampled_from(sorted(target) + extra))
        choice = draw(st.integers(0, 5)) if wild else 1
        if choice == 0:
            target.pop(key, None)
        elif choice <= 3 and key in target:
            target[key] = _plausible(draw, target[key])
        else:
            target[key] = draw(values)
    return document


def _evaluate_and_render(document: dict[str, Any], as_of: date, lang: str) -> None:
    timeline: Timeline | None
    try:
        timeline = parse_timeline(document, source="fuzz.json")
    except TimelineError as err:
        problems = err.problems
        timeline = None
    else:
        problems = ()
    if timeline is None:
        assert problems
        for problem in problems:
            str(problem).encode("utf-8")
        return
    assert loads_timeline(dumps_timeline(timeline)) == timeline
    try:
        evaluation = evaluate(timeline, as_of=as_of)
        json.loads(dumps_evaluation(evaluation))
        render_text(evaluation, lang)
        render_report(evaluation, timeline, lang=lang)
    except LabRulesError:
        pass


@pytest.fixture
def no_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report without its chart (matplotlib takes a second a figure); the chart is
    fuzzed on its own, with fewer examples."""

    def absent() -> None:
        raise LabRulesError("no chart in the fuzz test")

    monkeypatch.setattr(plot, "_figure_class", absent)


AS_OF = st.one_of(st.sampled_from([FIRST_DAY, LAST_DAY, date(2024, 10, 1)]),
                  st.dates(FIRST_DAY, LAST_DAY))


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(document=mutated(), as_of=AS_OF, lang=st.sampled_from(("da", "en")))
def test_what_validate_accepts_evaluates_and_renders(
        no_chart: None, document: dict[str, Any], as_of: date, lang: str) -> None:
    _evaluate_and_render(document, as_of, lang)


@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document=mutated(), as_of=AS_OF)
def test_what_validate_accepts_is_drawn(document: dict[str, Any], as_of: date) -> None:
    pytest.importorskip("matplotlib")
    _evaluate_and_render(document, as_of, "da")


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(text=st.one_of(
    st.sampled_from(['{"schema": ' + "[" * 100_000, "9" * 5000, '{"a": ' + "9" * 5000 + "}",
                     "\ufeff{}", '{"\\ud800": 1}', "[1e999999999]", "NaN", "-Infinity"]),
    st.text(max_size=40),
    st.binary(max_size=40),
))
def test_text_that_is_not_a_timeline_is_refused_with_located_problems(
        text: str | bytes) -> None:
    with pytest.raises(TimelineError) as caught:
        loads_timeline(text, source="fuzz.json")
    assert caught.value.problems


COMMANDS = [[command, "--format", form] for command in ("evaluate", "refund", "sanctions",
                                                        "entitlements")
            for form in ("json", "text")] + [["report", "-o", "case.html"]]


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(document=mutated(), as_of=AS_OF, command=st.sampled_from(COMMANDS))
def test_every_command_on_a_mutated_file_ends_in_a_documented_exit_code(
        no_chart: None, tmp_path_factory: pytest.TempPathFactory, document: dict[str, Any],
        as_of: date, command: list[str]) -> None:
    from lab_rules.faces.cli import main

    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "case.json"
    try:
        path.write_text(json.dumps(document, default=str), encoding="utf-8",
                        errors="surrogatepass")
    except (ValueError, RecursionError):  # not writable as JSON text: nothing to run
        return
    argv = [command[0], str(path), "--as-of", as_of.isoformat(), *command[1:]]
    if command[0] == "report":
        argv[-1] = str(folder / "case.html")
    assert main(argv) in (0, 1)
