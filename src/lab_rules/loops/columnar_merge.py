"""Putting the fast path's rows beside the engine's: the batch's cells per person, and one
person's obligation rows merged in the engine's order.

``evaluate`` sorts a person's obligations by (due, opens, rule id, sequence), keeping the
order it made them in for ties. The two paths never share a (person, rule id) pair, so a tie
between an engine row and a fast row cannot happen; among the fast rows of one rule id the
versions come in the order of their ``valid_from``, as the engine makes them. Appending the
fast rows and sorting stably by that key therefore gives the engine's order exactly, whether the
rows hold their cells' text (ISO dates sort as dates) or their values (for the Arrow writer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from lab_rules.loops.batch_tables import cell

if TYPE_CHECKING:
    import polars as pl

__all__ = ["fast_cells", "merged_cells"]

_RULE, _SEQUENCE, _OPENS, _DUE = 1, 2, 4, 5
"""Positions in a row of ``obligations.csv`` (``OBLIGATION_COLUMNS``)."""


def fast_cells(rows: pl.DataFrame, public_id: Callable[[str], str] = str
               ) -> dict[str, list[tuple[str, ...]]]:
    """The fast rows as the batch writes them (every value a table cell), by the person id
    read; *public_id* turns that id into the one the tables carry (masked or pseudonymised)."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for values in rows.iter_rows():
        person = values[0]
        found.setdefault(person, []).append(
            (public_id(person), *(cell(v) for v in values[1:])))
    return found


def merged_cells(engine: Iterable[tuple[Any, ...]], fast: Sequence[tuple[Any, ...]]
                 ) -> list[tuple[Any, ...]]:
    """One person's ``obligations.csv`` rows: the engine's (evaluated without the fast rule
    ids) and the fast path's, in the order a whole-law evaluation gives them; all text or all
    typed."""
    rows = list(engine)
    if fast:
        rows.extend(fast)
        rows.sort(key=lambda r: (r[_DUE], r[_OPENS], r[_RULE], int(r[_SEQUENCE])))
    return rows
