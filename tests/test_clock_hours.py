"""The dagpenge hour clock reads its figures from the law (``rules/parameters/
dagpengetimer.toml``, bek. 1216/2023 § 7, stk. 2 and 4): changing them in a copy of the rule
files changes the deadlines (issue 11 acceptance), and a figure that is not a decimal string
is a located problem."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CASES
from lab_rules import evaluate
from lab_rules.calendar import Duration, Reading, Rounding
from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.clocks import Course, CourseClock, Span
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law.bundle import load_law
from lab_rules.law.clocks import bundled_clock_hours, load_clock_hours
from lab_rules.law.loader import RuleError, bundled_rules_dir
from lab_rules.law.model import Clock

RULE = "dk.lab.2024.dagpenge.jobcenter_three_by_six_months"


def _rules(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), target)
    hours = target / "parameters" / "dagpengetimer.toml"
    text = hours.read_text(encoding="utf-8")
    head, marker, tail = text.partition('id = "bek-1216-2023"')
    assert marker
    assert old in tail
    hours.write_text(head + marker + tail.replace(old, new), encoding="utf-8")
    return target


def _due(law_dir: Path | None) -> date:
    case = json.loads((CASES / "contact_course" / "D-16.json").read_text(encoding="utf-8"))
    timeline = parse_timeline(case["timeline"])
    law = load_law(law_dir) if law_dir is not None else None
    evaluation = evaluate(timeline, as_of=date.fromisoformat(case["as_of"]), law=law,
                          refund=False, sanctions=False)
    return next(o.due for o in evaluation.obligations if o.rule.id == RULE and o.sequence == 1)


def test_changing_the_hours_per_week_changes_a_dagpenge_deadline(tmp_path: Path) -> None:
    """Acceptance (issue 11): 40 hours a week (8 a weekday) reach 6 × 160,33 hours sooner."""
    rules = _rules(tmp_path, 'week_hours = "37"\nmonth_hours = "160.33"\nweekday_hours = "7.4"',
                   'week_hours = "40"\nmonth_hours = "160.33"\nweekday_hours = "8"')
    assert _due(None) == date(2024, 6, 28)
    assert _due(rules) < date(2024, 6, 28)


def test_public_holidays_that_do_not_count_move_the_deadline_later(tmp_path: Path) -> None:
    """With ``public_holidays_count = false`` the clock skips the Danish public holidays of
    January-June 2024 (New Year, Easter, Store Bededag is abolished, Ascension, Whit Monday)."""
    rules = _rules(tmp_path, "public_holidays_count = true", "public_holidays_count = false")
    assert _due(rules) > date(2024, 6, 28)


def test_every_clock_entry_cites_its_law_and_marks_the_weekday_convention() -> None:
    entries = bundled_clock_hours()
    assert [e.id for e in entries] == ["lab-2019-foer-bek-2636", "bek-2636-2021",
                                       "bek-1216-2023"]
    assert entries[-1].legal_basis == "bek. 1216/2023 § 7, stk. 4"
    assert entries[-1].transfer_basis == "bek. 1216/2023 § 7, stk. 2"
    assert all(e.weekday_confidence.value == "inferred" for e in entries)


def test_a_float_figure_is_a_located_problem(tmp_path: Path) -> None:
    source = bundled_rules_dir() / "parameters" / "dagpengetimer.toml"
    broken = tmp_path / "dagpengetimer.toml"
    broken.write_text(source.read_text(encoding="utf-8").replace(
        'month_hours = "160.33"', "month_hours = 160.33", 1), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_clock_hours(broken)
    assert "entry[0].month_hours" in str(err.value)


@settings(max_examples=40, deadline=None)
@given(st.dates(date(2022, 1, 1), date(2026, 6, 1)), st.sampled_from(["P3M", "P6M", "P16M"]))
def test_within_on_the_hour_clock_is_the_day_the_hours_are_reached(start: date,
                                                                   span: str) -> None:
    """LAB § 31, stk. 1: "inden for de første 6 måneder" ends on the day the hours are reached,
    which carries hours; "after" is the next day that does, never earlier."""
    course = Course(Benefit.DAGPENGE, start, None, (Span(start, None),), ())
    clock = CourseClock(course, Clock.DAGPENGE_HOURS)
    duration = Duration.parse(span)
    within = clock.point(start, duration, Reading.WITHIN, Rounding.UP)
    after = clock.point(start, duration, Reading.AFTER, Rounding.UP)
    assert within.day is not None
    assert after.day is not None
    assert within.day.weekday() < 5
    assert within.day < after.day
    assert within.day == clock.completion_day(start, clock.hours_needed(duration, start),
                                              date(2099, 12, 31))
