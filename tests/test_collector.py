"""A batch run keeps the objects that existed when it started out of the collector's full
collections while it lasts, and gives them back when it ends, however it ends; a caller's own
frozen objects are left as they are."""

from __future__ import annotations

import gc

import pytest

from lab_rules.loops.collector import frozen_heap


def test_frozen_heap_freezes_for_the_block_and_gives_back() -> None:
    assert gc.get_freeze_count() == 0
    with frozen_heap():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    with pytest.raises(ValueError, match="boom"), frozen_heap():
        raise ValueError("boom")
    assert gc.get_freeze_count() == 0


def test_frozen_heap_leaves_a_callers_frozen_objects() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with frozen_heap():
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
