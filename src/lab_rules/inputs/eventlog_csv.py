"""CSV event logs: a header with ``person_id``, ``type`` and the field names, then one row per
event (or per person row), read one physical line at a time.

The separator is the first of ``,``, ``;`` and tab that makes ``person_id`` a column of the
header. Columns with an empty name (the index pandas writes by default) are ignored. No field
of an event log holds a line break, so a row is one line: a quote left open at its end is a
problem of that row, not the swallowing of the rows after it. A cell over the ``csv`` module's
field size limit, a row with more or fewer cells than the header, or a line that is not UTF-8
is a problem of the row, attributed to the person whose id its ``person_id`` cell still shows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog_lines import MAX_ROW_BYTES, decoded, physical_lines
from lab_rules.inputs.row_types import ReadProgress, Row, has_surrogate, person_id_of

__all__ = ["csv_header", "csv_row", "csv_rows"]

_SEPARATORS = (",", ";", "\t")


def csv_header(path: Path, raw: bytes | None) -> tuple[str, list[str]]:
    """The separator and the column names of the header line."""
    try:
        text = (raw or b"").decode("utf-8")
    except UnicodeDecodeError as err:
        raise LabRulesError(f"{path}: line 1: the header is not UTF-8 text: {err.reason}") \
            from None
    for separator in _SEPARATORS:
        try:
            names = [n.strip() for n in next(csv.reader([text], delimiter=separator,
                                                        strict=True), [])]
        except csv.Error as err:
            raise LabRulesError(f"{path}: line 1: the header cannot be read: {err}") from None
        if "person_id" in names:
            named = [n for n in names if n]
            twice = sorted({n for n in named if named.count(n) > 1})
            if twice:
                raise LabRulesError(f"{path}: line 1: column(s) named twice: "
                                    + ", ".join(twice))
            return separator, names
    raise LabRulesError(f"{path}: line 1: the header has no person_id column")


def _cells(text: str, separator: str) -> tuple[list[str] | None, str | None]:
    try:
        return next(csv.reader([text], delimiter=separator, strict=True), []), None
    except csv.Error as err:
        reason = str(err)
        if "unexpected end of data" in reason:
            reason = "a quote is left open at the end of the row"
        try:
            loose = next(csv.reader([text], delimiter=separator), [])
        except csv.Error:
            return None, reason
        return loose, reason


def csv_rows(path: Path, progress: ReadProgress | None = None) -> Iterator[Row]:
    """The rows of a CSV event log (blank lines skipped), with line numbers from 1;
    *progress* counts the bytes read."""
    with path.open("rb") as handle:
        lines = physical_lines(handle, 1)
        first = next(lines, None)
        if first is None:
            return
        if progress is not None:
            progress.read += first[1]
        separator, names = csv_header(path, first[2])
        position = names.index("person_id")
        for line, taken, raw in lines:
            if progress is not None:
                progress.read += taken
            if raw is not None and not raw.strip():
                continue
            yield csv_row(line, raw, separator, names, position)


def csv_row(line: int, raw: bytes | None, separator: str, names: list[str],
            position: int) -> Row:
    """One CSV row as read: its person and cells (without ``person_id``), or its problem."""
    if raw is None:
        return Row(line, None, None, f"longer than {MAX_ROW_BYTES} bytes")
    text, problem = decoded(raw)
    cells, trouble = _cells(text, separator)
    problem = problem or trouble
    person = person_id_of(cells[position]) if cells and position < len(cells) else None
    if person is not None and problem is not None and has_surrogate(person):
        person = None
    if cells is not None and problem is None and len(cells) != len(names):
        problem = f"{len(cells)} cells, but the header has {len(names)} columns"
    if problem is None and person is None:
        problem = "a row needs a person_id"
    if problem is not None or cells is None:
        return Row(line, person, None, problem)
    return Row(line, person, {name: cell for name, cell in zip(names, cells, strict=True)
                              if name and name != "person_id"})
