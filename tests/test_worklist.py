"""The caseworker's worklist: overdue, open and coming obligations, projected ones included,
grouped by the dated assignment of each case (issue 15, point 2)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import attrs
import pytest

from lab_rules import evaluate
from lab_rules.calendar import Duration
from lab_rules.evaluation.worklist import UNASSIGNED, Due, person_worklist, worklist
from lab_rules.faces.cli import main
from lab_rules.faces.worklist_output import CSV_COLUMNS, html_pages, worklist_json
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.events import Assigned
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.loops.worklist_caseload import caseload_worklist

ROOT = Path(__file__).resolve().parent.parent
CASELOAD = ROOT / "examples" / "caseload" / "caseload.jsonl"
AS_OF = date(2016, 9, 1)
MONTH = Duration(months=1)


@pytest.fixture(scope="module")
def timelines() -> dict[str, Timeline]:
    return {p.person_id: parse_timeline(p.document) for p in read_persons(CASELOAD)
            if p.document is not None}


def _without_assignments(timeline: Timeline) -> Timeline:
    return Timeline.of(timeline.person, [e for e in timeline.events
                                         if not isinstance(e, Assigned)])


def test_the_next_cadence_conversation_is_listed_before_it_opens(
        timelines: dict[str, Timeline]) -> None:
    """On the bundled caseload: a conversation that does not exist yet on as_of (its window
    opens later) is on the list with the due date the engine gives it at the horizon's end,
    marked projected, under the caseworker the case is assigned to."""
    result = worklist(timelines.values(), as_of=AS_OF, horizon=MONTH)
    projected = [i for i in result.items if i.projected]
    assert projected, "the caseload has a cadence conversation opening within a month"
    for item in projected:
        timeline = timelines[item.person_id]
        now = evaluate(timeline, as_of=AS_OF, refund=False, sanctions=False)
        assert not [o for o in now.obligations
                    if (o.rule.id, o.sequence) == (item.rule_id, item.sequence)]
        later = evaluate(timeline.until(AS_OF), as_of=result.until, refund=False,
                         sanctions=False)
        match = [o for o in later.obligations
                 if (o.rule.id, o.sequence) == (item.rule_id, item.sequence)]
        assert [(o.opens, o.due) for o in match] == [(item.opens, item.due)]
        assert AS_OF < item.opens <= result.until or AS_OF < item.due <= result.until
        assert item.due_state is Due.OPENS
        assert item.assumes is not None
        assigned = [e for e in timeline.of_type(Assigned) if e.date <= max(AS_OF, item.due)]
        assert item.caseworker == assigned[-1].caseworker
        assert item in result.groups("caseworker")[assigned[-1].caseworker]


def test_a_cadence_projection_says_what_it_assumes(timelines: dict[str, Timeline]) -> None:
    result = worklist(timelines.values(), as_of=AS_OF, horizon=MONTH)
    item = next(i for i in result.items if i.projected)
    assert item.assumes is not None
    da, en = item.assumes
    assert f"after {AS_OF}" in en
    assert f"efter {AS_OF}" in da


def test_assignments_never_change_the_items(timelines: dict[str, Timeline]) -> None:
    plain = [_without_assignments(t) for t in timelines.values()]
    with_them = worklist(timelines.values(), as_of=AS_OF, horizon=MONTH)
    without = worklist(plain, as_of=AS_OF, horizon=MONTH)
    strip = [attrs.evolve(i, caseworker=None, team=None) for i in with_them.items]
    assert strip == list(without.items)
    assert set(without.groups()) == {UNASSIGNED}


def test_a_reassignment_moves_the_obligations_from_its_day(
        timelines: dict[str, Timeline]) -> None:
    result = worklist(timelines.values(), as_of=AS_OF, horizon=Duration(months=6))
    person = next(p for p in sorted({i.person_id for i in result.items})
                  if len({i.due for i in result.items if i.person_id == p
                          and i.due > AS_OF}) > 1)
    timeline = _without_assignments(timelines[person])
    dues = sorted({i.due for i in result.items if i.person_id == person and i.due > AS_OF})
    switch = dues[-1]
    events = [*timeline.events, Assigned(AS_OF - timedelta(days=40), "anna", "nord"),
              Assigned(switch, "bo", "syd")]
    items = person_worklist(Timeline.of(timeline.person, events), as_of=AS_OF,
                            horizon=Duration(months=6))
    for item in items:
        assert (item.caseworker, item.team) == (
            ("bo", "syd") if item.due >= switch else ("anna", "nord"))
    assert {i.caseworker for i in items} == {"anna", "bo"}


def test_only_running_courses_have_items(timelines: dict[str, Timeline]) -> None:
    result = worklist(timelines.values(), as_of=AS_OF, horizon=MONTH)
    for person in {i.person_id for i in result.items}:
        periods = evaluate(timelines[person], as_of=AS_OF, refund=False,
                           sanctions=False).periods
        running = {p.course_start for p in periods if p.end is None or p.end >= AS_OF}
        assert running
    ended = [p for p, t in timelines.items()
             if all(p_.end is not None and p_.end < AS_OF for p_ in evaluate(
                 t, as_of=AS_OF, refund=False, sanctions=False).periods)]
    assert ended
    assert not {i.person_id for i in result.items} & set(ended)


def test_items_are_ordered_by_due_date_and_states_follow_the_evaluation(
        timelines: dict[str, Timeline]) -> None:
    result = worklist(timelines.values(), as_of=AS_OF, horizon=MONTH)
    dues = [i.due for i in result.items]
    assert dues == sorted(dues)
    for item in result.items:
        if item.due_state is Due.OVERDUE:
            assert item.due < AS_OF
            assert item.days_overdue == (AS_OF - item.due).days
        if item.due_state is Due.OPEN:
            assert item.opens <= AS_OF <= item.due


def test_cli_text_csv_json_and_html_show_the_same_items(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    base = ["worklist", str(CASELOAD), "--as-of", str(AS_OF), "--horizon", "P1M"]
    assert main([*base, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "lab-rules/worklist/v1"
    items = [i for g in document["groups"] for i in g["items"]]
    assert len(items) == document["items"]
    assert document["persons"] == 300
    assert main([*base, "--format", "csv", "--out", str(tmp_path / "w.csv")]) == 0
    lines = (tmp_path / "w.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    assert len(lines) == len(items) + 1
    assert main([*base, "--format", "html", "--out", str(tmp_path / "pages")]) == 0
    pages = {p.name for p in (tmp_path / "pages").iterdir()}
    assert {"index.html", "worklist.json"} <= pages
    rows = sum((tmp_path / "pages" / p).read_text(encoding="utf-8").count("<tr class=")
               for p in pages if p.endswith(".html"))
    assert rows == len(items)
    assert main([*base, "--format", "html", "--out", str(tmp_path / "pages")]) == 0
    assert main([*base, "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "projected" in text
    assert "LAB lbk" in text


def test_cli_does_not_replace_a_folder_that_is_not_a_worklist(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep", encoding="utf-8")
    code = main(["worklist", str(CASELOAD), "--as-of", str(AS_OF), "--format", "html",
                 "--out", str(folder)])
    assert code == 2
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("horizon", ["P0D", "P100Y", "14", "PT1H"])
def test_cli_refuses_a_bad_horizon(horizon: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["worklist", str(CASELOAD), "--as-of", str(AS_OF), f"--horizon={horizon}"])
    assert ended.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_bad_person_is_held_back_and_counted(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        {"person_id": "0101801234", "type": "person", "birth_date": "1980-01-01"},
        {"person_id": "0101801234", "type": "benefit_started", "date": "2016-08-01",
         "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"},
        {"person_id": "0101801234", "type": "assigned", "date": "2016-08-01",
         "caseworker": "anna"},
        {"person_id": "010180-4321", "type": "person", "birth_date": "1980-01-01"},
        {"person_id": "010180-4321", "type": "benefit_started", "date": "2016-08-01",
         "benefit": "kontanthjaelp", "group": "no_such_group"},
    ]
    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = caseload_worklist([log], as_of=AS_OF, horizon=MONTH)
    assert result.persons == 2
    assert len(result.held) == 1
    assert result.items
    assert {i.caseworker for i in result.items} == {"anna"}
    code = main(["worklist", str(log), "--as-of", str(AS_OF), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    for spelling in ("0101801234", "010180-4321", "1234", "4321"):
        assert spelling not in captured.out
        assert spelling not in captured.err
    pages = html_pages(result)
    assert all("0101801234" not in page and "4321" not in page for page in pages.values())
    assert "0101801234" not in json.dumps(worklist_json(result))


def test_not_covered_stretches_are_items_not_silence(timelines: dict[str, Timeline]) -> None:
    as_of = date(2010, 3, 1)
    result = worklist(timelines.values(), as_of=as_of, horizon=Duration(days=14))
    gaps = [i for i in result.items if i.due_state is Due.NOT_COVERED]
    assert gaps
    for item in gaps:
        assert item.rule_id.startswith("dk.coverage.")


def test_a_sanction_to_deduct_stays_on_the_list_until_its_last_day() -> None:
    from lab_rules import load_timeline

    timeline = load_timeline(ROOT / "examples" / "timelines"
                             / "jobparat-kontanthjaelp-noshow.json")
    sanctions = [s for s in evaluate(timeline, as_of=date(2024, 4, 1)).sanctions
                 if s.sanctionable and s.last_deduction_day is not None]
    assert sanctions
    last = sanctions[0].last_deduction_day
    assert last is not None
    for as_of, listed in ((date(2024, 4, 1), True), (last, True),
                          (last + timedelta(days=1), False)):
        items = person_worklist(timeline, as_of=as_of, horizon=Duration(days=14))
        deductions = [i for i in items if i.rule_id == sanctions[0].rule]
        assert bool(deductions) is listed, as_of
        if listed:
            assert deductions[0].due == last
            assert deductions[0].legal_basis == (
                sanctions[0].legal_basis)


def test_the_json_document_satisfies_the_published_schema(
        timelines: dict[str, Timeline], capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    from lab_rules.faces.worklist_output import worklist_schema

    schema = worklist_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for by in ("caseworker", "team", "person"):
        result = worklist(timelines.values(), as_of=AS_OF, horizon=MONTH)
        jsonschema.validate(worklist_json(result, by), schema)
    assert main(["schema", "--kind", "worklist"]) == 0
    assert json.loads(capsys.readouterr().out) == schema
    broken = worklist_json(worklist(timelines.values(), as_of=AS_OF, horizon=MONTH))
    broken["groups"][0]["items"][0]["state"] = "late"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
