"""The hot result classes built by setting their slots directly equal what their classes
build: :func:`~lab_rules.contact.results.obligation` builds an :class:`Obligation`,
:func:`~lab_rules.evaluation.result.evaluation` an :class:`Evaluation`.

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
from lab_rules.contact.results import Obligation, Status, TraceStep, obligation
from lab_rules.core.vocabulary import TargetGroup
from lab_rules.evaluation.result import Evaluation, evaluation
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.law.bundle import bundled_law
from slot_built import lands_in_fields, plain, same_as_init

_OBLIGATION_FIELDS = ["rule", "sequence", "group", "course_start", "opens", "due", "status",
                      "fulfilled_on", "fulfilment", "days_late", "days_overdue", "policies",
                      "trace", "no_show_incident"]
_EVALUATION_FIELDS = ["person_id", "as_of", "rule_pack", "policies", "periods", "obligations",
                      "notes", "refund", "refund_losses", "refund_loss_months", "refund_periods",
                      "refund_period_months", "cofinancing_weeks", "cofinancing_months",
                      "sanctions", "hours_rule", "quota_rows", "law_hash", "overlays"]


def _distinct(cls: Any) -> tuple[object, ...]:
    """A value for each field of *cls*, no two equal, each of the field's type (the compiled
    build checks the builders' argument types): each tuple field a tuple of its own name, each
    date a day of its own, the ledger and the 225-hour status from a real evaluation."""
    if cls is Obligation:
        day = date(2020, 1, 1)
        return (bundled_law().rules.rules[0], 11, TargetGroup.DAGPENGE, day,
                day + timedelta(days=1), day + timedelta(days=2), Status.MET_LATE,
                day + timedelta(days=3), object(), 12, 13, (("policies", "x"),),
                (TraceStep("trace", day, "x"),), True)
    timeline, as_of = synthetic_timeline(random.Random(3), 3, years=2)
    full = evaluate(timeline, as_of=as_of, hours_rule=True)
    assert full.refund is not None
    assert full.hours_rule is not None
    return tuple(
        {"person_id": "person", "as_of": date(2021, 1, 1), "rule_pack": "pack",
         "refund": full.refund, "hours_rule": full.hours_rule,
         "law_hash": "hash"}.get(f.name, (f.name,))
        for f in attrs.fields(Evaluation))


@pytest.mark.parametrize(("builder", "cls"), [(obligation, Obligation),
                                              (evaluation, Evaluation)])
def test_each_argument_lands_in_its_field(builder: Any, cls: Any) -> None:
    lands_in_fields(builder, cls, _distinct(cls))


def test_obligation_has_the_plain_fields_obligation_sets() -> None:
    assert [f.name for f in attrs.fields(Obligation)] == _OBLIGATION_FIELDS
    assert plain(Obligation)


def test_obligation_with_defaults_equals_the_class_built() -> None:
    rule = bundled_law().rules.rules[0]
    day = date(2024, 3, 1)
    built = obligation(rule, 1, TargetGroup.DAGPENGE, day, day, day, Status.OPEN, None, None,
                       None, None, (), (), False)
    assert built == Obligation(rule, 1, TargetGroup.DAGPENGE, day, day, day, Status.OPEN)
    same_as_init(built, Obligation)
    step = TraceStep("due", day, "x")
    same_as_init(obligation(rule, 2, TargetGroup.JOBPARAT_KONTANTHJAELP, day, day, day,
                            Status.MET_LATE, day, None, 3, None,
                            (("no_show", "late_until_held"),), (step,), True), Obligation)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 3), st.integers(-200, 200))
def test_evaluated_obligations_equal_the_class_built(seed: int, years: int, cut: int) -> None:
    timeline, as_of = synthetic_timeline(random.Random(seed), seed, years=years)
    result = evaluate(timeline, as_of=as_of + timedelta(days=cut), refund=False,
                      sanctions=False)
    for built in result.obligations:
        same_as_init(built, Obligation)


def test_evaluation_has_the_plain_fields_evaluation_sets() -> None:
    assert [f.name for f in attrs.fields(Evaluation)] == _EVALUATION_FIELDS
    assert plain(Evaluation)


def test_evaluation_with_defaults_equals_the_class_built() -> None:
    day = date(2024, 3, 1)
    built = evaluation("p", day, "pack", (), (), (), (), None, (), (), (), (), (), (), (), None,
                       (), "", ())
    assert built == Evaluation("p", day, "pack", (), (), ())
    same_as_init(built, Evaluation)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 3), st.booleans())
def test_evaluations_equal_the_class_built(seed: int, years: int, everything: bool) -> None:
    timeline, as_of = synthetic_timeline(random.Random(seed), seed, years=years)
    same_as_init(evaluate(timeline, as_of=as_of, refund=everything, sanctions=everything),
                 Evaluation)
