"""Exemptions that hold in law: an exemption for a documented start (a job, fleksjob, barsel or
a pension) exempts only when that start is within the period the exemption rule in force
allows (LAB § 106, stk. 1, nr. 1; § 21 f before 2020: 6 weeks), and only until it starts.
The period, its legal basis and validity are data (``rules/parameters/fritagelser.toml``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import attrs

from lab_rules.calendar import Rounding, add
from lab_rules.core.messages import Message, Said
from lab_rules.inputs.timeline import Exemption
from lab_rules.law.exemptions import ExemptionRule


def lawful_exemptions(exemptions: Iterable[Exemption], rules: Iterable[ExemptionRule]
                      ) -> tuple[tuple[Exemption, ...], tuple[Message, ...]]:
    """The exemptions that hold (cut to end the day before a documented start), and a note
    for each one that does not, naming the rule that decided it."""
    rules = tuple(rules)
    kept: list[Exemption] = []
    notes: list[Message] = []
    for exemption in exemptions:
        lapsing = [r for r in rules if r.lapses and r.reason is exemption.reason]
        if lapsing:
            held = _while_in_force(exemption, lapsing)
            if held is not exemption:
                notes.append(_lapsed(exemption, held, lapsing))
            if held is None:
                continue
            exemption = held
        starts = exemption.documented_start
        rule = next((r for r in rules if r.reason is exemption.reason and not r.lapses
                     and r.covers(exemption.start)), None)
        if rule is not None and starts is not None and rule.documented_start_within:
            latest = add(exemption.start, rule.documented_start_within, Rounding.DOWN)
            if starts > latest:
                notes.append(ignored(exemption, rule))
                continue
            last = starts - timedelta(days=1)
            if exemption.end is None or exemption.end > last:
                exemption = attrs.evolve(exemption, end=last)
        kept.append(exemption)
    return tuple(kept), tuple(notes)


def _while_in_force(exemption: Exemption, rules: list[ExemptionRule]) -> Exemption | None:
    """The part of *exemption* inside the first provision in force that names its reason, or
    None if no day of it is."""
    for rule in rules:
        assert rule.valid_to is not None
        first = max(exemption.start, rule.valid_from)
        last = rule.valid_to if exemption.end is None else min(exemption.end, rule.valid_to)
        if first <= last:
            if first == exemption.start and last == exemption.end:
                return exemption
            return attrs.evolve(exemption, start=first, end=last)
    return None


def _lapsed(exemption: Exemption, held: Exemption | None, rules: list[ExemptionRule]
            ) -> Message:
    rule = rules[0]
    if held is None:
        return Message("exemptions.lapsed", start=exemption.start, reason=exemption.reason,
                       valid_from=rule.valid_from, valid_to=rule.valid_to,
                       basis=rule.legal_basis, rule=rule.id)
    return Message("exemptions.cut", start=exemption.start, reason=exemption.reason,
                   valid_from=held.start, valid_to=held.end, basis=rule.legal_basis,
                   rule=rule.id)


def ignored(exemption: Exemption, rule: ExemptionRule) -> Message:
    """Why *exemption* does not hold under *rule*: its documented start is too late (the
    period in words for Danish, as the rule file writes it for English)."""
    within = rule.documented_start_within
    assert within is not None
    return Message("exemptions.ignored", start=exemption.start,
                   documented=exemption.documented_start, within=Said(within.describe("da"),
                                                                       str(within)),
                   basis=rule.legal_basis, rule=rule.id)
