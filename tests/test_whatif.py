"""Overlays (rules/overlays) and what-if comparisons (lab_rules.loops.whatif)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CASES
from lab_rules import evaluate
from lab_rules.contact.results import Status
from lab_rules.core.errors import LabRulesError
from lab_rules.faces.cli import main
from lab_rules.inputs.synth import synthetic_caseload
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law import bundled_law, bundled_pack
from lab_rules.law.loader import RuleError
from lab_rules.law.overlay import apply_overlays, bundled_overlays, law_as_of, load_overlay
from lab_rules.law.policies import PolicyError
from lab_rules.loops.variants import variant
from lab_rules.loops.whatif import METRICS, compare_caseload

ROOT = Path(__file__).parent.parent
CASELOAD = ROOT / "examples" / "caseload" / "caseload.jsonl"
ROODOVRE = ROOT / "examples" / "roedovre" / "roedovre-2008.json"


def _timeline(person: dict[str, Any], events: list[dict[str, Any]]) -> Any:
    return parse_timeline({"schema": "lab-rules/timeline/v1", "person": person,
                           "events": events})


def _statuses(evaluation: Any, prefix: str) -> list[tuple[str, Status]]:
    return [(o.rule.id, o.status) for o in evaluation.obligations if o.rule.id.startswith(prefix)]


def test_every_shipped_overlay_loads_and_names_its_source() -> None:
    overlays = bundled_overlays()
    assert set(overlays) == {"koebenhavn-kvartal", "roedovre-genstart",
                             "akasser-jobforslag-afskaffet", "akasser-faellessamtale-uge-11",
                             "akasser-frivillig-selvbooking", "refusionstrappe-6-uger"}
    for overlay in overlays.values():
        assert overlay.source.startswith(("docs/seeds/", "https://www.retsinformation.dk/eli/"))
        assert overlay.authority


def test_replaced_rule_keeps_applying_before_the_overlay_starts(tmp_path: Path) -> None:
    """An overlay from 2017 ends the national version the day before; earlier cases keep it."""
    text = (ROOT / "rules" / "overlays" / "koebenhavn-kvartal.toml").read_text(encoding="utf-8")
    later = tmp_path / "later.toml"
    later.write_text(text.replace("valid_from = 2014-03-31", "valid_from = 2017-01-01"),
                     encoding="utf-8")
    pack = apply_overlays(bundled_pack(), [load_overlay(later)])
    versions = pack.rule("dk.lab.2015.kontanthjaelp.four_per_twelve_months")
    assert [(v.valid_from, v.valid_to) for v in versions] == [
        (date(2014, 1, 1), date(2015, 6, 30)), (date(2015, 7, 1), date(2016, 12, 31))]
    assert pack.name == "dk-national+kk.serviceniveau.kontanthjaelp_kvartal"
    national = bundled_pack().rule("dk.lab.2015.kontanthjaelp.four_per_twelve_months")
    assert [v.valid_to for v in national] == [date(2015, 6, 30), date(2019, 12, 31)]


def test_overlay_file_problems_are_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[overlay]\nid = "x"\ntitle_da = "x"\ntitle_en = "x"\nkind = "wish"\n'
                   'authority = "a"\nsource = "s"\nconfidence = "confirmed"\n'
                   'valid_from = 2020-01-01\nwithdraws_sanctions = ["R-NOPE"]\n'
                   'policies = { no_show = "never" }\n', encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_overlay(bad)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "bad.toml:5: overlay.kind: 'wish' is not a known" in text
    assert "policy no_show has no value 'never'" in text
    assert 'overlay: missing required key "legal_basis"' in text


def test_a_withdrawn_sanction_must_be_in_the_register_of_the_law_it_is_applied_to(
        tmp_path: Path) -> None:
    path = tmp_path / "withdraw.toml"
    path.write_text('[overlay]\nid = "x"\ntitle_da = "x"\ntitle_en = "x"\nkind = "proposal"\n'
                    'authority = "a"\nsource = "s"\nconfidence = "confirmed"\n'
                    'valid_from = 2020-01-01\nlegal_basis = "LAB § 1"\n'
                    'withdraws_sanctions = ["R-NOPE"]\n', encoding="utf-8")
    overlay = load_overlay(path)
    with pytest.raises(RuleError) as caught:
        apply_overlays(bundled_law(), [overlay])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: overlay.withdraws_sanctions[0]: 'R-NOPE' is not a rule of the sanction "
        f"register of {bundled_law().name!r}"]
    known = bundled_law().sanction_rules[0].id
    elsewhere = attrs.evolve(bundled_law(), sanction_rules=tuple(
        entry for entry in bundled_law().sanction_rules if entry.id != known))
    withdrawing = attrs.evolve(overlay, withdraws_sanctions=(known,))
    assert apply_overlays(bundled_law(), [withdrawing]).sanction_rules
    with pytest.raises(RuleError, match=f"'{known}' is not a rule of the sanction register"):
        apply_overlays(elsewhere, [withdrawing])


def test_replacing_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "o.toml"
    path.write_text('[overlay]\nid = "x"\ntitle_da = "x"\ntitle_en = "x"\nkind = "proposal"\n'
                    'authority = "a"\nsource = "s"\nconfidence = "confirmed"\n'
                    'valid_from = 2020-01-01\nlegal_basis = "LAB § 1"\n'
                    'replaces = ["dk.lab.no_such_rule"]\n',
                    encoding="utf-8")
    with pytest.raises(RuleError, match=r"dk\.lab\.no_such_rule: no such rule"):
        apply_overlays(bundled_pack(), [load_overlay(path)])


def test_variant_specs() -> None:
    assert variant("national").law is bundled_law()
    swap = variant("no_show=timely_summons_counts")
    assert swap.resolved_policies()["no_show"] == "timely_summons_counts"
    both = variant("roedovre-genstart+loss_from=day_after_due")
    assert both.rules.overlays == ("roedovre.forslag.genstart_ved_henvendelse",)
    assert both.resolved_policies()["no_show"] == "restart_from_contact"
    assert both.resolved_policies()["loss_from"] == "day_after_due"
    assert variant("law:2016-01-01").rules.name == "dk-national@2016-01-01"
    with pytest.raises(LabRulesError, match="no overlay 'nowhere'"):
        variant("nowhere")
    with pytest.raises(PolicyError):
        variant("no_show=sometimes")
    with pytest.raises(LabRulesError, match="not a date"):
        variant("law:2016-13-01")


def test_explicit_policy_wins_over_the_overlays_policy() -> None:
    timeline = parse_timeline(json.loads(ROODOVRE.read_text(encoding="utf-8")))
    law = variant("roedovre-genstart").law
    default = evaluate(timeline, as_of=date(2009, 1, 1), law=law)
    explicit = evaluate(timeline, as_of=date(2009, 1, 1), law=law,
                        policies={"no_show": "late_until_held"})
    assert dict(default.policies)["no_show"] == "restart_from_contact"
    assert dict(explicit.policies)["no_show"] == "late_until_held"
    assert default.rule_pack == "dk-national+roedovre.forslag.genstart_ved_henvendelse"


def _kh_2016(conversations: list[str]) -> Any:
    return _timeline({"id": "kk1", "birth_date": "1980-01-01", "education": True},
                     [{"type": "first_contact", "date": "2016-02-01"},
                      {"type": "benefit_started", "date": "2016-02-01",
                       "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"},
                      *({"type": "conversation_held", "date": d, "kind": "jobsamtale"}
                        for d in conversations)])


def test_copenhagen_quarterly_service_level_makes_a_bunched_year_late() -> None:
    """Four conversations in the first 12 months meet § 17 stk. 1, but not one per quarter:
    the conversations of months 7-9 and 10-12 are missing under Copenhagen's level."""
    timeline = _kh_2016(["2016-02-05", "2016-03-01", "2016-04-01", "2016-04-25",
                         "2016-05-02", "2016-05-20"])
    national = evaluate(timeline, as_of=date(2017, 3, 1))
    local = evaluate(timeline, as_of=date(2017, 3, 1), law=variant("koebenhavn-kvartal").law)
    assert ("dk.lab.2015.kontanthjaelp.four_per_twelve_months", Status.MET) in \
        _statuses(national, "dk.lab.2015.kontanthjaelp.four")
    quarterly = _statuses(local, "kk.serviceniveau")
    assert quarterly[:4] == [("kk.serviceniveau.kontanthjaelp.quarterly", Status.MET),
                             ("kk.serviceniveau.kontanthjaelp.quarterly", Status.MET),
                             ("kk.serviceniveau.kontanthjaelp.quarterly", Status.OVERDUE),
                             ("kk.serviceniveau.kontanthjaelp.quarterly", Status.OVERDUE)]
    assert not _statuses(local, "dk.lab.2015.kontanthjaelp.four")


