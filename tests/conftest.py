"""Shared test helpers: paths of the bundled examples and test cases."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "timelines"
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture
def example_files() -> list[Path]:
    files = sorted(EXAMPLES.glob("*.json"))
    assert files, "the bundled examples are missing"
    return files
