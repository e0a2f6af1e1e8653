"""The evaluator: output schema, determinism, era transitions, policies, notes, CLI."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import attrs
import jsonschema
import pytest

from conftest import EXAMPLES
from lab_rules import Policies, Status, dumps_evaluation, evaluate, render_text
from lab_rules.faces.cli import main
from lab_rules.faces.evaluation_json import evaluation_schema_path
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.inputs.timeline_json import load_timeline, parse_timeline
from lab_rules.law.model import Shape
from lab_rules.law.policies import PolicyError

SCHEMA = json.loads(evaluation_schema_path().read_text(encoding="utf-8"))
AS_OF = date(2025, 6, 30)


def _validate(document: object) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_every_example_gives_schema_valid_deterministic_json(example_files: list[Path]) -> None:
    for path in example_files:
        timeline = load_timeline(path)
        first = dumps_evaluation(evaluate(timeline, as_of=AS_OF))
        second = dumps_evaluation(evaluate(load_timeline(path), as_of=AS_OF))
        assert first == second, path
        document = json.loads(first)
        _validate(document)
        assert document["obligations"], f"{path} produced no obligations"


def test_dagpenge_timeline_crossing_2024_has_e3_before_and_e4_after() -> None:
    evaluation = evaluate(load_timeline(EXAMPLES / "dagpenge-2023-2025.json"), as_of=AS_OF)
    course = [o for o in evaluation.obligations if o.rule.shape is not Shape.OFFER_LIMIT]
    before = [o for o in course if o.due < date(2024, 6, 1)]
    after = [o for o in course if o.opens >= date(2025, 1, 1)]
    assert before
    assert after
    assert {o.rule.era for o in before} == {"E3"}
    assert {o.rule.era for o in after} == {"E4"}
    assert all(o.rule.legal_basis.act == "LAB lbk 701/2022" for o in before)
    assert all(o.rule.legal_basis.act == "LAB lbk 280/2024" for o in after)


def test_an_offer_of_a_course_begun_under_e3_is_limited_by_the_law_of_its_first_day() -> None:
    evaluation = evaluate(load_timeline(EXAMPLES / "dagpenge-2023-2025.json"), as_of=AS_OF)
    limits = [o for o in evaluation.obligations if o.rule.shape is Shape.OFFER_LIMIT]
    assert [(o.rule.id, str(o.opens), str(o.due), o.status.value) for o in limits] == [
        ("dk.lab.2024.tilbud.virksomhedspraktik_4_uger", "2024-02-05", "2024-03-03", "met")]


NO_SHOW = EXAMPLES / "jobparat-kontanthjaelp-noshow.json"
FIRST = "dk.lab.2024.kontanthjaelp.first_jobsamtale"


@pytest.mark.parametrize(
    ("policy", "status", "due", "days_late"),
    [
        ("late_until_held", Status.MET_LATE, date(2024, 3, 11), 10),
        ("timely_summons_counts", Status.MET, date(2024, 3, 11), None),
        ("restart_from_contact", Status.MET_LATE, date(2024, 3, 19), 2),
    ],
)
def test_no_show_policy_changes_the_result_as_semantics_5_says(
    policy: str, status: Status, due: date, days_late: int | None
) -> None:
    evaluation = evaluate(load_timeline(NO_SHOW), as_of=AS_OF, policies=[f"no_show={policy}"])
    first = evaluation.by_rule(FIRST)[0]
    assert (first.status, first.due, first.days_late) == (status, due, days_late)
    assert dict(first.policies)["no_show"] == policy
    assert dict(evaluation.policies)["no_show"] == policy
    assert policy in first.explanation_en
    assert f"no_show={policy}" in render_text(evaluation, "en")


def test_timely_summons_records_what_fulfilled_it() -> None:
    evaluation = evaluate(load_timeline(NO_SHOW), as_of=AS_OF,
                          policies={"no_show": "timely_summons_counts"})
    first = evaluation.by_rule(FIRST)[0]
    assert first.fulfilled_by == "summons 2024-03-05 for 2024-03-11, unexcused no-show"
    assert first.fulfilled_on == date(2024, 3, 11)


def test_excused_no_show_is_not_an_incident() -> None:
    document = json.loads(NO_SHOW.read_text())
    for event in document["events"]:
        if event["type"] == "no_show":
            event["excuse"] = "sygdom"
    evaluation = evaluate(parse_timeline(document), as_of=AS_OF,
                          policies={"no_show": "restart_from_contact"})
    assert evaluation.by_rule(FIRST)[0].due == date(2024, 3, 11)


SICK_2018 = {
    "schema": "lab-rules/timeline/v1",
    "person": {"id": "sick-2018"},
    "events": [
        {"type": "benefit_started", "date": "2018-01-08", "benefit": "sygedagpenge"},
        {"type": "sickness_reported", "date": "2018-01-09", "first_absence_day": "2018-01-08",
         "category": 2},
    ],
}


def test_unconfirmed_rules_say_so_in_every_output() -> None:
    evaluation = evaluate(parse_timeline(SICK_2018), as_of=date(2018, 6, 1))
    unconfirmed = [o for o in evaluation.obligations if o.rule.confidence.value == "unconfirmed"]
    assert unconfirmed
    for obligation in unconfirmed:
        assert "not confirmed" in obligation.explanation_en
        assert "ikke bekræftet" in obligation.explanation_da
    document = json.loads(dumps_evaluation(evaluation))
    assert document["summary"]["unconfirmed_rules"]
    assert "(?)" in render_text(evaluation, "da")


def test_events_after_as_of_are_ignored() -> None:
    timeline = load_timeline(NO_SHOW)
    early = evaluate(timeline, as_of=date(2024, 3, 15))
    first = early.by_rule(FIRST)[0]
    assert first.status is Status.OVERDUE
    assert first.days_overdue == 4
    assert first.fulfilled_on is None


def test_missing_fact_gives_a_note_not_a_guess() -> None:
    document = {
        "schema": "lab-rules/timeline/v1", "person": {"id": "no-birth-date"},
        "events": [{"type": "registered", "date": "2024-02-05"},
                   {"type": "benefit_started", "date": "2024-02-05", "benefit": "dagpenge"}],
    }
    evaluation = evaluate(parse_timeline(document), as_of=date(2024, 6, 1))
    kinds = {n.kind for n in evaluation.notes}
    assert "undetermined" in kinds
    assert not evaluation.by_rule("dk.lab.2024.dagpenge.akasse_first_jobsamtale")


def test_a_note_reads_in_the_language_of_the_output_and_stays_english_in_json() -> None:
    document = {
        "schema": "lab-rules/timeline/v1", "person": {"id": "no-birth-date"},
        "events": [{"type": "registered", "date": "2024-02-05"},
                   {"type": "benefit_started", "date": "2024-02-05", "benefit": "dagpenge"}],
    }
    evaluation = evaluate(parse_timeline(document), as_of=date(2024, 6, 1))
    danish, english = render_text(evaluation, "da"), render_text(evaluation, "en")
    assert ("bemærk: kan ikke afgøre, om dk.lab.2024.dagpenge.akasse_first_jobsamtale gælder "
            "fra 05-02-2024") in danish
    assert "cannot decide" not in danish
    assert "no target group" not in danish
    assert ("note: cannot decide whether dk.lab.2024.dagpenge.akasse_first_jobsamtale applies "
            "from 2024-02-05") in english
    notes = json.loads(dumps_evaluation(evaluation))["notes"]
    assert any(n["text"].startswith("cannot decide whether dk.lab.2024.dagpenge."
                                    "akasse_first_jobsamtale applies from 2024-02-05: the "
                                    "timeline lacks") for n in notes)


def test_the_danish_text_table_writes_dates_the_danish_way_and_english_iso() -> None:
    evaluation = evaluate(load_timeline(NO_SHOW), as_of=date(2024, 10, 1))
    danish, english = render_text(evaluation, "da"), render_text(evaluation, "en")
    assert danish.startswith("Vurdering: ")
    assert " pr. 01-10-2024 " in danish.splitlines()[0]
    assert english.startswith("Evaluation: ")
    assert " as of 2024-10-01 " in english.splitlines()[0]
    first = evaluation.by_rule(FIRST)[0]
    assert any(line.startswith(first.due.strftime("%d-%m-%Y")) for line in danish.splitlines())
    assert any(line.startswith(first.due.isoformat()) for line in english.splitlines())


def test_explanations_keep_iso_dates_in_json_and_write_the_language_s_dates_in_text() -> None:
    evaluation = evaluate(load_timeline(NO_SHOW), as_of=date(2024, 10, 1))
    first = evaluation.by_rule(FIRST)[0]
    due = first.due
    assert f"frist {due.isoformat()}" in first.explanation_da
    assert f"due {due.isoformat()}" in first.explanation_en
    assert f"frist {due.strftime('%d-%m-%Y')}" in first.explanation("da")
    assert first.explanation("en") == first.explanation_en
    document = json.loads(dumps_evaluation(evaluation))
    item = next(o for o in document["obligations"] if o["rule_id"] == FIRST)
    assert item["explanation"] == {"da": first.explanation_da, "en": first.explanation_en}


def test_status_words_come_in_both_languages() -> None:
    assert [s.label("da") for s in (Status.MET, Status.MET_LATE, Status.OVERDUE)] == [
        "opfyldt", "for sent", "overskredet"]
    assert [s.label("en") for s in (Status.MET, Status.MET_LATE, Status.OVERDUE)] == [
        "met", "met late", "overdue"]


def test_trace_steps_read_in_danish_and_stay_english_as_text() -> None:
    evaluation = evaluate(load_timeline(NO_SHOW), as_of=date(2024, 10, 1))
    steps = [s for o in evaluation.obligations for s in o.trace if not isinstance(s.detail, str)]
    assert steps
    for step in steps:
        assert step.describe("en") == step.text
    anchor = next(s for s in evaluation.by_rule(FIRST)[0].trace if s.step == "anchor")
    assert anchor.text.startswith("første henvendelse 20")
    assert anchor.describe("da") == f"første henvendelse {anchor.day:%d-%m-%Y}"


def test_version_selector_course_start_keeps_old_law_for_old_courses() -> None:
    timeline = load_timeline(EXAMPLES / "dagpenge-2023-2025.json")
    opens = evaluate(timeline, as_of=AS_OF)
    by_course = evaluate(timeline, as_of=AS_OF, policies={"version_selector": "course_start"})
    assert {o.rule.era for o in by_course.obligations if o.course_start.year == 2023} == {"E3"}
    assert dict(by_course.policies)["version_selector"] == "course_start"
    assert dumps_evaluation(opens) != dumps_evaluation(by_course)


def test_unknown_policy_is_a_clear_error() -> None:
    with pytest.raises(PolicyError, match="unknown policy 'no_shw'"):
        Policies.parse(["no_shw=late_until_held"])
    with pytest.raises(PolicyError, match="choose one of"):
        Policies.parse({"no_show": "sometimes"})


def test_cli_evaluate_prints_valid_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(NO_SHOW), "--as-of", "2024-10-01",
                 "--policy", "no_show=restart_from_contact"]) == 0
    document = json.loads(capsys.readouterr().out)
    _validate(document)
    assert document["policies"]["no_show"] == "restart_from_contact"


def test_cli_evaluate_text_table_in_danish(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(NO_SHOW), "--as-of", "2024-10-01", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Frist" in out
    assert "for sent" in out
    assert "LAB lbk 280/2024 § 31, stk. 5" in out


def test_cli_evaluate_rejects_bad_policy_and_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(NO_SHOW), "--as-of", "2024-10-01", "--policy", "x=y"]) == 2
    with pytest.raises(SystemExit) as caught:
        main(["evaluate", str(NO_SHOW), "--as-of", "2024-13-01"])
    assert caught.value.code == 2


def test_cli_evaluate_invalid_timeline_exits_1(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "lab-rules/timeline/v1", "person": {"id": "x"}, "events": [7]}')
    assert main(["evaluate", str(bad), "--as-of", "2024-10-01"]) == 1
    assert "/events/0" in capsys.readouterr().err


def test_exemption_for_a_job_more_than_six_weeks_away_is_ignored_and_said_so() -> None:
    """LAB § 106 stk. 1 nr. 1: only a job starting within the next 6 weeks exempts."""
    case = json.loads((Path(__file__).parent / "cases" / "contact_course"
                       / "TC-28-beyond-6-weeks.json").read_text(encoding="utf-8"))
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date(2024, 6, 30))
    (note,) = [n for n in evaluation.notes if n.kind == "exemption_not_covered"]
    assert "2024-06-10" in note.text
    assert "LAB § 106" in note.text


def test_the_hours_rule_can_be_left_out_without_changing_anything_else() -> None:
    """``hours_rule=False`` (the batch, what-if) leaves the 225-hour status out and nothing
    else; ``hours_rule=True`` includes it without the sanctions."""
    rng = random.Random(3)
    statuses = 0
    for number in range(60):
        timeline, as_of = synthetic_timeline(rng, number, years=3)
        whole = evaluate(timeline, as_of=as_of)
        without = evaluate(timeline, as_of=as_of, hours_rule=False)
        assert without.hours_rule is None
        assert attrs.evolve(whole, hours_rule=None) == without
        alone = evaluate(timeline, as_of=as_of, sanctions=False, hours_rule=True)
        assert alone.sanctions == ()
        assert alone.hours_rule == whole.hours_rule
        statuses += whole.hours_rule is not None
    assert statuses > 0
