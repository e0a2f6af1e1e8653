"""The ``lab-rules/evaluation/v2`` JSON document of an :class:`Evaluation`.

Serialisation computes no law: it only renders fields. Keys are sorted and the layout is
fixed, so the same evaluation always gives byte-identical JSON. The schema ships as
``lab_rules/schemas/evaluation-v1.schema.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from lab_rules._version import __version__
from lab_rules.contact.results import Obligation, Status
from lab_rules.core.privacy import mask_cpr
from lab_rules.entitlements.hours_rule import HoursRuleStatus
from lab_rules.evaluation.result import Evaluation
from lab_rules.law.model import FulfilledBy
from lab_rules.refund.cofinancing import CofinancingWeek
from lab_rules.refund.losses import RefundLoss
from lab_rules.refund.months import MonthTotal
from lab_rules.refund.rates_before_2016 import RatePeriod
from lab_rules.refund.staircase import RefundLedger
from lab_rules.sanctions.compute import Sanction

EVALUATION_SCHEMA = "lab-rules/evaluation/v2"

_KIND = {FulfilledBy.CONVERSATION_HELD: "conversation", FulfilledBy.OFFER_STARTED: "offer",
         FulfilledBy.CASE_STEP: "case_step", FulfilledBy.OFFER_ENDED: "offer"}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def obligation_to_json(obligation: Obligation) -> dict[str, Any]:
    rule = obligation.rule
    basis = rule.legal_basis
    return {
        "rule_id": rule.id,
        "title": {"da": rule.title_da, "en": rule.title_en},
        "legal_basis": {
            "act": basis.act, "paragraph": basis.paragraph, "stk": basis.stk, "nr": basis.nr,
            "pkt": basis.pkt, "citation": basis.cite(), "source": basis.source,
        },
        "law_text": rule.law_text,
        "confidence": rule.confidence.value,
        "rule_note": rule.note,
        "era": rule.era,
        "module": rule.module_id,
        "valid_from": _day(rule.valid_from),
        "valid_to": _day(rule.valid_to),
        "kind": ("not_covered" if obligation.status is Status.NOT_COVERED
                 else _KIND[rule.fulfilled_by.event]),
        "shape": rule.shape.value,
        "group": obligation.group.value,
        "course_start": _day(obligation.course_start),
        "sequence": obligation.sequence,
        "opens": _day(obligation.opens),
        "due": _day(obligation.due),
        "status": obligation.status.value,
        "fulfilled_on": _day(obligation.fulfilled_on),
        "fulfilled_by": obligation.fulfilled_by,
        "days_late": obligation.days_late,
        "days_overdue": obligation.days_overdue,
        "policies": dict(obligation.policies),
        "rounding": rule.rounding.value,
        "trace": [{"step": s.step, "date": _day(s.day), "text": s.text}
                  for s in obligation.trace],
        "explanation": {"da": obligation.explanation_da, "en": obligation.explanation_en},
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def loss_to_json(loss: RefundLoss) -> dict[str, Any]:
    rule = loss.loss_rule
    return {
        "loss_rule": rule.id, "legal_basis": rule.legal_basis, "source": rule.source,
        "law_text": rule.law_text, "confidence": rule.confidence.value, "note": rule.note,
        "cause": {"rule_id": loss.rule_id, "sequence": loss.sequence, "due": _day(loss.due),
                  "fulfilled_on": _day(loss.fulfilled_on)},
        "start": _day(loss.start), "end": _day(loss.end), "days": loss.days,
        "amount": _money(loss.amount), "policies": {"loss_from": loss.loss_from},
        "explanation": {"da": loss.explain("da"), "en": loss.explain("en")},
    }


def refund_to_json(ledger: RefundLedger, losses: tuple[RefundLoss, ...] = (),
                   loss_months: tuple[MonthTotal, ...] = (),
                   periods: tuple[RatePeriod, ...] = (),
                   period_months: tuple[MonthTotal, ...] = (),
                   cofinancing: tuple[CofinancingWeek, ...] = (),
                   cofinancing_months: tuple[MonthTotal, ...] = ()) -> dict[str, Any]:
    """The refund ledger: weeks (unrounded amounts), months and totals (rounded to øre)."""
    return {
        "scheme": ledger.scheme, "act": ledger.act, "source": ledger.source,
        "notes": [str(note) for note in ledger.notes],
        "restarts": [_day(d) for d in ledger.restarts],
        "restart_weeks": [_day(d) for d in ledger.restart_weeks],
        "staircase_restart": ledger.staircase_restart, "month_split": ledger.month_split,
        "week_kinds": dict(ledger.week_kinds),
        "weeks": [
            {"monday": _day(w.monday), "week_number": w.number, "rate_week": _day(w.rate_week),
             "rate_week_number": w.rate_number,
             "lines": [{"benefit": line.benefit.value, "days": line.days,
                        "cost": _money(line.cost), "share": line.share,
                        "rate": format(line.rate, "f"), "amount": _money(line.amount),
                        "legal_basis": line.legal_basis, "entry": line.entry}
                       for line in w.lines]}
            for w in ledger.weeks
        ],
        "months": [{"month": m.month, "refund": _money(m.refund),
                    "cofinancing": _money(m.cofinancing)} for m in ledger.months],
        "totals": {"refund": _money(ledger.total_refund),
                   "cofinancing": _money(ledger.total_cofinancing),
                   "lost_refund": _money(sum((m.refund for m in loss_months), Decimal("0.00")))},
        "losses": [loss_to_json(loss) for loss in losses],
        "periods": [
            {"benefit": p.benefit.value, "start": _day(p.start), "end": _day(p.end),
             "days": p.days, "rate": format(p.rate, "f"), "active": p.active,
             "cost": _money(p.cost), "refund": _money(p.refund), "legal_basis": p.legal_basis,
             "confidence": p.confidence.value, "entry": p.entry} for p in periods],
        "period_months": [{"month": m.month, "refund": _money(m.refund)} for m in period_months],
        "cofinancing_weeks": [
            {"monday": _day(w.monday), "hours": _money(w.hours), "active_low": _money(w.active_low),
             "active_high": _money(w.active_high), "passive": _money(w.passive),
             "late_passive": w.late_passive, "karens": w.karens, "municipal": _money(w.municipal),
             "legal_basis": w.legal_basis, "entry": w.entry} for w in cofinancing],
        "cofinancing_months": [{"month": m.month, "municipal": _money(m.cofinancing)}
                               for m in cofinancing_months],
        "loss_months": [{"month": m.month, "lost_refund": _money(m.refund)} for m in loss_months],
    }


def hours_rule_to_json(status: HoursRuleStatus | None) -> dict[str, Any] | None:
    """The 225-hour rule's status (LAS §§ 13 f-13 g; BEK 1625/2024)."""
    if status is None:
        return None
    return {
        "married": status.married, "help_days": status.help_days,
        "overgangsdato": _day(status.overgangsdato),
        "hours_last_12_months": _money(status.hours_last_12_months),
        "first_unmet_month": status.first_unmet_month,
        "bortfaldsdato": _day(status.bortfaldsdato), "warning_by": _day(status.warning_by),
        "consultation_by": _day(status.consultation_by),
        "warning_sent": _day(status.warning_sent),
        "earliest_reduction": _day(status.earliest_reduction),
        "consequence": status.consequence,
        "reduction_full_rate": _money(status.reduction_full_rate),
        "reduction_other_rate": _money(status.reduction_other_rate),
        "level": status.level, "era": status.era, "confidence": status.confidence,
        "regained_in": status.regained_in,
        "legal_basis": status.legal_basis, "notes": list(status.notes),
        "explanation": {"da": status.explain("da"), "en": status.explain("en")},
    }


