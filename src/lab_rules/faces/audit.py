"""The audit pack: a sample of a caseload's cases with the evidence an auditor asks for.

The state's audit draws cases and the jobcentre must "gennemgå samtlige sager, og printe
dokumentation for at samtalerne er rettidigt indkaldt" (seed 003). :func:`audit_pack` reads an
event log as ``lab-rules batch`` does, evaluates every person with the same
:func:`lab_rules.loops.batch.outcome_of` (so the same persons are quarantined, with the same
located reasons), draws the sample, and gathers per case and obligation: the summonses sent
and the meetings they were for, the day the obligation was met and by what, its status and
days late under the policies used, the refund lost for the overrun, and the rule with its
legal basis and law text. :mod:`lab_rules.faces.audit_html` renders it.

A case is named by its keyed pseudonym (:func:`lab_rules.core.privacy.pseudonym`), never by
the id read: the pack holds no person id, and every text taken from the input is
pseudonymised and stripped of anything shaped like a CPR number (:func:`scrub`).

Two passes over the log keep memory flat: the first evaluates everyone and keeps only ids and
quarantine records; the second evaluates the selected persons again (the evaluator is pure,
so the result is the same) and keeps their evidence.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import attrs

from lab_rules.contact.results import Obligation, Status
from lab_rules.core.errors import InputError, LabRulesError, Problem
from lab_rules.core.privacy import MIN_KEY_BYTES, mask_cpr, pseudonym
from lab_rules.core.vocabulary import ConversationKind
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.evaluation.result import Evaluation
from lab_rules.inputs.eventlog import ReadProgress
from lab_rules.inputs.eventlog_arrow import reader_name
from lab_rules.inputs.events import ConversationHeld, SummonsSent
from lab_rules.inputs.sanction_events import NoShow
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_checks import printable
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import Law, bundled_law
from lab_rules.law.model import FulfilledBy
from lab_rules.law.policies import Policies
from lab_rules.loops.batch import outcome_of, read_persons
from lab_rules.refund.losses import RefundLoss

__all__ = ["AuditCase", "AuditPack", "Evidence", "Meeting", "Quarantined", "audit_pack",
           "scrub"]

_MASKED = re.compile(r"[0-9]{6}-\*{4}")
KEY_CHECK = "lab-rules audit key check"
"""Hashed under the key to show which key named the cases, without revealing it."""


def scrub(text: str) -> str:
    """*text* with every CPR-like number, however spelled, replaced by ``******-****``: not
    even the birth date stays (unlike :func:`mask_cpr`)."""
    return _MASKED.sub("******-****", mask_cpr(text))


@attrs.frozen
class Meeting:
    """A meeting day of an obligation's kind: the summonses sent for it, what happened, and
    whether it is the day the obligation was met."""

    day: date
    summoned: tuple[date, ...]
    outcome: str
    """``held``, ``no_show``, ``no_show_excused``, ``cancelled``, ``planned`` (after as_of)
    or ``not_recorded``."""
    excuse: str | None = None
    fulfils: bool = False
    after_due: bool = False


@attrs.frozen
class Evidence:
    """One obligation and what proves or disproves it."""

    obligation: Obligation
    meetings: tuple[Meeting, ...]
    losses: tuple[RefundLoss, ...]


@attrs.frozen
class AuditCase:
    """One sampled person: the evaluation (its ``person_id`` is the pseudonym) and the
    evidence per obligation; ``other_summonses`` are meetings no obligation's window holds."""

    pseudonym: str
    evaluation: Evaluation
    evidence: tuple[Evidence, ...]
    other_summonses: tuple[Meeting, ...]
    not_covered: int

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.group.value for p in self.evaluation.periods))


@attrs.frozen
class Quarantined:
    """A person (or a run of rows without one) that could not be evaluated; ``selected`` when
    it was asked for by name."""

    name: str
    line: int
    reasons: tuple[str, ...]
    selected: bool = False


@attrs.frozen
class AuditPack:
    """Everything the document shows, and nothing that names a person."""

    as_of: date
    source: str
    law_name: str
    law_hash: str
    policies: tuple[tuple[str, str], ...]
    selection: str
    """``sample`` or ``persons``."""
    sample: int | None
    seed: int | None
    persons_in: int
    evaluated: int
    key_check: str
    cases: tuple[AuditCase, ...]
    quarantined: tuple[Quarantined, ...]


def _kinds_match(obligation: Obligation, kind: ConversationKind) -> bool:
    kinds = obligation.rule.fulfilled_by.kinds
    return not kinds or kind in kinds


