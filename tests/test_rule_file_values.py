"""Every value a rule file gives is checked for its TOML type and its bound when the law is read:
a string where a date is, a table where an array is, a float or a bool where a figure or a
count is, a duration of a thousand years, a negative or zero step, a share above the whole, a
text that is no template. Each is a problem that names its file, key path and line, and
``check-rules`` exits 1 with it: never an internal error (exit 3) at load time, and never an
overflow later, in an evaluation of a law that passed."""

from __future__ import annotations

import math
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import EXAMPLES
from lab_rules.faces.cli import main
from lab_rules.inputs.synth import write_event_log
from lab_rules.law.bundle import load_law
from lab_rules.law.overlay import load_overlay
from lab_rules.law.reader import RuleError
from rule_files import DROP, RULES, law_with, swapped

MODULE_2008 = "dk/lab/2008/dagpenge.toml"

SWAPS = [
    ("a string where a date is", MODULE_2008, ("module", "valid_to"), "2009-07-31",
     "module.valid_to", "must be a TOML date like 2024-01-01 (without quotes), got a string"),
    ("a duration of a trillion years", MODULE_2008, ("rule", 0, "duration"), "P999999999999Y",
     "rule[0].duration", "is longer than 100 years"),
    ("a duration that counts back", MODULE_2008, ("rule", 0, "duration"), "-P1M",
     "rule[0].duration", "counts back"),
    ("an interval of no time", MODULE_2008, ("rule", 2, "interval"), "P0D",
     "rule[2].interval", "interval must be longer than zero"),
    ("a schedule starting a hundred thousand intervals out", MODULE_2008,
     ("rule", 2, "start_index"), 100_000, "rule[2].start_index", "from 1 to 50"),
    ("a million conversations", MODULE_2008, ("rule", 0, "count"), 10**6, "rule[0].count",
     "from 1 to 400"),
    ("a date-time in an excluded period", "dk/lab/2020/dagpenge.toml",
     ("rule", 1, "excluded_periods", 0, 0), datetime(2020, 3, 1, 12, 0),
     "rule[1].excluded_periods[0]", "must be [start, end] dates"),
    ("a text where the default exemptions are", "dk/lab/2024/dagpenge.toml",
     ("module", "defaults", "exemptions"), "waive", "module.defaults.exemptions",
     "must be a table, got a string"),
    ("holiday earned after no time", "parameters/kontanthjaelp-ferie.toml",
     ("entry", 0, "earned_after"), "P0D", "entry[0].earned_after",
     "earned_after must be longer than zero"),
    ("a float not-a-number where a refund share is", "parameters/refusionstrappe.toml",
     ("band", 0, "refund"), math.nan, "band[0].refund", "must be a decimal share as a string"),
    ("a number where the refund bands are", "parameters/refusionstrappe.toml", ("band",), 5,
     "band", "must be an array of tables ([[band]]), got a whole number"),
    ("a text where a sanction rule is", "parameters/sanktionsregler.toml", ("rule", 0), "x",
     "rule[0]", "must be a table, got a string"),
    ("a word where a sanction rate is", "parameters/sanktionssatser.toml",
     ("table", 1, "bands", 0, "rate"), "x", "table[1].bands[0].rate",
     "must be kroner as a string"),
    ("kroner with an exponent", "parameters/hjaelpsatser.toml", ("rate", 0, "monthly"),
     "1E+999999", "rate[0].monthly", "must be kroner as a string from 0 to 10000000"),
    ("a quota share above the whole", "parameters/kvoter-2026.toml", ("quota", 0, "share"),
     "7.5", "quota[0].share", "from 0 to 1"),
    ("no hours in a weekday on dagpenge", "parameters/dagpengetimer.toml",
     ("entry", 0, "weekday_hours"), "0", "entry[0].weekday_hours", "above 0 to 24"),
    ("a float of hours a week", "parameters/refusionsbortfald.toml",
     ("rate", 0, "active_min_hours"), 2.5, "rate[0].active_min_hours",
     "must be a whole number from 0 to 168, got a float"),
    ("eight holiday days a week", "parameters/kontanthjaelp-ferie.toml",
     ("entry", 0, "days_per_week"), 8, "entry[0].days_per_week", "from 1 to 7, got 8"),
    ("a number where a sanction window is", "parameters/sanktionsregler.toml",
     ("rule", 34, "parameters", "window"), 12, "rule[34].parameters.window",
     "must be an ISO-8601 duration as a string"),
    ("a decimal string where karantæne hours are", "parameters/sanktionsregler.toml",
     ("rule", 34, "parameters", "hours_full_time"), "111",
     "rule[34].parameters.hours_full_time", "must be a whole number"),
    ("a parameter no shape reads", "parameters/sanktionsregler.toml",
     ("rule", 34, "parameters", "windw"), "P1M", "rule[34].parameters.windw",
     "no shape reads this parameter"),
    ("a karantæne without the hours that lapse it", "parameters/sanktionsregler.toml",
     ("rule", 34, "parameters", "lapse_hours_part_time"), DROP, "rule[34].parameters",
     "needs lapse_hours_part_time"),
    ("a karantæne without its text for a repeat", "parameters/sanktionsregler.toml",
     ("rule", 34, "texts", "repeat"), DROP, "rule[34].texts",
     "writes the texts repeat, which are not given"),
    ("a ladder without a step for the first failure", "parameters/sanktionsregler.toml",
     ("rule", 0, "steps", 0, "prior"), 3, "rule[0].steps",
     "a ladder needs a step for a first failure (prior = 0)"),
    ("a ladder step that lapses without the months it lapses after",
     "parameters/sanktionsregler.toml", ("rule", 0, "parameters", "lapse_after"), DROP,
     "rule[0].parameters", "a step that lapses needs lapse_after"),
    ("a ladder step of months", "parameters/sanktionsregler.toml",
     ("rule", 0, "steps", 1, "duration"), "P1M", "rule[0].steps[1].duration",
     "P1M has months: a step lasts whole days"),
    ("a karantæne taking effect after months", "parameters/sanktionsregler.toml",
     ("rule", 34, "parameters", "effective_after"), "P1M",
     "rule[34].parameters.effective_after", "P1M has months: effective_after is counted in days"),
    ("a reminder deadline of months", "parameters/sanktionsregler.toml",
     ("rule", 13, "parameters", "reminder"), "P1M", "rule[13].parameters.reminder",
     "P1M has months: reminder is counted in days"),
    ("a longest holiday period of months", "parameters/kontanthjaelp-ferie.toml",
     ("entry", 0, "longest_period"), "P1M", "entry[0].longest_period",
     "P1M has months: the longest holiday period is counted in days"),
    ("a help requirement within months", "parameters/225-timersreglen-perioder.toml",
     ("era", 2, "help_within"), "P18M", "era[2].help_within", "P18M is not whole years"),
    ("a help requirement within years and days", "parameters/225-timersreglen-perioder.toml",
     ("era", 2, "help_within"), "P3Y10D", "era[2].help_within", "is not whole years"),
    ("a lone brace in a Danish note", "parameters/sanktionsregler.toml",
     ("rule", 0, "notes_da", 0), "{", "rule[0].notes_da[0]", "is not a text template"),
    ("an attribute of a value in a text", "parameters/sanktionsbetingelser.toml",
     ("condition", 0, "text"), "{excuse.__class__}", "condition[0].text",
     "is not a text template"),
]


