"""One law bundle: every rule and parameter file of ``rules/`` read by one loader.

Each file declares its ``kind`` in its first key (``kind = "sanction_rates"``); the loader reads
it with that kind's strict parser and reports every problem at once, located by file, line
and key path. The result is one immutable :class:`Law`: the contact-course rule pack, every
dated parameter table (refund, co-financing, sanctions, the 225-hour rule, quotas), the
overlays applied on top and a content hash, so a stored result can prove which law produced
it. ``evaluate(timeline, as_of=..., law=...)`` takes it; computations never load files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from lab_rules.core.errors import Problem
from lab_rules.law.clocks import ClockHours, load_clock_hours
from lab_rules.law.cofinancing import CofinancingRules, load_cofinancing
from lab_rules.law.coverage import CoverageIndex
from lab_rules.law.coverage_gaps import CoverageGap, load_coverage_gaps
from lab_rules.law.entitlements import (
    HolidayRule,
    SicknessRule,
    load_holiday_rules,
    load_sickness_rules,
)
from lab_rules.law.exemptions import ExemptionRule, load_exemption_rules
from lab_rules.law.fingerprint import fingerprint
from lab_rules.law.hjaelp_rates import HjaelpRate, load_hjaelp_rates
from lab_rules.law.hours import HoursEra, ReductionLevel, load_hours_eras, load_reduction_levels
from lab_rules.law.loader import RuleError, bundled_rules_dir, load_pack
from lab_rules.law.model import RulePack
from lab_rules.law.quotas import Quota, load_quotas
from lab_rules.law.reader import _line_index
from lab_rules.law.refund import Staircase, load_staircase
from lab_rules.law.refund_losses import LossSchedule, load_loss_schedule
from lab_rules.law.sanction_conditions import SanctionConditions, load_sanction_conditions
from lab_rules.law.sanction_rates import RateTable, load_sanction_rates
from lab_rules.law.sanctions import SanctionRule, load_sanction_register
from lab_rules.law.toml_files import Read, read_toml

CONTACT_COURSE = "contact_course"
OVERLAY = "overlay"
PARAMETER_KINDS: dict[str, Callable[[Path], Any]] = {
    "refund_staircase": load_staircase,
    "refund_losses": load_loss_schedule,
    "cofinancing": load_cofinancing,
    "sanction_rules": load_sanction_register,
    "sanction_rates": lambda path: load_sanction_rates(str(path)),
    "sanction_conditions": load_sanction_conditions,
    "hjaelp_rates": load_hjaelp_rates,
    "hours_rule": load_reduction_levels,
    "hours_rule_eras": load_hours_eras,
    "clock_hours": load_clock_hours,
    "kh_holiday": load_holiday_rules,
    "dagpenge_sickness": load_sickness_rules,
    "quotas": load_quotas,
    "exemption_rules": load_exemption_rules,
    "coverage_gaps": load_coverage_gaps,
}
"""Every parameter kind and its strict parser. A kind whose values are dated entries
(a tuple) may come from several files; the others from exactly one."""
FIELDS = {"refund_staircase": "staircase", "refund_losses": "losses",
          "hours_rule": "hours_levels", "hours_rule_eras": "hours_eras",
          "kh_holiday": "holiday_rules", "dagpenge_sickness": "sickness_rules"}
"""The :class:`Law` field of a kind, where it is not the kind's own name."""
SINGLE_KINDS = frozenset({"refund_staircase", "refund_losses", "cofinancing",
                          "sanction_conditions"})
OPTIONAL_KINDS = frozenset({"coverage_gaps"})
"""Kinds a law folder may lack (a folder without not-covered entries reports its holes as
``undeclared``)."""
KINDS = frozenset({CONTACT_COURSE, OVERLAY, *PARAMETER_KINDS})


