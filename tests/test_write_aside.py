"""A file output is written aside and moved into place; a failed write leaves the old file and
no file aside, and what a killed process left aside goes at the next write of that output
(:mod:`lab_rules.core.aside`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lab_rules.core.aside import write_aside
from lab_rules.inputs.synth import write_event_log


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_a_write_replaces_the_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old")
    write_aside(out, lambda path: path.write_text("new"))
    assert out.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_file_aside(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old")

    def fails(path: Path) -> None:
        path.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_aside(out, fails)
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_the_file_aside_of_a_killed_process_goes_at_the_next_write(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    dead = tmp_path / f".out.txt.partial-{_dead_pid()}"
    dead.write_text("half of an old run")
    alive = tmp_path / f".out.txt.partial-{os.getppid()}"
    alive.write_text("a run still writing")
    other = tmp_path / f".other.txt.partial-{_dead_pid()}"
    other.write_text("another output's")
    write_aside(out, lambda path: path.write_text("new"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out.txt", alive.name, other.name])


def test_a_synthetic_event_log_killed_while_written_leaves_nothing_at_its_path(
        tmp_path: Path) -> None:
    out = tmp_path / "caseload.jsonl"
    script = ("import sys\nfrom lab_rules.inputs.synth import write_event_log\n"
              "write_event_log(sys.argv[1], 100000, 1)\n")
    child = subprocess.Popen([sys.executable, "-c", script, str(out)])
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".caseload.jsonl.partial-") for p in tmp_path.iterdir()):
        assert child.poll() is None
        assert time.monotonic() < deadline
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert not out.exists()
    left = [p.name for p in tmp_path.iterdir()]
    assert left == [f".caseload.jsonl.partial-{child.pid}"]
    write_event_log(out, 5, 1)
    assert [p.name for p in tmp_path.iterdir()] == ["caseload.jsonl"]


def test_a_device_is_written_not_replaced_and_a_link_is_written_through(
        tmp_path: Path) -> None:
    write_aside("/dev/null", lambda path: path.write_text("gone"))
    assert Path("/dev/null").is_char_device()
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_aside(link, lambda path: path.write_text("new"))
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_a_signal_started_ignored_stays_ignored() -> None:
    from lab_rules.loops.interrupts import interruptible, terminable

    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with terminable(), interruptible():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before)
