"""Every Python snippet of the README runs as pasted (issue 15, point 5): the ``python``
blocks as scripts from the repository root, the ``>>>`` blocks as doctests."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"^```python\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"),
                    re.S | re.M)
SCRIPTS = [block for block in BLOCKS if not block.lstrip().startswith(">>>")]
SESSIONS = [block for block in BLOCKS if block.lstrip().startswith(">>>")]


def test_the_readme_has_snippets_of_both_kinds() -> None:
    assert SCRIPTS
    assert SESSIONS


@pytest.mark.parametrize("snippet", SCRIPTS, ids=[f"script-{i}" for i in range(len(SCRIPTS))])
def test_readme_script_runs_as_pasted(snippet: str) -> None:
    if "whatif" in snippet:
        pytest.importorskip("pandas")
    done = subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONWARNINGS": "error"},
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.parametrize("session", SESSIONS, ids=[f"session-{i}" for i in range(len(SESSIONS))])
def test_readme_session_gives_the_output_shown(session: str) -> None:
    test = doctest.DocTestParser().get_doctest(session, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0
