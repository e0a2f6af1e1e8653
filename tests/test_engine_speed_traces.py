"""Issue 14: traces built lazily read as before, and evaluations stay equal values.

A calendar deadline in a trace is kept as its arguments (:class:`CalendarSteps`) and renders
the words :func:`~lab_rules.calendar.deadline` gives; two evaluations of one timeline are
equal values.
"""

from __future__ import annotations

import random

from lab_rules import evaluate
from lab_rules.calendar import DateComputation, deadline
from lab_rules.facts.points import CalendarSteps
from lab_rules.inputs.synth import synthetic_timeline


def test_calendar_steps_in_traces_render_what_deadline_renders() -> None:
    rng = random.Random(3)
    seen = 0
    for index in range(80):
        timeline, as_of = synthetic_timeline(rng, index)
        result = evaluate(timeline, as_of=as_of, refund=False, sanctions=False)
        for obligation in result.obligations:
            for step in obligation.trace:
                detail = step.detail
                if isinstance(detail, CalendarSteps):
                    computed = detail.computation
                    assert isinstance(computed, DateComputation)
                    again = deadline(computed.anchor, computed.duration, computed.reading,
                                     computed.rounding, computed.roll)
                    assert step.text == again.describe("en")
                    assert step.day == again.result or step.step != "due"
                    seen += 1
                assert step.text
    assert seen > 50


def test_two_evaluations_of_one_timeline_are_equal() -> None:
    rng = random.Random(11)
    for index in range(40):
        timeline, as_of = synthetic_timeline(rng, index)
        first = evaluate(timeline, as_of=as_of, refund=False)
        second = evaluate(timeline, as_of=as_of, refund=False)
        assert first == second
        assert [o.explanation_en for o in first.obligations] == [
            o.explanation_en for o in second.obligations]
