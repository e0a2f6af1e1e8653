"""Many events of one class built at once from columns of their field values, equal to calling
the class on each row's values and in about two thirds of the time (the Arrow reader builds a
block's events of each type this way: :mod:`lab_rules.inputs.eventlog_arrow_rows`).

An attrs class whose ``__init__`` does nothing but set its fields (slots; no validator,
converter, hook, hash cache or field left out of ``__init__``) is built bare
(``object.__new__``) and each field's slot then set a column at a time by the slot's own
descriptor, the setter its ``__init__`` calls once per field and row (a frozen class's
``__init__`` sets its slots past its frozen ``__setattr__`` too). Any other class is called on
each row.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from itertools import repeat
from types import MemberDescriptorType
from typing import Any, TypeVar

import attrs

__all__ = ["built"]

_T = TypeVar("_T")
_NEW = object.__new__
_HOOKS = ("__attrs_pre_init__", "__attrs_post_init__", "_attrs_cached_hash")
_SETTERS: dict[type[Any], tuple[Callable[[Any, Any], None], ...] | None] = {}


def _setters(cls: type[Any]) -> tuple[Callable[[Any, Any], None], ...] | None:
    """Each init field's slot setter in field order, when *cls*'s ``__init__`` only sets its
    fields; else None."""
    if not attrs.has(cls) or "__slots__" not in cls.__dict__ or any(
            hasattr(cls, hook) for hook in _HOOKS):
        return None
    setters = []
    for field in attrs.fields(cls):
        slot = getattr(cls, field.name, None)
        if (not field.init or field.validator is not None or field.converter is not None
                or type(slot) is not MemberDescriptorType):
            return None
        setters.append(slot.__set__)
    return tuple(setters)


def built(cls: type[_T], columns: list[Iterable[object]], size: int) -> list[_T]:
    """*size* instances of *cls*, the nth from the nth value of each of *columns* (one per
    init field, in field order), as ``list(map(cls, *columns))`` builds them."""
    if cls not in _SETTERS:
        _SETTERS[cls] = _setters(cls)
    setters = _SETTERS[cls]
    if setters is None or len(setters) != len(columns):
        return list(map(cls, *columns))
    made: list[_T] = list(map(_NEW, repeat(cls, size)))
    for setter, cells in zip(setters, columns, strict=True):
        deque(map(setter, made, cells), maxlen=0)
    return made