@pytest.mark.parametrize(("relative", "path", "new", "where", "message"),
                         [case[1:] for case in SWAPS], ids=[case[0] for case in SWAPS])
def test_a_value_of_the_wrong_type_or_beyond_its_bound_is_a_located_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], relative: str,
        path: tuple[str | int, ...], new: object, where: str, message: str) -> None:
    folder = law_with(tmp_path, relative, swapped(relative, path, new))
    with pytest.raises(RuleError) as caught:
        load_law(folder)
    found = [p for p in caught.value.problems if p.path == where and message in p.message]
    assert found, caught.value.problems
    (problem,) = found
    assert problem.source == str(folder / relative)
    assert problem.line is not None
    assert main(["check-rules", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert f"{folder / relative}:{problem.line}: {where}: " in out
    assert not err


OVERLAY = "overlays/koebenhavn-kvartal.toml"
OVERLAY_SWAPS = [
    ("an overlay in force from the year 1", ("overlay", "valid_from"), date(1, 1, 1),
     "overlay.valid_from", "must be a date from 1900-01-01 to 2199-12-31"),
    ("an overlay rule stepping no time", ("rule", 0, "interval"), "P0D", "rule[0].interval",
     "interval must be longer than zero"),
    ("an overlay rule of a thousand years", ("rule", 0, "interval"), "P1000Y",
     "rule[0].interval", "is longer than 100 years"),
]


@pytest.mark.parametrize(("path", "new", "where", "message"),
                         [case[1:] for case in OVERLAY_SWAPS],
                         ids=[case[0] for case in OVERLAY_SWAPS])
def test_an_overlay_value_beyond_its_bound_is_a_located_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], path: tuple[str | int, ...],
        new: object, where: str, message: str) -> None:
    folder = law_with(tmp_path, OVERLAY, swapped(OVERLAY, path, new))
    with pytest.raises(RuleError) as caught:
        load_overlay(folder / OVERLAY)
    (problem,) = [p for p in caught.value.problems if p.path == where]
    assert message in problem.message
    assert problem.source == str(folder / OVERLAY)
    assert main(["check-rules", str(folder)]) == 1
    assert f"{folder / OVERLAY}:{problem.line}: {where}: " in capsys.readouterr().out
    assert main(["evaluate", str(EXAMPLES / "jobparat-kontanthjaelp-noshow.json"),
                 "--as-of", "2024-10-01", "--variant", str(folder / OVERLAY)]) == 1
    assert f"{where}: {problem.message}" in capsys.readouterr().err