@attrs.frozen
class Law:
    """All of the law an evaluation uses, immutable: rules, parameters and overlays."""

    rules: RulePack
    staircase: Staircase
    losses: LossSchedule
    cofinancing: CofinancingRules
    sanction_rules: tuple[SanctionRule, ...]
    sanction_rates: tuple[RateTable, ...]
    sanction_conditions: SanctionConditions
    hjaelp_rates: tuple[HjaelpRate, ...]
    hours_levels: tuple[ReductionLevel, ...]
    hours_eras: tuple[HoursEra, ...]
    clock_hours: tuple[ClockHours, ...]
    holiday_rules: tuple[HolidayRule, ...]
    sickness_rules: tuple[SicknessRule, ...]
    quotas: tuple[Quota, ...]
    exemption_rules: tuple[ExemptionRule, ...]
    coverage_gaps: tuple[CoverageGap, ...] = ()
    content_hash: str = ""
    """SHA-256 of the files read, over their place and parsed content in a canonical form
    (:mod:`lab_rules.law.fingerprint`), with each overlay's."""
    coverage: CoverageIndex = attrs.field(init=False, eq=False, repr=False)
    """Which group has rules on which day, and the not-covered entries for the rest."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "coverage", CoverageIndex(self.rules, self.coverage_gaps))

    @property
    def name(self) -> str:
        return self.rules.name

    @property
    def policies(self) -> tuple[tuple[str, str], ...]:
        return self.rules.policies

    @property
    def overlays(self) -> tuple[str, ...]:
        return self.rules.overlays

    def with_rules(self, rules: RulePack) -> Law:
        """This law with another contact-course rule pack (a what-if of the rules alone)."""
        return attrs.evolve(self, rules=rules)


def kind_of(path: Path) -> tuple[str | None, list[Problem]]:
    """The ``kind`` a rule or parameter file declares, or the located problem."""
    kind, problems, _ = _declared(path)
    return kind, problems


def _declared(path: Path) -> tuple[str | None, list[Problem], Read | None]:
    """:func:`kind_of` and the file's document and text, if it could be read (so that
    :func:`load_law` reads a file once)."""
    try:
        read = read_toml(path)
    except (OSError, ValueError) as err:  # ValueError: a name with a NUL character
        return None, [Problem("", f"cannot be read: {err}", str(path))], None
    except RuleError as err:
        return None, list(err.problems), None
    document, text = read
    kind = document.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        known = ", ".join(sorted(KINDS))
        return None, [Problem("kind", f'must name what the file holds, one of {known}; got '
                              f'{kind!r}', str(path), _line_index(text).get("kind", 1))], read
    return str(kind), [], read


def _placed(file: Path, root: Path, document: dict[str, Any]) -> list[Problem]:
    """A rule module lives where its id says: ``dk.lab.2024.dagpenge`` in
    ``dk/lab/2024/dagpenge.toml``, so a rule id (module id + name) tells its file."""
    module = document.get("module", {})
    ident = module.get("id") if isinstance(module, dict) else None
    if not isinstance(ident, str):
        return []
    expected = Path(*ident.split(".")).with_suffix(".toml")
    if file.relative_to(root) != expected:
        return [Problem("module.id", f"module {ident} belongs in {expected}, not "
                        f"{file.relative_to(root)}", str(file))]
    return []


def load_law(directory: str | Path, *, name: str = "dk-national") -> Law:
    """Read every ``*.toml`` under *directory* (overlays excepted: they are applied, not read
    as national law) into one :class:`Law`; raise :class:`RuleError` with every problem.

    Each file is parsed once: the document read for its kind is the one its placement, the
    contact-course loader and the content hash take (a parameter file's own parser reads it
    again, with its lines)."""
    root = Path(directory)
    files = sorted(f for f in root.rglob("*.toml")
                   if "overlays" not in f.relative_to(root).parts)
    problems: list[Problem] = []
    by_kind: dict[str, list[Path]] = {}
    documents: dict[Path, Read] = {}
    for file in files:
        kind, found, read = _declared(file)
        problems.extend(found)
        if read is not None:
            documents[file] = read
        if kind == CONTACT_COURSE and read is not None:
            problems.extend(_placed(file, root, read[0]))
        if kind is not None and kind != OVERLAY:
            by_kind.setdefault(kind, []).append(file)
    values: dict[str, Any] = {}
    for kind, parse in PARAMETER_KINDS.items():
        paths = by_kind.get(kind, [])
        if not paths:
            if kind not in OPTIONAL_KINDS:
                problems.append(Problem("", f'no file of kind "{kind}"', str(root)))
            continue
        if kind in SINGLE_KINDS and len(paths) > 1:
            problems.append(Problem("kind", f'a second file of kind "{kind}" (the first is '
                                    f"{paths[0]})", str(paths[1]), 1))
            continue
        try:
            parsed = [parse(path) for path in paths]
        except RuleError as err:
            problems.extend(err.problems)
            continue
        values[kind] = parsed[0] if kind in SINGLE_KINDS else tuple(
            entry for part in parsed for entry in part)
    try:
        pack = load_pack(by_kind.get(CONTACT_COURSE, []) or [root], name=name, read=documents)
    except RuleError as err:
        problems.extend(err.problems)
    if not problems:
        law = Law(rules=pack, content_hash=fingerprint(files, root, {
            file: document for file, (document, _) in documents.items()}),
                  **{FIELDS.get(kind, kind): value for kind, value in values.items()})
        problems.extend(_contradictions(law))
    if problems:
        problems.sort(key=lambda p: (p.source or "", p.line or 0))
        raise RuleError(problems, subject=f"law in {root}")
    return law


def _contradictions(law: Law) -> list[Problem]:
    """Not-covered entries that claim a gap where a rule of the group is in force."""
    return [Problem("gap", f"{gap.id} says {group.value} is not covered from {start}, but "
                    f"rules of the group are in force {start} to "
                    f"{'open' if end == date.max else end}; end the entry the day before the "
                    "rules start", gap.source_file, gap.source_line)
            for gap, group, start, end in law.coverage.overlaps()]


@functools.lru_cache(maxsize=1)
def bundled_law() -> Law:
    """The national law shipped with lab-rules (read once; it is immutable)."""
    return load_law(bundled_rules_dir())


def bundled_pack() -> RulePack:
    """The contact-course rules of the bundled national law."""
    return bundled_law().rules


def law_from_path(path: str | Path) -> Law:
    """The law a ``--rules PATH`` names: a folder with parameter files is a whole law and is
    read as such; rule modules alone (a file, or a folder of them) take the place of national
    law's contact-course rules, with national parameters."""
    folder = Path(path)
    if folder.is_dir() and any(kind_of(f)[0] in PARAMETER_KINDS
                               for f in folder.rglob("*.toml")
                               if "overlays" not in f.relative_to(folder).parts):
        return load_law(folder, name=str(path))
    return bundled_law().with_rules(load_pack(folder))
