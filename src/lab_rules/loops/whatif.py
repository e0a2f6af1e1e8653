"""What-if comparisons: one caseload under a baseline and under variants.

A variant (:mod:`lab_rules.loops.variants`) is a law and a set of policy swaps, written as
a spec such as ``koebenhavn-kvartal+no_show=timely_summons_counts``.

:func:`compare_caseload` evaluates every person once per variant with the same pure
:func:`lab_rules.evaluation.evaluate` and returns plain rows (no third-party imports);
:func:`compare`
returns the same as pandas DataFrames (the ``whatif`` extra). Like batch and Dask, this is a
loop around ``evaluate``: it adds no law.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from lab_rules.contact.results import Status
from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.evaluation.result import Evaluation
from lab_rules.inputs.eventlog import PersonRows, read_persons
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import Law
from lab_rules.loops.interrupts import interruptible, shielded
from lab_rules.loops.typed_frames import arrow_table, as_frame
from lab_rules.loops.variants import (
    Variant,
    _as_variant,
    parameter_changes,
    policy_changes,
    rule_changes,
)
from lab_rules.loops.worker_guard import (
    checked_workers,
    guard_worker,
    stop_workers,
    worker_pool,
)

if TYPE_CHECKING:
    import pandas as pd

ORE = Decimal("0.01")
METRICS = ("obligations", "met", "met_late", "overdue", "days_late", "days_overdue",
           "refund_loss", "refund", "cofinancing", "sanctions", "sanctions_deducted",
           "not_covered")
"""Per person and variant: counts by status, days late (met late) and overdue at ``as_of``,
the refund lost for late steps (eras A/B, kr.), the era C refund and the municipal
co-financing (the staircase ledger, and dagpenge co-financing 2010-2015, kr.), and sanctions
(count and kr. deducted). ``obligations`` counts deadlines; ``not_covered`` the stretches of a
course that no rule covers (never timely or late). ``sanctions`` counts the failures that may be
sanctioned; batch's ``sanctions.csv`` lists every failure, sanctionable or not, and its summary
counts them as failures (issue 16: one vocabulary across commands)."""
MONEY = frozenset({"refund_loss", "refund", "cofinancing", "sanctions_deducted"})


def person_metrics(evaluation: Evaluation) -> dict[str, Any]:
    """The comparison's figures for one evaluation (money as Decimal, to the øre)."""
    statuses = [o.status for o in evaluation.obligations]
    loss = sum((m.refund for m in evaluation.refund_loss_months), Decimal(0))
    deducted = sum((s.deducted for s in evaluation.sanctions if s.deducted is not None),
                   Decimal(0))
    refund = evaluation.refund.total_refund if evaluation.refund else Decimal(0)
    cofinancing = (evaluation.refund.total_cofinancing if evaluation.refund else Decimal(0)) + sum(
        (m.cofinancing for m in evaluation.cofinancing_months), Decimal(0))
    return {
        "obligations": len(statuses) - statuses.count(Status.NOT_COVERED),
        "met": statuses.count(Status.MET),
        "met_late": statuses.count(Status.MET_LATE),
        "overdue": statuses.count(Status.OVERDUE),
        "days_late": sum(o.days_late or 0 for o in evaluation.obligations
                         if o.status is Status.MET_LATE),
        "days_overdue": sum(o.days_overdue or 0 for o in evaluation.obligations),
        "refund_loss": loss.quantize(ORE, ROUND_HALF_UP),
        "refund": refund.quantize(ORE, ROUND_HALF_UP),
        "cofinancing": cofinancing.quantize(ORE, ROUND_HALF_UP),
        "sanctions": sum(1 for s in evaluation.sanctions if s.sanctionable),
        "sanctions_deducted": deducted.quantize(ORE, ROUND_HALF_UP),
        "not_covered": statuses.count(Status.NOT_COVERED),
    }


def month_metrics(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """Per due month: obligations decided (met, met late, overdue), those not on time, and
    the refund lost in the month."""
    months: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"decided": 0, "not_on_time": 0, "refund_loss": Decimal(0)})
    for obligation in evaluation.obligations:
        if obligation.status in (Status.MET, Status.MET_LATE, Status.OVERDUE):
            row = months[obligation.due.strftime("%Y-%m")]
            row["decided"] += 1
            row["not_on_time"] += obligation.status is not Status.MET
    for month in evaluation.refund_loss_months:
        months[month.month]["refund_loss"] += month.refund
    return dict(months)


