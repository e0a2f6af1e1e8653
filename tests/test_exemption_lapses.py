"""Exemption reasons that exempt only while the provision naming them was in force
(``lapses`` in ``rules/parameters/fritagelser.toml``): the terminal-illness item of BEK 743/2009
§ 28, stk. 2, nr. 5 held from 1.8.2009 to 4.3.2012 (cases X-1 and X-2)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import CASES, ROOT
from lab_rules import evaluate
from lab_rules.core.vocabulary import ExemptionReason
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law import bundled_law
from lab_rules.law.exemptions import load_exemption_rules
from lab_rules.law.loader import RuleError
from lab_rules.loops.columnar_rules import why_not

RULES = ROOT / "rules" / "parameters" / "fritagelser.toml"


def _notes(case: str, lang: str) -> list[str]:
    data = json.loads((CASES / "contact_course" / f"{case}.json").read_text(encoding="utf-8"))
    timeline = parse_timeline(data["timeline"], source=case)
    found = evaluate(timeline, as_of=date.fromisoformat(data["as_of"]))
    return [n.describe(lang) for n in found.notes if n.kind == "exemption_not_covered"]


def test_the_terminal_illness_item_lapses_on_4_march_2012() -> None:
    rule = next(r for r in load_exemption_rules(RULES)
                if r.reason is ExemptionReason.LIVSTRUENDE_UHELBREDELIG)
    assert rule.lapses
    assert (rule.valid_from, rule.valid_to) == (date(2009, 8, 1), date(2012, 3, 4))
    assert rule.documented_start_within is None


def test_an_exemption_past_the_item_is_cut_and_says_so_in_both_languages() -> None:
    (danish,) = _notes("X-1-terminal-illness-2011", "da")
    (english,) = _notes("X-1-terminal-illness-2011", "en")
    assert "gælder kun fra 01-02-2011 til 04-03-2012" in danish
    assert "holds only from 2011-02-01 to 2012-03-04" in english


def test_an_exemption_after_the_item_lapsed_exempts_nothing() -> None:
    (english,) = _notes("X-2-terminal-illness-after-2012", "en")
    assert "ignored: the reason exempted only from 2009-08-01 to 2012-03-04" in english


def test_a_reason_that_lapses_needs_its_last_day(tmp_path: Path) -> None:
    text = RULES.read_text(encoding="utf-8").replace("valid_to = 2012-03-04\n", "")
    path = tmp_path / "fritagelser.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match="the day it lapsed"):
        load_exemption_rules(path)


def test_rules_that_waive_for_a_lapsing_reason_leave_the_columnar_fast_path() -> None:
    law = bundled_law()
    rule = next(r for r in law.rules.rules
                if r.id == "dk.lab.2008.kontanthjaelp.first_jobsamtale"
                and ExemptionReason.LIVSTRUENDE_UHELBREDELIG in r.exemptions)
    assert "an exemption reason that lapses" in (why_not(rule, law) or "")
