"""Refund law is data: editing a copy of the rule files changes the refund, every result names
its entry, the readings of law § 6 and BEK § 26 are named policies, and the refund code holds
no legal constant."""

from __future__ import annotations

import ast
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import CASES, ROOT
from lab_rules import evaluate
from lab_rules.facts.facts import facts_of
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import load_law
from lab_rules.law.loader import bundled_rules_dir
from lab_rules.law.policies import MonthSplit, Policies, StaircaseRestart
from lab_rules.law.refund import bundled_staircase, load_staircase
from lab_rules.refund.staircase import compute_refund
from rule_files import DROP, law_with, swapped

RULES = bundled_rules_dir()
STAIRCASE = RULES / "parameters" / "refusionstrappe.toml"
SIX_WEEKS = RULES / "overlays" / "parameters" / "refusionstrappe-6-uger.toml"


def _case(name: str) -> dict[str, object]:
    return json.loads((CASES / "refund" / f"{name}.json").read_text(encoding="utf-8"))


def _copy_rules(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    path = target / STAIRCASE.relative_to(RULES)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def test_changing_a_band_in_a_copy_of_the_rules_changes_the_refund(tmp_path: Path) -> None:
    case = _case("T-01")
    timeline = parse_timeline(case["timeline"])
    as_of = date.fromisoformat(str(case["as_of"]))
    law = load_law(_six_week_copy(tmp_path))
    changed = evaluate(timeline, as_of=as_of, law=law).refund
    national = evaluate(timeline, as_of=as_of).refund
    assert changed is not None
    assert national is not None
    week_5 = date(2018, 2, 5)
    assert national.week(week_5).lines[0].rate == Decimal("0.40")  # type: ignore[union-attr]
    assert changed.week(week_5).lines[0].rate == Decimal("0.80")  # type: ignore[union-attr]


def test_a_staircase_without_month_split_texts_gives_a_ledger_without_them(
        tmp_path: Path) -> None:
    """``[[month_split]]`` is optional; a staircase without it used to end the evaluation in
    a ValueError."""
    case = _case("T-01")
    timeline = parse_timeline(case["timeline"])
    as_of = date.fromisoformat(str(case["as_of"]))
    relative = STAIRCASE.relative_to(RULES)
    law = load_law(law_with(tmp_path, relative, swapped(relative, ("month_split",), DROP)))
    assert law.staircase.month_splits == ()
    refund = evaluate(timeline, as_of=as_of, law=law).refund
    national = evaluate(timeline, as_of=as_of).refund
    assert refund is not None
    assert national is not None
    assert refund.total_refund == national.total_refund


def _six_week_copy(tmp_path: Path) -> Path:
    target = _copy_rules(tmp_path, "first_week = 1\nlast_week = 4\n",
                         "first_week = 1\nlast_week = 6\n")
    path = target / STAIRCASE.relative_to(RULES)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "first_week = 5\n", "first_week = 7\n"), encoding="utf-8")
    return target


def test_changing_a_band_rate_in_a_copy_of_the_rules_changes_the_amount(tmp_path: Path) -> None:
    case = _case("T-07")
    law = load_law(_copy_rules(tmp_path, 'refund = "0.80"', 'refund = "0.90"'))
    evaluation = evaluate(parse_timeline(case["timeline"]),
                          as_of=date.fromisoformat(str(case["as_of"])), law=law)
    assert evaluation.refund is not None
    assert evaluation.refund.total_refund == Decimal("2520.00")


def test_the_six_week_staircase_what_if_is_read_by_load_staircase() -> None:
    stairs = load_staircase(SIX_WEEKS)
    assert stairs.confidence.value == "inferred"
    assert (stairs.bands[0].first_week, stairs.bands[0].last_week) == (1, 6)
    case = _case("T-01")
    facts = facts_of(parse_timeline(case["timeline"]), date.fromisoformat(str(case["as_of"])))
    ledger = compute_refund(facts, stairs)
    week_6, week_7 = ledger.week(date(2018, 2, 12)), ledger.week(date(2018, 2, 19))
    assert week_6 is not None
    assert week_7 is not None
    assert (week_6.number, week_6.lines[0].rate) == (6, Decimal("0.80"))
    assert (week_7.number, week_7.lines[0].rate) == (7, Decimal("0.40"))
    assert week_6.lines[0].entry == "whatif.refusion.2016.trin_1_6"
    assert any("What-if, not law" in str(note) for note in ledger.notes)


def test_the_what_if_is_not_national_law() -> None:
    assert load_law(RULES).staircase.id == bundled_staircase().id


