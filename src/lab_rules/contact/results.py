"""What an evaluation returns: immutable obligations with their trace, and the whole result."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING, Protocol

import attrs

from lab_rules.core.vocabulary import TargetGroup
from lab_rules.law.model import Rule
from lab_rules.refund.staircase import MonthTotal, RefundLedger

if TYPE_CHECKING:
    from lab_rules.entitlements.hours_rule import HoursRuleStatus
    from lab_rules.refund.cofinancing import CofinancingWeek
    from lab_rules.refund.rates_2007 import RatePeriod, RefundLoss
    from lab_rules.sanctions.compute import Sanction


class Status(enum.Enum):
    """An obligation's state at ``as_of`` (``semantics.md`` §3)."""

    MET = "met"
    MET_LATE = "met_late"
    OVERDUE = "overdue"
    OPEN = "open"
    WAIVED = "waived"
    LAPSED = "lapsed"

    def label(self, lang: str = "da") -> str:
        """The status in words, Danish or English."""
        return _STATUS_LABELS[self][0 if lang == "da" else 1]


_STATUS_LABELS = {
    Status.MET: ("opfyldt", "met"),
    Status.MET_LATE: ("for sent", "met late"),
    Status.OVERDUE: ("overskredet", "overdue"),
    Status.OPEN: ("åben", "open"),
    Status.WAIVED: ("frafaldet", "waived"),
    Status.LAPSED: ("bortfaldet", "lapsed"),
}


class Describable(Protocol):
    def describe(self, lang: str = ...) -> str: ...


class Labelled(Protocol):
    @property
    def label(self) -> str: ...


@attrs.frozen
class TraceStep:
    """One computed date (or decision) on the way to an obligation, with its arithmetic.

    ``detail`` is the words, or the computation that renders them on demand (so evaluating a
    caseload does not format text nobody reads).
    """

    step: str
    day: date | None
    detail: str | Describable

    @property
    def text(self) -> str:
        return self.detail if isinstance(self.detail, str) else self.detail.describe("en")


@attrs.frozen
class Obligation:
    """One thing that had to happen by a date, and what did."""

    rule: Rule
    sequence: int
    group: TargetGroup
    course_start: date
    opens: date
    due: date
    status: Status
    fulfilled_on: date | None = None
    fulfilment: Labelled | None = None
    days_late: int | None = None
    days_overdue: int | None = None
    policies: tuple[tuple[str, str], ...] = ()
    trace: tuple[TraceStep, ...] = ()
    no_show_incident: bool = False

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def fulfilled_by(self) -> str | None:
        """What fulfilled the obligation, in words (the event or the summons)."""
        return self.fulfilment.label if self.fulfilment is not None else None

    @property
    def explanation_da(self) -> str:
        from lab_rules.contact.explain import explain

        return explain(self)[0]

    @property
    def explanation_en(self) -> str:
        from lab_rules.contact.explain import explain

        return explain(self)[1]


@attrs.frozen
class Note:
    """Something the evaluation could not decide and says so instead of guessing."""

    kind: str
    text: str
    rule_id: str | None = None


@attrs.frozen
class Period:
    """A membership period the evaluation derived (a course in one target group)."""

    group: TargetGroup
    benefit: str | None
    start: date
    end: date | None
    course_start: date
    assumed_group: bool = False


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

    def by_rule(self, rule_id: str) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.rule.id == rule_id)

    @property
    def total_days_overdue(self) -> int:
        return sum(o.days_overdue or 0 for o in self.obligations)
