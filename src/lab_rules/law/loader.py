"""Load rule modules from TOML, strictly: every problem, located, with a hint.

Rule files are data: they are read with the standard library's ``tomllib`` and never
executed. Unknown keys, wrong types, unknown groups or event kinds, invalid durations, a
missing legal basis and overlapping validity of one rule id are errors that name the file,
the key path (``rule[3].fulfilled_by.kinds``) and, where it can be found, the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from lab_rules.calendar import Reading, Roll, Rounding
from lab_rules.core.errors import Problem
from lab_rules.core.vocabulary import (
    CaseStep,
    ConversationKind,
    Form,
    FormException,
    Holder,
    OfferKind,
    TargetGroup,
)
from lab_rules.law.bounds import (
    MAX_COUNT,
    MAX_START_INDEX,
)
from lab_rules.law.citation import _legal_basis, parse_citation
from lab_rules.law.model import (
    Anchor,
    Clock,
    Confidence,
    ExemptWindow,
    FulfilledBy,
    Fulfilment,
    IntervalFrom,
    Rule,
    RuleModule,
    RulePack,
    Shape,
)
from lab_rules.law.module_parts import (
    STEPS,
    conditions,
    excluded_periods,
    exemptions,
    module_defaults,
    module_values,
)
from lab_rules.law.offer_rules import OFFER_RULE_KEYS, check_yields, offer_fields
from lab_rules.law.policies import VersionSelector
from lab_rules.law.reader import RuleError, _line_index, _Reader, open_toml
from lab_rules.law.rule_checks import check_forms, exempt_window_basis
from lab_rules.law.toml_files import Read, read_toml

__all__ = ["RuleError", "_Reader", "bundled_rules_dir", "load_module", "load_pack",
           "open_toml", "parse_citation"]


_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_-]+)+$")
MODULE_KEYS = {"id", "title_da", "title_en", "era", "act", "source", "valid_from", "valid_to",
               "groups", "defaults", "roll_basis"}
RULE_KEYS = {
    "id", "title_da", "title_en", "legal_basis", "law_text", "confidence", "note",
    "valid_from", "valid_to", "groups", "shape", "clock", "anchor", "duration", "reading",
    "rounding", "roll", "opens_after", "opens_anchor", "count", "repeat", "interval",
    "interval_from", "start_index", "max_items", "grace", "loentilskud_grace",
    "after_exemption", "fulfilled_by", "exemptions", "when", "unless", "excluded_periods",
    "selector", "legal_source", "roll_basis", "exempt_window", "exempt_window_basis",
    "form_basis", *OFFER_RULE_KEYS,
}
FULFIL_KEYS = {"event", "kinds", "held_by", "forms", "first_forms", "alternate_forms",
               "form_exceptions", "excepted_forms", "offers", "steps"}
_NEEDS_DURATION = {Shape.FIRST_WITHIN, Shape.COUNT_IN_WINDOW, Shape.MILESTONE, Shape.ACTIVATION,
                   Shape.CASE_STEP, Shape.OFFER_LIMIT}
_NEEDS_INTERVAL = {Shape.SCHEDULE, Shape.ROLLING}
_EVENT_FOR_SHAPE = {Shape.ACTIVATION: FulfilledBy.OFFER_STARTED,
                    Shape.CASE_STEP: FulfilledBy.CASE_STEP,
                    Shape.OFFER_LIMIT: FulfilledBy.OFFER_ENDED}


def _rule(reader: _Reader, raw: Mapping[str, Any], path: str, module: Mapping[str, Any],
          defaults: Mapping[str, Any], module_id: str, era: str) -> Rule | None:
    start = len(reader.problems)
    reader.check_keys(raw, RULE_KEYS, path)
    rule_id = reader.text(raw, "id", path)
    if rule_id is not None and not _ID.match(rule_id):
        reader.problem(f"{path}.id", f"{rule_id!r} is not a dotted lower-case id like "
                       "dk.lab.2024.dagpenge.first_jobsamtale")
    title_da = reader.text(raw, "title_da", path)
    title_en = reader.text(raw, "title_en", path)

    basis = _legal_basis(reader, raw, module, path)
    law_text = reader.text(raw, "law_text", path)
    confidence = reader.enum_of(Confidence, raw, "confidence", path,
                                defaults.get("confidence", "confirmed"))

    valid_from = reader.day(raw, "valid_from", path, default=module.get("valid_from"))
    valid_to = reader.day(raw, "valid_to", path, default=module.get("valid_to"))
    if "valid_from" not in raw and "valid_from" not in module:
        reader.problem(path, 'missing "valid_from" (on the rule or in [module])')
    if valid_from and valid_to and valid_to < valid_from:
        reader.problem(f"{path}.valid_to", f"{valid_to} is before valid_from {valid_from}")
    groups = reader.enum_set(TargetGroup, raw, "groups", path, module.get("groups"))
    if not groups:
        reader.problem(f"{path}.groups", "a rule must apply to at least one target group")

    shape = reader.enum_of(Shape, raw, "shape", path)
    if shape is Shape.NOT_COVERED:
        reader.problem(f"{path}.shape", '"not_covered" is not a rule shape: write a gap in '
                       "rules/coverage/ instead")
    if "shape" not in raw:
        reader.problem(path, 'missing required key "shape"; one of: '
                       + ", ".join(s.value for s in Shape))
    clock = reader.enum_of(Clock, raw, "clock", path, defaults.get("clock", "contiguous"))
    anchor = reader.enum_of(Anchor, raw, "anchor", path, defaults.get("anchor"))
    if "anchor" not in raw and "anchor" not in defaults:
        reader.problem(path, 'missing required key "anchor"')
    reading = reader.enum_of(Reading, raw, "reading", path, defaults.get("reading", "after"))
    rounding = reader.enum_of(Rounding, raw, "rounding", path, defaults.get("rounding", "strict"))
    roll = reader.enum_of(Roll, raw, "roll", path, defaults.get("roll", "none"))
    roll_basis = reader.text(raw, "roll_basis", path, required=False) or module.get("roll_basis")
    if not isinstance(roll_basis, str) or not roll_basis.strip():
        reader.problem(path, 'missing "roll_basis" (on the rule or in [module]): say why a due '
                       "date on a closed day is moved (roll, with its source) or is the calendar "
                       "date itself")
    durations = {k: reader.duration(raw, k, path, positive=k in STEPS) for k in (
        "duration", "opens_after", "repeat", "interval", "grace", "loentilskud_grace",
        "after_exemption")}
    if shape in _NEEDS_DURATION and durations["duration"] is None and "duration" not in raw:
        reader.problem(path, f'shape "{shape.value}" needs "duration" (an ISO-8601 duration)')
    if shape in _NEEDS_INTERVAL and durations["interval"] is None and "interval" not in raw:
        reader.problem(path, f'shape "{shape.value}" needs "interval" (an ISO-8601 duration)')
    if reading in (Reading.END_OF_WEEK, Reading.END_OF_CALENDAR_WEEK):
        for key in ("duration", "interval"):
            value = durations[key]
            if value is not None and value.weeks is None:
                reader.problem(f"{path}.{key}", f'reading "{reading.value}" needs whole weeks '
                               f"(like P8W), got {value}")

    fulfil_raw = reader.table(raw, "fulfilled_by", path)
    fpath = f"{path}.fulfilled_by"
    reader.check_keys(fulfil_raw, FULFIL_KEYS, fpath)
    event = reader.enum_of(FulfilledBy, fulfil_raw, "event", fpath,
                           _EVENT_FOR_SHAPE.get(shape, FulfilledBy.CONVERSATION_HELD).value
                           if shape else None)
    expected = _EVENT_FOR_SHAPE.get(shape) if shape else None
    if shape and expected and event and event is not expected:
        reader.problem(f"{fpath}.event", f'shape "{shape.value}" is fulfilled by '
                       f'"{expected.value}", not "{event.value}"')
    fulfilment = Fulfilment(
        event=event or FulfilledBy.CONVERSATION_HELD,
        kinds=reader.enum_set(ConversationKind, fulfil_raw, "kinds", fpath),
        held_by=reader.enum_set(Holder, fulfil_raw, "held_by", fpath),
        forms=reader.enum_set(Form, fulfil_raw, "forms", fpath),
        first_forms=reader.enum_set(Form, fulfil_raw, "first_forms", fpath),
        alternate_forms=reader.enum_set(Form, fulfil_raw, "alternate_forms", fpath),
        form_exceptions=reader.enum_set(FormException, fulfil_raw, "form_exceptions", fpath),
        excepted_forms=reader.enum_set(Form, fulfil_raw, "excepted_forms", fpath),
        offers=reader.enum_set(OfferKind, fulfil_raw, "offers", fpath),
        steps=reader.enum_set(CaseStep, fulfil_raw, "steps", fpath),
    )
    if fulfilment.event is FulfilledBy.CONVERSATION_HELD and not fulfilment.kinds:
        reader.problem(f"{fpath}.kinds", "name the conversation kinds that fulfil the rule")

    form_basis = check_forms(reader, raw, fulfilment, shape, path)
    effects = exemptions(reader, {**defaults.get("exemptions", {}),
                                  **reader.table(raw, "exemptions", path)}, f"{path}.exemptions")
    exempt_window = reader.enum_of(ExemptWindow, raw, "exempt_window", path)
    window_basis = exempt_window_basis(reader, raw, path, shape, effects)
    when = conditions(reader, reader.table(raw, "when", path), f"{path}.when")
    unless = (conditions(reader, reader.table(raw, "unless", path), f"{path}.unless")
              if "unless" in raw else None)
    excluded = excluded_periods(reader, raw.get("excluded_periods", []),
                                 f"{path}.excluded_periods")
    count = reader.integer(raw, "count", path, 1, minimum=1, maximum=MAX_COUNT) or 1
    start_index = reader.integer(raw, "start_index", path, 1, minimum=1,
                                 maximum=MAX_START_INDEX) or 1
    max_items = reader.integer(raw, "max_items", path, None, minimum=1, maximum=MAX_COUNT)
    interval_from = reader.enum_of(IntervalFrom, raw, "interval_from", path, "previous_due")
    selector = reader.enum_of(VersionSelector, raw, "selector", path,
                              defaults.get("selector", "opens"))
    opens_anchor = reader.enum_of(Anchor, raw, "opens_anchor", path)
    note = reader.text(raw, "note", path, required=False)
    offer_keys = offer_fields(reader, raw, path, shape=shape, anchor=anchor, reading=reading,
                              interval_from=interval_from, event=fulfilment.event,
                              duration=durations["duration"], conditions=(when, unless))

    if (len(reader.problems) > start or rule_id is None or title_da is None or title_en is None
            or basis is None or law_text is None or valid_from is None or confidence is None
            or shape is None or clock is None or anchor is None or reading is None
            or rounding is None or roll is None or interval_from is None or selector is None
            or not isinstance(roll_basis, str)):
        return None
    return Rule(
        id=rule_id, title_da=title_da, title_en=title_en, module_id=module_id, era=era,
        legal_basis=basis, law_text=law_text, confidence=confidence, valid_from=valid_from,
        valid_to=valid_to, groups=groups, shape=shape, clock=clock, anchor=anchor,
        fulfilled_by=fulfilment, reading=reading, rounding=rounding, roll=roll,
        roll_basis=roll_basis,
        opens_anchor=opens_anchor, count=count, interval_from=interval_from,
        start_index=start_index, max_items=max_items, exemptions=effects,
        exempt_window=exempt_window, exempt_window_basis=window_basis, form_basis=form_basis,
        when=when,
        unless=unless, excluded_periods=excluded, selector=selector, note=note,
        source_file=reader.source,
        source_line=reader.line_of(path), offers=offer_keys.offers,
        extensions=offer_keys.extensions, yields_to=offer_keys.yields_to, floor=offer_keys.floor,
        **durations,
    )


def _parse_module(path: Path, read: Read | None = None
                  ) -> tuple[RuleModule | None, list[Problem]]:
    """The rule module of the file *path*, from its document and text if *read* already."""
    source = str(path)
    if read is None:
        try:
            read = read_toml(path)
        except RuleError as err:
            return None, list(err.problems)
    document, text = read
    reader = _Reader(source, _line_index(text))
    reader.check_keys(document, {"kind", "module", "rule"}, "")
    if document.get("kind", "contact_course") != "contact_course":
        reader.problem("kind", f'a rule module has kind "contact_course", not '
                       f'{document.get("kind")!r}')
    return module_from(document, reader)


def module_from(document: Mapping[str, Any], reader: _Reader
                ) -> tuple[RuleModule | None, list[Problem]]:
    """The rule module of a parsed document (``[module]`` and ``[[rule]]``); the caller has
    checked the document's top-level keys."""
    source = reader.source
    module = reader.table(document, "module", "")
    if "module" not in document:
        reader.problem("module", "missing the [module] table (id, title_da, title_en, era, act, "
                       "source, valid_from)")
    reader.check_keys(module, MODULE_KEYS, "module")
    module_id = reader.text(module, "id", "module") or "?"
    title_da = reader.text(module, "title_da", "module") or "?"
    title_en = reader.text(module, "title_en", "module") or "?"
    era = reader.text(module, "era", "module") or "?"
    module = module_values(reader, module)
    defaults = module_defaults(reader, reader.table(module, "defaults", "module"))
    raw_rules = reader.tables(document, "rule", "")
    if not raw_rules and isinstance(document.get("rule", []), list):
        reader.problem("rule", "a module needs at least one [[rule]]")
    rules = []
    for path, raw in raw_rules:
        rule = _rule(reader, raw, path, module, defaults, module_id, era)
        if rule is not None:
            rules.append(rule)
    check_yields(reader, raw_rules)
    if reader.problems:
        return None, reader.problems
    return RuleModule(module_id, title_da, title_en, era, source, tuple(rules)), []


