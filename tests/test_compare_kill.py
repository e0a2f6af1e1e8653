"""Stopping a parallel ``compare`` (fault-tolerance review): its pool's workers never outlive
the run, and a worker killed while it sent a result cannot hang the run's exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lab_rules.inputs.synth import write_event_log

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="finds the run's processes in /proc (Linux)")


def _alive_in_session(session: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text(encoding="ascii")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(entry))
    return found


def _compare(log: Path, out: Path) -> list[str]:
    return ["compare", str(log), "--as-of", "2026-01-01", "--variant",
            "no_show=restart_from_contact", "--workers", "2", "--out", str(out)]


def test_a_killed_parallel_comparison_leaves_no_worker(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 1500, 2)
    run = subprocess.Popen(
        [sys.executable, "-m", "lab_rules.faces.command", *_compare(log, tmp_path / "out")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        end = time.monotonic() + 120
        while len(_alive_in_session(run.pid)) < 3 and time.monotonic() < end:
            assert run.poll() is None, "the comparison ended before its workers started"
            time.sleep(0.02)
        time.sleep(0.3)
        run.kill()
        run.wait(timeout=30)
        end = time.monotonic() + 15
        while (left := _alive_in_session(run.pid)) and time.monotonic() < end:
            time.sleep(0.1)
        assert not left, f"workers of the killed comparison still alive: {left}"
    finally:
        for pid in _alive_in_session(run.pid):
            os.kill(pid, signal.SIGKILL)


_CUT_OFF = textwrap.dedent("""
    import os, signal, struct, sys
    from lab_rules.loops import whatif

    pools = []
    made = whatif.worker_pool

    def recorded(*args):
        pools.append(made(*args))
        return pools[-1]

    whatif.worker_pool = recorded
    gather = whatif._gather

    def cut_off(results, *rest):
        results = iter(results)
        first = next(results)
        # what a worker killed while it sent a large result leaves in the result pipe: a
        # length, then part of the message; the pool's manager thread waits for the rest
        writer = pools[0]._result_queue._writer
        os.write(writer.fileno(), struct.pack("!i", 1 << 30) + b"cut off")
        os.kill(os.getpid(), signal.SIGTERM)
        gather([first, *results], *rest)

    whatif._gather = cut_off
    from lab_rules.faces.command import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_stopped_comparison_does_not_hang_on_a_cut_off_result(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 300, 1)
    out = tmp_path / "out"
    try:
        done = subprocess.run([sys.executable, "-c", _CUT_OFF, *_compare(log, out)],
                              capture_output=True, text=True, timeout=90,
                              start_new_session=True)
    except subprocess.TimeoutExpired as hung:
        raise AssertionError("the stopped comparison did not end") from hung
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert done.stderr.splitlines()[-1] == f"{out}: interrupted (SIGTERM); left as it was", \
        done.stderr
    assert not out.exists()
