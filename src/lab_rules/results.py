"""What an evaluation returns: immutable obligations with their trace, and the whole result."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from lab_rules.rules.model import Rule
from lab_rules.vocabulary import TargetGroup


class Status(enum.Enum):
    """An obligation's state at ``as_of`` (``semantics.md`` §3)."""

    MET = "met"
    MET_LATE = "met_late"
    OVERDUE = "overdue"
    OPEN = "open"
    WAIVED = "waived"
    LAPSED = "lapsed"


@attrs.frozen
class TraceStep:
    """One computed date (or decision) on the way to an obligation, with its arithmetic."""

    step: str
    day: date | None
    text: str


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
    fulfilled_by: str | None = None
    days_late: int | None = None
    days_overdue: int | None = None
    policies: tuple[tuple[str, str], ...] = ()
    trace: tuple[TraceStep, ...] = ()
    explanation_da: str = ""
    explanation_en: str = ""

    @property
    def rule_id(self) -> str:
        return self.rule.id


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
    """The result of :func:`lab_rules.evaluate`: pure data, serialisable byte for byte."""

    person_id: str
    as_of: date
    rule_pack: str
    policies: tuple[tuple[str, str], ...]
    periods: tuple[Period, ...]
    obligations: tuple[Obligation, ...]
    notes: tuple[Note, ...] = ()

    def by_rule(self, rule_id: str) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.rule.id == rule_id)

    @property
    def total_days_overdue(self) -> int:
        return sum(o.days_overdue or 0 for o in self.obligations)
