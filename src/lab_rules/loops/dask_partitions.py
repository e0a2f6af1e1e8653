"""Distributed caseload evaluation on Dask (optional extra ``lab-rules[dask]``).

:func:`evaluate` takes a Dask DataFrame of event-log rows (the columns of
:mod:`lab_rules.inputs.eventlog`: ``person_id``, ``type`` and the event fields), moves each person's
rows into one partition, and runs the same per-person evaluation as :mod:`lab_rules.loops.batch` in
every partition. The results are the batch's tables (obligations, sanctions, persons, and the
quarantine) as Dask DataFrames, row for row the same; their order is by partition, so sort
them to compare. Use it when one machine's cores are not enough, or when the event log already
lives in a Dask-readable store (Parquet on S3, many CSV files); for a caseload that fits one
machine, ``lab-rules batch`` is simpler and as fast.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from lab_rules.inputs.eventlog import PERSON_FIELDS, PersonRows
from lab_rules.inputs.timeline import SCHEMA_ID
from lab_rules.law.bundle import Law
from lab_rules.loops.batch import outcome_of
from lab_rules.loops.batch_tables import (
    OBLIGATION_COLUMNS,
    PERSON_COLUMNS,
    REFUND_COLUMNS,
    SANCTION_COLUMNS,
    cell,
)

TABLES = {"obligations": OBLIGATION_COLUMNS, "sanctions": SANCTION_COLUMNS,
          "persons": PERSON_COLUMNS, "refund": REFUND_COLUMNS,
          "quarantine": ("person_id", "line", "reasons")}


def _clean(value: object) -> object:
    """A cell as the JSON reader would give it: dataframes turn absent fields into NaN,
    integers in a column with gaps into floats, and (with Dask's string conversion) booleans
    into text; those are turned back, as the CSV reader does for "true"/"false"."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value in ("True", "true"):
        return True
    if value in ("False", "false"):
        return False
    return value


SECOND_PERSON_ROW = ("a second person row of this person; give a person's facts in one row "
                     "(a data frame's rows have no line numbers)")
"""Why a person with two ``person`` rows is held back, as the event-log readers hold it back
(they also name the two lines)."""


def _documents(frame: pd.DataFrame) -> list[PersonRows]:
    """Rows of one partition grouped into persons, in first-row order within the partition."""
    persons: list[PersonRows] = []
    for person_id, group in frame.groupby("person_id", sort=False):
        person: dict[str, Any] | None = None
        events = []
        for record in group.drop(columns=["person_id"]).to_dict("records"):
            row = {k: c for k, v in record.items() if (c := _clean(v)) is not None}
            if row.get("type") != "person":
                events.append(row)
            elif person is None:
                person = {k: v for k, v in row.items() if k in PERSON_FIELDS}
            else:
                persons.append(PersonRows(str(person_id), 0, None, (SECOND_PERSON_ROW,)))
                break
        else:
            document = {"schema": SCHEMA_ID, "person": {"id": str(person_id), **(person or {})},
                        "events": events}
            persons.append(PersonRows(str(person_id), 0, document))
    return persons


def _partition(frame: pd.DataFrame, table: str, as_of: date,
               policies: Mapping[str, str], law: Law | None) -> pd.DataFrame:
    rows: list[tuple[object, ...]] = []
    for person in _documents(frame):
        outcome = outcome_of(person, as_of, policies, law)
        if table == "quarantine":
            if outcome.quarantine is not None:
                q = outcome.quarantine
                rows.append((q["person_id"], q["line"], "; ".join(q["reasons"])))
        elif outcome.quarantine is None:
            if table == "persons":
                rows.append(outcome.summary)
            else:
                rows.extend(getattr(outcome, table))
    columns = list(TABLES[table])
    return pd.DataFrame([[cell(v) for v in row] for row in rows], columns=columns,
                        dtype="object")


def evaluate_partitions(ddf: Any, *, as_of: date, policies: Mapping[str, str] | None = None,
                        law: Law | None = None) -> dict[str, Any]:
    """The batch tables of every person in *ddf* under *law* (default: the bundled national
    law), as Dask DataFrames (lazy: call ``.compute()``)."""
    chosen = dict(policies or {})
    by_person = ddf.shuffle("person_id")
    result = {}
    for table, columns in TABLES.items():
        meta = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
        result[table] = by_person.map_partitions(_partition, table, as_of, chosen, law,
                                                   meta=meta)
    return result
