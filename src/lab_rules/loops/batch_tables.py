"""The batch's outputs: one person's table rows (:class:`Outcome`), the open table files of
a run or of one piece of it, the progress line, and the conversion to Parquet.

A row is either the text of its cells (:func:`cell`, written by :mod:`csv`: the pure-Python
writer) or its typed values, written through Arrow (:mod:`lab_rules.loops.batch_arrow`, when
pyarrow is installed); both give the same bytes."""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from lab_rules.core.csv_rows import CsvRows
from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog import ReadProgress
from lab_rules.loops.accounting import Block
from lab_rules.loops.caseload_tally import ComplianceTally

OBLIGATION_COLUMNS = ("person_id", "rule_id", "sequence", "group", "opens", "due",
                      "fulfilled_on", "status", "days_late", "days_overdue", "legal_basis")
SANCTION_COLUMNS = ("person_id", "failure", "date", "rule", "rule_era", "benefit",
                    "sanctionable", "days", "rate", "deducted", "legal_basis")
QUOTA_SCRATCH = ".quota-rows.csv"
"""Each evaluated person's quota rows (person, quota, cohort, reached), kept while the run
lasts so the tally can be counted again without a person held back at the end."""
PERSON_COLUMNS = ("person_id", "obligations", "met", "met_late", "overdue", "open", "waived",
                  "lapsed", "days_late", "days_overdue", "sanctions", "deducted", "not_covered",
                  "refund", "refund_before_2016", "cofinancing", "refund_lost")
"""``obligations`` counts deadlines; ``not_covered`` counts the stretches no rule covers, never a
deadline; the money columns are the person's totals of ``refund.csv`` (empty when the run
skipped the refund). Columns are only ever added at the end, so older readers keep theirs."""
REFUND_COLUMNS = ("person_id", "month", "refund", "refund_before_2016", "cofinancing",
                  "refund_lost")
"""Per person and month, kr.: the staircase refund (lov 994/2015, from 2016), the refund of the
rate periods of 2007-2015, the municipal co-financing (staircase, and dagpenge 2010-2015) and
the refund lost for late steps (2007-2015), each rounded to øre by month."""

@attrs.frozen
class Outcome:
    """One person's rows for every table, or their quarantine record; each row as the text of
    its cells, or (for the Arrow writer) as its typed values."""

    person_id: str
    obligations: tuple[tuple[Any, ...], ...] = ()
    sanctions: tuple[tuple[Any, ...], ...] = ()
    summary: tuple[Any, ...] = ()
    quotas: tuple[tuple[str, str, bool], ...] = ()
    refund: tuple[tuple[Any, ...], ...] = ()
    quarantine: dict[str, Any] | None = None
    key: str = ""
    """The person id as read (never written; the tables hold ``person_id``, masked or
    pseudonymised), to account for every person."""
    rows: int = 0
    """How many rows of the log are this person's (to account for every row)."""

    @property
    def read_id(self) -> str:
        return self.key or self.person_id


def _cells(*values: object) -> tuple[str, ...]:
    """A table row as text, formatted in the worker so the parent only writes it: each value
    as :func:`cell` gives it, spelled out here (a call per cell costs more than the cell)."""
    return tuple([value if type(value) is str else "" if value is None
                  else str(value) if type(value) is not bool else "true" if value else "false"
                  for value in values])


def cell(value: object) -> str:
    """A value as the text of a table cell (also what the Dask path returns)."""
    if type(value) is str:
        return value
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

    def restart(self) -> None:
        """Count again from now (a run that falls back to reading the log in one pass)."""
        self.started = time.perf_counter()
        self.reading.read = 0

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


INT, DATE, MONEY, SHARE, BOOL = "int", "date", "money", "share", "bool"
COLUMN_TYPES: dict[str, dict[str, str]] = {
    "obligations": {"sequence": INT, "opens": DATE, "due": DATE, "fulfilled_on": DATE,
                    "days_late": INT, "days_overdue": INT},
    "sanctions": {"date": DATE, "sanctionable": BOOL, "days": INT, "rate": MONEY,
                  "deducted": MONEY},
    "persons": {**dict.fromkeys(PERSON_COLUMNS[1:11], INT), "deducted": MONEY,
                "not_covered": INT, **dict.fromkeys(REFUND_COLUMNS[2:], MONEY)},
    "refund": dict.fromkeys(REFUND_COLUMNS[2:], MONEY),
    "compliance": {**dict.fromkeys(("obligations", "met", "met_late", "overdue", "open",
                                    "waived", "lapsed", "not_covered"), INT),
                   "share_met_on_time": SHARE},
    "quotas": {"persons": INT, "reached": INT, "share": SHARE, "required": SHARE,
               "quota_met": BOOL},
}
"""The type of every column that is not text, per table: Parquet keeps them typed (dates as
``date32``, counts as ``int64``, money as ``decimal128(18, 2)``, shares as
``decimal128(9, 3)``, booleans as ``bool``); an empty cell is null."""