def load_module(path: str | Path) -> RuleModule:
    """Load one rule file; raise :class:`RuleError` with every problem."""
    module, problems = _parse_module(Path(path))
    if module is None:
        raise RuleError(problems, subject=str(path))
    return module


def _overlaps(modules: Iterable[RuleModule]) -> list[Problem]:
    problems = []
    seen: dict[str, list[Rule]] = {}
    for module in modules:
        for rule in module.rules:
            for other in seen.get(rule.id, []):
                end_a = rule.valid_to or date.max
                end_b = other.valid_to or date.max
                if rule.valid_from <= end_b and other.valid_from <= end_a:
                    problems.append(Problem(
                        "rule.id", f'"{rule.id}" is valid {rule.valid_from} to '
                        f"{rule.valid_to or 'open'}, overlapping the version in "
                        f"{other.source_file}:{other.source_line} ({other.valid_from} to "
                        f"{other.valid_to or 'open'}); end one version the day before the next "
                        "starts", rule.source_file, rule.source_line))
            seen.setdefault(rule.id, []).append(rule)
    return problems


def load_pack(paths: str | Path | Iterable[str | Path], *, name: str | None = None,
              read: Mapping[Path, Read] | None = None) -> RulePack:
    """Load every ``*.toml`` under the given files or folders into one :class:`RulePack`;
    a file in *read* (its document and text, as :func:`read_toml` gave them) is not read
    again."""
    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            files.extend(f for f in sorted(item.rglob("*.toml"))
                         if not {"parameters", "overlays", "coverage"}
                         & set(f.relative_to(item).parts))
        else:
            files.append(item)
    modules: list[RuleModule] = []
    problems: list[Problem] = []
    for file in files:
        module, found = _parse_module(file, read.get(file) if read else None)
        problems.extend(found)
        if module is not None:
            modules.append(module)
    problems.extend(_overlaps(modules))
    if not files:
        problems.append(Problem("", "no *.toml rule files found", ", ".join(map(str, paths))))
    if problems:
        problems.sort(key=lambda p: (p.source or "", p.line or 0))
        raise RuleError(problems, subject="rule pack")
    return RulePack.of(name or ", ".join(str(p) for p in paths), modules)


def bundled_rules_dir() -> Path:
    """The national rule pack shipped with lab-rules (``rules/`` of the source tree)."""
    shipped = Path(str(resources.files("lab_rules") / "pack"))
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[3] / "rules"
