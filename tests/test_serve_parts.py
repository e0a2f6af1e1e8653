"""``lab-rules serve`` without a server: the command's one-line errors, the log filter and the
time budget's slots (issue 15, point 1)."""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
pytest.importorskip("uvicorn", reason="the serve extra is not installed")

import anyio

from lab_rules.faces.cli import serve
from lab_rules.faces.cli.common import guarded
from lab_rules.faces.serve.budget import Budget
from lab_rules.faces.serve.limits import Limits
from lab_rules.faces.serve.logs import MaskCpr
from lab_rules.faces.serve.problems import ProblemError

CPR = "0101901234"


def _serve_in_process(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="lab-rules")
    serve.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve", *argv])
    code: int = guarded(args.run)(args)
    return code


def test_without_the_extra_the_command_says_so_in_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert _serve_in_process() == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1
    assert "pip install 'lab-rules[serve]'" in said


def test_an_address_in_use_is_a_usage_error_in_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert _serve_in_process("--port", str(port)) == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1
    assert f"cannot listen on 127.0.0.1:{port}" in said


def test_a_law_folder_that_cannot_be_read_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _serve_in_process("--rules", str(tmp_path / "missing")) == 2
    assert "missing" in capsys.readouterr().err


def test_the_log_filter_masks_cpr_and_keeps_an_error_to_one_line() -> None:
    try:
        raise ValueError(f"bad person {CPR}")
    except ValueError:
        record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1,
                                   "request %s failed", (f"/v1/x?id={CPR}",), sys.exc_info())
    assert MaskCpr().filter(record)
    line = logging.Formatter().format(record)
    assert line == ("request /v1/x?id=010190-**** failed "
                    "(ValueError: bad person 010190-****)")


def test_overrunning_work_keeps_its_slot_until_it_ends_and_new_work_is_turned_away() -> None:
    """With one slot: work past its budget is answered at once (503) but its thread runs
    on and keeps the slot, so the next request is refused as busy rather than starting a
    second thread; once the overrunning work ends, the slot is free again."""
    budget = Budget(Limits(concurrency=1, time_budget=0.2))
    release = threading.Event()

    async def scenario() -> list[str]:
        said = []
        for work in (lambda: release.wait(10), lambda: "fast"):
            try:
                said.append(str(await budget.run(work, budget.deadline())))
            except ProblemError as error:
                said.append(error.name)
        release.set()
        while budget.running:
            await anyio.sleep(0.01)
        said.append(str(await budget.run(lambda: "fast", budget.deadline())))
        return said

    assert anyio.run(scenario) == ["time-budget-exceeded", "busy", "fast"]
