"""Variants of the law for what-if questions: a law (rules, parameters, overlays) and policy
swaps, written as a spec, and what a variant changes against a baseline.

A spec is
- an overlay: the short name of a shipped overlay (``roedovre-genstart``, see
  ``rules/overlays/``), its id, or an overlay file's path, optionally prefixed ``overlay:``;
- a policy swap: ``no_show=restart_from_contact`` (prefix ``policy:`` optional);
- the law as of a date: ``law:2019-06-01`` (exactly ``YYYY-MM-DD`` from 1990 to 2100, like
  ``--as-of``): the contact-course rules in force that day, applied to every date (see
  :func:`lab_rules.law.overlay.law_as_of`);
- ``national``: the national law with its default policies (the usual baseline);
- several joined with ``+``: ``koebenhavn-kvartal+no_show=timely_summons_counts``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.timeline_fields import supported_day
from lab_rules.law.bundle import FIELDS, PARAMETER_KINDS, Law, bundled_law
from lab_rules.law.model import RulePack
from lab_rules.law.overlay import Overlay, apply_overlays, find_overlay, law_as_of
from lab_rules.law.policies import Policies

if TYPE_CHECKING:
    pass

@attrs.frozen
class Variant:
    """A named way to evaluate: a law (rules, parameters, overlays) and policy swaps."""

    name: str
    law: Law
    policies: tuple[tuple[str, str], ...] = ()

    @property
    def rules(self) -> RulePack:
        """The variant's contact-course rules."""
        return self.law.rules

    def resolved_policies(self) -> dict[str, str]:
        """The policies an evaluation under this variant runs with."""
        return Policies.parse(dict(self.policies), self.law.policies).as_dict()


def variant(spec: str, *, base: Law | None = None) -> Variant:
    """Parse a variant spec (see the module docstring) on top of *base* (default: the bundled
    national law)."""
    pack = base if base is not None else bundled_law()
    swaps: dict[str, str] = {}
    overlays: list[Overlay] = []
    for part in (p.strip() for p in spec.split("+")):
        if not part:
            raise LabRulesError(f"variant {spec!r}: an empty part between '+'")
        if part == "national":
            continue
        kind, _, rest = part.partition(":")
        if kind == "law" and rest:
            try:
                day = supported_day(rest)
            except ValueError as err:
                raise LabRulesError(f"variant {spec!r}: {err}") from None
            pack = law_as_of(day, apply_overlays(pack, overlays))
            overlays = []
        elif kind == "policy" or ("=" in part and kind == part):
            assignment = rest if kind == "policy" else part
            name, _, value = assignment.partition("=")
            Policies.parse({name.strip(): value.strip()})
            swaps[name.strip()] = value.strip()
        else:
            overlays.append(find_overlay(rest if kind == "overlay" else part))
    pack = apply_overlays(pack, overlays) if overlays else pack
    return Variant(spec, pack, tuple(sorted(swaps.items())))


def _as_variant(item: Variant | str, base: Law | None = None) -> Variant:
    return item if isinstance(item, Variant) else variant(item, base=base)


@attrs.frozen
class RuleChange:
    """How a variant's rules differ from the baseline's."""

    change: str
    """``added``, ``removed`` or ``validity``."""
    rule_id: str
    baseline: str
    variant: str
    source: str


def parameter_changes(baseline: Law, other: Law) -> tuple[str, ...]:
    """The parameter kinds (sanction rates, the staircase, …) whose tables differ."""
    return tuple(kind for kind in sorted(PARAMETER_KINDS)
                 if getattr(baseline, FIELDS.get(kind, kind))
                 != getattr(other, FIELDS.get(kind, kind)))


def rule_changes(baseline: RulePack, other: RulePack) -> tuple[RuleChange, ...]:
    """Rule versions added, removed or with another validity, by rule id."""
    def versions(pack: RulePack) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for rule in pack.rules:
            found[rule.id].append(f"{rule.valid_from}..{rule.valid_to or 'open'}")
        return {k: sorted(v) for k, v in found.items()}

    before, after = versions(baseline), versions(other)
    files = {rule.id: rule.source_file for rule in (*baseline.rules, *other.rules)}
    changes = []
    for rule_id in sorted(set(before) | set(after)):
        old, new = before.get(rule_id), after.get(rule_id)
        if old == new:
            continue
        kind = "added" if old is None else "removed" if new is None else "validity"
        changes.append(RuleChange(kind, rule_id, ", ".join(old or ["-"]),
                                  ", ".join(new or ["-"]), Path(files[rule_id]).name))
    return tuple(changes)


def policy_changes(baseline: Variant, other: Variant) -> tuple[tuple[str, str, str], ...]:
    """(policy, baseline value, variant value) for every policy that differs."""
    old, new = baseline.resolved_policies(), other.resolved_policies()
    return tuple((name, old[name], new[name]) for name in sorted(old) if old[name] != new[name])
