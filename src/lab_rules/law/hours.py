"""The 225-hour rule's law as data: its eras (``rules/parameters/225-timersreglen-perioder.toml``,
kind ``hours_rule_eras``) and the monthly reduction levels of LAS § 13 g
(``rules/parameters/225-timersreglen.toml``, kind ``hours_rule``).

An era entry selects the variant of the hours mechanism that runs and gives its numbers: how
many hours within how many calendar months, after how much help within how long, who is
covered from when, which notice deadlines apply and which periods extend the window. The
mechanism (:mod:`lab_rules.entitlements.hours_rule`) holds no figure of its own.

The exemptions are data too: ``[era.extending]`` names the recorded exemption reasons whose
periods extend the window back (LAS § 13 f, stk. 12, 2. pkt., nr. 1-6; 2007-2011 § 13, stk.
11), and ``[[era.exempt]]`` the reasons that take a person outside the requirement altogether
(§ 13 f, stk. 9; 2007-2011 § 13, stk. 9), with the restart of the counts after a long
exemption and the law's words in both languages.
"""

from __future__ import annotations

import enum
import functools
import itertools
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from lab_rules.calendar import Duration
from lab_rules.core.messages import Said
from lab_rules.core.vocabulary import ExemptionReason
from lab_rules.law.bounds import MAX_DAYS, MAX_WHOLE
from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import COMMON_KEYS, Entry, Reader, decimal_of, entry_of

LEVEL_KEYS = {"id", "valid_from", "valid_to", "full", "other", "confidence", "legal_basis",
              "source", "note"}
ERA_KEYS = COMMON_KEYS | {"hours", "window", "window_cap", "help_days", "help_within",
                          "restart_days", "unmarried_from", "married_basis", "unmarried_basis",
                          "window_basis", "restart_basis", "regain_basis", "ends_basis",
                          "notices", "extension", "extending", "extending_basis", "exempt"}
NOTICE_KEYS = {"warning_before", "consultation_before", "late_delay", "warning_basis",
               "consultation_basis", "late_basis", "no_letters_basis", "confidence", "source"}
EXTENSION_KEYS = {"id", "start", "end", "legal_basis", "confidence", "source"}
EXEMPT_KEYS = {"reason", "effect", "partial_month", "restart_after", "restart_basis",
               "legal_basis", "confidence", "source", "text", "text_da"}


class ExemptEffect(enum.Enum):
    """What an ``[[era.exempt]]`` reason does to the hours rule."""

    NOT_COVERED = "not_covered"
    """The person is not covered by the requirement while exempt: no month is tested."""


class PartialMonth(enum.Enum):
    """Policy for a calendar month the exemption covers only in part (the law is silent: it
    exempts "perioder", the requirement is tested by calendar month)."""

    NOT_TESTED = "not_tested"
    """A month with at least one exempt day is not tested (in the citizen's favour)."""
    TESTED = "tested"
    """Only a month exempt on every day is left untested."""


@attrs.frozen
class ReductionLevel:
    """The monthly reduction for an unmarried person in one period (LAS § 13 g stk. 1)."""

    id: str
    valid_from: date
    valid_to: date | None
    full: Decimal
    other: Decimal
    confidence: Confidence
    legal_basis: str


@attrs.frozen
class Notices:
    """The notice order of an era: the warning letter at the latest ``warning_before`` the
    bortfaldsdato, the consultation ``consultation_before``; a late letter moves the effect to
    ``late_delay`` after it was sent."""

    warning_before: Duration
    consultation_before: Duration
    late_delay: Duration
    warning_basis: str
    consultation_basis: str
    late_basis: str
    no_letters_basis: str
    confidence: Confidence
    source: str


@attrs.frozen
class Extension:
    """A fixed period that extends the window back (the Covid periods of LAS § 13 h)."""

    id: str
    start: date
    end: date
    legal_basis: str
    confidence: Confidence
    source: str


@attrs.frozen
class HoursExempt:
    """A reason that takes a person outside the requirement while it lasts (LAS § 13 f,
    stk. 9). After an exemption of at least ``restart_after`` the help and the work are
    counted afresh from its end (stk. 9, 2. pkt.); None: the counts never restart."""

    reason: ExemptionReason
    effect: ExemptEffect
    partial_month: PartialMonth
    restart_after: Duration | None
    restart_basis: str | None
    legal_basis: str
    confidence: Confidence
    source: str
    said: Said
    """What the exemption means, in the law's words in both languages."""


