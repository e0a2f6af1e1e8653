"""A file name with a line break (or any control character) is printed escaped in every line a
command says, success or failure, so no file name can forge a line of output
(``new\\nforged: ok``): the README's promise, kept before only by ``validate`` and some error
lines."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from lab_rules.core.errors import LabRulesError
from lab_rules.faces.cli import case, main
from lab_rules.faces.cli.caseload import interrupted

ROOT = Path(__file__).parents[1]
TIMELINE = ROOT / "examples" / "timelines" / "jobparat-kontanthjaelp-noshow.json"
CASELOAD = ROOT / "examples" / "caseload" / "caseload.jsonl"
AS_OF = "2024-06-01"
NAME = "new\nforged: ok"
"""A name whose second line would pass for a line of its own."""


def _whole_lines(said: str) -> None:
    """No line said starts with the second half of :data:`NAME`, and the name is escaped."""
    assert not [line for line in said.splitlines() if line.startswith("forged")], said
    assert "new\\nforged: ok" in said


def _said(capsys: pytest.CaptureFixture[str]) -> str:
    both = capsys.readouterr()
    return both.out + both.err


WRITERS: dict[str, Callable[[Path], list[str]]] = {
    "plot": lambda out: ["plot", str(TIMELINE), "--as-of", AS_OF, "-o", f"{out}.png"],
    "report": lambda out: ["report", str(TIMELINE), "--as-of", AS_OF, "-o", f"{out}.html"],
    "synth": lambda out: ["synth", "--persons", "2", "--out", f"{out}.jsonl"],
    "batch": lambda out: ["batch", str(CASELOAD), "--as-of", AS_OF, "--workers", "1",
                          "--allow-quarantine", "--out", str(out)],
    "compare": lambda out: ["compare", str(CASELOAD), "--as-of", AS_OF, "--workers", "1",
                            "--variant", "roedovre-genstart", "--allow-quarantine", "--out",
                            str(out)],
}


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_every_writing_command_says_an_output_name_with_a_line_break_on_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    assert main(WRITERS[command](tmp_path / NAME)) == 0
    _whole_lines(_said(capsys))


def test_batch_says_an_output_that_is_not_a_folder_on_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / NAME).write_text("")
    assert main(WRITERS["batch"](tmp_path / NAME)) == 2
    _whole_lines(_said(capsys))


@pytest.mark.parametrize("argv", [
    ["entitlements", f"{NAME}.json", "--as-of", AS_OF],
    ["synth", "--persons", "2", "--out", f"{NAME}/x.jsonl"],
    ["compare", f"{NAME}.jsonl", "--as-of", AS_OF, "--variant", "roedovre-genstart"],
    ["serve", "--host", NAME, "--port", "0"],
])
def test_an_input_or_output_that_fails_is_said_on_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    pytest.importorskip("uvicorn") if argv[0] == "serve" else None
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    _whole_lines(_said(capsys))


@pytest.mark.parametrize("command", ["evaluate", "offer-end"])
def test_a_case_that_cannot_be_evaluated_is_said_on_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        command: str) -> None:
    def fails(*args: object, **kwargs: object) -> None:
        raise LabRulesError(f"a rule says {NAME}")

    monkeypatch.setattr(case, "evaluate", fails)
    monkeypatch.setattr("lab_rules.faces.cli.offers.offer_end", fails)
    named = tmp_path / f"{NAME}.json"
    shutil.copy(TIMELINE, named)
    assert main([command, str(named), "--as-of", AS_OF]) == 1
    said = _said(capsys)
    _whole_lines(said)
    assert "a rule says new\\nforged: ok" in said


def test_check_rules_says_a_law_folder_with_a_line_break_on_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / NAME
    shutil.copytree(ROOT / "rules", folder)
    assert main(["check-rules", str(folder)]) == 0
    _whole_lines(_said(capsys))


def test_an_interrupted_run_says_its_output_on_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert interrupted(KeyboardInterrupt(), NAME) == 130
    _whole_lines(_said(capsys))


def test_compare_says_a_variant_file_and_rules_folder_with_a_line_break_on_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / NAME
    shutil.copytree(ROOT / "rules", folder)
    overlay = tmp_path / f"{NAME}.toml"
    shutil.copy(ROOT / "rules" / "overlays" / "roedovre-genstart.toml", overlay)
    assert main(["compare", str(CASELOAD), "--as-of", AS_OF, "--workers", "1", "--rules",
                 str(folder), "--variant", str(overlay), "--allow-quarantine"]) == 0
    _whole_lines(_said(capsys))


def test_audit_says_its_pack_with_a_line_break_in_its_name_on_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "key"
    key.write_bytes(b"a key of sixteen bytes or more")
    assert main(["audit", str(CASELOAD), "--as-of", AS_OF, "--sample", "2", "--seed", "1",
                 "--pseudonym-key", str(key), "--allow-quarantine",
                 "--out", f"{tmp_path / NAME}.html"]) == 0
    _whole_lines(_said(capsys))
