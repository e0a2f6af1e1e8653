"""Kontanthjælp sanctions (LAS §§ 35-37 a): worked cases from the catalogue, rate tables,
and properties."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CASES
from lab_rules import evaluate
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law import bundled_law
from lab_rules.law.loader import RuleError
from lab_rules.law.sanction_rates import bundled_sanction_rates
from lab_rules.law.sanctions import bundled_sanction_register, load_sanction_register
from lab_rules.sanctions import compute as sanctions_module
from lab_rules.sanctions.shapes import SHAPE_FUNCTIONS

CASE_FILES = sorted((CASES / "sanctions").glob("*.json"))


def test_case_files_exist() -> None:
    assert len(CASE_FILES) >= 22


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_sanction_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"]
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date.fromisoformat(case["as_of"]),
                          policies=case.get("policies"), refund=False)
    sanctions = evaluation.sanctions
    assert len(sanctions) == len(case["expect"]), sanctions
    for sanction, want in zip(sanctions, case["expect"], strict=True):
        assert sanction.failure == want["failure"]
        for key in ("sanctionable", "days", "last_deduction_month"):
            if key in want:
                assert getattr(sanction, key) == want[key], (case["id"], key, sanction)
        for key in ("rate", "amount", "deducted"):
            if key in want:
                assert getattr(sanction, key) == Decimal(want[key]), (case["id"], key)
        if "last_deduction_day" in want:
            assert str(sanction.last_deduction_day) == want["last_deduction_day"]
        if "reason_contains" in want:
            assert any(want["reason_contains"] in str(r) for r in sanction.reasons), (
                sanction.reasons)
        if "note_contains" in want:
            assert any(want["note_contains"] in str(n) for n in sanction.notes), sanction.notes
        if "note_absent" in want:
            assert not any(want["note_absent"] in str(n) for n in sanction.notes), sanction.notes
        if "rule" in want:
            assert sanction.rule == want["rule"]
        for key in ("entry", "rate_basis"):
            if key in want:
                assert getattr(sanction, key) == want[key], (case["id"], key, sanction)
        if "dates" in want:
            assert [d.isoformat() for d in sanction.dates] == want["dates"], (case["id"], sanction)
        for key in ("effective", "lapses"):
            if key in want:
                value = getattr(sanction, key)
                assert (value.isoformat() if value else None) == want[key], (case["id"], key)
        if "hours" in want:
            assert sanction.hours == want["hours"], (case["id"], sanction)
        if "resumes" in want:
            resumes = sanction.resumes.isoformat() if sanction.resumes else None
            assert resumes == want["resumes"], (case["id"], sanction)
        assert dict(sanction.policies)["sanction_days"] in ("calendar", "weekdays")
        assert sanction.rule_era is not None, (case["id"], sanction.rule, sanction.day)
        assert sanction.entry is not None, (case["id"], sanction.rule, sanction.day)


RATE_FILES = sorted((CASES / "rates").glob("*.json"))


@pytest.mark.parametrize("path", RATE_FILES, ids=[p.stem for p in RATE_FILES])
def test_rate_case(path: Path) -> None:
    """Catalogue TC-06 (2014-2019 dagssats) and TC-07 (2021 bands): the rate per day and the
    § 39-40 nedsættelse of 3 × that rate."""
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"]
    table = next(t for t in bundled_sanction_rates() if t.id == case["table"])
    for check in case["checks"]:
        rate = table.rate(Decimal(check["monthly"]))
        assert rate == Decimal(check["rate"]), (case["id"], check)
        assert rate * 3 == Decimal(check["reduction"]), (case["id"], check)


def test_rate_case_files_exist() -> None:
    assert {p.stem for p in RATE_FILES} >= {"TC-06", "TC-07"}


def _case(no_show: date, contact: date | None, monthly: int,
          excuse: str | None) -> dict[str, object]:
    payments: list[dict[str, object]] = []
    first = no_show.replace(day=1)
    for _ in range(3):
        following = (first + timedelta(days=32)).replace(day=1)
        payments.append({"type": "payment", "benefit": "kontanthjaelp",
                         "start": first.isoformat(),
                         "end": (following - timedelta(days=1)).isoformat(),
                         "amount": str(monthly)})
        first = following
    events: list[dict[str, object]] = [
        {"type": "first_contact", "date": "2025-01-06"},
        {"type": "benefit_started", "date": "2025-01-06", "benefit": "kontanthjaelp",
         "group": "jobparat_kontanthjaelp"},
        {"type": "written_guidance", "date": "2025-01-06"},
        *payments,
        {"type": "no_show", "date": no_show.isoformat(), "kind": "jobsamtale",
         **({"excuse": excuse} if excuse else {})},
    ]
    if contact is not None:
        events.append({"type": "contact_restored", "date": contact.isoformat()})
    return {"schema": "lab-rules/timeline/v1", "person": {"id": "prop"}, "events": events}


@settings(max_examples=60, deadline=None)
@given(st.dates(date(2025, 7, 1), date(2025, 12, 20)), st.integers(0, 40), st.integers(1000, 16000),
       st.sampled_from([None, "sygdom"]), st.sampled_from(["calendar", "weekdays"]))
def test_sanction_properties(no_show: date, after: int, monthly: int, excuse: str | None,
                             days_policy: str) -> None:
    """The deduction in each calendar month never exceeds that month's hjælp (LAS § 35,
    stk. 4: days running into the next month are capped against the next month's hjælp); an
    excused failure is never deducted; restoring contact earlier never increases it."""
    as_of = date(2026, 2, 28)
    policies = {"sanction_days": days_policy}

    def deducted(contact: date | None) -> Decimal:
        evaluation = evaluate(parse_timeline(_case(no_show, contact, monthly, excuse)),
                              as_of=as_of, policies=policies, refund=False)
        (sanction,) = evaluation.sanctions
        if excuse:
            assert not sanction.sanctionable
            assert sanction.deducted is None
        for _month, _amount, in_month in sanction.by_month:
            assert in_month is not None
            assert in_month <= Decimal(monthly)
        return sanction.deducted or Decimal(0)

    later = deducted(no_show + timedelta(days=after))
    earlier = deducted(no_show + timedelta(days=after // 2))
    assert later <= 3 * Decimal(monthly)
    assert earlier <= later


@settings(max_examples=40, deadline=None)
@given(st.dates(date(2024, 1, 8), date(2024, 12, 20)), st.integers(0, 30),
       st.sampled_from(["exclusive", "inclusive"]))
def test_dagpenge_no_show_days_grow_with_later_contact(no_show: date, after: int,
                                                       contact_day: str) -> None:
    """RÅD-DP-2023 § 18: the meeting day is always lost, only weekdays are lost, and contacting
    the a-kasse earlier never loses more days."""
    def lost(contact: date) -> tuple[date, ...]:
        timeline = {"schema": "lab-rules/timeline/v1", "person": {"id": "prop"}, "events": [
            {"type": "registered", "date": "2024-01-02"},
            {"type": "benefit_started", "date": "2024-01-02", "benefit": "dagpenge"},
            {"type": "no_show", "date": no_show.isoformat(), "kind": "jobsamtale"},
            {"type": "contact_restored", "date": contact.isoformat()}]}
        evaluation = evaluate(parse_timeline(timeline), as_of=date(2025, 3, 1),
                              policies={"sanction_contact_day": contact_day}, refund=False)
        (sanction,) = evaluation.sanctions
        assert sanction.rule == "R-DP-18"
        assert sanction.dates[0] == no_show
        assert all(d.weekday() < 5 for d in sanction.dates[1:])
        return sanction.dates

    assert len(lost(no_show + timedelta(days=after // 2))) <= len(
        lost(no_show + timedelta(days=after)))


def test_every_catalogue_case_tc01_to_tc32_has_a_data_file() -> None:
    """Issue 5's acceptance: TC-01 to TC-32 of catalogue sanctions.md § 6 live as data files."""
    found = {json.loads(p.read_text(encoding="utf-8"))["id"][:5]
             for p in CASES.glob("*/TC-*.json")}
    assert {f"TC-{n:02d}" for n in range(1, 33)} <= found


