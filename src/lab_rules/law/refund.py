"""The refund staircase as data (lov 994/2015, BEK 1772/2015 and successors), read from TOML as
strictly as rule files (``kind = "refund_staircase"``).

Every parameter is a table with its own id, legal basis, confidence and source: the bands of
§ 5, the count from 1 July 2014 (§ 30, stk. 1), the 2015/16 transition (§ 29, stk. 3), the
restart after 52 weeks of self-support (§ 6, stk. 1), the covered benefits (§ 3, stk. 1), the
old cases kept off the staircase (§ 30, stk. 2-4) and the dated lists of other offentlig
forsørgelse (BEK § 3, stk. 2). The ledger in :mod:`lab_rules.refund.staircase` interprets them.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from lab_rules.calendar import Duration
from lab_rules.core.messages import Message, Said
from lab_rules.core.vocabulary import Benefit
from lab_rules.law.bounds import MAX_WEEKS, SHARE
from lab_rules.law.loader import RuleError, _Reader, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence
from lab_rules.law.params import figure_of, in_force
from lab_rules.law.rule_texts import note_pair

TOP_KEYS = {"staircase", "count", "transition", "restart", "band", "covered", "not_on_staircase",
            "other_public_support", "month_split"}
STAIRCASE_KEYS = {"id", "title_da", "title_en", "act", "legal_basis", "source", "valid_from",
                  "confidence", "note", "note_da"}
ENTRY_KEYS = {"id", "legal_basis", "source", "confidence", "note", "note_da"}
COUNT_KEYS = ENTRY_KEYS | {"count_from"}
TRANSITION_KEYS = ENTRY_KEYS | {"early_benefits", "early_from", "others_from"}
RESTART_KEYS = ENTRY_KEYS | {"weeks", "window", "law_text"}
BAND_KEYS = {"id", "first_week", "last_week", "refund", "cofinancing", "refund_basis",
             "cofinancing_basis"}
COVERED_KEYS = ENTRY_KEYS | {"share", "benefits"}
OLD_KEYS = ENTRY_KEYS | {"benefits", "test", "before"}
SUPPORT_KEYS = ENTRY_KEYS | {"benefits", "valid_from", "valid_to"}
SPLIT_KEYS = ENTRY_KEYS | {"valid_from", "valid_to", "law_text"}


class Share(enum.Enum):
    """Whether the state refunds a share of a benefit or the municipality co-finances it."""

    REFUSION = "refusion"
    MEDFINANSIERING = "medfinansiering"


class OldCaseTest(enum.Enum):
    """How an old case is recognised (lov 994/2015 § 30, stk. 2-4)."""

    VISITED_BEFORE = "visited_before"
    """The latest visitation to fleksjob on or before the period's start is before ``before``."""
    STARTED_BEFORE = "started_before"
    """The benefit period started before ``before`` (førtidspension granted before it)."""


@attrs.frozen
class Entry:
    """What every staircase table says about itself: id, legal basis, confidence, source."""

    id: str
    legal_basis: str
    source: str
    confidence: Confidence
    note: str = ""
    note_da: str = ""

    @property
    def said(self) -> Said:
        """The note in both languages (``note_da`` beside ``note`` in the file)."""
        return Said(self.note_da or self.note, self.note)


Note = Said | Message
"""A note of the ledger: the rule file's own words, or a catalogue sentence around them."""


def confidence_words(confidence: Confidence) -> Message:
    """The catalogue's word for a confidence mark (da "udledt", en "inferred")."""
    return Message(f"refund.confidence.{confidence.value}")


@attrs.frozen
class Band:
    """Refund and co-financing rates for the person's benefit weeks first..last."""

    first_week: int
    last_week: int | None
    refund: Decimal
    cofinancing: Decimal
    id: str = ""
    refund_basis: str = ""
    cofinancing_basis: str = ""


@attrs.frozen
class Covered:
    """Benefits on the staircase and whether they are refunded or co-financed (law § 3)."""

    entry: Entry
    share: Share
    benefits: frozenset[Benefit]


@attrs.frozen
class OldCases:
    """Covered benefits that stay off the staircase in old cases (law § 30, stk. 2-4)."""

    entry: Entry
    benefits: frozenset[Benefit]
    test: OldCaseTest
    before: date


@attrs.frozen
class PublicSupport:
    """Offentlig forsørgelse outside the staircase in force valid_from..valid_to (BEK § 3)."""

    entry: Entry
    benefits: frozenset[Benefit]
    valid_from: date
    valid_to: date | None


