"""Packaging (issue 15, point 6): licence, URLs and classifiers in the installed metadata."""

from __future__ import annotations

import subprocess
from importlib.metadata import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_repository_has_the_licence_the_metadata_names() -> None:
    meta = metadata("lab-rules")
    assert meta["License"] == "MIT"
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "License :: OSI Approved :: MIT License" in meta.get_all("Classifier", [])


def test_the_metadata_names_project_urls_and_only_tested_python_versions() -> None:
    meta = metadata("lab-rules")
    assert meta.get_all("Project-URL")
    versions = {c.rsplit(" :: ", 1)[1] for c in meta.get_all("Classifier", [])
                if c.startswith("Programming Language :: Python :: 3.")}
    assert versions == {"3.11"}, "list only the Python versions CI runs the tests on"
    assert meta["Requires-Python"] == ">=3.11"


ROOT_FILES = {".ci", ".gitignore", "LICENSE", "README.md", "pyproject.toml", "tasks.py",
              "benchmarks", "docs", "examples", "rules", "src", "tests"}
"""What the repository's root holds: the project's files and folders, nothing a run left."""


def test_the_repository_root_holds_only_the_project_files() -> None:
    """A scratch file committed by mistake (two fuzz inputs of 5.9 MB once were) is found
    here."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an sdist): no list of committed files")
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True,
                            text=True, check=True).stdout.splitlines()
    assert {name.split("/", 1)[0] for name in listed} <= ROOT_FILES
