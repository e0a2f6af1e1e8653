"""CPR masking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lab_rules.core.privacy import looks_like_cpr, mask_cpr, pseudonym


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


_ZEROS = ["0", "\uff10", "\u0660", "\u06f0", "\u0966", "\U0001d7ce", "\U0001d7ec"]
_SEPARATORS = ["", "-", " ", "  ", "   ", "\u00a0", "\u2009", "\u200b", "/", ".", "_", ":",
               "\u2013", "\t", "\n", "\\t", "\\n", "\\u00a0", " - ", "\u200b-\u200b",
               "\ue000", "\U000f0000"]
_NEIGHBOURS = st.text(st.characters(blacklist_categories=("Nd", "Cs")), max_size=6)


@st.composite
def _written_cpr(draw: st.DrawFn) -> tuple[str, str]:
    """A CPR number written with one script's digits and random separators; its date."""
    day = draw(st.integers(1, 31))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    serial = draw(st.integers(0, 9999))
    zero = ord(draw(st.sampled_from(_ZEROS)))
    digits = "".join(chr(zero + int(c)) for c in f"{day:02}{month:02}{year:02}{serial:04}")
    inner = draw(st.sampled_from(["", " ", ".", "-", "/", "\u00a0"]))
    outer = draw(st.sampled_from(_SEPARATORS))
    text = f"{digits[:2]}{inner}{digits[2:4]}{inner}{digits[4:6]}{outer}{digits[6:]}"
    return text, f"{day:02}{month:02}{year:02}"


@given(_NEIGHBOURS, _written_cpr(), _NEIGHBOURS)
def test_a_cpr_number_between_any_non_digits_is_masked(
        before: str, written: tuple[str, str], after: str) -> None:
    text, birth = written
    masked = mask_cpr(before + text + after)
    assert f"{birth}-****" in masked
    assert not looks_like_cpr(masked)
    assert mask_cpr(masked) == masked


_ESCAPES = ["\\u00a0", "\\udc80", "\\ud800", "\\udcf8", "\\xf8", "\\x00", "\\U0001f600",
            "\\\\u2029", "%20", "%A0"]


@given(st.sampled_from(_ESCAPES), _written_cpr(), _NEIGHBOURS)
def test_a_cpr_number_right_after_an_escape_ending_in_a_digit_is_masked(
        escape: str, written: tuple[str, str], after: str) -> None:
    """An escaped character (how a lone surrogate, a byte that is not UTF-8 or a no-break
    space is shown) ends in a hex digit that may be a digit: it does not make the number
    longer, so the number is masked as after any other character."""
    text, birth = written
    masked = mask_cpr("id " + escape + text + after)
    assert f"{birth}-****" in masked
    assert masked.startswith("id " + escape)


def test_a_pseudonym_holding_ten_cpr_shaped_digits_is_not_masked() -> None:
    digest = pseudonym("p14", b"a key of sixteen bytes or more")
    assert "f2709900760b" in digest
    assert mask_cpr(digest) == digest
    assert mask_cpr(f"id {digest}, CPR 0101901234") == f"id {digest}, CPR 010190-****"


@given(st.text(max_size=20))
def test_pseudonyms_pass_masking_unchanged(person_id: str) -> None:
    digest = pseudonym(person_id, b"sixteen byte key")
    assert mask_cpr(digest) == digest
