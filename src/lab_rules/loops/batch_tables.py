"""The batch's outputs: one person's table rows (:class:`Outcome`), the open table files of
a run or of one piece of it, the progress line, and the conversion to Parquet."""

from __future__ import annotations

import csv
import json
import shutil
import time
from pathlib import Path
from typing import Any, TextIO

import attrs

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog import ReadProgress
from lab_rules.loops.caseload_tally import ComplianceTally

OBLIGATION_COLUMNS = ("person_id", "rule_id", "sequence", "group", "opens", "due",
                      "fulfilled_on", "status", "days_late", "days_overdue", "legal_basis")
SANCTION_COLUMNS = ("person_id", "failure", "date", "rule", "rule_era", "benefit",
                    "sanctionable", "days", "rate", "deducted", "legal_basis")
PERSON_COLUMNS = ("person_id", "obligations", "met", "met_late", "overdue", "open", "waived",
                  "lapsed", "days_late", "days_overdue", "sanctions", "deducted")

@attrs.frozen
class Outcome:
    """One person's rows for every table, or their quarantine record."""

    person_id: str
    obligations: tuple[tuple[str, ...], ...] = ()
    sanctions: tuple[tuple[str, ...], ...] = ()
    summary: tuple[str, ...] = ()
    quotas: tuple[tuple[str, str, bool], ...] = ()
    quarantine: dict[str, Any] | None = None


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
