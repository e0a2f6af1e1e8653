"""Cutting a JSON Lines or Parquet event log into pieces that can be read apart, for the
batch's workers.

Each cut lies where :func:`lab_rules.inputs.eventlog.read_persons` starts a new person, so the
pieces read apart (``read_persons(path, start=..., end=...)``) give what one pass gives for a
log whose persons are contiguous. Rows are recognised with the reader's own row parser, so a
row starts a person here where it starts one there: a row that names its person does, even
one refused with a problem (a bare NaN, bytes that are not UTF-8), and a line that names no
person is skipped here as it is attributed there, to the person it sits among.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from lab_rules.inputs.eventlog_lines import FORMATS, MAX_ROW_BYTES, check_content, json_row
from lab_rules.inputs.eventlog_parquet import parquet_person_starts

__all__ = ["person_starts"]

_WINDOW = 1 << 16
_LONGEST_LOOK_BACK = 1 << 26
"""How far back a cut looks for the person before it (64 MiB); past that, the cut is placed
as if no person came before, which at worst puts one person in two pieces, which the batch
detects and reads in one pass instead."""


def _person_of(raw: bytes) -> str | None:
    row = json_row(0, raw if len(raw) <= MAX_ROW_BYTES else None)
    return None if row is None else row.person


def _person_before(handle: BinaryIO, offset: int) -> str | None:
    """The person of the last readable row that ends before *offset* (a line start)."""
    window = _WINDOW
    while offset > 0 and window <= _LONGEST_LOOK_BACK:
        back = max(0, offset - window)
        handle.seek(back)
        lines = handle.read(offset - back).split(b"\n")
        for raw in reversed(lines if back == 0 else lines[1:]):
            person = _person_of(raw.removeprefix(b"\xef\xbb\xbf")) if raw.strip() else None
            if person is not None:
                return person
        if back == 0:
            return None
        window *= 2
    return None


def person_starts(path: str | Path, parts: int) -> list[int]:
    """Byte offsets that cut a JSON Lines log into at most *parts* pieces, each beginning at a
    row where a new person starts; the first is 0. Each cut is found by reading a few rows
    around it; the log is not read through. A Parquet log is cut the same way, in row numbers
    (:func:`lab_rules.inputs.eventlog_parquet.parquet_person_starts`); a CSV log is one piece
    (``[0]``): a quoted cell may hold a line break, so a line start is not a row start."""
    source = Path(path)
    kind = FORMATS.get(source.suffix.lower())
    if kind not in ("jsonl", "parquet"):
        return [0]
    check_content(source, kind)
    if kind == "parquet":
        return parquet_person_starts(source, parts)
    size = source.stat().st_size
    cuts = [0]
    with source.open("rb") as handle:
        for part in range(1, parts):
            candidate = max(size * part // parts, cuts[-1] + 1)
            if candidate >= size:
                break
            handle.seek(candidate - 1)
            _skip_line(handle)
            offset = handle.tell()
            last = _person_before(handle, offset)
            handle.seek(offset)
            while raw := handle.readline(MAX_ROW_BYTES + 1):
                taken = len(raw)
                if taken > MAX_ROW_BYTES and not raw.endswith(b"\n"):
                    taken += _skip_line(handle)
                    raw = b""
                person = _person_of(raw) if raw.strip() else None
                if person is not None and person != last:
                    cuts.append(offset)
                    break
                last = person if person is not None else last
                offset += taken
            else:
                break  # the last person runs to the end: no later cut can start one
    return cuts


def _skip_line(handle: BinaryIO) -> int:
    """Read to the end of the current line without holding it; the bytes read."""
    taken = 0
    while chunk := handle.readline(MAX_ROW_BYTES):
        taken += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return taken
