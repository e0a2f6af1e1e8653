"""CPR masking."""

from __future__ import annotations

import pytest

from lab_rules.core.privacy import looks_like_cpr, mask_cpr


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("010190-1234", "010190-****"),
        ("0101901234", "010190-****"),
        ("cpr 311299 4321 ok", "cpr 311299-**** ok"),
        ("two: 010190-1234, 020290-5678", "two: 010190-****, 020290-****"),
    ],
)
def test_cpr_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_cpr(text) == masked
    assert looks_like_cpr(text)


@pytest.mark.parametrize("text", ["2024-03-04", "12345678901", "P-0001", "amount 12571.00",
                                  "991390-1234"])
def test_other_numbers_are_left_alone(text: str) -> None:
    assert mask_cpr(text) == text
