"""Every figure lab-rules produces stays byte for byte what it was (issue 14: speed changes no
figure, for the same law and policies).

The golden files in ``tests/golden/outputs/`` were recorded at the commit their
``manifest.json`` names, by ``.venv/bin/python tests/golden/regenerate.py`` (which also holds
the code that produces each output; ``tests/golden/outputs/README.md`` says how to
regenerate). Each test here produces one group of outputs with the code under test and
compares every item's SHA-256 with the golden one; on a mismatch it names the item and, where
the golden text is stored, shows the first lines of the diff. A deliberate change of results
regenerates the golden files and says why in its commit; anything else that fails here is a
changed result.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest


def _load_regenerate() -> ModuleType:
    path = Path(__file__).resolve().parent / "golden" / "regenerate.py"
    spec = importlib.util.spec_from_file_location("lab_rules_golden_regenerate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


regen = _load_regenerate()

SHOWN = 6
"""Mismatches shown in full; the rest are named."""
DIFF_LINES = 40
LINE_WIDTH = 200

CASELOAD = ("inputs/caseload/",)
EXAMPLES = ("inputs/timelines/", "inputs/roedovre/")
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    **{f"batch-{mode}": ((f"batch/{mode}/",), CASELOAD) for mode in regen.BATCH_MODES},
    "compare": (("compare/",), CASELOAD),
    "cli": (("cli/",), EXAMPLES),
    "evaluation": (("evaluation/",), EXAMPLES),
    "policy": (("policy/",), EXAMPLES),
    "variant": (("variant/",), EXAMPLES),
    **{f"synthetic-{years}": (tuple(f"synthetic/{mode}/years-{years}/"
                                    for mode in regen.SYNTHETIC_MODES),
                              (f"inputs/synthetic/years-{years}.",))
       for years in regen.SYNTHETIC},
}
"""Which golden items each test checks, by name prefix: its results, and the inputs they are
of (whose change explains a changed result, and alone fails nothing)."""


@functools.cache
def golden_hashes() -> dict[str, str]:
    hashes: dict[str, str] = regen.load_manifest()
    return hashes


@functools.cache
def golden_texts() -> dict[str, str]:
    texts: dict[str, str] = regen.load_texts()
    return texts


@functools.cache
def current_inputs() -> dict[str, str]:
    return {name: regen.sha256(text) for name, text in regen.input_items().items()}


def _clip(line: str) -> str:
    return line if len(line) <= LINE_WIDTH else line[:LINE_WIDTH] + " [...]"


def describe(name: str, golden_hash: str, produced: str) -> str:
    """What differs in one item: a short unified diff, or the hashes when only they are
    stored."""
    golden = golden_texts().get(golden_hash)
    if golden is None:
        return (f"{name}: SHA-256 {regen.sha256(produced)}, golden {golden_hash} (only the hash "
                "is stored; regenerate.synthetic_cases gives the case, to evaluate at the "
                "golden commit)")
    diff = list(difflib.unified_diff(golden.splitlines(), produced.splitlines(),
                                     "golden", "now", n=1, lineterm=""))
    if not diff:
        diff = ["(the same lines; the line ends or the final newline differ)"]
    more = f"\n[... {len(diff) - DIFF_LINES} more diff lines]" if len(diff) > DIFF_LINES else ""
    return f"{name}:\n" + "\n".join(_clip(line) for line in diff[:DIFF_LINES]) + more


def assert_matches_golden(group: str, produced: dict[str, str]) -> None:
    """Every golden item of *group* is produced, with the golden bytes, and nothing else."""
    prefixes, input_prefixes = GROUPS[group]
    golden = {name: digest for name, digest in golden_hashes().items()
              if name.startswith(prefixes)}
    assert golden, f"no golden items for {group}: regenerate the golden files"
    inputs = {name: digest for name, digest in golden_hashes().items()
              if name.startswith(input_prefixes)}
    now = {name: digest for name, digest in current_inputs().items()
           if name.startswith(input_prefixes)}
    changed_inputs = sorted(name for name in inputs.keys() | now.keys()
                            if inputs.get(name) != now.get(name))
    problems = [f"{name}: in the golden files but no longer produced"
                for name in sorted(golden.keys() - produced.keys())]
    problems += [f"{name}: produced but not in the golden files"
                 for name in sorted(produced.keys() - golden.keys())]
    changed = sorted(name for name in golden.keys() & produced.keys()
                     if regen.sha256(produced[name]) != golden[name])
    problems += [describe(name, golden[name], produced[name]) for name in changed[:SHOWN]]
    if len(changed) > SHOWN:
        problems.append(f"{len(changed) - SHOWN} more items differ: "
                        + ", ".join(changed[SHOWN:]))
    input_note = (f"the inputs changed too ({', '.join(changed_inputs)}), so the golden "
                  "results are of other inputs: regenerate when that change is committed"
                  if changed_inputs else "the inputs are the golden ones")
    assert not problems, (f"{len(changed)} of {len(golden)} golden items of {group} differ; "
                          f"{input_note} (see tests/golden/outputs/README.md):\n\n"
                          + "\n\n".join(problems))
    if changed_inputs:
        warnings.warn(f"{group}: the inputs changed ({', '.join(changed_inputs)}) and every "
                      "result is still the golden one; regenerate the golden files when that "
                      "change is committed", stacklevel=2)


@pytest.mark.parametrize("mode", list(regen.BATCH_MODES))
def test_batch_of_the_bundled_caseload_writes_the_golden_tables(
        mode: str, tmp_path: Path) -> None:
    if mode == "arrow":
        pytest.importorskip("pyarrow")
    assert_matches_golden(f"batch-{mode}", regen.batch_items(mode, tmp_path / "out"))


def test_compare_of_the_demo_variants_prints_and_writes_the_golden_tables(
        tmp_path: Path) -> None:
    assert_matches_golden("compare", regen.compare_items(tmp_path / "out"))


def test_text_of_evaluate_sanctions_and_refund_is_the_golden_text() -> None:
    assert_matches_golden("cli", regen.cli_text_items())


def test_evaluation_json_of_every_example_at_every_date_is_golden() -> None:
    assert_matches_golden("evaluation", regen.example_items())


def test_evaluation_json_under_every_non_default_policy_is_golden() -> None:
    assert_matches_golden("policy", regen.policy_items())


def test_evaluation_json_under_overlays_and_another_years_law_is_golden() -> None:
    assert_matches_golden("variant", regen.variant_items())


@pytest.mark.parametrize("years", list(regen.SYNTHETIC))
def test_synthetic_cases_full_and_deadlines_only_evaluate_to_the_golden_json(
        years: int) -> None:
    assert_matches_golden(f"synthetic-{years}", regen.synthetic_items(years))


def test_golden_store_is_complete_and_consistent() -> None:
    hashes = golden_hashes()
    texts = golden_texts()
    unchecked = [name for name in hashes
                 if not any(name.startswith(prefixes + inputs)
                            for prefixes, inputs in GROUPS.values())]
    assert not unchecked, f"golden items no test checks: {unchecked}"
    wrong = [digest for digest, text in texts.items() if regen.sha256(text) != digest]
    assert not wrong, f"stored texts that do not match their SHA-256: {wrong}"
    missing = [name for name, digest in hashes.items()
               if regen.stores_text(name) and digest not in texts]
    assert not missing, f"golden items whose text should be stored but is not: {missing}"
    assert set(texts) <= set(hashes.values()), "stored texts that no golden item names"
