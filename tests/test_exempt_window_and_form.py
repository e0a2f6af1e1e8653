"""Exempt time in count-in-window rules and the form of a conversation (issue 16, points 1
and 5): the policies the rule files name, what they do to the acceptance case, and the
located errors a rule file gets for the new keys."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest

from conftest import CASES, ROOT, load_changed
from lab_rules import evaluate
from lab_rules.core.vocabulary import ExemptionReason
from lab_rules.facts.exemptions import lawful_exemptions
from lab_rules.inputs.events import Exemption
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law import RuleError, RulePack, bundled_law, bundled_pack
from lab_rules.law.exemptions import ExemptionRule, load_exemption_rules
from lab_rules.law.model import ExemptWindow, Rule

FOUR = "dk.lab.2024.kontanthjaelp.four_in_six_months"
MODULE = ROOT / "rules" / "dk" / "lab" / "2024" / "kontant_uddannelseshjaelp.toml"


def _evaluate(case_name: str, pack: RulePack | None = None) -> dict[tuple[str, int], object]:
    case = json.loads((CASES / "contact_course" / f"{case_name}.json").read_text("utf-8"))
    law = bundled_law() if pack is None else bundled_law().with_rules(pack)
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date.fromisoformat(
        case["as_of"]), law=law)
    return {(o.rule.id, o.sequence): o for o in evaluation.obligations}


def _with(rule_id: str, **changes: object) -> RulePack:
    pack = bundled_pack()
    modules = [attrs.evolve(m, rules=tuple(attrs.evolve(r, **changes) if r.id == rule_id else r
                                           for r in m.rules)) for m in pack.modules]
    return RulePack.of("changed", modules)


def test_extended_obligations_record_the_exempt_window_policy() -> None:
    found = _evaluate("B-1-barsel-extends-four-in-six")
    policies = dict(found[(FOUR, 2)].policies)  # type: ignore[attr-defined]
    assert policies["exempt_window"] == "extend"


def test_obligations_no_exemption_touched_record_no_exempt_window_policy() -> None:
    found = _evaluate("F-5-first-jobsamtale-in-person")
    assert "exempt_window" not in dict(found[(FOUR, 4)].policies)  # type: ignore[attr-defined]


def test_pro_rate_keeps_the_share_of_active_days_and_waives_the_rest() -> None:
    # 182 window days, 122 of them barsel: ⌈4 × 60 / 182⌉ = 2 stay due by 2024-08-25.
    found = _evaluate("B-1-barsel-extends-four-in-six",
                      _with(FOUR, exempt_window=ExemptWindow.PRO_RATE))
    statuses = [found[(FOUR, k)].status.value for k in (1, 2, 3, 4)]  # type: ignore[attr-defined]
    assert statuses == ["met", "overdue", "waived", "waived"]
    second = found[(FOUR, 2)]
    assert str(second.due) == "2024-08-25"  # type: ignore[attr-defined]
    assert second.days_overdue == 28  # type: ignore[attr-defined]
    assert dict(second.policies)["exempt_window"] == "pro_rate"  # type: ignore[attr-defined]


def test_without_first_forms_a_phone_conversation_counts_toward_the_four() -> None:
    found = _evaluate("F-5-first-jobsamtale-in-person",
                      _with(FOUR, fulfilled_by=attrs.evolve(
                          next(r for r in bundled_pack().rules if r.id == FOUR).fulfilled_by,
                          first_forms=frozenset())))
    assert str(found[(FOUR, 1)].fulfilled_on) == "2024-03-08"  # type: ignore[attr-defined]


def _load_changed(tmp_path: Path, old: str, new: str) -> RuleError:
    return load_changed(MODULE, tmp_path, old, new)


def test_exempt_window_on_a_rule_without_a_window_is_located(tmp_path: Path) -> None:
    error = _load_changed(tmp_path, 'duration = "P1W"\n',
                          'duration = "P1W"\nexempt_window = "extend"\n'
                          'exempt_window_basis = "x"\n')
    problem = next(p for p in error.problems if p.path == "rule[0].exempt_window")
    assert "count_in_window" in problem.message
    assert problem.line is not None


def test_exempt_window_needs_its_basis(tmp_path: Path) -> None:
    error = _load_changed(tmp_path, "exempt_window_basis = ", "note_removed = ")
    messages = [p.message for p in error.problems]
    assert any('missing "exempt_window_basis"' in m for m in messages)


def test_unknown_exempt_window_value_is_located(tmp_path: Path) -> None:
    error = _load_changed(tmp_path, 'exempt_window = "extend"', 'exempt_window = "halve"')
    assert any(p.path == "rule[1].exempt_window" for p in error.problems)


def test_exempt_window_without_an_extending_exemption_has_no_effect(tmp_path: Path) -> None:
    error = _load_changed(
        tmp_path,
        'exemptions = { mindre_intensiv_indsats = "extend", barsel = "extend", '
        'standby = "waive" }',
        'exemptions = { mindre_intensiv_indsats = "waive" }')
    assert any("has no effect" in p.message for p in error.problems)


def test_first_forms_on_a_first_within_rule_is_located(tmp_path: Path) -> None:
    error = _load_changed(tmp_path, 'forms = ["personligt"], form_exceptions',
                          'first_forms = ["personligt"], form_exceptions')
    problem = next(p for p in error.problems if p.path == "rule[0].fulfilled_by.first_forms")
    assert 'write its form in "forms"' in problem.message


def test_a_required_form_needs_its_legal_basis(tmp_path: Path) -> None:
    error = _load_changed(
        tmp_path, 'form_basis = "LAB lbk 280/2024 § 33, stk. 1, 1. pkt., og stk. 2, 3. pkt."\n', "")
    assert any(p.path == "rule[0]" and 'missing "form_basis"' in p.message
               for p in error.problems)


def _rules() -> tuple[ExemptionRule, ...]:
    return load_exemption_rules(ROOT / "rules" / "parameters" / "fritagelser.toml")


@pytest.mark.parametrize(("start", "kept"), [
    (date(2010, 3, 1), False),   # BEK 743/2009 § 28, stk. 2, nr. 6: within 4 weeks
    (date(2013, 3, 1), True),    # LAB lbk 706/2012 § 21 f: within 6 weeks
])
def test_documented_start_five_weeks_later_exempts_only_under_the_six_week_rule(
        start: date, kept: bool) -> None:
    exemption = Exemption(start, ExemptionReason.MINDRE_INTENSIV_INDSATS,
                          documented_start=date.fromordinal(start.toordinal() + 35))
    lawful, notes = lawful_exemptions([exemption], _rules())
    assert bool(lawful) is kept
    assert bool(notes) is not kept


def test_count_in_window_rules_of_2020_and_2024_extend_for_barsel_and_name_the_policy() -> None:
    rules: list[Rule] = [r for r in bundled_pack().rules
                         if r.id.startswith(("dk.lab.2020.kontant", "dk.lab.2020.ledig",
                                             "dk.lab.2024.kontant", "dk.lab.2024.ledig"))
                         and r.id.endswith("four_in_six_months")]
    assert len(rules) == 4
    for rule in rules:
        assert rule.exempt_window is ExemptWindow.EXTEND, rule.id
        assert rule.exempt_window_basis, rule.id
        assert rule.effect_of(ExemptionReason.BARSEL).value == "extend", rule.id
        assert rule.effect_of(ExemptionReason.STANDBY).value == "waive", rule.id


def test_exempt_days_the_extension_adds_extend_the_window_again() -> None:
    # Barsel 2024-03-01 to 2024-10-31 covers the unmoved end (2024-08-25): the window needs
    # 182 days without barsel, 4 before it and 178 from 2024-11-01, so it ends 2025-04-27.
    case = json.loads((CASES / "contact_course" / "B-1-barsel-extends-four-in-six.json")
                      .read_text("utf-8"))
    for event in case["timeline"]["events"]:
        if event["type"] == "exemption":
            event["end"] = "2024-10-31"
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date(2024, 12, 1))
    four = [o for o in evaluation.obligations if o.rule.id == FOUR]
    assert {str(o.due) for o in four} == {"2025-04-27"}
    assert {o.status.value for o in four} == {"met", "open"}
