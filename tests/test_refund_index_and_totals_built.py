"""The ledger's law indexes are found per staircase or schedule object, and its monthly totals
are built as :class:`~lab_rules.refund.months.MonthTotal`'s own ``__init__`` builds them.

:func:`~lab_rules.refund.law_index.staircase_index` and
:func:`~lab_rules.refund.law_index.schedule_index` look an index already held up themselves
(the ledger asks several times a person); :func:`~lab_rules.refund.ledger_totals._rounded`
sets each total's slots in its loop rather than calling
:func:`~lab_rules.refund.months.month_total`. These tests pin both against what they replace.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import attrs
from hypothesis import given
from hypothesis import strategies as st

from lab_rules.law import bundled_law
from lab_rules.law.refund import bundled_staircase
from lab_rules.refund.law_index import (
    _schedule_index,
    _staircase_index,
    schedule_index,
    staircase_index,
)
from lab_rules.refund.ledger_totals import _UNIT, _rounded
from lab_rules.refund.months import EXACT, MonthTotal


def test_a_staircase_index_is_built_once_and_found_again() -> None:
    staircase = bundled_staircase()
    first = staircase_index(staircase)
    assert staircase_index(staircase) is first
    assert first == _staircase_index(staircase)


def test_an_equal_but_other_staircase_gets_an_index_of_its_own() -> None:
    staircase = bundled_staircase()
    shares = Decimal("0.333")
    changed = attrs.evolve(staircase, bands=tuple(
        attrs.evolve(band, refund=shares) for band in staircase.bands))
    index = staircase_index(changed)
    assert index is not staircase_index(staircase)
    assert {refund for refund, _ in index.rates} == {shares}
    assert staircase_index(changed) is index


def test_a_schedule_index_is_built_once_per_schedule() -> None:
    schedule = bundled_law().losses
    first = schedule_index(schedule)
    assert schedule_index(schedule) is first
    assert first == _schedule_index(schedule)
    other = attrs.evolve(schedule, losses=())
    assert schedule_index(other) is not first
    assert schedule_index(other).by_status == ()


_MONTHS = st.dictionaries(
    st.sampled_from([f"20{y:02d}-{m:02d}" for y in range(15, 27) for m in range(1, 13)]),
    st.integers(0, 10**12).map(lambda n: Decimal(n).scaleb(-7)), min_size=1, max_size=30)


def _half_up(amount: Decimal) -> Decimal:
    """*amount* (in 1/_UNIT days) as kroner rounded half up to øre, in whole fractions."""
    numerator, denominator = amount.as_integer_ratio()
    whole, rest = divmod(numerator * 100, denominator * _UNIT)
    if 2 * rest >= denominator * _UNIT:
        whole += 1
    return Decimal(whole).scaleb(-2)


@given(_MONTHS, st.booleans())
def test_rounded_totals_are_the_month_totals_the_class_builds(
        by_month: dict[str, Decimal], cofinanced: bool) -> None:
    totals: tuple[dict[str, Decimal], dict[str, Decimal]] = (
        ({}, by_month) if cofinanced else (by_month, {}))
    with localcontext(EXACT):
        found = _rounded(totals)
    if found is None:  # within a billionth of an øre of half an øre: the Decimal ledger's
        return
    zero = Decimal("0.00")
    expected = tuple(MonthTotal(month, zero, _half_up(amount)) if cofinanced
                     else MonthTotal(month, _half_up(amount), zero)
                     for month, amount in sorted(by_month.items()))
    assert found == expected
    assert [type(t) for t in found] == [MonthTotal] * len(expected)
    assert repr(found) == repr(expected)
    assert hash(found) == hash(expected)
