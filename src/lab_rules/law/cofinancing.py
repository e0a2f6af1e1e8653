"""Dagpenge co-financing before the staircase as data (ALF § 82 a; BEK 1350/2009, BEK 316/2011):
``kind = "cofinancing"``, ``rules/parameters/dagpenge-medfinansiering.toml``.

Each period says the municipal shares of passive hours, of active hours in "low" offers
(education, virksomhedspraktik) and other offers, of passive hours after the ret og pligt
deadline, and the karens weeks, with its id, legal basis and source.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from lab_rules.core.vocabulary import Benefit, OfferKind, TargetGroup
from lab_rules.law.bounds import DAY_HOURS, MAX_WEEKS, SHARE
from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import decimal_of

PERIOD_KEYS = {"id", "valid_from", "valid_to", "passive", "active_low", "active_high", "late",
               "karens_weeks", "karens_from_year_start", "legal_basis", "source"}
TOP_KEYS = {"period", "low_offers", "low_offers_note", "benefit", "group", "assumed_hours"}
HOURS_KEYS = {"id", "weekday_hours", "legal_basis", "source", "confidence", "note"}


@attrs.frozen
class CofinancingPeriod:
    valid_from: date
    valid_to: date
    passive: Decimal
    active_low: Decimal
    active_high: Decimal
    late: Decimal
    karens_weeks: int
    karens_from_year_start: bool
    legal_basis: str
    id: str = ""


@attrs.frozen
class CofinancingRules:
    periods: tuple[CofinancingPeriod, ...]
    low_offers: frozenset[OfferKind]
    benefit: Benefit
    """The co-financed benefit."""
    group: TargetGroup
    """The target group whose ret og pligt deadlines make passive hours "late"."""
    weekday_hours: Decimal
    """Hours a weekday on the benefit when payments do not give hours."""
    weekday_hours_entry: str

    def period(self, monday: date) -> CofinancingPeriod | None:
        return next((p for p in self.periods if p.valid_from <= monday <= p.valid_to), None)


def load_cofinancing(path: str | Path) -> CofinancingRules:
    """Read the co-financing parameters; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, TOP_KEYS, "")
    periods = []
    for where, raw in reader.tables(document, "period", ""):
        reader.check_keys(raw, PERIOD_KEYS, where)
        ident = reader.text(raw, "id", where)
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        for key in ("valid_from", "valid_to"):
            if key not in raw:
                reader.problem(where, f'missing required key "{key}"')
        shares = {key: decimal_of(reader, raw, key, where, maximum=SHARE, unit="a share")
                  for key in ("passive", "active_low", "active_high", "late")}
        karens = reader.integer(raw, "karens_weeks", where, 0, maximum=MAX_WEEKS)
        from_year = reader.boolean(raw, "karens_from_year_start", where)
        basis = reader.text(raw, "legal_basis", where)
        reader.text(raw, "source", where)
        if (ident and start and end and basis is not None and karens is not None
                and None not in shares.values()):
            passive, active_low, active_high, late = (s or Decimal(0) for s in shares.values())
            periods.append(CofinancingPeriod(start, end, passive, active_low, active_high, late,
                                             karens, bool(from_year), basis, ident))
    low = reader.enum_set(OfferKind, document, "low_offers", "")
    hours = reader.table(document, "assumed_hours", "")
    reader.check_keys(hours, HOURS_KEYS, "assumed_hours")
    hours_id = reader.text(hours, "id", "assumed_hours")
    for key in ("legal_basis", "source"):
        reader.text(hours, key, "assumed_hours")
    reader.enum_of(Confidence, hours, "confidence", "assumed_hours")
    weekday = decimal_of(reader, hours, "weekday_hours", "assumed_hours", maximum=DAY_HOURS,
                         positive=True, unit="hours")
    benefit = reader.enum_of(Benefit, document, "benefit", "")
    group = reader.enum_of(TargetGroup, document, "group", "")
    for key in ("benefit", "group"):
        if key not in document:
            reader.problem(key, f'missing required key "{key}": name the co-financed "benefit" '
                           'and its target "group"')
    if (reader.problems or benefit is None or group is None or hours_id is None
            or weekday is None):
        raise RuleError(reader.problems, subject=str(path))
    return CofinancingRules(tuple(periods), low, benefit, group, weekday, hours_id)


@functools.lru_cache(maxsize=1)
def bundled_cofinancing() -> CofinancingRules:
    return load_cofinancing(bundled_rules_dir() / "parameters" / "dagpenge-medfinansiering.toml")
