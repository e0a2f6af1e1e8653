"""``convert_row`` keeps what each converter made of a text (``row_types._TEXTS``): a text
met again gives the same value without converting it again, a refused text is refused again
with the same problem, and what is kept stays bounded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lab_rules.inputs import row_types
from lab_rules.inputs.row_types import convert_row


def test_a_text_met_again_gives_the_same_and_a_refused_one_is_refused_again() -> None:
    row = {"type": "payment", "benefit": "kontanthjaelp", "start": "2024-01-01",
           "end": "2024-01-31", "amount": "12000.50", "hours": "2.0"}
    first = convert_row(row)
    assert first == convert_row(row)
    assert first[0]["amount"] == Decimal("12000.50")
    assert str(first[0]["amount"]) == "12000.50"
    bad = {"type": "payment", "start": "2024-02-30", "amount": "12,5"}
    refused = convert_row(bad)
    assert refused == convert_row(bad)
    assert len(refused[1]) == 2
    assert "2024-02-30" not in row_types._TEXTS[row_types._to_date]


def test_what_is_kept_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(row_types, "_KEPT", 4)
    monkeypatch.setattr(row_types, "_TEXTS", {convert: {} for convert in row_types._TEXTS})
    for day in range(1, 20):
        convert_row({"type": "first_contact", "date": f"2024-01-{day:02d}"})
        assert len(row_types._TEXTS[row_types._to_date]) <= 4
