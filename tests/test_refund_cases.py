"""Era C refund staircase: catalogue cases T-01 to T-17, one data file each (DERIVED rows)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import CASES
from lab_rules.facts.facts import facts_of
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.policies import Policies
from lab_rules.law.refund import bundled_staircase
from lab_rules.refund.staircase import compute_refund

CASE_FILES = sorted((CASES / "refund").glob("T-*.json"))


def test_all_era_c_cases_are_present() -> None:
    assert {p.stem.split("-later")[0] for p in CASE_FILES} >= {f"T-{n:02d}" for n in range(1, 18)}


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_refund_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"]
    timeline = parse_timeline(case["timeline"], source=path.name)
    facts = facts_of(timeline, date.fromisoformat(case["as_of"]))
    ledger = compute_refund(facts, bundled_staircase(), Policies.parse(case.get("policies")))
    expect = case["expect"]
    for want in expect.get("weeks", []):
        week = ledger.week(date.fromisoformat(want["monday"]))
        assert week is not None, f"{case['id']}: no ledger week {want['monday']}"
        assert week.number == want["week_number"], (case["id"], want["monday"], week.number)
        benefit = want.get("benefit")
        lines = [ln for ln in week.lines if benefit is None or ln.benefit.value == benefit]
        assert lines, (case["id"], want)
        line = lines[0]
        assert line.rate == Decimal(want["rate"]), (case["id"], want["monday"], line.rate)
        assert line.share == want["share"]
        if "days" in want:
            assert line.days == want["days"]
        for key in ("cost", "amount"):
            if key in want:
                assert getattr(line, key) == Decimal(want[key]), (case["id"], key)
        for key in ("legal_basis", "entry"):
            if key in want:
                assert getattr(line, key) == want[key], (case["id"], key)
        if "rate_week" in want:
            assert week.rate_week == date.fromisoformat(want["rate_week"])
    if "restarts" in expect:
        assert [d.isoformat() for d in ledger.restarts] == expect["restarts"]
    if "restart_weeks" in expect:
        assert [d.isoformat() for d in ledger.restart_weeks] == expect["restart_weeks"]
    for want in expect.get("months", []):
        month = next(m for m in ledger.months if m.month == want["month"])
        assert month.refund == Decimal(want["refund"])
    if "total_refund" in expect:
        assert ledger.total_refund == Decimal(expect["total_refund"])
    if expect.get("no_weeks"):
        assert not ledger.weeks
    if "note_contains" in expect:
        assert any(expect["note_contains"] in str(note) for note in ledger.notes), ledger.notes
