"""One person evaluated as the batch does it (:func:`outcome_of`, also the Dask path's unit of
work), the id every output writes for a person (masked or pseudonymised), and the state a
worker process keeps: the run's :class:`Evaluator` (law, pseudonym key, the fast path's rows,
the form of the rows), sent once when it starts, and the shared progress counters of a run in
pieces."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

import attrs

from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.core.privacy import mask_cpr, pseudonym
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.evaluation.result import Evaluation
from lab_rules.inputs.eventlog import PersonRows
from lab_rules.law.bundle import Law
from lab_rules.law.model import LegalBasis
from lab_rules.law.params import kept
from lab_rules.loops.batch_fast import FastPath, FastRow, fast_counts
from lab_rules.loops.batch_tables import Outcome, _cells
from lab_rules.loops.columnar_merge import merged_cells
from lab_rules.loops.columnar_rules import EngineLaws
from lab_rules.loops.worker_guard import guard_worker


def _typed(*values: object) -> tuple[object, ...]:
    """A table row as its values, for the Arrow writer."""
    return values


def public_id(person_id: str, key: bytes | None) -> str:
    """The person id as every output writes it: a keyed hash, or the id with CPR masked."""
    return pseudonym(person_id, key) if key is not None else mask_cpr(person_id)


def outcome_of(rows: PersonRows, as_of: date, policies: Mapping[str, str],
               law: Law | None = None, key: bytes | None = None,
               refund: bool = True, *, fast: tuple[FastRow, ...] = (),
               typed: bool = False) -> Outcome:
    """One person evaluated as the batch does it (also the Dask path's unit of work); with a
    pseudonym *key*, the id read appears nowhere in the outcome. With *refund* the person's
    refund, co-financing and refund lost per month are included.

    *fast* are the fast path's rows of the rule ids *law* leaves out for this person (see
    :mod:`lab_rules.loops.batch_fast`): merged with the engine's, and counted in the summary.
    With *typed* the rows hold their values (for the Arrow writer), else their cells' text."""
    person_id = public_id(rows.person_id, key)
    row = _typed if typed else _cells

    def said(text: str) -> str:
        if key is not None and rows.person_id:
            for spelling in {rows.person_id, mask_cpr(rows.person_id)}:
                text = re.sub(f"(?<![0-9A-Za-z]){re.escape(spelling)}(?![0-9A-Za-z])",
                              lambda _: person_id, text)
        return mask_cpr(text)

    def held(reasons: Iterable[str]) -> Outcome:
        return Outcome(person_id, key=rows.person_id, rows=rows.rows, quarantine={
            "person_id": person_id, "line": rows.first_line,
            "reasons": [said(r) for r in reasons]})

    if not rows.readable:
        return held(rows.problems)
    try:
        timeline = rows.timeline(source=f"person {person_id}")
        evaluation = evaluate(timeline, as_of=as_of, law=law, policies=policies,
                              refund=refund, hours_rule=False)
    except TimelineError as err:
        return held(str(p) for p in err.problems)
    except (LabRulesError, ValueError, ArithmeticError) as err:
        return held([f"evaluation failed: {err}"])
    found = evaluation.obligations
    obligations: tuple[tuple[Any, ...], ...] = tuple([
        (person_id, (rule := o.rule).id, o.sequence, o.group._value_, o.opens, o.due,
         o.fulfilled_on, o.status._value_, o.days_late, o.days_overdue,
         _cited(rule.legal_basis))
        for o in found])
    statuses = list(map(_STATUS, obligations))
    if not typed:
        obligations = tuple(map(_text_row, obligations))
    sanctions = tuple(
        row(person_id, s.failure, s.day, s.rule, s.rule_era, s.benefit, s.sanctionable,
            s.days, s.rate, s.deducted, s.legal_basis) for s in evaluation.sanctions)
    late = sum(filter(None, map(_LATE, found)))
    overdue = sum(filter(None, map(_OVERDUE, found)))
    if fast:
        obligations = tuple(merged_cells(obligations, [row(person_id, *r) for r in fast]))
        fast_statuses, fast_late, fast_overdue = fast_counts(fast)
        statuses += fast_statuses
        late += fast_late
        overdue += fast_overdue
    uncovered = statuses.count("not_covered")
    deducted = sum((s.deducted or Decimal(0) for s in evaluation.sanctions), Decimal(0))
    summary = row(person_id, len(statuses) - uncovered, statuses.count("met"),
                  statuses.count("met_late"), statuses.count("overdue"),
                  statuses.count("open"), statuses.count("waived"), statuses.count("lapsed"),
                  late, overdue, len(evaluation.sanctions), deducted, uncovered)
    refunds, totals = refund_table(evaluation, person_id)
    summary += row(*totals) if refund else row(None, None, None, None)
    return Outcome(person_id, obligations, sanctions, summary, evaluation.quota_rows,
                   key=rows.person_id, rows=rows.rows,
                   refund=refunds if typed else tuple(map(_text_row, refunds)))


_STATUS = itemgetter(7)
"""An ``obligations.csv`` row's status. The rows take an enum member's value as
``member._value_``, its plain attribute: ``member.value`` goes through the enum's property,
several times slower."""
_LATE = attrgetter("days_late")
_OVERDUE = attrgetter("days_overdue")
_cited = kept(LegalBasis.cite)
"""``basis.cite()``, worked out once per legal basis met (the few of the law's rules give
every obligation's)."""