@attrs.frozen
class MonthSplitText:
    """The text that governs how a week touching two months is split, valid_from..valid_to
    (BEK 1772/2015 § 26, stk. 2; from 2020 BEK 1614/2019 and successors)."""

    entry: Entry
    valid_from: date
    valid_to: date | None
    law_text: str


@attrs.frozen
class Staircase:
    """The refund staircase of lov 994/2015 § 5 with its counting parameters."""

    id: str
    act: str
    source: str
    valid_from: date
    legal_basis: str
    count: Entry
    count_from: date
    transition: Entry
    early_benefits: frozenset[Benefit]
    early_from: date
    others_from: date
    restart: Entry
    restart_weeks: int
    restart_window: Duration
    bands: tuple[Band, ...]
    covered: tuple[Covered, ...]
    old_cases: tuple[OldCases, ...]
    public_support: tuple[PublicSupport, ...]
    confidence: Confidence = Confidence.CONFIRMED
    note: str = ""
    month_splits: tuple[MonthSplitText, ...] = ()
    note_da: str = ""

    def month_split_on(self, day: date) -> MonthSplitText | None:
        found: MonthSplitText | None = in_force(self.month_splits, day)
        return found

    @property
    def notes(self) -> tuple[Note, ...]:
        """The staircase's own note (a what-if says so) and those of its counting entries,
        in both languages."""
        own: tuple[Note, ...] = (Message(
            "refund.note.marked", note=Said(self.note_da or self.note, self.note),
            entry=self.id, confidence=confidence_words(self.confidence)),) if self.note else ()
        return own + tuple(e.said for e in (self.count, self.transition, self.restart)
                           if e.note)

    @property
    def refunded(self) -> frozenset[Benefit]:
        return frozenset(b for c in self.covered if c.share is Share.REFUSION for b in c.benefits)

    @property
    def cofinanced(self) -> frozenset[Benefit]:
        return frozenset(b for c in self.covered if c.share is Share.MEDFINANSIERING
                         for b in c.benefits)

    @property
    def other_public_support(self) -> frozenset[Benefit]:
        """Every benefit some list of offentlig forsørgelse names, whatever its validity."""
        return frozenset(b for s in self.public_support for b in s.benefits)

    def band(self, week: int) -> Band:
        for band in self.bands:
            if band.first_week <= week and (band.last_week is None or week <= band.last_week):
                return band
        raise ValueError(f"no band for week {week}")  # pragma: no cover - checked on load


def _rate(reader: _Reader, raw: object, path: str) -> Decimal | None:
    return figure_of(reader, raw, path, maximum=SHARE, unit="a decimal share")


def _entry(reader: _Reader, table: Mapping[str, Any], path: str) -> Entry | None:
    fields = {k: reader.text(table, k, path) for k in ("id", "legal_basis", "source")}
    confidence = reader.enum_of(Confidence, table, "confidence", path, "confirmed")
    note, note_da = note_pair(reader, table, path)
    if confidence is None or None in fields.values():
        return None
    return Entry(str(fields["id"]), str(fields["legal_basis"]), str(fields["source"]),
                 confidence, note, note_da)


def _required_day(reader: _Reader, table: Mapping[str, Any], key: str, path: str) -> date:
    value = reader.day(table, key, path)
    if value is None:
        reader.problem(path, f'missing required key "{key}"')
        return date.min
    return value


def _bands(reader: _Reader, document: Mapping[str, Any]) -> tuple[Band, ...]:
    bands = []
    for path, raw in reader.tables(document, "band", ""):
        reader.check_keys(raw, BAND_KEYS, path)
        first = reader.integer(raw, "first_week", path, None, minimum=1, maximum=MAX_WEEKS)
        last = reader.integer(raw, "last_week", path, None, minimum=1, maximum=MAX_WEEKS)
        if first is not None and last is not None and last < first:
            reader.problem(f"{path}.last_week", f"week {last} is before first_week {first}")
        refund = _rate(reader, raw.get("refund"), f"{path}.refund")
        cofinancing = _rate(reader, raw.get("cofinancing"), f"{path}.cofinancing")
        texts = {k: reader.text(raw, k, path) for k in ("id", "refund_basis", "cofinancing_basis")}
        if (first is not None and refund is not None and cofinancing is not None
                and None not in texts.values()):
            bands.append(Band(first, last, refund, cofinancing, str(texts["id"]),
                              str(texts["refund_basis"]), str(texts["cofinancing_basis"])))
    expected = 1
    for band in bands:
        if band.first_week != expected:
            reader.problem("band", f"bands must follow each other from week 1; week {expected} "
                           f"is not covered")
            break
        expected = (band.last_week or 0) + 1
    if not bands or bands[-1].last_week is not None:
        reader.problem("band", "the last band must be open-ended (no last_week)")
    return tuple(bands)


