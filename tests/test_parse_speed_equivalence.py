"""The quick reading of a timeline document gives what the careful one gives.

:func:`parse_timeline` first tries a quick reading that gives up at the first sign of a
problem, then reads carefully. Synthetic documents, mutated (keys dropped or added, nulls,
wrong types, bad dates, huge and odd numbers, numbers as strings, junk), must come out the same
either way: the same timeline in the same order, or the same problems in the same order. The
quick reading must never accept what the careful one refuses.
"""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_rules.core.errors import TimelineError
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.inputs.timeline import EVENT_TYPES, Timeline
from lab_rules.inputs.timeline_json import (
    _CONVERT,
    _parse_carefully,
    _parse_quickly,
    parse_timeline,
    timeline_to_json,
)
from lab_rules.inputs.timeline_values import Bad, Huge

_RNG = random.Random(3)
SEEDS = [timeline_to_json(synthetic_timeline(_RNG, index, years=years)[0])
         for index, years in enumerate((2, 2, 5, 10))]

ODD: list[object] = [
    None, True, False, 0, -1, 3, 2**31, -(2**63), 10**50, Huge(5000), "", " ", "\ud800",
    "²", "x" * 200, "9999-12-31", "1989-12-31", "2101-01-01", "1899-12-31", "2024-02-30",
    "2024-1-01", "20240101", "2024-W01-1", " 12 ", "-5", "12.50", "1e3", "NaN", "10000001",
    "٣٤", Decimal("NaN"), Decimal("1E+99"), Decimal("-0"), 1.5, float("nan"), [], {},
    [[["x"]]], {"a": {"b": 1}}, "kontanthjaelp", "jobsamtale", "personligt",
]
"""Values of every kind a converter may meet, well-typed and not."""

values = st.one_of(st.sampled_from(ODD), st.integers(-(2**40), 2**40), st.text(max_size=12),
                   st.dates().map(lambda day: day.isoformat()))


@st.composite
def mutated(draw: st.DrawFn) -> object:
    document: Any = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 3))):
        events = document.get("events")
        where = draw(st.sampled_from(("top", "person", "event", "event", "list")))
        if where in ("event", "list") and not (isinstance(events, list) and events):
            continue
        if where == "list":
            index = draw(st.integers(0, len(events) - 1))
            action = draw(st.sampled_from(("drop", "double", "retype", "replace", "swap")))
            if action == "drop" and len(events) > 1:
                del events[index]
            elif action == "double":
                events.append(copy.deepcopy(events[index]))
            elif action == "retype":
                events[index]["type"] = draw(st.sampled_from([*EVENT_TYPES, "", None, 7]))
            elif action == "replace":
                events[index] = draw(values)
            elif action == "swap":
                events.insert(0, events.pop(index))
            continue
        target = (document if where == "top" else document.get("person") if where == "person"
                  else events[draw(st.integers(0, len(events) - 1))])
        if not isinstance(target, dict):
            continue
        key = draw(st.sampled_from([*sorted(target), "ref", "end", "amount", "typo", "cpr"]))
        if draw(st.booleans()) and key in target:
            del target[key]
        else:
            target[key] = draw(values)
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from((None, [], "x", {"schema": "lab-rules/timeline/v2"})))
    return document


def _outcome(parse: Any, document: object) -> Timeline | list[tuple[str, str]]:
    try:
        return parse(document)  # type: ignore[no-any-return]
    except TimelineError as err:
        return [(problem.path, problem.message) for problem in err.problems]


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document=mutated())
def test_quick_and_careful_readings_agree(document: object) -> None:
    careful = _outcome(lambda d: _parse_carefully(d, "doc.json"), document)
    assert _outcome(lambda d: parse_timeline(d, source="doc.json"), document) == careful
    quick = _parse_quickly(document)
    if quick is not None:
        assert isinstance(careful, Timeline)
        assert quick == careful
        assert quick.events == careful.events


def test_valid_documents_take_the_quick_reading() -> None:
    for document in SEEDS:
        quick = _parse_quickly(document)
        assert quick is not None
        assert quick == _parse_carefully(document, None)


def test_every_converter_refuses_a_huge_number_and_a_null() -> None:
    """The quick reading leaves both to the converters (the careful one words them itself)."""
    for fields in _CONVERT.values():
        for _, convert, _, _ in fields:
            assert type(convert(Huge(5000))) is Bad
            assert type(convert(None)) is Bad
