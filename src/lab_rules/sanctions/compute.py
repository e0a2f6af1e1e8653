"""Sanctions: what a failure costs the citizen, and whether it may.

For each failure in the facts (:mod:`lab_rules.facts.failures`) the benefit the person was on
that day picks the family of rules (kontanthjælp family: LAS §§ 36-41; dagpenge: ALF, RÅD-DP,
SFL; sygedagpenge: SDPL § 21), and the family, the failure and its date select one entry of the
sanction register (kind ``sanction_rules``). The entry's *shape* computes the days or the
consequence; for kontanthjælp its *amount* method, the dated rate table (kind
``sanction_rates``) and the person's monthly hjælp (kind ``hjaelp_rates``, else the month's
payments) give the kroner, capped per calendar month (LAS § 35, stk. 4); the conditions (kind
``sanction_conditions``) say why a failure may not be sanctioned and what the decision requires.
No entry for a failure is a gap, reported as such, never guessed. Every result names its entry.

Counting questions the law leaves open are policies: ``sanction_contact_day``,
``sanction_days`` and ``sanction_deadline`` (LAS § 35, stk. 3). The 225-hour rule is
:mod:`lab_rules.entitlements.hours_rule`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from lab_rules.core.messages import Message
from lab_rules.core.vocabulary import RateCategory
from lab_rules.facts.facts import Facts
from lab_rules.facts.failures import Failure
from lab_rules.inputs.timeline import Payment, StrictSanction, Timeline, WrittenGuidance
from lab_rules.law.bundle import Law
from lab_rules.law.model import Confidence
from lab_rules.law.params import in_force_on, kept
from lab_rules.law.policies import Policies, SanctionCap
from lab_rules.law.sanction_conditions import SanctionConditions, SanctionProcedure
from lab_rules.law.sanction_rates import RateTable, table_on
from lab_rules.law.sanctions import SanctionRule, select
from lab_rules.sanctions.amounts import amount_of, cap, last_deduction, month_key
from lab_rules.sanctions.conditions import Exemptions, reason, weak_guidance, why_not
from lab_rules.sanctions.context import Context, Priors
from lab_rules.sanctions.hjaelp import (
    PAYMENTS,
    RATE_TABLE,
    KhPayments,
    MonthlyHjaelp,
    monthly_hjaelp,
)
from lab_rules.sanctions.result import Applied, Sanction, Words, confidence_words, unconfirmed
from lab_rules.sanctions.select import (
    DAGPENGE,
    KONTANTHJAELP,
    SYGEDAGPENGE,
    Situations,
    entry_for,
    part_time,
    rule_family,
    sdp_forloeb_start,
)
from lab_rules.sanctions.shapes import SHAPE_FUNCTIONS
from lab_rules.sanctions.shapes_days import values_of
from lab_rules.sanctions.strict import strict_sanctions

__all__ = ["Sanction", "compute_sanctions"]

_STRICT = "strict_sanction"
EXEMPT = "exempt"
"""The outcome (and the register text) of a failure on a day an exemption covers, for the
entries whose tally exempt time pauses: not counted, not sanctioned, and the text says why."""
RATE, PAID = "rate", "paid"
_CONFIRMED, _VOKSEN, _CAP_PAID = Confidence.CONFIRMED, RateCategory.VOKSEN, SanctionCap.PAID
_CONFIRMED_WORD = Confidence.CONFIRMED.value


def _category(timeline: Timeline, day: date, adult_from: int | None) -> RateCategory | None:
    """The rate category of the payment covering *day*; failing that, adult rates from the
    rate table's ``adult_from_age``."""
    for payment in timeline.of_type(Payment):
        if payment.start <= day <= payment.end and payment.rate_category is not None:
            return payment.rate_category
    age = timeline.person.age_on(day)
    adult = age is not None and adult_from is not None and age >= adult_from
    return _VOKSEN if adult else None


def _basis_notes(wanted: str, hjaelp: MonthlyHjaelp) -> list[Words]:
    if wanted == RATE and hjaelp.basis == PAYMENTS:
        return [Message("sanctions.note.rate_unknown")]
    if hjaelp.basis == RATE_TABLE and hjaelp.confidence != _CONFIRMED_WORD:
        return [Message("sanctions.note.rate_confidence", source=hjaelp.source or "",
                        confidence=confidence_words(hjaelp.confidence))]
    return []


@kept
def _sanction_policies(policies: Policies) -> tuple[tuple[str, str], ...]:
    """The ``sanction_*`` policies, named in every result."""
    return tuple((k, v) for k, v in policies.as_dict().items() if k.startswith("sanction_"))


