"""The Arrow reader's cache of converted cells is shared by every field with the same
converter; a value must still convert as :func:`convert_row` converts it in each field."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("pyarrow")

from lab_rules.inputs.eventlog_arrow_cells import MISSING as _MISSING
from lab_rules.inputs.eventlog_arrow_rows import _BAD, _KNOWN, Known
from lab_rules.inputs.row_types import convert_row

VALUES: list[object] = ["2024-01-31", "2024-02-30", " ", "", "12000", "12000.50", "x", 3,
                        True, "true", Decimal("1.5"), 2.0, "2024-01-31T00:00:00Z"]
FIELDS = [("first_contact", "date"), ("benefit_started", "date"), ("payment", "start"),
          ("payment", "amount"), ("payment", "benefit"), ("person", "birth_date"),
          ("person", "education"), ("first_contact", "amount"), ("person", "nonsense")]


def _expected(kind: str, name: str, value: object) -> object:
    converted, problems = convert_row({"type": kind, name: value})
    if name not in converted and not problems:
        return _MISSING
    if problems or name not in _KNOWN[kind]:
        return _BAD
    return converted[name]


def test_shared_cache_converts_as_convert_row_in_every_field() -> None:
    known = Known()
    for _ in range(2):
        for kind, name in FIELDS:
            got = known.converted(kind, name, VALUES)
            assert got[-1] is _MISSING
            for value, found in zip(VALUES, got, strict=False):
                expected = _expected(kind, name, value)
                assert found == expected, (kind, name, value)
                assert type(found) is type(expected), (kind, name, value)
