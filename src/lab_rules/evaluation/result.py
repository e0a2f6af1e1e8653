"""The whole result of an evaluation: obligations, refund, sanctions and the 225-hour rule."""

from __future__ import annotations

from datetime import date

import attrs

from lab_rules.contact.results import Note, Obligation, Period
from lab_rules.entitlements.hours_rule import HoursRuleStatus
from lab_rules.refund.cofinancing import CofinancingWeek
from lab_rules.refund.losses import RefundLoss
from lab_rules.refund.months import MonthTotal
from lab_rules.refund.rates_before_2016 import RatePeriod
from lab_rules.refund.staircase import RefundLedger
from lab_rules.sanctions.compute import Sanction


@attrs.frozen
class Evaluation:
    """The result of :func:`lab_rules.evaluation.evaluate`: pure data, serialisable byte for
    byte."""

    person_id: str
    as_of: date
    rule_pack: str
    policies: tuple[tuple[str, str], ...]
    periods: tuple[Period, ...]
    obligations: tuple[Obligation, ...]
    notes: tuple[Note, ...] = ()
    refund: RefundLedger | None = None
    refund_losses: tuple[RefundLoss, ...] = ()
    refund_loss_months: tuple[MonthTotal, ...] = ()
    refund_periods: tuple[RatePeriod, ...] = ()
    refund_period_months: tuple[MonthTotal, ...] = ()
    cofinancing_weeks: tuple[CofinancingWeek, ...] = ()
    cofinancing_months: tuple[MonthTotal, ...] = ()
    sanctions: tuple[Sanction, ...] = ()
    hours_rule: HoursRuleStatus | None = None
    """The 225-hour rule's status; None when it was not evaluated (``hours_rule=False``, or
    ``sanctions=False`` alone)."""
    quota_rows: tuple[tuple[str, str, bool], ...] = ()
    """(quota id, cohort month, reached) for each caseload quota the person counts in."""
    law_hash: str = ""
    """The content hash of the law that produced this result (:mod:`lab_rules.law.fingerprint`,
    with its overlays'), so a stored result names exactly the law behind it."""
    overlays: tuple[str, ...] = ()
    """The overlays applied on top of the national law, by name."""

    def by_rule(self, rule_id: str) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.rule.id == rule_id)

    @property
    def total_days_overdue(self) -> int:
        return sum(o.days_overdue or 0 for o in self.obligations)
