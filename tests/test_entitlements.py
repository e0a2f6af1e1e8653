"""Entitlements a caseworker queries (LAS § 13 stk. 12-13 holiday; dagpenge in the first 14
days of sickness): catalogue TC-29 and TC-30 as data files, checked through the CLI's JSON."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from lab_rules.entitlements.holiday_sickness import holiday_entitlements, sickness_dagpenge
from lab_rules.faces.cli import main
from lab_rules.facts.facts import facts_of
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import load_law
from lab_rules.law.loader import bundled_rules_dir

CASE_FILES = sorted((Path(__file__).parent / "cases" / "entitlements").glob("*.json"))


def test_case_files_exist() -> None:
    assert len(CASE_FILES) >= 5


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_entitlement_case(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"]
    timeline = tmp_path / "timeline.json"
    timeline.write_text(json.dumps(case["timeline"]), encoding="utf-8")
    assert main(["entitlements", str(timeline), "--as-of", case["as_of"]]) == 0
    got = json.loads(capsys.readouterr().out)
    for key, want in case["expect"].items():
        assert len(got[key]) == len(want), (case["id"], got[key])
        for item, expected in zip(got[key], want, strict=True):
            for field, value in expected.items():
                assert item[field] == value, (case["id"], key, field, item)


def test_entitlements_text_names_the_law(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    case = json.loads((CASE_FILES[0].parent / "TC-29.json").read_text(encoding="utf-8"))
    timeline = tmp_path / "timeline.json"
    timeline.write_text(json.dumps(case["timeline"]), encoding="utf-8")
    assert main(["entitlements", str(timeline), "--as-of", "2025-01-15", "--format", "text"]) == 0
    assert "LAS § 13, stk. 12-13" in capsys.readouterr().out


def test_holiday_and_sickness_figures_come_from_the_rule_files(tmp_path: Path) -> None:
    """Issue 11: 4 weeks, 2 weeks and 14 days are data (rules/parameters/kontanthjaelp-ferie.toml,
    dagpenge-sygdom.toml); a copy with 5 weeks and 21 days changes the entitlements."""
    rules = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), rules)
    for name, old, new in (("kontanthjaelp-ferie.toml", 'total = "P4W"', 'total = "P5W"'),
                           ("dagpenge-sygdom.toml", 'duration = "P14D"', 'duration = "P21D"')):
        path = rules / "parameters" / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    law = load_law(rules)
    holiday = json.loads((CASE_FILES[0].parent / "TC-29.json").read_text(encoding="utf-8"))
    facts = facts_of(parse_timeline(holiday["timeline"]), date(2025, 1, 15))
    (earned,) = holiday_entitlements(facts, law.holiday_rules)
    assert (earned.days, earned.entry) == (25, "las-13-12-2016")
    sick = json.loads((CASE_FILES[0].parent / "TC-30.json").read_text(encoding="utf-8"))
    facts = facts_of(parse_timeline(sick["timeline"]), date.fromisoformat(sick["as_of"]))
    (days,) = sickness_dagpenge(facts, law.sickness_rules)
    assert (days.last_dagpenge_day, days.entry) == (date(2024, 10, 24), "raadighed-21")


@pytest.mark.parametrize(("lang", "want", "foreign"), [
    ("da", ["optjent 01-01-2025, holdes senest 31-12-2025: 20 af 20 dage tilbage"],
     ["holiday", "earned", "days left"]),
    ("en", ["earned 2025-01-01, to be taken by 2025-12-31: 20 of 20 days left"],
     ["ferie", "optjent", "tilbage"])])
def test_entitlements_text_is_in_one_language(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              lang: str, want: list[str],
                                              foreign: list[str]) -> None:
    case = json.loads((CASE_FILES[0].parent / "TC-29.json").read_text(encoding="utf-8"))
    timeline = tmp_path / "timeline.json"
    timeline.write_text(json.dumps(case["timeline"]), encoding="utf-8")
    assert main(["entitlements", str(timeline), "--as-of", "2025-01-15", "--format", "text",
                 "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert all(w in out for w in want), out
    assert not any(f in out for f in foreign), out
    assert "None" not in out


def test_sickness_text_cites_the_danish_wording_of_its_legal_basis(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = json.loads((CASE_FILES[0].parent / "TC-30.json").read_text(encoding="utf-8"))
    timeline = tmp_path / "timeline.json"
    timeline.write_text(json.dumps(case["timeline"]), encoding="utf-8")
    texts = {}
    for lang in ("da", "en"):
        assert main(["entitlements", str(timeline), "--as-of", case["as_of"], "--format",
                     "text", "--lang", lang]) == 0
        texts[lang] = capsys.readouterr().out
    assert "syg fra 04-10-2024: dagpenge til og med 17-10-2024" in texts["da"]
    assert "(samme i bek. 46/2026 § 21)" in texts["da"]
    assert "same in" not in texts["da"]
    assert "sick from 2024-10-04" in texts["en"]
    assert "(same in bek. 46/2026 § 21)" in texts["en"]
