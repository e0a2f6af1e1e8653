"""The parts of a rule module that its rules lean on, read strictly: the values of
``[module]`` and ``[module.defaults]`` a rule takes when it gives none (each checked once, where
it is written, so that no rule repeats its problem), and the tables of a rule besides its own
keys (``when``/``unless`` conditions, exemptions, excluded periods)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from typing import Any

from lab_rules.calendar import Reading, Roll, Rounding
from lab_rules.core.vocabulary import EmployerSector, ExemptionReason, TargetGroup
from lab_rules.law.bounds import FIRST_RULE_DAY, LAST_RULE_DAY, MAX_AGE
from lab_rules.law.model import Anchor, Clock, Conditions, Confidence, Effect
from lab_rules.law.policies import VersionSelector
from lab_rules.law.reader import _in_range, _Reader, described

__all__ = ["CONDITION_KEYS", "DEFAULT_KEYS", "STEPS", "TERMS", "conditions", "excluded_periods",
           "exemptions", "module_defaults", "module_values"]

DEFAULT_KEYS = {"clock", "reading", "rounding", "roll", "confidence", "exemptions", "anchor",
                "selector"}
CONDITION_KEYS = {"age_min", "age_max", "education", "custody", "categories", "employed",
                  "good_job_prospects", "hard_to_place", "dimittend", "employer_sector"}


def conditions(reader: _Reader, table: Mapping[str, Any], path: str) -> Conditions:
    """A rule's ``when`` or ``unless`` table: the facts that must all hold."""
    reader.check_keys(table, CONDITION_KEYS, path)
    categories = table.get("categories", [])
    if not isinstance(categories, list) or not all(
            isinstance(c, int) and not isinstance(c, bool) and 1 <= c <= 3 for c in categories):
        reader.problem(f"{path}.categories",
                       f"must be a list of categories 1-3, got {categories!r}")
        categories = []
    return Conditions(
        age_min=reader.integer(table, "age_min", path, None, maximum=MAX_AGE),
        age_max=reader.integer(table, "age_max", path, None, maximum=MAX_AGE),
        education=reader.boolean(table, "education", path),
        custody=reader.boolean(table, "custody", path),
        categories=frozenset(categories),
        employed=reader.boolean(table, "employed", path),
        good_job_prospects=reader.boolean(table, "good_job_prospects", path),
        hard_to_place=reader.boolean(table, "hard_to_place", path),
        dimittend=reader.boolean(table, "dimittend", path),
        employer_sector=reader.enum_of(EmployerSector, table, "employer_sector", path),
    )


def exemptions(reader: _Reader, table: Mapping[str, Any], path: str
                ) -> dict[ExemptionReason, Effect]:
    """How each exemption reason of the table affects the rule."""
    effects: dict[ExemptionReason, Effect] = {}
    for key, value in table.items():
        reason = reader.choice(ExemptionReason, key, f"{path}.{key}")
        effect = reader.choice(Effect, value, f"{path}.{key}")
        if reason is not None and effect is not None:
            effects[reason] = effect
    return effects


TERMS: dict[str, type[enum.Enum]] = {
    "clock": Clock, "reading": Reading, "rounding": Rounding, "roll": Roll,
    "confidence": Confidence, "anchor": Anchor, "selector": VersionSelector}
"""The keys of ``[module.defaults]`` that name a term, and its vocabulary."""
STEPS = frozenset({"interval", "repeat"})
"""Durations that step a schedule or a repetition: longer than zero."""


def module_values(reader: _Reader, module: Mapping[str, Any]) -> dict[str, Any]:
    """``[module]`` with the values its rules take when they give none, each checked once,
    where it is written; a wrong one is None, so that no rule repeats its problem."""
    found = dict(module)
    reader.day(module, "valid_from", "module")
    reader.day(module, "valid_to", "module")
    for key in ("roll_basis", "source", "act"):
        if key in module and reader.text(module, key, "module") is None:
            found[key] = None
    if "groups" in module:
        found["groups"] = sorted(g.value for g in reader.enum_set(
            TargetGroup, module, "groups", "module"))
    return found


def module_defaults(reader: _Reader, table: Mapping[str, Any]) -> dict[str, Any]:
    """``[module.defaults]``, checked once where it is written: a wrong value is None (the
    rules that lean on it are refused by this one problem)."""
    reader.check_keys(table, DEFAULT_KEYS, "module.defaults")
    found: dict[str, Any] = {}
    for key, kind in TERMS.items():
        if key in table:
            member = reader.enum_of(kind, table, key, "module.defaults")
            found[key] = None if member is None else member.value
    effects = exemptions(reader, reader.table(table, "exemptions", "module.defaults"),
                          "module.defaults.exemptions")
    found["exemptions"] = {reason.value: effect.value for reason, effect in effects.items()}
    return found


def excluded_periods(reader: _Reader, raw: object, path: str) -> tuple[tuple[date, date], ...]:
    """A rule's ``excluded_periods``: [start, end] date pairs."""
    periods: list[tuple[date, date]] = []
    if not isinstance(raw, list):
        reader.problem(path, "must be a list of [start, end] date pairs")
        return ()
    for i, pair in enumerate(raw):
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(_in_range(d, "") for d in pair) or pair[1] < pair[0]):
            reader.problem(f"{path}[{i}]", f"must be [start, end] dates from {FIRST_RULE_DAY} "
                           f"to {LAST_RULE_DAY} with start ≤ end, got {described(pair)}")
            continue
        periods.append((pair[0], pair[1]))
    return tuple(periods)
