"""A person's ``refund.csv`` rows and their sums in ``persons.csv``: the quick way for a
person with the staircase ledger's months alone (:func:`refund_table`) gives exactly what the
merge of every refund source gives, for any months, in any order, signed zeros and odd
exponents among them."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lab_rules import evaluate
from lab_rules.evaluation.result import Evaluation
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.law.bundle import bundled_law
from lab_rules.loops.batch_person import refund_rows, refund_table
from lab_rules.refund.months import MonthTotal


def _merged(evaluation: Evaluation, person_id: str
            ) -> tuple[tuple[tuple[Any, ...], ...], list[Decimal]]:
    """The rows and sums as the batch made them before the quick way: every source merged."""
    months = refund_rows(evaluation)
    totals = ([sum(column, Decimal(0)) for column in zip(*months.values(), strict=True)]
              or [Decimal(0)] * 4)
    return (tuple((person_id, month, *figures) for month, figures in sorted(months.items())),
            totals)


def _same(evaluation: Evaluation) -> None:
    rows, totals = refund_table(evaluation, "p")
    want_rows, want_totals = _merged(evaluation, "p")
    assert [tuple(map(str, r)) for r in rows] == [tuple(map(str, r)) for r in want_rows]
    assert list(map(str, totals)) == list(map(str, want_totals))


@pytest.fixture(scope="module")
def evaluations() -> list[Evaluation]:
    law = bundled_law()
    rng = random.Random(7)
    found = []
    for index in range(60):
        old = index % 3 == 0
        timeline, as_of = synthetic_timeline(
            rng, index, first=date(2008, 1, 1) if old else date(2016, 6, 1),
            last=date(2012, 1, 1) if old else date(2023, 1, 1))
        found.append(evaluate(timeline, as_of=as_of, law=law, hours_rule=False))
    return found


def test_refund_rows_of_evaluated_persons_are_those_of_the_merge(
        evaluations: list[Evaluation]) -> None:
    for evaluation in evaluations:
        _same(evaluation)
    assert any(e.refund_period_months for e in evaluations)
    assert any(e.refund is not None and e.refund.months and not e.refund_period_months
               for e in evaluations)


_MONTHS = st.sampled_from(["2019-12", "2020-01", "2020-02", "2021-07"])
_AMOUNTS = st.sampled_from([Decimal("0.00"), Decimal("-0.00"), Decimal("0"), Decimal("12.5"),
                            Decimal("7.25"), Decimal("-3.10"), Decimal("1E+2"),
                            Decimal("0.001")])
_TOTALS = st.lists(st.builds(MonthTotal, _MONTHS, _AMOUNTS, _AMOUNTS), max_size=6)


@given(ledger=_TOTALS, others=st.lists(_TOTALS, min_size=3, max_size=3),
       alone=st.booleans())
def test_refund_rows_of_any_months_are_those_of_the_merge(
        evaluations: list[Evaluation], ledger: list[MonthTotal],
        others: list[list[MonthTotal]], alone: bool) -> None:
    base = next(e for e in evaluations if e.refund is not None)
    assert base.refund is not None
    periods, cofinancing, losses = ([] if alone else o for o in others)
    evaluation = attrs.evolve(
        base, refund=attrs.evolve(base.refund, months=tuple(ledger)),
        refund_period_months=tuple(periods), cofinancing_months=tuple(cofinancing),
        refund_loss_months=tuple(losses))
    _same(evaluation)
