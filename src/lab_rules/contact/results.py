"""What the contact course yields: immutable obligations with their status, trace and notes,
and their one-sentence explanations in Danish and English (``semantics.md`` §9), built from
the obligation's own fields so they cannot drift from the numbers they explain."""

from __future__ import annotations

import enum
from datetime import date
from typing import NamedTuple, Protocol

import attrs

from lab_rules.core.messages import Message, Said, text, words
from lab_rules.core.slots import slot_setter
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
        return text(f"contact.status.{self.value}", lang)


class Describable(Protocol):
    def describe(self, lang: str = "en") -> str: ...


class Labelled(Protocol):
    @property
    def label(self) -> str: ...

    def describe(self, lang: str = "en") -> str: ...


@attrs.frozen(slots=True)
class Listed:
    """Words and sentences read one after the other in one language, joined by
    *separator*."""

    items: tuple[object, ...]
    separator: str = ", "

    def describe(self, lang: str = "en") -> str:
        return self.separator.join(words(item, lang) for item in self.items)


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
        """The step in English (the JSON's trace and the tests' words)."""
        return self.detail if isinstance(self.detail, str) else self.detail.describe("en")

    def describe(self, lang: str = "en") -> str:
        """The step in *lang*, dates as *lang* writes them (text and HTML outputs)."""
        return self.detail if isinstance(self.detail, str) else self.detail.describe(lang)


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

    def fulfilled_by_in(self, lang: str) -> str:
        """What fulfilled the obligation, in *lang* ("" when nothing did)."""
        return self.fulfilment.describe(lang) if self.fulfilment is not None else ""

    @property
    def explanation_da(self) -> str:
        """The Danish sentence with ISO dates, as the JSON keeps it."""
        return explain(self, iso=True).describe("da")

    @property
    def explanation_en(self) -> str:
        """The English sentence with ISO dates, as the JSON keeps it."""
        return explain(self, iso=True).describe("en")

    def explanation(self, lang: str) -> str:
        """The sentence in *lang*, dates as *lang* writes them (text and HTML outputs)."""
        return explain(self).describe(lang)


_NEW = object.__new__
_SET_RULE = slot_setter(Obligation, "rule")
_SET_SEQUENCE = slot_setter(Obligation, "sequence")
_SET_GROUP = slot_setter(Obligation, "group")
_SET_COURSE_START = slot_setter(Obligation, "course_start")
_SET_OPENS = slot_setter(Obligation, "opens")
_SET_DUE = slot_setter(Obligation, "due")
_SET_STATUS = slot_setter(Obligation, "status")
_SET_FULFILLED_ON = slot_setter(Obligation, "fulfilled_on")
_SET_FULFILMENT = slot_setter(Obligation, "fulfilment")
_SET_DAYS_LATE = slot_setter(Obligation, "days_late")
_SET_DAYS_OVERDUE = slot_setter(Obligation, "days_overdue")
_SET_POLICIES = slot_setter(Obligation, "policies")
_SET_TRACE = slot_setter(Obligation, "trace")
_SET_NO_SHOW_INCIDENT = slot_setter(Obligation, "no_show_incident")


def obligation(rule: Rule, sequence: int, group: TargetGroup, course_start: date, opens: date,
               due: date, status: Status, fulfilled_on: date | None,
               fulfilment: Labelled | None, days_late: int | None, days_overdue: int | None,
               policies: tuple[tuple[str, str], ...], trace: tuple[TraceStep, ...],
               no_show_incident: bool) -> Obligation:
    """``Obligation(...)`` with every field given, built by setting its slots directly.

    A frozen class's ``__init__`` sets each of the 14 fields through ``object.__setattr__``
    by name; a person has about seven obligations, and built this way a deadlines-only
    evaluation takes about 2.3 % fewer instructions per person (994,128 against 1,017,399;
    a loop over the setters was slower). :class:`Obligation` has no validators, converters,
    factories or post-init, so the two build equal objects
    (``tests/test_result_classes_built.py`` pins it)."""
    built = _NEW(Obligation)
    _SET_RULE(built, rule)
    _SET_SEQUENCE(built, sequence)
    _SET_GROUP(built, group)
    _SET_COURSE_START(built, course_start)
    _SET_OPENS(built, opens)
    _SET_DUE(built, due)
    _SET_STATUS(built, status)
    _SET_FULFILLED_ON(built, fulfilled_on)
    _SET_FULFILMENT(built, fulfilment)
    _SET_DAYS_LATE(built, days_late)
    _SET_DAYS_OVERDUE(built, days_overdue)
    _SET_POLICIES(built, policies)
    _SET_TRACE(built, trace)
    _SET_NO_SHOW_INCIDENT(built, no_show_incident)
    return built


