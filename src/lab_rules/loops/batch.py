"""Caseload evaluation: an event log in, tables out, across processes, bad records quarantined.

Every person is evaluated by the same pure :func:`lab_rules.evaluation.evaluate`; results come
back in
input order whatever the number of workers, so the same log, ``as_of`` and policies give
byte-identical tables. A person whose rows cannot be read, whose timeline is invalid, or whose
evaluation raises is written to ``quarantine.jsonl`` with the located reasons (CPR numbers
masked) and the run goes on. Persons are read and dispatched in chunks, so memory stays flat in
the size of the log.

Tables (CSV): ``obligations.csv``, ``sanctions.csv``, ``persons.csv`` (one summary row per
person), ``compliance.csv`` (per group and due month) and ``quotas.csv`` (the 2026 reform's
75 % quotas per cohort, :mod:`lab_rules.loops.caseload_tally`); ``run.json`` holds the
counts, the law, its content hash, the policies and the timing.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, wait
from datetime import date
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

import attrs

from lab_rules._version import __version__
from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.inputs.eventlog import PersonRows, ReadProgress, person_starts, read_persons
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import Law, bundled_law
from lab_rules.law.policies import Policies
from lab_rules.loops.batch_tables import (
    Outcome,
    _cells,
    _Progress,
    _Tables,
    _to_parquet,
    cell,
)
from lab_rules.loops.caseload_tally import (
    COMPLIANCE_COLUMNS,
    QUOTA_COLUMNS,
    ComplianceTally,
)

CHUNK = 2000


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


def outcome_of(rows: PersonRows, as_of: date, policies: Mapping[str, str],
               law: Law | None = None) -> Outcome:
    """One person evaluated as the batch does it (also the Dask path's unit of work)."""
    person_id = mask_cpr(rows.person_id)
    if rows.document is None:
        return Outcome(person_id, quarantine={"person_id": person_id, "line": rows.first_line,
                                               "reasons": [mask_cpr(p) for p in rows.problems]})
    try:
        timeline = parse_timeline(rows.document, source=f"person {person_id}")
        evaluation = evaluate(timeline, as_of=as_of, law=law, policies=policies,
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
                    evaluation.quota_rows)


_WORKER_LAW: Law | None = None
"""In a worker process: the run's law, sent once when the worker starts (not per person)."""


def _start_worker(law: Law, persons: Any = None, read: Any = None) -> None:
    global _WORKER_LAW
    _WORKER_LAW = law
    if persons is not None:
        _share(persons, read)


def _evaluate_in_worker(task: tuple[PersonRows, date, Mapping[str, str]]) -> Outcome:
    return outcome_of(*task, law=_WORKER_LAW)


def _chunks(items: Iterable[PersonRows], size: int) -> Iterator[list[PersonRows]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


_SHARED: tuple[Any, Any] | None = None
"""In a worker process of a run in pieces: the run's shared counters of persons done and
bytes read, for the progress line only (results never depend on them)."""


def _share(persons: Any, read: Any) -> None:
    global _SHARED
    _SHARED = (persons, read)


def _run_piece(task: tuple[str, int, int | None, date, dict[str, str], str]
               ) -> tuple[dict[str, int], Any, list[str]]:
    """Evaluate one piece of a JSON Lines log into its own files (no headers); return the
    counts, the exported tally and the person ids in order."""
    path, start, end, as_of, policies, folder = task
    tables = _Tables(Path(folder), header=False)
    reading = ReadProgress()
    ids: list[str] = []
    reported = 0
    try:
        for rows in read_persons(path, reading, start=start, end=end):
            ids.append(rows.person_id)
            tables.write(outcome_of(rows, as_of, policies, _WORKER_LAW))
            if _SHARED is not None and len(ids) % 32 == 0:
                _add_progress(32, reading.read - reported)
                reported = reading.read
    finally:
        tables.close()
    if _SHARED is not None:
        _add_progress(len(ids) % 32, reading.read - reported)
    return tables.counts, tables.tally.export(), ids


def _add_progress(persons: int, read: int) -> None:
    assert _SHARED is not None
    with _SHARED[0].get_lock():
        _SHARED[0].value += persons
    with _SHARED[1].get_lock():
        _SHARED[1].value += read


def _run_in_pieces(source: Path, target: Path, as_of: date, policies: dict[str, str],
                   law: Law, workers: int, progress: _Progress, reading: ReadProgress
                   ) -> tuple[dict[str, int], ComplianceTally] | None:
    """Each worker reads and evaluates whole pieces of the log (cut at person starts) and
    writes its own files; this process only joins them in log order. None when a person's
    rows appear in two pieces (an unsorted log): the caller then reads it in one pass, which
    reports them as it always does."""
    cuts = person_starts(source, workers * 4)
    if len(cuts) < 2:
        return None
    reading.total = source.stat().st_size
    scratch = Path(tempfile.mkdtemp(prefix=".pieces-", dir=target))
    persons, read = multiprocessing.Value("q", 0), multiprocessing.Value("q", 0)
    try:
        ends: list[int | None] = [*cuts[1:], None]
        tasks = [(str(source), start, end, as_of, policies, str(scratch / str(index)))
                 for index, (start, end) in enumerate(zip(cuts, ends, strict=True))]
        with ProcessPoolExecutor(workers, initializer=_start_worker,
                                 initargs=(law, persons, read)) as executor:
            futures = [executor.submit(_run_piece, task) for task in tasks]
            pending = set(futures)
            while pending:
                _, pending = wait(pending, timeout=0.5)
                reading.read = read.value
                progress.update(persons.value)
            results = [future.result() for future in futures]
        seen: set[str] = set()
        for _, _, ids in results:
            if not seen.isdisjoint(ids):
                return None
            seen.update(ids)
        tables = _Tables(target, header=True)
        try:
            for index, (counts, exported, _) in enumerate(results):
                tables.append(scratch / str(index))
                for key, value in counts.items():
                    tables.counts[key] += value
                tables.tally.absorb(exported)
        finally:
            tables.close()
        return tables.counts, tables.tally
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_in_one_pass(source: Path, target: Path, as_of: date, policies: dict[str, str],
                     law: Law, workers: int, progress: _Progress, reading: ReadProgress
                     ) -> tuple[dict[str, int], ComplianceTally]:
    """This process reads the log and writes the tables; workers (if more than one) only
    evaluate chunks of persons."""
    tables = _Tables(target, header=True)
    executor = (ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(law,))
                if workers > 1 else None)
    try:
        for chunk in _chunks(read_persons(source, reading), CHUNK):
            tasks = [(rows, as_of, policies) for rows in chunk]
            outcomes = (executor.map(_evaluate_in_worker, tasks, chunksize=64)
                        if executor is not None
                        else (outcome_of(*task, law=law) for task in tasks))
            for outcome in outcomes:
                tables.write(outcome)
            progress.update(tables.counts["persons"])
    finally:
        if executor is not None:
            executor.shutdown()
        tables.close()
    return tables.counts, tables.tally


def evaluate_caseload(source: str | Path, out: str | Path, *, as_of: date,
                      policies: Mapping[str, str] | None = None,
                      workers: int | None = None, table_format: str = "csv",
                      law: Law | None = None) -> RunSummary:
    """Evaluate every person of the event log *source* at *as_of* under *law* (default: the
    bundled national law); write the tables to *out* as ``csv`` or ``parquet`` (the
    ``parquet`` extra).

    ``workers`` defaults to the machine's cores; 1 runs in this process. With more, a JSON
    Lines log is cut into pieces at person starts that the workers read themselves; CSV and
    Parquet logs are read here and evaluated by the workers. The tables are the same."""
    if table_format not in ("csv", "parquet"):
        raise LabRulesError(f"table format {table_format!r}: expected csv or parquet")
    law = law if law is not None else bundled_law()
    Policies.parse(policies, law.policies)
    chosen = dict(policies or {})
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    started = time.perf_counter()
    reading = ReadProgress()
    progress = _Progress(sys.stderr, reading)
    path = Path(source)
    mode = "one pass"
    try:
        done = None
        if workers > 1 and path.suffix not in (".csv", ".parquet"):
            done = _run_in_pieces(path, target, as_of, chosen, law, workers, progress,
                                  reading)
            mode = "pieces" if done is not None else "one pass (persons split across pieces)"
        if done is None:
            reading.read = 0
            done = _run_in_one_pass(path, target, as_of, chosen, law, workers, progress,
                                    reading)
    finally:
        progress.close()
    counts, tally = done
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
    run = {"lab_rules": __version__, "rule_pack": law.name, "law_hash": law.content_hash,
           "source": str(source), "as_of": as_of.isoformat(),
           "policies": Policies.parse(chosen, law.policies).as_dict(), "workers": workers,
           "reading": mode,
           "persons": summary.persons, "evaluated": summary.evaluated,
           "quarantined": summary.quarantined, "obligations": summary.obligations,
           "sanctions": summary.sanctions, "seconds": round(seconds, 3),
           "persons_per_second": round(summary.persons / seconds, 1) if seconds else None}
    (target / "run.json").write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    return summary
