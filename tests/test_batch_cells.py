"""A row's cells as the pure-Python writer writes them (``batch_tables._cells``, spelled out
for speed) are :func:`~lab_rules.loops.batch_tables.cell` of each value, for any value."""

from __future__ import annotations

import enum

from hypothesis import given
from hypothesis import strategies as st

from lab_rules.loops.batch_tables import _cells, cell


class _Kind(str, enum.Enum):  # noqa: UP042 (a str enum whose str() is not its value)
    LATE = "late"


_VALUES = st.one_of(st.none(), st.text(), st.integers(), st.booleans(), st.floats(),
                    st.dates(), st.datetimes(), st.decimals(), st.just(_Kind.LATE),
                    st.just(0), st.just(1), st.just(""))


@given(st.lists(_VALUES, max_size=12))
def test_cells_are_cell_of_each_value(values: list[object]) -> None:
    assert _cells(*values) == tuple(map(cell, values))
