"""Refund law as data: the 2016 staircase (lov 994/2015), the 2007-2015 rates and refund losses,
and dagpenge co-financing (ALF § 82 a), read from TOML as strictly as rule files.

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
from lab_rules.core.vocabulary import Benefit, CaseStep, OfferKind
from lab_rules.law.loader import RuleError, _Reader, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence

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


RATE_KEYS = {"benefit", "valid_from", "valid_to", "passive", "active", "legal_basis", "source",
             "note", "week_bands", "confidence", "active_min_hours", "max_absence_days",
             "visited_before"}
WEEK_BAND_KEYS = {"first", "last", "passive", "active"}
LOSS_KEYS = {"id", "title_da", "title_en", "legal_basis", "source", "law_text", "confidence",
             "valid_from", "valid_to", "note", "rules", "benefits", "requires_sample", "trigger",
             "steps", "duration", "counted"}
TRIGGERS = ("late_obligation", "undocumented_step", "long_spell")


@attrs.frozen
class WeekBand:
    """Rates for weeks first..last (None: open) of a sickness spell."""

    first: int
    last: int | None
    passive: Decimal
    active: Decimal


@attrs.frozen
class BaseRate:
    """The refund rate of a benefit in a period: passive, or active while in an offer, and
    for sygedagpenge by the week of the sickness spell."""

    benefit: Benefit
    valid_from: date
    valid_to: date
    passive: Decimal
    active: Decimal
    legal_basis: str
    note: str = ""
    week_bands: tuple[WeekBand, ...] = ()
    confidence: Confidence = Confidence.CONFIRMED
    active_min_hours: Decimal | None = None
    max_absence_days: int | None = None
    visited_before: date | None = None
    """The row applies only to persons visited to fleksjob before this day (old scheme)."""

    def rate(self, active: bool, week: int | None) -> Decimal:
        if self.week_bands and week is not None:
            for band in self.week_bands:
                if band.first <= week and (band.last is None or week <= band.last):
                    return band.active if active else band.passive
        return self.active if active else self.passive


@attrs.frozen
class LossRule:
    """A refund loss for late obligations of the named rules, due within the validity."""

    id: str
    title_da: str
    title_en: str
    legal_basis: str
    source: str
    law_text: str
    confidence: Confidence
    valid_from: date
    valid_to: date
    rules: frozenset[str]
    benefits: frozenset[Benefit]
    requires_sample: bool
    note: str = ""
    trigger: str = "late_obligation"
    """``late_obligation`` (L1, L2, L4), ``undocumented_step`` (L5), ``long_spell`` (L6)."""
    steps: frozenset[CaseStep] = frozenset()
    duration: Duration | None = None
    counted: frozenset[Benefit] = frozenset()


@attrs.frozen
class LossSchedule:
    rates: tuple[BaseRate, ...]
    losses: tuple[LossRule, ...]

    def rate_on(self, benefit: Benefit, day: date, visited: date | None = None
                ) -> BaseRate | None:
        """The row for *benefit* on *day*; old-scheme rows only for persons *visited* to
        fleksjob before the row's ``visited_before``."""
        return next((r for r in self.rates if r.benefit is benefit
                     and r.valid_from <= day <= r.valid_to
                     and (r.visited_before is None
                          or (visited is not None and visited < r.visited_before))), None)


def _decimal(reader: _Reader, raw: object, path: str) -> Decimal:
    if not isinstance(raw, str):
        reader.problem(path, f'must be a decimal share as a string, like "0.35", got {raw!r}')
        return Decimal(0)
    return Decimal(raw)


