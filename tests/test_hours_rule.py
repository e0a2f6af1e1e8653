"""The 225-hour rule (LAS §§ 13 f-13 g) and its notice deadlines (BEK 1625/2024): catalogue
cases TC-15 to TC-17 and the edges of the statute, as data files."""

from __future__ import annotations

import itertools
import json
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules import evaluate
from lab_rules.entitlements.hours_rule import HoursRuleStatus, hours_rule_status
from lab_rules.facts.facts import facts_of
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import load_law
from lab_rules.law.hours import bundled_hours_eras, bundled_reduction_levels
from lab_rules.law.loader import bundled_rules_dir

CASE_FILES = sorted((Path(__file__).parent / "cases" / "hours_rule").glob("*.json"))


def _status(timeline: Timeline, as_of: date) -> HoursRuleStatus | None:
    return hours_rule_status(facts_of(timeline, as_of), bundled_hours_eras(),
                             bundled_reduction_levels())


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
    assert _status(timeline, date(2024, 6, 1)) is None


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
        status = _status(timeline, date(2023, 12, 31))
        assert status is not None
        assert status.overgangsdato == date(2021, 5, 31)
        return status.bortfaldsdato or date.max

    assert bortfald(hours) <= bortfald(hours + extra)


def _tc15() -> tuple[Timeline, date]:
    case = json.loads((CASE_FILES[0].parent / "TC-15.json").read_text(encoding="utf-8"))
    return parse_timeline(case["timeline"]), date.fromisoformat(case["as_of"])


def test_every_status_names_its_era_and_level_entries() -> None:
    timeline, as_of = _tc15()
    status = _status(timeline, as_of)
    assert status is not None
    assert (status.era, status.level) == ("225-timer", "2022")
    assert status.confidence == "unconfirmed"
    assert any("reduction level 2022" in n and "unconfirmed" in n for n in status.notes)
    assert any(n.startswith("inferred: ") for n in status.notes)


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), target)
    return target


def test_a_changed_reduction_level_in_the_data_changes_the_result(tmp_path: Path) -> None:
    """Acceptance (issue 11): the amount comes from the rule files, not from code."""
    rules = _copy_rules(tmp_path)
    levels = rules / "parameters" / "225-timersreglen.toml"
    levels.write_text(levels.read_text(encoding="utf-8").replace('full = "1069"', 'full = "1111"'),
                      encoding="utf-8")
    timeline, as_of = _tc15()
    status = evaluate(timeline, as_of=as_of, law=load_law(rules), refund=False).hours_rule
    assert status is not None
    assert status.reduction_full_rate == Decimal(1111)


def test_a_changed_hour_requirement_in_the_data_changes_the_result(tmp_path: Path) -> None:
    """Acceptance (issue 11): the era entry selects the requirement; 0 hours are always met."""
    rules = _copy_rules(tmp_path)
    eras = rules / "parameters" / "225-timersreglen-perioder.toml"
    eras.write_text(eras.read_text(encoding="utf-8").replace('hours = "225"', 'hours = "0"'),
                    encoding="utf-8")
    timeline, as_of = _tc15()
    national = evaluate(timeline, as_of=as_of, refund=False).hours_rule
    changed = evaluate(timeline, as_of=as_of, law=load_law(rules), refund=False).hours_rule
    assert national is not None
    assert changed is not None
    assert national.bortfaldsdato == date(2022, 4, 1)
    assert changed.bortfaldsdato is None


def test_eras_are_dated_and_do_not_overlap() -> None:
    eras = bundled_hours_eras()
    assert [e.id for e in eras] == ["300-timer", "450-timer", "225-timer"]
    for before, after in itertools.pairwise(eras):
        assert before.valid_to is not None
        assert before.valid_to < after.valid_from
