"""The 225-hour rule (LAS §§ 13 f-13 g) and its notice deadlines (BEK 1625/2024): catalogue
cases TC-15 to TC-17 and the edges of the statute, as data files."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules import evaluate
from lab_rules.core.vocabulary import ExemptionReason
from lab_rules.entitlements.hours_rule import HoursRuleStatus, hours_rule_status
from lab_rules.facts.facts import facts_of
from lab_rules.inputs.synth import synthetic_caseload
from lab_rules.inputs.timeline import Exemption, Timeline
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
        elif key in ("explain_da_contains", "explain_en_contains"):
            explanation = status.explain(key.split("_")[1])
            assert want in explanation, explanation
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


def _case(name: str) -> tuple[Timeline, date]:
    case = json.loads((CASE_FILES[0].parent / f"{name}.json").read_text(encoding="utf-8"))
    return parse_timeline(case["timeline"]), date.fromisoformat(case["as_of"])


def test_an_exempted_225_hour_case_is_not_reduced_and_says_why() -> None:
    """Acceptance (issue 16): begraenset_arbejdsevne takes the person outside the requirement
    (LAS § 13 f, stk. 9), so no month is tested and nothing is reduced."""
    timeline, as_of = _case("exempt-limited-arbejdsevne-not-reduced")
    status = _status(timeline, as_of)
    assert status is not None
    assert status.bortfaldsdato is None
    assert status.first_unmet_month is None
    assert status.exempt is not None
    assert status.exempt.rule.legal_basis == "LAS § 13 f, stk. 9"
    assert "ikke omfattet af kravet" in status.explain("da")
    assert "not covered by the requirement" in status.explain("en")


def test_without_the_exempt_entry_in_the_data_the_same_case_is_reduced(tmp_path: Path) -> None:
    """The exemption's effect is data: with [[era.exempt]] naming another reason, the
    recorded begraenset_arbejdsevne only extends the window and every month is tested."""
    rules = _copy_rules(tmp_path)
    eras = rules / "parameters" / "225-timersreglen-perioder.toml"
    text = eras.read_text(encoding="utf-8")
    assert 'reason = "begraenset_arbejdsevne"\neffect' in text
    eras.write_text(text.replace('reason = "begraenset_arbejdsevne"\neffect',
                                 'reason = "andet"\neffect'), encoding="utf-8")
    timeline, as_of = _case("exempt-limited-arbejdsevne-not-reduced")
    status = evaluate(timeline, as_of=as_of, law=load_law(rules), refund=False).hours_rule
    assert status is not None
    assert status.first_unmet_month == "2024-01"
    assert status.exempt is None


def test_a_month_partly_exempt_is_tested_under_partial_month_tested(tmp_path: Path) -> None:
    """The named policy for a month the exemption covers only in part (the law is silent)."""
    rules = _copy_rules(tmp_path)
    eras = rules / "parameters" / "225-timersreglen-perioder.toml"
    eras.write_text(eras.read_text(encoding="utf-8").replace(
        'partial_month = "not_tested"', 'partial_month = "tested"'), encoding="utf-8")
    timeline, _ = _case("exemption-ended-reduced")
    exemption = next(e for e in timeline.events if isinstance(e, Exemption))
    late = Timeline(timeline.person, tuple(
        attrs.evolve(e, end=date(2024, 6, 15)) if e is exemption else e
        for e in timeline.events))
    as_of = date(2024, 9, 30)
    national = evaluate(late, as_of=as_of, refund=False).hours_rule
    tested = evaluate(late, as_of=as_of, law=load_law(rules), refund=False).hours_rule
    assert national is not None
    assert tested is not None
    assert national.first_unmet_month == "2024-07"
    assert tested.first_unmet_month == "2024-06"


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_the_explanation_is_in_one_language_without_none(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    status = evaluate(parse_timeline(case["timeline"]),
                      as_of=date.fromisoformat(case["as_of"]), refund=False).hours_rule
    assert status is not None
    da, en = status.explain("da"), status.explain("en")
    assert "None" not in da
    assert "None" not in en
    for english in ("225-hour", "monthly reduction", "warning letter", " the ", "help again"):
        assert english not in da, da
    for danish in ("timersreglen", "nedsættelse", "varslingsbrev", "kravet"):
        assert danish not in en, en
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", da), da


def test_every_exemption_reason_has_words_in_both_languages() -> None:
    for lang in ("da", "en"):
        labels = [reason.label(lang) for reason in ExemptionReason]
        assert all(labels), lang
        assert len(set(labels)) == len(labels), labels


def test_synthetic_timelines_draw_only_the_reasons_they_drew_before() -> None:
    """New reasons must not change existing synthetic caseloads (same seed, same events)."""
    drawn = {e.reason for t in synthetic_caseload(300, seed=7) for e in t.events
             if isinstance(e, Exemption)}
    assert drawn
    assert drawn <= {ExemptionReason(v) for v in (
        "mindre_intensiv_indsats", "barsel", "sygdom", "ferie", "standby", "rimelig_grund",
        "kommunal_vurdering", "andet")}
