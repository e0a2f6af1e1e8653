"""Refund before the staircase as data: the 2007-2015 refund rates and the refund losses L1-L6
(``kind = "refund_losses"``, ``rules/parameters/refusionsbortfald.toml``).

A rate row says the refund share of one benefit in a period (passive, active while in an
offer, and for sygedagpenge by the week of the spell, SDP § 62). A loss entry names its
*trigger*, the shape :mod:`lab_rules.refund.losses` interprets: ``late_obligation`` (L1-L4:
no refund while a named rule's obligation is overdue), ``undocumented_step`` (L5: no refund
for ``duration`` after a case step without documented basis) and ``long_spell`` (L6: no refund
after ``spell`` on benefit within ``within``, until ``ends_after`` in fleksjob within
``ends_within``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from lab_rules.calendar import Duration
from lab_rules.core.messages import Said
from lab_rules.core.vocabulary import Benefit, CaseStep, TargetGroup
from lab_rules.law.bounds import MAX_DAYS, MAX_WEEKS, SHARE, WEEK_HOURS
from lab_rules.law.loader import RuleError, _Reader, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import figure_of
from lab_rules.law.rule_texts import note_pair

RATE_KEYS = {"id", "benefit", "valid_from", "valid_to", "passive", "active", "legal_basis",
             "legal_basis_da", "note_da",
             "source", "note", "week_bands", "confidence", "active_min_hours",
             "max_absence_days", "visited_before"}
WEEK_BAND_KEYS = {"first", "last", "passive", "active"}
LOSS_KEYS = {"id", "title_da", "title_en", "legal_basis", "legal_basis_da", "source", "law_text",
             "confidence", "note_da",
             "valid_from", "valid_to", "note", "rules", "benefits", "requires_sample", "trigger",
             "steps", "duration", "counted", "spell", "within", "ends_after", "ends_within",
             "fleksjob_benefits", "fleksjob_groups"}
TRIGGERS = ("late_obligation", "undocumented_step", "long_spell")
_SPELL_KEYS = ("spell", "within", "ends_after", "ends_within")


@attrs.frozen
class WeekBand:
    """Rates for weeks first..last (None: open) of a sickness spell."""

    first: int
    last: int | None
    passive: Decimal
    active: Decimal


class _InBothLanguages:
    """The legal basis and note of an entry in the reader's language: the Danish twins
    (``legal_basis_da``, ``note_da``) where the file gives them, else the file's own words."""

    __slots__ = ()
    legal_basis: str
    legal_basis_da: str
    note: str
    note_da: str

    @property
    def basis(self) -> Said:
        """The legal basis in the reader's language."""
        return Said(self.legal_basis_da or self.legal_basis, self.legal_basis)

    @property
    def said(self) -> Said:
        """The note in both languages (``note_da`` beside ``note``)."""
        return Said(self.note_da or self.note, self.note)


@attrs.frozen
class BaseRate(_InBothLanguages):
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
    id: str = ""
    legal_basis_da: str = ""
    """The legal basis in Danish where the file's own words in it are English (``legal_basis``
    stays the English form JSON has always carried)."""
    note_da: str = ""

    def rate(self, active: bool, week: int | None) -> Decimal:
        if self.week_bands and week is not None:
            for band in self.week_bands:
                if band.first <= week and (band.last is None or week <= band.last):
                    return band.active if active else band.passive
        return self.active if active else self.passive


@attrs.frozen
class SpellLimits:
    """L6's periods: ``spell`` on benefit within ``within`` starts the loss; ``ends_after``
    in fleksjob within ``ends_within`` ends it (LAS § 104, stk. 1-2)."""

    spell: Duration
    within: Duration
    ends_after: Duration
    ends_within: Duration
    fleksjob_benefits: frozenset[Benefit]
    fleksjob_groups: frozenset[TargetGroup]


@attrs.frozen
class LossRule(_InBothLanguages):
    """A refund loss of one trigger shape, for events within the validity."""

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
    """``late_obligation`` (L1-L4), ``undocumented_step`` (L5), ``long_spell`` (L6)."""
    steps: frozenset[CaseStep] = frozenset()
    duration: Duration | None = None
    counted: frozenset[Benefit] = frozenset()
    limits: SpellLimits | None = None
    legal_basis_da: str = ""
    """The legal basis in Danish where the file's own words in it are English."""
    note_da: str = ""


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
    return figure_of(reader, raw, path, maximum=SHARE, unit="a decimal share") or Decimal(0)


