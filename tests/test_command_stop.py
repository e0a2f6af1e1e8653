"""SIGTERM and SIGHUP (a service manager stopping a job, a closed terminal) end a ``lab-rules``
command as Ctrl-C does: one line, 128 + the signal's number, and nothing left behind: not a part
of the output, not the file written aside, not a worker process (:mod:`lab_rules.faces.command`,
:func:`lab_rules.loops.interrupts.terminable`)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.interrupts import Interrupted, terminable

_WHILE_WRITING = """
import os, signal, sys
import lab_rules.faces.cli.common as common

signum = getattr(signal, sys.argv[1])
whole = common.write_whole

def stopped_halfway(path, write):
    def halfway(temporary):
        write(temporary)
        assert temporary.exists()
        os.kill(os.getpid(), signum)
        write(temporary)
    return whole(path, halfway)

common.write_whole = stopped_halfway
from lab_rules.faces.command import main
sys.exit(main(sys.argv[2:]))
"""
"""Runs the command and sends itself the signal once the output's file aside is written: a
stop at the worst moment, the same on every machine."""

_WHILE_COMPARING = """
import os, signal, sys
from lab_rules.loops import whatif

gather = whatif._gather

def stopped_after_the_first_person(results, *rest):
    results = iter(results)
    first = next(results)
    os.kill(os.getpid(), signal.SIGTERM)
    gather([first, *results], *rest)

whatif._gather = stopped_after_the_first_person
from lab_rules.faces.command import main
sys.exit(main(sys.argv[1:]))
"""
"""A parallel comparison that gets SIGTERM once its workers have sent the first result."""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("command", ["report", "worklist"])
def test_a_stop_while_the_output_is_written_leaves_neither_output_nor_temporary_file(
        name: str, command: str, example_files: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out" / ("report.html" if command == "report" else "worklist.txt")
    out.parent.mkdir()
    args = ([command, str(example_files[0]), "--as-of", "2025-06-30", "--out", str(out)]
            + (["--horizon", "P1Y"] if command == "worklist" else []))
    done = subprocess.run([sys.executable, "-c", _WHILE_WRITING, name, *args],
                          capture_output=True, text=True, timeout=120)
    signum = getattr(signal, name)
    assert done.stderr == f"lab-rules: stopped by {name}\n"
    assert done.returncode == 128 + signum
    assert list(out.parent.iterdir()) == []


def test_a_stopped_parallel_comparison_stops_its_workers_quietly(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 60, 1)
    out = tmp_path / "tables"
    done = subprocess.run(
        [sys.executable, "-c", _WHILE_COMPARING, "compare", str(log), "--as-of", "2026-01-01",
         "--variant", "no_show=restart_from_contact", "--workers", "2", "--out", str(out)],
        capture_output=True, text=True, timeout=300)
    assert done.stderr == f"{out}: interrupted (SIGTERM); left as it was\n"
    assert done.returncode == 128 + signal.SIGTERM
    assert done.stdout == ""
    assert not out.exists()


def test_outside_the_program_sigterm_keeps_its_handler() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with terminable():
        assert signal.getsignal(signal.SIGTERM) is not before
        with pytest.raises(Interrupted, match="stopped by SIGTERM"):
            signal.raise_signal(signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) is before


def test_python_m_of_the_command_line_package_is_guarded_too(
        example_files: list[Path], tmp_path: Path) -> None:
    """``python -m lab_rules.faces.cli`` ran the command line without the program's guard: a
    SIGTERM while writing ended it by the signal, with no line said (a fault review found it)."""
    out = tmp_path / "report.html"
    script = _WHILE_WRITING.replace(
        "from lab_rules.faces.command import main\nsys.exit(main(sys.argv[2:]))",
        "import runpy\nsys.argv[1:] = sys.argv[2:]\n"
        "runpy.run_module('lab_rules.faces.cli', run_name='__main__', alter_sys=True)")
    assert "runpy" in script
    done = subprocess.run([sys.executable, "-c", script, "SIGTERM", "report",
                           str(example_files[0]), "--as-of", "2025-06-30", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.stderr == "lab-rules: stopped by SIGTERM\n"
    assert done.returncode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
