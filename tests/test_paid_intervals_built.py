""":func:`~lab_rules.facts.paid.paid_intervals` builds the payments' intervals by setting the
slots of :class:`Interval` directly; they equal what ``Interval(...)`` builds, which is only
right while the class has exactly its four fields, none with a default, validator or
converter."""

from __future__ import annotations

import random
from datetime import timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.paid import Interval, paid_intervals
from lab_rules.inputs.synth import synthetic_timeline


def test_interval_has_the_four_plain_fields_paid_intervals_sets() -> None:
    fields = attrs.fields(Interval)
    assert [f.name for f in fields] == ["benefit", "start", "end", "per_day"]
    assert all(f.default is attrs.NOTHING and f.validator is None and f.converter is None
               for f in fields)
    assert "__attrs_post_init__" not in vars(Interval)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 4), st.integers(-400, 400))
def test_built_intervals_equal_the_class_built(seed: int, years: int, cut: int) -> None:
    timeline, as_of = synthetic_timeline(random.Random(seed), seed, years=years)
    found = paid_intervals(timeline, as_of + timedelta(days=cut), frozenset(Benefit))
    for interval in found:
        expected = Interval(interval.benefit, interval.start, interval.end, interval.per_day)
        assert type(interval) is Interval
        assert interval == expected
        assert hash(interval) == hash(expected)
        assert repr(interval) == repr(expected)


def test_built_intervals_stay_frozen() -> None:
    timeline, as_of = synthetic_timeline(random.Random(3), 3)
    interval = paid_intervals(timeline, as_of, frozenset(Benefit))[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        interval.end = as_of  # type: ignore[misc]
