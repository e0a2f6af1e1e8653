"""Reading the parts every dated parameter entry shares: an id, a validity, a legal basis
written as the law writes it, a confidence and a source; and figures written as strings
("160.33") so that no float ever stands for a legal figure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import attrs

from lab_rules.law.model import Confidence

COMMON_KEYS = frozenset({"id", "valid_from", "valid_to", "legal_basis", "confidence", "source",
                         "note"})


class Reader(Protocol):
    """The located-problem collector of :func:`lab_rules.law.loader.open_toml`."""

    def problem(self, path: str, message: str) -> None: ...

    def text(self, table: Mapping[str, Any], key: str, path: str, *, required: bool = True,
             default: str | None = None) -> str | None: ...

    def day(self, table: Mapping[str, Any], key: str, path: str, *,
            default: date | None = None) -> date | None: ...


@attrs.frozen
class Entry:
    """What every dated parameter entry says about itself."""

    id: str
    valid_from: date
    valid_to: date | None
    legal_basis: str
    confidence: Confidence
    source: str


def entry_of(reader: Reader, raw: Mapping[str, Any], where: str) -> Entry | None:
    """The shared part of one entry, or None (with the problems recorded)."""
    ident = reader.text(raw, "id", where)
    start = reader.day(raw, "valid_from", where)
    end = reader.day(raw, "valid_to", where)
    basis = reader.text(raw, "legal_basis", where)
    source = reader.text(raw, "source", where)
    value = raw.get("confidence")
    confidence = next((c for c in Confidence if c.value == value), None)
    if confidence is None:
        reader.problem(f"{where}.confidence", "must be one of confirmed, inferred, unconfirmed; "
                       f"got {value!r}")
    if start is None:
        reader.problem(where, 'missing required key "valid_from"')
    if start is not None and end is not None and end < start:
        reader.problem(f"{where}.valid_to", f"{end} is before valid_from {start}")
    if ident is None or start is None or basis is None or source is None or confidence is None:
        return None
    return Entry(ident, start, end, basis, confidence, source)


def decimal_of(reader: Reader, raw: Mapping[str, Any], key: str, where: str, *,
               required: bool = True) -> Decimal | None:
    """A figure written as a decimal string (``"160.33"``), never a float."""
    value = raw.get(key)
    if value is None:
        if required:
            reader.problem(where, f'missing required key "{key}"')
        return None
    if isinstance(value, str):
        try:
            figure = Decimal(value)
        except InvalidOperation:
            figure = None
        if figure is not None and figure.is_finite() and figure >= 0:
            return figure
    reader.problem(f"{where}.{key}", f'must be a decimal number as a string, like "160.33"; got '
                   f"{value!r}")
    return None


def covers(entry: Any, day: date) -> bool:
    """Whether a dated entry (``valid_from``, ``valid_to``: None is open) is in force on
    *day*."""
    return bool(entry.valid_from <= day and (entry.valid_to is None or day <= entry.valid_to))


def in_force(entries: Iterable[Any], day: date) -> Any | None:
    """The first entry whose validity covers *day*, if any."""
    return next((e for e in entries if covers(e, day)), None)


def nearest(entries: tuple[Any, ...], day: date) -> Any:
    """The entry in force on *day*, else the last one that started before it, else the first:
    for clocks that run across a change of the figures."""
    found = in_force(entries, day)
    if found is not None:
        return found
    ordered = sorted(entries, key=lambda e: e.valid_from)
    before = [e for e in ordered if e.valid_from <= day]
    return before[-1] if before else ordered[0]
