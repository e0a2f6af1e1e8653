"""The refund ledger's text is in one language (issue 16, points 3-4): Danish notes and legal
bases from the rule files' Danish twins, amounts, rates and dates the reader's way, benefit
names instead of codes, and a case before the staircase opens with the law that applied."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import CASES
from lab_rules import evaluate
from lab_rules.evaluation.result import Evaluation
from lab_rules.faces.evaluation_json import refund_to_json
from lab_rules.faces.refund_table import render_refund
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import bundled_law
from lab_rules.law.loader import RuleError
from lab_rules.law.refund import load_staircase
from lab_rules.law.refund_losses import bundled_loss_schedule

STAIRCASE = Path(__file__).parents[1] / "rules" / "parameters" / "refusionstrappe.toml"


def _evaluation(name: str) -> Evaluation:
    case = json.loads((CASES / "refund" / f"{name}.json").read_text(encoding="utf-8"))
    return evaluate(parse_timeline(case["timeline"]), as_of=date.fromisoformat(case["as_of"]),
                    law=bundled_law(), policies=case.get("policies"))


def _text(evaluation: Evaluation, lang: str) -> str:
    assert evaluation.refund is not None
    return render_refund(evaluation.refund, lang, evaluation.refund_losses,
                         evaluation.refund_loss_months, evaluation.policies,
                         evaluation.refund_periods)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_case_before_the_staircase_opens_with_the_rate_periods_law(lang: str) -> None:
    text = _text(_evaluation("T-19"), lang)
    first, second = text.splitlines()[:2]
    assert "BEK 14/2011 §§ 1-3; LAS lbk 190/2012 § 100, stk. 1" in first
    assert "lov nr. 994 af 30.8.2015" not in first
    assert "lov nr. 994 af 30.8.2015" in second
    assert ("04-01-2016" if lang == "da" else "2016-01-04") in second
    assert "---" not in text


def test_the_danish_ledger_writes_amounts_rates_dates_and_benefits_the_danish_way() -> None:
    text = _text(_evaluation("T-19"), "da")
    assert "01-03-2011 til 31-03-2011  kontanthjælp  30 %" in text
    assert "3.000,00 kr." in text
    assert "bortfaldet refusion: 1.354,84 kr." in text
    assert "kontanthjaelp" not in text


def test_the_english_ledger_writes_them_the_english_way() -> None:
    text = _text(_evaluation("T-19"), "en")
    assert "2011-03-01 to 2011-03-31  social assistance  30%" in text
    assert "DKK 3,000.00" in text
    assert "refund lost: DKK 1,354.84" in text


def test_the_staircase_notes_are_danish_in_danish_and_english_in_json() -> None:
    evaluation = _evaluation("T-01")
    danish = _text(evaluation, "da")
    assert "bemærk: Uger med ydelser fra 1. juli 2014 medregnes" in danish
    assert "Weeks with benefits" not in danish
    assert evaluation.refund is not None
    notes = refund_to_json(evaluation.refund)["notes"]
    assert any(n.startswith("Weeks with benefits from 1 July 2014 count") for n in notes)


def test_an_english_legal_basis_has_a_danish_twin_in_the_rule_file() -> None:
    follow_up = next(r for r in bundled_loss_schedule().losses
                     if "wording of lbk 85/2011" in r.legal_basis)
    assert follow_up.basis.describe("da") == (
        "SDP § 62, stk. 7 (lov 563/2006; ordlyd efter lbk 85/2011)")
    assert follow_up.basis.describe("en") == follow_up.legal_basis


def test_a_staircase_note_without_its_danish_twin_is_refused(tmp_path: Path) -> None:
    text = STAIRCASE.read_text(encoding="utf-8")
    start = text.index("note_da = ", text.index("[transition]"))
    end = text.index("\n", start) + 1
    path = tmp_path / "refusionstrappe.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(RuleError, match="note_da"):
        load_staircase(path)


def test_every_note_of_the_rates_and_losses_before_the_staircase_has_a_danish_twin() -> None:
    schedule = bundled_loss_schedule()
    noted = [r for r in (*schedule.rates, *schedule.losses) if r.note]
    assert noted
    assert all(r.said.describe("da") == r.note_da != r.note for r in noted)
    assert all(r.said.describe("en") == r.note for r in noted)
