"""When must this offer end: per offer started, its last allowed day, the rule and its basis.

:func:`offer_end` evaluates the timeline's deadlines (no refund, no sanctions) and reads, for
every offer started by ``as_of``, the ``offer_limit`` obligations of that offer: the last
allowed day (moved by the extensions recorded), the status on ``as_of``, the rule and its
legal basis, the extensions applied, and the steps the rule still allows. An offer no rule
limits says why (no limit in law for its kind and target group, or a fact the rule needs is
unknown: the evaluation's note).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from lab_rules.contact.results import Note, Obligation, TraceStep
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.evaluation.result import Evaluation
from lab_rules.facts.offers import OfferRun, offer_runs
from lab_rules.inputs.timeline import Timeline
from lab_rules.law.bundle import Law
from lab_rules.law.model import Extension, Shape
from lab_rules.law.policies import Policies

__all__ = ["OfferEnd", "OfferEnds", "offer_end"]


@attrs.frozen
class OfferEnd:
    """One offer and the day it must end by (``last_day``; None where no rule limits it)."""

    run: OfferRun
    obligation: Obligation | None
    extensions: tuple[TraceStep, ...] = ()
    """The trace of each recorded extension: applied or not, and why."""
    may_extend: tuple[Extension, ...] = ()
    """The extension steps the rule still allows."""
    notes: tuple[Note, ...] = ()

    @property
    def extensions_applied(self) -> tuple[str, ...]:
        """The extensions' trace in English (the JSON's words)."""
        return tuple(step.text for step in self.extensions)

    @property
    def last_day(self) -> date | None:
        return self.obligation.due if self.obligation is not None else None


@attrs.frozen
class OfferEnds:
    """The offers of one person on ``as_of``, and the evaluation they were read from."""

    evaluation: Evaluation
    offers: tuple[OfferEnd, ...]


def _remaining(obligation: Obligation) -> tuple[Extension, ...]:
    """The extension steps still open after those the trace shows applied."""
    steps = obligation.rule.extensions
    used = sum(1 for step in obligation.trace if step.step == "extended")
    stage = 0
    for _ in range(used):
        if stage < len(steps) and not steps[stage].repeatable:
            stage += 1
    return steps[stage:]


def _end_of(run: OfferRun, evaluation: Evaluation, taken: set[int]) -> OfferEnd:
    described = run.describe()
    for index, obligation in enumerate(evaluation.obligations):
        if (index in taken or obligation.rule.shape is not Shape.OFFER_LIMIT
                or obligation.opens != run.start or run.kind not in obligation.rule.offers):
            continue
        taken.add(index)
        return OfferEnd(run, obligation,
                        tuple(s for s in obligation.trace
                              if s.step in ("extended", "extension_not_applied")),
                        _remaining(obligation))
    notes = tuple(n for n in evaluation.notes if described in n.text)
    return OfferEnd(run, None, notes=notes)


def offer_end(timeline: Timeline, *, as_of: date, law: Law | None = None,
              policies: Policies | Mapping[str, str] | Iterable[str] | None = None) -> OfferEnds:
    """For every offer of *timeline* started by *as_of*: the last day it may run under
    *law* (default: the bundled national law), with the rule, its legal basis and status."""
    evaluation = evaluate(timeline, as_of=as_of, law=law, policies=policies, refund=False,
                          sanctions=False)
    taken: set[int] = set()
    return OfferEnds(evaluation, tuple(_end_of(run, evaluation, taken)
                                       for run in offer_runs(timeline.until(as_of))))
