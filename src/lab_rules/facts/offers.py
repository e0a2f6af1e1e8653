"""Offers as runs: each ``offer_started`` with its own ``offer_ended`` and ``offer_extended``.

A run is matched by ``ref`` where the events carry one; otherwise an offer takes the first
unused ``offer_ended`` of its kind without a ref on or after its start (a named reading: two
offers of one kind that overlap end in the order they started), and an extension belongs to
the offer with its ref, else to the latest offer of its kind that runs on the day it was
decided. The longest length of an offer and the
repeat offers that run from its end are computed from these runs.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from lab_rules.core.messages import text
from lab_rules.core.vocabulary import OfferKind
from lab_rules.inputs.timeline import OfferEnded, OfferExtended, OfferStarted, Timeline

__all__ = ["OfferRun", "offer_runs"]


class OfferRun(NamedTuple):
    """One offer: its start, its end if recorded, and its extensions in date order."""

    started: OfferStarted
    ended: OfferEnded | None = None
    extensions: tuple[OfferExtended, ...] = ()

    @property
    def start(self) -> date:
        return self.started.date

    @property
    def end(self) -> date | None:
        return self.ended.date if self.ended is not None else None

    @property
    def kind(self) -> OfferKind:
        return self.started.offer

    def describe(self, lang: str = "en") -> str:
        ref = text("contact.offer.ref", lang, ref=self.started.ref) if self.started.ref else ""
        return text("contact.offer.run", lang, kind=self.kind.value, start=self.start, ref=ref)


def _end_of(started: OfferStarted, ends: list[OfferEnded], used: set[int], by_ref: bool
            ) -> OfferEnded | None:
    """The first unused end on or after *started*: with its ``ref`` (*by_ref*), else one of
    its kind that carries no ref."""
    for index, end in enumerate(ends):
        if index in used or end.date < started.date:
            continue
        if (end.ref is not None and end.ref == started.ref if by_ref
                else end.ref is None and end.offer is started.offer):
            used.add(index)
            return end
    return None


def _owner(extension: OfferExtended, runs: list[OfferRun]) -> int | None:
    if extension.ref is not None:
        return next((i for i, r in enumerate(runs) if r.started.ref == extension.ref), None)
    running = [i for i, r in enumerate(runs)
               if r.kind is extension.offer and r.start <= extension.date
               and (r.end is None or extension.date <= r.end)]
    return running[-1] if running else None


def offer_runs(timeline: Timeline) -> tuple[OfferRun, ...]:
    """Every offer of *timeline* as a run, in the order the offers started."""
    starts = timeline.of_type(OfferStarted)
    if not starts:
        return ()
    ends = list(timeline.of_type(OfferEnded))
    used: set[int] = set()
    by_ref = [_end_of(s, ends, used, True) if s.ref is not None else None for s in starts]
    runs = [OfferRun(started, found or _end_of(started, ends, used, False))
            for started, found in zip(starts, by_ref, strict=True)]
    extended: dict[int, list[OfferExtended]] = {}
    for extension in timeline.of_type(OfferExtended):
        owner = _owner(extension, runs)
        if owner is not None:
            extended.setdefault(owner, []).append(extension)
    return tuple(run._replace(extensions=tuple(extended.get(i, ()))) if i in extended else run
                 for i, run in enumerate(runs))
