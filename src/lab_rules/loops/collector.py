"""The objects that exist when a batch run starts (the modules, the law, the caller's data)
kept out of the garbage collector's full collections while the run lasts.

A run allocates events, timelines and rows by the million; every so often the collector
walks every tracked object, and most of them were there before the run began and outlive it
(about 120,000 for the modules and the law alone). :func:`frozen_heap` moves them to the
collector's permanent generation for the run (:func:`gc.freeze`) and back when it ends
(:func:`gc.unfreeze`), so the full collections walk only what the run made. It changes how
often memory is walked, never what a run computes. A caller that has frozen objects itself
is left as it is.

:func:`fewer_young_collections` has the youngest generation collected less often while a run
lasts: a person's reading, evaluation and rows make a few hundred objects that die together,
and a collection every 700 new objects (Python's default) catches many of them alive, so the
older generations fill with them until a full collection walks everything the run holds (8
full collections for 6,000 persons, about 60 µs a person of CPU).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["YOUNG_OBJECTS", "fewer_young_collections", "frozen_heap"]

YOUNG_OBJECTS = 10_000
"""New objects between two collections of the youngest generation while a run lasts."""


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """The objects tracked now are left out of collections until the block ends."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class _Runs:
    """The runs under :func:`fewer_young_collections` now, and the thresholds before the first:
    the thresholds are the process's, so runs that overlap (two threads) share one change,
    made by the first to begin and undone by the last to end."""

    lock = threading.Lock()
    count = 0
    before: tuple[int, int, int] = (0, 0, 0)


@contextlib.contextmanager
def fewer_young_collections() -> Iterator[None]:
    """While the block lasts, the youngest generation is collected after
    :data:`YOUNG_OBJECTS` new objects, unless its threshold is higher already; a collector
    switched off by a threshold of 0 stays off. The older generations' thresholds are left as
    they are. When the last overlapping block ends, the thresholds are given back as they were
    before the first began. Workers forked in the block inherit it."""
    with _Runs.lock:
        if not _Runs.count:
            _Runs.before = gc.get_threshold()
            young, *older = _Runs.before
            if young:
                gc.set_threshold(max(young, YOUNG_OBJECTS), *older)
        _Runs.count += 1
    try:
        yield
    finally:
        with _Runs.lock:
            _Runs.count -= 1
            if not _Runs.count:
                gc.set_threshold(*_Runs.before)
