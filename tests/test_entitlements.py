"""Entitlements a caseworker queries (LAS § 13 stk. 12-13 holiday; dagpenge in the first 14
days of sickness): catalogue TC-29 and TC-30 as data files, checked through the CLI's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lab_rules.faces.cli import main

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
