"""No silent gaps (issue 13): every target group, started in every quarter from 2008 to 2026,
gets deadlines or says it is not covered and why; the exceptions are the README's list."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lab_rules import evaluate
from lab_rules.contact.results import Status
from lab_rules.core.vocabulary import TargetGroup
from lab_rules.faces.cli import main
from lab_rules.faces.evaluation_json import evaluation_schema_path, evaluation_to_json
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law import bundled_law
from lab_rules.law.bundle import load_law
from lab_rules.law.coverage import gap_list, render_gaps
from lab_rules.law.coverage_gaps import GapReason, load_coverage_gaps
from lab_rules.law.loader import RuleError, bundled_rules_dir, load_module
from lab_rules.loops.batch import evaluate_caseload

ROOT = Path(__file__).resolve().parents[1]
FIRST, LAST = 2008, 2026
BENEFIT = {
    TargetGroup.DAGPENGE: "dagpenge",
    TargetGroup.JOBPARAT_KONTANTHJAELP: "kontanthjaelp",
    TargetGroup.AKTIVITETSPARAT_KONTANTHJAELP: "kontanthjaelp",
    TargetGroup.UDDANNELSESPARAT_UDDANNELSESHJAELP: "uddannelseshjaelp",
    TargetGroup.AKTIVITETSPARAT_UDDANNELSESHJAELP: "uddannelseshjaelp",
    TargetGroup.SYGEDAGPENGE: "sygedagpenge",
    TargetGroup.JOBAFKLARINGSFORLOEB: "jobafklaringsydelse",
    TargetGroup.RESSOURCEFORLOEB: "ressourceforloebsydelse",
    TargetGroup.FLEKSJOBVISITERET: "ledighedsydelse",
    TargetGroup.REVALIDERING: "revalideringsydelse",
    TargetGroup.FOERTIDSPENSION: "foertidspension",
    TargetGroup.FLEKSJOB_ANSAT: "fleksloentilskud",
    TargetGroup.INTEGRATIONSPROGRAM: "integrationsydelse",
    TargetGroup.KONTANTYDELSE: "kontantydelse",
}
"""The benefit a member of each group receives; the others (selvforsørgende, under 18)
are members without a benefit."""
AGE = {TargetGroup.UDDANNELSESPARAT_UDDANNELSESHJAELP: 25,
       TargetGroup.AKTIVITETSPARAT_UDDANNELSESHJAELP: 25, TargetGroup.UNDER_18: 16,
       TargetGroup.KONTANTYDELSE: 70}


def _quarter_starts() -> list[date]:
    return [date(year, month, 1) for year in range(FIRST, LAST + 1) for month in (1, 4, 7, 10)]


def _course(group: TargetGroup, start: date) -> dict[str, Any]:
    """A one-year course of *group* from *start*: first contact, registration, benefit."""
    born = date(start.year - AGE.get(group, 40), 1, 15)
    events: list[dict[str, Any]] = [
        {"type": "first_contact", "date": start.isoformat()},
        {"type": "registered", "date": start.isoformat()}]
    if group is TargetGroup.SYGEDAGPENGE:
        events.append({"type": "sickness_reported", "date": start.isoformat(),
                       "first_absence_day": start.isoformat(), "category": 2,
                       "employed": False})
    benefit = BENEFIT.get(group)
    if benefit is None:
        events.append({"type": "group_changed", "date": start.isoformat(),
                       "group": group.value})
    else:
        events.append({"type": "benefit_started", "date": start.isoformat(),
                       "benefit": benefit, "group": group.value})
    return {"schema": "lab-rules/timeline/v2",
            "person": {"id": f"{group.value}-{start}", "birth_date": born.isoformat(),
                       "education": False, "custody": False},
            "events": events}


def test_every_group_started_in_every_quarter_has_deadlines_or_says_it_is_not_covered() -> None:
    silent = []
    for group in TargetGroup:
        for start in _quarter_starts():
            timeline = parse_timeline(_course(group, start))
            result = evaluate(timeline, as_of=start + timedelta(days=365), refund=False,
                              sanctions=False)
            deadlines = [o for o in result.obligations if o.status is not Status.NOT_COVERED]
            gaps = [n for n in result.notes if n.kind == "not_covered"]
            if not deadlines and not gaps:
                silent.append(f"{group.value} {start}")
    assert not silent, "evaluations with neither deadlines nor a not-covered note: " + \
        ", ".join(silent)


def test_no_group_quarter_is_uncovered_where_the_law_sets_duties() -> None:
    holes = [f"{p.group.value} {p.start} to {p.end}: {p.reason.value}"
             for p in gap_list(bundled_law().coverage, FIRST, LAST)
             if p.reason in (GapReason.UNDECLARED, GapReason.NOT_ENCODED)]
    assert not holes, "\n".join(holes)


def test_the_readme_lists_exactly_the_gaps_check_rules_prints(
        capsys: pytest.CaptureFixture[str]) -> None:
    listed = render_gaps(bundled_law().coverage, FIRST, LAST)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"<!-- coverage-gaps:start -->\n(.*?)<!-- coverage-gaps:end -->",
                        readme, re.S)
    assert section is not None, "README lacks the coverage-gaps section"
    assert section.group(1) == listed, (
        "regenerate the README list: python -c 'from lab_rules.law import bundled_law; "
        "from lab_rules.law.coverage import render_gaps; "
        "print(render_gaps(bundled_law().coverage, 2008, 2026), end=\"\")'")
    assert main(["check-rules"]) == 0
    assert listed in capsys.readouterr().out


def test_a_not_covered_stretch_is_a_located_note_and_a_row_outside_the_deadline_counts() -> None:
    timeline = parse_timeline(_course(TargetGroup.SELVFORSOERGENDE, date(2020, 3, 1)))
    result = evaluate(timeline, as_of=date(2020, 9, 30))
    rows = [o for o in result.obligations if o.status is Status.NOT_COVERED]
    assert [(o.opens, o.due) for o in rows] == [(date(2020, 3, 1), date(2020, 9, 30))]
    note = next(n for n in result.notes if n.kind == "not_covered")
    assert "selvforsoergende 2020-03-01 to 2020-09-30" in note.text
    assert note.rule_id == rows[0].rule_id
    document = evaluation_to_json(result)
    jsonschema.validate(document, json.loads(evaluation_schema_path().read_text("utf-8")))
    assert document["summary"]["not_covered"] == 1
    assert document["summary"]["obligations"] == len(result.obligations) - 1
    assert document["obligations"][0]["kind"] == "not_covered"
    assert "None" not in rows[0].explanation_da + rows[0].explanation_en


def test_an_evaluation_as_of_before_the_course_has_no_not_covered_row() -> None:
    timeline = parse_timeline(_course(TargetGroup.SELVFORSOERGENDE, date(2020, 3, 1)))
    result = evaluate(timeline, as_of=date(2020, 2, 1))
    assert not result.obligations
    assert not result.notes


def test_a_law_folder_without_coverage_entries_reports_its_holes_as_undeclared(
        tmp_path: Path) -> None:
    folder = tmp_path / "law"
    shutil.copytree(bundled_rules_dir(), folder)
    shutil.rmtree(folder / "coverage")
    law = load_law(folder)
    timeline = parse_timeline(_course(TargetGroup.SELVFORSOERGENDE, date(2020, 3, 1)))
    result = evaluate(timeline, as_of=date(2020, 9, 30), law=law)
    [row] = [o for o in result.obligations if o.status is Status.NOT_COVERED]
    assert row.rule_id == "not_covered.selvforsoergende"
    assert "undeclared" not in row.explanation_en or "neither a rule nor" in row.explanation_en
    assert any("No rule and no not-covered entry" in n.text for n in result.notes)


def test_a_gap_that_contradicts_a_rule_is_refused_with_its_file_and_line(
        tmp_path: Path) -> None:
    folder = tmp_path / "law"
    shutil.copytree(bundled_rules_dir(), folder)
    (folder / "coverage" / "wrong.toml").write_text(
        'kind = "coverage_gaps"\n\n[[gap]]\nid = "test.wrong"\ngroups = ["dagpenge"]\n'
        "valid_from = 2024-01-01\nvalid_to = 2024-12-31\nreason = \"no_duty\"\n"
        'text_da = "x"\ntext_en = "x"\nlegal_basis = "LAB lbk 280/2024 § 6, nr. 1"\n'
        'source = "https://www.retsinformation.dk/eli/lta/2024/280"\n', encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_law(folder)
    [problem] = caught.value.problems
    assert problem.source.endswith("wrong.toml")
    assert problem.line == 3
    assert "test.wrong says dagpenge is not covered from 2024-01-01" in problem.message


def test_a_broken_gap_entry_gets_every_problem_located(tmp_path: Path) -> None:
    path = tmp_path / "gaps.toml"
    path.write_text(
        'kind = "coverage_gaps"\n\n[[gap]]\nid = "test.bad"\ngroups = ["dagpenger"]\n'
        'valid_from = 2024-01-01\nreason = "undeclared"\ntext_da = "x"\ntext_en = "x"\n'
        'legal_basis = "somewhere in LAB"\nsource = "https://example.org"\ncolour = 1\n',
        encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_coverage_gaps(path)
    messages = " | ".join(f"{p.path}: {p.message}" for p in caught.value.problems)
    assert "gap[0].groups" in messages
    assert "dagpenger" in messages
    assert '"undeclared" is what lab-rules reports' in messages
    assert "is not one citation" in messages
    assert "gap[0].colour" in messages


def test_a_rule_file_cannot_use_the_not_covered_shape_or_omit_roll_basis(
        tmp_path: Path) -> None:
    module = (bundled_rules_dir() / "dk" / "lab" / "2024" / "dagpenge.toml").read_text("utf-8")
    broken = re.sub(r"^roll_basis = .*\n", "", module, count=1, flags=re.M)
    broken = broken.replace('shape = "first_within"', 'shape = "not_covered"', 1)
    target = tmp_path / "dk" / "lab" / "2024" / "dagpenge.toml"
    target.parent.mkdir(parents=True)
    target.write_text(broken, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_module(target)
    messages = " | ".join(p.message for p in caught.value.problems)
    assert '"not_covered" is not a rule shape' in messages
    assert 'missing "roll_basis"' in messages


def test_every_bundled_rule_says_why_its_due_date_is_or_is_not_moved_off_a_closed_day() -> None:
    for rule in bundled_law().rules.rules:
        assert rule.roll_basis.strip(), rule.id
        if rule.roll.value == "none":
            assert "calendar date" in rule.roll_basis, rule.id


def test_batch_counts_not_covered_stretches_in_their_own_column(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    lines = []
    for group, start in ((TargetGroup.SELVFORSOERGENDE, date(2020, 3, 1)),
                         (TargetGroup.DAGPENGE, date(2024, 2, 5))):
        document = _course(group, start)
        person = document["person"]
        lines.append(json.dumps({"person_id": person["id"], "type": "person",
                                 "birth_date": person["birth_date"]}))
        lines += [json.dumps({"person_id": person["id"], **event})
                  for event in document["events"]]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = evaluate_caseload(log, tmp_path / "out", as_of=date(2024, 6, 1))
    assert result.quarantined == 0
    with (tmp_path / "out" / "persons.csv").open(encoding="utf-8") as handle:
        persons = {row["person_id"]: row for row in csv.DictReader(handle)}
    assert persons["selvforsoergende-2020-03-01"]["not_covered"] == "1"
    assert persons["selvforsoergende-2020-03-01"]["obligations"] == "0"
    assert persons["dagpenge-2024-02-05"]["not_covered"] == "0"
    assert int(persons["dagpenge-2024-02-05"]["obligations"]) > 0