def _dp_2016(prospects: bool | None, first: str) -> Any:
    person: dict[str, Any] = {"id": "dp1", "birth_date": "1980-01-01"}
    if prospects is not None:
        person["good_job_prospects"] = prospects
    return _timeline(person, [
        {"type": "registered", "date": "2016-03-07"},
        {"type": "benefit_started", "date": "2016-03-07", "benefit": "dagpenge",
         "group": "dagpenge"},
        {"type": "conversation_held", "date": first, "kind": "faellessamtale",
         "held_by": "jobcenter"}])


@pytest.mark.parametrize(("prospects", "rule", "status"), [
    (True, "danske_akasser.forslag.dagpenge.faellessamtale_uge_11", Status.MET),
    (False, "danske_akasser.forslag.dagpenge.faellessamtale_uge_6", Status.MET_LATE)])
def test_akasser_week_11_by_job_prospects(prospects: bool, rule: str, status: Status) -> None:
    """A first joint conversation after 9 weeks: late under § 19 (6 weeks) and under the
    proposal's week 6 for weaker prospects, on time under its week 11 for good prospects."""
    timeline = _dp_2016(prospects, "2016-05-09")
    national = evaluate(timeline, as_of=date(2016, 9, 1))
    assert ("dk.lab.2015.dagpenge.first_jobsamtale", Status.MET_LATE) in \
        _statuses(national, "dk.lab.2015.dagpenge.first")
    proposal = evaluate(timeline, as_of=date(2016, 9, 1),
                        law=variant("akasser-faellessamtale-uge-11").law)
    assert _statuses(proposal, "danske_akasser") == [(rule, status)]
    assert not _statuses(proposal, "dk.lab.2015.dagpenge.first")