def _text_row(values: tuple[Any, ...]) -> tuple[str, ...]:
    """A row of values as the text of its cells (:func:`_cells`)."""
    return _cells(*values)


def refund_table(evaluation: Evaluation, person_id: str
                 ) -> tuple[tuple[tuple[Any, ...], ...], tuple[Decimal, ...]]:
    """The person's ``refund.csv`` rows in order of month (*person_id*, the month and
    :func:`refund_rows`' four figures) and each figure's sum over the months.

    Most persons have the staircase ledger's months alone, one a month and in order: their
    rows are made from it without the merge. Each figure is still added to ``0.00`` as the
    merge adds it (so a ``-0.00`` is written ``0.00`` alike), and the columns that are all
    ``0.00`` sum to ``0.00``, as the sum of the merged rows does."""
    ledger = evaluation.refund
    if (ledger is not None and ledger.months and not evaluation.refund_period_months
            and not evaluation.cofinancing_months and not evaluation.refund_loss_months):
        found = ledger.months
        months = list(map(_MONTH, found))
        if all(map(str.__lt__, months, months[1:])):
            zero = _ZERO
            refunds = [zero + total.refund for total in found]
            shares = [zero + total.cofinancing for total in found]
            return (tuple([(person_id, month, refunded, zero, share, zero) for
                           month, refunded, share in zip(months, refunds, shares, strict=True)]),
                    (sum(refunds, _NOTHING), zero, sum(shares, _NOTHING), zero))
    rows = tuple([(person_id, month, *figures)
                  for month, figures in sorted(refund_rows(evaluation).items())])
    totals = tuple([sum(column, _NOTHING) for column in list(zip(*rows, strict=True))[2:]])
    return rows, totals or (_NOTHING,) * 4


_ZERO = Decimal("0.00")
_NOTHING = Decimal(0)
_MONTH = attrgetter("month")


def refund_rows(evaluation: Evaluation) -> dict[str, list[Decimal]]:
    """Per month: the staircase refund (from 2016), the refund of the 2007-2015 rate periods,
    the municipal co-financing (staircase and dagpenge 2010-2015), and the refund lost for late
    steps, each already rounded to øre by month."""
    months: dict[str, list[Decimal]] = {}
    zero = _ZERO
    found = months.get
    if evaluation.refund is not None:
        for total in evaluation.refund.months:
            month = found(total.month)
            if month is None:
                month = months[total.month] = [zero] * 4
            month[0] += total.refund
            month[2] += total.cofinancing
    for index, totals, amount in ((1, evaluation.refund_period_months, _REFUND),
                                  (2, evaluation.cofinancing_months, _COFINANCING),
                                  (3, evaluation.refund_loss_months, _REFUND)):
        for total in totals:
            month = found(total.month)
            if month is None:
                month = months[total.month] = [zero] * 4
            month[index] += amount(total)
    return months


_REFUND = attrgetter("refund")
_COFINANCING = attrgetter("cofinancing")


def _engine_laws(evaluator: Evaluator) -> EngineLaws:
    return EngineLaws(evaluator.law)


@attrs.frozen
class Evaluator:
    """How a run evaluates each person: its law, its pseudonym key (never written), the fast
    path's result if the run uses it, and whether rows are typed (the Arrow writer) or text."""

    law: Law
    key: bytes | None = None
    fast: FastPath | None = None
    typed: bool = False
    laws: EngineLaws = attrs.field(init=False, eq=False, repr=False,
                                   default=attrs.Factory(_engine_laws, takes_self=True))

    def outcome(self, rows: PersonRows, as_of: date, policies: Mapping[str, str],
                refund: bool) -> Outcome:
        """The person's outcome; with the fast path, the engine leaves out the rule ids it
        handled for this person and its rows take their place."""
        if self.fast is None:
            return outcome_of(rows, as_of, policies, self.law, self.key, refund,
                              typed=self.typed)
        rule_ids, fast = self.fast.of(rows.person_id)
        return outcome_of(rows, as_of, policies, self.laws.without(rule_ids), self.key,
                          refund, fast=fast, typed=self.typed)


WORKER: Evaluator | None = None
"""In a worker process: the run's evaluator, sent once when the worker starts (not per
person)."""


def start_worker(evaluator: Evaluator, run: int, persons: Any = None, read: Any = None) -> None:
    """A worker process starts: it guards itself against outliving the run and keeps the
    run's evaluator and progress counters."""
    global WORKER
    guard_worker(run)
    WORKER = evaluator
    if persons is not None:
        share(persons, read)


def evaluate_in_worker(task: tuple[PersonRows, date, Mapping[str, str], bool]) -> Outcome:
    rows, as_of, policies, refund = task
    assert WORKER is not None
    return WORKER.outcome(rows, as_of, policies, refund)


SHARED: tuple[Any, Any] | None = None
"""In a worker process of a run in pieces: the run's shared counters of persons done and
bytes read, for the progress line only (results never depend on them)."""


def share(persons: Any, read: Any) -> None:
    global SHARED
    SHARED = (persons, read)


def add_progress(persons: int, read: int) -> None:
    assert SHARED is not None
    with SHARED[0].get_lock():
        SHARED[0].value += persons
    with SHARED[1].get_lock():
        SHARED[1].value += read
