"""Sanction law as data: the register of sanction rules, one entry per rule, era and failure
(``rules/parameters/sanktionsregler.toml``, kind ``sanction_rules``).

Each entry SELECTS and PARAMETRISES a computation: the benefit family and the failures it
covers (optionally narrowed by the failure's kind or by a cancelled meeting), its validity by
the failure's date, the named *shape* that computes it (:data:`SHAPES`), how days are counted,
how the kroner amount follows (:data:`AMOUNTS`), its parameters (hours, multiples, windows as
ISO durations such as ``"P12M"``), its legal basis as the law writes it (and, per named outcome,
the basis of that outcome), notes and text templates, confidence and source. The sanction
package keeps only the shapes; every figure, era boundary and legal-basis string is here.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from lab_rules.calendar import Duration
from lab_rules.law.bounds import MAX_COUNT
from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import covers
from lab_rules.law.reader import described
from lab_rules.law.rule_texts import Worded, pair, template
from lab_rules.law.sanction_needs import (
    AMOUNT_PARAMETERS,
    DAY_DURATIONS,
    DURATIONS,
    WHOLE_NUMBERS,
    missing_texts,
    parameter_kind,
)

FAMILIES = ("kontanthjaelp", "dagpenge", "sygedagpenge")
FAILURES = ("no_show", "offer_absence", "booking_missed", "refusal", "registration_missing",
            "job_suggestions_missed", "joblog_month_empty", "sdp_cessation", "strict_sanction")
SHAPES: dict[str, frozenset[str]] = {
    "gap": frozenset(),
    "days_until_contact": frozenset(),
    "meeting_day": frozenset(),
    "days_of_absence": frozenset(),
    "days_until_booked": frozenset(),
    "days_from_deadline_until_booked": frozenset(),
    "days_until_resolved": frozenset(),
    "afmelding_after_reminder": frozenset({"window", "reminder", "misses_without_reminder"}),
    "punctual": frozenset(),
    "ladder": frozenset({"window"}),
    "payment_stop": frozenset(),
    "karantaene_hours": frozenset({"hours_full_time", "hours_part_time", "lapse_after",
                                   "window", "effective_after", "lapse_hours_full_time",
                                   "lapse_hours_part_time"}),
    "joblog_karantaene": frozenset({"hours_full_time", "hours_part_time", "talk_within"}),
    "strict_month_share": frozenset({"default_length"}),
    "sdp_resumption": frozenset({"within"}),
}
"""Every shape and the parameters it needs."""
DAYS = ("calendar", "weekdays", "dagpenge_weekdays", "policy")
AMOUNTS = ("none", "per_day_rate", "month_share", "rate_multiple", "fixed_reduction")
RULE_KEYS = {"id", "entry", "era", "valid_from", "valid_to", "legal_basis", "confidence",
             "source", "summary", "summary_da", "family", "failures", "kinds", "cancelled",
             "shape", "days", "amount", "parameters", "bases", "notes", "notes_da", "texts",
             "texts_da", "steps"}
STEP_KEYS = {"prior", "rule", "legal_basis", "until_contact", "duration", "effective", "lapse",
             "notes", "notes_da"}

Parameter = int | str | Duration | Decimal


@attrs.frozen
class LadderStep:
    """One step of a ladder: what the failure costs with *prior* earlier ones in the window."""

    prior: int
    legal_basis: str
    rule: str | None = None
    until_contact: bool = False
    duration: Duration | None = None
    effective: bool = False
    lapse: bool = False
    notes: tuple[str, ...] = ()
    notes_da: tuple[str, ...] = ()

    def worded_notes(self, values: Mapping[str, object]) -> tuple[Worded, ...]:
        """The step's notes filled with *values*, in both languages."""
        return _worded(self.notes, self.notes_da, values)


def _worded(notes: tuple[str, ...], notes_da: tuple[str, ...],
            values: Mapping[str, object]) -> tuple[Worded, ...]:
    return tuple(Worded(da, en, **values)
                 for en, da in zip(notes, notes_da or notes, strict=True))


