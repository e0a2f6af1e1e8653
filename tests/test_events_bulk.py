"""Events built a column at a time (``inputs.events_bulk.built``) equal the class called on
each row, and every event type is built that way; a class whose ``__init__`` does more than
set its fields is called on each row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from lab_rules.core.vocabulary import Benefit
from lab_rules.inputs.events import Payment
from lab_rules.inputs.events_bulk import _setters, built
from lab_rules.inputs.timeline import EVENT_TYPES


def test_every_event_type_is_built_a_column_at_a_time() -> None:
    assert [kind for kind, cls in EVENT_TYPES.items() if _setters(cls) is None] == []


def test_built_equals_calling_the_class() -> None:
    columns: list[list[object]] = [
        [Benefit.KONTANTHJAELP, Benefit.DAGPENGE], [date(2024, 1, 1), date(2024, 2, 1)],
        [date(2024, 1, 31), date(2024, 2, 29)], [Decimal("12000"), None], [None, Decimal("7.5")],
        [None, None], ["a", None], [None, Decimal("0.00")]]
    made = built(Payment, columns, 2)
    assert made == list(map(Payment, *columns))
    rows = list(zip(*columns, strict=True))
    assert [attrs.astuple(event, recurse=False) for event in made] == rows
    assert all(type(event) is Payment for event in made)


@attrs.frozen
class _Checked:
    value: int = attrs.field(validator=attrs.validators.ge(0))


@attrs.frozen
class _Hooked:
    value: int
    seen: list[int] = attrs.field(factory=list, init=False)

    def __attrs_post_init__(self) -> None:
        self.seen.append(self.value)


def test_a_class_that_does_more_than_set_its_fields_is_called() -> None:
    assert _setters(_Checked) is None
    assert _setters(_Hooked) is None
    assert built(_Hooked, [[1, 2]], 2) == [_Hooked(1), _Hooked(2)]
    assert [event.seen for event in built(_Hooked, [[1, 2]], 2)] == [[1], [2]]
