"""Worked cases of the contact-course catalogue (O and D rows), one data file each.

Each file in ``tests/cases/contact_course/`` names its source, holds a timeline/v1 document,
an ``as_of`` date, optional policies, and the obligations it expects (by rule id and sequence):
any of due, opens, status, fulfilled_on, days_late, days_overdue, words the trace must contain,
or ``absent``. D rows are computed from the statute (regression tests, not authority).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from conftest import CASES
from lab_rules import evaluate
from lab_rules.calendar import Reading
from lab_rules.contact.results import Obligation
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law import RulePack, bundled_law, bundled_pack

CASE_FILES = sorted((CASES / "contact_course").glob("*.json"))


def _pack(case: dict[str, Any]) -> RulePack:
    pack = bundled_pack()
    override = case.get("rules_override")
    if not override:
        return pack
    modules = []
    for module in pack.modules:
        rules = tuple(
            attrs.evolve(r, reading=Reading(override["reading"]))
            if r.id == override["rule_id"] else r for r in module.rules)
        modules.append(attrs.evolve(module, rules=rules))
    return RulePack.of("override", modules)


def _find(obligations: tuple[Obligation, ...], expected: dict[str, Any]) -> list[Obligation]:
    return [o for o in obligations if o.rule.id == expected["rule_id"]
            and o.sequence == expected.get("sequence", o.sequence)]


def test_case_files_exist() -> None:
    assert len(CASE_FILES) >= 20


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_worked_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"], "every case names its source"
    timeline = parse_timeline(case["timeline"], source=path.name)
    evaluation = evaluate(timeline, as_of=date.fromisoformat(case["as_of"]),
                          law=bundled_law().with_rules(_pack(case)),
                          policies=case.get("policies"))
    for expected in case["expect"]:
        found = _find(evaluation.obligations, expected)
        if expected.get("absent"):
            assert not found, f"{case['id']}: {expected['rule_id']} should not apply"
            continue
        assert found, (f"{case['id']}: no obligation {expected['rule_id']} "
                       f"#{expected.get('sequence', '*')}; have "
                       f"{[(o.rule.id, o.sequence) for o in evaluation.obligations]}")
        obligation = found[0]
        for key in ("due", "opens", "fulfilled_on"):
            if key in expected:
                assert str(getattr(obligation, key)) == expected[key], (
                    f"{case['id']} {expected['rule_id']}: {key}", obligation.trace)
        if "status" in expected:
            assert obligation.status.value == expected["status"], (case["id"], obligation.trace)
        for key in ("days_late", "days_overdue"):
            if key in expected:
                assert getattr(obligation, key) == expected[key], (case["id"], key)
        trace = " ".join(step.text for step in obligation.trace)
        for words in expected.get("trace_contains", []):
            assert words in trace, (case["id"], trace)