@attrs.frozen
class Comparison:
    """A caseload under a baseline and variants, as plain rows.

    ``persons``: one row per person and variant with :data:`METRICS` and, for variants, the
    difference to the baseline (``d_`` columns). ``summary``: one row per variant with sums,
    differences and the number of persons whose figures changed. ``months``: per variant and
    month the obligations decided, those not on time, and the refund lost. ``changes``: per
    variant the rules and policies that differ from the baseline. ``quarantined``: persons
    that could not be evaluated, with located reasons (CPR masked)."""

    as_of: date
    variants: tuple[Variant, ...]
    persons: tuple[dict[str, Any], ...]
    summary: tuple[dict[str, Any], ...]
    months: tuple[dict[str, Any], ...]
    changes: tuple[dict[str, Any], ...]
    quarantined: tuple[dict[str, Any], ...]

    def frames(self, backend: str = "pandas") -> dict[str, Any]:
        """The rows as typed DataFrames, pandas (Arrow-backed) or polars: money as
        ``decimal128(18, 2)``, months as dates (the first day), counts as integers, variants as
        categories (``pip install 'lab-rules[whatif]'``)."""
        return {name: as_frame(arrow_table(getattr(self, name)), backend)
                for name in ("persons", "summary", "months", "changes", "quarantined")}


@attrs.frozen
class _PersonResult:
    """One person under every variant: their rows and month figures, or a quarantine record."""

    rows: tuple[dict[str, Any], ...] = ()
    months: tuple[tuple[str, str, dict[str, Any]], ...] = ()
    quarantine: dict[str, Any] | None = None


def _items(source: str | Path | Iterable[Timeline]) -> Iterator[Timeline | PersonRows]:
    if isinstance(source, str | Path):
        yield from read_persons(source)
    else:
        yield from source


def _compare_person(item: Timeline | PersonRows, chosen: Sequence[Variant],
                    as_of: date) -> _PersonResult:
    """Read (for an event-log person) and evaluate one person under every variant."""
    if isinstance(item, PersonRows):
        person_id = mask_cpr(item.person_id)
        if item.document is None:
            return _PersonResult(quarantine={"person_id": person_id, "line": item.first_line,
                                             "reasons": [mask_cpr(p) for p in item.problems]})
        try:
            timeline = parse_timeline(item.document, source=f"person {person_id}")
        except TimelineError as err:
            return _PersonResult(quarantine={
                "person_id": person_id, "line": item.first_line,
                "reasons": [mask_cpr(str(p)) for p in err.problems]})
        line: int | None = item.first_line
    else:
        timeline, line = item, None
    person_id = mask_cpr(timeline.person.id)
    try:
        evaluations = [evaluate(timeline, as_of=as_of, law=v.law,
                                policies=dict(v.policies) or None, hours_rule=False)
                       for v in chosen]
    except (LabRulesError, ValueError, ArithmeticError) as err:
        return _PersonResult(quarantine={"person_id": person_id, "line": line,
                                         "reasons": [f"evaluation failed: {mask_cpr(str(err))}"]})
    base = person_metrics(evaluations[0])
    rows, months = [], []
    for chosen_variant, evaluation in zip(chosen, evaluations, strict=True):
        figures = person_metrics(evaluation)
        row: dict[str, Any] = {"person_id": person_id, "variant": chosen_variant.name, **figures}
        for metric in METRICS:
            row[f"d_{metric}"] = figures[metric] - base[metric]
        rows.append(row)
        months += [(chosen_variant.name, month, values)
                   for month, values in month_metrics(evaluation).items()]
    return _PersonResult(tuple(rows), tuple(months))


_WORKER: tuple[tuple[Variant, ...], date] | None = None
"""In a worker process of a parallel comparison: the variants and ``as_of`` (set once, so
each task sends only a person)."""


def _start_worker(chosen: tuple[Variant, ...], as_of: date, run: int | None = None) -> None:
    """A worker process starts: it guards itself against outliving the run *run* (ignores
    SIGINT, dies with the run, :func:`lab_rules.loops.worker_guard.guard_worker`) and keeps
    the variants and ``as_of``."""
    global _WORKER
    if run is not None:
        guard_worker(run)
    _WORKER = (chosen, as_of)


def _compare_in_worker(item: Timeline | PersonRows) -> _PersonResult:
    assert _WORKER is not None
    return _compare_person(item, *_WORKER)


def _gather(results: Iterable[_PersonResult], persons: list[dict[str, Any]],
            months: dict[tuple[str, str], dict[str, Any]],
            quarantined: list[dict[str, Any]]) -> None:
    for result in results:
        if result.quarantine is not None:
            quarantined.append(result.quarantine)
            continue
        persons.extend(result.rows)
        for name, month, values in result.months:
            total = months[(name, month)]
            for key, value in values.items():
                total[key] += value


