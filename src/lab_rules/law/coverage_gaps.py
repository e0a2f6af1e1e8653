"""Dated *not-covered* entries (``rules/coverage/*.toml``): where the law bundle has no
contact-course rule for a target group, why not.

An evaluation with no obligations would read as "fully compliant"; an entry here makes the
evaluation say instead that a span of a course is not covered, with its reason and citation:
the law sets no duty there (``no_duty``), the duties live outside what lab-rules models
(``out_of_scope``), or they exist and are not encoded yet (``not_encoded``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from lab_rules.core.messages import text
from lab_rules.core.vocabulary import TargetGroup, Term
from lab_rules.law.citation import parse_citation
from lab_rules.law.loader import RuleError, open_toml
from lab_rules.law.model import Confidence, LegalBasis

__all__ = ["CoverageGap", "GapReason", "load_coverage_gaps"]

GAP_KEYS = {"id", "groups", "valid_from", "valid_to", "reason", "text_da", "text_en",
            "legal_basis", "source", "confidence", "note"}


class GapReason(Term):
    """Why a span has no contact-course rule."""

    NO_DUTY = "no_duty"
    """The law sets no contact-course duty for the group in the span."""
    OUT_OF_SCOPE = "out_of_scope"
    """Duties exist, outside the contact course lab-rules models (the entry says where)."""
    NOT_ENCODED = "not_encoded"
    """Duties exist and are not encoded yet (the entry says what is missing)."""
    UNDECLARED = "undeclared"
    """Neither a rule nor an entry: a hole in a law folder (never written in a file)."""

    def label(self, lang: str = "da") -> str:
        return text(f"contact.gap.{self.value}", lang)


@attrs.frozen
class CoverageGap:
    """Groups without contact-course rules from ``valid_from`` to ``valid_to``, and why."""

    id: str
    groups: frozenset[TargetGroup]
    valid_from: date
    valid_to: date | None
    reason: GapReason
    text_da: str
    text_en: str
    legal_basis: LegalBasis
    confidence: Confidence = Confidence.CONFIRMED
    note: str | None = None
    source_file: str = ""
    source_line: int | None = None

    def overlaps(self, start: date, end: date | None) -> bool:
        return (self.valid_to is None or start <= self.valid_to) and (
            end is None or self.valid_from <= end)


def load_coverage_gaps(path: str | Path) -> tuple[CoverageGap, ...]:
    """Read one file of not-covered entries; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"gap"}, "")
    gaps = []
    for where, raw in reader.tables(document, "gap", ""):
        reader.check_keys(raw, GAP_KEYS, where)
        ident = reader.text(raw, "id", where)
        groups = reader.enum_set(TargetGroup, raw, "groups", where)
        if not groups:
            reader.problem(f"{where}.groups", "name at least one target group")
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        if start is None and "valid_from" not in raw:
            reader.problem(where, 'missing required key "valid_from"')
        if start and end and end < start:
            reader.problem(f"{where}.valid_to", f"{end} is before valid_from {start}")
        reason = reader.enum_of(GapReason, raw, "reason", where)
        if reason is GapReason.UNDECLARED:
            reader.problem(f"{where}.reason", '"undeclared" is what lab-rules reports where no '
                           "entry exists; write no_duty, out_of_scope or not_encoded")
        texts = reader.text(raw, "text_da", where), reader.text(raw, "text_en", where)
        cited, source = reader.text(raw, "legal_basis", where), reader.text(raw, "source", where)
        basis = parse_citation(cited, source or "") if cited else None
        if cited and basis is None:
            reader.problem(f"{where}.legal_basis", f"{cited!r} is not one citation as the law "
                           "writes it: act, paragraph sign and number, then stk., nr., pkt. "
                           "(rules/README.md)")
        confidence = reader.enum_of(Confidence, raw, "confidence", where, "confirmed")
        note = reader.text(raw, "note", where, required=False)
        if (ident and groups and start and reason and texts[0] and texts[1] and basis
                and source and confidence):
            gaps.append(CoverageGap(ident, frozenset(groups), start, end, reason, texts[0],
                                    texts[1], basis, confidence, note, reader.source,
                                    reader.line_of(where)))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(gaps)
