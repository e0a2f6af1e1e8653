"""The rule versions that can give a course an obligation at all (``semantics.md`` §8).

A version is in force for a course when it begins by the day its version selector reads (the
day a window opens, bounded by ``as_of`` and the course's end, or ``as_of``) and has not ended
before the course's earliest anchor date. The choice changes only where those days cross a
version's first or last day, so it is remembered per group by where they fall.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date

from lab_rules.facts.clocks import Course
from lab_rules.law.model import Rule, RulePack
from lab_rules.law.policies import Policies, VersionSelector

__all__ = ["rules_for"]


def rules_for(pack: RulePack, course: Course, as_of: date, policy: Policies
              ) -> Sequence[Rule]:
    """The rules that can give this course an obligation at all.

    Every obligation opens on or after its anchor, and no anchor lies before the course's
    earliest anchor date; under the ``opens`` selector it also opens by ``as_of`` and by the
    end of the course.
    """
    earliest = min(d for d in (course.start, course.first_contact, course.registered,
                               course.sickness.first_absence_day if course.sickness else None)
                   if d is not None)
    by_opens = min(as_of, course.end) if course.end is not None else as_of
    chosen = policy.version_selector
    if len(course.groups) == 1:
        return _Versions.of(pack.by_group.get(course.groups[0].group, ())).pick(
            earliest, by_opens, as_of, chosen)
    seen: dict[int, Rule] = {}
    for gs in course.groups:
        for rule in pack.by_group.get(gs.group, ()):
            seen.setdefault(id(rule), rule)
    candidates = sorted(seen.values(), key=lambda r: (r.id, r.valid_from))
    return _in_force(candidates, earliest, by_opens, as_of, chosen)


def _in_force(candidates: Iterable[Rule], earliest: date, by_opens: date, as_of: date,
              chosen: VersionSelector | None) -> list[Rule]:
    """The *candidates* in force from *earliest* and begun by the day the selector reads."""
    if chosen is not None:
        last = by_opens if chosen is VersionSelector.OPENS else as_of
        return [r for r in candidates
                if r.valid_from <= last and (r.valid_to is None or r.valid_to >= earliest)]
    opens = VersionSelector.OPENS
    return [r for r in candidates
            if r.valid_from <= (by_opens if r.selector is opens else as_of)
            and (r.valid_to is None or r.valid_to >= earliest)]


class _Versions:
    """One group's rule versions, with the choice of :func:`_in_force` remembered by where
    its three days fall among the versions' first and last days (the choice changes only
    there): a caseload's persons mostly fall in the same few places. A cache of the law's
    immutable tuples, emptied when it grows; no result depends on it."""

    __slots__ = ("_chosen", "_ends", "_starts", "rules")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self._starts = sorted({r.valid_from for r in rules})
        self._ends = sorted({r.valid_to for r in rules if r.valid_to is not None})
        self._chosen: dict[tuple[int, int, int, VersionSelector | None], tuple[Rule, ...]] = {}

    @classmethod
    def of(cls, rules: tuple[Rule, ...]) -> _Versions:
        found = _VERSIONS.get(id(rules))
        if found is None or found.rules is not rules:
            if len(_VERSIONS) >= 256:
                _VERSIONS.clear()
            found = _VERSIONS[id(rules)] = cls(rules)
        return found

    def pick(self, earliest: date, by_opens: date, as_of: date,
             chosen: VersionSelector | None) -> tuple[Rule, ...]:
        starts = self._starts
        key = (bisect_left(self._ends, earliest), bisect_right(starts, by_opens),
               bisect_right(starts, as_of), chosen)
        found = self._chosen.get(key)
        if found is None:
            found = self._chosen[key] = tuple(_in_force(self.rules, earliest, by_opens,
                                                        as_of, chosen))
        return found


_VERSIONS: dict[int, _Versions] = {}
"""The groups' versions by the identity of the law's tuple (checked on use: an id may be
reused once a law is gone)."""