def _window_end(obligation: Obligation) -> date:
    if obligation.fulfilled_on is not None:
        return obligation.fulfilled_on
    if obligation.status in (Status.WAIVED, Status.LAPSED):
        return obligation.due
    return date.max


class _Meetings:
    """The timeline's summonses, no-shows and held conversations known at ``as_of``, by day;
    a no-show counts as the contact course counts it (an unexcused one after a summons for
    that meeting, :func:`lab_rules.evaluation.evaluate`)."""

    def __init__(self, timeline: Timeline, as_of: date) -> None:
        self.as_of = as_of
        self.summonses = [s for s in timeline.of_type(SummonsSent) if s.date <= as_of]
        self.no_shows = [n for n in timeline.of_type(NoShow) if n.date <= as_of]
        self.held = [c for c in timeline.of_type(ConversationHeld) if c.date <= as_of]
        self.claimed: set[SummonsSent] = set()

    def meeting(self, day: date, fits: Callable[[ConversationKind], bool],
                obligation: Obligation | None = None) -> Meeting:
        """What the timeline says of the meeting on *day* of a kind that *fits*."""
        summoned = sorted({s.date for s in self.summonses
                           if s.meeting_date == day and fits(s.kind)})
        excuse = None
        if any(c.date == day and fits(c.kind) for c in self.held):
            outcome = "held"
        elif shows := [n for n in self.no_shows if n.date == day and fits(n.kind)]:
            first = shows[0]
            excuse = first.excuse.value if first.excuse is not None else None
            outcome = ("no_show_excused" if excuse else "cancelled" if first.cancelled
                       else "no_show")
        else:
            outcome = "planned" if day > self.as_of else "not_recorded"
        fulfils = obligation is not None and day == obligation.fulfilled_on
        after_due = obligation is not None and day > obligation.due
        return Meeting(day, tuple(summoned), outcome, excuse, fulfils, after_due)

    def of(self, obligation: Obligation, after: date | None) -> tuple[Meeting, ...]:
        """The meetings of *obligation*: those summoned for a day in its window (from the day
        it opens, or after *after*, the day the previous obligation of its series was met,
        to the day it was met; an unmet one to any later day) and the day it was met."""
        if obligation.rule.fulfilled_by.event is not FulfilledBy.CONVERSATION_HELD:
            return ()
        start = obligation.opens if after is None else max(obligation.opens,
                                                             after + timedelta(days=1))
        end = _window_end(obligation)
        chosen = [s for s in self.summonses
                  if start <= s.meeting_date <= end and _kinds_match(obligation, s.kind)]
        self.claimed.update(chosen)
        days = {s.meeting_date for s in chosen}
        if obligation.fulfilled_on is not None:
            days.add(obligation.fulfilled_on)
        return tuple(self.meeting(day, partial(_kinds_match, obligation), obligation)
                     for day in sorted(days))

    def unclaimed(self) -> tuple[Meeting, ...]:
        left = sorted({(s.meeting_date, s.kind.value): s for s in self.summonses
                       if s not in self.claimed}.items())
        return tuple(self.meeting(day, s.kind.__eq__) for (day, _), s in left)


def _case(timeline: Timeline, evaluation: Evaluation, name: str, clean: _Cleaner) -> AuditCase:
    meetings = _Meetings(timeline, evaluation.as_of)
    losses: dict[tuple[str, int, date], list[RefundLoss]] = {}
    for loss in evaluation.refund_losses:
        losses.setdefault((loss.rule_id, loss.sequence, loss.due), []).append(loss)
    met = {(o.rule.id, o.course_start, o.group, o.sequence): o.fulfilled_on
           for o in evaluation.obligations}
    evidence = tuple(
        Evidence(o, meetings.of(o, met.get((o.rule.id, o.course_start, o.group,
                                            o.sequence - 1))),
                 tuple(losses.get((o.rule.id, o.sequence, o.due), ())))
        for o in evaluation.obligations if o.status is not Status.NOT_COVERED)
    uncovered = sum(o.status is Status.NOT_COVERED for o in evaluation.obligations)
    notes = tuple(attrs.evolve(n, message=clean(n.text)) for n in evaluation.notes)
    public = attrs.evolve(evaluation, person_id=name, notes=notes)
    return AuditCase(name, public, evidence, meetings.unclaimed(), uncovered)


class _Cleaner:
    """Text about one person, with the id read replaced by its pseudonym and CPR scrubbed."""

    def __init__(self, person_id: str, name: str) -> None:
        spellings = sorted({person_id, mask_cpr(person_id)} - {""}, key=len, reverse=True)
        self.pattern = re.compile(
            "(?<![0-9A-Za-z])(?:" + "|".join(map(re.escape, spellings)) + ")(?![0-9A-Za-z])"
        ) if spellings else None
        self.name = name

    def __call__(self, text: str) -> str:
        if self.pattern is not None:
            text = self.pattern.sub(lambda _: self.name, text)
        return scrub(text)


