"""The caseworker's worklist: what is overdue, open, or will open or fall due soon.

For one person known up to ``as_of`` and a horizon (``P14D``: the fourteen days after
``as_of``), :func:`person_worklist` lists

- every obligation of a course running on ``as_of`` that is overdue or open then (the
  evaluation's own statuses; a course that has ended leaves nothing to act on, and its
  figures are in the batch's tables);
- every obligation that opens or falls due within the horizon, including the **projected**
  ones that do not exist yet on ``as_of``: the next conversation of a cadence, a window that
  opens later. They come from evaluating the same timeline, cut at ``as_of``, at the end of
  the horizon; each states what it assumes (no event after ``as_of`` changes the course; for
  a rolling cadence, that the previous conversation is held on its due date, the day the next
  interval is then counted from);
- the stretches of the person's courses that no rule covers, as ``not_covered`` items, so an
  empty list never reads as "nothing to do";
- every sanction the law allows whose last month of deduction (LAS § 35 ff.) has not passed,
  due on its last day: whether it was deducted is not in the timeline.

Who handles a case is a dated fact, the ``assigned`` event: an item belongs to the caseworker
(and team) assigned on ``as_of``, or, for an item that falls due after an assignment recorded
for a later day, to the one assigned on its due date. It never influences the law: the items
are the same with or without assignments.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date

import attrs

from lab_rules.calendar import Duration, Rounding, add
from lab_rules.contact.results import Obligation, Status
from lab_rules.core.errors import LabRulesError
from lab_rules.core.messages import text
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.inputs.events import Assigned
from lab_rules.inputs.timeline import Timeline
from lab_rules.law.bundle import Law, bundled_law
from lab_rules.law.model import FulfilledBy, Fulfilment, Shape
from lab_rules.law.policies import Policies
from lab_rules.sanctions.result import Sanction

__all__ = ["DEFAULT_HORIZON", "MAX_HORIZON_MONTHS", "UNASSIGNED", "Due", "Held", "WorkItem",
           "Worklist", "describe_fulfilment", "horizon_end", "horizon_problem",
           "person_worklist", "worklist"]

UNASSIGNED = "(unassigned)"
"""The group of items whose person has no ``assigned`` event by the day that counts."""


class Due(enum.Enum):
    """Why an item is on the list (``WorkItem.due_state``)."""

    OVERDUE = "overdue"
    """Its due date has passed and nothing fulfilled it."""
    OPEN = "open"
    """Its window is open on ``as_of``."""
    OPENS = "opens"
    """Its window opens within the horizon."""
    NOT_COVERED = "not_covered"
    """No rule covers this stretch of the course: check the case by hand."""


@attrs.frozen
class WorkItem:
    """One line of the worklist: an obligation of a person and who handles it."""

    person_id: str
    caseworker: str | None
    team: str | None
    rule_id: str
    title_da: str
    title_en: str
    legal_basis: str
    group: str
    sequence: int
    opens: date
    due: date
    due_state: Due
    days_overdue: int | None
    fulfilled_by: tuple[str, str]
    """What fulfils the obligation, in Danish and English (the rule's ``fulfilled_by``)."""
    projected: bool = False
    """Not an obligation on ``as_of`` yet: computed at the horizon's end (see ``assumes``)."""
    assumes: tuple[str, str] | None = None
    """What a projected item assumes, in Danish and English."""
    confidence: str = "confirmed"


@attrs.frozen
class Held:
    """A person the worklist could not be made for (unreadable or unevaluable), and why: a
    caseload's worklist never drops a person silently."""

    person_id: str
    reasons: tuple[str, ...]


@attrs.frozen
class Worklist:
    """The worklist of a caseload on ``as_of`` for the days up to ``until``."""

    as_of: date
    horizon: Duration
    until: date
    persons: int
    """Persons read (those with items, without items, and those held back)."""
    items: tuple[WorkItem, ...]
    held: tuple[Held, ...] = ()

    def groups(self, by: str = "caseworker") -> dict[str, tuple[WorkItem, ...]]:
        """The items by caseworker, team or person (*by*), groups in name order (the
        unassigned last), items by due date."""
        if by not in ("caseworker", "team", "person"):
            raise ValueError(f"group by caseworker, team or person, not {by!r}")
        found: dict[str, list[WorkItem]] = {}
        for item in self.items:
            name = getattr(item, "person_id" if by == "person" else by) or UNASSIGNED
            found.setdefault(name, []).append(item)
        order = sorted(found, key=lambda name: (name == UNASSIGNED, name))
        return {name: tuple(found[name]) for name in order}


def worklist(timelines: Iterable[Timeline], *, as_of: date, horizon: Duration,
             law: Law | None = None,
             policies: Policies | Mapping[str, str] | Iterable[str] | None = None,
             held: Iterable[Held] = (),
             public_id: Callable[[str], str] | None = None,
             failed: Callable[[str, Exception], Held] | None = None) -> Worklist:
    """The worklist of every timeline (see the module), items by due date then person;
    *held* are persons a reader could not give a timeline for, reported with the list (read
    after *timelines*, so a reader may add to it as it goes), and *public_id* turns a
    timeline's person id into the id its items carry (a pseudonym). With *failed*, a person
    whose evaluation fails is held back with what it returns instead of ending the list."""
    law = law if law is not None else bundled_law()
    items: list[WorkItem] = []
    persons = 0
    broken: list[Held] = []
    for timeline in timelines:
        shown = public_id(timeline.person.id) if public_id else None
        try:
            items.extend(person_worklist(timeline, as_of=as_of, horizon=horizon, law=law,
                                         policies=policies, person_id=shown))
        except (LabRulesError, ValueError, ArithmeticError) as err:
            if failed is None:
                raise
            broken.append(failed(timeline.person.id, err))
            continue
        persons += 1
    kept = (*tuple(held), *broken)
    items.sort(key=lambda i: (i.due, i.opens, i.person_id, i.rule_id, i.sequence))
    return Worklist(as_of, horizon, horizon_end(as_of, horizon), persons + len(kept),
                    tuple(items), kept)


MAX_HORIZON_MONTHS = 60
"""A worklist looks a few weeks ahead; five years is the most it may be asked for."""
DEFAULT_HORIZON = Duration(days=14)


def horizon_problem(horizon: Duration) -> str | None:
    """Why *horizon* cannot be a worklist's (less than a day, negative, over five years), or
    None: one rule for every face that takes it."""
    if horizon.days < 0 or horizon.total_months < 0 or (horizon.days < 1
                                                        and horizon.total_months < 1):
        return "the horizon must be at least one day"
    if horizon.total_months + horizon.days / 31 > MAX_HORIZON_MONTHS:
        return f"the horizon is at most {MAX_HORIZON_MONTHS // 12} years"
    return None


def horizon_end(as_of: date, horizon: Duration) -> date:
    """The last day of the horizon: ``as_of`` plus *horizon* (a month from the 31st ends on
    the month's last day)."""
    return add(as_of, horizon, Rounding.DOWN)


def person_worklist(timeline: Timeline, *, as_of: date, horizon: Duration,
                    law: Law | None = None,
                    policies: Policies | Mapping[str, str] | Iterable[str] | None = None,
                    person_id: str | None = None) -> tuple[WorkItem, ...]:
    """The worklist items of one person (see the module), ordered by due date; *person_id*
    is the id the items carry (default: the timeline's)."""
    law = law if law is not None else bundled_law()
    end = horizon_end(as_of, horizon)
    known = timeline.until(as_of)
    now = evaluate(known, as_of=as_of, law=law, policies=policies, refund=False)
    items: list[WorkItem] = []
    seen: set[tuple[str, int, date]] = set()
    assignments = timeline.of_type(Assigned)
    name = person_id if person_id is not None else timeline.person.id
    running = {p.course_start for p in now.periods if p.end is None or p.end >= as_of}
    for obligation in now.obligations:
        seen.add(_key(obligation))
        state = _state_now(obligation, end)
        if state is not None and obligation.course_start in running:
            items.append(_item(name, obligation, state, as_of, assignments))
    if end > as_of:
        later = evaluate(known, as_of=end, law=law, policies=policies, refund=False,
                         sanctions=False)
        for obligation in later.obligations:
            if (_key(obligation) in seen or obligation.status is Status.NOT_COVERED
                    or obligation.course_start not in running):
                continue
            if as_of < obligation.opens <= end or as_of < obligation.due <= end:
                items.append(_item(name, obligation, Due.OPENS, as_of, assignments,
                                   projected=True))
    items.extend(_deductions(name, now.sanctions, as_of, end, assignments))
    items.sort(key=lambda i: (i.due, i.opens, i.rule_id, i.sequence))
    return tuple(items)


def _deductions(person_id: str, sanctions: Iterable[Sanction], as_of: date, end: date,
                assignments: Sequence[Assigned]) -> Iterator[WorkItem]:
    """A sanction to deduct: one the law allows, whose last month of deduction has not
    passed on ``as_of`` and which falls on or before the horizon's end. Whether it was
    deducted is not in the timeline, so it stays on the list until its last day."""
    for sanction in sanctions:
        last = sanction.last_deduction_day
        if not sanction.sanctionable or last is None or last < as_of or sanction.day > end:
            continue
        handler = _handler(assignments, max(as_of, last))
        amount = f" ({sanction.deducted} kr.)" if sanction.deducted is not None else ""
        yield WorkItem(
            person_id=person_id,
            caseworker=handler.caseworker if handler else None,
            team=handler.team if handler else None,
            rule_id=sanction.rule,
            title_da=f"Sanktion for {sanction.failure} {sanction.day}: træk senest "
                     f"{sanction.last_deduction_month}{amount}",
            title_en=f"Sanction for {sanction.failure} on {sanction.day}: deduct by "
                     f"{sanction.last_deduction_month}{amount}",
            legal_basis=sanction.legal_basis, group=sanction.benefit or "",
            sequence=1, opens=sanction.day, due=last,
            due_state=Due.OPEN if sanction.day <= as_of else Due.OPENS,
            days_overdue=None,
            fulfilled_by=("fradrag i ydelsen", "a deduction from the benefit"),
            confidence=sanction.rule_confidence or "confirmed")


def _key(obligation: Obligation) -> tuple[str, int, date]:
    return (obligation.rule.id, obligation.sequence, obligation.course_start)


def _state_now(obligation: Obligation, end: date) -> Due | None:
    status = obligation.status
    if status is Status.OVERDUE:
        return Due.OVERDUE
    if status is Status.OPEN:
        return Due.OPEN
    if status is Status.NOT_COVERED and obligation.opens <= end:
        return Due.NOT_COVERED
    return None


def _handler(assignments: Sequence[Assigned], day: date) -> Assigned | None:
    """The last assignment made on or before *day* (assignments are in date order)."""
    found = None
    for assignment in assignments:
        if assignment.date > day:
            break
        found = assignment
    return found


def _item(person_id: str, obligation: Obligation, state: Due, as_of: date,
          assignments: Sequence[Assigned], *, projected: bool = False) -> WorkItem:
    rule = obligation.rule
    handler = _handler(assignments, max(as_of, obligation.due))
    return WorkItem(
        person_id=person_id,
        caseworker=handler.caseworker if handler else None,
        team=handler.team if handler else None,
        rule_id=rule.id, title_da=rule.title_da, title_en=rule.title_en,
        legal_basis=rule.legal_basis.cite(), group=obligation.group.value,
        sequence=obligation.sequence, opens=obligation.opens, due=obligation.due,
        due_state=state,
        days_overdue=obligation.days_overdue if state is Due.OVERDUE else None,
        fulfilled_by=(("", "") if state is Due.NOT_COVERED
                      else (describe_fulfilment(rule.fulfilled_by, "da"),
                            describe_fulfilment(rule.fulfilled_by, "en"))),
        projected=projected,
        assumes=_assumption(obligation, as_of) if projected else None,
        confidence=rule.confidence.value)


def _assumption(obligation: Obligation, as_of: date) -> tuple[str, str]:
    """What a projected item assumes, in Danish and English (the day ISO: the words go into
    the worklist's JSON and CSV as they are)."""
    key = "evaluation.worklist.assumes"
    if obligation.rule.shape is Shape.ROLLING and obligation.sequence > 1:
        key = "evaluation.worklist.assumes_rolling"
    elif obligation.rule.shape is Shape.SCHEDULE:
        key = "evaluation.worklist.assumes_schedule"
    day = as_of.isoformat()
    return text(key, "da", as_of=day), text(key, "en", as_of=day)


def describe_fulfilment(spec: Fulfilment, lang: str = "en") -> str:
    """What fulfils an obligation, in words (Danish or English): the event and its filters
    (an empty filter means any)."""
    def word(key: str) -> str:
        return text(f"evaluation.fulfils.{key}", lang)

    if spec.event is FulfilledBy.CONVERSATION_HELD:
        parts = [f" {word('or')} ".join(sorted(k.value for k in spec.kinds)) or word("any")]
        if spec.forms:
            parts.append(f"{word('form')} " + "/".join(sorted(f.value for f in spec.forms)))
        if spec.held_by:
            parts.append(f"{word('held_by')} "
                         + "/".join(sorted(h.value for h in spec.held_by)))
        return ", ".join(parts)
    if spec.event is FulfilledBy.OFFER_ENDED:
        return word("offer_ended")
    if spec.event is FulfilledBy.OFFER_STARTED:
        offers = "/".join(sorted(o.value for o in spec.offers))
        return f"{word('offer')} ({offers})" if offers else word("any_offer")
    steps = "/".join(sorted(s.value for s in spec.steps))
    return f"{word('step')} {steps}" if steps else word("any_step")
