"""The lab-rules command: exit codes and located, masked output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lab_rules import __version__
from lab_rules.faces.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"lab-rules {__version__}"


def test_validate_examples_exits_0(example_files: list[Path],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *map(str, example_files)]) == 0
    out = capsys.readouterr().out
    assert f"{len(example_files)} files: {len(example_files)} valid, 0 invalid" in out


def test_validate_malformed_file_exits_1_with_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({
        "schema": "lab-rules/timeline/v1",
        "person": {"id": "P-9", "cpr": "010190-1234"},
        "events": [
            {"type": "first_contact", "date": "2024-02-30"},
            {"type": "conversation_held", "date": "2024-03-05", "kind": "jobsamtale",
             "form": "telephone"},
            {"type": "no_show", "date": "2024-03-05", "kind": "0101901234"},
        ],
    }))
    assert main(["validate", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        f'{bad}: /events/0/date: "2024-02-30" is not a valid date (expected YYYY-MM-DD)',
        f'{bad}: /events/1/form: "telephone" is not a known value; expected one of: '
        "personligt, video, telefon, brev",
        f'{bad}: /events/2/kind: "010190-****" is not a known value; expected one of: '
        "jobsamtale, faellessamtale, cv_samtale, opfoelgningssamtale, raadighedssamtale",
    ]
    assert lines[3] == "1 file: 0 valid, 1 invalid"


def test_validate_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "lab-rules/timeline/v1", "person": {"id": "x"}, "events": [1]}')
    assert main(["validate", "--format", "json", str(bad)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["files"][0]["problems"][0]["path"] == "/events/0"


def test_validate_unreadable_file_exits_2(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


def test_unknown_option_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--frobnicate", "x.json"])
    assert caught.value.code == 2


def test_installed_console_script_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    result = subprocess.run([sys.executable, "-m", "lab_rules.faces.cli", "validate", str(bad)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "invalid JSON" in result.stdout