def _rate_row(reader: _Reader, raw: Mapping[str, object], where: str) -> BaseRate | None:
    reader.check_keys(raw, RATE_KEYS, where)
    ident = reader.text(raw, "id", where)
    benefit = reader.enum_of(Benefit, raw, "benefit", where)
    start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
    basis = reader.text(raw, "legal_basis", where)
    reader.text(raw, "source", where)
    passive = _decimal(reader, raw.get("passive"), f"{where}.passive")
    active = _decimal(reader, raw.get("active"), f"{where}.active")
    confidence = reader.enum_of(Confidence, raw, "confidence", where, "confirmed")
    bands = []
    for b_where, band in reader.tables(raw, "week_bands", where):
        reader.check_keys(band, WEEK_BAND_KEYS, b_where)
        first = reader.integer(band, "first", b_where, None, minimum=1, maximum=MAX_WEEKS)
        last = reader.integer(band, "last", b_where, None, minimum=1, maximum=MAX_WEEKS)
        if first is None:
            reader.problem(b_where, 'missing "first" week')
            continue
        bands.append(WeekBand(first, last,
                              _decimal(reader, band.get("passive"), f"{b_where}.passive"),
                              _decimal(reader, band.get("active"), f"{b_where}.active")))
    min_hours = reader.integer(raw, "active_min_hours", where, None, maximum=int(WEEK_HOURS))
    max_absence = reader.integer(raw, "max_absence_days", where, None, minimum=0,
                                 maximum=MAX_DAYS)
    visited_before = reader.day(raw, "visited_before", where)
    if not (ident and benefit and start and end and basis and confidence):
        return None
    note, note_da = note_pair(reader, raw, where)
    return BaseRate(benefit, start, end, passive, active, basis, note,
                    tuple(bands), confidence,
                    None if min_hours is None else Decimal(str(min_hours)), max_absence,
                    visited_before, ident,
                    reader.text(raw, "legal_basis_da", where, required=False) or "", note_da)


def _limits(reader: _Reader, raw: Mapping[str, object], where: str) -> SpellLimits | None:
    periods = [reader.duration(raw, k, where, positive=True) for k in _SPELL_KEYS]
    if any(p is None for p in periods):
        reader.problem(where, "a long_spell loss needs " + ", ".join(f'"{k}"' for k in _SPELL_KEYS))
        return None
    spell, within, ends_after, ends_within = periods
    return SpellLimits(spell, within, ends_after, ends_within,  # type: ignore[arg-type]
                       reader.enum_set(Benefit, raw, "fleksjob_benefits", where),
                       reader.enum_set(TargetGroup, raw, "fleksjob_groups", where))


def _loss(reader: _Reader, raw: Mapping[str, object], where: str) -> LossRule | None:
    reader.check_keys(raw, LOSS_KEYS, where)
    fields = {k: reader.text(raw, k, where) for k in (
        "id", "title_da", "title_en", "legal_basis", "source", "law_text")}
    confidence = reader.enum_of(Confidence, raw, "confidence", where, "confirmed")
    start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
    trigger = raw.get("trigger", "late_obligation")
    if trigger not in TRIGGERS:
        reader.problem(f"{where}.trigger", f"{trigger!r} is not one of: {', '.join(TRIGGERS)}")
    rule_ids = reader.strings(raw, "rules", where)
    if trigger == "late_obligation" and not rule_ids:
        reader.problem(f"{where}.rules", "name the rule ids whose late obligations lose refund")
    benefits = reader.enum_set(Benefit, raw, "benefits", where)
    sample = reader.boolean(raw, "requires_sample", where)
    steps = reader.enum_set(CaseStep, raw, "steps", where)
    duration = reader.duration(raw, "duration", where)
    if trigger == "undocumented_step" and (not steps or duration is None):
        reader.problem(where, 'an undocumented_step loss needs "steps" and "duration"')
    limits = _limits(reader, raw, where) if trigger == "long_spell" else None
    counted = reader.enum_set(Benefit, raw, "counted", where)
    if not (all(fields.values()) and confidence and start and end):
        return None
    note, note_da = note_pair(reader, raw, where)
    return LossRule(
        str(fields["id"]), str(fields["title_da"]), str(fields["title_en"]),
        str(fields["legal_basis"]), str(fields["source"]), str(fields["law_text"]),
        confidence, start, end, frozenset(rule_ids),
        benefits, bool(sample), note, str(trigger), steps, duration,
        counted, limits, reader.text(raw, "legal_basis_da", where, required=False) or "", note_da)


def load_loss_schedule(path: str | Path) -> LossSchedule:
    """Read rates and loss rules; raise :class:`RuleError` with every located problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"rate", "loss"}, "")
    rates = [_rate_row(reader, raw, where) for where, raw in reader.tables(document, "rate", "")]
    losses = [_loss(reader, raw, where) for where, raw in reader.tables(document, "loss", "")]
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return LossSchedule(tuple(r for r in rates if r is not None),
                        tuple(x for x in losses if x is not None))


@functools.lru_cache(maxsize=1)
def bundled_loss_schedule() -> LossSchedule:
    return load_loss_schedule(bundled_rules_dir() / "parameters" / "refusionsbortfald.toml")
