"""The course classes built by setting their slots directly equal what their classes build:
:func:`~lab_rules.facts.courses.span` builds a :class:`Span`,
:func:`~lab_rules.facts.courses.group_span` a :class:`GroupSpan`,
:func:`~lab_rules.facts.courses.course` a :class:`Course` and
:func:`~lab_rules.contact.results.period` a :class:`Period`.

That is only right while each class has exactly the fields its builder sets, none with a
validator, converter or factory, and no ``__attrs_post_init__``; the built objects must stay
frozen and without a ``__dict__``."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules import evaluate
from lab_rules.contact.results import Period, period
from lab_rules.core.vocabulary import Benefit, TargetGroup
from lab_rules.facts.courses import Course, GroupSpan, Span, build_courses, course, group_span, span
from lab_rules.inputs.events import SicknessReported
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.law.bundle import bundled_law
from slot_built import lands_in_fields, plain, same_as_init

_FIELDS = {
    Span: ["start", "end"],
    GroupSpan: ["group", "start", "end", "assumed"],
    Course: ["benefit", "start", "end", "segments", "groups", "first_contact", "registered",
             "transfer", "sickness", "follows_other_course", "followup_requested",
             "sickness_known", "clock_hours"],
    Period: ["group", "benefit", "start", "end", "course_start", "assumed_group"],
}
_BUILDERS = [(span, Span), (group_span, GroupSpan), (course, Course), (period, Period)]


def _distinct(cls: Any) -> tuple[object, ...]:
    """A value for each field of *cls*, no two equal, each of the field's type."""
    day = date(2020, 1, 1)
    if cls is Span:
        return day, day + timedelta(days=1)
    if cls is GroupSpan:
        return TargetGroup.DAGPENGE, day, day + timedelta(days=1), True
    if cls is Period:
        return (TargetGroup.SYGEDAGPENGE, "sygedagpenge", day, day + timedelta(days=1),
                day + timedelta(days=2), True)
    sickness = SicknessReported(date=day, first_absence_day=day - timedelta(days=3))
    return (Benefit.SYGEDAGPENGE, day, day + timedelta(days=1),
            (Span(day, None),), (GroupSpan(TargetGroup.SYGEDAGPENGE, day, None),),
            day + timedelta(days=2), day + timedelta(days=3), day + timedelta(days=4), sickness,
            True, day + timedelta(days=5), day + timedelta(days=6), bundled_law().clock_hours)


@pytest.mark.parametrize(("builder", "cls"), _BUILDERS)
def test_each_argument_lands_in_its_field(builder: Any, cls: Any) -> None:
    lands_in_fields(builder, cls, _distinct(cls))


@pytest.mark.parametrize("cls", [Span, GroupSpan, Course, Period])
def test_each_class_has_the_plain_fields_its_builder_sets(cls: Any) -> None:
    assert [f.name for f in attrs.fields(cls)] == _FIELDS[cls]
    assert plain(cls)


def test_built_with_defaults_equal_the_class_built() -> None:
    day = date(2024, 3, 1)
    same_as_init(group_span(TargetGroup.DAGPENGE, day, None, False), GroupSpan)
    assert group_span(TargetGroup.DAGPENGE, day, None, False) == GroupSpan(
        TargetGroup.DAGPENGE, day, None)
    assert course(None, day, None, (), (), None, None, None, None, False, None, None,
                  ()) == Course(None, day, None, (), ())
    assert period(TargetGroup.DAGPENGE, None, day, None, day, False) == Period(
        TargetGroup.DAGPENGE, None, day, None, day)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 10), st.integers(-400, 200))
def test_derived_courses_and_periods_equal_the_classes_built(seed: int, years: int,
                                                             cut: int) -> None:
    timeline, as_of = synthetic_timeline(random.Random(seed), seed, years=years)
    law = bundled_law()
    for built in build_courses(timeline, law.clock_hours):
        same_as_init(built, Course)
        for segment in built.segments:
            same_as_init(segment, Span)
        for group in built.groups:
            same_as_init(group, GroupSpan)
    result = evaluate(timeline, as_of=as_of + timedelta(days=cut), refund=False,
                      sanctions=False)
    for derived in result.periods:
        same_as_init(derived, Period)
