"""What the contact course yields: immutable obligations with their status, trace and notes,
and their one-sentence explanations in Danish and English (``semantics.md`` §9), built from
the obligation's own fields so they cannot drift from the numbers they explain."""

from __future__ import annotations

import enum
from datetime import date
from typing import NamedTuple, Protocol

import attrs

from lab_rules.core.vocabulary import TargetGroup
from lab_rules.law.model import Confidence, Rule, Shape


class Status(enum.Enum):
    """An obligation's state at ``as_of`` (``semantics.md`` §3)."""

    MET = "met"
    MET_LATE = "met_late"
    OVERDUE = "overdue"
    OPEN = "open"
    WAIVED = "waived"
    LAPSED = "lapsed"
    NOT_COVERED = "not_covered"
    """No rule covers the stretch (``opens`` to ``due``): not a deadline, never timely or late."""

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
    Status.NOT_COVERED: ("ikke dækket", "not covered"),
}


class Describable(Protocol):
    def describe(self, lang: str = ...) -> str: ...


class Labelled(Protocol):
    @property
    def label(self) -> str: ...


class Words:
    """A sentence kept as its template and values, formatted when read (``str`` or
    ``describe``): most evaluations of a caseload never read the words of an anchor."""

    __slots__ = ("_template", "_values")

    def __init__(self, template: str, *values: object) -> None:
        self._template = template
        self._values = values

    def describe(self, lang: str = "en") -> str:
        return self._template.format(*self._values)

    def __str__(self) -> str:
        return self.describe()

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other) if isinstance(other, (Words, str)) else NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return repr(str(self))


class TraceStep(NamedTuple):
    """One computed date (or decision) on the way to an obligation, with its arithmetic.

    ``detail`` is the words, or the computation that renders them on demand (so evaluating a
    caseload does not format text nobody reads). A named tuple: every obligation has a few,
    and it is immutable.
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
        return explain(self)[0]

    @property
    def explanation_en(self) -> str:
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


def _days(n: int, lang: str) -> str:
    if lang == "da":
        return f"{n} dag" if n == 1 else f"{n} dage"
    return f"{n} day" if n == 1 else f"{n} days"


def explain(obligation: Obligation) -> tuple[str, str]:
    """(Danish, English) sentence for *obligation*."""
    rule = obligation.rule
    cite = rule.legal_basis.cite()
    seq = f" (nr. {obligation.sequence})" if rule.count > 1 or obligation.sequence > 1 else ""
    due = obligation.due.isoformat()
    done = obligation.fulfilled_on.isoformat() if obligation.fulfilled_on else ""
    status = obligation.status
    if status is Status.MET:
        da = f"opfyldt {done}, inden fristen {due}"
        en = f"met on {done}, by the due date {due}"
    elif status is Status.MET_LATE:
        late = obligation.days_late or 0
        da = f"frist {due}, opfyldt {done}: {_days(late, 'da')} for sent"
        en = f"due {due}, met on {done}: {_days(late, 'en')} late"
    elif status is Status.OVERDUE:
        over = obligation.days_overdue or 0
        da = f"frist {due} er overskredet med {_days(over, 'da')}"
        en = f"due {due}, overdue by {_days(over, 'en')}"
    elif status is Status.OPEN:
        da = f"åben, frist {due}"
        en = f"open, due {due}"
    elif status is Status.WAIVED:
        da = f"frafaldet: fristen {due} lå i en fritagelse"
        en = f"waived: the due date {due} fell in an exemption"
    elif status is Status.NOT_COVERED:
        start = obligation.opens.isoformat()
        return (f"{rule.title_da} ({cite}): {obligation.group.value} {start} til {due}: "
                f"{rule.law_text.rstrip('.')}.",
                f"{rule.title_en} ({cite}): {obligation.group.value} {start} to {due}: "
                f"{(rule.note or '').rstrip('.')}.")
    else:
        da = f"bortfaldet: personen forlod målgruppen før fristen {due}"
        en = f"lapsed: the person left the target group before the due date {due}"
    policies = dict(obligation.policies)
    extra_da, extra_en = "", ""
    if any(step.step == "restart" for step in obligation.trace):
        extra_da = (" Forløbet var stillet i bero fra udeblivelsen til genoptaget kontakt "
                    "(restart_from_contact).")
        extra_en = (" The course was suspended from the no-show until contact was restored "
                    "(restart_from_contact).")
    elif any(step.step == "no_show_policy" for step in obligation.trace):
        extra_da = (" Rettidig indkaldelse med udeblivelse tæller som opfyldt "
                    "(timely_summons_counts).")
        extra_en = " A timely summons followed by a no-show counts as met (timely_summons_counts)."
    elif (obligation.no_show_incident and policies.get("no_show") == "late_until_held"
          and status in (Status.MET_LATE, Status.OVERDUE)):
        extra_da = " Kun en afholdt samtale opfylder kravet (late_until_held)."
        extra_en = " Only a held conversation fulfils it (late_until_held)."
    if rule.shape is Shape.OFFER_LIMIT:
        extra_da += f" Tilbuddet blev påbegyndt {obligation.opens}; fristen er sidste tilladte dag."
        extra_en += f" The offer started {obligation.opens}; the due date is its last allowed day."
    if rule.confidence is Confidence.UNCONFIRMED:
        extra_da += " Reglen er ikke bekræftet i lovteksten."
        extra_en += " This rule is not confirmed in the law text."
    return (f"{rule.title_da}{seq} ({cite}): {da}.{extra_da}",
            f"{rule.title_en}{seq} ({cite}): {en}.{extra_en}")