def _listed(reader: _Reader, document: Mapping[str, Any], key: str, keys: set[str]
            ) -> list[tuple[str, Mapping[str, Any], Entry | None]]:
    found = []
    for path, raw in reader.tables(document, key, ""):
        reader.check_keys(raw, keys, path)
        found.append((path, raw, _entry(reader, raw, path)))
    return found


def load_staircase(path: str | Path) -> Staircase:
    """Read a staircase parameter file; raise :class:`RuleError` with every located problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, TOP_KEYS, "")
    head = reader.table(document, "staircase", "")
    reader.check_keys(head, STAIRCASE_KEYS, "staircase")
    texts = {k: reader.text(head, k, "staircase") for k in ("id", "act", "legal_basis",
                                                             "source")}
    valid_from = _required_day(reader, head, "valid_from", "staircase")
    confidence = reader.enum_of(Confidence, head, "confidence", "staircase", "confirmed")
    tables = {}
    for key, keys in (("count", COUNT_KEYS), ("transition", TRANSITION_KEYS),
                      ("restart", RESTART_KEYS)):
        tables[key] = reader.table(document, key, "")
        reader.check_keys(tables[key], keys, key)
    entries = {key: _entry(reader, table, key) for key, table in tables.items()}
    count_from = _required_day(reader, tables["count"], "count_from", "count")
    early = reader.enum_set(Benefit, tables["transition"], "early_benefits", "transition")
    early_from = _required_day(reader, tables["transition"], "early_from", "transition")
    others_from = _required_day(reader, tables["transition"], "others_from", "transition")
    weeks = reader.integer(tables["restart"], "weeks", "restart", None, minimum=1,
                           maximum=MAX_WEEKS)
    window = reader.duration(tables["restart"], "window", "restart", positive=True)
    if weeks is None or window is None:
        reader.problem("restart", 'needs "weeks" and "window"')
    bands = _bands(reader, document)
    covered = []
    for where, raw, entry in _listed(reader, document, "covered", COVERED_KEYS):
        share = reader.enum_of(Share, raw, "share", where)
        benefits = reader.enum_set(Benefit, raw, "benefits", where)
        if entry is not None and share is not None:
            covered.append(Covered(entry, share, benefits))
    old = []
    for where, raw, entry in _listed(reader, document, "not_on_staircase", OLD_KEYS):
        test = reader.enum_of(OldCaseTest, raw, "test", where)
        before = _required_day(reader, raw, "before", where)
        benefits = reader.enum_set(Benefit, raw, "benefits", where)
        if entry is not None and test is not None:
            old.append(OldCases(entry, benefits, test, before))
    support = []
    for where, raw, entry in _listed(reader, document, "other_public_support", SUPPORT_KEYS):
        start = _required_day(reader, raw, "valid_from", where)
        end = reader.day(raw, "valid_to", where)
        benefits = reader.enum_set(Benefit, raw, "benefits", where)
        if entry is not None:
            support.append(PublicSupport(entry, benefits, start, end))
    splits = []
    for where, raw, entry in _listed(reader, document, "month_split", SPLIT_KEYS):
        start = _required_day(reader, raw, "valid_from", where)
        end = reader.day(raw, "valid_to", where)
        law_text = reader.text(raw, "law_text", where)
        if entry is not None and law_text is not None:
            splits.append(MonthSplitText(entry, start, end, law_text))
    head_note, head_note_da = note_pair(reader, head, "staircase")
    if (reader.problems or None in texts.values() or None in entries.values()
            or weeks is None or window is None or confidence is None):
        raise RuleError(reader.problems, subject=str(path))
    return Staircase(
        str(texts["id"]), str(texts["act"]), str(texts["source"]), valid_from,
        str(texts["legal_basis"]), entries["count"], count_from,  # type: ignore[arg-type]
        entries["transition"], early, early_from, others_from,  # type: ignore[arg-type]
        entries["restart"], weeks, window, bands, tuple(covered),  # type: ignore[arg-type]
        tuple(old), tuple(support), confidence, head_note, tuple(splits), head_note_da)


@functools.lru_cache(maxsize=1)
def bundled_staircase() -> Staircase:
    """The staircase parameters shipped with lab-rules."""
    return load_staircase(bundled_rules_dir() / "parameters" / "refusionstrappe.toml")
