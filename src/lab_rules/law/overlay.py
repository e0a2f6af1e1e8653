"""Overlays: a municipality's service level or a policy proposal on top of national law
(``semantics.md`` §8), and "the law as of a date" for what-if questions.

An overlay file (``rules/overlays/*.toml``) has an ``[overlay]`` table that says who decided
or proposed it and where (``source``), which provisions of national law it changes
(``legal_basis``), and what it changes:

- ``replaces``: ids of national rules it replaces from its ``valid_from`` (earlier versions
  keep applying before that day, so an old case keeps its law);
- ``[module]`` and ``[[rule]]``: rules it adds, in the format of a rule module;
- ``policies``: named policies it sets (``no_show = "restart_from_contact"``); a policy given
  explicitly to :func:`lab_rules.evaluation.evaluate` still wins;
- ``withdraws_sanctions``: sanction rules of ``sanktionsregler.toml`` it abolishes; a failure
  under such a rule is reported, with the overlay named, but not sanctioned;
- ``parameters``: parameter tables (``{ sanction_rates = "parameters/x.toml" }``, files in
  the format of their kind) that take the place of national law's from ``valid_from``.

:func:`apply_overlays` returns a new :class:`~lab_rules.law.bundle.Law`; national law is never
changed. Every evaluation names its law (``dk-national+<overlay ids>``) and its policies.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar, overload

import attrs

from lab_rules.core.errors import LabRulesError, Problem
from lab_rules.core.vocabulary import Term
from lab_rules.law.bundle import (
    FIELDS,
    PARAMETER_KINDS,
    SINGLE_KINDS,
    Law,
    bundled_law,
    kind_of,
)
from lab_rules.law.fingerprint import with_overlays
from lab_rules.law.loader import (
    RuleError,
    _overlaps,
    _Reader,
    bundled_rules_dir,
    module_from,
    open_toml,
)
from lab_rules.law.model import Confidence, RuleModule, RulePack
from lab_rules.law.policies import Policies, PolicyError

T = TypeVar("T")
OVERLAY_KEYS = {"id", "title_da", "title_en", "kind", "authority", "source", "confidence",
                "valid_from", "legal_basis", "replaces", "policies", "withdraws_sanctions",
                "note", "parameters"}


class OverlayKind(Term):
    """Whose rule an overlay is."""

    SERVICE_LEVEL = "service_level"
    """A municipality's own decision, stricter than the law."""
    PROPOSAL = "proposal"
    """A proposal that never became law (or not yet)."""


@attrs.frozen
class Overlay:
    """One overlay file, parsed and checked."""

    id: str
    title_da: str
    title_en: str
    kind: OverlayKind
    authority: str
    source: str
    confidence: Confidence
    valid_from: date
    legal_basis: str
    """The provisions of national law the overlay changes or sits on top of."""
    replaces: tuple[str, ...] = ()
    policies: tuple[tuple[str, str], ...] = ()
    withdraws_sanctions: tuple[str, ...] = ()
    module: RuleModule | None = None
    source_file: str = ""
    parameters: tuple[tuple[str, Any], ...] = ()
    """(kind, value): parameter tables the overlay puts in place of national law's from its
    ``valid_from`` (a table of dated entries) or altogether (a single table such as the
    staircase), read from the files its ``parameters`` names."""


def load_overlay(path: str | Path) -> Overlay:
    """Read one overlay file; raise :class:`RuleError` with every located problem."""
    source = str(path)
    document, reader = open_toml(path)
    reader.check_keys(document, {"overlay", "module", "rule"}, "")
    head = reader.table(document, "overlay", "")
    if "overlay" not in document:
        reader.problem("overlay", "missing the [overlay] table (id, titles, kind, authority, "
                       "source, confidence, valid_from)")
    reader.check_keys(head, OVERLAY_KEYS, "overlay")
    ident = reader.text(head, "id", "overlay")
    title_da = reader.text(head, "title_da", "overlay")
    title_en = reader.text(head, "title_en", "overlay")
    authority = reader.text(head, "authority", "overlay")
    origin = reader.text(head, "source", "overlay")
    basis = reader.text(head, "legal_basis", "overlay")
    kind = reader.enum_of(OverlayKind, head, "kind", "overlay")
    confidence = reader.enum_of(Confidence, head, "confidence", "overlay")
    start = reader.day(head, "valid_from", "overlay")
    if start is None and "valid_from" not in head:
        reader.problem("overlay", 'missing required key "valid_from"')
    replaces = _texts(reader, head, "replaces")
    withdrawn = _texts(reader, head, "withdraws_sanctions")
    policies = _policies(reader, head)
    parameters = _parameters(reader, head, Path(path).parent)
    module = None
    if "rule" in document or "module" in document:
        module, problems = module_from(document, reader)
        reader.problems.extend(p for p in problems if p not in reader.problems)
    if not (replaces or withdrawn or policies or module or parameters):
        reader.problem("overlay", "an overlay must replace, add or withdraw a rule, set a "
                       "policy or change a parameter table")
    if reader.problems or not (ident and title_da and title_en and authority and origin
                               and kind and confidence and start and basis):
        raise RuleError(reader.problems, subject=source)
    return Overlay(ident, title_da, title_en, kind, authority, origin, confidence, start,
                   basis, replaces, policies, withdrawn, module, source, parameters)