def _table_on(tables: Sequence[RateTable], day: date) -> RateTable | None:
    """The rate table in force on *day* (:func:`~lab_rules.law.sanction_rates.table_on`),
    through the in-force index of a law's tuple of tables."""
    if isinstance(tables, tuple):
        found: RateTable | None = in_force_on(tables, day)
        return found
    return table_on(tables, day)


def _procedure(conditions: SanctionConditions, family: str,
               day: date) -> SanctionProcedure | None:
    """:meth:`SanctionConditions.procedure`, among the family's procedures alone."""
    return next((p for p in _procedures_by_family(conditions).get(family, ())
                 if p.covers(day)), None)


@kept
def _procedures_by_family(conditions: SanctionConditions
                          ) -> dict[str, tuple[SanctionProcedure, ...]]:
    found: dict[str, list[SanctionProcedure]] = {}
    for procedure in conditions.procedures:
        found.setdefault(procedure.family, []).append(procedure)
    return {family: tuple(entries) for family, entries in found.items()}


def compute_sanctions(facts: Facts, law: Law, policies: Policies,
                      withdrawn: Mapping[str, str] | None = None) -> tuple[Sanction, ...]:
    """Every failure in *facts* (known on ``facts.as_of``) and its sanction under *law*'s
    sanction register, rate tables, conditions and rates of hjælp. *withdrawn* maps sanction
    rule ids an overlay abolishes to the overlay's id: such a failure is listed, not
    sanctioned."""
    known, as_of = facts.timeline, facts.as_of
    if not facts.failures and not known.of_type(StrictSanction):
        return ()
    conditions = law.sanction_conditions
    guidance = [g.date for g in known.of_type(WrittenGuidance) if g.sufficient is not False]
    insufficient = [g.date for g in known.of_type(WrittenGuidance) if g.sufficient is False]
    exemptions = facts.exemptions
    hjaelp: dict[tuple[date, str | None, str], MonthlyHjaelp | None] = {}
    indexed: list[KhPayments] = []

    def hjaelp_of(day: date, benefit: str | None, basis: str) -> MonthlyHjaelp | None:
        key = (day, benefit, basis)
        if key not in hjaelp:
            if not indexed:  # the payments are indexed when a sanction first needs them
                indexed.append(KhPayments.of(known))
            hjaelp[key] = monthly_hjaelp(known, indexed[0], law.hjaelp_rates, day, benefit,
                                         basis)
        return hjaelp[key]

    used: dict[str, Decimal] = defaultdict(Decimal)
    reduced: set[tuple[str, str]] = set()
    applied_policies = _sanction_policies(policies)
    results = []
    situations = Situations.of(known)
    exempting = Exemptions.of(exemptions)
    pausing = Exemptions.of(facts.contact_exemptions)
    # the exemptions that hold in law (facts/exemptions.py) pause a tally, not those recorded
    priors = Priors()
    for failure in facts.failures:
        situation = situations.on(failure.day)
        family = rule_family(failure, situation)
        entry = entry_for(law.sanction_rules, family, failure)
        reasons: list[Words] = list(why_not(conditions, failure, situation, guidance,
                                            exempting))
        if entry is None:
            gap = reason(conditions, "no_rule", family, situation.group_value, failure.day,
                         failure=failure.failure, family=family, day=failure.day)
            reasons.append(gap or Message("sanctions.reason.no_entry"))
            applied = Applied("", "")
        else:
            ctx = Context(as_of, policies, priors,
                          family == DAGPENGE and part_time(known, failure.day),
                          sdp_forloeb_start(known, failure.day)
                          if family == SYGEDAGPENGE else None)
            cover = pausing.on(failure.day)
            if cover is not None and entry.has_text(EXEMPT):
                applied = Applied(entry.id, entry.basis(), outcome=EXEMPT, notes=(entry.text(
                    EXEMPT, reason=cover.reason.value, start=cover.start, **values_of(failure)),))
            else:
                applied = SHAPE_FUNCTIONS[entry.shape](entry, failure, ctx)
            if withdrawn and (applied.rule in withdrawn or entry.id in withdrawn):
                overlay = withdrawn.get(applied.rule) or withdrawn[entry.id]
                reasons.append(Message("sanctions.reason.withdrawn", rule=applied.rule,
                                       overlay=overlay))
            if failure.failure == "joblog_month_empty" and failure.until is not None:
                documented = reason(conditions, "documented", situation.family,
                                    situation.group_value, failure.day, until=failure.until)
                if documented:
                    reasons.append(documented)
        weak = weak_guidance(conditions, failure, situation, insufficient, reasons)
        if weak:
            reasons.append(weak)
        priors.add(failure, counted=pausing.on(failure.day) is None)
        results.append(_sanction(failure, situation.benefit.value if situation.benefit
                                 else None, family, entry, applied, tuple(reasons), known, law,
                                 policies, applied_policies, hjaelp_of, used, reduced))
    prior = [r.day for r in results if r.sanctionable and r.benefit is not None
             and r.benefit != DAGPENGE and r.shape != "sdp_resumption"]
    for strict in known.of_type(StrictSanction):
        entry = select(law.sanction_rules, KONTANTHJAELP, _STRICT, None, False, strict.date)
        if entry is not None:
            results.extend(strict_sanctions(
                known, strict, as_of, entry, conditions, prior, applied_policies, exemptions,
                lambda day: hjaelp_of(day, None, PAID)))
    return tuple(results)


