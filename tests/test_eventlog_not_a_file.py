"""An event log that is a pipe (or another file that cannot be read twice) is refused with one
clear error before it is opened, in every command that reads a log and in the library's
readers: every reader reads a log more than once, and opening a pipe with no writer waits for
ever, so each run is a subprocess with a timeout (a regression hangs, then fails)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")

_MESSAGE = "not a regular file (a pipe, socket or device)"
_CLI = "from lab_rules.faces.command import main; raise SystemExit(main())"


def _pipe(tmp_path: Path) -> Path:
    pipe = tmp_path / "log.jsonl"
    os.mkfifo(pipe)
    return pipe


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.parametrize("command", ["batch", "compare", "worklist", "audit"])
def test_a_pipe_as_event_log_is_a_usage_error_naming_it(tmp_path: Path, command: str
                                                       ) -> None:
    pipe = _pipe(tmp_path)
    key = tmp_path / "key.bin"
    key.write_bytes(b"k" * 32)
    extra = {"batch": ["--out", str(tmp_path / "out")],
             "compare": ["--variant", "policy:no_show=restart_from_contact",
                         "--out", str(tmp_path / "out")],
             "worklist": [],
             "audit": ["--sample", "1", "--seed", "1", "--out", str(tmp_path / "a.html"),
                       "--pseudonym-key", str(key)]}[command]
    done = _run("-c", _CLI, command, str(pipe), "--as-of", "2025-01-01", *extra)
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert _MESSAGE in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("reader", ["read_persons", "read_persons_arrow"])
def test_the_readers_refuse_a_pipe_before_opening_it(tmp_path: Path, reader: str) -> None:
    if reader == "read_persons_arrow":
        pytest.importorskip("pyarrow")
    pipe = _pipe(tmp_path)
    code = f"""
import sys
from pathlib import Path
from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.eventlog_arrow import read_persons_arrow
from lab_rules.inputs.row_types import ReadProgress
try:
    list({reader}(Path(sys.argv[1]), ReadProgress()))
except LabRulesError as err:
    print(err)
"""
    done = _run("-c", code, str(pipe))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith(f"{pipe}: {_MESSAGE}")
