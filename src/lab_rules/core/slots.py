"""Frozen attrs classes built by setting their slots directly, and named tuples built without
their class call, for the few result classes a person has many of.

A frozen class's ``__init__`` sets each field through ``object.__setattr__`` by name (about
70 ns a field). A builder that makes the object with ``object.__new__`` and sets each slot
through its descriptor does the same in about half the time. That is right only for a class
whose fields have no default the builder leaves out, no validator, converter or factory, and
that has no ``__attrs_post_init__``; each class built so has a test that pins it
(``tests/test_result_classes_built.py``, ``tests/test_paid_intervals_built.py``).

Named tuples a person makes many of are built the same way, by :data:`new_tuple` with every
field, not by a class call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["new_tuple", "slot_setter"]

T = TypeVar("T")


def slot_setter(cls: type[T], name: str) -> Callable[[T, object], None]:
    """The setter of the slot *name* of *cls* (its descriptor's ``__set__``, bound)."""
    setter: Callable[[T, object], None] = vars(cls)[name].__set__
    return setter


new_tuple = tuple.__new__
"""``new_tuple(Point, (day, detail, rounded))`` builds the named tuple ``Point`` from every
field in order, in about half the time of ``Point(day, detail, rounded)``: a named tuple's
class call runs a Python-level ``__new__`` that does the same. Used where a person makes many
(the contact course's candidates, trace steps and calendar points); each such place gives
every field, defaults included, and the tests pin the tuples' values
(``tests/test_named_tuples_built.py``)."""
