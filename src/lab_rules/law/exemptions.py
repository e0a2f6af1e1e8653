"""Exemption conditions as data (``rules/parameters/fritagelser.toml``, LAB § 106 and § 21 f):
how long before a documented start an exemption may begin, by exemption reason and date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from lab_rules.calendar import Duration
from lab_rules.core.vocabulary import ExemptionReason
from lab_rules.law.loader import RuleError, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import covers

RULE_KEYS = {"id", "reason", "documented_start_within", "valid_from", "valid_to",
             "legal_basis", "source", "confidence", "note", "law_text"}


@attrs.frozen
class ExemptionRule:
    """An exemption of ``reason`` holds only when the documented start is at most
    ``documented_start_within`` after the exemption begins, and ends the day before it."""

    id: str
    reason: ExemptionReason
    documented_start_within: Duration
    valid_from: date
    valid_to: date | None
    legal_basis: str
    source: str
    confidence: Confidence
    note: str = ""

    def covers(self, day: date) -> bool:
        return covers(self, day)


def load_exemption_rules(path: str | Path) -> tuple[ExemptionRule, ...]:
    """Read the exemption conditions; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"rule"}, "")
    rules = []
    for index, raw in enumerate(document.get("rule", [])):
        where = f"rule[{index}]"
        reader.check_keys(raw, RULE_KEYS, where)
        ident = reader.text(raw, "id", where)
        reason = reader.enum_of(ExemptionReason, raw, "reason", where)
        within = reader.duration(raw, "documented_start_within", where)
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        basis, source = reader.text(raw, "legal_basis", where), reader.text(raw, "source", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where)
        if ident and reason and within and start and basis and source and confidence:
            rules.append(ExemptionRule(ident, reason, within, start, end, basis, source,
                                       confidence, str(raw.get("note", ""))))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(rules)
