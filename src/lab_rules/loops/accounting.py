"""Every person accounted for: the batch's closing check, and persons held back as a whole.

A person whose rows lie in two places of an unsorted log reaches the batch twice: once
evaluated from part of their rows and once quarantined ("rows appear again"). Such a person
is held back as a whole: their rows leave ``obligations.csv``, ``sanctions.csv`` and
``persons.csv``, the tallies are counted again without them, and their quarantine record says
why. Then the invariant *persons in = persons evaluated + persons quarantined* is checked
against what the tables hold (every evaluated person has one row in ``persons.csv``, every
quarantined person a record in ``quarantine.jsonl``, and no person is in both); a run that
fails it writes nothing.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import attrs

from lab_rules.core.csv_rows import CsvRows
from lab_rules.core.errors import LabRulesError
from lab_rules.loops.caseload_tally import ComplianceTally

SPLIT_REASON = ("rows of this person appear in more than one place of the log, so the person "
                "is held back as a whole rather than evaluated from part of their rows; sort "
                "the log by person_id")


@attrs.frozen
class Accounting:
    """Persons in (distinct person ids of the log), evaluated, quarantined, and of those
    quarantined the split ones."""

    persons_in: int
    evaluated: int
    quarantined: int
    held_back_split: int
    rows_in: int | None
    rows_used: int
    rows_quarantined: int

    def as_dict(self) -> dict[str, object]:
        return {"persons": {"in": self.persons_in, "evaluated": self.evaluated,
                            "quarantined": self.quarantined,
                            "held_back_split": self.held_back_split,
                            "balanced": self.persons_in == self.evaluated + self.quarantined},
                "rows": {"in": self.rows_in, "used": self.rows_used,
                         "quarantined": self.rows_quarantined,
                         "balanced": None if self.rows_in is None
                         else self.rows_in == self.rows_used + self.rows_quarantined}}


Block = tuple[str, str, int, int, int, int, int]
"""An evaluated person as written: the id read, the id written, how many rows they have in
``obligations.csv``, ``sanctions.csv`` and the quota scratch file (one in ``persons.csv``), how
many rows of the log are theirs, and how many rows they have in ``refund.csv``."""


def _filter_blocks(path: Path, blocks: list[Block], column: int, dropped: set[str],
                   header: bool = True) -> None:
    """Keep the rows of *path* whose person (by position: each person's rows are one block,
    in order) is not *dropped*; ids written may be masked alike, positions are not."""
    kept = path.with_name(path.name + ".kept")
    with path.open(encoding="utf-8", newline="") as source, \
            kept.open("w", encoding="utf-8", newline="") as target:
        rows = csv.reader(source)
        writer = CsvRows(target)
        if header:
            writer.writerow(next(rows))
        for block in blocks:
            size = 1 if column < 0 else int(block[column])
            mine = [next(rows) for _ in range(size)]
            if block[0] not in dropped:
                writer.writerows(mine)
        if next(rows, None) is not None:
            raise LabRulesError(f"internal error: {path.name} has rows of no person")
    os.replace(kept, path)


def _tally_of(folder: Path, quota_rows: Path) -> ComplianceTally:
    tally = ComplianceTally()
    with (folder / "obligations.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            tally.add_obligation(row[3], row[5][:7], row[7])
    with quota_rows.open(encoding="utf-8", newline="") as handle:
        for _, quota, cohort, reached in csv.reader(handle):
            tally.add_quota(quota, cohort, reached == "True")
    return tally


def split_persons(blocks: list[Block], quarantined: Iterable[str]) -> set[str]:
    """The persons (ids read) evaluated twice, or evaluated and also quarantined."""
    times = Counter(block[0] for block in blocks)
    return {p for p, n in times.items() if n > 1} | (set(times) & set(quarantined))


def hold_back(folder: Path, blocks: list[Block], split: set[str],
              quota_rows: Path) -> ComplianceTally:
    """Take the *split* persons out of the row tables of *folder*, add their quarantine
    records, and return the tally counted again without them."""
    for name, column in (("obligations.csv", 2), ("sanctions.csv", 3), ("persons.csv", -1),
                         ("refund.csv", 6)):
        _filter_blocks(folder / name, blocks, column, split)
    _filter_blocks(quota_rows, blocks, 4, split, header=False)
    written = {block[0]: block[1] for block in blocks}
    with (folder / "quarantine.jsonl").open("a", encoding="utf-8") as handle:
        for person in sorted(split, key=written.__getitem__):
            handle.write(json.dumps({"person_id": written[person], "line": None,
                                     "reasons": [SPLIT_REASON]}, ensure_ascii=False) + "\n")
    return _tally_of(folder, quota_rows)


def settle(folder: Path, blocks: list[Block], quarantined: Iterable[str], split: set[str],
           rows_in: int | None, rows_quarantined: int) -> Accounting:
    """Count the persons and rows and check both invariants, persons against ``persons.csv``
    (one row per person evaluated) and rows against the reader's count of rows read (where
    it counts them); :class:`LabRulesError` if broken (an internal fault: nothing is
    written)."""
    bad = set(quarantined) | split
    evaluated = {block[0] for block in blocks} - bad
    persons_in = len(evaluated | bad)
    with (folder / "persons.csv").open(encoding="utf-8", newline="") as handle:
        written = sum(1 for row in csv.reader(handle) if row) - 1
    used = sum(block[5] for block in blocks if block[0] not in split)
    held = rows_quarantined + sum(block[5] for block in blocks if block[0] in split)
    accounting = Accounting(persons_in, len(evaluated), len(bad), len(split), rows_in, used,
                            held)
    if written != accounting.evaluated or persons_in != accounting.evaluated + len(bad):
        raise LabRulesError(f"internal error: persons in {persons_in} != evaluated "
                            f"{written} + quarantined {len(bad)}; no result was written")
    if rows_in is not None and rows_in != used + held:
        raise LabRulesError(f"internal error: rows in {rows_in} != used {used} + quarantined "
                            f"{held}; no result was written")
    return accounting
