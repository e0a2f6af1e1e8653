#!/usr/bin/env python3
"""Set up lab-rules in a local virtual environment and run its main jobs.

    python3 tasks.py demo   # install, check the rule pack, evaluate the bundled examples
    python3 tasks.py test   # install with the dev tools, then ruff, mypy --strict and pytest

Needs only Python 3.11+ (with venv and pip). The environment lives in ``.venv`` beside this
file and is created on first use; every run reinstalls the project so it tests what a user
would install.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def install(extras: str = "") -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - tells an old Python why it cannot run
        sys.exit(f"lab-rules needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    python = BIN / "python"
    if not python.exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        f".{extras}")
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--force-reinstall", ".")


def demo() -> None:
    install("[plot]")
    examples = sorted(glob.glob(str(ROOT / "examples" / "timelines" / "*.json")))
    run(BIN / "lab-rules", "--version")
    run(BIN / "lab-rules", "validate", *examples)
    run(BIN / "lab-rules", "check-rules")
    for example in examples:
        run(BIN / "lab-rules", "evaluate", example, "--as-of", "2025-06-30", "--format", "text",
            "--lang", "en")
    noshow = ROOT / "examples" / "timelines" / "jobparat-kontanthjaelp-noshow.json"
    run(BIN / "lab-rules", "sanctions", noshow, "--as-of", "2024-10-01", "--format", "text",
        "--lang", "en")
    caseload = ROOT / "examples" / "caseload" / "caseload.jsonl"
    run(BIN / "lab-rules", "batch", caseload, "--as-of", "2026-01-01", "--out",
        ROOT / "out" / "caseload")
    roedovre = ROOT / "examples" / "roedovre" / "roedovre-2008.json"
    for policy in ("late_until_held", "timely_summons_counts", "restart_from_contact"):
        run(BIN / "lab-rules", "refund", roedovre, "--as-of", "2008-09-30", "--format", "text",
            "--lang", "en", "--policy", f"no_show={policy}")
    run(BIN / "lab-rules", "compare", caseload, "--as-of", "2026-01-01", "--variant",
        "roedovre-genstart", "--variant", "koebenhavn-kvartal", "--out", ROOT / "out" / "compare")
    run(BIN / "lab-rules", "plot", roedovre, "--as-of", "2009-01-01", "-o",
        ROOT / "out" / "roedovre.png")
    run(BIN / "lab-rules", "report", roedovre, "--as-of", "2009-01-01", "-o",
        ROOT / "out" / "roedovre.html")


BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser() -> None:
    """The HTML report is tested in headless Chromium. In CI (``CI`` set) a missing Debian
    ``chromium`` is installed when this runs as root with apt-get, and the browser tests are
    then required to run; elsewhere they are skipped, with this note, when none is found."""
    if any(shutil.which(name) for name in BROWSERS):
        if os.environ.get("CI"):
            os.environ["LAB_RULES_REQUIRE_BROWSER"] = "1"
        return
    if os.environ.get("CI") and shutil.which("apt-get") and os.geteuid() == 0:
        def apt(*args: str) -> int:
            return subprocess.run(["apt-get", *args], stdout=subprocess.DEVNULL,
                                  check=False).returncode

        if apt("install", "-y", "-q", "chromium"):
            apt("update", "-q")
            apt("install", "-y", "-q", "chromium")
        if any(shutil.which(name) for name in BROWSERS):
            os.environ["LAB_RULES_REQUIRE_BROWSER"] = "1"
            return
    print("note: no Chromium found; the HTML report's browser tests will be skipped "
          "(apt-get install chromium)", flush=True)


def test() -> None:
    install("[dev,dask,parquet,whatif,plot,notebook,bench,frames,jupyter,serve]")
    browser()
    run(BIN / "ruff", "check", "src", "tests", "benchmarks", "tasks.py")
    run(BIN / "mypy", "--strict", "src")
    run(BIN / "lint-imports")
    run(BIN / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider")


TASKS = {"demo": demo, "test": test}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in TASKS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(TASKS)}}}")
    TASKS[sys.argv[1]]()
