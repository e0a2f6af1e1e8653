"""Which rules the columnar fast path (:mod:`lab_rules.loops.columnar`) may evaluate, and the
law the engine evaluates beside it.

A rule qualifies when its result is a pure function of a few dates: one obligation
(``first_within``, ``count = 1``, no repeat) on the contiguous clock with no excluded periods,
anchored on the course start, the registration, the first contact or the group entry, opening
at the anchor, fulfilled by a held conversation, with no løntilskud grace and no
after-exemption period, conditions (if any) only on age, education, custody and job prospects,
and named by no refund-loss entry (a loss is computed from the engine's obligations). Every
version of a rule id must qualify, so a (person, rule id) pair goes through one path only.
Exemptions, no-shows and group changes are facts of a person: the fast path models a waiving
exemption and sends the other cases to the engine (:mod:`lab_rules.loops.columnar`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from lab_rules.law.bundle import Law
from lab_rules.law.model import (
    Anchor,
    Clock,
    Conditions,
    FulfilledBy,
    Rule,
    RulePack,
    Shape,
)
from lab_rules.law.policies import Policies

__all__ = ["EngineLaws", "engine_law", "fast_rules", "policies_of", "why_not"]

FAST_ANCHORS = frozenset({Anchor.COURSE_START, Anchor.REGISTERED, Anchor.FIRST_CONTACT,
                          Anchor.GROUP_ENTRY})
"""Anchors that are a single date of a course the fast path derives from the log."""


def _conditions_modelled(conditions: Conditions | None) -> bool:
    return conditions is None or (not conditions.categories and conditions.employed is None
                                  and conditions.hard_to_place is None
                                  and conditions.dimittend is None
                                  and conditions.employer_sector is None)


def why_not(rule: Rule, law: Law) -> str | None:
    """Why this rule version cannot take the fast path, or None if it can."""
    checks = (
        (rule.shape is Shape.FIRST_WITHIN, f"shape {rule.shape.value}"),
        (rule.clock is Clock.CONTIGUOUS, f"clock {rule.clock.value}"),
        (rule.anchor in FAST_ANCHORS, f"anchor {rule.anchor.value}"),
        (not rule.excluded_periods, "excluded periods"),
        (rule.opens_after is None and rule.opens_anchor is None, "a later opening"),
        (rule.count == 1 and rule.repeat is None, "several obligations"),
        (rule.duration is not None, "no duration"),
        (rule.loentilskud_grace is None and rule.after_exemption is None,
         "løntilskud grace or after-exemption period"),
        (not rule.fulfilled_by.form_exceptions, "exceptions to the form"),
        (not any(r.lapses and r.reason in rule.exemptions for r in law.exemption_rules),
         "an exemption reason that lapses"),
        (rule.fulfilled_by.event is FulfilledBy.CONVERSATION_HELD,
         f"fulfilled by {rule.fulfilled_by.event.value}"),
        (_conditions_modelled(rule.when) and _conditions_modelled(rule.unless),
         "conditions on sickness category, employment or facts of offers"),
        (not any(rule.id in loss.rules for loss in law.losses.losses),
         "a refund-loss entry reads its obligations"),
    )
    failed = [reason for ok, reason in checks if not ok]
    return "; ".join(failed) if failed else None


def fast_rules(law: Law, policies: Policies | Mapping[str, str] | Iterable[str] | None = None
               ) -> tuple[Rule, ...]:
    """Every version of every rule id whose versions all qualify, in the pack's order.

    *policies* do not change which rules qualify (a no-show under any policy sends the person
    to the engine); they are accepted so a caller states the run it asks about."""
    del policies
    rules = law.rules.rules
    refused = {rule.id for rule in rules if why_not(rule, law) is not None}
    return tuple(rule for rule in rules if rule.id not in refused)


def policies_of(law: Law, policies: Policies | Mapping[str, str] | Iterable[str] | None
                ) -> Policies:
    """The policies an evaluation of *law* runs under, as ``evaluate`` resolves them."""
    if isinstance(policies, Policies):
        return policies
    return Policies.parse(policies, law.rules.policies)


def engine_law(law: Law, without: Iterable[str]) -> Law:
    """*law* without the rule ids *without*, for the engine beside the fast path.

    The coverage (which group has a rule on which day, issue 13) stays that of the whole law:
    the rules the fast path evaluates still cover their days, so no ``not_covered`` row
    appears where they apply."""
    dropped = frozenset(without)
    pack = law.rules
    modules = tuple(attrs.evolve(m, rules=tuple(r for r in m.rules if r.id not in dropped))
                    for m in pack.modules)
    reduced = RulePack(pack.name, modules, pack.overlays, pack.policies,
                       pack.withdrawn_sanctions)
    engine = attrs.evolve(law, rules=reduced)
    object.__setattr__(engine, "coverage", law.coverage)
    return engine


@attrs.define
class EngineLaws:
    """The engine's law per set of rule ids the fast path handled for a person (a run has a
    handful of such sets; each reduced law is made once)."""

    law: Law
    _made: dict[frozenset[str], Law] = attrs.field(factory=dict)

    def without(self, rule_ids: Iterable[str]) -> Law:
        key = frozenset(rule_ids)
        if not key:
            return self.law
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = engine_law(self.law, key)
        return found
