"""The named tuples a person makes many of, built by :data:`lab_rules.core.slots.new_tuple`
(every field in order, without the class call's Python-level ``__new__``), are the tuples
their classes build: of their class, with every field, each in its place."""

from __future__ import annotations

import random
from datetime import date, timedelta

from lab_rules import evaluate
from lab_rules.calendar import Duration, Reading, Roll, Rounding
from lab_rules.calendar.danish import DanishCalendar
from lab_rules.contact.results import TraceStep
from lab_rules.contact.rule_span import Candidate
from lab_rules.core.slots import new_tuple
from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.clocks import ClockReading, Course, CourseClock, Span
from lab_rules.facts.points import CalendarSteps, Point, calendar_point
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.law.bundle import bundled_law
from lab_rules.law.model import Clock


def test_new_tuple_builds_what_the_class_builds() -> None:
    day = date(2025, 3, 31)
    built = new_tuple(TraceStep, ("due", day, "words"))
    assert type(built) is TraceStep
    assert built == TraceStep("due", day, "words")
    assert (built.step, built.day, built.detail) == ("due", day, "words")


def test_a_calendar_point_has_its_day_its_steps_and_whether_it_was_rounded() -> None:
    anchor = date(2024, 8, 31)
    point = calendar_point(anchor, Duration(months=6), Reading.AFTER, Rounding.DOWN, Roll.NONE,
                           DanishCalendar())
    assert type(point) is Point
    assert len(point) == len(Point._fields)
    assert point.day == date(2025, 2, 28)
    assert isinstance(point.detail, CalendarSteps)
    assert point.rounded is True
    assert point.text == "2024-08-31 + 6 months (after, rounding down, rounded) = 2025-02-28"


def test_a_cumulative_day_point_reads_its_clock_in_every_field() -> None:
    start = date(2024, 1, 1)
    course = Course(Benefit.KONTANTHJAELP, start, None, (Span(start, None),), ())
    clock = CourseClock(course, Clock.CUMULATIVE_DAYS)
    point = clock.point(start, Duration(days=30), Reading.WITHIN, Rounding.UP,
                        horizon=start + timedelta(days=400))
    assert type(point) is Point
    assert (point.day, point.rounded) == (date(2024, 1, 30), False)
    reading = point.detail
    assert type(reading) is ClockReading
    assert len(reading) == len(ClockReading._fields)
    assert (reading.unit, reading.anchor, reading.duration, reading.needed, reading.reached,
            reading.result, reading.reading, reading.figures) == (
        "days", start, Duration(days=30), 30, date(2024, 1, 30), date(2024, 1, 30),
        Reading.WITHIN, None)


def test_trace_steps_and_candidates_of_evaluations_hold_every_field_in_its_place() -> None:
    """Over synthetic caseloads: every trace step is a step name, a day (or None) and what
    says how; every candidate that fulfilled an obligation is the event's day, the event and
    no summons; every clock reading in a trace has all its fields."""
    law = bundled_law()
    rng = random.Random(14)
    steps = candidates = 0
    for index in range(60):
        timeline, as_of = synthetic_timeline(rng, index, years=2)
        for ob in evaluate(timeline, as_of=as_of, law=law).obligations:
            for step in ob.trace:
                assert type(step) is TraceStep
                assert len(step) == 3
                assert isinstance(step.step, str)
                assert step.day is None or isinstance(step.day, date)
                assert isinstance(step.text, str)
                assert step.text
                steps += 1
                if type(step.detail) is ClockReading:
                    assert len(step.detail) == len(ClockReading._fields)
                    assert step.detail.result == step.day or step.step != "due"
            found = ob.fulfilment
            if type(found) is Candidate and found.event is not None:
                assert len(found) == 3
                assert (found.day, found.summons) == (found.event.date, None)
                assert found.day == ob.fulfilled_on
                candidates += 1
    assert steps > 500
    assert candidates > 100
