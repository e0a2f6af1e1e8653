"""CSV rows as :mod:`csv` writes them (minimal quoting, ``\\n`` line ends), with a carriage
return in a cell quoted on every Python.

Python 3.12 and later quote a field that holds a ``\\r``; 3.11 leaves it bare, and a bare
``\\r`` ends the row for every reader (Python's own, pandas, a spreadsheet): a person id
holding one split its row of ``persons.csv`` in two, and the batch's count of the rows it
wrote no longer matched the persons it evaluated. Every CSV file lab-rules writes goes through
:class:`CsvRows`, so its bytes are the same on every Python.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, TextIO

__all__ = ["QUOTED", "CsvRows"]


def _quoted_by_writer() -> str:
    """The ASCII characters that make this Python's :mod:`csv` writer quote a field."""
    found = []
    for code in range(128):
        probe = io.StringIO()
        csv.writer(probe, lineterminator="\n").writerow([f"a{chr(code)}b", "c"])
        if probe.getvalue().startswith('"'):
            found.append(chr(code))
    return "".join(found)


_BY_WRITER = _quoted_by_writer()
QUOTED = "".join(sorted({*_BY_WRITER, "\r"}))
"""The characters that make a field quoted in lab-rules' CSV files."""
_BARE_CR = "\r" not in _BY_WRITER


def _field(value: object) -> str:
    text = "" if value is None else str(value)
    if any(c in text for c in QUOTED):
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvRows:
    """``csv.writer(handle, lineterminator="\\n")`` that also quotes a cell holding ``\\r``."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._writer = csv.writer(handle, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        cells = list(row)
        if _BARE_CR and any(type(v) is str and "\r" in v for v in cells):
            self._handle.write(",".join(map(_field, cells)) + "\n")
        else:
            self._writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