@attrs.frozen
class SanctionRule:
    """One sanction rule in one era for some failures: the entry that selects a shape."""

    id: str
    era: str
    valid_from: date
    valid_to: date | None
    legal_basis: str
    confidence: Confidence
    source: str
    summary: str
    entry: str = ""
    family: str = ""
    failures: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    cancelled: bool | None = None
    shape: str = "gap"
    days: str = "calendar"
    amount: str = "none"
    parameters: tuple[tuple[str, Parameter], ...] = ()
    bases: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    texts: tuple[tuple[str, str], ...] = ()
    steps: tuple[LadderStep, ...] = ()
    summary_da: str = ""
    notes_da: tuple[str, ...] = ()
    """The notes in Danish, one for each of :attr:`notes` (empty: only English is given)."""
    texts_da: tuple[tuple[str, str], ...] = ()

    def covers(self, day: date) -> bool:
        return covers(self, day)

    def basis(self, outcome: str | None = None) -> str:
        """The legal basis of *outcome* (the entry's own when it names none)."""
        return dict(self.bases).get(outcome or "", self.legal_basis)

    def text(self, name: str, **values: object) -> Worded:
        """The text template *name* with *values*, in both languages."""
        en = dict(self.texts)[name]
        return Worded(dict(self.texts_da).get(name, en), en, **values)

    def has_text(self, name: str) -> bool:
        return name in dict(self.texts)

    def worded_notes(self, values: Mapping[str, object]) -> tuple[Worded, ...]:
        """The entry's notes filled with *values*, in both languages."""
        return _worded(self.notes, self.notes_da, values)

    @property
    def said_summary(self) -> Worded:
        """The summary in both languages."""
        return Worded(self.summary_da or self.summary, self.summary)

    def duration(self, name: str) -> Duration:
        value = dict(self.parameters)[name]
        assert isinstance(value, Duration), (self.entry, name)
        return value

    def integer(self, name: str) -> int:
        value = dict(self.parameters)[name]
        assert isinstance(value, int), (self.entry, name)
        return value

    def decimal(self, name: str) -> Decimal:
        value = dict(self.parameters)[name]
        assert isinstance(value, Decimal | int), (self.entry, name)
        return Decimal(value)

    def matches(self, family: str, failure: str, kind: str | None, cancelled: bool) -> bool:
        return (self.family == family and failure in self.failures
                and (not self.kinds or kind in self.kinds)
                and (self.cancelled is None or self.cancelled == cancelled))

    @property
    def specificity(self) -> int:
        return bool(self.kinds) + (self.cancelled is not None)


def _parameter(reader: Any, name: str, value: object, where: str) -> Parameter | None:
    """A shape's parameter, of the kind the shapes read it as
    (:func:`~lab_rules.law.sanction_needs.parameter_kind`): an ISO duration, or a whole number
    from 0 to :data:`~lab_rules.law.bounds.MAX_WHOLE` (hours, a multiple, a count)."""
    kind = parameter_kind(name)
    if kind is None:
        reader.problem(f"{where}.{name}", "no shape reads this parameter; known: "
                       + ", ".join(sorted(DURATIONS | WHOLE_NUMBERS)))
        return None
    if kind is Duration:
        length = reader.duration({name: value}, name, where)
        if name in DAY_DURATIONS and length is not None and length.total_months:
            reader.problem(f"{where}.{name}", f"{length} has months: {name} is counted in days "
                           "(write days or weeks, like P7D or P2W)")
            return None
        return length  # type: ignore[no-any-return]
    return reader.integer({name: value}, name, where, None)  # type: ignore[no-any-return]


def _pairs(reader: Any, raw: object, where: str) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        reader.problem(where, "must be a table of names to texts")
        return ()
    out = []
    for key, value in raw.items():
        if not isinstance(value, str) or not value.strip():
            reader.problem(f"{where}.{key}", "must be a non-empty string")
        elif template(reader, value, f"{where}.{key}") is not None:
            out.append((str(key), value))
    return tuple(out)


def _strings(reader: Any, raw: object, where: str, allowed: Sequence[str] = ()
             ) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        reader.problem(where, f"must be a list of strings, got {described(raw)}")
        return ()
    for value in raw:
        if allowed and value not in allowed:
            reader.problem(where, f"{value!r} is not one of {', '.join(allowed)}")
    return tuple(raw)


