"""What-if comparisons: one caseload under a baseline and under variants.

A variant is a rule pack and a set of policy swaps. It is written as a spec:

- an overlay: the short name of a shipped overlay (``roedovre-genstart``, see
  ``rules/overlays/``), its id, or an overlay file's path, optionally prefixed ``overlay:``;
- a policy swap: ``no_show=restart_from_contact`` (prefix ``policy:`` optional);
- the law as of a date: ``law:2019-06-01`` (the contact-course rules in force that day,
  applied to every date; see :func:`lab_rules.law.overlay.law_as_of`);
- ``national``: the national pack with its default policies (the usual baseline);
- several joined with ``+``: ``koebenhavn-kvartal+no_show=timely_summons_counts``.

:func:`compare_caseload` evaluates every person once per variant with the same pure
:func:`lab_rules.evaluation.evaluate` and returns plain rows (no third-party imports);
:func:`compare`
returns the same as pandas DataFrames (the ``whatif`` extra). Like batch and Dask, this is a
loop around ``evaluate``: it adds no law.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
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
from lab_rules.law.loader import bundled_pack
from lab_rules.law.model import RulePack
from lab_rules.law.overlay import Overlay, apply_overlays, find_overlay, law_as_of
from lab_rules.law.policies import Policies

if TYPE_CHECKING:
    import pandas as pd

ORE = Decimal("0.01")
METRICS = ("obligations", "met", "met_late", "overdue", "days_late", "days_overdue",
           "refund_loss", "sanctions", "sanctions_deducted")
"""Per person and variant: counts by status, days late (met late) and overdue at ``as_of``,
the refund lost for late steps (eras A/B, kr.), and sanctions (count and kr. deducted)."""


@attrs.frozen
class Variant:
    """A named way to evaluate: a rule pack and explicit policy swaps."""

    name: str
    rules: RulePack
    policies: tuple[tuple[str, str], ...] = ()

    def resolved_policies(self) -> dict[str, str]:
        """The policies an evaluation under this variant runs with."""
        return Policies.parse(dict(self.policies), self.rules.policies).as_dict()


def variant(spec: str, *, base: RulePack | None = None) -> Variant:
    """Parse a variant spec (see the module docstring) on top of *base* (default: the bundled
    national pack)."""
    pack = base if base is not None else bundled_pack()
    swaps: dict[str, str] = {}
    overlays: list[Overlay] = []
    for part in (p.strip() for p in spec.split("+")):
        if not part:
            raise LabRulesError(f"variant {spec!r}: an empty part between '+'")
        if part == "national":
            continue
        kind, _, rest = part.partition(":")
        if kind == "law" and rest:
            try:
                day = date.fromisoformat(rest)
            except ValueError:
                raise LabRulesError(f"variant {spec!r}: {rest!r} is not a date "
                                    "(YYYY-MM-DD)") from None
            pack = law_as_of(day, apply_overlays(pack, overlays))
            overlays = []
        elif kind == "policy" or ("=" in part and kind == part):
            assignment = rest if kind == "policy" else part
            name, _, value = assignment.partition("=")
            Policies.parse({name.strip(): value.strip()})
            swaps[name.strip()] = value.strip()
        else:
            overlays.append(find_overlay(rest if kind == "overlay" else part))
    pack = apply_overlays(pack, overlays) if overlays else pack
    return Variant(spec, pack, tuple(sorted(swaps.items())))


def _as_variant(item: Variant | str) -> Variant:
    return item if isinstance(item, Variant) else variant(item)


@attrs.frozen
class RuleChange:
    """How a variant's rules differ from the baseline's."""

    change: str
    """``added``, ``removed`` or ``validity``."""
    rule_id: str
    baseline: str
    variant: str
    source: str


def rule_changes(baseline: RulePack, other: RulePack) -> tuple[RuleChange, ...]:
    """Rule versions added, removed or with another validity, by rule id."""
    def versions(pack: RulePack) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for rule in pack.rules:
            found[rule.id].append(f"{rule.valid_from}..{rule.valid_to or 'open'}")
        return {k: sorted(v) for k, v in found.items()}

    before, after = versions(baseline), versions(other)
    files = {rule.id: rule.source_file for rule in (*baseline.rules, *other.rules)}
    changes = []
    for rule_id in sorted(set(before) | set(after)):
        old, new = before.get(rule_id), after.get(rule_id)
        if old == new:
            continue
        kind = "added" if old is None else "removed" if new is None else "validity"
        changes.append(RuleChange(kind, rule_id, ", ".join(old or ["-"]),
                                  ", ".join(new or ["-"]), Path(files[rule_id]).name))
    return tuple(changes)


def policy_changes(baseline: Variant, other: Variant) -> tuple[tuple[str, str, str], ...]:
    """(policy, baseline value, variant value) for every policy that differs."""
    old, new = baseline.resolved_policies(), other.resolved_policies()
    return tuple((name, old[name], new[name]) for name in sorted(old) if old[name] != new[name])


def person_metrics(evaluation: Evaluation) -> dict[str, Any]:
    """The comparison's figures for one evaluation (money as Decimal, to the øre)."""
    statuses = [o.status for o in evaluation.obligations]
    loss = sum((m.refund for m in evaluation.refund_loss_months), Decimal(0))
    deducted = sum((s.deducted for s in evaluation.sanctions if s.deducted is not None),
                   Decimal(0))
    return {
        "obligations": len(statuses),
        "met": statuses.count(Status.MET),
        "met_late": statuses.count(Status.MET_LATE),
        "overdue": statuses.count(Status.OVERDUE),
        "days_late": sum(o.days_late or 0 for o in evaluation.obligations
                         if o.status is Status.MET_LATE),
        "days_overdue": sum(o.days_overdue or 0 for o in evaluation.obligations),
        "refund_loss": loss.quantize(ORE, ROUND_HALF_UP),
        "sanctions": sum(1 for s in evaluation.sanctions if s.sanctionable),
        "sanctions_deducted": deducted.quantize(ORE, ROUND_HALF_UP),
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

    def frames(self) -> dict[str, pd.DataFrame]:
        """The rows as pandas DataFrames (``pip install 'lab-rules[whatif]'``)."""
        pd = _pandas()
        return {name: pd.DataFrame(list(getattr(self, name)))
                for name in ("persons", "summary", "months", "changes", "quarantined")}


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as err:
        raise LabRulesError("what-if DataFrames need pandas: pip install "
                            "'lab-rules[whatif]'") from err
    return pd


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
        evaluations = [evaluate(timeline, as_of=as_of, rules=v.rules,
                                policies=dict(v.policies) or None) for v in chosen]
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


def _start_worker(chosen: tuple[Variant, ...], as_of: date) -> None:
    global _WORKER
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
                     *variants: Variant | str, as_of: date, workers: int = 1) -> Comparison:
    """Evaluate every person of *source* (an event log path, or timelines) under *baseline*
    and each variant, on *workers* processes; see :class:`Comparison`. The result is the
    same for any number of workers."""
    if not variants:
        raise LabRulesError("compare needs at least one variant besides the baseline")
    chosen = (_as_variant(baseline), *(_as_variant(v) for v in variants))
    names = [v.name for v in chosen]
    if len(set(names)) != len(names):
        raise LabRulesError(f"variant names must differ: {', '.join(names)}")
    quarantined: list[dict[str, Any]] = []
    persons: list[dict[str, Any]] = []
    months: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"decided": 0, "not_on_time": 0, "refund_loss": Decimal(0)})
    executor = (ProcessPoolExecutor(workers, initializer=_start_worker,
                                    initargs=(chosen, as_of)) if workers > 1 else None)
    try:
        items = _items(source)
        while chunk := list(islice(items, 1000)):
            results = (executor.map(_compare_in_worker, chunk, chunksize=16)
                       if executor is not None
                       else (_compare_person(item, chosen, as_of) for item in chunk))
            _gather(results, persons, months, quarantined)
    finally:
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
        out[metric] = sum((r[metric] for r in rows), Decimal(0) if "refund" in metric
                          or "deducted" in metric else 0)
    for metric in METRICS:
        out[f"d_{metric}"] = sum((r[f"d_{metric}"] for r in rows), Decimal(0)
                                 if "refund" in metric or "deducted" in metric else 0)
    out["persons_changed"] = sum(1 for r in rows if any(r[f"d_{m}"] for m in METRICS))
    return out