def test_compare_names_the_problem_of_a_variant_overlay_and_exits_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = law_with(tmp_path, OVERLAY, swapped(OVERLAY, ("rule", 0, "interval"), "P0D"))
    log = tmp_path / "log.jsonl"
    write_event_log(log, 2, 5, date(2014, 1, 6), date(2014, 12, 31))
    assert main(["compare", str(log), "--as-of", "2016-01-01", "--workers", "1",
                 "--variant", str(folder / OVERLAY), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{folder / OVERLAY}:" in err
    assert "rule[0].interval: 'P0D' is no time at all" in err
    assert not (tmp_path / "out").exists()


def test_a_date_written_as_a_string_is_located_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The review's case: ``valid_to = "2009-07-31"`` in the 2008 dagpenge module."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    module = folder / MODULE_2008
    text = module.read_text(encoding="utf-8")
    line = text[:text.index("valid_to = 2009-07-31")].count("\n") + 1
    module.write_text(text.replace("valid_to = 2009-07-31", 'valid_to = "2009-07-31"', 1),
                      encoding="utf-8")
    assert main(["check-rules", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out == (f"{module}:{line}: module.valid_to: must be a TOML date like 2024-01-01 "
                   "(without quotes), got a string: '2009-07-31'\n1 problem\n")
    assert not err


def test_a_law_with_a_duration_beyond_the_dates_is_refused_before_it_is_evaluated(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The review's case: ``duration = "P999999999999Y"`` passed check-rules, and evaluate
    then ended in an OverflowError (exit 3)."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    module = folder / MODULE_2008
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace('duration = "P1M"', 'duration = "P999999999999Y"', 1),
                      encoding="utf-8")
    timeline = tmp_path / "dp2008.json"
    timeline.write_text(
        '{"schema": "lab-rules/timeline/v2", "person": {"id": "p", "birth_date": "1970-01-01"},'
        ' "events": [{"type": "registered", "date": "2008-03-04"}, {"type": "benefit_started",'
        ' "date": "2008-03-04", "benefit": "dagpenge", "group": "dagpenge"}]}',
        encoding="utf-8")
    assert main(["check-rules", str(folder)]) == 1
    assert "is longer than 100 years" in capsys.readouterr().out
    assert main(["evaluate", str(timeline), "--as-of", "2009-06-01", "--rules",
                 str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{module}:" in err
    assert "internal error" not in err