def _texts(reader: _Reader, head: Mapping[str, Any], key: str) -> tuple[str, ...]:
    values = head.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        reader.problem(f"overlay.{key}", f"must be a list of ids, got {values!r}")
        return ()
    return tuple(values)


def _parameters(reader: _Reader, head: Mapping[str, Any], folder: Path
                ) -> tuple[tuple[str, Any], ...]:
    """``parameters = { sanction_rates = "parameters/x.toml" }``: each file, relative to the
    overlay, read by its kind's strict parser; its declared kind must match the key."""
    raw = head.get("parameters", {})
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        reader.problem("overlay.parameters", f'must be a table of kind = "file", got {raw!r}')
        return ()
    found: list[tuple[str, Any]] = []
    for kind, name in sorted(raw.items()):
        where = f"overlay.parameters.{kind}"
        if kind not in PARAMETER_KINDS:
            reader.problem(where, f"{kind!r} is not a parameter kind; known: "
                           f"{', '.join(sorted(PARAMETER_KINDS))}")
            continue
        file = folder / name
        declared, problems = kind_of(file)
        if problems or declared != kind:
            reader.problem(where, f"{name}: " + (problems[0].message if problems else
                                                  f"declares kind {declared!r}, not {kind!r}"))
            continue
        try:
            found.append((kind, PARAMETER_KINDS[kind](file)))
        except RuleError as err:
            reader.problems.extend(err.problems)
    return tuple(found)


