"""Era A/B refund losses: catalogue cases T-18 to T-21 and the Rødovre example."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CASES, ROOT
from lab_rules import Status, evaluate
from lab_rules.inputs.timeline_json import load_timeline, parse_timeline
from lab_rules.law.model import Shape

LOSS_FILES = sorted(p for p in (CASES / "refund").glob("T-*.json")
                    if p.stem[:4] in ("T-18", "T-19", "T-20", "T-21", "T-28", "T-29", "T-30",
                                      "T-31", "T-32"))
PERIOD_FILES = sorted(p for p in (CASES / "refund").glob("T-*.json")
                      if p.stem[:4] in ("T-22", "T-23", "T-27", "T-38"))


def test_era_a_b_cases_are_present() -> None:
    assert {p.stem[:4] for p in LOSS_FILES} == {"T-18", "T-19", "T-20", "T-21", "T-28", "T-29",
                                                "T-30", "T-31", "T-32"}
    assert PERIOD_FILES


@pytest.mark.parametrize("path", PERIOD_FILES, ids=[p.stem for p in PERIOD_FILES])
def test_refund_rate_periods_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date.fromisoformat(case["as_of"]))
    got = [[str(p.start), str(p.end), format(p.rate, "f")] for p in evaluation.refund_periods]
    assert got == case["expect"]["periods"]


@pytest.mark.parametrize("path", LOSS_FILES, ids=[p.stem for p in LOSS_FILES])
def test_refund_loss_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date.fromisoformat(case["as_of"]),
                          policies=case.get("policies"))
    losses = evaluation.refund_losses
    expected = case["expect"]["losses"]
    assert len(losses) == len(expected), [(x.loss_rule.id, x.start, x.end) for x in losses]
    for loss, want in zip(losses, expected, strict=True):
        assert loss.loss_rule.id == want["loss_rule"]
        for key in ("due", "start", "end"):
            if key in want:
                assert str(getattr(loss, key)) == want[key], (case["id"], key)
        assert loss.days == want["days"]
        if "amount" in want:
            assert loss.amount is not None
            assert loss.amount.quantize(Decimal("0.01")) == Decimal(want["amount"])
    late = case["expect"].get("obligation_late")
    if late:
        assert evaluation.by_rule(late)[0].status is Status.MET_LATE


ROEDOVRE = ROOT / "examples" / "roedovre" / "roedovre-2008.json"


@pytest.mark.parametrize(
    ("policy", "lost", "days"),
    [("late_until_held", "2547.85", 22), ("timely_summons_counts", "0", 0),
     ("restart_from_contact", "681.19", 6)],
)
def test_roedovre_example_gives_three_figures_for_three_policies(
    policy: str, lost: str, days: int
) -> None:
    evaluation = evaluate(load_timeline(ROEDOVRE), as_of=date(2008, 9, 30),
                          policies={"no_show": policy})
    total = sum((m.refund for m in evaluation.refund_loss_months), Decimal(0))
    assert total == Decimal(lost)
    assert sum(loss.days for loss in evaluation.refund_losses) == days
    assert dict(evaluation.policies)["no_show"] == policy


def test_a_loss_never_covers_the_day_the_obligation_was_met() -> None:
    for policy in ("late_until_held", "restart_from_contact"):
        evaluation = evaluate(load_timeline(ROEDOVRE), as_of=date(2008, 9, 30),
                              policies={"no_show": policy})
        for loss in evaluation.refund_losses:
            assert loss.fulfilled_on is None or loss.end < loss.fulfilled_on


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40),
       st.sampled_from(["late_until_held", "restart_from_contact", "timely_summons_counts"]))
def test_meeting_earlier_never_increases_the_loss_nor_loses_the_meeting_day(
    earlier: int, later: int, policy: str
) -> None:
    document = json.loads(ROEDOVRE.read_text(encoding="utf-8"))

    def lost(held: date) -> Decimal:
        events = [dict(e) for e in document["events"]]
        for event in events:
            if event["type"] == "conversation_held" and event["date"] == "2008-05-06":
                event["date"] = held.isoformat()
        timeline = parse_timeline({**document, "events": events})
        evaluation = evaluate(timeline, as_of=date(2008, 9, 30), policies={"no_show": policy})
        for loss in evaluation.refund_losses:
            assert loss.fulfilled_on is None or loss.end < loss.fulfilled_on
        assert all(m.refund >= 0 for m in evaluation.refund_loss_months)
        return sum((m.refund for m in evaluation.refund_loss_months), Decimal(0))

    first, second = sorted((date(2008, 4, 14) + timedelta(days=earlier),
                            date(2008, 4, 14) + timedelta(days=later)))
    assert lost(first) <= lost(second)


COFINANCING_FILES = sorted(p for p in (CASES / "refund").glob("T-2[456].json"))


@pytest.mark.parametrize("path", COFINANCING_FILES, ids=[p.stem for p in COFINANCING_FILES])
def test_dagpenge_cofinancing_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date.fromisoformat(case["as_of"]))
    weeks = {w.monday.isoformat(): w for w in evaluation.cofinancing_weeks}
    for want in case["expect"]["cofinancing"]:
        week = weeks[want["monday"]]
        for key in ("hours", "active_low", "passive"):
            if key in want:
                assert getattr(week, key) == Decimal(want[key]), (case["id"], key)
        if "municipal" in want:
            assert week.municipal == Decimal(want["municipal"])
        if "karens" in want:
            assert week.karens is want["karens"]


def test_cofinancing_cases_are_present() -> None:
    assert [p.stem for p in COFINANCING_FILES] == ["T-24", "T-25", "T-26"]


def test_fleksjob_visited_before_july_2014_stays_on_the_old_rules() -> None:
    case = json.loads((CASES / "refund" / "T-17.json").read_text(encoding="utf-8"))
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date.fromisoformat(case["as_of"]))
    assert evaluation.refund is not None
    assert not evaluation.refund.weeks
    periods = [[str(p.start), str(p.end), format(p.rate, "f")] for p in evaluation.refund_periods
               if p.start.year >= 2016]
    assert periods == case["expect"]["periods_after_2016"]
    l6 = [x for x in evaluation.refund_losses if x.loss_rule.id == "dk.refusion.l6_18_i_24"]
    assert [str(x.start) for x in l6] == [case["expect"]["l6_from"]]
    assert l6[0].end == date.fromisoformat(case["as_of"])


def test_an_open_loss_ends_with_the_last_paid_day() -> None:
    """The Rødovre case at 1.1.2009: the jobsamtale due 14.10.2008 is overdue, but the last
    kontanthjælp was paid for July 2008, so there is no refund left to lose and no loss is
    listed for it (before: 14.10.2008 - 1.1.2009, 80 days, 0 kr.)."""
    timeline = load_timeline(ROOT / "examples" / "roedovre" / "roedovre-2008.json")
    evaluation = evaluate(timeline, as_of=date(2009, 1, 1))
    overdue = [o for o in evaluation.obligations if o.status is Status.OVERDUE
               and o.rule.shape is not Shape.OFFER_LIMIT]
    assert [o.due for o in overdue] == [date(2008, 10, 14)]
    assert [(loss.rule_id, loss.end) for loss in evaluation.refund_losses] == [
        ("dk.lab.2008.kontanthjaelp.first_jobsamtale", date(2008, 5, 5))]
