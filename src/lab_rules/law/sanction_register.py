"""The register of sanction rules (``rules/parameters/sanktionsregler.toml``): data, not code.

One entry per rule and era, each with its legal basis, validity, confidence and source, so that
the rules :mod:`lab_rules.sanctions.compute` computes are a reviewable artefact and every
result says
which era's text covered the failure's date (or that none did, which is then a gap).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import attrs

from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence

RULE_KEYS = {"id", "era", "valid_from", "valid_to", "legal_basis", "confidence", "source",
             "summary"}


@attrs.frozen
class SanctionRule:
    """One sanction rule in one era."""

    id: str
    era: str
    valid_from: date
    valid_to: date | None
    legal_basis: str
    confidence: Confidence
    source: str
    summary: str

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def load_sanction_register(path: str | Path) -> tuple[SanctionRule, ...]:
    """Read the register; raise :class:`RuleError` with every located problem, including two
    eras of one rule that overlap."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"rule"}, "")
    entries: list[SanctionRule] = []
    for index, raw in enumerate(document.get("rule", [])):
        where = f"rule[{index}]"
        reader.check_keys(raw, RULE_KEYS, where)
        ident, era = reader.text(raw, "id", where), reader.text(raw, "era", where)
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        basis, source = reader.text(raw, "legal_basis", where), reader.text(raw, "source", where)
        summary = reader.text(raw, "summary", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where)
        if start and end and end < start:
            reader.problem(f"{where}.valid_to", f"{end} is before valid_from {start}")
        if ident and era and start and basis and source and summary and confidence:
            entry = SanctionRule(ident, era, start, end, basis, confidence, source, summary)
            clash = next((e for e in entries if e.id == ident and _overlap(e, entry)), None)
            if clash is not None:
                reader.problem(where, f"{ident} era {era} overlaps era {clash.era}")
            entries.append(entry)
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(entries)


def _overlap(a: SanctionRule, b: SanctionRule) -> bool:
    return (a.valid_to is None or b.valid_from <= a.valid_to) and (
        b.valid_to is None or a.valid_from <= b.valid_to)


@functools.lru_cache(maxsize=1)
def bundled_sanction_register() -> tuple[SanctionRule, ...]:
    return load_sanction_register(bundled_rules_dir() / "parameters" / "sanktionsregler.toml")


def covering(register: Sequence[SanctionRule], rule_id: str, day: date) -> SanctionRule | None:
    """The register entry for *rule_id* in force on *day*, if any."""
    return next((e for e in register if e.id == rule_id and e.covers(day)), None)
