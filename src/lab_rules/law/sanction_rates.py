"""Sanction rate tables as data (``rules/parameters/sanktionssatser.toml``, kind
``sanction_rates``): the sanktionssats per day by the person's monthly hjælp, one dated table
per period (LAS § 35, stk. 4), selected by the day of the failure.

A table either has bands (2020 on: a rate for each band of monthly hjælp) or a formula
(2009-2019: the annual hjælp / 260 per day), and for 2009-2013 the fixed § 40 reductions by
rate category.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from lab_rules.core.vocabulary import RateCategory
from lab_rules.law.bounds import MAX_AGE
from lab_rules.law.loader import RuleError, _Reader, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import decimal_of, in_force
from lab_rules.law.rule_texts import Worded, pair, template

TABLE_KEYS = {"id", "valid_from", "valid_to", "formula", "confidence", "legal_basis", "source",
              "note", "note_da", "bands", "reductions", "working_days", "hjaelp", "monthly_cap",
              "adult_from_age"}
HJAELP = ("rate", "paid")
FORMULAS = ("annual_per_260", "era_2009")
BAND_KEYS = {"below", "up_to", "rate"}
_MONTHS_A_YEAR = 12
_WHOLE = Decimal((0, (1,), 0))
"""Whole kroner."""


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
    working_days: int | None = None
    """A formula table: the working days a year the annual hjælp is spread over."""
    hjaelp: str = "paid"
    """Which monthly hjælp chooses the band: ``rate`` (the person's rate of hjælp, "uanset"
    income deductions, LAS § 35, stk. 4, 2. pkt. from 2020) or ``paid`` (the month's hjælp as
    paid: before 2020 a reduced hjælp reduced the daily rate "med samme andel")."""
    monthly_cap: bool = False
    adult_from_age: int | None = None
    """Fixed reductions: without a recorded rate category, the age from which the adult
    reduction applies (the adult rates of LAS lbk 190/2012 § 25)."""
    """Whether a calendar month's deductions are capped at the month's hjælp (LAS § 35,
    stk. 4, 3. pkt., from 2020)."""
    note_da: str = ""
    """The note in Danish (empty: only English is given)."""

    @property
    def said_note(self) -> Worded:
        """The note in both languages."""
        return Worded(self.note_da or self.note, self.note)

    def rate(self, monthly: Decimal) -> Decimal:
        if self.formula in FORMULAS:
            assert self.working_days, self.id
            return (monthly * _MONTHS_A_YEAR / self.working_days).quantize(_WHOLE,
                                                                          ROUND_HALF_UP)
        for band in self.bands:
            if band.limit is None or monthly < band.limit or (
                    band.inclusive and monthly == band.limit):
                return band.rate
        raise ValueError(f"no band for {monthly}")  # pragma: no cover - last band is open


def load_sanction_rates(path: str) -> tuple[RateTable, ...]:
    """Read the dated rate tables; raise :class:`RuleError` with every located problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"kind", "table"}, "")
    tables = []
    for where, raw in reader.tables(document, "table", ""):
        reader.check_keys(raw, TABLE_KEYS, where)
        bands = _bands(reader, raw, where)
        reductions = []
        for r_where, entry in reader.tables(raw, "reductions", where):
            reader.check_keys(entry, {"category", "amount"}, r_where)
            category = reader.enum_of(RateCategory, entry, "category", r_where)
            amount = decimal_of(reader, entry, "amount", r_where, unit="kroner")
            if category is not None and amount is not None:
                reductions.append((category, amount))
        formula = raw.get("formula")
        if formula is not None and formula not in FORMULAS:
            reader.problem(f"{where}.formula", f"{formula!r} is not a known formula")
        working_days = reader.integer(raw, "working_days", where, None, 1, maximum=366)
        if formula is not None and working_days is None:
            reader.problem(where, 'a formula table needs "working_days"')
        hjaelp = str(raw.get("hjaelp", "paid"))
        if hjaelp not in HJAELP:
            reader.problem(f"{where}.hjaelp", f"{hjaelp!r} is not one of {', '.join(HJAELP)}")
        monthly_cap = reader.boolean(raw, "monthly_cap", where) or False
        if not bands and formula is None:
            reader.problem(where, 'a table needs "bands" or a "formula"')
        identifier = reader.text(raw, "id", where)
        start = reader.day(raw, "valid_from", where)
        basis = reader.text(raw, "legal_basis", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where, "confirmed")
        note = template(reader, reader.text(raw, "note", where, required=False),
                        f"{where}.note") or ""
        if identifier and start and basis and confidence:
            tables.append(RateTable(identifier, start, reader.day(raw, "valid_to", where),
                                    confidence, basis, note, tuple(bands),
                                    formula, tuple(reductions), working_days, hjaelp,
                                    monthly_cap,
                                    reader.integer(raw, "adult_from_age", where, None,
                                                   maximum=MAX_AGE),
                                    pair(reader, note, raw.get("note_da"), f"{where}.note_da")))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(tables)


def _bands(reader: _Reader, raw: Mapping[str, Any], where: str) -> list[RateBand]:
    """A table's bands by monthly hjælp: each below (or up to) a limit that rises from band to
    band, the last without one, so that every amount has its band."""
    bands: list[RateBand] = []
    for b_where, band in reader.tables(raw, "bands", where):
        reader.check_keys(band, BAND_KEYS, b_where)
        if "below" in band and "up_to" in band:
            reader.problem(b_where, 'give "below" or "up_to", not both')
        key = "up_to" if "up_to" in band else "below"
        limit = decimal_of(reader, band, key, b_where, required=False, unit="kroner")
        rate = decimal_of(reader, band, "rate", b_where, unit="kroner")
        if bands and (bands[-1].limit is None or (limit is not None
                                                   and limit <= bands[-1].limit)):
            reader.problem(f"{b_where}.{key}", "the limits must rise from band to band, and "
                           "only the last band is without one")
        if rate is not None and (limit is not None or key not in band):
            bands.append(RateBand(limit, key == "up_to", rate))
    if bands and bands[-1].limit is not None:
        reader.problem(f"{where}.bands", "the last band must have no limit (every monthly hjælp "
                       "has a band)")
    return bands


@functools.lru_cache(maxsize=1)
def bundled_sanction_rates() -> tuple[RateTable, ...]:
    return load_sanction_rates(str(bundled_rules_dir() / "parameters" / "sanktionssatser.toml"))




def table_on(tables: Sequence[RateTable], day: date) -> RateTable | None:
    """The rate table in force on *day*, if any."""
    found: RateTable | None = in_force(tables, day)
    return found
