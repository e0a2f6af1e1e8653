"""Killing a batch (issue 12, point 4 and its acceptance): a batch in its own process group is
killed with SIGKILL, SIGTERM or SIGINT at random points; ``--out`` then holds the previous complete
result or a new complete one, never a mix, and no worker process survives. Bounded: one log
of a few seconds' work, a handful of kills."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lab_rules.inputs.synth import write_event_log

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="finds the batch's processes in /proc (Linux)")
STOP_SECONDS = 180
PERSONS = 1500
KILLS = ((signal.SIGKILL, 0.3), (signal.SIGTERM, 0.6), (signal.SIGKILL, None),
         (signal.SIGTERM, None), (signal.SIGKILL, None), (signal.SIGTERM, None),
         (signal.SIGINT, None))
"""Signals and when to send them (seconds after start; None: at random while it runs)."""


def _session_of(pid: str) -> tuple[int, str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[3]), fields[0]


def _alive_in_session(session: int) -> list[int]:
    """Processes (not zombies) of the session the batch started."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            seen = _session_of(entry)
            if seen is not None and seen[0] == session and seen[1] != "Z":
                found.append(int(entry))
    return found


def _wait_until_gone(session: int, seconds: float = 15) -> list[int]:
    end = time.monotonic() + seconds
    while (left := _alive_in_session(session)) and time.monotonic() < end:
        time.sleep(0.1)
    return left


def _wait_for_start(out: Path, pid: int, seconds: float = 30) -> None:
    """Until the run *pid* writes (Python's own start-up would print a traceback on SIGINT;
    a partial folder an earlier, SIGKILLed round left does not count)."""
    end = time.monotonic() + seconds
    mine = out.parent / f".{out.name}.partial-{pid}"
    while not mine.exists() and time.monotonic() < end:
        time.sleep(0.02)


def _ended(child: subprocess.Popen[bytes]) -> tuple[int, str]:
    """The exit code and stderr of a signalled run. A run that has not ended after
    ``STOP_SECONDS`` (a loaded machine is slow, a hung one never ends) is aborted, and its
    threads' stacks (``-X faulthandler``) are the failure's message."""
    try:
        code = child.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGABRT)
        _, err = child.communicate(timeout=30)
        pytest.fail(f"the run did not end {STOP_SECONDS} s after the signal:\n"
                    + err.decode(errors="replace"))
    return code, child.stderr.read().decode() if child.stderr else ""


def _start(log: Path, out: Path, as_of: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-X", "faulthandler", "-m", "lab_rules.faces.cli", "batch", str(log),
         "--as-of", as_of, "--out", str(out), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _state(out: Path) -> str:
    """The as_of of the complete result in *out* (every file as run.json names it), or
    "absent"; fails on anything else (a mix, a partial table)."""
    if not out.exists():
        return "absent"
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["complete"] is True
    assert set(run["files"]) | {"run.json"} == {p.name for p in out.iterdir()}
    for name, facts in run["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == facts["sha256"], name
    return str(run["as_of"])


def _left_by(folder: Path, pid: int) -> list[Path]:
    """What the run *pid* left beside ``out``: its partial folder, or the lock naming it. A
    signal that comes before the run has started (Python still importing) ends the process
    at once, and what an earlier, SIGKILLed round left stays until the next complete run
    clears it (the final run checks that nothing is left)."""
    found = [p for p in folder.glob(".out.*") if p.name.endswith(f"-{pid}")]
    lock = folder / ".out.lock"
    if lock.exists():
        with contextlib.suppress(ValueError):
            if json.loads(lock.read_text(encoding="utf-8") or "{}").get("pid") == pid:
                found.append(lock)
    return found


def _kill_rounds(tmp_path: Path, suffix: str, kills: tuple[tuple[int, float | None], ...],
                 seed: int, persons: int = PERSONS) -> None:
    rng = random.Random(seed)
    log = tmp_path / f"caseload{suffix}"
    write_event_log(log, persons, 4)
    out = tmp_path / "out"
    started = time.monotonic()
    first = _start(log, out, "2025-01-01")
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    took = time.monotonic() - started
    assert _state(out) == "2025-01-01"
    for round_, (signum, after) in enumerate(kills):
        before = _state(out)
        as_of = f"2026-0{round_ + 1}-01"
        started = time.monotonic()
        child = _start(log, out, as_of)
        if signum == signal.SIGINT:
            _wait_for_start(out, child.pid)
        time.sleep(after if after is not None else rng.uniform(0.2, took * 1.1))
        child.send_signal(signum)
        code, said = _ended(child)
        assert "Traceback" not in said, said
        if code == 0:
            took = time.monotonic() - started
        else:
            assert code in (-signum, 128 + signum), (code, said)
        left = _wait_until_gone(child.pid)
        assert not left, f"processes of the killed batch still alive: {left}"
        assert _state(out) in (before, as_of)
        if signum != signal.SIGKILL:
            left_over = _left_by(tmp_path, child.pid)
            assert not left_over, (signal.Signals(signum).name, code, said, left_over)
    final = _start(log, out, "2026-12-01")
    assert final.wait(timeout=300) == 0
    assert _state(out) == "2026-12-01"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_killed_batches_leave_the_previous_result_or_a_whole_new_one(tmp_path: Path) -> None:
    """A JSON Lines log: workers read and write pieces of it."""
    _kill_rounds(tmp_path, ".jsonl", KILLS, 12)


def test_killed_batches_reading_in_one_pass_leave_no_worker(tmp_path: Path) -> None:
    """A CSV log: this process reads, a pool of workers evaluates."""
    _kill_rounds(tmp_path, ".csv", ((signal.SIGKILL, None), (signal.SIGTERM, None)), 3, 700)


def test_killed_batches_reading_parquet_in_pieces_leave_no_worker(tmp_path: Path) -> None:
    """A Parquet log: workers read and write pieces of it, cut in row numbers."""
    pytest.importorskip("pyarrow")
    _kill_rounds(tmp_path, ".parquet", ((signal.SIGKILL, None), (signal.SIGTERM, None),
                                        (signal.SIGINT, None)), 3, 700)
