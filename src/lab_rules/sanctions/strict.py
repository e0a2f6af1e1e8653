"""The skærpet rådighedssanktion (LAS § 40 a), shape ``strict_month_share``.

Under the sanction the month's hjælp is the share of its calendar days on which the conditions
were met (stk. 5); a whole calendar month of absence from every activity stops the hjælp and
closes the case, and a spouse's too (stk. 6, outcome ``stop``). It runs from the decision for
the register entry's ``default_length`` unless the decision gives an end, one result per
calendar month. Who is covered, and that an earlier §§ 36-40 sanction is required, are
conditions in data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from lab_rules.calendar import Rounding, add
from lab_rules.inputs.timeline import ConditionsMet, Exemption, StrictSanction, Timeline
from lab_rules.law.rule_texts import Figure
from lab_rules.law.sanction_conditions import SanctionConditions
from lab_rules.law.sanctions import SanctionRule
from lab_rules.sanctions.conditions import exemption_on, reason
from lab_rules.sanctions.counting import ONE_DAY, month_end
from lab_rules.sanctions.hjaelp import MonthlyHjaelp
from lab_rules.sanctions.result import Sanction, Words, unconfirmed
from lab_rules.sanctions.select import KONTANTHJAELP, situation_on

_CENT = Decimal((0, (1,), -2))


def strict_sanctions(timeline: Timeline, strict: StrictSanction, as_of: date,
                     entry: SanctionRule, conditions: SanctionConditions,
                     prior: Sequence[date], policies: tuple[tuple[str, str], ...],
                     exemptions: Sequence[Exemption],
                     hjaelp_of: Callable[[date], MonthlyHjaelp | None]) -> list[Sanction]:
    """One result per calendar month of *strict* up to *as_of*."""
    end = min(strict.end or add(strict.date, entry.duration("default_length"), Rounding.DOWN)
              - ONE_DAY, as_of)
    situation = situation_on(timeline, strict.date)
    group, day = situation.group_value, strict.date
    found = []
    if situation.family != KONTANTHJAELP:
        found.append(reason(conditions, "not_kontanthjaelp", KONTANTHJAELP, group, day))
    else:
        found.append(reason(conditions, "strict_not_covered", KONTANTHJAELP, group, day))
    if not any(d < strict.date for d in prior):
        found.append(reason(conditions, "no_prior_sanction", KONTANTHJAELP, group, day))
    cover = exemption_on(exemptions, strict.date)
    if cover is not None:
        found.append(reason(conditions, "exempted", KONTANTHJAELP, group, day,
                            reason=cover.reason.value, start=cover.start))
    reasons = tuple(r for r in found if r)
    procedure = conditions.procedure(KONTANTHJAELP, strict.date)
    records = timeline.of_type(ConditionsMet)
    out = []
    month = strict.date.replace(day=1)
    while month <= end:
        last_of_month = month_end(month)
        in_month = last_of_month.day
        first, last = max(month, strict.date), min(last_of_month, end)
        covered = [r for r in records if r.start <= last and r.end >= first]
        hjaelp = hjaelp_of(month)
        monthly = hjaelp.amount if hjaelp is not None else None
        notes: list[Words] = list(entry.worded_notes({}))
        met = sum(r.days for r in covered) + in_month - ((last - first).days + 1)
        outcome = None
        amount = deducted = None
        days = in_month - met if covered else 0
        if not covered:
            notes.append(entry.text("no_record"))
        elif first == month and last == last_of_month and met == 0:
            outcome = "stop"
            notes.append(entry.text("stop"))
            if timeline.person.married:
                notes.append(entry.text("spouse"))
            amount = monthly
        elif monthly is not None:
            amount = monthly - monthly * met / in_month
            paid = (monthly * met / in_month).quantize(_CENT, ROUND_HALF_UP)
            notes.append(entry.text("share", met=met, in_month=in_month, paid=Figure(paid)))
        if monthly is None and covered:
            notes.append(entry.text("unknown"))
        if amount is not None and not reasons:
            deducted = amount.quantize(_CENT, ROUND_HALF_UP)
        if entry.confidence.value != "confirmed":
            notes.append(unconfirmed(entry))
        out.append(Sanction(
            "strict_sanction", first, entry.id, entry.basis(outcome), not reasons, reasons,
            days if not reasons else 0, None, None, None,
            amount if not reasons else None, deducted, None, None,
            procedure.consultation if procedure else "", policies, tuple(notes),
            situation.benefit.value if situation.benefit else None, (), None, entry.era,
            entry.confidence.value, entry.source, effective=strict.date, entry=entry.entry,
            shape=entry.shape, outcome=outcome,
            rate_basis=hjaelp.basis if hjaelp is not None and amount is not None else None,
            monthly=monthly))
        month = last_of_month + ONE_DAY
    return out
