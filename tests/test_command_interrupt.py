"""Ctrl-C at any moment of a ``lab-rules`` command, the first half second too (while Python is
still importing the command line and the law), ends with one line and exit code 130, never a
traceback (:mod:`lab_rules.faces.command`); ``import lab_rules`` loads the rest of the package
only when a public name is first used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import lab_rules
from lab_rules.faces import command

_TRIPWIRE = """
import os, signal, sys
target = sys.argv[1]
assert target not in sys.modules, target

class Tripwire:
    def find_spec(self, name, path=None, module=None):
        if name == target:
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Tripwire())
from lab_rules.faces.command import main
sys.exit(main(sys.argv[2:]))
"""
"""Runs the command and sends itself SIGINT when Python first looks for the module *target*:
an interrupt at a chosen moment of the start, the same on every machine."""


@pytest.mark.parametrize("module", [
    "lab_rules.faces.cli",
    "lab_rules.faces.cli.case",
    "lab_rules.law.bundle",
    "lab_rules.evaluation.evaluate",
    "tomllib",
])
def test_ctrl_c_while_the_command_is_still_importing_says_one_line_and_exits_130(
        module: str, example_files: list[Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _TRIPWIRE, module, "evaluate", str(example_files[0]),
         "--as-of", "2024-10-01"], capture_output=True, text=True, timeout=120)
    assert done.stderr == command.INTERRUPTED
    assert done.returncode == 130
    assert done.stdout == ""


def test_ctrl_c_in_the_middle_of_a_command_says_one_line_and_exits_130(
        example_files: list[Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from lab_rules.faces.cli import case

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(case, "evaluate", interrupted)
    code = command.main(["evaluate", str(example_files[0]), "--as-of", "2024-10-01"])
    assert code == 130
    assert capsys.readouterr().err == command.INTERRUPTED


def test_the_command_without_an_interrupt_runs_as_before(
        example_files: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    from lab_rules.faces.cli import main

    assert command.main(["validate", str(example_files[0])]) == 0
    through_command = capsys.readouterr()
    assert main(["validate", str(example_files[0])]) == 0
    assert capsys.readouterr() == through_command


def test_python_m_runs_the_guarded_command(example_files: list[Path]) -> None:
    done = subprocess.run([sys.executable, "-m", "lab_rules.faces.command", "validate",
                           str(example_files[0])], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_import_lab_rules_loads_no_law_and_no_engine() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys, lab_rules; print(' '.join(sorted(m for m in "
         "sys.modules if m.startswith('lab_rules'))))"],
        capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["lab_rules", "lab_rules._version"]


def test_every_public_name_is_there_when_asked_for() -> None:
    from lab_rules.evaluation.evaluate import evaluate
    from lab_rules.faces import frames

    names = {name: getattr(lab_rules, name) for name in lab_rules.__all__}
    assert names["evaluate"] is evaluate
    assert names["frames"] is frames
    assert set(lab_rules.__all__) <= set(dir(lab_rules))
    star: dict[str, object] = {}
    exec("from lab_rules import *", star)
    assert {name: star[name] for name in lab_rules.__all__} == names


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'evaluat'"):
        lab_rules.evaluat  # noqa: B018