@attrs.frozen
class HoursEra:
    """One version of the hours rule. ``help_within`` None: the help is counted in all since
    the last restart; ``unmarried_from`` None: only married couples are covered."""

    id: str
    valid_from: date
    valid_to: date | None
    hours: Decimal
    window: Duration
    window_cap: Duration
    help_days: int
    help_within: Duration | None
    restart_days: int
    unmarried_from: date | None
    married_basis: str
    unmarried_basis: str | None
    window_basis: str
    restart_basis: str
    regain_basis: str
    ends_basis: str | None
    notices: Notices | None
    extensions: tuple[Extension, ...]
    legal_basis: str
    confidence: Confidence
    source: str
    note: str
    extending: tuple[tuple[ExemptionReason, str], ...] = ()
    """The recorded exemption reasons that extend the window, each with the number of the
    ground in ``extending_basis`` it stands for."""
    extending_basis: str = ""
    exempt: tuple[HoursExempt, ...] = ()


def load_reduction_levels(path: str | Path) -> tuple[ReductionLevel, ...]:
    """Read the reduction levels; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"level"}, "")
    levels = []
    for where, raw in reader.tables(document, "level", ""):
        reader.check_keys(raw, LEVEL_KEYS, where)
        common = entry_of(reader, raw, where)
        full = decimal_of(reader, raw, "full", where, unit="kroner")
        other = decimal_of(reader, raw, "other", where, unit="kroner")
        if common is not None and full is not None and other is not None:
            levels.append(ReductionLevel(common.id, common.valid_from, common.valid_to, full,
                                         other, common.confidence, common.legal_basis))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(levels)


def _notices(reader: Any, raw: Mapping[str, Any], where: str) -> Notices | None:
    reader.check_keys(raw, NOTICE_KEYS, where)
    spans = [reader.duration(raw, key, where)
             for key in ("warning_before", "consultation_before", "late_delay")]
    texts = [reader.text(raw, key, where) for key in ("warning_basis", "consultation_basis",
                                                      "late_basis", "no_letters_basis",
                                                      "source")]
    confidence = reader.enum_of(Confidence, raw, "confidence", where)
    if None in spans or None in texts or confidence is None:
        if None in spans:
            reader.problem(where, "warning_before, consultation_before and late_delay are "
                           "required durations (P6M)")
        return None
    warning, consultation, late = (s for s in spans if s is not None)
    w, c, lt, none, source = (t for t in texts if t is not None)
    return Notices(warning, consultation, late, w, c, lt, none, confidence, source)


def _tables(reader: Any, era: Mapping[str, Any], where: str, name: str, keys: set[str]
            ) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each table of the array ``[[era.<name>]]`` of the era at *where*, with its location,
    its keys checked."""
    for at, raw in reader.tables(era, name, where):
        reader.check_keys(raw, keys, at)
        yield at, raw


def _extensions(reader: Any, era: Mapping[str, Any], where: str) -> tuple[Extension, ...]:
    found = []
    for at, raw in _tables(reader, era, where, "extension", EXTENSION_KEYS):
        texts = [reader.text(raw, key, at) for key in ("id", "legal_basis", "source")]
        start, end = reader.day(raw, "start", at), reader.day(raw, "end", at)
        confidence = reader.enum_of(Confidence, raw, "confidence", at)
        if start is None or end is None or end < start:
            reader.problem(at, "start and end are required dates, end not before start")
            continue
        ident, basis, source = texts
        if ident and basis and source and confidence is not None:
            found.append(Extension(ident, start, end, basis, confidence, source))
    return tuple(found)


def _extending(reader: Any, raw: Mapping[str, Any], where: str
               ) -> tuple[tuple[ExemptionReason, str], ...]:
    found: dict[ExemptionReason, str] = {}
    for key, ground in reader.table(raw, "extending", where).items():
        reason = reader.choice(ExemptionReason, key, f"{where}.extending.{key}")
        if not isinstance(ground, str) or not ground:
            reader.problem(f"{where}.extending.{key}", "must name the ground (\"nr. 1\")")
        elif reason is not None:
            found[reason] = ground
    return tuple(found.items())


