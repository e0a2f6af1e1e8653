"""What a shape needs besides its entry and the failure: the day of knowledge, the policies,
the earlier failures it counts and whether the person is insured part-time.

Earlier failures are indexed by kind and day (:class:`Priors`), so a shape that counts the
failures of a kind within a window reads them by a binary search instead of scanning every
earlier failure: a person with many failures costs time in proportion, not its square.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date

import attrs

from lab_rules.facts.failures import Failure
from lab_rules.law.policies import Policies


@attrs.define
class Priors:
    """The failures seen so far, by kind, in day order: the unexcused ones (a step of a
    ladder, a repeat, a reminder count) and all of them (the lapses of a sygedagpengeforløb)."""

    _days: dict[str, list[date]] = attrs.field(factory=dict)
    _unexcused: dict[str, list[Failure]] = attrs.field(factory=dict)
    _all_days: dict[str, list[date]] = attrs.field(factory=dict)
    _all: dict[str, list[Failure]] = attrs.field(factory=dict)

    def add(self, failure: Failure, counted: bool = True) -> None:
        """Record *failure* after it was judged (failures come in day order). A failure on a
        day of exemption breaches no duty (LAB § 106; bek. om en aktiv beskæftigelsesindsats
        § 17, stk. 3 until 2019): without *counted* it is no step, repeat or miss of a tally."""
        kind = failure.failure
        self._all_days.setdefault(kind, []).append(failure.day)
        self._all.setdefault(kind, []).append(failure)
        if counted and not failure.excuse:
            self._days.setdefault(kind, []).append(failure.day)
            self._unexcused.setdefault(kind, []).append(failure)

    def unexcused(self, kind: str, after: date) -> Sequence[Failure]:
        """The earlier unexcused failures of *kind* on a day after *after*."""
        days = self._days.get(kind, [])
        return self._unexcused[kind][bisect_right(days, after):] if days else ()

    def since(self, kind: str, first: date) -> Sequence[Failure]:
        """The earlier failures of *kind*, excused or not, on *first* or later."""
        days = self._all_days.get(kind, [])
        return self._all[kind][bisect_left(days, first):] if days else ()


@attrs.frozen
class Context:
    as_of: date
    policies: Policies
    priors: Priors = attrs.field(factory=Priors)
    """The failures judged before this one (read at once: it grows as the loop goes on)."""
    part_time: bool = False
    forloeb_start: date | None = None
    """Sygedagpenge: the first day of the forløb running on the failure's day."""
