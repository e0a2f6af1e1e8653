#!/usr/bin/env python3
"""Set up lab-rules in a local virtual environment and run its main jobs.

    python3 tasks.py demo   # install, check the rule pack, evaluate the bundled examples
    python3 tasks.py test   # install with the dev tools, then ruff, mypy --strict and pytest
    python3 tasks.py compiled  # the opt-in mypyc build in .venv-mypyc: its tests, and its
                               # outputs byte for byte against the pure install's

Needs only Python 3.11+ (with venv and pip). The environment lives in ``.venv`` beside this
file and is created on first use; every run reinstalls the project so it tests what a user
would install.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


EXTRAS = "[dev,dask,parquet,whatif,plot,notebook,bench,frames,jupyter,serve]"
"""The extras the tests need (``test`` and ``compiled`` install the same)."""


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, check=False, env=env)
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
    install(EXTRAS)
    browser()
    run(BIN / "ruff", "check", "src", "tests", "benchmarks", "tasks.py")
    run(BIN / "mypy", "--strict", "src")
    run(BIN / "lint-imports")
    run(BIN / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider")


MYPYC_VENV = ROOT / ".venv-mypyc"
MYPYC_BIN = MYPYC_VENV / ("Scripts" if os.name == "nt" else "bin")
# a module that pyproject.toml's mypyc hook compiles: the compiled install must have it as an
# extension module, or the task would test the pure code twice
COMPILED_PROBE = "lab_rules.evaluation.evaluate"


def compiled_wheel(dist: Path) -> Path:
    """The wheel with pyproject.toml's mypyc hook on, built from a copy of the tree: mypyc
    leaves its extension modules beside the sources, and those in src/ would shadow the
    pure code for anything that imports it from there."""
    copy = dist.parent / "tree"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "out", "dist", "build", "__pycache__", "*.so", "*.pyd", ".*_cache",
        ".hypothesis"))
    env = {**os.environ, "HATCH_BUILD_HOOK_ENABLE_MYPYC": "true"}
    started = time.perf_counter()
    run(MYPYC_BIN / "python", "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--wheel-dir", dist, copy, env=env)
    (wheel,) = dist.glob("lab_rules-*.whl")
    print(f"compiled wheel {wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB, built in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return wheel


def outputs(bin_dir: Path, out: Path) -> dict[str, str]:
    """sha256 of every file the install in *bin_dir* writes for the bundled caseload (batch)
    and the bundled timelines (evaluate, json and text), by path under *out*."""
    caseload = ROOT / "examples" / "caseload" / "caseload.jsonl"
    run(bin_dir / "lab-rules", "batch", caseload, "--as-of", "2026-01-01", "--out",
        out / "batch")
    for example in sorted((ROOT / "examples" / "timelines").glob("*.json")):
        for form in ("json", "text"):
            target = out / "evaluate" / f"{example.stem}.{form}"
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as sink:
                subprocess.run([str(bin_dir / "lab-rules"), "evaluate", str(example),
                                "--as-of", "2025-06-30", "--format", form, "--lang", "en"],
                               cwd=ROOT, stdout=sink, check=True)
    return {str(path.relative_to(out)): hashlib.sha256(_stable(path)).hexdigest()
            for path in sorted(out.rglob("*")) if path.is_file()}


RUN_CLOCK = ("seconds", "persons_per_second", "finished")
"""The keys of a batch's run.json that tell when and how fast it ran (differ run to run)."""


def _stable(path: Path) -> bytes:
    """The file's bytes; for run.json, the bytes with the clock readings (RUN_CLOCK) blanked:
    their values are checked to be there, not to be equal."""
    data = path.read_bytes()
    if path.name != "run.json":
        return data
    run_record = json.loads(data)
    missing = [key for key in RUN_CLOCK if key not in run_record]
    if missing:
        sys.exit(f"{path} lacks {missing}")
    return json.dumps({**run_record, **dict.fromkeys(RUN_CLOCK)}, sort_keys=True).encode()


def compiled() -> None:
    """The opt-in mypyc build (see pyproject.toml's mypyc hook) in ``.venv-mypyc``: the
    whole test suite on it, then its outputs against the pure install's (``.venv``, as
    ``test`` makes it), file by file, byte for byte."""
    install(EXTRAS)
    if not (MYPYC_BIN / "python").exists():
        print(f"creating virtual environment in {MYPYC_VENV}", flush=True)
        venv.create(MYPYC_VENV, with_pip=True)
    with tempfile.TemporaryDirectory(prefix="lab-rules-mypyc-") as temp:
        wheel = compiled_wheel(Path(temp) / "dist")
        run(MYPYC_BIN / "python", "-m", "pip", "install", "--quiet",
            "--disable-pip-version-check", f"{wheel}{EXTRAS}")
        run(MYPYC_BIN / "python", "-m", "pip", "install", "--quiet",
            "--disable-pip-version-check", "--no-deps", "--force-reinstall", wheel)
    run(MYPYC_BIN / "python", "-c", f"import {COMPILED_PROBE} as m, sys; "
        "sys.exit(0 if m.__file__.endswith(('.so', '.pyd')) else 'not compiled: ' + m.__file__)")
    browser()
    run(MYPYC_BIN / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
    with tempfile.TemporaryDirectory(prefix="lab-rules-outputs-") as temp:
        pure = outputs(BIN, Path(temp) / "pure")
        built = outputs(MYPYC_BIN, Path(temp) / "compiled")
    differ = sorted(name for name in pure.keys() | built.keys()
                    if pure.get(name) != built.get(name))
    if differ or not pure:
        sys.exit(f"the compiled build's outputs differ from the pure build's: {differ}")
    print(f"compiled and pure installs wrote the same {len(pure)} files, byte for byte",
          flush=True)


TASKS = {"demo": demo, "test": test, "compiled": compiled}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in TASKS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(TASKS)}}}")
    TASKS[sys.argv[1]]()
