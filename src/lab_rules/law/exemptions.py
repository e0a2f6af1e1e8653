"""Exemption conditions as data (``rules/parameters/fritagelser.toml``, LAB § 106 and § 21 f):
how long before a documented start an exemption may begin, by exemption reason and date; and
reasons that exempt only while the provision naming them was in force (``lapses``: the
terminal-illness item of BEK 743/2009 § 28, stk. 2, nr. 5, 1.8.2009-4.3.2012)."""

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
             "legal_basis", "source", "confidence", "note", "law_text", "lapses"}


@attrs.frozen
class ExemptionRule:
    """An exemption of ``reason`` holds only when the documented start is at most
    ``documented_start_within`` after the exemption begins, and ends the day before it; or,
    with ``lapses``, only from ``valid_from`` to ``valid_to``: the days outside are not
    exempt, because no provision exempted them."""

    id: str
    reason: ExemptionReason
    documented_start_within: Duration | None
    valid_from: date
    valid_to: date | None
    legal_basis: str
    source: str
    confidence: Confidence
    note: str = ""
    lapses: bool = False

    def covers(self, day: date) -> bool:
        return covers(self, day)


def load_exemption_rules(path: str | Path) -> tuple[ExemptionRule, ...]:
    """Read the exemption conditions; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"rule"}, "")
    rules = []
    for where, raw in reader.tables(document, "rule", ""):
        reader.check_keys(raw, RULE_KEYS, where)
        ident = reader.text(raw, "id", where)
        reason = reader.enum_of(ExemptionReason, raw, "reason", where)
        lapses = raw.get("lapses", False)
        if not isinstance(lapses, bool):
            reader.problem(f"{where}.lapses", f"must be true or false, got {lapses!r}")
            lapses = False
        within = (reader.duration(raw, "documented_start_within", where)
                  if "documented_start_within" in raw or not lapses else None)
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        if lapses and end is None:
            reader.problem(f"{where}.valid_to", "a reason that lapses needs the day it lapsed")
        basis, source = reader.text(raw, "legal_basis", where), reader.text(raw, "source", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where)
        if (ident and reason and (within or lapses) and start and basis and source
                and confidence):
            rules.append(ExemptionRule(ident, reason, within, start, end, basis, source,
                                       confidence,
                                       reader.text(raw, "note", where, required=False) or "",
                                       lapses))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(rules)
