"""The entitlements' figures as data: kontanthjælp holiday (``rules/parameters/
kontanthjaelp-ferie.toml``, kind ``kh_holiday``) and dagpenge in the first days of sickness
(``rules/parameters/dagpenge-sygdom.toml``, kind ``dagpenge_sickness``).

A legal basis worded in English ("same in ...") has its Danish wording beside it
(``legal_basis_da``), so that a Danish text cites it in Danish.

The law writes weeks ("op til 4 ugers ferie", "En ferieperiode må højst vare 2 uger", "de
første 14 dages sygdom"); the entries keep those durations as written, and how many holiday
days a week holds is a separate, marked convention.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import attrs

from lab_rules.calendar import Duration
from lab_rules.core.messages import Said
from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import COMMON_KEYS, entry_of

HOLIDAY_KEYS = COMMON_KEYS | {"legal_basis_da", "earned_after", "take_within", "total",
                              "longest_period", "days_per_week", "days_per_week_confidence",
                              "agreement_basis"}
SICKNESS_KEYS = COMMON_KEYS | {"duration", "duties_basis", "legal_basis_da"}


@attrs.frozen
class HolidayRule:
    """Kontanthjælp holiday: after ``earned_after`` of consecutive help, ``total`` of holiday
    within ``take_within``, no period longer than ``longest_period``."""

    id: str
    valid_from: date
    valid_to: date | None
    earned_after: Duration
    take_within: Duration
    total: Duration
    longest_period: Duration
    days_per_week: int
    """Holiday days in a week of holiday (Monday-Friday): a convention."""
    days_per_week_confidence: Confidence
    agreement_basis: str
    legal_basis: str
    confidence: Confidence
    source: str
    legal_basis_da: str | None = None
    """The legal basis in Danish where ``legal_basis`` has English words."""

    def cited(self) -> Said:
        """The legal basis as each language cites it."""
        return Said(self.legal_basis_da or self.legal_basis, self.legal_basis)


@attrs.frozen
class SicknessRule:
    """Dagpenge during the first ``duration`` of a sickness, counted in calendar days from the
    first day of absence."""

    id: str
    valid_from: date
    valid_to: date | None
    duration: Duration
    duties_basis: str
    legal_basis: str
    confidence: Confidence
    source: str
    legal_basis_da: str | None = None
    """The legal basis in Danish where ``legal_basis`` has English words."""

    def cited(self) -> Said:
        """The legal basis as each language cites it."""
        return Said(self.legal_basis_da or self.legal_basis, self.legal_basis)


def load_holiday_rules(path: str | Path) -> tuple[HolidayRule, ...]:
    """Read the holiday entries; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"entry"}, "")
    found = []
    for where, raw in reader.tables(document, "entry", ""):
        reader.check_keys(raw, set(HOLIDAY_KEYS), where)
        common = entry_of(reader, raw, where)
        spans = [reader.duration(raw, key, where, positive=True)
                 for key in ("earned_after", "take_within", "total", "longest_period")]
        per_week = reader.integer(raw, "days_per_week", where, None, minimum=1, maximum=7)
        mark = reader.enum_of(Confidence, raw, "days_per_week_confidence", where)
        agreement = reader.text(raw, "agreement_basis", where)
        if None in spans or per_week is None or mark is None:
            reader.problem(where, "earned_after, take_within, total, longest_period (durations), "
                           "days_per_week and days_per_week_confidence are required")
            continue
        earned, within, total, longest = (s for s in spans if s is not None)
        if longest.total_months:
            reader.problem(f"{where}.longest_period", f"{longest} has months: the longest "
                           "holiday period is counted in days (write days or weeks, like P2W)")
            continue
        if common is not None and agreement is not None:
            found.append(HolidayRule(common.id, common.valid_from, common.valid_to, earned,
                                     within, total, longest, per_week, mark, agreement,
                                     common.legal_basis, common.confidence, common.source,
                                     reader.text(raw, "legal_basis_da", where, required=False)))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(found)


def load_sickness_rules(path: str | Path) -> tuple[SicknessRule, ...]:
    """Read the sickness entries; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"entry"}, "")
    found = []
    for where, raw in reader.tables(document, "entry", ""):
        reader.check_keys(raw, set(SICKNESS_KEYS), where)
        common = entry_of(reader, raw, where)
        duration = reader.duration(raw, "duration", where)
        duties = reader.text(raw, "duties_basis", where)
        if duration is None:
            reader.problem(where, 'missing required duration "duration" (P14D)')
        if common is not None and duration is not None and duties is not None:
            found.append(SicknessRule(common.id, common.valid_from, common.valid_to, duration,
                                      duties, common.legal_basis, common.confidence,
                                      common.source,
                                      reader.text(raw, "legal_basis_da", where, required=False)))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(found)


@functools.lru_cache(maxsize=1)
def bundled_holiday_rules() -> tuple[HolidayRule, ...]:
    return load_holiday_rules(bundled_rules_dir() / "parameters" / "kontanthjaelp-ferie.toml")


@functools.lru_cache(maxsize=1)
def bundled_sickness_rules() -> tuple[SicknessRule, ...]:
    return load_sickness_rules(bundled_rules_dir() / "parameters" / "dagpenge-sygdom.toml")
