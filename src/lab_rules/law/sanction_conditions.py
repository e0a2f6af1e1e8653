"""The conditions and procedures of sanctions as data (``rules/parameters/
sanktionsbetingelser.toml``, kind ``sanction_conditions``).

A *condition* is a reason a failure may not be sanctioned (a reasonable excuse, no written
guidance first, no attempt at personal contact, no assessment that a sanction promotes
availability, an exemption, ...): a named test (:data:`TESTS`) the sanction package knows how
to check, the families it applies to, its validity by the failure's date, its legal basis and
the reason's text. A *procedure* is what a decision in a family requires: the consultation
text and, for kontanthjælp, how long after the failure's month a deduction may still be made.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from lab_rules.calendar import Duration
from lab_rules.law.loader import RuleError, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import covers
from lab_rules.law.rule_texts import Worded, pair, template

TESTS = ("excuse", "no_guidance", "weak_guidance", "contact_not_attempted", "no_assessment",
         "exempted", "not_on_benefit", "on_sygedagpenge", "no_orientation", "documented",
         "no_prior_sanction", "strict_not_covered", "no_rule", "not_kontanthjaelp")
CONDITION_KEYS = {"id", "test", "families", "groups", "valid_from", "valid_to", "legal_basis",
                  "text", "text_da", "confidence", "source"}
PROCEDURE_KEYS = {"id", "family", "valid_from", "valid_to", "legal_basis", "consultation",
                  "consultation_da", "deduction_within", "cap_note", "cap_note_da",
                  "confidence", "source"}


@attrs.frozen
class SanctionCondition:
    """One reason a failure may not be sanctioned, where and when it applies."""

    id: str
    test: str
    families: tuple[str, ...]
    valid_from: date
    valid_to: date | None
    legal_basis: str
    text: str
    confidence: Confidence
    source: str
    groups: tuple[str, ...] = ()
    """Target groups the condition is limited to (empty: all)."""
    text_da: str = ""
    """The reason in Danish (empty: only English is given)."""

    def reason(self, **values: object) -> Worded:
        """The reason filled with *values*, in both languages."""
        return Worded(self.text_da or self.text, self.text, **values)

    def covers(self, day: date) -> bool:
        return covers(self, day)

    def applies(self, test: str, family: str, group: str | None, day: date) -> bool:
        return (self.test == test and (not self.families or family in self.families)
                and (not self.groups or group in self.groups) and self.covers(day))


@attrs.frozen
class SanctionProcedure:
    """What a sanction decision in a family requires."""

    id: str
    family: str
    valid_from: date
    valid_to: date | None
    legal_basis: str
    consultation: str
    confidence: Confidence
    source: str
    deduction_within: Duration | None = None
    """Kontanthjælp: whole calendar months after the failure's month in which a deduction may
    still be made (read under the ``sanction_deadline`` policy)."""
    cap_note: str = ""
    """Kontanthjælp: the note when a month's deductions are capped ({monthly}, {month})."""
    consultation_da: str = ""
    cap_note_da: str = ""

    def said_consultation(self) -> Worded:
        """What the decision requires, in both languages."""
        return Worded(self.consultation_da or self.consultation, self.consultation)

    def capped(self, **values: object) -> Worded:
        """The note on a capped month, filled with *values*, in both languages."""
        return Worded(self.cap_note_da or self.cap_note, self.cap_note, **values)

    def covers(self, day: date) -> bool:
        return covers(self, day)


@attrs.frozen
class SanctionConditions:
    """Every condition and procedure of the sanction rules."""

    conditions: tuple[SanctionCondition, ...] = ()
    procedures: tuple[SanctionProcedure, ...] = ()

    def condition(self, test: str, family: str, group: str | None,
                  day: date) -> SanctionCondition | None:
        return next((c for c in self.conditions if c.applies(test, family, group, day)), None)

    def procedure(self, family: str, day: date) -> SanctionProcedure | None:
        return next((p for p in self.procedures if p.family == family and p.covers(day)), None)


def load_sanction_conditions(path: str | Path) -> SanctionConditions:
    """Read the conditions and procedures; raise :class:`RuleError` with every problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"condition", "procedure"}, "")
    conditions: list[SanctionCondition] = []
    for where, raw in reader.tables(document, "condition", ""):
        reader.check_keys(raw, CONDITION_KEYS, where)
        ident, test = reader.text(raw, "id", where), reader.text(raw, "test", where)
        if test is not None and test not in TESTS:
            reader.problem(f"{where}.test", f"{test!r} is not one of {', '.join(TESTS)}")
        start, basis = reader.day(raw, "valid_from", where), reader.text(raw, "legal_basis", where)
        text = template(reader, reader.text(raw, "text", where), f"{where}.text")
        source = reader.text(raw, "source", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where)
        if ident and test and start and basis and text and source and confidence:
            conditions.append(SanctionCondition(
                ident, test, reader.strings(raw, "families", where), start,
                reader.day(raw, "valid_to", where), basis, text, confidence, source,
                reader.strings(raw, "groups", where),
                pair(reader, text, raw.get("text_da"), f"{where}.text_da")))
    procedures: list[SanctionProcedure] = []
    for where, raw in reader.tables(document, "procedure", ""):
        reader.check_keys(raw, PROCEDURE_KEYS, where)
        ident, family = reader.text(raw, "id", where), reader.text(raw, "family", where)
        start, basis = reader.day(raw, "valid_from", where), reader.text(raw, "legal_basis", where)
        text = template(reader, reader.text(raw, "consultation", where),
                        f"{where}.consultation")
        source = reader.text(raw, "source", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where)
        if ident and family and start and basis and text and source and confidence:
            cap_note = template(reader, reader.text(raw, "cap_note", where, required=False),
                                f"{where}.cap_note") or ""
            procedures.append(SanctionProcedure(
                ident, family, start, reader.day(raw, "valid_to", where), basis, text,
                confidence, source, reader.duration(raw, "deduction_within", where), cap_note,
                pair(reader, text, raw.get("consultation_da"), f"{where}.consultation_da"),
                pair(reader, cap_note, raw.get("cap_note_da"), f"{where}.cap_note_da")
                if cap_note else ""))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return SanctionConditions(tuple(conditions), tuple(procedures))

