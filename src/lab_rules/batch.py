"""Caseload evaluation: an event log in, tables out, across processes, bad records quarantined.

Every person is evaluated by the same pure :func:`lab_rules.evaluate`; results come back in
input order whatever the number of workers, so the same log, ``as_of`` and policies give
byte-identical tables. A person whose rows cannot be read, whose timeline is invalid, or whose
evaluation raises is written to ``quarantine.jsonl`` with the located reasons (CPR numbers
masked) and the run goes on. Persons are read and dispatched in chunks, so memory stays flat in
the size of the log.

Tables (CSV): ``obligations.csv``, ``sanctions.csv``, ``persons.csv`` (one summary row per
person), ``compliance.csv`` (per group and due month) and ``quotas.csv`` (the 2026 reform's
75 % quotas per cohort, :mod:`lab_rules.compliance`); ``run.json`` holds the counts, the rule
pack, the policies and the timing.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

import attrs

from lab_rules._version import __version__
from lab_rules.compliance import (
    COMPLIANCE_COLUMNS,
    QUOTA_COLUMNS,
    ComplianceTally,
    person_quota_rows,
)
from lab_rules.errors import LabRulesError, TimelineError
from lab_rules.evaluate import evaluate
from lab_rules.eventlog import PersonRows, ReadProgress, read_persons
from lab_rules.policies import Policies
from lab_rules.privacy import mask_cpr
from lab_rules.rules.loader import bundled_pack
from lab_rules.timeline_json import parse_timeline

OBLIGATION_COLUMNS = ("person_id", "rule_id", "sequence", "group", "opens", "due",
                      "fulfilled_on", "status", "days_late", "days_overdue", "legal_basis")
SANCTION_COLUMNS = ("person_id", "failure", "date", "rule", "rule_era", "benefit",
                    "sanctionable", "days", "rate", "deducted", "legal_basis")
PERSON_COLUMNS = ("person_id", "obligations", "met", "met_late", "overdue", "open", "waived",
                  "lapsed", "days_late", "days_overdue", "sanctions", "deducted")
CHUNK = 2000


@attrs.frozen
class Outcome:
    """One person's rows for every table, or their quarantine record."""

    person_id: str
    obligations: tuple[tuple[str, ...], ...] = ()
    sanctions: tuple[tuple[str, ...], ...] = ()
    summary: tuple[str, ...] = ()
    quotas: tuple[tuple[str, str, bool], ...] = ()
    quarantine: dict[str, Any] | None = None


@attrs.frozen
class RunSummary:
    """What a batch run did (also written as ``run.json``)."""

    persons: int
    evaluated: int
    quarantined: int
    obligations: int
    sanctions: int
    seconds: float
    out: Path


def _evaluate_one(task: tuple[PersonRows, date, Mapping[str, str]]) -> Outcome:
    rows, as_of, policies = task
    person_id = mask_cpr(rows.person_id)
    if rows.document is None:
        return Outcome(person_id, quarantine={"person_id": person_id, "line": rows.first_line,
                                               "reasons": [mask_cpr(p) for p in rows.problems]})
    try:
        timeline = parse_timeline(rows.document, source=f"person {person_id}")
        evaluation = evaluate(timeline, as_of=as_of, rules=bundled_pack(), policies=policies,
                              refund=False)
    except TimelineError as err:
        return Outcome(person_id, quarantine={
            "person_id": person_id, "line": rows.first_line,
            "reasons": [mask_cpr(str(p)) for p in err.problems]})
    except (LabRulesError, ValueError, ArithmeticError) as err:
        return Outcome(person_id, quarantine={
            "person_id": person_id, "line": rows.first_line,
            "reasons": [f"evaluation failed: {mask_cpr(str(err))}"]})
    obligations = tuple(
        _cells(person_id, o.rule.id, o.sequence, o.group.value, o.opens, o.due, o.fulfilled_on,
               o.status.value, o.days_late, o.days_overdue, o.rule.legal_basis.cite())
        for o in evaluation.obligations)
    sanctions = tuple(
        _cells(person_id, s.failure, s.day, s.rule, s.rule_era, s.benefit, s.sanctionable,
               s.days, s.rate, s.deducted, s.legal_basis) for s in evaluation.sanctions)
    statuses = [o.status.value for o in evaluation.obligations]
    deducted = sum((s.deducted or Decimal(0) for s in evaluation.sanctions), Decimal(0))
    summary = _cells(person_id, len(statuses), statuses.count("met"),
                     statuses.count("met_late"), statuses.count("overdue"),
                     statuses.count("open"), statuses.count("waived"), statuses.count("lapsed"),
                     sum(o.days_late or 0 for o in evaluation.obligations),
                     sum(o.days_overdue or 0 for o in evaluation.obligations),
                     len(evaluation.sanctions), deducted)
    return Outcome(person_id, obligations, sanctions, summary,
                    person_quota_rows(timeline, evaluation, as_of))


def outcome_of(rows: PersonRows, as_of: date, policies: Mapping[str, str]) -> Outcome:
    """One person evaluated as the batch does it (also the Dask path's unit of work)."""
    return _evaluate_one((rows, as_of, policies))


