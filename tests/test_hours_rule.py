"""The 225-hour rule (LAS §§ 13 f-13 g) and its notice deadlines (BEK 1625/2024): catalogue
cases TC-15 to TC-17 and the edges of the statute, as data files."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules import evaluate
from lab_rules.entitlements.hours_rule import hours_rule_status
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.hours import bundled_reduction_levels

CASE_FILES = sorted((Path(__file__).parent / "cases" / "hours_rule").glob("*.json"))


def test_case_files_exist() -> None:
    assert len(CASE_FILES) >= 8


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_hours_rule_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"]
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date.fromisoformat(case["as_of"]),
                          refund=False)
    status = evaluation.hours_rule
    assert status is not None
    for key, want in case["expect"].items():
        if key == "note_contains":
            assert any(want in n for n in status.notes), status.notes
        elif key == "consequence_contains":
            assert status.consequence is not None
            assert want in status.consequence
        else:
            value = getattr(status, key)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            assert value == want, (case["id"], key, status)


def test_reduction_levels_are_dated_and_do_not_overlap() -> None:
    levels = sorted(bundled_reduction_levels(), key=lambda lv: lv.valid_from)
    for before, after in itertools.pairwise(levels):
        assert before.valid_to is not None
        assert before.valid_to < after.valid_from


def test_no_help_means_no_status() -> None:
    timeline = parse_timeline({"schema": "lab-rules/timeline/v1", "person": {"id": "p"},
                               "events": [{"type": "registered", "date": "2024-01-02"}]})
    assert hours_rule_status(timeline, date(2024, 6, 1)) is None


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 400), st.integers(0, 400), st.dates(date(2021, 1, 1), date(2021, 12, 31)))
def test_more_hours_never_bring_the_bortfaldsdato_earlier(hours: int, extra: int,
                                                          worked: date) -> None:
    """LAS § 13 f stk. 6 nr. 2: adding documented work can only postpone or avoid the
    reduction, never advance it."""
    def bortfald(total: int) -> date:
        events = [
            {"type": "benefit_started", "date": "2020-06-01", "benefit": "kontanthjaelp",
             "group": "jobparat_kontanthjaelp"},
            {"type": "work_hours", "start": worked.isoformat(),
             "end": (worked + timedelta(days=6)).isoformat(), "hours": str(total)}]
        timeline = parse_timeline({"schema": "lab-rules/timeline/v1",
                                   "person": {"id": "p", "married": False}, "events": events})
        status = hours_rule_status(timeline, date(2023, 12, 31))
        assert status is not None
        assert status.overgangsdato == date(2021, 5, 31)
        return status.bortfaldsdato or date.max

    assert bortfald(hours) <= bortfald(hours + extra)