def test_register_eras_of_one_rule_never_overlap(tmp_path: Path) -> None:
    """The rule register refuses two eras of one rule covering the same day, with the line."""
    register = tmp_path / "register.toml"
    entry = ('[[rule]]\nid = "R-X"\nera = "{era}"\nvalid_from = {start}\nlegal_basis = "§ 1"\n'
             'confidence = "confirmed"\nsource = "s"\nsummary = "s"\n')
    register.write_text(entry.format(era="a", start="2020-01-01")
                        + entry.format(era="b", start="2021-01-01"), encoding="utf-8")
    with pytest.raises(RuleError, match="era b overlaps era a"):
        load_sanction_register(register)


def test_every_register_shape_is_a_mechanism_of_the_engine() -> None:
    """The register selects the computation: every shape an entry names is implemented, and
    the engine's code names no rule id (they live in the data)."""
    shapes = {entry.shape for entry in bundled_sanction_register()}
    assert shapes <= set(SHAPE_FUNCTIONS) | {"strict_month_share"}
    package = Path(sanctions_module.__file__).parent
    for module in package.glob("*.py"):
        assert not re.findall(r'"(R-(?:LAS|DP|SDP)[A-Za-z0-9-]*)"',
                              module.read_text(encoding="utf-8")), module.name