def _notes(reader: Any, raw: object, where: str) -> tuple[str, ...]:
    """Notes: a list of text templates."""
    notes = _strings(reader, raw, where)
    return tuple(note for i, note in enumerate(notes)
                 if template(reader, note, f"{where}[{i}]") is not None)


def _twins(reader: Any, notes: tuple[str, ...], raw: object, where: str) -> tuple[str, ...]:
    """The Danish notes, one for each English note (none given: empty)."""
    if raw is None:
        return ()
    twins = _strings(reader, raw, where)
    if len(twins) != len(notes):
        reader.problem(where, f"{len(twins)} Danish notes for {len(notes)} notes")
        return ()
    return tuple(pair(reader, en, da, f"{where}[{i}]")
                 for i, (en, da) in enumerate(zip(notes, twins, strict=True)))


def _text_twins(reader: Any, texts: tuple[tuple[str, str], ...], raw: object,
                where: str) -> tuple[tuple[str, str], ...]:
    """The Danish texts, by the names of the English ones."""
    twins = dict(_pairs(reader, raw, where))
    english = dict(texts)
    for name in set(twins) - set(english):
        reader.problem(f"{where}.{name}", "has no English text")
    return tuple((name, pair(reader, english[name], da, f"{where}.{name}"))
                 for name, da in twins.items() if name in english)


def _steps(reader: Any, raw: Mapping[str, Any], where: str) -> tuple[LadderStep, ...]:
    steps = []
    for at, step in reader.tables(raw, "steps", where):
        reader.check_keys(step, STEP_KEYS, at)
        prior = reader.integer(step, "prior", at, None, maximum=MAX_COUNT)
        basis = reader.text(step, "legal_basis", at)
        flags = [reader.boolean(step, key, at) is True
                 for key in ("until_contact", "effective", "lapse")]
        length = reader.duration(step, "duration", at)
        if length is not None and length.total_months:
            reader.problem(f"{at}.duration", f"{length} has months: a step lasts whole days "
                           "(write days or weeks, like P2W)")
        if prior is not None and basis is not None:
            notes = _notes(reader, step.get("notes"), f"{at}.notes")
            steps.append(LadderStep(
                prior, basis, reader.text(step, "rule", at, required=False),
                flags[0], length, flags[1], flags[2],
                notes, _twins(reader, notes, step.get("notes_da"), f"{at}.notes_da")))
    return tuple(sorted(steps, key=lambda s: s.prior))


