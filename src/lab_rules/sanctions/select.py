"""Which rule applies to a failure: the person's benefit family and target group on its day,
and the register entry that the family, the failure and its date select.

The kontanthjælp family (kontanthjælp, uddannelseshjælp, overgangsydelse) goes first, then
dagpenge, then sygedagpenge: a person on two benefits is sanctioned under the first. A lapse of
sygedagpenge is always judged under the sygedagpenge rules.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from typing import cast

import attrs

from lab_rules.core.vocabulary import Benefit, TargetGroup
from lab_rules.facts.failures import Failure
from lab_rules.inputs.timeline import BenefitEnded, BenefitStarted, GroupChanged, Timeline
from lab_rules.law.params import kept
from lab_rules.law.sanctions import SanctionRule, select

KH_BENEFITS = frozenset({Benefit.KONTANTHJAELP, Benefit.UDDANNELSESHJAELP,
                         Benefit.OVERGANGSYDELSE})
KONTANTHJAELP, DAGPENGE, SYGEDAGPENGE = "kontanthjaelp", "dagpenge", "sygedagpenge"
_DAGPENGE, _SYGEDAGPENGE = Benefit.DAGPENGE, Benefit.SYGEDAGPENGE


@attrs.frozen
class Situation:
    """The benefit (None: none) and target group on a day, and the rule family they mean."""

    benefit: Benefit | None
    group: TargetGroup | None
    family: str

    @property
    def group_value(self) -> str | None:
        return self.group.value if self.group is not None else None


@attrs.define
class Situations:
    """The benefit and target-group events of a timeline, swept once in day order: asking
    for the situation on later and later days (as the sanctions do, failure by failure)
    applies each event once, so many failures cost time in proportion, not its square. An
    earlier day than the last one asked starts the sweep again."""

    markers: tuple[BenefitStarted | BenefitEnded | GroupChanged, ...]
    days: tuple[date, ...]
    _applied: int = 0
    _running: dict[Benefit, date] = attrs.field(factory=dict)
    _group_change: tuple[int, TargetGroup] | None = None
    _start_group: dict[Benefit, tuple[int, TargetGroup]] = attrs.field(factory=dict)
    _last: date | None = None

    @classmethod
    def of(cls, timeline: Timeline) -> Situations:
        """The sweep over *timeline*'s benefit and group events, in timeline order (the order
        :meth:`~lab_rules.inputs.timeline.Timeline.of_types` keeps)."""
        markers = cast(tuple[BenefitStarted | BenefitEnded | GroupChanged, ...],
                       tuple(timeline.of_types(BenefitStarted, BenefitEnded, GroupChanged)))
        return cls(markers, tuple(e.on for e in markers))

    def _apply(self, index: int, running: dict[Benefit, date], *, ends: bool) -> None:
        event = self.markers[index]
        if isinstance(event, BenefitStarted):
            running[event.benefit] = event.date
            if event.group is not None:
                self._start_group[event.benefit] = (index, event.group)
        elif isinstance(event, BenefitEnded):
            if ends:
                running.pop(event.benefit, None)
        elif event.group is not None:
            self._group_change = (index, event.group)

    def on(self, day: date) -> Situation:
        """The benefit whose sanction rules apply on *day* and the target group then."""
        if self._last is not None and day < self._last:
            self._applied, self._running, self._group_change = 0, {}, None
            self._start_group = {}
        self._last = day
        while self._applied < len(self.markers) and self.days[self._applied] < day:
            self._apply(self._applied, self._running, ends=True)
            self._applied += 1
        running = dict(self._running)
        saved = (self._group_change, dict(self._start_group))
        for index in range(self._applied, bisect_right(self.days, day)):
            self._apply(index, running, ends=False)
        group_change, start_group = self._group_change, self._start_group
        self._group_change, self._start_group = saved
        benefit = next((b for b in running if b in KH_BENEFITS), None)
        if benefit is None:
            benefit = next((b for b in (_DAGPENGE, _SYGEDAGPENGE)
                            if b in running), None)
        if benefit is None:
            return Situation(None, None, "")
        started = start_group.get(benefit)
        latest = (started if group_change is None
                  else group_change if started is None or group_change[0] >= started[0]
                  else started)
        group = latest[1] if latest is not None else None
        family = (KONTANTHJAELP if benefit in KH_BENEFITS
                  else DAGPENGE if benefit is _DAGPENGE else SYGEDAGPENGE)
        return Situation(benefit, group, family)


def situation_on(timeline: Timeline, day: date) -> Situation:
    """The benefit whose sanction rules apply on *day* and the target group then (for one
    day; for many, build :class:`Situations` once)."""
    return Situations.of(timeline).on(day)


def rule_family(failure: Failure, situation: Situation) -> str:
    """The family whose rules judge *failure*: sygedagpenge for a lapse of sygedagpenge; the
    kontanthjælp rules when the person is on no benefit (they then give the reason)."""
    if failure.failure == "sdp_cessation":
        return SYGEDAGPENGE
    if situation.family == DAGPENGE:
        return DAGPENGE
    return KONTANTHJAELP


def entry_for(register: Sequence[SanctionRule], family: str,
              failure: Failure) -> SanctionRule | None:
    """The register entry that computes *failure* under *family*'s rules, if any: what
    :func:`~lab_rules.law.sanctions.select` gives (the first of the most specific), read among
    the entries of the family and the failure (a law's register is indexed by them once)
    instead of the whole register."""
    if not isinstance(register, tuple):
        return select(register, family, failure.failure, failure.kind, failure.cancelled,
                      failure.day)
    found: SanctionRule | None = None
    for entry in _by_family_failure(register).get((family, failure.failure), ()):
        if entry.covers(failure.day) and entry.matches(family, failure.failure, failure.kind,
                                                       failure.cancelled) and (
                found is None or entry.specificity > found.specificity):
            found = entry
    return found


@kept
def _by_family_failure(register: tuple[SanctionRule, ...]
                       ) -> dict[tuple[str, str], tuple[SanctionRule, ...]]:
    """The entries of each (family, failure), in register order."""
    found: dict[tuple[str, str], list[SanctionRule]] = {}
    for entry in register:
        for failure in dict.fromkeys(entry.failures):
            found.setdefault((entry.family, failure), []).append(entry)
    return {key: tuple(entries) for key, entries in found.items()}


def part_time(timeline: Timeline, day: date) -> bool:
    """Insured part-time on *day* (the dagpenge benefit's latest start says so)."""
    starts = [b for b in timeline.of_type(BenefitStarted)
              if b.benefit is _DAGPENGE and b.date <= day]
    return bool(starts and starts[-1].part_time)


def sdp_forloeb_start(timeline: Timeline, day: date) -> date | None:
    """The start of the sygedagpengeforløb running on *day*."""
    starts = [b.date for b in timeline.of_type(BenefitStarted)
              if b.benefit is _SYGEDAGPENGE and b.date <= day]
    return max(starts) if starts else None