def load_loss_schedule(path: str | Path) -> LossSchedule:
    """Read rates and loss rules; raise :class:`RuleError` with every located problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"rate", "loss"}, "")
    rates = []
    for index, raw in enumerate(document.get("rate", [])):
        where = f"rate[{index}]"
        reader.check_keys(raw, RATE_KEYS, where)
        benefit = reader.enum_of(Benefit, raw, "benefit", where)
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        basis = reader.text(raw, "legal_basis", where)
        passive = _decimal(reader, raw.get("passive"), f"{where}.passive")
        active = _decimal(reader, raw.get("active"), f"{where}.active")
        confidence = reader.enum_of(Confidence, raw, "confidence", where, "confirmed")
        bands = []
        for b_index, band in enumerate(raw.get("week_bands", [])):
            b_where = f"{where}.week_bands[{b_index}]"
            reader.check_keys(band, WEEK_BAND_KEYS, b_where)
            first = reader.integer(band, "first", b_where, None, minimum=1)
            last = reader.integer(band, "last", b_where, None, minimum=1)
            if first is None:
                reader.problem(b_where, 'missing "first" week')
                continue
            bands.append(WeekBand(first, last, _decimal(reader, band.get("passive"), b_where),
                                  _decimal(reader, band.get("active"), b_where)))
        min_hours = raw.get("active_min_hours")
        if min_hours is not None and not isinstance(min_hours, int | float):
            reader.problem(f"{where}.active_min_hours", f"must be a number, got {min_hours!r}")
            min_hours = None
        max_absence = reader.integer(raw, "max_absence_days", where, None, minimum=0)
        visited_before = reader.day(raw, "visited_before", where)
        if benefit and start and end and basis and confidence:
            rates.append(BaseRate(benefit, start, end, passive, active, basis,
                                  str(raw.get("note", "")), tuple(bands), confidence,
                                  None if min_hours is None else Decimal(str(min_hours)),
                                  max_absence, visited_before))
    losses = []
    for index, raw in enumerate(document.get("loss", [])):
        where = f"loss[{index}]"
        reader.check_keys(raw, LOSS_KEYS, where)
        fields = {k: reader.text(raw, k, where) for k in (
            "id", "title_da", "title_en", "legal_basis", "source", "law_text")}
        confidence = reader.enum_of(Confidence, raw, "confidence", where, "confirmed")
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        trigger = raw.get("trigger", "late_obligation")
        if trigger not in TRIGGERS:
            reader.problem(f"{where}.trigger", f"{trigger!r} is not one of: {', '.join(TRIGGERS)}")
        rule_ids = raw.get("rules", [])
        if trigger == "late_obligation" and (not isinstance(rule_ids, list) or not rule_ids):
            reader.problem(f"{where}.rules", "name the rule ids whose late obligations lose refund")
            rule_ids = []
        benefits = reader.enum_set(Benefit, raw, "benefits", where)
        sample = reader.boolean(raw, "requires_sample", where)
        steps = reader.enum_set(CaseStep, raw, "steps", where)
        duration = reader.duration(raw, "duration", where)
        if trigger == "undocumented_step" and (not steps or duration is None):
            reader.problem(where, 'an undocumented_step loss needs "steps" and "duration"')
        counted = reader.enum_set(Benefit, raw, "counted", where)
        if all(fields.values()) and confidence and start and end:
            losses.append(LossRule(
                str(fields["id"]), str(fields["title_da"]), str(fields["title_en"]),
                str(fields["legal_basis"]), str(fields["source"]), str(fields["law_text"]),
                confidence, start, end, frozenset(map(str, rule_ids)), benefits, bool(sample),
                str(raw.get("note", "")), str(trigger), steps, duration, counted))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return LossSchedule(tuple(rates), tuple(losses))


@functools.lru_cache(maxsize=1)
def bundled_loss_schedule() -> LossSchedule:
    return load_loss_schedule(bundled_rules_dir() / "parameters" / "refusionsbortfald.toml")


PERIOD_KEYS = {"valid_from", "valid_to", "passive", "active_low", "active_high", "late",
               "karens_weeks", "karens_from_year_start", "legal_basis", "source"}


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


@attrs.frozen
class CofinancingRules:
    periods: tuple[CofinancingPeriod, ...]
    low_offers: frozenset[OfferKind]

    def period(self, monday: date) -> CofinancingPeriod | None:
        return next((p for p in self.periods if p.valid_from <= monday <= p.valid_to), None)


def load_cofinancing(path: str | Path) -> CofinancingRules:
    """Read the co-financing parameters; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"period", "low_offers", "low_offers_note"}, "")
    periods = []
    for index, raw in enumerate(document.get("period", [])):
        where = f"period[{index}]"
        reader.check_keys(raw, PERIOD_KEYS, where)
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        shares = {}
        for key in ("passive", "active_low", "active_high", "late"):
            value = raw.get(key)
            if not isinstance(value, str):
                reader.problem(f"{where}.{key}", f'must be a share as a string, got {value!r}')
                value = "0"
            shares[key] = Decimal(value)
        karens = reader.integer(raw, "karens_weeks", where, 0)
        from_year = reader.boolean(raw, "karens_from_year_start", where)
        basis = reader.text(raw, "legal_basis", where)
        if start and end and basis is not None and karens is not None:
            periods.append(CofinancingPeriod(start, end, shares["passive"], shares["active_low"],
                                             shares["active_high"], shares["late"], karens,
                                             bool(from_year), basis))
    low = reader.enum_set(OfferKind, document, "low_offers", "")
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return CofinancingRules(tuple(periods), low)


@functools.lru_cache(maxsize=1)
def bundled_cofinancing() -> CofinancingRules:
    return load_cofinancing(bundled_rules_dir() / "parameters" / "dagpenge-medfinansiering.toml")