def test_every_text_of_the_sanction_rule_files_has_a_danish_twin() -> None:
    """One language per output (issue 16): every note, text and summary of the register, every
    reason and procedure text of the conditions and every rate table's note that can reach a
    sanction's notes is given in Danish too."""
    for entry in bundled_sanction_register():
        assert len(entry.notes_da) == len(entry.notes), entry.entry
        assert {name for name, _ in entry.texts_da} == {name for name, _ in entry.texts}, (
            entry.entry)
        assert entry.summary_da != entry.summary, entry.entry
        for step in entry.steps:
            assert len(step.notes_da) == len(step.notes), (entry.entry, step.prior)
    conditions = bundled_law().sanction_conditions
    for condition in conditions.conditions:
        assert condition.text_da, condition.id
    for procedure in conditions.procedures:
        assert procedure.consultation_da, procedure.id
        assert procedure.cap_note_da or not procedure.cap_note, procedure.id
    for table in bundled_sanction_rates():
        assert table.note_da or not table.note, table.id


def test_a_danish_twin_that_names_other_fields_is_a_load_error(tmp_path: Path) -> None:
    register = tmp_path / "register.toml"
    register.write_text(
        '[[rule]]\nid = "R-X"\nera = "a"\nvalid_from = 2020-01-01\nlegal_basis = "§ 1"\n'
        'confidence = "confirmed"\nsource = "s"\nsummary = "s"\n'
        'notes = ["afmeldt from {start}"]\nnotes_da = ["afmeldt fra {day}"]\n', encoding="utf-8")
    with pytest.raises(RuleError, match="notes_da"):
        load_sanction_register(register)


def test_a_strict_sanction_reads_in_the_output_language_without_none() -> None:
    """TC-13: the § 40 a month in Danish money and dates, the failure as words, and no
    deadline month where the decision has none ("senest i None" before)."""
    case = json.loads((CASES / "sanctions" / "TC-13.json").read_text(encoding="utf-8"))
    evaluation = evaluate(parse_timeline(case["timeline"]), as_of=date.fromisoformat(case["as_of"]),
                          refund=False)
    strict = next(s for s in evaluation.sanctions if s.failure == "strict_sanction")
    danish, english = strict.explain("da"), strict.explain("en")
    assert danish.startswith("skærpet rådighedssanktion 01-06-2025 (LAS § 40 a, stk. 5)")
    assert danish.endswith("4.800,00 kr.")
    assert "None" not in danish
    assert "senest" not in danish
    assert english.endswith("DKK 4,800.00.")
    assert "None" not in english
    assert [n.describe("da") for n in strict.notes][1] == "hjælp for 18/30 dage: 7.200,00 kr."
    assert [str(n) for n in strict.notes][1] == "hjælp for 18/30 days: 7200.00 kr."
