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
75 % quotas per cohort, :mod:`lab_rules.loops.compliance`); ``run.json`` holds the counts, the rule
pack, the policies and the timing.
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
from typing import Any, TextIO

import attrs

from lab_rules._version import __version__
from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.inputs.eventlog import PersonRows, ReadProgress, person_starts, read_persons
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.loader import bundled_pack
from lab_rules.law.policies import Policies
from lab_rules.loops.compliance import (
    COMPLIANCE_COLUMNS,
    QUOTA_COLUMNS,
    ComplianceTally,
    person_quota_rows,
)

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


class _Tables:
    """The open table files of a run, or of one piece of it (no header rows), with the
    counts and the compliance tally of what was written."""

    NAMES = ("obligations.csv", "sanctions.csv", "persons.csv", "quarantine.jsonl")

    def __init__(self, folder: Path, *, header: bool) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.files = {name: (folder / name).open("w", encoding="utf-8", newline="")
                      for name in self.NAMES}
        self.writers = {name: csv.writer(self.files[name], lineterminator="\n")
                        for name in self.NAMES[:3]}
        if header:
            self.writers["obligations.csv"].writerow(OBLIGATION_COLUMNS)
            self.writers["sanctions.csv"].writerow(SANCTION_COLUMNS)
            self.writers["persons.csv"].writerow(PERSON_COLUMNS)
        self.counts = dict.fromkeys(("persons", "quarantined", "obligations", "sanctions"), 0)
        self.tally = ComplianceTally()

    def write(self, outcome: Outcome) -> None:
        self.counts["persons"] += 1
        if outcome.quarantine is not None:
            self.counts["quarantined"] += 1
            self.files["quarantine.jsonl"].write(
                json.dumps(outcome.quarantine, ensure_ascii=False) + "\n")
            return
        self.writers["obligations.csv"].writerows(outcome.obligations)
        for row in outcome.obligations:
            self.tally.add_obligation(row[3], row[5][:7], row[7])
        for quota_id, cohort, reached in outcome.quotas:
            self.tally.add_quota(quota_id, cohort, reached)
        self.writers["sanctions.csv"].writerows(outcome.sanctions)
        self.writers["persons.csv"].writerow(outcome.summary)
        self.counts["obligations"] += len(outcome.obligations)
        self.counts["sanctions"] += len(outcome.sanctions)

    def append(self, folder: Path) -> None:
        """Copy a piece's files (written without headers) to the end of these."""
        for name in self.NAMES:
            self.files[name].flush()
            with (folder / name).open(encoding="utf-8", newline="") as piece:
                shutil.copyfileobj(piece, self.files[name], 1 << 20)

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


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
            tables.write(_evaluate_one((rows, as_of, policies)))
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
                   workers: int, progress: _Progress, reading: ReadProgress
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
        with ProcessPoolExecutor(workers, initializer=_share,
                                 initargs=(persons, read)) as executor:
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
                     workers: int, progress: _Progress, reading: ReadProgress
                     ) -> tuple[dict[str, int], ComplianceTally]:
    """This process reads the log and writes the tables; workers (if more than one) only
    evaluate chunks of persons."""
    tables = _Tables(target, header=True)
    executor = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        for chunk in _chunks(read_persons(source, reading), CHUNK):
            tasks = [(rows, as_of, policies) for rows in chunk]
            outcomes = (executor.map(_evaluate_one, tasks, chunksize=64)
                        if executor is not None else map(_evaluate_one, tasks))
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
                      workers: int | None = None, table_format: str = "csv") -> RunSummary:
    """Evaluate every person of the event log *source* at *as_of*; write the tables to *out*
    as ``csv`` or ``parquet`` (the ``parquet`` extra).

    ``workers`` defaults to the machine's cores; 1 runs in this process. With more, a JSON
    Lines log is cut into pieces at person starts that the workers read themselves; CSV and
    Parquet logs are read here and evaluated by the workers. The tables are the same."""
    if table_format not in ("csv", "parquet"):
        raise LabRulesError(f"table format {table_format!r}: expected csv or parquet")
    Policies.parse(policies)
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
            done = _run_in_pieces(path, target, as_of, chosen, workers, progress, reading)
            mode = "pieces" if done is not None else "one pass (persons split across pieces)"
        if done is None:
            reading.read = 0
            done = _run_in_one_pass(path, target, as_of, chosen, workers, progress, reading)
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
    run = {"lab_rules": __version__, "rule_pack": bundled_pack().name,
           "source": str(source), "as_of": as_of.isoformat(),
           "policies": Policies.parse(chosen).as_dict(), "workers": workers, "reading": mode,
           "persons": summary.persons, "evaluated": summary.evaluated,
           "quarantined": summary.quarantined, "obligations": summary.obligations,
           "sanctions": summary.sanctions, "seconds": round(seconds, 3),
           "persons_per_second": round(summary.persons / seconds, 1) if seconds else None}
    (target / "run.json").write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    return summary
