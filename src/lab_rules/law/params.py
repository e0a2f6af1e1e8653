"""Reading the parts every dated parameter entry shares: an id, a validity, a legal basis
written as the law writes it, a confidence and a source; and figures written as strings
("160.33") so that no float ever stands for a legal figure."""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import attrs

from lab_rules.law.bounds import MAX_AMOUNT, MAX_PLACES
from lab_rules.law.model import Confidence
from lab_rules.law.reader import described

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


_FIGURE = re.compile(rf"^\d{{1,12}}(\.\d{{1,{MAX_PLACES}}})?$")
"""A figure as the rule files write it: digits, a point and decimals (no sign, exponent or
spaces: ``"160.33"``, ``"0.40"``, ``"12064"``)."""


def figure_of(reader: Reader, value: object, where: str, *, maximum: Decimal = MAX_AMOUNT,
              positive: bool = False, unit: str = "") -> Decimal | None:
    """A figure written as a decimal string (``"160.33"``), never a float: from 0 (above it
    where *positive*: a figure something is divided by) to *maximum*; else None, with the
    problem at *where*."""
    if isinstance(value, str) and _FIGURE.match(value):
        figure = Decimal(value)
        if figure <= maximum and (figure > 0 or not positive):
            return figure
    low = "above 0" if positive else "from 0"
    like = "0.40" if maximum <= 1 else "160.33"
    reader.problem(where, f"must be {unit or 'a decimal number'} as a string {low} to "
                   f'{maximum}, like "{like}"; got {described(value)}')
    return None


def decimal_of(reader: Reader, raw: Mapping[str, Any], key: str, where: str, *,
               required: bool = True, maximum: Decimal = MAX_AMOUNT, positive: bool = False,
               unit: str = "") -> Decimal | None:
    """The figure *key* of *raw* (:func:`figure_of`); a missing one is a problem where
    *required*."""
    value = raw.get(key)
    if value is None:
        if required:
            reader.problem(where, f'missing required key "{key}"')
        return None
    return figure_of(reader, value, f"{where}.{key}", maximum=maximum, positive=positive,
                     unit=unit)


def covers(entry: Any, day: date) -> bool:
    """Whether a dated entry (``valid_from``, ``valid_to``: None is open) is in force on
    *day*."""
    return bool(entry.valid_from <= day and (entry.valid_to is None or day <= entry.valid_to))


def in_force(entries: Iterable[Any], day: date) -> Any | None:
    """The first entry whose validity covers *day*, if any."""
    return next((e for e in entries if covers(e, day)), None)


_ONE_DAY = timedelta(days=1)


@attrs.frozen
class InForce:
    """:func:`in_force` over a fixed sequence of entries, answered by a binary search: which
    entries are in force can only change on a ``valid_from`` or on the day after a
    ``valid_to``, so they are worked out once for each such day."""

    changes: tuple[date, ...]
    covering: tuple[tuple[Any, ...], ...]
    """The entries in force from each change (in the sequence's order)."""

    @classmethod
    def of(cls, entries: Sequence[Any]) -> InForce:
        days = {e.valid_from for e in entries}
        days.update(e.valid_to + _ONE_DAY for e in entries
                    if e.valid_to is not None and e.valid_to < date.max)
        changes = tuple(sorted(days))
        return cls(changes, tuple(tuple(e for e in entries if covers(e, day))
                                  for day in changes))

    def all_on(self, day: date) -> tuple[Any, ...]:
        """Every entry whose validity covers *day*, in the sequence's order."""
        index = bisect_right(self.changes, day) - 1
        return self.covering[index] if index >= 0 else ()

    def on(self, day: date) -> Any | None:
        """The first entry whose validity covers *day* (as :func:`in_force`), if any."""
        found = self.all_on(day)
        return found[0] if found else None


Owner = TypeVar("Owner")
T = TypeVar("T")
_MAX_KEPT = 256


def kept(build: Callable[[Owner], T]) -> Callable[[Owner], T]:
    """*build*, its answer worked out once per *owner* object and kept (with the object, so
    that its id stays its own): for what a law's immutable parts (a tuple of entries, a frozen
    entry or policy set) give every person alike. An owner must not change after it was
    asked about."""
    held: dict[int, tuple[Owner, T]] = {}

    @functools.wraps(build)
    def of(owner: Owner) -> T:
        found = held.get(id(owner))
        if found is None or found[0] is not owner:
            if len(held) >= _MAX_KEPT:
                held.clear()
            found = held[id(owner)] = (owner, build(owner))
        return found[1]

    return of


def kept_together(build: Callable[..., T], limit: int = 4 * _MAX_KEPT
                  ) -> Callable[..., T]:
    """:func:`kept` for a *build* of several owners: its answer kept per combination of the
    owners' identities, so that no tuple of them needs hashing by value. Each answer is kept
    with its owners, and two live objects never share an identity, so a key found is the
    same owners."""
    held: dict[tuple[int, ...], tuple[tuple[object, ...], T]] = {}

    @functools.wraps(build)
    def of(*owners: object) -> T:
        key = tuple(map(id, owners))
        found = held.get(key)
        if found is None:
            if len(held) >= limit:
                held.clear()
            found = held[key] = (owners, build(*owners))
        return found[1]

    return of


@kept
def in_force_index(entries: Sequence[Any]) -> InForce:
    """The :class:`InForce` index of an immutable sequence of entries (a law's tuple), built
    once per sequence."""
    return InForce.of(entries)


def in_force_on(entries: Sequence[Any], day: date) -> Any | None:
    """:func:`in_force` for an immutable sequence of entries, through its
    :func:`in_force_index`: the same answer for a lookup that runs for every person and
    month."""
    return in_force_index(entries).on(day)


def nearest(entries: tuple[Any, ...], day: date) -> Any:
    """The entry in force on *day*, else the last one that started before it, else the first:
    for clocks that run across a change of the figures."""
    found = in_force(entries, day)
    if found is not None:
        return found
    ordered = sorted(entries, key=lambda e: e.valid_from)
    before = [e for e in ordered if e.valid_from <= day]
    return before[-1] if before else ordered[0]