TABLE_KINDS: dict[str, tuple[str | None, ...]] = {
    f"{table}.csv": tuple(COLUMN_TYPES[table].get(c) for c in columns)
    for table, columns in (("obligations", OBLIGATION_COLUMNS),
                           ("sanctions", SANCTION_COLUMNS), ("persons", PERSON_COLUMNS),
                           ("refund", REFUND_COLUMNS))}
"""The kind of every column (None for text) of the tables a run writes row by row."""

RowsWriter = Callable[[TextIO, Sequence[str | None]], Any]
"""Makes the writer of one table file from its handle and its column kinds: an object with
``writerow``, ``writerows`` and ``flush`` (:class:`lab_rules.loops.batch_arrow.ArrowRows`)."""


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {INT: pa.int64(), DATE: pa.date32(), MONEY: pa.decimal128(18, 2),
            SHARE: pa.decimal128(9, 3), BOOL: pa.bool_()}[kind]


def _to_parquet(target: Path) -> None:
    """Turn the CSV tables into typed Parquet files (:data:`COLUMN_TYPES`; text otherwise)."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq
    except ImportError as err:
        raise LabRulesError("writing Parquet needs pyarrow: pip install "
                            "'lab-rules[parquet]'") from err
    for table in sorted(target.glob("*.csv")):
        with table.open("rb") as handle:
            header = next(csv.reader([handle.readline().decode("utf-8")]))
        kinds = COLUMN_TYPES.get(table.stem, {})
        types = {c: _arrow_type(kinds[c]) if c in kinds else pa.string() for c in header}
        options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                       true_values=["true"], false_values=["false"])
        try:
            converted = pacsv.read_csv(table, convert_options=options)
        except pa.ArrowInvalid as err:
            raise LabRulesError(f"{table.name}: cannot be typed for Parquet: {err}") from err
        pq.write_table(converted, table.with_suffix(".parquet"))
        table.unlink()


class _Tables:
    """The open table files of a run, or of one piece of it (no header rows), with the
    counts and the compliance tally of what was written. With *rows* (typed rows), the four
    tables are written by the writers it makes; otherwise by :mod:`csv` (rows of cells)."""

    TABLES = ("obligations.csv", "sanctions.csv", "persons.csv", "refund.csv")
    NAMES = (*TABLES, "quarantine.jsonl", QUOTA_SCRATCH)

    def __init__(self, folder: Path, *, header: bool, rows: RowsWriter | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.files = {name: (folder / name).open("w", encoding="utf-8", newline="")
                      for name in self.NAMES}
        self.writers: dict[str, Any] = {name: CsvRows(self.files[name])
                                         for name in (*self.TABLES, QUOTA_SCRATCH)}
        if header:
            for name, columns in zip(self.TABLES, (OBLIGATION_COLUMNS, SANCTION_COLUMNS,
                                                   PERSON_COLUMNS, REFUND_COLUMNS), strict=True):
                self.writers[name].writerow(columns)
        self.buffered: list[Any] = []
        if rows is not None:
            self.buffered = [rows(self.files[name], TABLE_KINDS[name]) for name in self.TABLES]
            self.writers.update(zip(self.TABLES, self.buffered, strict=True))
        self.counts = dict.fromkeys(("persons", "quarantined", "obligations", "sanctions",
                                     "rows_quarantined"), 0)
        self.tally = ComplianceTally()
        self.evaluated: list[Block] = []
        self.quarantined: list[str] = []

    def write(self, outcome: Outcome) -> None:
        self.counts["persons"] += 1
        if outcome.quarantine is not None:
            self.counts["quarantined"] += 1
            self.quarantined.append(outcome.read_id)
            self.counts["rows_quarantined"] += outcome.rows
            self.files["quarantine.jsonl"].write(
                json.dumps(outcome.quarantine, ensure_ascii=False) + "\n")
            return
        self.writers["obligations.csv"].writerows(outcome.obligations)
        for row in outcome.obligations:
            self.tally.add_obligation(row[3], str(row[5])[:7], row[7])
        for quota_id, cohort, reached in outcome.quotas:
            self.tally.add_quota(quota_id, cohort, reached)
        self.writers[QUOTA_SCRATCH].writerows(
            (outcome.person_id, *quota) for quota in outcome.quotas)
        self.evaluated.append((outcome.read_id, outcome.person_id, len(outcome.obligations),
                               len(outcome.sanctions), len(outcome.quotas), outcome.rows,
                               len(outcome.refund)))
        self.writers["refund.csv"].writerows(outcome.refund)
        self.writers["sanctions.csv"].writerows(outcome.sanctions)
        self.writers["persons.csv"].writerow(outcome.summary)
        self.counts["obligations"] += len(outcome.obligations)
        self.counts["sanctions"] += len(outcome.sanctions)

    def flush(self) -> None:
        """Write the rows the writers still hold."""
        for writer in self.buffered:
            writer.flush()

    def append(self, folder: Path) -> None:
        """Copy a piece's files (written without headers) to the end of these."""
        self.flush()
        for name in self.NAMES:
            self.files[name].flush()
            with (folder / name).open(encoding="utf-8", newline="") as piece:
                shutil.copyfileobj(piece, self.files[name], 1 << 20)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            for handle in self.files.values():
                handle.close()
