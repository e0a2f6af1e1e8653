"""Sanction law is data: editing a rate or an era boundary in a copy of ``rules/`` changes the
result, the register refuses malformed entries, and the rate of hjælp is selected by the
person's facts or reported as a gap."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import CASES
from lab_rules import evaluate
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import Law, bundled_law, load_law
from lab_rules.law.hjaelp_rates import PersonFacts, rate_for
from lab_rules.law.loader import RuleError, bundled_rules_dir
from lab_rules.law.sanctions import SHAPES, load_sanction_register
from lab_rules.sanctions.result import Sanction
from lab_rules.sanctions.shapes import SHAPE_FUNCTIONS

REGISTER = Path("parameters") / "sanktionsregler.toml"
RATES = Path("parameters") / "sanktionssatser.toml"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _only(case: str, law: Law | None = None) -> Sanction:
    data = json.loads((CASES / "sanctions" / f"{case}.json").read_text(encoding="utf-8"))
    evaluation = evaluate(parse_timeline(data["timeline"]),
                          as_of=date.fromisoformat(data["as_of"]), refund=False,
                          policies=data.get("policies"), law=law)
    (sanction,) = evaluation.sanctions
    return sanction


def test_changing_a_sanction_rate_in_a_copy_changes_the_amount(tmp_path: Path) -> None:
    """TC-01 (12.000 kr. a month, band 3 of the 2024-level table): 600 kr.; with band 3 set
    to 650 kr. in a copy of the rate table, 650 kr."""
    rules = _copy(tmp_path)
    _edit(rules / RATES, '{ below = "13723", rate = "600" }', '{ below = "13723", rate = "650" }')
    assert _only("TC-01").deducted == Decimal(600)
    assert _only("TC-01", law=load_law(rules)).deducted == Decimal(650)


def test_changing_an_era_boundary_changes_which_entry_applies(tmp_path: Path) -> None:
    """TC-11 (no-show 4.3.2013) is the 2009-2013 calendar-day share; moving the start of the
    2014 era of R-LAS-37 back to 1.3.2013 makes the 2014 entry (dagssats per day) apply."""
    rules = _copy(tmp_path)
    register = rules / REGISTER
    text = register.read_text(encoding="utf-8")
    text = text.replace('era = "2009"\nfamily = "kontanthjaelp"\nfailures = ["no_show"]\n'
                        'valid_from = 2009-10-01\nvalid_to = 2013-12-31',
                        'era = "2009"\nfamily = "kontanthjaelp"\nfailures = ["no_show"]\n'
                        'valid_from = 2009-10-01\nvalid_to = 2013-02-28', 1)
    text = text.replace('era = "2014"\nfamily = "kontanthjaelp"\nfailures = ["no_show"]\n'
                        'valid_from = 2014-01-01',
                        'era = "2014"\nfamily = "kontanthjaelp"\nfailures = ["no_show"]\n'
                        'valid_from = 2013-03-01', 1)
    register.write_text(text, encoding="utf-8")
    before = _only("TC-11-exclusive")
    after = _only("TC-11-exclusive", law=load_law(rules))
    assert before.entry == "R-LAS-37/2009"
    assert after.entry == "R-LAS-37/2014"
    assert after.amount != before.amount


def test_every_bundled_entry_cites_its_law_and_names_a_known_shape() -> None:
    register = bundled_law().sanction_rules
    assert len({e.entry for e in register}) == len(register)
    for entry in register:
        assert entry.legal_basis, entry.entry
        assert entry.source, entry.entry
        assert entry.family, entry.entry
        assert entry.shape in SHAPES, entry.entry
    assert set(SHAPES) - {"strict_month_share"} == set(SHAPE_FUNCTIONS)


@pytest.mark.parametrize(("body", "message"), [
    ('shape = "fancy"\n', "'fancy' is not one of"),
    ('shape = "ladder"\n', "a ladder needs"),
    ('shape = "sdp_resumption"\n', "needs within"),
    ('shape = "punctual"\nfailures = ["no_such_failure"]\n', "'no_such_failure' is not one of"),
])
def test_the_register_refuses_a_malformed_entry(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "register.toml"
    path.write_text('kind = "sanction_rules"\n[[rule]]\nid = "R-X"\nera = "a"\n'
                    'family = "kontanthjaelp"\nvalid_from = 2020-01-01\nlegal_basis = "LAS § 1"\n'
                    'confidence = "confirmed"\nsource = "s"\nsummary = "s"\n' + body,
                    encoding="utf-8")
    with pytest.raises(RuleError, match=message):
        load_sanction_register(path)


def test_a_rate_of_hjaelp_needs_every_fact_it_states() -> None:
    """The 2023 rate for a person of 30 or more without children fits only when age and
    custody are known; an unknown fact is a gap (None), never a guess."""
    rates = bundled_law().hjaelp_rates
    day = date(2023, 3, 6)
    found = rate_for(rates, day, PersonFacts("kontanthjaelp", 42, False))
    assert found is not None
    assert found.monthly == Decimal(11944)
    assert rate_for(rates, day, PersonFacts("kontanthjaelp", 42, None)) is None
    assert rate_for(rates, day, PersonFacts("kontanthjaelp", None, False)) is None
    assert rate_for(rates, day, PersonFacts("kontanthjaelp", 29, False)) is None
    assert rate_for(rates, date(2022, 3, 7), PersonFacts("kontanthjaelp", 42, False)) is None


def test_every_sanction_says_which_sanction_policies_applied() -> None:
    sanction = _only("TC-09-from-failure-day")
    policies = dict(sanction.policies)
    assert policies["sanction_deadline"] == "from_failure_day"
    assert policies["sanction_cap"] == "rate"