def test_akasser_week_11_without_recorded_prospects_is_a_note_not_a_guess() -> None:
    proposal = evaluate(_dp_2016(None, "2016-05-09"), as_of=date(2016, 9, 1),
                        law=variant("akasser-faellessamtale-uge-11").law)
    assert not _statuses(proposal, "danske_akasser")
    assert any(n.kind == "undetermined" and n.rule_id and n.rule_id.startswith("danske_akasser")
               for n in proposal.notes)


def test_abolished_jobforslag_check_lists_the_failure_without_a_sanction() -> None:
    case = json.loads((CASES / "sanctions" / "TC-24-third-miss.json").read_text(encoding="utf-8"))
    timeline = parse_timeline(case["timeline"])
    as_of = date.fromisoformat(case["as_of"])
    national = evaluate(timeline, as_of=as_of, refund=False).sanctions[-1]
    proposal = evaluate(timeline, as_of=as_of, refund=False,
                        law=variant("akasser-jobforslag-afskaffet").law).sanctions[-1]
    assert (national.rule, national.sanctionable, national.days) == ("R-DP-JOBFORSLAG", True, 2)
    assert (proposal.rule, proposal.sanctionable, proposal.days) == ("R-DP-JOBFORSLAG", False, 0)
    assert any("withdrawn by the overlay danske_akasser.forslag.tjek_jobforslag_afskaffes"
               in str(r) for r in proposal.reasons)


