"""Offer rules in rule files: a bad offer rule gets located errors, as every rule does."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_rules.law import RuleError, Shape, bundled_pack, load_module
from lab_rules.law.model import Anchor, IntervalFrom

HEAD = '''kind = "contact_course"

[module]
id = "dk.test.tilbud"
title_da = "Test"
title_en = "Test"
era = "E4"
act = "LAB lbk 280/2024"
source = "https://www.retsinformation.dk/eli/lta/2024/280"
valid_from = 2024-01-01
roll_basis = "calendar date"

[module.defaults]
anchor = "offer_started"
reading = "within"
rounding = "up"
'''

GOOD = '''
[[rule]]
id = "dk.test.tilbud.praktik"
title_da = "Praktik"
title_en = "Internship"
legal_basis = "LAB lbk 280/2024 § 61, stk. 1, nr. 2"
law_text = "13 uger"
groups = ["aktivitetsparat_kontanthjaelp"]
shape = "offer_limit"
offers = ["virksomhedspraktik"]
duration = "P13W"
'''


def _problems(tmp_path: Path, rules: str) -> list[str]:
    path = tmp_path / "tilbud.toml"
    path.write_text(HEAD + rules, encoding="utf-8")
    with pytest.raises(RuleError) as raised:
        load_module(path)
    return [str(problem) for problem in raised.value.problems]


def _one(tmp_path: Path, rules: str) -> str:
    found = _problems(tmp_path, rules)
    assert len(found) == 1, found
    return found[0]


def test_a_good_offer_rule_loads_with_its_extensions(tmp_path: Path) -> None:
    path = tmp_path / "tilbud.toml"
    path.write_text(HEAD + GOOD + 'extensions = [{ basis = "konkret_vurdering", to = "P26W", '
                    'legal_basis = "LAB lbk 280/2024 § 61, stk. 2, 1. pkt." }, '
                    '{ basis = "helt_saerligt_behov", step = "P13W", '
                    'legal_basis = "LAB lbk 280/2024 § 61, stk. 2, 2. pkt." }]\n',
                    encoding="utf-8")
    rule = load_module(path).rules[0]
    assert rule.shape is Shape.OFFER_LIMIT
    assert rule.anchor is Anchor.OFFER_STARTED
    assert [str(e.to or e.step) for e in rule.extensions] == ["P26W", "P13W"]
    assert [e.repeatable for e in rule.extensions] == [False, True]


def test_an_offer_limit_without_offers_is_located(tmp_path: Path) -> None:
    found = _one(tmp_path, GOOD.replace('offers = ["virksomhedspraktik"]\n', ""))
    line = (HEAD + GOOD).splitlines().index("[[rule]]") + 1
    assert f"tilbud.toml:{line}: rule[0]:" in found
    assert 'shape "offer_limit" needs "offers"' in found


def test_an_offer_limit_counts_its_first_day(tmp_path: Path) -> None:
    found = _one(tmp_path, GOOD + 'reading = "after"\n')
    assert "rule[0].reading" in found
    assert 'reading "within", not "after"' in found
    assert "offer_duration" in found


def test_an_offer_limit_is_anchored_on_each_offer(tmp_path: Path) -> None:
    found = _one(tmp_path, GOOD + 'anchor = "first_contact"\n')
    assert 'anchored on each "offer_started", not "first_contact"' in found


def test_an_extension_gives_exactly_one_reach(tmp_path: Path) -> None:
    found = _one(tmp_path, GOOD + 'extensions = [{ basis = "konkret_vurdering", to = "P26W", '
                 'step = "P13W", legal_basis = "LAB lbk 280/2024 § 61, stk. 2" }]\n')
    assert "rule[0].extensions[0]" in found
    assert 'exactly one of "to"' in found


def test_an_extension_to_less_than_the_limit_is_an_error(tmp_path: Path) -> None:
    found = _one(tmp_path, GOOD + 'extensions = [{ basis = "konkret_vurdering", to = "P8W", '
                 'legal_basis = "LAB lbk 280/2024 § 61, stk. 2" }]\n')
    assert "rule[0].extensions[0].to" in found
    assert "P8W is not longer than the rule's duration P13W" in found


def test_an_extension_names_a_known_basis_and_a_citation(tmp_path: Path) -> None:
    found = _problems(tmp_path, GOOD + 'extensions = [{ basis = "konkret", to = "P26W", '
                      'legal_basis = "section 61" }]\n')
    assert any("rule[0].extensions[0].basis" in p and "expected one of: konkret_vurdering" in p
               for p in found), found
    assert any("rule[0].extensions[0].legal_basis" in p and "is not a citation" in p
               for p in found), found


def test_a_step_after_a_repeatable_one_is_never_reached(tmp_path: Path) -> None:
    found = _one(tmp_path, GOOD + 'extensions = [{ basis = "saerligt_behov", open = true, '
                 'legal_basis = "LAB lbk 280/2024 § 61, stk. 2" }, { basis = "konkret_vurdering", '
                 'to = "P26W", legal_basis = "LAB lbk 280/2024 § 61, stk. 2" }]\n')
    assert "rule[0].extensions[1]" in found
    assert "is never reached" in found


def test_an_unknown_extension_key_gets_a_hint(tmp_path: Path) -> None:
    found = _problems(tmp_path, GOOD + 'extensions = [{ basis = "konkret_vurdering", too = '
                      '"P26W", legal_basis = "LAB lbk 280/2024 § 61, stk. 2" }]\n')
    assert any('rule[0].extensions[0].too: unknown key; did you mean "to"?' in p
               for p in found), found


def test_yields_to_must_name_an_offer_rule_of_the_module(tmp_path: Path) -> None:
    found = _one(tmp_path, GOOD + 'yields_to = ["dk.test.tilbud.nothing"]\n')
    assert "rule[0].yields_to" in found
    assert "'dk.test.tilbud.nothing' names no other \"offer_limit\" rule of this module" in found


def test_offer_keys_belong_to_offer_rules_only(tmp_path: Path) -> None:
    found = _problems(tmp_path, GOOD.replace('shape = "offer_limit"', 'shape = "first_within"')
                      .replace('\nanchor', '\nanchor') + 'anchor = "first_contact"\n'
                      'fulfilled_by = { kinds = ["jobsamtale"] }\n'
                      'when = { employer_sector = "privat" }\n')
    assert any('only an "offer_limit" rule takes "offers"' in p for p in found), found
    assert any('may depend on "employer_sector"' in p for p in found), found


def test_offer_ended_fulfils_only_offer_limits(tmp_path: Path) -> None:
    found = _problems(tmp_path, GOOD.replace('shape = "offer_limit"', 'shape = "activation"')
                      .replace('offers = ["virksomhedspraktik"]\n', "")
                      + 'anchor = "first_contact"\nfulfilled_by = { event = "offer_ended" }\n')
    assert any("rule[0].fulfilled_by.event" in p for p in found), found


def test_a_repeat_offer_rule_runs_from_the_end_of_an_offer(tmp_path: Path) -> None:
    repeat = '''
[[rule]]
id = "dk.test.tilbud.gentagen"
title_da = "Gentagen"
title_en = "Repeat"
legal_basis = "LAB lbk 280/2024 § 96, stk. 1"
law_text = "hver gang"
groups = ["jobparat_kontanthjaelp"]
shape = "rolling"
anchor = "offer_ended"
reading = "after"
interval = "P6M"
interval_from = "fulfilment_end"
fulfilled_by = { event = "offer_started" }
floor = { anchor = "first_contact", duration = "P12M" }
'''
    path = tmp_path / "tilbud.toml"
    path.write_text(HEAD + repeat, encoding="utf-8")
    rule = load_module(path).rules[0]
    assert rule.interval_from is IntervalFrom.FULFILMENT_END
    assert rule.floor is not None
    assert str(rule.floor.duration) == "P12M"
    found = _problems(tmp_path, repeat.replace('fulfilled_by = { event = "offer_started" }',
                                               'fulfilled_by = { kinds = ["jobsamtale"] }'))
    assert any("rule[0].interval_from" in p and '"fulfilment_end"' in p for p in found), found
    found = _problems(tmp_path, repeat.replace('anchor = "offer_ended"',
                                               'anchor = "first_contact"'))
    assert any("rule[0].floor" in p and "only a rule anchored on" in p for p in found), found


def test_the_bundled_offer_rules_name_their_exceptions_and_cite_each_extension() -> None:
    limits = [r for r in bundled_pack().rules if r.shape is Shape.OFFER_LIMIT]
    assert len({r.module_id for r in limits}) == 7
    ids = {r.id for r in limits}
    for rule in limits:
        assert set(rule.yields_to) <= ids, rule.id
        assert all("§" in e.legal_basis for e in rule.extensions), rule.id
        assert rule.offers, rule.id
