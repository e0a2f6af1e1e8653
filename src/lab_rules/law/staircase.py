"""Dated parameters for refund computations, read from TOML as strictly as rule files.

Parameters (rates, bands, cut-over dates) are data with a legal basis, kept apart from the
formulas that use them, as OpenFisca keeps parameters apart from formulas.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from lab_rules.calendar import Duration
from lab_rules.core.vocabulary import Benefit
from lab_rules.law.loader import RuleError, _Reader, bundled_rules_dir, open_toml

PARAMETER_KEYS = {
    "id", "title_da", "title_en", "act", "legal_basis", "source", "valid_from", "count_from",
    "count_from_note",
    "transition_from", "transition_note", "restart_weeks", "restart_window", "restart_note",
    "fleksjob_visited_from", "foertidspension_granted_from", "refunded", "cofinanced",
    "other_public_support",
}
BAND_KEYS = {"first_week", "last_week", "refund", "cofinancing"}


@attrs.frozen
class Band:
    """Refund and co-financing rates for the person's benefit weeks first..last."""

    first_week: int
    last_week: int | None
    refund: Decimal
    cofinancing: Decimal


@attrs.frozen
class Staircase:
    """The refund staircase of lov 994/2015 § 5 with its counting parameters."""

    id: str
    act: str
    source: str
    valid_from: date
    count_from: date
    transition_from: date
    restart_weeks: int
    restart_window: Duration
    fleksjob_visited_from: date
    foertidspension_granted_from: date
    refunded: frozenset[Benefit]
    cofinanced: frozenset[Benefit]
    other_public_support: frozenset[Benefit]
    bands: tuple[Band, ...]
    notes: tuple[str, ...] = ()
    legal_basis: str = ""

    def band(self, week: int) -> Band:
        for band in self.bands:
            if band.first_week <= week and (band.last_week is None or week <= band.last_week):
                return band
        raise ValueError(f"no band for week {week}")  # pragma: no cover - checked on load


def _rate(reader: _Reader, raw: object, path: str) -> Decimal | None:
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        value = None
    if value is None or not Decimal(0) <= value <= Decimal(1) or not isinstance(raw, str):
        reader.problem(path, f'must be a decimal share as a string, like "0.40", got {raw!r}')
        return None
    return value


def load_staircase(path: str | Path) -> Staircase:
    """Read a staircase parameter file; raise :class:`RuleError` with every located problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"parameters", "band"}, "")
    table = reader.table(document, "parameters", "")
    reader.check_keys(table, PARAMETER_KEYS, "parameters")
    days = {k: reader.day(table, k, "parameters") for k in (
        "valid_from", "count_from", "transition_from", "fleksjob_visited_from",
        "foertidspension_granted_from")}
    for key, value in days.items():
        if value is None:
            reader.problem("parameters", f'missing required key "{key}"')
    groups = {k: reader.enum_set(Benefit, table, k, "parameters") for k in (
        "refunded", "cofinanced", "other_public_support")}
    bands = []
    for index, raw in enumerate(document.get("band", [])):
        bpath = f"band[{index}]"
        reader.check_keys(raw, BAND_KEYS, bpath)
        first = reader.integer(raw, "first_week", bpath, None, minimum=1)
        last = reader.integer(raw, "last_week", bpath, None, minimum=1)
        refund = _rate(reader, raw.get("refund"), f"{bpath}.refund")
        cofinancing = _rate(reader, raw.get("cofinancing"), f"{bpath}.cofinancing")
        if first is not None and refund is not None and cofinancing is not None:
            bands.append(Band(first, last, refund, cofinancing))
    expected = 1
    for band in bands:
        if band.first_week != expected:
            reader.problem("band", f"bands must follow each other from week 1; week {expected} "
                           f"is not covered")
            break
        expected = (band.last_week or 0) + 1
    if bands and bands[-1].last_week is not None:
        reader.problem("band", "the last band must be open-ended (no last_week)")
    window = reader.duration(table, "restart_window", "parameters")
    identifier = reader.text(table, "id", "parameters")
    act = reader.text(table, "act", "parameters")
    source = reader.text(table, "source", "parameters")
    restart = reader.integer(table, "restart_weeks", "parameters", None, minimum=1)
    legal_basis = reader.text(table, "legal_basis", "parameters")
    if (reader.problems or identifier is None or act is None or source is None or window is None
            or restart is None):
        raise RuleError(reader.problems, subject=str(path))
    notes = tuple(str(table[k]) for k in ("count_from_note", "transition_note", "restart_note")
                  if k in table)
    return Staircase(
        identifier, act, source, days["valid_from"], days["count_from"],  # type: ignore[arg-type]
        days["transition_from"], restart, window, days["fleksjob_visited_from"],  # type: ignore[arg-type]
        days["foertidspension_granted_from"], groups["refunded"],  # type: ignore[arg-type]
        groups["cofinanced"], groups["other_public_support"], tuple(bands), notes,
        legal_basis or "")


@functools.lru_cache(maxsize=1)
def bundled_staircase() -> Staircase:
    """The staircase parameters shipped with lab-rules."""
    return load_staircase(bundled_rules_dir() / "parameters" / "refusionstrappe.toml")
