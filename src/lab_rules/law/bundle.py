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
import hashlib
import tomllib
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from lab_rules.core.errors import Problem
from lab_rules.law.hours import ReductionLevel, load_reduction_levels
from lab_rules.law.loader import RuleError, bundled_rules_dir, load_pack
from lab_rules.law.model import RulePack
from lab_rules.law.quotas import Quota, load_quotas
from lab_rules.law.refund import (
    CofinancingRules,
    LossSchedule,
    Staircase,
    load_cofinancing,
    load_loss_schedule,
    load_staircase,
)
from lab_rules.law.sanctions import (
    RateTable,
    SanctionRule,
    load_sanction_rates,
    load_sanction_register,
)

CONTACT_COURSE = "contact_course"
OVERLAY = "overlay"
PARAMETER_KINDS: dict[str, Callable[[Path], Any]] = {
    "refund_staircase": load_staircase,
    "refund_losses": load_loss_schedule,
    "cofinancing": load_cofinancing,
    "sanction_rules": load_sanction_register,
    "sanction_rates": lambda path: load_sanction_rates(str(path)),
    "hours_rule": load_reduction_levels,
    "quotas": load_quotas,
}
"""Every parameter kind and its strict parser. A kind whose values are dated entries
(a tuple) may come from several files; the others from exactly one."""
SINGLE_KINDS = frozenset({"refund_staircase", "refund_losses", "cofinancing"})
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
    hours_levels: tuple[ReductionLevel, ...]
    quotas: tuple[Quota, ...]
    content_hash: str = ""
    """SHA-256 of the files read (path and bytes, in path order), with each overlay's."""

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
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as err:
        return None, [Problem("", f"cannot be read: {err}", str(path))]
    kind = document.get("kind")
    if kind not in KINDS:
        known = ", ".join(sorted(KINDS))
        return None, [Problem("kind", f'must name what the file holds, one of {known}; got '
                              f'{kind!r}', str(path), 1)]
    return str(kind), []


def _fingerprint(files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def load_law(directory: str | Path, *, name: str = "dk-national") -> Law:
    """Read every ``*.toml`` under *directory* (overlays excepted: they are applied, not read
    as national law) into one :class:`Law`; raise :class:`RuleError` with every problem."""
    root = Path(directory)
    files = sorted(f for f in root.rglob("*.toml")
                   if "overlays" not in f.relative_to(root).parts)
    problems: list[Problem] = []
    by_kind: dict[str, list[Path]] = {}
    for file in files:
        kind, found = kind_of(file)
        problems.extend(found)
        if kind is not None and kind != OVERLAY:
            by_kind.setdefault(kind, []).append(file)
    values: dict[str, Any] = {}
    for kind, parse in PARAMETER_KINDS.items():
        paths = by_kind.get(kind, [])
        if not paths:
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
        pack = load_pack(by_kind.get(CONTACT_COURSE, []) or [root], name=name)
    except RuleError as err:
        problems.extend(err.problems)
    if problems:
        problems.sort(key=lambda p: (p.source or "", p.line or 0))
        raise RuleError(problems, subject=f"law in {root}")
    return Law(pack, values["refund_staircase"], values["refund_losses"], values["cofinancing"],
               values["sanction_rules"], values["sanction_rates"], values["hours_rule"],
               values["quotas"], _fingerprint(files, root))


@functools.lru_cache(maxsize=1)
def bundled_law() -> Law:
    """The national law shipped with lab-rules (read once; it is immutable)."""
    return load_law(bundled_rules_dir())


def in_force(entries: Iterable[Any], day: date) -> Any | None:
    """The first dated entry (``valid_from``/``valid_to``) in force on *day*, if any."""
    return next((e for e in entries if e.valid_from <= day
                 and (e.valid_to is None or day <= e.valid_to)), None)
