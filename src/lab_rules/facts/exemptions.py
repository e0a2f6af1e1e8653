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
        starts = exemption.documented_start
        rule = next((r for r in rules if r.reason is exemption.reason
                     and r.covers(exemption.start)), None)
        if rule is not None and starts is not None:
            latest = add(exemption.start, rule.documented_start_within, Rounding.DOWN)
            if starts > latest:
                notes.append(ignored(exemption, rule))
                continue
            last = starts - timedelta(days=1)
            if exemption.end is None or exemption.end > last:
                exemption = attrs.evolve(exemption, end=last)
        kept.append(exemption)
    return tuple(kept), tuple(notes)


def ignored(exemption: Exemption, rule: ExemptionRule) -> Message:
    """Why *exemption* does not hold under *rule*: its documented start is too late (the
    period in words for Danish, as the rule file writes it for English)."""
    within = rule.documented_start_within
    return Message("exemptions.ignored", start=exemption.start,
                   documented=exemption.documented_start, within=Said(within.describe("da"),
                                                                       str(within)),
                   basis=rule.legal_basis, rule=rule.id)