def _sanction(failure: Failure, benefit: str | None, family: str, entry: SanctionRule | None,
              applied: Applied, reasons: tuple[Words, ...], known: Timeline, law: Law,
              policies: Policies, applied_policies: tuple[tuple[str, str], ...],
              hjaelp_of: Callable[[date, str | None, str], MonthlyHjaelp | None],
              used: dict[str, Decimal],
              reduced: set[tuple[str, str]]) -> Sanction:
    sanctionable = not reasons
    notes = list(applied.notes)
    rate = amount = deducted = monthly = None
    rate_basis = last_month = last_day = table = None
    by_month: tuple[tuple[str, Decimal, Decimal | None], ...] = ()
    procedure = _procedure(law.sanction_conditions, family, failure.day)
    if family == KONTANTHJAELP and entry is not None:
        table = _table_on(law.sanction_rates, failure.day)
        hjaelp = (hjaelp_of(failure.day, benefit, table.hjaelp) if table is not None
                  else hjaelp_of(failure.day, benefit, PAID))
        if table is None:
            notes.append(Message("sanctions.note.no_rate_table"))
        elif hjaelp is None:
            notes.append(Message("sanctions.note.no_payment"))
        elif table.confidence is not _CONFIRMED:
            notes.append(Message("sanctions.note.rate_table", table=table.id,
                                 note=table.said_note))
        if table is not None and hjaelp is not None:
            rate = table.rate(hjaelp.amount)
            monthly, rate_basis = hjaelp.amount, hjaelp.basis
            notes.extend(_basis_notes(table.hjaelp, hjaelp))
        if table is not None and hjaelp is not None and sanctionable and entry.amount != "none":
            month = (entry.id, month_key(failure.day))
            per_month = "per_month" in dict(entry.parameters)
            if per_month and month in reduced:
                amount = deducted = Decimal()
                notes.append(entry.text("already"))
            else:
                wanted, cap_basis = table.hjaelp, (
                    PAID if policies.sanction_cap is _CAP_PAID else table.hjaelp)

                def in_month(day: date) -> MonthlyHjaelp | None:
                    return hjaelp_of(day, benefit, wanted)

                def cap_of(day: date) -> MonthlyHjaelp | None:
                    return hjaelp_of(day, benefit, cap_basis)

                found = amount_of(entry, failure.day, applied.dates, table, hjaelp, in_month,
                                  _category(known, failure.day, table.adult_from_age), notes)
                if found is not None:
                    rate, amount = found.rate, found.total
                    capped = cap(found, used, cap_of, procedure, notes, table.monthly_cap)
                    deducted, by_month = capped.deducted, capped.by_month
                    if (not table.monthly_cap and deducted is not None
                            and deducted > hjaelp.amount):
                        notes.append(Message("sanctions.note.no_cap", table=table.id))
            if per_month:
                reduced.add(month)
    if family == KONTANTHJAELP:
        last_month, last_day = last_deduction(failure.day, procedure,
                                              policies.sanction_deadline)
    if entry is not None and entry.confidence is not _CONFIRMED:
        notes.append(unconfirmed(entry))
    return Sanction(
        failure.failure, failure.day, applied.rule, applied.legal_basis, sanctionable, reasons,
        len(applied.dates) if sanctionable else 0, rate, table.id if table else None,
        table.confidence.value if table else None, amount, deducted, last_month, last_day,
        procedure.consultation if procedure else "", applied_policies, tuple(notes), benefit,
        applied.dates if sanctionable else (), applied.resumes if sanctionable else None,
        entry.era if entry else None, entry.confidence.value if entry else None,
        entry.source if entry else None,
        *((applied.effective, applied.hours, applied.lapses) if sanctionable
          else (None, None, None)),
        entry=entry.entry if entry else None, shape=entry.shape if entry else None,
        outcome=applied.outcome, rate_basis=rate_basis if amount is not None else None,
        monthly=monthly, by_month=by_month)