def test_law_as_of_applies_that_days_rules_to_every_date() -> None:
    """A 2024 kontanthjælp course under the law of 2016 gets the 2015 rules, not the 2024 ones."""
    timeline = _timeline({"id": "k", "birth_date": "1980-01-01", "education": True},
                         [{"type": "first_contact", "date": "2024-02-05"},
                          {"type": "benefit_started", "date": "2024-02-05",
                           "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"}])
    then = evaluate(timeline, as_of=date(2024, 12, 1), law=law_as_of(date(2016, 1, 1)))
    ids = {o.rule.id for o in then.obligations}
    assert "dk.lab.2015.kontanthjaelp.first_jobsamtale" in ids
    assert not any(i.startswith("dk.lab.2024") for i in ids)


def test_roedovre_overlay_changes_the_demo_caseloads_refund_loss() -> None:
    """Issue 7's acceptance: the Rødovre overlay gives another refund loss than the baseline
    on the bundled caseload, and the comparison names the policy that differs."""
    comparison = compare_caseload(CASELOAD, "national", "roedovre-genstart",
                                  as_of=date(2026, 1, 1))
    base, variant_row = comparison.summary
    assert base["persons"] == variant_row["persons"] == 300
    assert variant_row["refund_loss"] != base["refund_loss"]
    assert variant_row["d_refund_loss"] == variant_row["refund_loss"] - base["refund_loss"]
    assert variant_row["d_refund_loss"] < 0
    assert [(c["kind"], c["what"], c["baseline"], c["value"]) for c in comparison.changes] == [
        ("policy", "no_show", "late_until_held", "restart_from_contact")]
    changed = [p for p in comparison.persons if p["variant"] == "roedovre-genstart"
               and p["d_refund_loss"]]
    assert sum(p["d_refund_loss"] for p in changed) == variant_row["d_refund_loss"]