def test_every_refund_result_names_its_entry() -> None:
    for name in ("T-07", "T-27", "T-24", "T-29"):
        case = _case(name)
        evaluation = evaluate(parse_timeline(case["timeline"]),
                              as_of=date.fromisoformat(str(case["as_of"])))
        assert evaluation.refund is not None
        entries = ([line.entry for week in evaluation.refund.weeks for line in week.lines]
                   + [p.entry for p in evaluation.refund_periods]
                   + [w.entry for w in evaluation.cofinancing_weeks]
                   + [loss.entry for loss in evaluation.refund_losses])
        assert all(entries), name


def test_the_readings_of_the_restart_and_the_month_split_are_named_policies() -> None:
    defaults = Policies()
    assert defaults.staircase_restart is StaircaseRestart.ON_LAST_WEEK
    assert defaults.month_split is MonthSplit.WEEK_DAYS
    chosen = Policies.parse(["staircase_restart=at_next_benefit_week",
                             "month_split=paid_days"])
    assert chosen.as_dict()["staircase_restart"] == "at_next_benefit_week"
    assert chosen.as_dict()["month_split"] == "paid_days"
    case = _case("T-37")
    evaluation = evaluate(parse_timeline(case["timeline"]),
                          as_of=date.fromisoformat(str(case["as_of"])), policies=chosen)
    assert evaluation.refund is not None
    assert (evaluation.refund.staircase_restart, evaluation.refund.month_split) == (
        "at_next_benefit_week", "paid_days")
    assert dict(evaluation.policies)["month_split"] == "paid_days"


def test_the_days_1_to_3_january_2016_are_on_the_staircase_not_on_the_old_rates() -> None:
    """lov 994/2015 § 29, stk. 3: kontanthjælp for 1-3.1.2016 takes the staircase rate; the
    old rate rows end 31.12.2015 (before, those days were counted twice)."""
    case = _case("T-38")
    evaluation = evaluate(parse_timeline(case["timeline"]),
                          as_of=date.fromisoformat(str(case["as_of"])))
    expect = case["expect"]
    assert isinstance(expect, dict)
    assert [[str(p.start), str(p.end), format(p.rate, "f")]
            for p in evaluation.refund_periods] == expect["periods"]
    assert evaluation.refund is not None
    week = evaluation.refund.week(date(2015, 12, 28))
    assert week is not None
    assert week.lines[0].days == 3


def _legal_constants(path: Path) -> list[str]:
    """Literal dates, Decimal figures, Durations and "§" strings outside docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                "§" in node.value and id(node) not in docstrings):
            found.append(f"{path.name}:{node.lineno}: {node.value!r}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                node.func.id in ("date", "Decimal", "Duration")) and node.args and all(
                isinstance(a, ast.Constant) for a in node.args) and ast.unparse(node) not in (
                "Decimal('0.01')", "Decimal('0.00')", "Decimal(0)", "Decimal(1)"):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "src" / "lab_rules" / "refund").glob("*.py")),
                         ids=lambda p: p.name)
def test_refund_code_holds_no_legal_constant(path: Path) -> None:
    assert _legal_constants(path) == []


def _copy_rules_file(tmp_path: Path, name: str, old: str, new: str) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    path = target / "parameters" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def test_changing_a_cofinancing_share_in_a_copy_of_the_rules_changes_the_amount(
        tmp_path: Path) -> None:
    case = _case("T-25")
    law = load_law(_copy_rules_file(tmp_path, "dagpenge-medfinansiering.toml",
                                    'valid_to = 2014-12-28\npassive = "0.70"\nactive_low = "0.50"',
                                    'valid_to = 2014-12-28\npassive = "0.70"\nactive_low = "0.25"'))
    as_of = date.fromisoformat(str(case["as_of"]))
    weeks = {w.monday: w for w in evaluate(parse_timeline(case["timeline"]), as_of=as_of,
                                           law=law).cofinancing_weeks}
    national = {w.monday: w for w in evaluate(parse_timeline(case["timeline"]),
                                              as_of=as_of).cofinancing_weeks}
    monday = date(2013, 6, 3)
    assert national[monday].municipal == Decimal("2190")
    assert weeks[monday].municipal is not None
    assert weeks[monday].municipal < Decimal("2190")
    assert weeks[monday].entry == "dk.medfinansiering.2013_2014"


def test_the_assumed_dagpenge_hours_are_data_and_named(tmp_path: Path) -> None:
    case = _case("T-26")
    as_of = date.fromisoformat(str(case["as_of"]))
    law = load_law(_copy_rules_file(tmp_path, "dagpenge-medfinansiering.toml",
                                    'weekday_hours = "7.4"', 'weekday_hours = "6"'))
    week = evaluate(parse_timeline(case["timeline"]), as_of=as_of).cofinancing_weeks[-1]
    changed = evaluate(parse_timeline(case["timeline"]), as_of=as_of,
                       law=law).cofinancing_weeks[-1]
    assert week.hours == Decimal("37.0")
    assert changed.hours == Decimal("30")
    assert week.hours_entry == "dk.medfinansiering.timer_pr_hverdag"
