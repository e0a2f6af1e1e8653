"""Shared test helpers: paths of the bundled examples and test cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_rules.law.loader import RuleError, load_pack

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "timelines"
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture
def example_files() -> list[Path]:
    files = sorted(EXAMPLES.glob("*.json"))
    assert files, "the bundled examples are missing"
    return files


def load_changed(module: Path, tmp_path: Path, old: str, new: str) -> RuleError:
    """The error of loading the rule file *module* with its first *old* replaced by *new*
    (a copy in *tmp_path*); *old* must be in the file, and the copy must fail to load."""
    text = module.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "changed.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_pack(path)
    return caught.value