def _exempt(reader: Any, era: Mapping[str, Any], where: str) -> tuple[HoursExempt, ...]:
    found = []
    for at, raw in _tables(reader, era, where, "exempt", EXEMPT_KEYS):
        reason = reader.enum_of(ExemptionReason, raw, "reason", at)
        effect = reader.enum_of(ExemptEffect, raw, "effect", at)
        partial = reader.enum_of(PartialMonth, raw, "partial_month", at)
        restart = reader.duration(raw, "restart_after", at)
        restart_basis = reader.text(raw, "restart_basis", at, required=restart is not None)
        texts = [reader.text(raw, key, at) for key in ("legal_basis", "source", "text",
                                                        "text_da")]
        confidence = reader.enum_of(Confidence, raw, "confidence", at)
        basis, source, en, da = texts
        if (reason is None or effect is None or partial is None or confidence is None
                or basis is None or source is None or en is None or da is None):
            continue
        found.append(HoursExempt(reason, effect, partial, restart, restart_basis, basis,
                                 confidence, source, Said(da, en)))
    return tuple(found)


def _era(reader: Any, raw: Mapping[str, Any], where: str, common: Entry) -> HoursEra | None:
    hours = decimal_of(reader, raw, "hours", where, maximum=Decimal(MAX_WHOLE), unit="hours")
    window = reader.duration(raw, "window", where, positive=True)
    cap = reader.duration(raw, "window_cap", where, positive=True)
    within = reader.duration(raw, "help_within", where, positive=True)
    if within is not None and (within.days or within.total_months % 12):
        reader.problem(f"{where}.help_within", f"{within} is not whole years: the help "
                       "requirement is counted in years (write P3Y)")
    help_days = reader.integer(raw, "help_days", where, None, minimum=1, maximum=MAX_DAYS)
    restart = reader.integer(raw, "restart_days", where, None, minimum=1, maximum=MAX_DAYS)
    texts = {key: reader.text(raw, key, where) for key in ("married_basis", "window_basis",
                                                           "restart_basis", "regain_basis")}
    unmarried_basis = reader.text(raw, "unmarried_basis", where, required=False)
    unmarried_from = reader.day(raw, "unmarried_from", where)
    if (unmarried_from is None) != (unmarried_basis is None):
        reader.problem(where, "unmarried_from and unmarried_basis go together")
    notices = (_notices(reader, reader.table(raw, "notices", where), f"{where}.notices")
               if "notices" in raw else None)
    extensions = _extensions(reader, raw, where)
    note = reader.text(raw, "note", where)
    extending = _extending(reader, raw, where)
    extending_basis = reader.text(raw, "extending_basis", where, required=bool(extending))
    exempt = _exempt(reader, raw, where)
    if window is None or cap is None or help_days is None or restart is None:
        reader.problem(where, "window, window_cap (durations), help_days and restart_days "
                       "(whole days) are required")
        return None
    if hours is None or note is None or None in texts.values():
        return None
    return HoursEra(
        common.id, common.valid_from, common.valid_to, hours, window, cap, help_days, within,
        restart, unmarried_from, str(texts["married_basis"]), unmarried_basis,
        str(texts["window_basis"]), str(texts["restart_basis"]), str(texts["regain_basis"]),
        reader.text(raw, "ends_basis", where, required=False), notices, extensions,
        common.legal_basis, common.confidence, common.source, note, extending,
        extending_basis or "", exempt)


def load_hours_eras(path: str | Path) -> tuple[HoursEra, ...]:
    """Read the eras of the hours rule; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    typed: Reader = reader
    reader.check_keys(document, {"era"}, "")
    eras = []
    for where, raw in reader.tables(document, "era", ""):
        reader.check_keys(raw, set(ERA_KEYS), where)
        common = entry_of(typed, raw, where)
        era = _era(reader, raw, where, common) if common is not None else None
        if era is not None:
            eras.append(era)
    ordered = sorted(eras, key=lambda e: e.valid_from)
    for before, after in itertools.pairwise(ordered):
        if before.valid_to is None or before.valid_to >= after.valid_from:
            reader.problem("era", f"eras {before.id} and {after.id} overlap")
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(ordered)


@functools.lru_cache(maxsize=1)
def bundled_reduction_levels() -> tuple[ReductionLevel, ...]:
    return load_reduction_levels(bundled_rules_dir() / "parameters" / "225-timersreglen.toml")


@functools.lru_cache(maxsize=1)
def bundled_hours_eras() -> tuple[HoursEra, ...]:
    return load_hours_eras(bundled_rules_dir() / "parameters" / "225-timersreglen-perioder.toml")
