"""Sanction rate tables as data (``rules/parameters/sanktionssatser.toml``, kind
``sanction_rates``): the sanktionssats per day by the person's monthly hjælp, one dated table
per period (LAS § 35, stk. 4), selected by the day of the failure.

A table either has bands (2020 on: a rate for each band of monthly hjælp) or a formula
(2009-2019: the annual hjælp / 260 per day), and for 2009-2013 the fixed § 40 reductions by
rate category.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lab_rules.core.vocabulary import RateCategory
from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import in_force
from lab_rules.law.rule_texts import Worded, pair

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
        working_days = reader.integer(raw, "working_days", where, None, 1)
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
        note = str(raw.get("note", ""))
        if identifier and start and basis and confidence:
            tables.append(RateTable(identifier, start, reader.day(raw, "valid_to", where),
                                    confidence, basis, note, tuple(bands),
                                    formula, tuple(reductions), working_days, hjaelp,
                                    monthly_cap,
                                    reader.integer(raw, "adult_from_age", where, None),
                                    pair(reader, note, raw.get("note_da"), f"{where}.note_da")))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(tables)


@functools.lru_cache(maxsize=1)
def bundled_sanction_rates() -> tuple[RateTable, ...]:
    return load_sanction_rates(str(bundled_rules_dir() / "parameters" / "sanktionssatser.toml"))




def table_on(tables: Sequence[RateTable], day: date) -> RateTable | None:
    """The rate table in force on *day*, if any."""
    found: RateTable | None = in_force(tables, day)
    return found