def compare_caseload(source: str | Path | Iterable[Timeline], baseline: Variant | str,
                     *variants: Variant | str, as_of: date, workers: int = 1,
                     base: Law | None = None) -> Comparison:
    """Evaluate every person of *source* (an event log path, or timelines) under *baseline*
    and each variant, on *workers* processes (1 to
    :data:`~lab_rules.loops.worker_guard.MAX_WORKERS`); see :class:`Comparison`. The result
    is the same for any number of workers."""
    if not variants:
        raise LabRulesError("compare needs at least one variant besides the baseline")
    workers = checked_workers(workers)
    chosen = (_as_variant(baseline, base), *(_as_variant(v, base) for v in variants))
    names = [v.name for v in chosen]
    if len(set(names)) != len(names):
        raise LabRulesError(f"variant names must differ: {', '.join(names)}")
    quarantined: list[dict[str, Any]] = []
    persons: list[dict[str, Any]] = []
    months: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"decided": 0, "not_on_time": 0, "refund_loss": Decimal(0)})
    with interruptible():
        executor = (worker_pool(workers, _start_worker, (chosen, as_of, os.getpid()))
                    if workers > 1 else None)
        try:
            items = _items(source)
            while chunk := list(islice(items, 1000)):
                if executor is not None:
                    with shielded():  # starting workers: a signal waits until they are up
                        results: Iterable[_PersonResult] = executor.map(
                            _compare_in_worker, chunk, chunksize=16)
                else:
                    results = (_compare_person(item, chosen, as_of) for item in chunk)
                _gather(results, persons, months, quarantined)
        except BaseException:
            # an interrupt or an error: the workers are stopped now, not after their tasks,
            # and a worker killed in the middle of sending a result cannot hang the exit
            if executor is not None:
                stop_workers(executor)
            raise
        if executor is not None:
            executor.shutdown()
    summary = [_summary(v.name, [p for p in persons if p["variant"] == v.name])
               for v in chosen]
    month_rows = [{"variant": name, "month": month, **values,
                   "share_not_on_time": (Decimal(values["not_on_time"]) / values["decided"])
                   .quantize(Decimal("0.001"), ROUND_HALF_UP) if values["decided"] else None,
                   "refund_loss": values["refund_loss"].quantize(ORE, ROUND_HALF_UP)}
                  for (name, month), values in sorted(months.items(),
                                                      key=lambda kv: (names.index(kv[0][0]),
                                                                      kv[0][1]))]
    changes: list[dict[str, Any]] = []
    for other in chosen[1:]:
        for policy, old, new in policy_changes(chosen[0], other):
            changes.append({"variant": other.name, "kind": "policy", "what": policy,
                            "baseline": old, "value": new, "source": ""})
        for change in rule_changes(chosen[0].rules, other.rules):
            changes.append({"variant": other.name, "kind": f"rule {change.change}",
                            "what": change.rule_id, "baseline": change.baseline,
                            "value": change.variant, "source": change.source})
        for kind in parameter_changes(chosen[0].law, other.law):
            changes.append({"variant": other.name, "kind": "parameters replaced", "what": kind,
                            "baseline": "national", "value": other.law.name,
                            "source": ", ".join(o for o in other.law.overlays
                                                if o not in chosen[0].law.overlays)})
        withdrawn = set(other.rules.withdrawn_sanctions) - set(chosen[0].rules.withdrawn_sanctions)
        for rule_id, overlay_id in sorted(withdrawn):
            changes.append({"variant": other.name, "kind": "sanction withdrawn",
                            "what": rule_id, "baseline": "applies", "value": "withdrawn",
                            "source": overlay_id})
    return Comparison(as_of, chosen, tuple(persons), tuple(summary), tuple(month_rows),
                      tuple(changes), tuple(quarantined))


def _summary(name: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"variant": name, "persons": len(rows)}
    for metric in METRICS:
        out[metric] = sum((r[metric] for r in rows), Decimal(0) if metric in MONEY else 0)
    for metric in METRICS:
        out[f"d_{metric}"] = sum((r[f"d_{metric}"] for r in rows),
                                 Decimal(0) if metric in MONEY else 0)
    out["persons_changed"] = sum(1 for r in rows if any(r[f"d_{m}"] for m in METRICS))
    return out


def compare(caseload_or_timelines: str | Path | Iterable[Timeline], baseline: Variant | str,
            *variants: Variant | str, as_of: date, workers: int = 1) -> dict[str, pd.DataFrame]:
    """:func:`compare_caseload` as pandas DataFrames: ``persons``, ``summary``, ``months``,
    ``changes`` and ``quarantined`` (``pip install 'lab-rules[whatif]'``)."""
    return compare_caseload(caseload_or_timelines, baseline, *variants, as_of=as_of,
                            workers=workers).frames()
