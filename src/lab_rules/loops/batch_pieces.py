"""A batch run in pieces: each worker reads and evaluates whole pieces of a JSON Lines or
Parquet log (cut at person starts) into its own files, and the run's process joins them in log
order."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Mapping
from concurrent.futures import Future, wait
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from lab_rules.inputs.eventlog import ReadProgress, person_starts
from lab_rules.inputs.eventlog_arrow import persons_reader
from lab_rules.inputs.eventlog_lines import format_of
from lab_rules.inputs.eventlog_parquet import PieceUnreadableError, parquet_row_count
from lab_rules.loops import batch_person
from lab_rules.loops.accounting import Block
from lab_rules.loops.batch_person import Evaluator, add_progress, start_worker
from lab_rules.loops.batch_tables import RowsWriter, _Progress, _Tables
from lab_rules.loops.caseload_tally import ComplianceTally
from lab_rules.loops.interrupts import shielded
from lab_rules.loops.worker_guard import stop_workers, worker_pool

REFRESH_SECONDS = 1 / 2
"""How often the progress line is brought up to date while the pieces run."""


def row_counts(reading: ReadProgress) -> dict[str, int]:
    """The reader's row counters (its ``rows*`` fields: ``rows_read`` and its split)."""
    return {f.name: value for f in attrs.fields(ReadProgress) if f.name.startswith("rows")
            and isinstance(value := getattr(reading, f.name), int)}


@attrs.define
class RunTables:
    """What the tables of a run hold, before the closing check."""

    counts: dict[str, int]
    tally: ComplianceTally
    evaluated: list[Block]
    quarantined: list[str]
    rows: dict[str, int]

    def add_rows(self, rows: Mapping[str, int]) -> None:
        for name, value in rows.items():
            self.rows[name] = self.rows.get(name, 0) + value


def open_tables(folder: Path, *, header: bool, typed: bool) -> _Tables:
    """A run's (or a piece's) table files: written through Arrow for typed rows, else by
    :mod:`csv`."""
    rows: RowsWriter | None = None
    if typed:
        from lab_rules.loops.batch_arrow import ArrowRows

        rows = ArrowRows
    return _Tables(folder, header=header, rows=rows)


PieceResult = tuple[dict[str, int], Any, list[Block], list[str], dict[str, int], set[str]]


def run_piece(task: tuple[str, int, int | None, date, dict[str, str], str, bool, str]
              ) -> PieceResult | None:
    """Evaluate one piece of a log into its own files (no headers); return the counts, the
    exported tally, the persons evaluated and quarantined, the row counts and the persons its
    first pass named (a damaged row's person among them); None when the piece holds Parquet
    rows that cannot be read (the log is read in one pass then)."""
    path, start, end, as_of, policies, folder, refund, reader = task
    evaluator = batch_person.WORKER
    assert evaluator is not None
    tables = open_tables(Path(folder), header=False, typed=evaluator.typed)
    reading = ReadProgress(named=set())
    done = reported = 0
    try:
        for rows in persons_reader(reader, True)(path, reading, start=start, end=end):
            done += 1
            tables.write(evaluator.outcome(rows, as_of, policies, refund))
            if batch_person.SHARED is not None and done % 32 == 0:
                add_progress(32, reading.read - reported)
                reported = reading.read
    except PieceUnreadableError:
        return None
    finally:
        tables.close()
    if batch_person.SHARED is not None:
        add_progress(done % 32, reading.read - reported)
    return (tables.counts, tables.tally.export(), tables.evaluated, tables.quarantined,
            row_counts(reading), reading.named or set())


def run_in_pieces(source: Path, target: Path, as_of: date, policies: dict[str, str],
                  evaluator: Evaluator, workers: int, progress: _Progress,
                  reading: ReadProgress, refund: bool = True,
                  reader: str = "python") -> RunTables | str:
    """Each worker reads and evaluates whole pieces of the log (cut at person starts) and
    writes its own files; this process only joins them in log order. Why not, when a
    person's rows appear in two pieces (an unsorted log) or a piece holds rows that cannot be
    read apart: the caller then reads the log in one pass, which reports them as it always
    does. A person counts as in a piece when the piece's first pass names it, so a damaged row
    that names a person whose rows are in another piece sends the log to the one pass too,
    which holds that person back whatever the number of workers."""
    cuts = person_starts(source, workers * 4)
    if len(cuts) < 2:
        return "no cut where a new person starts"
    reading.total = (source.stat().st_size if format_of(source) != "parquet"
                     else parquet_row_count(source))
    scratch = Path(tempfile.mkdtemp(prefix=".pieces-", dir=target))
    persons, read = multiprocessing.Value("q", 0), multiprocessing.Value("q", 0)
    try:
        ends: list[int | None] = [*cuts[1:], None]
        tasks = [(str(source), start, end, as_of, policies, str(scratch / str(index)), refund,
                  reader) for index, (start, end) in enumerate(zip(cuts, ends, strict=True))]
        executor = worker_pool(workers, start_worker, (evaluator, os.getpid(), persons, read))
        try:
            with shielded():
                futures = [executor.submit(run_piece, task) for task in tasks]
            pending = set(futures)
            got: dict[Future[PieceResult | None], PieceResult] = {}
            while pending:
                ended, pending = wait(pending, timeout=REFRESH_SECONDS)
                reading.read = read.value
                progress.update(persons.value)
                for future in ended:
                    result = future.result()
                    if result is None:
                        stop_workers(executor)  # the log is read in one pass: no piece is used
                        return "rows that cannot be read apart"
                    got[future] = result
        except BaseException:
            stop_workers(executor)
            raise
        executor.shutdown()
        finished = [got[future] for future in futures]
        seen: set[str] = set()
        for _, _, evaluated, quarantined, _, named in finished:
            ids = {block[0] for block in evaluated}.union(quarantined, named)
            if not seen.isdisjoint(ids):
                return "persons split across pieces"
            seen.update(ids)
        tables = open_tables(target, header=True, typed=evaluator.typed)
        try:
            for index, (counts, exported, evaluated, quarantined, _, _) in enumerate(finished):
                tables.append(scratch / str(index))
                for name, value in counts.items():
                    tables.counts[name] += value
                tables.tally.absorb(exported)
                tables.evaluated += evaluated
                tables.quarantined += quarantined
        finally:
            tables.close()
        done = RunTables(tables.counts, tables.tally, tables.evaluated, tables.quarantined, {})
        for piece in finished:
            done.add_rows(piece[4])
        return done
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
