"""The longest length of an offer: the counting policy, extensions, which end and extension
belong to which offer, and the "when must this offer end" answer in Python and the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lab_rules import Status, evaluate, offer_end
from lab_rules.core.errors import TimelineError
from lab_rules.evaluation.worklist import describe_fulfilment
from lab_rules.faces.cli import main
from lab_rules.faces.offer_end_output import OFFER_END_SCHEMA
from lab_rules.facts.offers import offer_runs
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_json import dumps_timeline, parse_timeline
from lab_rules.law.model import FulfilledBy, Fulfilment, Shape

DAGPENGE = [{"type": "registered", "date": "2023-09-04"},
            {"type": "benefit_started", "date": "2023-09-04", "benefit": "dagpenge",
             "group": "dagpenge"}]
AKTIVITETSPARAT = [{"type": "first_contact", "date": "2020-03-02"},
                   {"type": "benefit_started", "date": "2020-03-02", "benefit": "kontanthjaelp",
                    "group": "aktivitetsparat_kontanthjaelp"}]


def _timeline(events: list[dict[str, Any]], **person: object) -> Timeline:
    return parse_timeline({"schema": "lab-rules/timeline/v2",
                           "person": {"id": "p", "birth_date": "1980-05-05", **person},
                           "events": events})


def _offer(day: str, kind: str = "virksomhedspraktik", **fields: str) -> dict[str, Any]:
    return {"type": "offer_started", "date": day, "offer": kind, **fields}


def _limits(timeline: Timeline, as_of: date, **policies: str) -> list[Any]:
    evaluation = evaluate(timeline, as_of=as_of, policies=policies or None, refund=False,
                          sanctions=False)
    return [o for o in evaluation.obligations if o.rule.shape is Shape.OFFER_LIMIT]


@pytest.mark.parametrize(("start", "inclusive", "weeks"), [
    ("2024-03-04", "2024-03-31", "2024-03-31"),
    ("2024-03-06", "2024-04-02", "2024-03-31"),
    ("2024-03-10", "2024-04-06", "2024-03-31"),
])
def test_four_weeks_count_the_first_day_or_end_with_the_fourth_calendar_week(
        start: str, inclusive: str, weeks: str) -> None:
    timeline = _timeline([*DAGPENGE, _offer(start)])
    assert [str(o.due) for o in _limits(timeline, date(2024, 6, 1))] == [inclusive]
    chosen = _limits(timeline, date(2024, 6, 1), offer_duration="calendar_weeks")
    assert [str(o.due) for o in chosen] == [weeks]


def test_months_are_counted_day_to_day_under_either_reading() -> None:
    timeline = _timeline([*DAGPENGE, _offer("2024-10-31", "loentilskud",
                                              employer_sector="privat")])
    for policy in ("calendar_inclusive", "calendar_weeks"):
        found = _limits(timeline, date(2025, 1, 1), offer_duration=policy)
        assert [str(o.due) for o in found] == ["2025-04-30"]


def test_the_reading_is_named_in_every_offer_obligation_and_in_the_evaluation_when_chosen(
) -> None:
    timeline = _timeline([*DAGPENGE, _offer("2024-03-04")])
    default = evaluate(timeline, as_of=date(2024, 6, 1))
    (limit,) = [o for o in default.obligations if o.rule.shape is Shape.OFFER_LIMIT]
    assert dict(limit.policies)["offer_duration"] == "calendar_inclusive"
    assert "offer_duration" not in dict(default.policies)
    chosen = evaluate(timeline, as_of=date(2024, 6, 1),
                      policies={"offer_duration": "calendar_weeks"})
    assert dict(chosen.policies)["offer_duration"] == "calendar_weeks"


def _extended(day: str, basis: str | None = None, until: str | None = None,
              ref: str | None = "vp1") -> dict[str, Any]:
    found: dict[str, Any] = {"type": "offer_extended", "date": day, "offer": "virksomhedspraktik"}
    found.update({k: v for k, v in (("basis", basis), ("until", until), ("ref", ref)) if v})
    return found


def test_a_very_special_need_extends_by_13_weeks_at_a_time() -> None:
    events = [*AKTIVITETSPARAT, _offer("2020-09-07", ref="vp1"),
              _extended("2020-11-30", "konkret_vurdering"),
              _extended("2021-03-01", "helt_saerligt_behov"),
              _extended("2021-06-01", "helt_saerligt_behov")]
    (limit,) = _limits(_timeline(events), date(2021, 7, 1))
    assert str(limit.due) == "2021-09-05"
    assert [str(s.day) for s in limit.trace if s.step == "extended"] == [
        "2021-03-07", "2021-06-06", "2021-09-05"]
    assert limit.status is Status.OPEN


def test_an_extension_without_a_recorded_basis_is_read_as_the_one_the_step_needs() -> None:
    events = [*AKTIVITETSPARAT, _offer("2020-09-07", ref="vp1"), _extended("2020-11-30")]
    (limit,) = _limits(_timeline(events), date(2021, 1, 1))
    assert str(limit.due) == "2021-03-07"
    assert any("the basis was not recorded and is read as konkret_vurdering" in s.text
               for s in limit.trace)


def test_an_extension_without_a_bound_in_law_needs_its_agreed_end() -> None:
    events = [{"type": "first_contact", "date": "2016-08-01"},
              {"type": "benefit_started", "date": "2016-08-01", "benefit": "kontanthjaelp",
               "group": "aktivitetsparat_kontanthjaelp"},
              _offer("2017-02-06", ref="vp1"), _extended("2017-04-28", "konkret_vurdering"),
              _extended("2017-08-01", "saerligt_behov")]
    (limit,) = _limits(_timeline(events), date(2017, 9, 1))
    assert str(limit.due) == "2017-08-06"
    assert any(s.step == "extension_not_applied" and "names no new last day" in s.text
               for s in limit.trace)


def test_an_extension_without_a_ref_belongs_to_the_running_offer_of_its_kind() -> None:
    events = [*AKTIVITETSPARAT, _offer("2020-06-01"),
              {"type": "offer_ended", "date": "2020-08-30", "offer": "virksomhedspraktik"},
              _offer("2020-09-07"), _extended("2020-11-30", "konkret_vurdering", ref=None)]
    limits = _limits(_timeline(events), date(2021, 1, 1))
    assert [(str(o.opens), str(o.due)) for o in limits] == [
        ("2020-06-01", "2020-08-30"), ("2020-09-07", "2021-03-07")]


def test_ends_are_matched_by_ref_else_in_the_order_the_offers_started() -> None:
    timeline = _timeline([
        *DAGPENGE, _offer("2024-03-04", ref="a"), _offer("2024-03-05"),
        {"type": "offer_ended", "date": "2024-03-20", "offer": "virksomhedspraktik"},
        {"type": "offer_ended", "date": "2024-03-25", "offer": "virksomhedspraktik", "ref": "a"},
        _offer("2024-04-01", "loentilskud"),
        {"type": "offer_ended", "date": "2024-04-10", "offer": "virksomhedspraktik"}])
    runs = offer_runs(timeline)
    assert [(str(r.start), str(r.end)) for r in runs] == [
        ("2024-03-04", "2024-03-25"), ("2024-03-05", "2024-03-20"), ("2024-04-01", "None")]


def test_an_extension_until_before_its_decision_is_a_located_problem() -> None:
    with pytest.raises(TimelineError) as raised:
        _timeline([*DAGPENGE, _offer("2024-03-04", ref="vp1"),
                   _extended("2024-03-20", "konkret_vurdering", until="2024-03-10")])
    assert [p.path for p in raised.value.problems] == ["/events/3/until"]


def test_an_extension_and_the_employer_sector_survive_a_round_trip() -> None:
    timeline = _timeline([*DAGPENGE, _offer("2024-03-04", "loentilskud", ref="lt1",
                                            employer_sector="offentlig"),
                          {**_extended("2024-05-01", "konkret_vurdering", "2024-08-01",
                                       "lt1"), "offer": "loentilskud"}], hard_to_place=True)
    again = parse_timeline(json.loads(dumps_timeline(timeline)))
    assert again == timeline


def test_offer_end_names_the_last_day_the_rule_and_the_steps_left() -> None:
    timeline = _timeline([*AKTIVITETSPARAT, _offer("2020-09-07", ref="vp1"),
                          _extended("2020-11-30", "konkret_vurdering"),
                          _offer("2020-10-05", "uddannelse")])
    result = offer_end(timeline, as_of=date(2021, 1, 1))
    praktik, education = result.offers
    assert praktik.last_day == date(2021, 3, 7)
    assert praktik.obligation is not None
    assert praktik.obligation.rule.id == "dk.lab.2020.tilbud.virksomhedspraktik_13_uger"
    assert [e.basis.value for e in praktik.may_extend] == ["helt_saerligt_behov"]
    assert len(praktik.extensions_applied) == 1
    assert education.last_day is None
    assert education.obligation is None


def test_offer_end_says_which_fact_it_lacks() -> None:
    timeline = _timeline([*DAGPENGE, _offer("2024-10-31", "loentilskud")])
    (item,) = offer_end(timeline, as_of=date(2025, 1, 1)).offers
    assert item.last_day == date(2025, 2, 28)
    assert item.obligation is not None
    assert any("employer_sector" in s.text for s in item.obligation.trace if s.step == "assumed")


def _write(tmp_path: Path, events: list[dict[str, Any]]) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"schema": "lab-rules/timeline/v2",
                                "person": {"id": "p", "birth_date": "1980-05-05"},
                                "events": events}), encoding="utf-8")
    return str(path)


def test_the_cli_answers_in_text_and_json(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    file = _write(tmp_path, [*DAGPENGE, _offer("2024-03-04", ref="vp1")])
    assert main(["offer-end", file, "--as-of", "2024-06-01", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    (row,) = [line for line in text.splitlines() if line.startswith("virksomhedspraktik")]
    assert row.split()[:6] == ["virksomhedspraktik", "(vp1)", "2024-03-04", "2024-03-31",
                               "overdue", "62"]
    assert "LAB lbk 280/2024 § 61, stk. 1, nr. 1" in text
    assert main(["offer-end", file, "--as-of", "2024-03-20", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == OFFER_END_SCHEMA
    (offer,) = document["offers"]
    assert (offer["last_day"], offer["status"], offer["rule_id"]) == (
        "2024-03-31", "open", "dk.lab.2024.tilbud.virksomhedspraktik_4_uger")
    assert offer["legal_basis"]["source"] == "https://www.retsinformation.dk/eli/lta/2024/280"


def test_the_cli_reports_an_invalid_timeline_and_a_bad_date(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = _write(tmp_path, [*DAGPENGE, {"type": "offer_started", "date": "2024-02-30",
                                         "offer": "virksomhedspraktik"}])
    assert main(["offer-end", file, "--as-of", "2024-06-01"]) == 1
    assert "/events/2/date" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["offer-end", file, "--as-of", "2024-13-01"])
    assert stopped.value.code == 2


def test_a_worklist_item_says_the_offer_must_have_ended() -> None:
    spec = Fulfilment(FulfilledBy.OFFER_ENDED)
    assert describe_fulfilment(spec, "en") == "the offer ended by the day"
    assert describe_fulfilment(spec, "da") == "tilbuddet afsluttet senest på dagen"
