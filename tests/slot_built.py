"""Checks shared by the tests of classes built by their slots' setters
(:mod:`lab_rules.core.slots`): the class is plain enough to be built so, and an object so built
is the one the class's own ``__init__`` gives."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

_FACTORY: type = type(attrs.Factory(list))


def plain(cls: Any) -> bool:
    """No field of *cls* has a validator, converter or factory, and it has no post-init."""
    return (all(f.validator is None and f.converter is None
                and not isinstance(f.default, _FACTORY)
                for f in attrs.fields(cls))
            and "__attrs_post_init__" not in vars(cls))


def same_as_init(built: Any, cls: Any) -> None:
    """*built* equals the object ``cls(...)`` builds from its fields (in value, repr and, where
    its fields hash, hash), has no ``__dict__`` and is frozen."""
    expected = cls(**attrs.asdict(built, recurse=False))
    assert type(built) is cls
    assert built == expected
    assert repr(built) == repr(expected)
    try:
        expected_hash = hash(expected)
    except TypeError:
        pass
    else:
        assert hash(built) == expected_hash
    assert not hasattr(built, "__dict__")
    field = attrs.fields(cls)[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(built, field, getattr(built, field))


def lands_in_fields(builder: Any, cls: Any, values: tuple[object, ...]) -> None:
    """*builder* given *values* (one per field of *cls*, no two equal) puts each in its own
    field, as ``cls(*values)`` does."""
    assert len(values) == len(attrs.fields(cls))
    assert all(a != b for i, a in enumerate(values) for b in values[i + 1:])
    built = builder(*values)
    assert attrs.astuple(built, recurse=False) == values
    assert built == cls(*values)
    same_as_init(built, cls)
