"""Rows for the stretches of a course that no rule covers (issue 13: no silent gaps).

A course in a target group on days where the law bundle has no contact-course rule would
otherwise give no obligation at all, which reads as compliant. Each such stretch becomes a
located note and an obligation row with status ``not_covered`` that carries the not-covered
entry's reason and citation (or ``undeclared`` where the law folder has none).
"""

from __future__ import annotations

from datetime import date

from lab_rules.calendar import Reading, Roll, Rounding
from lab_rules.contact.results import Note, Obligation, Status, TraceStep
from lab_rules.core.messages import Message, Said, text
from lab_rules.facts.clocks import GroupSpan
from lab_rules.law.coverage import CoverageIndex, Uncovered
from lab_rules.law.coverage_gaps import GapReason
from lab_rules.law.model import (
    Anchor,
    Clock,
    Confidence,
    FulfilledBy,
    Fulfilment,
    LegalBasis,
    Rule,
    Shape,
)

__all__ = ["not_covered"]

_UNDECLARED_BASIS = LegalBasis("no rule and no not-covered entry in this law", "", "")


def _rule(piece: Uncovered) -> Rule:
    """The not-covered entry in the form of a rule, so every output shows it as a row."""
    gap = piece.gap
    reason = piece.reason
    valid: tuple[date, date | None]
    if gap is None:
        ident = f"not_covered.{piece.group.value}"
        text_da = text("contact.gap.undeclared_text", "da")
        text_en = text("contact.gap.undeclared_text", "en")
        basis, confidence, valid = _UNDECLARED_BASIS, Confidence.UNCONFIRMED, (piece.start, None)
    else:
        ident, text_da, text_en = gap.id, gap.text_da, gap.text_en
        basis, confidence, valid = gap.legal_basis, gap.confidence, (gap.valid_from,
                                                                     gap.valid_to)
    return Rule(
        id=ident, title_da=text("contact.gap.title", "da", reason=reason),
        title_en=text("contact.gap.title", "en", reason=reason), module_id="coverage", era="",
        legal_basis=basis, law_text=text_da, confidence=confidence, valid_from=valid[0],
        valid_to=valid[1], groups=frozenset({piece.group}), shape=Shape.NOT_COVERED,
        clock=Clock.CONTIGUOUS, anchor=Anchor.GROUP_ENTRY,
        fulfilled_by=Fulfilment(FulfilledBy.CONVERSATION_HELD), reading=Reading.AFTER,
        rounding=Rounding.STRICT, roll=Roll.NONE, roll_basis="no deadline", note=text_en,
        source_file=gap.source_file if gap else "", source_line=gap.source_line if gap else None)


def not_covered(index: CoverageIndex, gs: GroupSpan, course_start: date, as_of: date
                ) -> tuple[list[Obligation], list[Note]]:
    """The not-covered rows and notes of one stretch of a course in one group, up to
    ``as_of``."""
    if gs.start > as_of:
        return [], []
    end = as_of if gs.end is None or gs.end > as_of else gs.end
    rows, notes = [], []
    for piece in index.uncovered(gs.group, gs.start, end):
        rule = _rule(piece)
        reason = piece.reason
        why = Said(rule.law_text, rule.note or "")
        where = {"group": piece.group.value, "start": piece.start, "end": piece.end}
        message = (Message("evaluation.note.not_covered", **where, reason=reason.value, why=why,
                           basis=rule.legal_basis.cite())
                   if reason is not GapReason.UNDECLARED else
                   Message("evaluation.note.not_covered_undeclared", **where, why=why))
        notes.append(Note("not_covered", message, rule.id))
        rows.append(Obligation(
            rule=rule, sequence=1, group=piece.group, course_start=course_start,
            opens=piece.start, due=piece.end, status=Status.NOT_COVERED,
            trace=(TraceStep("not_covered", piece.start, message),)))
    return rows, notes
