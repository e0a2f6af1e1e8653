"""Counts whose work grows with them are bounded, and an empty ``--host`` is refused: a slip of
the keyboard is a usage error naming the option and its bound, never a run until killed
(``batch --workers 10**22``, ``synth --persons 10**20``), an internal error (``compare``'s
OverflowError) or a server on every interface (``serve --host ""``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lab_rules.core.errors import LabRulesError
from lab_rules.faces.cli import build_parser, main
from lab_rules.loops import worker_guard
from lab_rules.loops.whatif import compare_caseload
from lab_rules.loops.worker_guard import MAX_WORKERS, checked_workers

CASELOAD = Path(__file__).parents[1] / "examples" / "caseload" / "caseload.jsonl"
HUGE = "99999999999999999999999"


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(argv)
    assert stopped.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("workers", [HUGE, str(MAX_WORKERS + 1)])
@pytest.mark.parametrize("command", [
    ["batch", str(CASELOAD), "--as-of", "2024-06-01", "--out", "out"],
    ["compare", str(CASELOAD), "--as-of", "2024-06-01", "--variant", "roedovre-genstart"],
])
def test_workers_above_the_bound_are_a_usage_error_naming_the_option_and_the_bound(
        capsys: pytest.CaptureFixture[str], command: list[str], workers: str) -> None:
    err = _refused([*command, "--workers", workers], capsys)
    assert f"argument --workers: {workers}: must be from 1 to {MAX_WORKERS}" in err


def test_compare_with_huge_workers_exits_2_not_with_an_internal_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["compare", str(CASELOAD), "--as-of", "2024-06-01", "--variant",
              "roedovre-genstart", "--workers", HUGE])
    assert stopped.value.code == 2
    assert "internal error" not in capsys.readouterr().err


def test_the_library_refuses_workers_above_the_bound_too() -> None:
    with pytest.raises(LabRulesError, match=f"must be from 1 to {MAX_WORKERS}"):
        compare_caseload(CASELOAD, "national", "roedovre-genstart", as_of=date(2024, 6, 1),
                         workers=10**22)
    with pytest.raises(LabRulesError, match=f"must be from 1 to {MAX_WORKERS}"):
        checked_workers(MAX_WORKERS + 1)


def test_the_default_workers_are_the_cores_but_no_more_than_the_bound(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker_guard.os, "cpu_count", lambda: 4 * MAX_WORKERS)
    assert checked_workers(None) == MAX_WORKERS
    monkeypatch.setattr(worker_guard.os, "cpu_count", lambda: None)
    assert checked_workers(None) == 1


@pytest.mark.parametrize("persons", ["99999999999999999999", "10000001"])
def test_synth_persons_above_ten_million_are_a_usage_error_naming_the_bound(
        capsys: pytest.CaptureFixture[str], persons: str) -> None:
    err = _refused(["synth", "--persons", persons, "--out", "s.jsonl"], capsys)
    assert f"argument --persons: {persons}: must be from 1 to 10,000,000" in err


def test_serve_refuses_an_empty_host_which_would_listen_on_every_interface(
        capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(["serve", "--host", ""], capsys)
    assert "argument --host: an empty host would listen on every interface" in err
