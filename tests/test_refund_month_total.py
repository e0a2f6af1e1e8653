""":func:`~lab_rules.refund.months.month_total` builds the same :class:`MonthTotal` as its
``__init__``: it sets the slots directly, which is only right while the class has exactly the
three fields, none with a default, validator or converter."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lab_rules.refund.months import MonthTotal, month_total

_AMOUNTS = st.decimals(allow_nan=False, allow_infinity=False, places=2)


def test_month_total_has_the_three_plain_fields_it_sets() -> None:
    fields = attrs.fields(MonthTotal)
    assert [f.name for f in fields] == ["month", "refund", "cofinancing"]
    assert all(f.default is attrs.NOTHING and f.validator is None and f.converter is None
               for f in fields)
    assert "__attrs_post_init__" not in vars(MonthTotal)


@given(st.text(max_size=7), _AMOUNTS, _AMOUNTS)
def test_month_total_equals_the_class_built(month: str, refund: Decimal,
                                            cofinancing: Decimal) -> None:
    built = month_total(month, refund, cofinancing)
    expected = MonthTotal(month, refund, cofinancing)
    assert type(built) is MonthTotal
    assert built == expected
    assert hash(built) == hash(expected)
    assert repr(built) == repr(expected)
    assert attrs.astuple(built, recurse=False) == (month, refund, cofinancing)


def test_month_total_stays_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        month_total("2024-01", Decimal("1.00"), Decimal("0.00")).refund = Decimal(0)  # type: ignore[misc]
