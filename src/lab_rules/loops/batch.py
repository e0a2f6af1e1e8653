"""Caseload evaluation: an event log in, tables out, across processes, bad records quarantined.

Every person is evaluated by the same pure :func:`lab_rules.evaluation.evaluate`; results come
back in input order whatever the number of workers, so the same log, ``as_of`` and policies give
byte-identical tables. A person whose rows cannot be read, whose timeline is invalid, or whose
evaluation raises is written to ``quarantine.jsonl`` with the located reasons (CPR numbers
masked) and the run goes on. Persons are read and dispatched in chunks, so memory stays flat in
the size of the log.

Tables (CSV): ``obligations.csv``, ``sanctions.csv``, ``persons.csv`` (one summary row per
person), ``compliance.csv`` (per group and due month) and ``quotas.csv`` (the 2026 reform's
75 % quotas per cohort, :mod:`lab_rules.loops.caseload_tally`); ``run.json`` holds the
counts, the law, its content hash, the policies and the timing.

Whole or absent (:mod:`lab_rules.loops.atomic_output`): the tables are written into a sibling
folder of ``out`` and swapped into place when complete, ``run.json`` last with
``"complete": true``; a second run into a busy ``out`` is refused; SIGINT and SIGTERM stop the
workers and remove what was written (:mod:`lab_rules.loops.worker_guard`). Every person is
accounted for (:mod:`lab_rules.loops.accounting`): persons in = evaluated + quarantined is
checked at the end and written to ``run.json``. With a pseudonym key, every person id written
is a keyed hash (:func:`lab_rules.core.privacy.pseudonym`).

Two ways to the same bytes: the columnar fast path evaluates the rules it handles for the
whole caseload at once and the engine the rest (:mod:`lab_rules.loops.batch_fast`; polars, a
JSON Lines or Parquet log), and the tables are written through Arrow from typed rows when
pyarrow is installed (:mod:`lab_rules.loops.batch_arrow`), by :mod:`csv` otherwise.
``run.json`` says which were used.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path

import attrs

from lab_rules._version import __version__
from lab_rules.core.csv_rows import CsvRows
from lab_rules.core.errors import LabRulesError
from lab_rules.core.privacy import MIN_KEY_BYTES, mask_cpr
from lab_rules.inputs.eventlog import PersonRows, ReadProgress
from lab_rules.inputs.eventlog_arrow import arrow_available, persons_reader, reader_name
from lab_rules.inputs.eventlog_lines import require_file
from lab_rules.inputs.timeline_checks import printable
from lab_rules.law.bundle import Law, bundled_law
from lab_rules.law.policies import Policies
from lab_rules.loops.accounting import Accounting, hold_back, settle, split_persons
from lab_rules.loops.atomic_output import whole_or_absent
from lab_rules.loops.batch_fast import FAST_PATH_OPTIONS, FastChoice, choose_fast_path
from lab_rules.loops.batch_person import (
    Evaluator,
    evaluate_in_worker,
    outcome_of,
    public_id,
    start_worker,
)
from lab_rules.loops.batch_pieces import RunTables, open_tables, row_counts, run_in_pieces
from lab_rules.loops.batch_tables import (
    QUOTA_SCRATCH,
    Outcome,
    _Progress,
    _to_parquet,
    cell,
)
from lab_rules.loops.caseload_tally import (
    COMPLIANCE_COLUMNS,
    QUOTA_COLUMNS,
    ComplianceTally,
)
from lab_rules.loops.collector import fewer_young_collections, frozen_heap
from lab_rules.loops.interrupts import interruptible, shielded
from lab_rules.loops.worker_guard import checked_workers, stop_workers, worker_pool

__all__ = ["RESULT_NAMES", "TABLE_WRITERS", "RunSummary", "evaluate_caseload", "outcome_of",
           "public_id"]

CHUNK = 2000
RESULT_NAMES = frozenset({"quarantine.jsonl", "run.json", *(
    f"{table}.{kind}" for table in ("obligations", "sanctions", "persons", "refund",
                                    "compliance", "quotas") for kind in ("csv", "parquet"))})
"""What a batch result holds: a folder with only these may be replaced by a new result."""
PSEUDONYMISED = "pseudonymised (HMAC-SHA256, keyed)"
TABLE_WRITERS = ("auto", "python", "arrow")
"""How the tables are written: ``arrow`` (typed rows through pyarrow), ``python`` (:mod:`csv`)
or ``auto`` (arrow when pyarrow can be imported); the bytes are the same."""


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


def read_persons(source: Path, reading: ReadProgress, reader: str,
                 events: bool = False) -> Iterator[PersonRows]:
    """The persons of *source* as the reader named *reader* reads them; with *events*, with
    the events it has read (for evaluating them in this process)."""
    return persons_reader(reader, events)(source, reading)


def _chunks(items: Iterable[PersonRows], size: int) -> Iterator[list[PersonRows]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _run_in_one_pass(source: Path, target: Path, as_of: date, policies: dict[str, str],
                     evaluator: Evaluator, workers: int, progress: _Progress,
                     reading: ReadProgress, refund: bool = True,
                     reader: str = "python") -> RunTables:
    """This process reads the log and writes the tables; workers (if more than one) only
    evaluate chunks of persons."""
    tables = open_tables(target, header=True, typed=evaluator.typed)
    executor = (worker_pool(workers, start_worker, (evaluator, os.getpid()))
                if workers > 1 else None)
    try:
        for chunk in _chunks(read_persons(source, reading, reader, executor is None), CHUNK):
            tasks = [(rows, as_of, policies, refund) for rows in chunk]
            if executor is not None:
                with shielded():
                    outcomes: Iterable[Outcome] = executor.map(evaluate_in_worker, tasks,
                                                               chunksize=64)
            else:
                outcomes = (evaluator.outcome(rows, as_of, policies, refund)
                            for rows, *_ in tasks)
            for outcome in outcomes:
                tables.write(outcome)
            progress.update(tables.counts["persons"])
    except BaseException:
        if executor is not None:
            stop_workers(executor)
        raise
    finally:
        tables.close()
    if executor is not None:
        executor.shutdown()
    return RunTables(tables.counts, tables.tally, tables.evaluated, tables.quarantined,
                     row_counts(reading))


def _write_tallies(target: Path, tally: ComplianceTally) -> None:
    for name, columns, rows in (("compliance.csv", COMPLIANCE_COLUMNS, tally.compliance_rows()),
                                ("quotas.csv", QUOTA_COLUMNS, tally.quota_rows())):
        with (target / name).open("w", encoding="utf-8", newline="") as handle:
            writer = CsvRows(handle)
            writer.writerow(columns)
            writer.writerows([cell(v) for v in row] for row in rows)


def _run(path: Path, staging: Path, as_of: date, chosen: dict[str, str],
         evaluator: Evaluator, workers: int, refund: bool, reader: str
         ) -> tuple[RunTables, str]:
    reading = ReadProgress()
    progress = _Progress(sys.stderr, reading)
    mode = "one pass"
    try:
        done = None
        if workers > 1 and path.suffix.lower() != ".csv":
            pieces = run_in_pieces(path, staging, as_of, chosen, evaluator, workers, progress,
                                   reading, refund, reader)
            if isinstance(pieces, str):
                mode = f"one pass ({pieces})"
            else:
                done, mode = pieces, "pieces"
        if done is None:
            progress.restart()
            done = _run_in_one_pass(path, staging, as_of, chosen, evaluator, workers,
                                    progress, reading, refund, reader)
    finally:
        progress.close()
    return done, mode


def _files(folder: Path) -> dict[str, dict[str, object]]:
    """Size and SHA-256 of every table, so a reader can check the result is whole."""
    found: dict[str, dict[str, object]] = {}
    for path in sorted(folder.iterdir()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        found[path.name] = {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}
    return found


def _settle(staging: Path, done: RunTables) -> Accounting:
    """Hold back split persons and check that every person is accounted for."""
    split = split_persons(done.evaluated, done.quarantined)
    if split:
        done.tally = hold_back(staging, done.evaluated, split, staging / QUOTA_SCRATCH)
        for block in done.evaluated:
            if block[0] in split:
                done.counts["obligations"] -= block[2]
                done.counts["sanctions"] -= block[3]
    (staging / QUOTA_SCRATCH).unlink()
    return settle(staging, done.evaluated, done.quarantined, split, done.rows.get("rows_read"),
                  done.counts["rows_quarantined"])


def _typed_rows(table_writer: str) -> bool:
    """Whether rows are kept typed for the Arrow writer (:data:`TABLE_WRITERS`)."""
    if table_writer not in TABLE_WRITERS:
        raise LabRulesError(f"table writer {table_writer!r}: expected one of "
                            f"{', '.join(TABLE_WRITERS)}")
    if table_writer == "arrow" and not arrow_available():
        raise LabRulesError("the arrow table writer needs pyarrow: pip install "
                            "'lab-rules[parquet]'")
    return table_writer == "arrow" or (table_writer == "auto" and arrow_available())


def evaluate_caseload(source: str | Path, out: str | Path, *, as_of: date,
                      policies: Mapping[str, str] | None = None,
                      workers: int | None = None, table_format: str = "csv",
                      law: Law | None = None,
                      pseudonymise_key: bytes | None = None,
                      refund: bool = True, reader: str = "auto", fast_path: str = "auto",
                      table_writer: str = "auto") -> RunSummary:
    """Evaluate every person of the event log *source* at *as_of* under *law* (default: the
    bundled national law); write the tables to *out* as ``csv`` or ``parquet`` (the
    ``parquet`` extra), whole or not at all.

    ``workers`` (1 to :data:`~lab_rules.loops.worker_guard.MAX_WORKERS`) defaults to the
    machine's cores; 1 runs in this process. With more, a JSON Lines or Parquet log is cut into
    pieces at person starts that the workers read themselves; a CSV log is read here and
    evaluated by the workers. The tables are the same. With *pseudonymise_key* (at least 16
    bytes, never written), every person id written is its keyed hash. With *refund* (default)
    ``refund.csv`` holds each person's refund, co-financing and refund lost per month; without
    it, only its header, and run.json says so. *reader* is ``python``, ``arrow`` (the
    ``parquet`` extra; the same persons and quarantine entries, faster:
    :mod:`lab_rules.inputs.eventlog_arrow`) or ``auto`` (Arrow when pyarrow can be imported);
    run.json names the one used. *fast_path* ``auto`` uses the columnar fast path where it
    applies (:mod:`lab_rules.loops.batch_fast`), ``off`` never; *table_writer* is one of
    :data:`TABLE_WRITERS`. Neither changes a byte of the tables; run.json says what was used."""
    if table_format not in ("csv", "parquet"):
        raise LabRulesError(f"table format {table_format!r}: expected csv or parquet")
    workers = checked_workers(workers)
    if pseudonymise_key is not None and len(pseudonymise_key) < MIN_KEY_BYTES:
        raise LabRulesError(f"the pseudonym key must be at least {MIN_KEY_BYTES} bytes")
    if fast_path not in FAST_PATH_OPTIONS:
        raise LabRulesError(f"fast path {fast_path!r}: expected one of "
                            f"{', '.join(FAST_PATH_OPTIONS)}")
    reader = reader_name(reader)
    typed = _typed_rows(table_writer)
    law = law if law is not None else bundled_law()
    chosen_policies = Policies.parse(policies, law.policies)
    chosen = dict(policies or {})
    path = Path(source)
    require_file(path)
    started = time.perf_counter()
    with interruptible(), whole_or_absent(out, RESULT_NAMES) as staging:
        fast: FastChoice = choose_fast_path(fast_path, path, law, as_of, chosen)
        evaluator = Evaluator(law, pseudonymise_key, fast.path, typed)
        with frozen_heap(), fewer_young_collections():
            done, mode = _run(path, staging, as_of, chosen, evaluator, workers, refund, reader)
        accounting = _settle(staging, done)
        _write_tallies(staging, done.tally)
        if table_format == "parquet":
            _to_parquet(staging)
        seconds = time.perf_counter() - started
        summary = RunSummary(accounting.persons_in, accounting.evaluated,
                             accounting.quarantined, done.counts["obligations"],
                             done.counts["sanctions"], seconds, Path(out))
        run = {"lab_rules": __version__, "rule_pack": law.name, "law_hash": law.content_hash,
               "source": mask_cpr(printable(str(source))), "as_of": as_of.isoformat(),
               "policies": chosen_policies.as_dict(), "workers": workers, "reading": mode,
               "reader": reader, "fast_path": fast.as_dict(),
               "table_writer": "arrow" if typed else "python",
               "table_format": table_format, "refund": refund,
               "person_ids": PSEUDONYMISED if pseudonymise_key is not None
               else "as read, CPR numbers masked",
               "persons": summary.persons, "evaluated": summary.evaluated,
               "quarantined": summary.quarantined, "obligations": summary.obligations,
               "sanctions": summary.sanctions,
               "accounting": accounting.as_dict(), "reader_rows": done.rows,
               "files": _files(staging),
               "seconds": round(seconds, 3),
               "persons_per_second": round(summary.persons / seconds, 1) if seconds else None,
               "finished": datetime.now(UTC).isoformat(timespec="seconds"),
               "complete": True}
        (staging / "run.json").write_text(
            mask_cpr(json.dumps(run, indent=2, ensure_ascii=False)) + "\n", encoding="utf-8")
    return summary
