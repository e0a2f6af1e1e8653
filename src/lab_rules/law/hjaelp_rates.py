"""The person's monthly rate of hjælp as data (kind ``hjaelp_rates``).

LAS § 35, stk. 4 bands the sanktionssats by the hjælp the person is entitled to under
§§ 16-20 "uanset om personen får foretaget fradrag i hjælpen som følge af indtægter", and caps
a calendar month's deductions at "den beregnede hjælp efter §§ 16-20 for samme måned": both need
the person's RATE, not what happened to be paid. A table entry gives one monthly rate for a
period and the person facts that select it (age band, custody of children, married, living
with parents); an entry that states a fact the timeline does not give does not match. Only
rates the research confirms are entered; a period or category without an entry is a gap, and
the sanction then falls back to the month's payments and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from lab_rules.law.bounds import MAX_AGE
from lab_rules.law.loader import RuleError, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import covers, decimal_of

RATE_KEYS = {"id", "valid_from", "valid_to", "monthly", "benefit", "age_from", "age_below",
             "custody",
             "married", "living_with_parents", "legal_basis", "confidence", "source", "note"}


@attrs.frozen
class PersonFacts:
    """The facts that select a rate of hjælp; None is unknown."""

    benefit: str | None = None
    age: int | None = None
    custody: bool | None = None
    married: bool | None = None
    living_with_parents: bool | None = None


@attrs.frozen
class HjaelpRate:
    """One monthly rate of hjælp for a period and a category of person."""

    id: str
    valid_from: date
    valid_to: date | None
    monthly: Decimal
    legal_basis: str
    confidence: Confidence
    source: str
    note: str = ""
    benefit: str | None = None
    """The benefit the rate is of (``kontanthjaelp``, ``uddannelseshjaelp``, ...)."""
    age_from: int | None = None
    age_below: int | None = None
    custody: bool | None = None
    married: bool | None = None
    living_with_parents: bool | None = None

    def fits(self, day: date, person: PersonFacts) -> bool:
        """In force on *day* and every fact the entry states is known and agrees."""
        if not covers(self, day):
            return False
        if self.benefit is not None and person.benefit != self.benefit:
            return False
        if self.age_from is not None or self.age_below is not None:
            if person.age is None:
                return False
            if self.age_from is not None and person.age < self.age_from:
                return False
            if self.age_below is not None and person.age >= self.age_below:
                return False
        return all(wanted is None or (known is not None and known == wanted) for wanted, known in (
            (self.custody, person.custody), (self.married, person.married),
            (self.living_with_parents, person.living_with_parents)))


def rate_for(rates: Sequence[HjaelpRate], day: date, person: PersonFacts) -> HjaelpRate | None:
    """The one rate that fits *person* on *day*; None when none or several fit (a gap)."""
    found = [r for r in rates if r.fits(day, person)]
    return found[0] if len(found) == 1 else None


def load_hjaelp_rates(path: str | Path) -> tuple[HjaelpRate, ...]:
    """Read the rate entries; raise :class:`RuleError` with every located problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"rate"}, "")
    rates = []
    for where, raw in reader.tables(document, "rate", ""):
        reader.check_keys(raw, RATE_KEYS, where)
        ident, start = reader.text(raw, "id", where), reader.day(raw, "valid_from", where)
        basis, source = reader.text(raw, "legal_basis", where), reader.text(raw, "source", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where)
        monthly = decimal_of(reader, raw, "monthly", where, unit="kroner")
        flags = {key: reader.boolean(raw, key, where)
                 for key in ("custody", "married", "living_with_parents")}
        if ident and start and basis and source and confidence and monthly is not None:
            rates.append(HjaelpRate(
                ident, start, reader.day(raw, "valid_to", where), monthly, basis, confidence,
                source, reader.text(raw, "note", where, required=False) or "",
                reader.text(raw, "benefit", where, required=False),
                reader.integer(raw, "age_from", where, None, maximum=MAX_AGE),
                reader.integer(raw, "age_below", where, None, maximum=MAX_AGE), **flags))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(rates)