def sanction_to_json(sanction: Sanction) -> dict[str, Any]:
    return {
        "failure": sanction.failure, "date": _day(sanction.day), "rule": sanction.rule,
        "legal_basis": sanction.legal_basis, "sanctionable": sanction.sanctionable,
        "reasons": [str(r) for r in sanction.reasons], "days": sanction.days,
        "rate": _money(sanction.rate), "rate_table": sanction.rate_table,
        "rate_confidence": sanction.rate_confidence, "amount": _money(sanction.amount),
        "deducted": _money(sanction.deducted),
        "last_deduction_month": sanction.last_deduction_month,
        "last_deduction_day": _day(sanction.last_deduction_day),
        "consultation": sanction.consultation, "policies": dict(sanction.policies),
        "notes": [str(n) for n in sanction.notes], "benefit": sanction.benefit,
        "dates": [d.isoformat() for d in sanction.dates], "resumes": _day(sanction.resumes),
        "rule_era": sanction.rule_era, "rule_confidence": sanction.rule_confidence,
        "rule_source": sanction.rule_source,
        "effective": _day(sanction.effective), "hours": sanction.hours,
        "lapses": _day(sanction.lapses),
        "entry": sanction.entry, "shape": sanction.shape, "outcome": sanction.outcome,
        "rate_basis": sanction.rate_basis, "monthly": _money(sanction.monthly),
        "by_month": [{"month": month, "amount": _money(amount), "deducted": _money(deducted)}
                     for month, amount, deducted in sanction.by_month],
        "explanation": {"da": sanction.explain("da"), "en": sanction.explain("en")},
    }


