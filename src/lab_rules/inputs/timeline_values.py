"""Converters from decoded JSON values to the typed fields of ``timeline/v1``, one per type.

Each converter takes a JSON value and returns the field's value, or a :class:`Bad` that says
what is wrong with it; it never raises. Dates are bounded by the supported range of their
field and read ``9999-12-31`` as no end where the end is optional; whole numbers and decimals
are bounded in size; text must be Unicode. Numbers with more digits than any field takes are
read as :class:`Huge` without converting them (Python refuses ints beyond 4300 digits).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from lab_rules.inputs.timeline_checks import echo
from lab_rules.inputs.timeline_fields import (
    DECIMAL_RE,
    MAX_AMOUNT,
    MAX_INTEGER,
    OPEN_END,
    OPEN_ENDS,
    date_range_of,
)

__all__ = ["MAX_DIGITS", "Bad", "Huge", "converter", "read_float", "read_int"]


@attrs.frozen
class Bad:
    """What a converter returns for a value it cannot take: the problem's message."""

    message: str


@attrs.frozen
class Huge:
    """A JSON number with more digits than any field takes (read without converting it)."""

    digits: int

    def __str__(self) -> str:
        return f"a number of {self.digits} digits"


MAX_DIGITS = 40
"""JSON numbers with more characters than this are not converted (Python refuses ints beyond
4300 digits, and no field needs more than a few)."""


def read_int(text: str) -> object:
    return int(text) if len(text) <= MAX_DIGITS else Huge(len(text))


def read_float(text: str) -> object:
    """A JSON number with a fraction or exponent as a Decimal; one too long, or whose exponent
    is past what Decimal holds (``1e99999999999999999999``), as :class:`Huge`."""
    if len(text) > MAX_DIGITS:
        return Huge(len(text))
    try:
        return Decimal(text)
    except InvalidOperation:
        return Huge(len(text))


def _to_date(first: date, last: date, open_end: bool) -> Callable[[object], object]:
    """A converter to a date from *first* to *last*; with *open_end*, 9999-12-31 is None."""
    where = f"outside the supported range {first} to {last}"

    def convert(raw: object) -> object:
        if type(raw) is str and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
            try:
                day = date.fromisoformat(raw)
            except ValueError:
                pass
            else:
                if first <= day <= last:
                    return day
                if day == OPEN_END:
                    return None if open_end else Bad(
                        f"{echo(raw)} (no end) is {where}; only an optional end may be open")
                return Bad(f"{echo(raw)} is {where}")
        return Bad(f"{echo(raw)} is not a valid date (expected YYYY-MM-DD)")
    return convert


def _to_bool(raw: object) -> object:
    return raw if isinstance(raw, bool) else Bad(f"{echo(raw)} must be true or false")


def _to_int(raw: object) -> object:
    if isinstance(raw, int) and not isinstance(raw, bool):
        if abs(raw) <= MAX_INTEGER:
            return raw
        return Bad(f"{echo(raw)} is too large (at most {MAX_INTEGER})")
    return Bad(f"{echo(raw)} must be a whole number")


def _to_str(raw: object) -> object:
    if isinstance(raw, str) and raw.strip():
        try:
            raw.encode("utf-8")
        except UnicodeEncodeError:
            return Bad(f"{echo(raw)} is not Unicode text (a lone surrogate)")
        return raw
    return Bad(f"{echo(raw)} must be a non-empty string")


_LEAST_AMOUNT = Decimal(-MAX_AMOUNT)
_MOST_AMOUNT = Decimal(MAX_AMOUNT)
"""The supported bound of an amount, as Decimal: both readings of a number compare with it."""


def _to_decimal(raw: object) -> object:
    if type(raw) is str and len(raw) <= MAX_DIGITS:
        text = raw.strip()
        if DECIMAL_RE.match(text):  # digits only: always finite
            read = Decimal(text)
            if _LEAST_AMOUNT <= read <= _MOST_AMOUNT:
                return read
            return Bad(f"{echo(raw)} is beyond the supported bound of {MAX_AMOUNT}")
        return Bad(f"{echo(raw)} must be a decimal number such as 1234.50")
    value: Decimal | None = None
    if isinstance(raw, int | Decimal) and not isinstance(raw, bool):
        value = Decimal(raw)
    elif isinstance(raw, str) and len(raw) <= MAX_DIGITS and DECIMAL_RE.match(raw.strip()):
        value = Decimal(raw.strip())
    if value is None or not value.is_finite():
        return Bad(f"{echo(raw)} must be a decimal number such as 1234.50")
    if _LEAST_AMOUNT <= value <= _MOST_AMOUNT:
        return value
    return Bad(f"{echo(raw)} is beyond the supported bound of {MAX_AMOUNT}")


def _to_enum(kind: type[enum.Enum]) -> Callable[[object], object]:
    members = kind._value2member_map_
    allowed = ", ".join(str(m.value) for m in kind)

    def convert(raw: object) -> object:
        member = members.get(raw) if isinstance(raw, str) else None
        if member is not None:
            return member
        return Bad(f"{echo(raw)} is not a known value; expected one of: {allowed}")
    return convert


def converter(cls: type[Any], name: str, inner: Any) -> Callable[[object], object]:
    """The function that turns a JSON value into field *name* (of type *inner*) of *cls*, or
    a :class:`Bad`."""
    if inner is date:
        first, last = date_range_of(cls, name)
        return _to_date(first, last, (getattr(cls, "TYPE", ""), name) in OPEN_ENDS)
    simple: dict[Any, Callable[[object], object]] = {
        bool: _to_bool, int: _to_int, str: _to_str, Decimal: _to_decimal}
    if inner in simple:
        return simple[inner]
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return _to_enum(inner)
    raise TypeError(f"no JSON mapping for field type {inner!r}")  # pragma: no cover