@attrs.frozen
class Note:
    """Something the evaluation could not decide and says so instead of guessing.

    The sentence is kept as a :class:`Message` (or a plain text from outside the catalogue)
    and read in the output's language; ``text`` is the English sentence the JSON keeps."""

    kind: str
    message: Message | Said | str
    rule_id: str | None = None

    @property
    def text(self) -> str:
        return str(self.message)

    def describe(self, lang: str = "en") -> str:
        return words(self.message, lang)


@attrs.frozen
class Period:
    """A membership period the evaluation derived (a course in one target group)."""

    group: TargetGroup
    benefit: str | None
    start: date
    end: date | None
    course_start: date
    assumed_group: bool = False


_SET_PERIOD_GROUP = slot_setter(Period, "group")
_SET_PERIOD_BENEFIT = slot_setter(Period, "benefit")
_SET_PERIOD_START = slot_setter(Period, "start")
_SET_PERIOD_END = slot_setter(Period, "end")
_SET_PERIOD_COURSE_START = slot_setter(Period, "course_start")
_SET_PERIOD_ASSUMED_GROUP = slot_setter(Period, "assumed_group")


def period(group: TargetGroup, benefit: str | None, start: date, end: date | None,
           course_start: date, assumed_group: bool) -> Period:
    """``Period(...)`` with every field given, built by setting its slots directly (as
    :func:`obligation`; ``tests/test_course_classes_built.py`` pins it)."""
    built = _NEW(Period)
    _SET_PERIOD_GROUP(built, group)
    _SET_PERIOD_BENEFIT(built, benefit)
    _SET_PERIOD_START(built, start)
    _SET_PERIOD_END(built, end)
    _SET_PERIOD_COURSE_START(built, course_start)
    _SET_PERIOD_ASSUMED_GROUP(built, assumed_group)
    return built


def explain(obligation: Obligation, iso: bool = False) -> Message:
    """The one sentence of *obligation*, built from its own fields (``semantics.md`` §9).

    With *iso* its dates are ISO in both languages (the JSON's ``explanation``, a contract
    with vendors); otherwise they read the way the output's language writes them."""
    rule = obligation.rule

    def day(value: date | None) -> date | str:
        if value is None:
            return ""
        return value.isoformat() if iso else value

    cite = rule.legal_basis.cite()
    title = Said(rule.title_da, rule.title_en)
    due, done = day(obligation.due), day(obligation.fulfilled_on)
    status = obligation.status
    if status is Status.NOT_COVERED:
        why = Said(rule.law_text.rstrip('.'), (rule.note or '').rstrip('.'))
        return Message("contact.explain.not_covered", title=title, cite=cite,
                       group=obligation.group.value, start=day(obligation.opens), due=due,
                       why=why)
    state: Message
    if status is Status.MET:
        state = Message("contact.explain.met", done=done, due=due)
    elif status is Status.MET_LATE:
        state = Message("contact.explain.met_late", due=due, done=done,
                        late=Message("unit.days", n=obligation.days_late or 0))
    elif status is Status.OVERDUE:
        state = Message("contact.explain.overdue", due=due,
                        over=Message("unit.days", n=obligation.days_overdue or 0))
    elif status is Status.OPEN:
        state = Message("contact.explain.open", due=due)
    elif status is Status.WAIVED:
        state = Message("contact.explain.waived", due=due)
    else:
        state = Message("contact.explain.lapsed", due=due)
    extra: list[Message] = []
    policies = dict(obligation.policies)
    if any(step.step == "restart" for step in obligation.trace):
        extra.append(Message("contact.explain.restart"))
    elif any(step.step == "no_show_policy" for step in obligation.trace):
        extra.append(Message("contact.explain.timely_summons"))
    elif (obligation.no_show_incident and policies.get("no_show") == "late_until_held"
          and status in (Status.MET_LATE, Status.OVERDUE)):
        extra.append(Message("contact.explain.late_until_held"))
    if rule.shape is Shape.OFFER_LIMIT:
        extra.append(Message("contact.explain.offer_limit", opens=day(obligation.opens)))
    if rule.confidence is Confidence.UNCONFIRMED:
        extra.append(Message("contact.explain.unconfirmed"))
    seq: Message | str = (Message("contact.explain.sequence", number=obligation.sequence)
                          if rule.count > 1 or obligation.sequence > 1 else "")
    return Message("contact.explain.sentence", title=title, seq=seq, cite=cite, state=state,
                   extra=Listed(tuple(extra), ""))
