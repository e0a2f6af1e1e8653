"""A day given on the command line (``--as-of``, ``--start-from``, ``law:DATE``) or in a
query (``as_of``) is written exactly YYYY-MM-DD, as the README says, and falls from 1990 to
2100: Python 3.11's ``date.fromisoformat`` alone also read ``20240601`` and ``2024-W01-1``,
and ``law:DATE`` took any year."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_rules.faces.cli import build_parser, main
from lab_rules.faces.serve.reading import as_of_of

TIMELINE = (Path(__file__).parents[1] / "examples" / "timelines"
            / "jobparat-kontanthjaelp-noshow.json")
NOT_DAYS = ["20240601", "2024-W01-1", "2024-W01", "2024W011"]
"""What ``date.fromisoformat`` reads on Python 3.11 besides YYYY-MM-DD."""


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(argv)
    assert stopped.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("text", NOT_DAYS)
@pytest.mark.parametrize("argv", [
    ["evaluate", str(TIMELINE), "--as-of"],
    ["batch", "EV.jsonl", "--out", "out", "--as-of"],
    ["synth", "--persons", "2", "--out", "s.jsonl", "--start-from"],
])
def test_a_date_option_not_written_yyyy_mm_dd_is_a_usage_error(
        capsys: pytest.CaptureFixture[str], argv: list[str], text: str) -> None:
    err = _refused([*argv, text], capsys)
    assert f"argument {argv[-1]}: {text!r} is not a date (YYYY-MM-DD)" in err


@pytest.mark.parametrize(("day", "said"), [
    ("20240101", "'20240101' is not a date (YYYY-MM-DD)"),
    ("2024-W01-1", "'2024-W01-1' is not a date (YYYY-MM-DD)"),
    ("1900-01-01", "1900-01-01 is outside the supported range 1990-01-01 to 2100-12-31"),
    ("2101-01-01", "2101-01-01 is outside the supported range 1990-01-01 to 2100-12-31"),
])
def test_a_law_date_variant_is_held_to_the_as_of_format_and_range(
        capsys: pytest.CaptureFixture[str], day: str, said: str) -> None:
    code = main(["evaluate", str(TIMELINE), "--as-of", "2024-06-01", "--variant", f"law:{day}"])
    assert code == 2
    assert said in capsys.readouterr().err


@pytest.mark.parametrize("text", NOT_DAYS)
def test_the_services_as_of_is_written_yyyy_mm_dd_too(text: str) -> None:
    problems: list[dict[str, object]] = []
    as_of_of({"as_of": [text]}, problems)
    assert [p["parameter"] for p in problems] == ["as_of"]
    assert "is not a date (YYYY-MM-DD)" in str(problems[0]["detail"])