def _policies(reader: _Reader, head: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    raw = head.get("policies", {})
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        reader.problem("overlay.policies", f"must be a table of name = \"value\", got {raw!r}")
        return ()
    try:
        Policies.parse(raw)
    except PolicyError as err:
        reader.problem("overlay.policies", str(err))
        return ()
    return tuple(sorted(raw.items()))


def overlays_dir() -> Path:
    return bundled_rules_dir() / "overlays"


@functools.lru_cache(maxsize=1)
def bundled_overlays() -> Mapping[str, Overlay]:
    """The shipped overlays by short name (the file's stem, e.g. ``roedovre-restart``)."""
    return {path.stem: load_overlay(path) for path in sorted(overlays_dir().glob("*.toml"))}


def find_overlay(name: str) -> Overlay:
    """A shipped overlay by short name or id, or an overlay file by path."""
    shipped = bundled_overlays()
    if name in shipped:
        return shipped[name]
    for overlay in shipped.values():
        if overlay.id == name:
            return overlay
    try:
        is_file = Path(name).is_file()
    except (OSError, ValueError):  # a name no file can have (too long, a NUL): not a file
        is_file = False
    if is_file:
        return load_overlay(name)
    raise LabRulesError(f"no overlay {name!r}; shipped: {', '.join(shipped)}")


def clip(entry: T, day: date) -> T | None:
    """The part of a dated national entry (a rule version, a parameter table) in force
    before *day*, or None."""
    start: date = getattr(entry, "valid_from")  # noqa: B009 - any dated attrs entry
    end: date | None = getattr(entry, "valid_to", None)
    if start >= day:
        return None
    if end is not None and end < day:
        return entry
    return attrs.evolve(entry, valid_to=day - timedelta(days=1))  # type: ignore[misc]


@overload
def apply_overlays(base: Law, overlays: Iterable[Overlay]) -> Law: ...


@overload
def apply_overlays(base: RulePack, overlays: Iterable[Overlay]) -> RulePack: ...


def apply_overlays(base: Law | RulePack, overlays: Iterable[Overlay]) -> Law | RulePack:
    """*base* with each overlay applied in turn (a new object; national law is never changed).

    Rules: replaced rules end the day before the overlay's ``valid_from``, added rules join,
    policies and withdrawn sanctions are recorded. Parameters (a :class:`Law` only): a table
    of dated entries is the overlay's from its ``valid_from`` (national entries end the day
    before; the overlay's start no earlier), a single table is replaced. Raises
    :class:`RuleError` when an unknown rule is replaced or versions overlap."""
    overlays = tuple(overlays)
    if isinstance(base, RulePack):
        return _apply_to_pack(base, overlays)
    _check_withdrawn(base, overlays)
    law = base.with_rules(_apply_to_pack(base.rules, overlays))
    changes: dict[str, Any] = {}
    for overlay in overlays:
        for kind, value in overlay.parameters:
            field = FIELDS.get(kind, kind)
            current = changes.get(field, getattr(law, field))
            changes[field] = value if kind in SINGLE_KINDS else _dated(
                current, value, overlay.valid_from)
    content_hash = with_overlays(law.content_hash, (o.source_file for o in overlays))
    return attrs.evolve(law, content_hash=content_hash, **changes)


def _check_withdrawn(law: Law, overlays: tuple[Overlay, ...]) -> None:
    """Every sanction an overlay withdraws is a rule of the sanction register of *law* (the
    law it is applied to, which ``--rules`` may have replaced, not the bundled one)."""
    known = {entry.id for entry in law.sanction_rules}
    problems = [Problem(f"overlay.withdraws_sanctions[{index}]",
                        f"{rule_id!r} is not a rule of the sanction register of {law.name!r}",
                        overlay.source_file)
                for overlay in overlays
                for index, rule_id in enumerate(overlay.withdraws_sanctions)
                if rule_id not in known]
    if problems:
        raise RuleError(problems, subject="+".join(o.source_file for o in overlays))


def _dated(national: tuple[Any, ...], replacement: tuple[Any, ...], day: date
           ) -> tuple[Any, ...]:
    """National entries clipped to end before *day*, then the replacement's from *day*."""
    before = tuple(clip(entry, day) for entry in national)
    after = tuple(attrs.evolve(entry, valid_from=max(entry.valid_from, day))
                  for entry in replacement
                  if getattr(entry, "valid_to", None) is None or entry.valid_to >= day)
    return tuple(entry for entry in before if entry is not None) + after


def _apply_to_pack(pack: RulePack, overlays: Iterable[Overlay]) -> RulePack:
    """*pack* with each overlay applied in turn: replaced rules end the day before the
    overlay's ``valid_from``, added rules join, policies and withdrawn sanctions are recorded.
    Raises :class:`RuleError` when an unknown rule is replaced or versions overlap."""
    modules = list(pack.modules)
    names = [pack.name]
    policies = dict(pack.policies)
    withdrawn = dict(pack.withdrawn_sanctions)
    ids = list(pack.overlays)
    for overlay in overlays:
        known = {rule.id for module in modules for rule in module.rules}
        missing = [rule_id for rule_id in overlay.replaces if rule_id not in known]
        if missing:
            raise RuleError([Problem("overlay.replaces", f"{', '.join(missing)}: no such rule in "
                                     f"the pack {pack.name!r}", overlay.source_file)],
                            subject=overlay.id)
        replaced = set(overlay.replaces)
        modules = [attrs.evolve(module, rules=tuple(
            kept for rule in module.rules
            if (kept := (clip(rule, overlay.valid_from) if rule.id in replaced else rule))
            is not None)) for module in modules]
        if overlay.module is not None:
            modules.append(overlay.module)
        policies.update(overlay.policies)
        withdrawn.update((rule_id, overlay.id) for rule_id in overlay.withdraws_sanctions)
        names.append(overlay.id)
        ids.append(overlay.id)
    problems = _overlaps(modules)
    if problems:
        raise RuleError(problems, subject="+".join(names))
    return attrs.evolve(RulePack.of("+".join(names), [m for m in modules if m.rules]),
                        overlays=tuple(ids), policies=tuple(sorted(policies.items())),
                        withdrawn_sanctions=tuple(sorted(withdrawn.items())))


def law_as_of(day: date, base: Law | None = None) -> Law:
    """The rules in force on *day*, applied to every date: "what if this year's law had
    always applied". Only the contact-course rules move; refund and sanctions keep the law
    of each event's date (they are rates and consequences, not deadlines)."""
    law = base if base is not None else bundled_law()
    pack = law.rules
    modules = [attrs.evolve(module, rules=tuple(
        attrs.evolve(rule, valid_from=date.min, valid_to=None)
        for rule in module.rules if rule.valid_on(day))) for module in pack.modules]
    return law.with_rules(attrs.evolve(
        RulePack.of(f"{pack.name}@{day.isoformat()}", [m for m in modules if m.rules]),
        overlays=pack.overlays, policies=pack.policies,
        withdrawn_sanctions=pack.withdrawn_sanctions))
