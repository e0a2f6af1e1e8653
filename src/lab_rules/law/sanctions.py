"""Sanction law as data: the register of sanction rules by era and the dated rate tables
(``rules/parameters/sanktionsregler.toml``, ``sanktionssatser.toml``).

One register entry per rule and era, each with its legal basis, validity, confidence and
source, so that every sanction result says which era's text covered the failure's date (or
that none did, which is then a gap).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs

from lab_rules.core.vocabulary import RateCategory
from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence

TABLE_KEYS = {"id", "valid_from", "valid_to", "formula", "confidence", "legal_basis", "source",
              "note", "bands", "reductions"}
FORMULAS = ("annual_per_260", "era_2009")
BAND_KEYS = {"below", "up_to", "rate"}
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


@attrs.frozen
class RateBand:
    limit: Decimal | None
    inclusive: bool
    rate: Decimal


@attrs.frozen
class RateTable:
    """Sanction rate per day by monthly hjælp, for failures in a period."""

    id: str
    valid_from: date
    valid_to: date | None
    confidence: Confidence
    legal_basis: str
    note: str
    bands: tuple[RateBand, ...] = ()
    formula: str | None = None
    reductions: tuple[tuple[RateCategory, Decimal], ...] = ()
    """Fixed § 40 nedsættelse by rate category (the 2009-2013 era)."""

    def rate(self, monthly: Decimal) -> Decimal:
        if self.formula in FORMULAS:
            return (monthly * 12 / 260).quantize(Decimal(1), ROUND_HALF_UP)
        for band in self.bands:
            if band.limit is None or monthly < band.limit or (
                    band.inclusive and monthly == band.limit):
                return band.rate
        raise ValueError(f"no band for {monthly}")  # pragma: no cover - last band is open


def load_sanction_rates(path: str) -> tuple[RateTable, ...]:
    """Read the dated rate tables; raise :class:`RuleError` with every located problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"table"}, "")
    tables = []
    for index, raw in enumerate(document.get("table", [])):
        where = f"table[{index}]"
        reader.check_keys(raw, TABLE_KEYS, where)
        bands = []
        for b_index, band in enumerate(raw.get("bands", [])):
            b_where = f"{where}.bands[{b_index}]"
            reader.check_keys(band, BAND_KEYS, b_where)
            limit = band.get("below", band.get("up_to"))
            bands.append(RateBand(None if limit is None else Decimal(str(limit)),
                                  "up_to" in band, Decimal(str(band.get("rate", "0")))))
        reductions = []
        for r_index, entry in enumerate(raw.get("reductions", [])):
            r_where = f"{where}.reductions[{r_index}]"
            reader.check_keys(entry, {"category", "amount"}, r_where)
            category = reader.enum_of(RateCategory, entry, "category", r_where)
            amount = entry.get("amount")
            if not isinstance(amount, str) or not amount.isdigit():
                reader.problem(f"{r_where}.amount", f"must be whole kroner as a string, got "
                               f"{amount!r}")
            elif category is not None:
                reductions.append((category, Decimal(amount)))
        formula = raw.get("formula")
        if formula is not None and formula not in FORMULAS:
            reader.problem(f"{where}.formula", f"{formula!r} is not a known formula")
        if not bands and formula is None:
            reader.problem(where, 'a table needs "bands" or a "formula"')
        identifier = reader.text(raw, "id", where)
        start = reader.day(raw, "valid_from", where)
        basis = reader.text(raw, "legal_basis", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where, "confirmed")
        if identifier and start and basis and confidence:
            tables.append(RateTable(identifier, start, reader.day(raw, "valid_to", where),
                                    confidence, basis, str(raw.get("note", "")), tuple(bands),
                                    formula, tuple(reductions)))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(tables)


@functools.lru_cache(maxsize=1)
def bundled_sanction_rates() -> tuple[RateTable, ...]:
    return load_sanction_rates(str(bundled_rules_dir() / "parameters" / "sanktionssatser.toml"))


