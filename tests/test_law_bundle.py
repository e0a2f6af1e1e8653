"""One law bundle: every rule and parameter file read by one loader into an immutable Law."""

from __future__ import annotations

import json
import random
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from lab_rules import evaluate
from lab_rules.faces.cli import main
from lab_rules.inputs.synth import synthetic_timeline, write_event_log
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import (
    KINDS,
    PARAMETER_KINDS,
    bundled_law,
    kind_of,
    law_from_path,
    load_law,
)
from lab_rules.law.loader import RuleError, parse_citation
from lab_rules.law.overlay import load_overlay
from lab_rules.loops.variants import variant
from lab_rules.loops.whatif import compare_caseload

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
CASES = Path(__file__).parent / "cases"


@pytest.fixture
def law_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def test_every_rule_and_parameter_file_declares_a_known_kind() -> None:
    for path in sorted(RULES.rglob("*.toml")):
        kind, problems = kind_of(path)
        assert not problems, path
        assert kind in KINDS, path


def test_the_bundled_law_has_every_parameter_kind_and_a_content_hash() -> None:
    law = bundled_law()
    assert law.name == "dk-national"
    assert re.fullmatch(r"[0-9a-f]{64}", law.content_hash)
    assert law.rules.rules
    assert set(PARAMETER_KINDS) >= {"sanction_rates", "refund_staircase", "hours_rule"}


