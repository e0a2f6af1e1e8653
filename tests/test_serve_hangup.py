"""``lab-rules serve`` stopped by SIGHUP (its terminal closed) stops as SIGTERM stops it:
the server shuts down, no traceback, one line, and SIGHUP's exit code (129)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")


def test_sighup_stops_the_server_without_a_traceback(tmp_path: Path) -> None:
    err = tmp_path / "stderr.txt"
    with err.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "lab_rules.faces.command", "serve", "--port", "0"],
            stdout=subprocess.DEVNULL, stderr=stderr, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 60
        while not re.search(r"Application startup complete", err.read_text(encoding="utf-8")):
            assert server.poll() is None, err.read_text()
            assert time.monotonic() < deadline, err.read_text()
            time.sleep(0.05)
        server.send_signal(signal.SIGHUP)
        code = server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    said = err.read_text(encoding="utf-8")
    assert "Traceback" not in said, said
    assert code == 128 + signal.SIGHUP, said
    assert said.splitlines()[-1] == "lab-rules: stopped by SIGHUP", said