def test_compare_quarantines_bad_persons_and_goes_on(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    lines = CASELOAD.read_text(encoding="utf-8").splitlines()[:80]
    lines.insert(3, '{"person_id": "synthetic-0", "type": "conversation_held", '
                 '"date": "2020-02-30", "kind": "jobsamtale"}')
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    comparison = compare_caseload(log, "national", "no_show=timely_summons_counts",
                                  as_of=date(2026, 1, 1))
    assert [q["person_id"] for q in comparison.quarantined] == ["synthetic-0"]
    assert "2020-02-30" in comparison.quarantined[0]["reasons"][0]
    assert comparison.summary[0]["persons"] >= 1


def test_compare_frames_are_pandas_dataframes() -> None:
    pytest.importorskip("pandas")
    from lab_rules.loops.whatif import compare

    timelines = [_kh_2016(["2016-02-05", "2016-03-01", "2016-04-01", "2016-04-25"])]
    frames = compare(timelines, "national", "koebenhavn-kvartal", as_of=date(2017, 2, 1))
    assert list(frames["summary"]["variant"]) == ["national", "koebenhavn-kvartal"]
    persons = frames["persons"]
    assert persons.loc[persons["variant"] == "koebenhavn-kvartal", "d_overdue"].item() == 2
    assert set(frames["changes"]["kind"]) == {"rule added", "rule validity"}


def test_cli_compare_prints_the_difference_and_writes_tables(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(CASELOAD.read_text(encoding="utf-8").splitlines()[:200]) + "\n",
                   encoding="utf-8")
    code = main(["compare", str(log), "--as-of", "2026-01-01", "--variant",
                 "koebenhavn-kvartal", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0
    assert "koebenhavn-kvartal (dk-national+kk.serviceniveau.kontanthjaelp_kvartal)" in out
    assert "rule added         kk.serviceniveau.kontanthjaelp.quarterly" in out
    header = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("variant,persons,obligations,met,met_late,overdue,")
    assert main(["compare", str(log), "--as-of", "2026-01-01", "--variant", "nowhere"]) == 2


def test_a_danish_comparison_is_danish_and_names_failures_and_sanctions_apart() -> None:
    """Issue 16: the Danish summary said "as of" and grouped figures the English way; compare
    counts sanctions (failures that may be sanctioned), batch counts failures, and the labels
    say which."""
    from lab_rules.faces.comparison import render_comparison

    timelines = [_kh_2016(["2016-02-05", "2016-03-01", "2016-04-01", "2016-04-25"])]
    comparison = compare_caseload(timelines, "national", "koebenhavn-kvartal",
                                  as_of=date(2017, 2, 1))
    danish = render_comparison(comparison, "da")
    english = render_comparison(comparison, "en")
    assert danish.startswith("Sammenligning opgjort pr. 01-02-2017 (grundlag: national)")
    assert english.startswith("Comparison as of 2017-02-01 (baseline: national)")
    assert "as of" not in danish
    assert "rule added" not in danish
    assert "regel tilføjet" in danish
    assert "forsømmelser med sanktion" in danish
    assert "sanctionable failures" in english
    assert "mistet refusion (kr.)" in danish


def test_batch_counts_failures_not_sanctions(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(CASELOAD.read_text(encoding="utf-8").splitlines()[:60]) + "\n",
                   encoding="utf-8")
    assert main(["batch", str(log), "--as-of", "2026-01-01", "--out", str(tmp_path / "out"),
                 "--workers", "1"]) == 0
    said = capsys.readouterr().err
    assert " failures (those that may be sanctioned are marked in sanctions.csv)" in said
    assert " sanctions in " not in said


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_a_variant_equal_to_the_baseline_changes_nothing(seed: int) -> None:
    """Naming the default policy is the baseline itself: no differences, no changes listed,
    and the summary is the sum of the person rows."""
    timelines = list(synthetic_caseload(4, seed, date(2008, 1, 1), date(2024, 12, 31)))
    comparison = compare_caseload(timelines, "national", "no_show=late_until_held",
                                  as_of=date(2026, 1, 1))
    assert comparison.changes == ()
    for row in comparison.persons:
        assert all(row[f"d_{metric}"] == 0 for metric in METRICS)
    for summary in comparison.summary:
        mine = [p for p in comparison.persons if p["variant"] == summary["variant"]]
        for metric in METRICS:
            assert summary[metric] == sum(p[metric] for p in mine)


def test_compare_is_deterministic() -> None:
    timelines = list(synthetic_caseload(6, 3, date(2008, 1, 1), date(2015, 12, 31)))
    first = compare_caseload(timelines, "national", "roedovre-genstart", as_of=date(2026, 1, 1))
    again = compare_caseload(timelines, "national", "roedovre-genstart", as_of=date(2026, 1, 1))
    assert first == again


def test_compare_gives_the_same_on_two_workers(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    lines = CASELOAD.read_text(encoding="utf-8").splitlines()[:400]
    lines.insert(5, "{broken")
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = compare_caseload(log, "national", "roedovre-genstart", "law:2016-01-01",
                           as_of=date(2026, 1, 1))
    two = compare_caseload(log, "national", "roedovre-genstart", "law:2016-01-01",
                           as_of=date(2026, 1, 1), workers=2)
    assert one == two
    assert len(one.quarantined) == 1


def test_check_rules_checks_the_overlays(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    assert main(["check-rules", str(rules)]) == 0
    assert "overlay roedovre-genstart: proposal of" in capsys.readouterr().out
    broken = rules / "overlays" / "koebenhavn-kvartal.toml"
    broken.write_text(broken.read_text(encoding="utf-8").replace(
        'replaces = ["dk.lab.2015.kontanthjaelp.four_per_twelve_months"]',
        'replaces = ["dk.lab.2015.kontanthjaelp.four_per_twelve_monts"]'), encoding="utf-8")
    assert main(["check-rules", str(rules)]) == 1
    out = capsys.readouterr().out
    assert "koebenhavn-kvartal.toml" in out
    assert "four_per_twelve_monts: no such rule" in out