def _entry(reader: Any, raw: Mapping[str, Any], where: str) -> SanctionRule | None:
    reader.check_keys(raw, RULE_KEYS, where)
    ident, era = reader.text(raw, "id", where), reader.text(raw, "era", where)
    start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
    basis, source = reader.text(raw, "legal_basis", where), reader.text(raw, "source", where)
    summary = template(reader, reader.text(raw, "summary", where), f"{where}.summary")
    confidence = reader.enum_of(Confidence, raw, "confidence", where)
    if start and end and end < start:
        reader.problem(f"{where}.valid_to", f"{end} is before valid_from {start}")
    family = str(raw.get("family", ""))
    if family and family not in FAMILIES:
        reader.problem(f"{where}.family", f"{family!r} is not one of {', '.join(FAMILIES)}")
    shape = str(raw.get("shape", "gap"))
    days, amount = str(raw.get("days", "calendar")), str(raw.get("amount", "none"))
    for key, value, allowed in (("shape", shape, tuple(SHAPES)), ("days", days, DAYS),
                                ("amount", amount, AMOUNTS)):
        if value not in allowed:
            reader.problem(f"{where}.{key}", f"{value!r} is not one of {', '.join(allowed)}")
    parameters = []
    given = reader.table(raw, "parameters", where)
    for name, value in given.items():
        parsed = _parameter(reader, str(name), value, f"{where}.parameters")
        if parsed is not None:
            parameters.append((str(name), parsed))
    missing = (SHAPES.get(shape, frozenset()) | AMOUNT_PARAMETERS.get(amount, frozenset())) - set(
        given)
    if missing:
        reader.problem(f"{where}.parameters", f"shape {shape} (amount {amount}) needs "
                       f"{', '.join(sorted(missing))}")
    texts = _pairs(reader, raw.get("texts"), f"{where}.texts")
    lacking = missing_texts(shape, amount, given, {name for name, _ in texts})
    if lacking and isinstance(raw.get("texts", {}), Mapping):
        reader.problem(f"{where}.texts", f"shape {shape} (amount {amount}) writes the texts "
                       f"{', '.join(lacking)}, which are not given")
    steps = _steps(reader, raw, where)
    if shape == "ladder" and not steps:
        reader.problem(where, "a ladder needs [[rule.steps]]")
    elif shape == "ladder" and steps[0].prior != 0:
        reader.problem(f"{where}.steps", "a ladder needs a step for a first failure (prior = 0)")
    if any(step.lapse for step in steps) and "lapse_after" not in given:
        reader.problem(f"{where}.parameters", "a step that lapses needs lapse_after")
    cancelled = reader.boolean(raw, "cancelled", where)
    if not (ident and era and start and basis and source and summary and confidence):
        return None
    notes = _notes(reader, raw.get("notes"), f"{where}.notes")
    return SanctionRule(
        ident, era, start, end, basis, confidence, source, summary,
        reader.text(raw, "entry", where, required=False) or f"{ident}/{era}", family,
        _strings(reader, raw.get("failures"), f"{where}.failures", FAILURES),
        _strings(reader, raw.get("kinds"), f"{where}.kinds"), cancelled, shape, days, amount,
        tuple(parameters), _pairs(reader, raw.get("bases"), f"{where}.bases"), notes, texts,
        steps, pair(reader, summary, raw.get("summary_da"), f"{where}.summary_da"),
        _twins(reader, notes, raw.get("notes_da"), f"{where}.notes_da"),
        _text_twins(reader, texts, raw.get("texts_da"), f"{where}.texts_da"))


def load_sanction_register(path: str | Path) -> tuple[SanctionRule, ...]:
    """Read the register; raise :class:`RuleError` with every located problem, including two
    entries that would both select the same failure on one day, and a repeated entry id."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"kind", "rule"}, "")
    entries: list[SanctionRule] = []
    for where, raw in reader.tables(document, "rule", ""):
        entry = _entry(reader, raw, where)
        if entry is None:
            continue
        clash = next((e for e in entries if _clash(e, entry)), None)
        if clash is not None:
            reader.problem(where, f"{entry.id} era {entry.era} overlaps era {clash.era}")
        if any(e.entry == entry.entry for e in entries):
            reader.problem(f"{where}.entry", f"entry id {entry.entry!r} is used twice")
        entries.append(entry)
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(entries)


def _clash(a: SanctionRule, b: SanctionRule) -> bool:
    return (a.id == b.id and a.family == b.family and bool(set(a.failures) & set(b.failures)
            or not (a.failures or b.failures))
            and a.kinds == b.kinds and a.cancelled == b.cancelled and _overlap(a, b))


def _overlap(a: SanctionRule, b: SanctionRule) -> bool:
    return (a.valid_to is None or b.valid_from <= a.valid_to) and (
        b.valid_to is None or a.valid_from <= b.valid_to)


@functools.lru_cache(maxsize=1)
def bundled_sanction_register() -> tuple[SanctionRule, ...]:
    return load_sanction_register(bundled_rules_dir() / "parameters" / "sanktionsregler.toml")


def covering(register: Sequence[SanctionRule], rule_id: str, day: date) -> SanctionRule | None:
    """The first register entry for *rule_id* in force on *day*, if any."""
    return next((e for e in register if e.id == rule_id and e.covers(day)), None)


def select(register: Sequence[SanctionRule], family: str, failure: str, kind: str | None,
           cancelled: bool, day: date) -> SanctionRule | None:
    """The entry that computes *failure* of *family* on *day*: among those in force that
    match, the one with the most filters (a kind or a cancelled meeting) wins."""
    found = [e for e in register if e.covers(day) and e.matches(family, failure, kind, cancelled)]
    return max(found, key=lambda e: e.specificity, default=None)


__all__ = ["FAILURES", "FAMILIES", "SHAPES", "LadderStep", "SanctionRule",
           "bundled_sanction_register", "covering", "load_sanction_register", "select"]
