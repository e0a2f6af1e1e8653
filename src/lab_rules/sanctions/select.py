"""Which rule applies to a failure: the person's benefit family and target group on its day,
and the register entry that the family, the failure and its date select.

The kontanthjælp family (kontanthjælp, uddannelseshjælp, overgangsydelse) goes first, then
dagpenge, then sygedagpenge: a person on two benefits is sanctioned under the first. A lapse of
sygedagpenge is always judged under the sygedagpenge rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from lab_rules.core.vocabulary import Benefit, TargetGroup
from lab_rules.facts.failures import Failure
from lab_rules.inputs.timeline import BenefitEnded, BenefitStarted, GroupChanged, Timeline
from lab_rules.law.sanctions import SanctionRule, select

KH_BENEFITS = frozenset({Benefit.KONTANTHJAELP, Benefit.UDDANNELSESHJAELP,
                         Benefit.OVERGANGSYDELSE})
KONTANTHJAELP, DAGPENGE, SYGEDAGPENGE = "kontanthjaelp", "dagpenge", "sygedagpenge"


@attrs.frozen
class Situation:
    """The benefit (None: none) and target group on a day, and the rule family they mean."""

    benefit: Benefit | None
    group: TargetGroup | None
    family: str

    @property
    def group_value(self) -> str | None:
        return self.group.value if self.group is not None else None


def situation_on(timeline: Timeline, day: date) -> Situation:
    """The benefit whose sanction rules apply on *day* and the target group then."""
    running: dict[Benefit, date] = {}
    for event in timeline.events:
        if event.on > day:
            break
        if isinstance(event, BenefitStarted):
            running[event.benefit] = event.date
        elif isinstance(event, BenefitEnded) and event.date < day:
            running.pop(event.benefit, None)
    benefit = next((b for b in running if b in KH_BENEFITS), None)
    if benefit is None:
        benefit = next((b for b in (Benefit.DAGPENGE, Benefit.SYGEDAGPENGE) if b in running),
                       None)
    if benefit is None:
        return Situation(None, None, "")
    group = None
    for event in timeline.events:
        if event.on > day:
            break
        if isinstance(event, GroupChanged) or (
                isinstance(event, BenefitStarted) and event.benefit is benefit):
            group = event.group or group
    family = (KONTANTHJAELP if benefit in KH_BENEFITS
              else DAGPENGE if benefit is Benefit.DAGPENGE else SYGEDAGPENGE)
    return Situation(benefit, group, family)


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
    """The register entry that computes *failure* under *family*'s rules, if any."""
    return select(register, family, failure.failure, failure.kind, failure.cancelled,
                  failure.day)


def part_time(timeline: Timeline, day: date) -> bool:
    """Insured part-time on *day* (the dagpenge benefit's latest start says so)."""
    starts = [b for b in timeline.of_type(BenefitStarted)
              if b.benefit is Benefit.DAGPENGE and b.date <= day]
    return bool(starts and starts[-1].part_time)


def sdp_forloeb_start(timeline: Timeline, day: date) -> date | None:
    """The start of the sygedagpengeforløb running on *day*."""
    starts = [b.date for b in timeline.of_type(BenefitStarted)
              if b.benefit is Benefit.SYGEDAGPENGE and b.date <= day]
    return max(starts) if starts else None