def _select(eligible: list[str], known: set[str], sample: int | None, seed: int | None,
            persons: Sequence[tuple[str, int]] | None, persons_source: str) -> list[str]:
    """The ids chosen: a seeded sample of *eligible* (sorted), or the listed ids in their
    order, each of which must be *known* (evaluated or quarantined)."""
    if persons is None:
        if sample is None or seed is None:
            raise LabRulesError("give a sample size and a seed, or a list of persons")
        ordered = sorted(eligible)
        return random.Random(seed).sample(ordered, min(sample, len(ordered)))
    problems = [Problem("", f"{pid}: no such person in the event log", persons_source, line)
                for pid, line in persons if pid not in known]
    if problems:
        raise InputError(problems, subject=persons_source)
    return [pid for pid, _ in persons]


def audit_pack(source: str | Path, *, as_of: date, key: bytes,
               sample: int | None = None, seed: int | None = None,
               persons: Sequence[tuple[str, int]] | None = None,
               persons_source: str = "persons", law: Law | None = None,
               policies: Mapping[str, str] | None = None, reader: str = "auto") -> AuditPack:
    """The audit pack of the event log *source* at *as_of* under *law* (default: the bundled
    law) and *policies*: a sample of *sample* persons drawn with *seed*
    (``random.Random(seed).sample`` over the sorted ids of the persons evaluated), or the
    *persons* named (``(id, line)`` pairs read from *persons_source*; an id the log lacks
    raises an :class:`InputError` naming each line; an empty list, or a sample below 1, a
    :class:`LabRulesError`: a pack of no case proves nothing). Cases are named by their pseudonym
    under *key* (at least 16 bytes). Every quarantined person is listed, never dropped."""
    if len(key) < MIN_KEY_BYTES:
        raise LabRulesError(f"the pseudonym key must be at least {MIN_KEY_BYTES} bytes")
    if (persons is None) == (sample is None):
        raise LabRulesError("give either a sample size with a seed, or a list of persons")
    if persons is not None and not persons:
        raise LabRulesError(f"{persons_source}: names no person: nothing to audit")
    if sample is not None and sample < 1:
        raise LabRulesError(f"a sample of {sample}: draw 1 person or more")
    law = law if law is not None else bundled_law()
    chosen = dict(policies or {})
    applied = Policies.parse(chosen, law.policies).as_dict()
    path = Path(source)
    name = reader_name(reader)
    eligible: list[str] = []
    held: dict[str, Quarantined] = {}
    total = 0
    for rows in read_persons(path, ReadProgress(), name):
        total += 1
        outcome = outcome_of(rows, as_of, chosen, law, key, refund=True)
        if outcome.quarantine is None:
            eligible.append(rows.person_id)
            continue
        label = f"line {rows.first_line}" if rows.unattributed else outcome.person_id
        held[rows.person_id] = Quarantined(label, rows.first_line, tuple(
            scrub(r) for r in outcome.quarantine["reasons"]))
    picked = _select(eligible, set(eligible) | set(held), sample, seed, persons,
                     persons_source)
    wanted = {pid for pid in picked if pid not in held}
    cases: dict[str, AuditCase] = {}
    for rows in read_persons(path, ReadProgress(), name):
        if rows.person_id not in wanted or rows.document is None:
            continue
        public = pseudonym(rows.person_id, key)
        timeline = parse_timeline(rows.document, source=f"person {public}")
        evaluation = evaluate(timeline, as_of=as_of, law=law, policies=chosen, refund=True)
        cases[rows.person_id] = _case(timeline, evaluation, public,
                                      _Cleaner(rows.person_id, public))
    ordered = [cases[pid] for pid in picked if pid in cases]
    if persons is None:
        ordered.sort(key=lambda case: case.pseudonym)
    quarantined = tuple(attrs.evolve(q, selected=pid in picked) for pid, q in held.items())
    return AuditPack(
        as_of=as_of, source=scrub(printable(path.name)), law_name=law.name,
        law_hash=law.content_hash,
        policies=tuple(sorted(applied.items())),
        selection="persons" if persons is not None else "sample",
        sample=sample, seed=seed, persons_in=total, evaluated=len(eligible),
        key_check=pseudonym(KEY_CHECK, key)[:12], cases=tuple(ordered),
        quarantined=quarantined)
