"""CSV event logs: a header with ``person_id``, ``type`` and the field names, then one row per
event (or per person row).

The separator is the first of ``,``, ``;`` and tab that makes ``person_id`` a column of the
header. Columns with an empty name (the index pandas writes by default) are ignored. A row is
one line, unless a quoted cell holds a line break: a line that leaves a quote open is joined
with the lines after it until a quote closes the cell, which keeps its line breaks as the file
has them (LF or CRLF). A quote that no later line closes into a CSV row (the file ends first,
the cell would grow past the ``csv`` module's field size limit, or a line cannot continue it)
is a problem of its own line, and the lines after it are read again as rows of their own: a
stray quote never swallows the rows after it. A cell over the field size limit, a row with
more or fewer cells than the header, or a line that is not UTF-8 is a problem of the row,
attributed to the person whose id its ``person_id`` cell still shows.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog_lines import MAX_ROW_BYTES, decoded, physical_lines
from lab_rules.inputs.row_types import ReadProgress, Row, has_surrogate, person_id_of
from lab_rules.inputs.timeline_checks import printable

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


_LEFT_OPEN = "a quote is left open at the end of the row"
_QUOTE = ord('"')
"""A quote as a byte (looked for as an int, which is several times faster than as bytes)."""


def _cells(text: str, separator: str) -> tuple[list[str] | None, str | None]:
    try:
        return next(csv.reader([text], delimiter=separator, strict=True), []), None
    except csv.Error as err:
        reason = str(err)
        if "unexpected end of data" in reason:
            reason = _LEFT_OPEN
        try:
            loose = next(csv.reader([text], delimiter=separator), [])
        except csv.Error:
            return None, reason
        return loose, reason


def _left_open(text: str, separator: str, inside: bool) -> bool | None:
    """Whether a quote is open at the end of a line of CSV text: True, False, or None when
    the text is no CSV row (a quote closed and followed by more than a separator). *inside*:
    the line starts inside a quoted cell, as a line after one that left a quote open does."""
    try:
        next(csv.reader(['"' + text if inside else text], delimiter=separator, strict=True),
             None)
    except csv.Error as err:
        return True if "unexpected end of data" in str(err) else None
    return False


_Line = tuple[int, bytes | None]
"""A line after the header: its number, and its bytes with a CRLF's carriage return kept (None
for a line too long)."""


def _next(lines: Iterator[tuple[int, int, bytes | None]], back: deque[_Line],
          progress: ReadProgress | None) -> _Line | None:
    """The next line: the first of those put *back* (read ahead for a quoted cell that
    turned out not to be one), else the next of the file's *lines*, whose bytes *progress*
    counts; None at the end."""
    if back:
        return back.popleft()
    found = next(lines, None)
    if found is None:
        return None
    if progress is not None:
        progress.read += found[1]
    return found[0], found[2]


def csv_rows(path: Path, progress: ReadProgress | None = None) -> Iterator[Row]:
    """The rows of a CSV log (blank lines skipped), each numbered by its first line from 1;
    *progress* counts the bytes read."""
    with path.open("rb") as handle:
        lines = physical_lines(handle, 1, keep_cr=True)
        first = next(lines, None)
        if first is None:
            return
        if progress is not None:
            progress.read += first[1]
        separator, names = csv_header(path, None if first[2] is None
                                      else first[2].removesuffix(b"\r"))
        position = names.index("person_id")
        back: deque[_Line] = deque()
        while True:
            if back:
                line, raw = back.popleft()
            else:
                found = next(lines, None)
                if found is None:
                    return
                line, taken, raw = found
                if progress is not None:
                    progress.read += taken
            if raw is None:
                yield Row(line, None, None, f"longer than {MAX_ROW_BYTES} bytes")
                continue
            plain = raw.removesuffix(b"\r")
            if not plain.strip():
                continue
            if _QUOTE in plain and _left_open(decoded(plain)[0], separator, False):
                row, ahead = _quoted_row(lambda: _next(lines, back, progress), line, raw,
                                         separator, names, position)
                back.extendleft(reversed(ahead))
                yield row
            else:
                yield csv_row(line, plain, separator, names, position)


def _quoted_row(pull: Callable[[], _Line | None], line: int, raw: bytes, separator: str,
                names: list[str], position: int) -> tuple[Row, list[_Line]]:
    """The row that starts with line *line* (*raw*, whose quote is left open), read on
    through the lines *pull* gives that continue the quoted cell; or, when none closes it
    into a row, the line alone as a problem, and the lines read after it, to be read again."""
    limit = min(MAX_ROW_BYTES, len(raw) + csv.field_size_limit())
    parts, size = [raw], len(raw)
    ahead: list[_Line] = []
    why = ""
    while True:
        item = pull()
        if item is None:
            why = "the file ends first"
            break
        ahead.append(item)
        number, more = item
        if more is None or (size := size + 1 + len(more)) > limit:
            why = f"the cell would be longer than the field size limit of {limit - len(raw)}"
            break
        parts.append(more)
        if _QUOTE in more:
            state = _left_open(decoded(more.removesuffix(b"\r"))[0], separator, True)
            if state is None:
                why = f"line {number} does not continue the cell"
                break
            if not state:
                return csv_row(line, b"\n".join(parts).removesuffix(b"\r"), separator,
                               names, position, number), []
    row = csv_row(line, raw.removesuffix(b"\r"), separator, names, position)
    problem = (row.problem or "").replace(_LEFT_OPEN, f"{_LEFT_OPEN} and no later line "
                                          f"closes it ({why})")
    return row._replace(problem=problem), ahead


def csv_row(line: int, raw: bytes | None, separator: str, names: list[str],
            position: int, last: int | None = None) -> Row:
    """One CSV row as read: its person and cells (without ``person_id``), or its problem;
    *last* is the line it ends on, when a quoted cell runs past the line it starts on."""
    if raw is None:
        return Row(line, None, None, f"longer than {MAX_ROW_BYTES} bytes")
    text, problem = decoded(raw)
    cells, trouble = _cells(text, separator)
    problem = problem or trouble
    person = person_id_of(cells[position]) if cells and position < len(cells) else None
    if person is not None and problem is not None and has_surrogate(person):
        person = printable(person)
    if cells is not None and problem is None and len(cells) != len(names):
        problem = f"{len(cells)} cells, but the header has {len(names)} columns"
    if problem is None and person is None:
        problem = "a row needs a person_id"
    if problem is not None or cells is None:
        if last is not None:
            problem = f"{problem} (in the row of lines {line}-{last})"
        return Row(line, person, None, problem)
    return Row(line, person, {name: cell for name, cell in zip(names, cells, strict=True)
                              if name and name != "person_id"})
