"""An empty path or variant spec, and an output file named like a folder, are usage errors
naming the option, the same in every command. Before, each command read "" its own way:
``--rules ""`` read the current folder, ``check-rules ""`` the bundled pack, ``compare --out
""`` wrote nothing and exited 0, ``--variant ""`` was no variant at all; ``plot -o x.png/``
wrote ``x.png``, pathlib having dropped the slash."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_rules.faces.cli import build_parser

TIMELINE = (Path(__file__).parents[1] / "examples" / "timelines"
            / "jobparat-kontanthjaelp-noshow.json")
CASELOAD = Path(__file__).parents[1] / "examples" / "caseload" / "caseload.jsonl"
CASE = [str(TIMELINE), "--as-of", "2024-06-01"]
LOG = [str(CASELOAD), "--as-of", "2024-06-01"]
VARIANT = ["--variant", "roedovre-genstart"]


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(argv)
    assert stopped.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(("argv", "option"), [
    (["evaluate", *CASE, "--rules", ""], "--rules"),
    (["refund", *CASE, "--variant", ""], "--variant"),
    (["entitlements", *CASE, "--variant", ""], "--variant"),
    (["offer-end", *CASE, "--variant", ""], "--variant"),
    (["check-rules", ""], "PATH"),
    (["compare", *LOG, *VARIANT, "--out", ""], "--out"),
    (["compare", *LOG, *VARIANT, "--rules", ""], "--rules"),
    (["batch", *LOG, "--out", "out", "--rules", ""], "--rules"),
    (["batch", *LOG, "--out", "out", "--pseudonym-key-file", ""], "--pseudonym-key-file"),
    (["batch", *LOG, "--out", "out", "--variant", ""], "--variant"),
    (["serve", "--rules", ""], "--rules"),
    (["worklist", *LOG, "--variant", ""], "--variant"),
    (["worklist", "", "--as-of", "2024-06-01"], "EVENTS"),
    (["worklist", *LOG, "--out", ""], "--out"),
    (["worklist", *LOG, "--pseudonymise", "--pseudonym-key-file", ""], "--pseudonym-key-file"),
    (["audit", "", "--as-of", "2024-06-01", "--sample", "2", "--seed", "1", "--out", "a.html"],
     "EVENTS"),
    (["audit", *LOG, "--persons", "", "--out", "a.html"], "--persons"),
    (["audit", *LOG, "--sample", "2", "--seed", "1", "--out", "a.html", "--pseudonym-key", ""],
     "--pseudonym-key/--pseudonym-key-file"),
])
def test_an_empty_path_or_spec_is_a_usage_error_naming_the_option(
        capsys: pytest.CaptureFixture[str], argv: list[str], option: str) -> None:
    err = _refused(argv, capsys)
    assert f"argument {option}: an empty " in err
    assert "names nothing" in err


@pytest.mark.parametrize("argv", [
    ["plot", *CASE, "-o"],
    ["report", *CASE, "-o"],
    ["synth", "--persons", "2", "--out"],
])
@pytest.mark.parametrize("name", ["x.SUFFIX/", "x.SUFFIX/.", "x.SUFFIX/.."])
def test_an_output_file_named_like_a_folder_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
        name: str) -> None:
    suffix = {"plot": "png", "report": "html", "synth": "jsonl"}[argv[0]]
    out = f"{tmp_path}/{name.replace('SUFFIX', suffix)}"
    err = _refused([*argv, out], capsys)
    assert f"{out!r} names a folder, not a file" in err
    assert list(tmp_path.iterdir()) == []