def compare(caseload_or_timelines: str | Path | Iterable[Timeline], baseline: Variant | str,
            *variants: Variant | str, as_of: date, workers: int = 1) -> dict[str, pd.DataFrame]:
    """:func:`compare_caseload` as pandas DataFrames: ``persons``, ``summary``, ``months``,
    ``changes`` and ``quarantined`` (``pip install 'lab-rules[whatif]'``)."""
    _pandas()
    return compare_caseload(caseload_or_timelines, baseline, *variants, as_of=as_of,
                            workers=workers).frames()


_LABELS = {
    "persons": ("personer", "persons"),
    "obligations": ("forpligtelser", "obligations"),
    "met": ("overholdt", "met on time"),
    "met_late": ("for sent", "met late"),
    "overdue": ("overskredet", "overdue"),
    "days_late": ("dage for sent", "days late"),
    "days_overdue": ("dage overskredet", "days overdue"),
    "refund_loss": ("mistet refusion (kr.)", "refund lost (kr.)"),
    "sanctions": ("sanktioner", "sanctions"),
    "sanctions_deducted": ("sanktioner (kr.)", "sanctions (kr.)"),
    "persons_changed": ("personer berørt", "persons affected"),
}


def render_comparison(comparison: Comparison, lang: str = "en", max_changes: int = 12) -> str:
    """The summary as a text table (variants as columns, differences in brackets) and, per
    variant, the policies and rules that differ from the baseline."""
    da = lang == "da"
    rows = comparison.summary
    base = rows[0]
    head = ["", *(r["variant"] for r in rows)]
    body = []
    for metric, (label_da, label_en) in _LABELS.items():
        cells = [label_da if da else label_en]
        for index, row in enumerate(rows):
            value = row[metric]
            delta = row.get(f"d_{metric}")
            text = f"{value:,}" if not isinstance(value, Decimal) else f"{value:,.2f}"
            if index and delta:
                sign = "+" if delta > 0 else ""
                text += f" ({sign}{delta:,.2f})" if isinstance(delta, Decimal) \
                    else f" ({sign}{delta:,})"
            cells.append(text)
        body.append(cells)
    widths = [max(len(str(r[i])) for r in (head, *body)) for i in range(len(head))]
    lines = [f"{'Sammenligning' if da else 'Comparison'} as of {comparison.as_of} "
             f"({'grundlag' if da else 'baseline'}: {base['variant']})", ""]
    for cells in (head, *body):
        lines.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(cells, widths, strict=True))))
    for chosen in comparison.variants[1:]:
        found = [c for c in comparison.changes if c["variant"] == chosen.name]
        noun = ("forskel" if len(found) == 1 else "forskelle") if da else (
            "difference" if len(found) == 1 else "differences")
        lines += ["", f"{chosen.name} ({chosen.rules.name}): {len(found)} {noun}"]
        for change in found[:max_changes]:
            lines.append(f"  {change['kind']:<18} {change['what']}: {change['baseline']} -> "
                         f"{change['value']}" + (f"  [{change['source']}]"
                                                 if change["source"] else ""))
        if len(found) > max_changes:
            lines.append(f"  ... {len(found) - max_changes} more in changes.csv")
        if not found:
            lines.append("  " + ("ingen regler eller politikker ændret" if da
                                 else "no rule or policy differs"))
    if comparison.quarantined:
        lines += ["", f"{len(comparison.quarantined)} "
                  f"{'personer sat i karantæne' if da else 'persons quarantined'}"]
    return "\n".join(lines) + "\n"


def write_comparison(comparison: Comparison, out: str | Path) -> list[Path]:
    """Write ``persons.csv``, ``summary.csv``, ``months.csv``, ``changes.csv`` and
    ``quarantine.jsonl`` to *out*; return the paths."""
    import csv
    import json

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("persons", "summary", "months", "changes"):
        rows = getattr(comparison, name)
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            if rows:
                writer = csv.DictWriter(handle, list(rows[0]))
                writer.writeheader()
                writer.writerows({k: "" if v is None else v for k, v in row.items()}
                                 for row in rows)
        written.append(path)
    path = folder / "quarantine.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n"
                            for q in comparison.quarantined), encoding="utf-8")
    written.append(path)
    return written
