"""Why a failure may not be sanctioned: the conditions of the register's condition file
(kind ``sanction_conditions``) checked against the failure and the person's situation.

Each named test is checked here; whether it applies to the family, the target group and the
failure's day, and the reason's text with its legal basis, come from the data.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date

import attrs

from lab_rules.core.vocabulary import ExemptionReason
from lab_rules.facts.failures import Failure
from lab_rules.inputs.timeline import Exemption
from lab_rules.law.params import kept
from lab_rules.law.rule_texts import Worded
from lab_rules.law.sanction_conditions import SanctionCondition, SanctionConditions
from lab_rules.sanctions.select import KONTANTHJAELP, SYGEDAGPENGE, Situation

EXEMPTING = frozenset({ExemptionReason.MINDRE_INTENSIV_INDSATS, ExemptionReason.BARSEL,
                       ExemptionReason.SYGDOM, ExemptionReason.FERIE,
                       ExemptionReason.RIMELIG_GRUND})
"""Exemptions that suspend the duty a failure breaches."""


def reason(conditions: SanctionConditions, test: str, family: str, group: str | None,
           on: date, /, **values: object) -> Worded | None:
    """The reason text of *test*, when a condition applies to *family*, *group* on *on*: the
    first that :meth:`SanctionConditions.condition` finds, looked for among the conditions of
    the test, family and group alone (indexed once per condition set)."""
    by_kind = _new_index(conditions)
    candidates = by_kind.get((test, family, group))
    if candidates is None:  # those that apply on their own first day: all but the day
        candidates = by_kind[test, family, group] = tuple(
            c for c in conditions.conditions if c.applies(test, family, group, c.valid_from))
    for condition in candidates:
        if condition.covers(on):
            return condition.reason(**values)
    return None


@kept
def _new_index(conditions: SanctionConditions
               ) -> dict[tuple[str, str, str | None], tuple[SanctionCondition, ...]]:
    """An empty index of *conditions* by test, family and group, each key's conditions in
    the order of the condition file (filled as keys are asked for)."""
    return {}


@attrs.frozen
class Exemptions:
    """The exemptions that suspend duties, in timeline order (by start), with the latest end
    reached so far at each, so the first one covering a day is a binary search."""

    exemptions: tuple[Exemption, ...]
    reach: tuple[date, ...]

    @classmethod
    def of(cls, exemptions: Sequence[Exemption]) -> Exemptions:
        kept = tuple(e for e in exemptions if e.reason in EXEMPTING)
        reach: list[date] = []
        for exemption in kept:
            end = exemption.end if exemption.end is not None else date.max
            reach.append(max(end, reach[-1]) if reach else end)
        return cls(kept, tuple(reach))

    def on(self, day: date) -> Exemption | None:
        """The first exemption (in timeline order) that covers *day*, if any."""
        index = bisect_left(self.reach, day)
        if index < len(self.exemptions) and self.exemptions[index].covers(day):
            return self.exemptions[index]
        return None


def exemption_on(exemptions: Sequence[Exemption] | Exemptions, day: date) -> Exemption | None:
    """The first exemption that suspends the duty on *day*, if any."""
    index = exemptions if isinstance(exemptions, Exemptions) else Exemptions.of(exemptions)
    return index.on(day)


def why_not(conditions: SanctionConditions, failure: Failure, situation: Situation,
            guidance: Sequence[date], exemptions: Sequence[Exemption] | Exemptions
            ) -> list[Worded]:
    """The reasons *failure* may not be sanctioned (empty: it may); *guidance* in day order."""
    family, group, day = situation.family, situation.group_value, failure.day
    found: list[Worded | None] = []
    if failure.excuse:
        found.append(reason(conditions, "excuse", family, group, day, excuse=failure.excuse))
    guided = bool(guidance) and guidance[0] <= day
    if failure.failure == "sdp_cessation":
        if not guided:
            found.append(reason(conditions, "no_orientation", SYGEDAGPENGE, group, day))
        return [r for r in found if r]
    if situation.benefit is None:
        found.append(reason(conditions, "not_on_benefit", family, group, day))
    elif family == SYGEDAGPENGE:
        found.append(reason(conditions, "on_sygedagpenge", family, group, day))
    if family == KONTANTHJAELP:
        if failure.contact_attempted is not True:
            found.append(reason(conditions, "contact_not_attempted", family, group, day))
        if failure.promotes_availability is not True:
            found.append(reason(conditions, "no_assessment", family, group, day))
        if not guided:
            found.append(reason(conditions, "no_guidance", family, group, day))
    cover = exemption_on(exemptions, day)
    if cover is not None:
        found.append(reason(conditions, "exempted", family, group, day,
                            reason=cover.reason.value, start=cover.start))
    return [r for r in found if r]


def weak_guidance(conditions: SanctionConditions, failure: Failure, situation: Situation,
                  insufficient: Sequence[date], reasons: Sequence[object]) -> Worded | None:
    """When the missing guidance is a reason and guidance was given that did not state the
    concrete consequence: the reason that says so (*insufficient* in day order)."""
    weak = bisect_right(insufficient, failure.day)
    if not weak:
        return None
    missing = reason(conditions, "no_guidance", situation.family, situation.group_value,
                     failure.day)
    if missing is None or missing not in reasons:
        return None
    return reason(conditions, "weak_guidance", situation.family, situation.group_value,
                  failure.day, day=insufficient[weak - 1])