def test_loading_the_law_parses_a_rule_module_once_and_a_parameter_file_twice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A file's kind, its placement, its rules and the content hash come from one parse; a
    parameter file's own parser reads it again (with its lines). The same hash as parsing
    each file apart for it."""
    import tomllib

    from lab_rules.law import toml_files
    from lab_rules.law.fingerprint import fingerprint

    files = sorted(f for f in RULES.rglob("*.toml") if "overlays" not in f.parts)
    parameters = [f for f in files if kind_of(f)[0] in PARAMETER_KINDS]
    parsed: list[str] = []
    loads = tomllib.loads

    def counted(text: str) -> dict[str, object]:
        parsed.append(text)
        return loads(text)

    monkeypatch.setattr(toml_files.tomllib, "loads", counted)
    law = load_law(RULES)
    assert len(parsed) == len(files) + len(parameters)
    monkeypatch.undo()
    assert law.content_hash == fingerprint(files, RULES) == bundled_law().content_hash


def test_a_file_without_a_kind_is_a_located_problem(law_copy: Path) -> None:
    quotas = law_copy / "parameters" / "kvoter-2026.toml"
    quotas.write_text(quotas.read_text(encoding="utf-8").replace('kind = "quotas"', ""),
                      encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_law(law_copy)
    text = str(err.value)
    assert "kvoter-2026.toml" in text
    assert "must name what the file holds" in text


@pytest.mark.parametrize("kind", ["[]", "{ a = 1 }", "7", '"quota"'])
def test_a_kind_that_is_not_a_known_name_is_a_located_problem(law_copy: Path, kind: str
                                                              ) -> None:
    quotas = law_copy / "parameters" / "kvoter-2026.toml"
    text = quotas.read_text(encoding="utf-8")
    line = text[:text.index('kind = "quotas"')].count("\n") + 1
    quotas.write_text(text.replace('kind = "quotas"', f"kind = {kind}"), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_law(law_copy)
    (problem,) = [p for p in err.value.problems if p.source == str(quotas)]
    assert problem.path == "kind"
    assert problem.line == line
    assert "must name what the file holds" in problem.message


def test_a_rule_module_lives_where_its_id_says(law_copy: Path) -> None:
    module = law_copy / "dk" / "lab" / "2024" / "dagpenge.toml"
    module.rename(module.with_name("dagpenge-forenklet.toml"))
    with pytest.raises(RuleError, match=r"belongs in dk/lab/2024/dagpenge\.toml"):
        load_law(law_copy)


def test_the_content_hash_follows_the_content_of_the_law_not_its_comments(
        law_copy: Path) -> None:
    before = load_law(law_copy).content_hash
    assert before == bundled_law().content_hash
    quotas = law_copy / "parameters" / "kvoter-2026.toml"
    text = quotas.read_text(encoding="utf-8")
    quotas.write_text(text + "\n# a comment\n", encoding="utf-8")
    assert load_law(law_copy).content_hash == before
    quotas.write_text(text.replace("0.75", "0.80", 1), encoding="utf-8")
    assert load_law(law_copy).content_hash != before


def test_every_contact_course_citation_is_greppable_as_written_in_law() -> None:
    for rule in bundled_law().rules.rules:
        cited = rule.legal_basis.cite()
        text = Path(rule.source_file).read_text(encoding="utf-8")
        assert f'legal_basis = "{cited}"' in text, (rule.id, cited)


@pytest.mark.parametrize("citation", [
    "LAB lbk 280/2024 § 31, stk. 1, 2. pkt.",
    "LAS lbk 1460/2007 § 12 b",
    "LAB § 85-86",
    "SDPL § 13 b, stk. 1, nr. 2",
])
def test_a_citation_reads_back_as_written(citation: str) -> None:
    basis = parse_citation(citation, "https://www.retsinformation.dk/eli/lta/2024/280")
    assert basis is not None
    assert basis.cite() == citation


def test_evaluate_rules_is_deprecated_and_gives_what_law_gives() -> None:
    case = json.loads((CASES / "sanctions" / "TC-25.json").read_text(encoding="utf-8"))
    timeline = parse_timeline(case["timeline"])
    as_of = date.fromisoformat(case["as_of"])
    with pytest.warns(DeprecationWarning, match="law="):
        old = evaluate(timeline, as_of=as_of, rules=bundled_law().rules)
    assert old == evaluate(timeline, as_of=as_of, law=bundled_law())


def test_rule_modules_alone_run_under_national_parameters(tmp_path: Path) -> None:
    folder = tmp_path / "modules"
    shutil.copytree(RULES / "dk", folder)
    law = law_from_path(folder)
    assert law.staircase == bundled_law().staircase
    assert len(law.rules.rules) == len(bundled_law().rules.rules)


def test_voluntary_self_booking_lists_a_missed_booking_without_a_sanction() -> None:
    case = json.loads((CASES / "sanctions" / "TC-25.json").read_text(encoding="utf-8"))
    timeline = parse_timeline(case["timeline"])
    as_of = date.fromisoformat(case["as_of"])
    national = evaluate(timeline, as_of=as_of).sanctions[0]
    proposal = evaluate(timeline, as_of=as_of,
                        law=variant("akasser-frivillig-selvbooking").law).sanctions[0]
    assert national.sanctionable
    assert national.days == 5
    assert not proposal.sanctionable
    assert any("frivillig_selvbooking" in str(reason) for reason in proposal.reasons)


def test_an_overlay_that_replaces_the_staircase_shows_its_refund_delta_in_compare() -> None:
    rng = random.Random(3)
    timelines = [synthetic_timeline(rng, index)[0] for index in range(25)]
    comparison = compare_caseload(timelines, "national", "refusionstrappe-6-uger",
                                  as_of=date(2026, 1, 1))
    proposal = comparison.summary[1]
    assert proposal["d_refund"] > 0
    assert proposal["d_cofinancing"] < 0
    assert proposal["d_obligations"] == 0
    changes = [c for c in comparison.changes if c["kind"] == "parameters replaced"]
    assert [c["what"] for c in changes] == ["refund_staircase"]
    assert changes[0]["source"] == "whatif.refusionstrappe.6_uger"


def test_a_parameter_overlay_leaves_national_law_and_its_hash_alone() -> None:
    national = bundled_law()
    changed = variant("refusionstrappe-6-uger").law
    assert changed.staircase.bands[0].last_week == 6
    assert national.staircase.bands[0].last_week == 4
    assert changed.content_hash != national.content_hash
    assert changed.sanction_rates == national.sanction_rates


def test_an_overlay_parameter_file_of_the_wrong_kind_is_a_located_problem(
        law_copy: Path) -> None:
    overlay = law_copy / "overlays" / "refusionstrappe-6-uger.toml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace(
        "refund_staircase = ", "sanction_rates = "), encoding="utf-8")
    with pytest.raises(RuleError, match=r"declares kind .refund_staircase., not .sanction_rates."):
        load_overlay(overlay)


def test_lab_rules_compare_reports_the_staircase_overlays_delta(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "log.jsonl"
    write_event_log(log, 12, 5, date(2016, 1, 4), date(2019, 12, 31))
    assert main(["compare", str(log), "--as-of", "2022-01-01", "--workers", "1",
                 "--variant", "refusionstrappe-6-uger"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("refund, staircase (DKK)"))
    assert re.search(r"\(\+[\d,]+\.\d\d\)", line), line
    assert "parameters replaced refund_staircase" in out
