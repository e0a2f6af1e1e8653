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
lasts. A batch person makes no cyclic garbage (a run of 600 persons with the collector off
leaves 33 unreachable objects, all the run's own): its objects die by their reference counts,
and a collection only walks what is alive. What is alive is mostly made ahead of use: a block of
the log read at once is a few thousand persons' events and rows, some 100,000 tracked objects
that live until their persons are evaluated. A collection every 700 new objects (Python's
default) walked each of them many times and moved them to the older generations, until full
collections walked everything the run holds (8 for 6,000 persons, about 60 µs a person); every
10,000 new objects, each was still walked about twice (90 young and 7 middle collections for
6,000 persons, some 50 µs a person). Every :data:`YOUNG_OBJECTS` new objects, a block is walked
about once, and the middle generation is not reached: 12 collections for 6,000 persons, 2.4 %
fewer instructions per batch person than every 10,000, as many as with the collector off
(cachegrind). Cyclic garbage, which only unusual input could make, is still collected, at most
that many objects late.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["YOUNG_OBJECTS", "fewer_young_collections", "frozen_heap"]

YOUNG_OBJECTS = 200_000
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