def _chunks(items: Iterable[PersonRows], size: int) -> Iterator[list[PersonRows]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _cells(*values: object) -> tuple[str, ...]:
    """A table row as text, formatted in the worker so the parent only writes it."""
    return tuple(cell(v) for v in values)


def cell(value: object) -> str:
    """A value as the text of a table cell (also what the Dask path returns)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Progress:
    """Persons done, rate, elapsed time and an ETA (from how much of the log was read) on
    stderr, only when it is a terminal."""

    def __init__(self, stream: TextIO, reading: ReadProgress) -> None:
        self.stream = stream
        self.reading = reading
        self.live = stream.isatty()
        self.started = time.perf_counter()

    def update(self, done: int) -> None:
        if self.live:
            elapsed = time.perf_counter() - self.started
            rate = done / elapsed if elapsed else 0.0
            eta = ""
            if self.reading.total and self.reading.read:
                left = elapsed * (self.reading.total - self.reading.read) / self.reading.read
                eta = f"  ETA {max(left, 0):,.0f} s"
            self.stream.write(f"\r{done:,} persons  {rate:,.0f}/s  {elapsed:,.0f} s{eta}")
            self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")


def _to_parquet(target: Path) -> None:
    """Turn the CSV tables into Parquet (all columns text, as in the CSV files)."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq
    except ImportError as err:
        raise LabRulesError("writing Parquet needs pyarrow: pip install "
                            "'lab-rules[parquet]'") from err
    for table in sorted(target.glob("*.csv")):
        with table.open("rb") as handle:
            header = handle.readline().decode("utf-8").strip().split(",")
        options = pacsv.ConvertOptions(column_types={c: pa.string() for c in header},
                                       strings_can_be_null=False)
        pq.write_table(pacsv.read_csv(table, convert_options=options),
                       table.with_suffix(".parquet"))
        table.unlink()


def evaluate_caseload(source: str | Path, out: str | Path, *, as_of: date,
                      policies: Mapping[str, str] | None = None,
                      workers: int | None = None, table_format: str = "csv") -> RunSummary:
    """Evaluate every person of the event log *source* at *as_of*; write the tables to *out*
    as ``csv`` or ``parquet`` (the ``parquet`` extra).

    ``workers`` defaults to the machine's cores; 1 runs in this process."""
    if table_format not in ("csv", "parquet"):
        raise LabRulesError(f"table format {table_format!r}: expected csv or parquet")
    Policies.parse(policies)
    chosen = dict(policies or {})
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    started = time.perf_counter()
    counts = {"persons": 0, "quarantined": 0, "obligations": 0, "sanctions": 0}
    reading = ReadProgress()
    progress = _Progress(sys.stderr, reading)
    tally = ComplianceTally()
    files = {name: (target / name).open("w", encoding="utf-8", newline="")
             for name in ("obligations.csv", "sanctions.csv", "persons.csv", "quarantine.jsonl")}
    try:
        writers = {name: csv.writer(files[name], lineterminator="\n")
                   for name in ("obligations.csv", "sanctions.csv", "persons.csv")}
        writers["obligations.csv"].writerow(OBLIGATION_COLUMNS)
        writers["sanctions.csv"].writerow(SANCTION_COLUMNS)
        writers["persons.csv"].writerow(PERSON_COLUMNS)
        executor = ProcessPoolExecutor(workers) if workers > 1 else None
        try:
            for chunk in _chunks(read_persons(source, reading), CHUNK):
                tasks = [(rows, as_of, chosen) for rows in chunk]
                outcomes = (executor.map(_evaluate_one, tasks, chunksize=64)
                            if executor is not None else map(_evaluate_one, tasks))
                for outcome in outcomes:
                    counts["persons"] += 1
                    if outcome.quarantine is not None:
                        counts["quarantined"] += 1
                        files["quarantine.jsonl"].write(
                            json.dumps(outcome.quarantine, ensure_ascii=False) + "\n")
                        continue
                    writers["obligations.csv"].writerows(outcome.obligations)
                    for row in outcome.obligations:
                        tally.add_obligation(row[3], row[5][:7], row[7])
                    for quota_id, cohort, reached in outcome.quotas:
                        tally.add_quota(quota_id, cohort, reached)
                    writers["sanctions.csv"].writerows(outcome.sanctions)
                    writers["persons.csv"].writerow(outcome.summary)
                    counts["obligations"] += len(outcome.obligations)
                    counts["sanctions"] += len(outcome.sanctions)
                progress.update(counts["persons"])
        finally:
            if executor is not None:
                executor.shutdown()
    finally:
        for handle in files.values():
            handle.close()
        progress.close()
    for name, columns, rows in (("compliance.csv", COMPLIANCE_COLUMNS, tally.compliance_rows()),
                                ("quotas.csv", QUOTA_COLUMNS, tally.quota_rows())):
        with (target / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([cell(v) for v in row] for row in rows)
    if table_format == "parquet":
        _to_parquet(target)
    seconds = time.perf_counter() - started
    summary = RunSummary(counts["persons"], counts["persons"] - counts["quarantined"],
                         counts["quarantined"], counts["obligations"], counts["sanctions"],
                         seconds, target)
    run = {"lab_rules": __version__, "rule_pack": bundled_pack().name,
           "source": str(source), "as_of": as_of.isoformat(),
           "policies": Policies.parse(chosen).as_dict(), "workers": workers,
           "persons": summary.persons, "evaluated": summary.evaluated,
           "quarantined": summary.quarantined, "obligations": summary.obligations,
           "sanctions": summary.sanctions, "seconds": round(seconds, 3),
           "persons_per_second": round(summary.persons / seconds, 1) if seconds else None}
    (target / "run.json").write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    return summary