def evaluation_to_json(evaluation: Evaluation) -> dict[str, Any]:
    """The ``evaluation/v2`` document."""
    statuses = Counter(o.status.value for o in evaluation.obligations)
    uncovered = statuses.get(Status.NOT_COVERED.value, 0)
    return {
        "schema": EVALUATION_SCHEMA,
        "lab_rules_version": __version__,
        "person_id": evaluation.person_id,
        "as_of": evaluation.as_of.isoformat(),
        "rule_pack": evaluation.rule_pack,
        "law": {"content_hash": evaluation.law_hash, "overlays": list(evaluation.overlays)},
        "policies": dict(evaluation.policies),
        "periods": [
            {"group": p.group.value, "benefit": p.benefit, "start": _day(p.start),
             "end": _day(p.end), "course_start": _day(p.course_start),
             "assumed_group": p.assumed_group}
            for p in evaluation.periods
        ],
        "obligations": [obligation_to_json(o) for o in evaluation.obligations],
        "notes": [{"kind": n.kind, "text": n.text, "rule_id": n.rule_id}
                  for n in evaluation.notes],
        "refund": None if evaluation.refund is None else refund_to_json(
            evaluation.refund, evaluation.refund_losses, evaluation.refund_loss_months,
            evaluation.refund_periods, evaluation.refund_period_months,
            evaluation.cofinancing_weeks, evaluation.cofinancing_months),
        "sanctions": [sanction_to_json(s) for s in evaluation.sanctions],
        "hours_rule": hours_rule_to_json(evaluation.hours_rule),
        "summary": {
            "obligations": len(evaluation.obligations) - uncovered,
            "not_covered": uncovered,
            "by_status": {s.value: statuses.get(s.value, 0) for s in Status},
            "days_late": sum(o.days_late or 0 for o in evaluation.obligations),
            "days_overdue": evaluation.total_days_overdue,
            "unconfirmed_rules": sorted({o.rule.id for o in evaluation.obligations
                                         if o.rule.confidence.value == "unconfirmed"}),
        },
    }


def dumps_evaluation(evaluation: Evaluation, *, indent: int | None = 2) -> str:
    """Deterministic JSON text (sorted keys); CPR-like numbers are masked."""
    text = json.dumps(evaluation_to_json(evaluation), indent=indent, sort_keys=True,
                      ensure_ascii=False)
    return mask_cpr(text)


def evaluation_schema_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("lab_rules") / "schemas" / "evaluation-v2.schema.json"))
