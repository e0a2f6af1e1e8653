"""Rule files: the bundled pack is complete and cited; broken files get located errors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import CASES, ROOT
from lab_rules.core.vocabulary import TargetGroup
from lab_rules.faces.cli import main
from lab_rules.law import (
    Confidence,
    RuleError,
    bundled_pack,
    bundled_rules_dir,
    load_law,
    load_pack,
)
from lab_rules.law.loader import _line_index

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_bundled_pack_loads_with_rules_for_every_era() -> None:
    pack = bundled_pack()
    assert len(pack.rules) >= 50
    assert {r.era for r in pack.rules} >= {"E2", "E3", "E4", "E5"}


def test_every_rule_cites_its_legal_basis_and_source() -> None:
    for rule in bundled_pack().rules:
        basis = rule.legal_basis
        assert basis.act, rule.id
        assert basis.paragraph, rule.id
        assert basis.source.startswith("https://"), rule.id
        assert rule.law_text.strip(), rule.id
        assert "§" in basis.cite(), rule.id


def test_unconfirmed_rules_explain_themselves() -> None:
    unconfirmed = [r for r in bundled_pack().rules if r.confidence is Confidence.UNCONFIRMED]
    assert unconfirmed, "the catalogue has unconfirmed facts that are encoded"
    for rule in unconfirmed:
        assert rule.note or "UNCONFIRMED" in Path(rule.source_file).read_text(), rule.id


def test_rule_versions_do_not_overlap_and_share_ids_across_eras() -> None:
    versions = bundled_pack().rule("dk.lab.fleksjob.followup")
    assert len(versions) == 2
    assert versions[0].valid_to is not None
    assert versions[0].valid_to < versions[1].valid_from


def _check_rules_output(path: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code = main(["check-rules", path])
    finally:
        os.chdir(cwd)
    return code, capsys.readouterr().out


def test_broken_module_matches_golden_messages(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check_rules_output("tests/cases/rules_broken", capsys)
    assert code == 1
    assert out == (GOLDEN / "check-rules-broken.txt").read_text(encoding="utf-8")


def test_overlapping_validity_matches_golden_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check_rules_output("tests/cases/rules_overlap", capsys)
    assert code == 1
    assert out == (GOLDEN / "check-rules-overlap.txt").read_text(encoding="utf-8")


def test_check_rules_on_the_bundled_pack_prints_the_coverage_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check-rules", str(bundled_rules_dir())]) == 0
    out = capsys.readouterr().out
    table = {line.split()[0]: line.split()[1] for line in out.splitlines()
             if line.split() and line.split()[0] in {g.value for g in TargetGroup}}
    assert set(table) == {g.value for g in TargetGroup}
    assert all(len(marks) == 4 * (2026 - 2008 + 1) for marks in table.values())
    assert table["dagpenge"][-1] in "Rr"
    assert "Not covered, 2008-2026:" in out


def test_toml_syntax_error_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[module]\nid = "x"\ntitle_da = \n')
    with pytest.raises(RuleError) as caught:
        load_pack(bad)
    problem = caught.value.problems[0]
    assert problem.line == 3
    assert "invalid TOML" in problem.message


def _dagpenge_2008_with(tmp_path: Path, tail: str) -> Path:
    """A copy of the bundled law with *tail* appended to its 2008 dagpenge module."""
    folder = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), folder)
    module = folder / "dk" / "lab" / "2008" / "dagpenge.toml"
    module.write_text(module.read_text(encoding="utf-8") + tail, encoding="utf-8")
    return folder


@pytest.mark.parametrize("tail", [
    "x = " + "[" * 5000 + "]" * 5000 + "\n",
    "x = " + "{ a = " * 5000 + "1" + " }" * 5000 + "\n",
    "x = " + "[" * 40 + "]" * 40 + "\n",
    "[" + ".".join(["deep"] * 5000) + "]\nx = 1\n",
], ids=["arrays 5000 deep", "inline tables 5000 deep", "arrays 40 deep", "a table 5000 deep"])
def test_values_nested_too_deep_are_a_located_problem_not_a_crash(
        tmp_path: Path, tail: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _dagpenge_2008_with(tmp_path, tail)
    with pytest.raises(RuleError) as caught:
        load_law(folder)
    (problem,) = caught.value.problems
    assert problem.source == str(folder / "dk" / "lab" / "2008" / "dagpenge.toml")
    assert "nested" in problem.message
    assert problem.line is not None
    assert problem.line > 100
    assert main(["check-rules", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert f"dagpenge.toml:{problem.line}:" in out
    assert "nested" in out
    assert "internal error" not in err


def test_a_number_too_long_to_read_is_a_located_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _dagpenge_2008_with(tmp_path, "x = " + "9" * 5000 + "\n")
    assert main(["check-rules", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "dagpenge.toml:" in out
    assert "invalid TOML" in out
    assert "internal error" not in err


def test_rule_text_is_data_never_code(tmp_path: Path) -> None:
    text = (CASES / "rules_overlap" / "a.toml").read_text().replace(
        'duration = "P2W"', 'duration = "__import__(\'os\').system(\'echo pwned\')"')
    module = tmp_path / "evil.toml"
    module.write_text(text)
    with pytest.raises(RuleError) as caught:
        load_pack(module)
    assert "is not an ISO-8601 duration" in caught.value.problems[0].message


def test_missing_module_table_and_rules_are_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing\n")
    with pytest.raises(RuleError) as caught:
        load_pack(empty)
    messages = [p.message for p in caught.value.problems]
    assert any("missing the [module] table" in m for m in messages)
    assert any("at least one [[rule]]" in m for m in messages)


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match=r"no \*\.toml rule files"):
        load_pack(tmp_path)


def test_line_index_maps_key_paths_to_lines() -> None:
    text = '[module]\nid = "m"\n\n[[rule]]\nid = "a"\n[[rule]]\nid = "b"\nshape = "x"\n'
    index = _line_index(text)
    assert index["module.id"] == 2
    assert index["rule[0].id"] == 5
    assert index["rule[1].shape"] == 8
