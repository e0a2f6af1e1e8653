"""The objects that exist when a batch run starts (the modules, the law, the caller's data)
kept out of the garbage collector's full collections while the run lasts.

A run allocates events, timelines and rows by the million; every so often the collector
walks every tracked object, and most of them were there before the run began and outlive it
(about 120,000 for the modules and the law alone). :func:`frozen_heap` moves them to the
collector's permanent generation for the run (:func:`gc.freeze`) and back when it ends
(:func:`gc.unfreeze`), so the full collections walk only what the run made. It changes how
often memory is walked, never what a run computes. A caller that has frozen objects itself
is left as it is.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["frozen_heap"]


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
