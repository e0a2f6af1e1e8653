"""The text formats of an event log, line by line: JSON Lines rows, and the checks that a
file holds the format its name says.

A log is read one physical line at a time as bytes, each line bounded in length
(:data:`MAX_ROW_BYTES`) and decoded on its own, so a line that is not UTF-8, is not JSON, holds
a 4,300-digit number or deep nesting, or is endlessly long becomes a problem of that line (and
of the person it belongs to), never the end of the run. So does a line that Python's ``json``
would read but JSON does not allow: a key given twice, a bare ``NaN`` or ``Infinity``
(:mod:`lab_rules.inputs.json_strict`), located by JSON Pointer. A UTF-8 byte order mark at the start
of a file is skipped.
"""

from __future__ import annotations

import csv
import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.json_strict import (
    NotStrictJsonError,
    refuse_constant,
    strictness_problems,
)
from lab_rules.inputs.row_types import Row, has_surrogate, person_id_of
from lab_rules.inputs.timeline_checks import printable
from lab_rules.inputs.timeline_values import read_float

__all__ = ["BOM", "FORMATS", "MAX_ROW_BYTES", "check_content", "format_of", "json_person",
           "json_row", "physical_lines", "require_file"]

BOM = b"\xef\xbb\xbf"
MAX_ROW_BYTES = 1 << 20
"""The longest row read (1 MiB); a longer line is skipped as a problem of its own."""

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
           ".pq": "parquet"}
"""Event-log formats by file suffix (compared in lower case)."""

_SNIFF = 1 << 16
_BLOCK = 1 << 20
_DECODER = json.JSONDecoder(parse_float=read_float, parse_constant=refuse_constant)
_LENIENT = json.JSONDecoder(parse_float=read_float, parse_constant=lambda name: None)
"""For a row refused as JSON (:mod:`lab_rules.inputs.json_strict`): its person_id."""
_REFUSED = object()


def decoded(raw: bytes) -> tuple[str, str | None]:
    """A raw line as text, and its problem when it is not UTF-8 (the bad bytes kept as
    surrogates, so the rest of the row can still be read and located)."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        return (raw.decode("utf-8", "surrogateescape"),
                f"not UTF-8 text: {err.reason} at byte {err.start + 1}")


def format_of(path: Path) -> str:
    """The format a log's suffix names: ``jsonl``, ``csv`` or ``parquet``."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise LabRulesError(f"{path}: unknown event-log format {path.suffix or '(no suffix)'!r}:"
                            " name the file .jsonl (JSON Lines), .csv or .parquet")
    return found


_UNREADABLE = {
    b"\x1f\x8b": "a gzip-compressed file",
    b"PK\x03\x04": "a zip file (or a spreadsheet)",
    b"BZh": "a bzip2-compressed file",
    b"\xfd7zXZ\x00": "an xz-compressed file",
    b"\x28\xb5\x2f\xfd": "a zstd-compressed file",
}
"""Magic numbers of files no event-log reader takes, named for the one error they give."""


def _looks_like(head: bytes) -> str:
    """What the first bytes of a file look like: parquet, jsonl, csv, one of the
    :data:`_UNREADABLE` descriptions, or unknown."""
    if head.startswith(b"PAR1"):
        return "parquet"
    for magic, description in _UNREADABLE.items():
        if head.startswith(magic):
            return description
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in head[2:6]:
        return "UTF-16 text"
    first = head.removeprefix(BOM).lstrip(b" \t\r\n").split(b"\n", 1)[0]
    if first.startswith((b"{", b"[")):
        return "jsonl"
    try:
        text = first.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return "unknown"
    for separator in ",;\t":
        try:
            cells = next(csv.reader([text], delimiter=separator), [])
        except csv.Error:
            return "unknown"
        if "person_id" in (c.strip() for c in cells):
            return "csv"
    return "unknown"


