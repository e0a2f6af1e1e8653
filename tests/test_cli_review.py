"""Mistakes found in a review of the command line: each gives its documented exit code and a
located message, never exit 3 (an internal error)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_rules.faces.cli import main

EXAMPLES = Path(__file__).parents[1] / "examples"
TIMELINE = EXAMPLES / "timelines" / "jobparat-kontanthjaelp-noshow.json"
CASELOAD = EXAMPLES / "caseload" / "caseload.jsonl"
AS_OF = "2024-06-01"


def _loop(folder: Path, name: str) -> Path:
    first, second = folder / name, folder / f"other-{name}"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return first


@pytest.mark.parametrize(("suffix", "argv"), [
    ("html", ["report", str(TIMELINE), "--as-of", AS_OF, "-o"]),
    ("png", ["plot", str(TIMELINE), "--as-of", AS_OF, "-o"]),
    ("jsonl", ["synth", "--persons", "2", "--out"]),
    ("txt", ["worklist", str(CASELOAD), "--as-of", AS_OF, "--out"]),
    ("d", ["batch", str(CASELOAD), "--as-of", AS_OF, "--workers", "1", "--out"]),
    ("d", ["worklist", str(CASELOAD), "--as-of", AS_OF, "--format", "html", "--out"]),
])
def test_an_output_that_is_a_loop_of_links_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str,
        argv: list[str]) -> None:
    out = _loop(tmp_path, f"out.{suffix}")
    assert main([*argv, str(out)]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert str(out) in err


@pytest.mark.parametrize("argv", [
    ["evaluate", str(TIMELINE), "--as-of", AS_OF],
    ["entitlements", str(TIMELINE), "--as-of", AS_OF],
    ["batch", str(CASELOAD), "--as-of", AS_OF, "--workers", "1", "--out", "OUT"],
    ["worklist", str(CASELOAD), "--as-of", AS_OF],
])
def test_a_variant_no_file_can_be_named_is_an_unknown_overlay(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    too_long = "a" * 300 + ".toml"  # a name component over 255 bytes: ENAMETOOLONG
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    assert main([*argv, "--variant", too_long]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert "no overlay" in err
    assert str(TIMELINE) not in err  # the timeline is not to blame


def test_worklist_refuses_a_short_pseudonym_key_like_batch_and_audit(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "key"
    key.write_bytes(b"short")
    code = main(["worklist", str(CASELOAD), "--as-of", AS_OF, "--pseudonymise",
                 "--pseudonym-key-file", str(key)])
    assert code == 2
    assert "at least 16 bytes" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_pdf_on_a_full_disk_cannot_be_written_like_a_png_or_svg(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full = tmp_path / "full.pdf"
    full.symlink_to("/dev/full")  # matplotlib's PDF writer raised zlib.error here: exit 3
    assert main(["plot", str(TIMELINE), "--as-of", AS_OF, "-o", str(full)]) == 2
    err = capsys.readouterr().err
    assert f"{full}: cannot write: No space left on device" in err
    assert "internal error" not in err