_NAMES = {"jsonl": "JSON Lines", "csv": "CSV", "parquet": "Parquet"}
_SUFFIX = {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet"}


def require_file(path: Path) -> None:
    """Raise :class:`OSError` when *path* cannot be looked at, and a clear error when it is a
    pipe, socket or device, before it is opened (opening a pipe waits for a writer): every
    reader and the batch's fast path read a log more than once (a first pass finds where
    each person's rows are), which only a file allows."""
    kind = path.stat().st_mode
    if not (stat.S_ISREG(kind) or stat.S_ISDIR(kind)):
        raise LabRulesError(f"{path}: not a regular file (a pipe, socket or device); an event "
                            "log is read more than once: save it to a file first")


def check_content(path: Path, expected: str) -> None:
    """Raise one clear error when the file's content is another format than its suffix says
    (a ``.csv`` holding JSON Lines, a ``.parquet`` holding text), instead of a problem per row,
    or when the file cannot be read at all (:func:`require_file` too)."""
    try:
        require_file(path)
        with path.open("rb") as handle:
            head = handle.read(_SNIFF)
    except OSError as err:
        raise LabRulesError(f"{path}: cannot read: {err.strerror or err}") from None
    seen = _looks_like(head)
    if seen not in _NAMES and seen != "unknown":
        raise LabRulesError(f"{path}: holds {seen}; an event log is uncompressed UTF-8 JSON "
                            "Lines or CSV, or Parquet")
    if expected == "parquet":
        if not head:
            raise LabRulesError(f"{path}: the file is empty, not Parquet")
        if seen != "parquet":
            like = f" (it looks like {_NAMES[seen]})" if seen in _NAMES else ""
            raise LabRulesError(f"{path}: not a Parquet file{like}")
        return
    if seen in _NAMES and seen != expected:
        raise LabRulesError(f"{path}: named {_NAMES[expected]} but holds {_NAMES[seen]}; "
                            f"name it {path.stem}{_SUFFIX[seen]}")


def physical_lines(handle: BinaryIO, line: int, end: int | None = None, *,
                   keep_cr: bool = False) -> Iterator[tuple[int, int, bytes | None]]:
    """(line number, bytes taken, the line without its newline) from the handle's position,
    the first numbered *line*, up to the line starting at or after *end*; None for a line over
    :data:`MAX_ROW_BYTES`, which is skipped without being held in memory. Read in blocks.
    The carriage return of a CRLF line end is removed too, unless *keep_cr* (for a reader
    that puts a line break inside a value as the file has it)."""
    cr = b"" if keep_cr else b"\r"
    offset = handle.tell()
    carry = b""
    skipping = 0
    while True:
        block = handle.read(_BLOCK)
        if not block:
            break
        lines = (carry + block).split(b"\n")
        carry = lines.pop()
        for raw in lines:
            if end is not None and offset >= end:
                return
            taken = len(raw) + 1
            if skipping or taken > MAX_ROW_BYTES:
                taken += skipping
                skipping = 0
                yield line, taken, None
            else:
                if offset == 0:
                    raw = raw.removeprefix(BOM)
                yield line, taken, raw.removesuffix(cr)
            offset += taken
            line += 1
        if len(carry) > MAX_ROW_BYTES:
            skipping += len(carry)
            carry = b""
    if (carry or skipping) and (end is None or offset < end):
        if skipping:
            yield line, len(carry) + skipping, None
        else:
            yield line, len(carry), (carry.removeprefix(BOM) if offset == 0 else carry
                                     ).removesuffix(cr)


def _json_problem(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"not JSON: {err.msg} at column {err.colno}"
    if isinstance(err, RecursionError):
        return "not JSON that can be read: nested too deeply"
    return f"not JSON that can be read: {err}"


_NOT_TEXT = "holds a lone surrogate escape (such as \\ud800), which is not text"


def _strictly(text: str) -> tuple[object, str | None]:
    """A row that may be refused as JSON: its value as read leniently (the last of a
    repeated key, a bare constant as null, a repeated ``person_id`` left out, as it names no
    one person), and the problems that refuse it, located by JSON Pointer, if any."""
    value = _LENIENT.decode(text)
    refused = strictness_problems(text)
    if not refused:
        return value, None
    if isinstance(value, dict) and any(pointer == "/person_id" for pointer, _ in refused):
        del value["person_id"]
    return value, "; ".join(f"{pointer}: {message}" for pointer, message in refused)


def _decoded(text: str) -> object:
    """``_DECODER.decode(text)``: a row that starts with its object and ends with it is read
    by the decoder's ``raw_decode`` alone (what ``decode`` calls after skipping leading
    whitespace, which such a row has none of), any other by ``decode``, which also skips and
    checks what follows the value."""
    if text.startswith("{"):
        value, end = _DECODER.raw_decode(text)
        if end == len(text):
            return value
    return _DECODER.decode(text)


def json_row(line: int, raw: bytes | None) -> Row | None:
    """One JSON Lines row (None for a blank line)."""
    if raw is None:
        return Row(line, None, None, f"longer than {MAX_ROW_BYTES} bytes")
    if not raw.strip():
        return None
    try:
        text, problem = raw.decode("utf-8"), None
    except UnicodeDecodeError:
        text, problem = decoded(raw)
    try:
        try:
            value = _decoded(text)
        except NotStrictJsonError:
            value = _REFUSED
        if value is _REFUSED or (type(value) is dict and raw.count(b":") != len(value)):
            # Every member of every object has a colon outside strings: with no more colons
            # than the row has keys, no key is given twice; else one is looked for.
            value, refused = _strictly(text)
            problem = problem or refused
    except (ValueError, RecursionError) as err:
        return Row(line, None, None, problem or _json_problem(err))
    if not isinstance(value, dict):
        return Row(line, None, None, problem or "a row must be a JSON object")
    person = person_id_of(value.pop("person_id", None))
    if problem is not None or "\\u" in text:
        if person is not None and has_surrogate(person):
            person = printable(person)
            problem = problem or f"the person_id {_NOT_TEXT}"
        if problem is None and any(has_surrogate(k) or (isinstance(v, str) and has_surrogate(v))
                                   for k, v in value.items()):
            problem = _NOT_TEXT
    if problem is None and person is None:
        problem = "a row needs a person_id"
    if problem is not None:
        return Row(line, person, None, problem)
    return Row(line, person, value)


_PERSON_FIRST = re.compile(rb'^\s*\{\s*"person_id"\s*:\s*"([^"\\]*)"\s*[,}]')


def json_person(raw: bytes | None) -> tuple[bool, str | None]:
    """(whether the line is a row, its person) as a first reading gives it, for finding
    persons whose rows lie in several places. A line that starts with its only
    ``"person_id"`` and holds no escape is read by pattern; any other by :func:`json_row`. The
    pattern gives either the person :func:`json_row` gives or one where it gives none (the rest
    of the line is not JSON), so it never hides a person that lies in several places."""
    if raw is None:
        return True, None
    if not raw.strip():
        return False, None
    if b"\\" not in raw and raw.count(b'"person_id"') == 1:
        found = _PERSON_FIRST.match(raw)
        if found is not None:
            try:
                return True, person_id_of(found.group(1).decode("utf-8"))
            except UnicodeDecodeError:
                pass
    row = json_row(0, raw)
    return True, None if row is None else row.person
