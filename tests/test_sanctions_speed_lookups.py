"""The indexed lookups of the sanctions stage answer what the law's plain scans answer: the
register entry for a failure, a condition's reason, a family's procedure, the rate table in
force, the days a mode counts and the month a deduction falls in."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.calendar import DanishCalendar
from lab_rules.facts.failures import Failure
from lab_rules.law import bundled_law
from lab_rules.law.policies import Policies, SanctionDays
from lab_rules.law.sanction_conditions import SanctionConditions
from lab_rules.law.sanction_rates import table_on
from lab_rules.law.sanctions import FAMILIES, SanctionRule, select
from lab_rules.sanctions.amounts import month_key
from lab_rules.sanctions.compute import _procedure, _table_on
from lab_rules.sanctions.conditions import reason
from lab_rules.sanctions.counting import count
from lab_rules.sanctions.select import entry_for

LAW = bundled_law()
GROUPS = (None, "jobparat_kontanthjaelp", "aktivitetsparat_kontanthjaelp",
          "aktivitetsparat_uddannelseshjaelp")


def _days_around(entries: object) -> list[date]:
    """Every first and last day of validity and the days either side of them."""
    days: set[date] = set()
    for entry in entries:  # type: ignore[attr-defined]
        for edge in (entry.valid_from, entry.valid_to):
            if edge is not None:
                days.update({edge - timedelta(days=1), edge, edge + timedelta(days=1)})
    return sorted(days)


def _shuffled_register() -> tuple[SanctionRule, ...]:
    """The bundled register with a copy of each entry that also names a kind, and one that
    reaches further back: entries then tie, overlap and differ in specificity."""
    extra = []
    for index, entry in enumerate(LAW.sanction_rules):
        if index % 3 == 0:
            extra.append(attrs.evolve(entry, kinds=("quit_job",), entry=f"{entry.entry}+kind"))
        if index % 4 == 1:
            extra.append(attrs.evolve(entry, valid_from=date(2000, 1, 1),
                                      entry=f"{entry.entry}+early"))
    return (*extra, *LAW.sanction_rules)


@pytest.mark.parametrize("register", [LAW.sanction_rules, _shuffled_register()],
                         ids=["bundled", "overlapping"])
def test_the_indexed_register_selects_the_entry_the_scan_selects(
        register: tuple[SanctionRule, ...]) -> None:
    failures = sorted({f for e in register for f in e.failures})
    checked = 0
    for day in _days_around(register):
        for family in FAMILIES:
            for name in failures:
                for kind in (None, "quit_job", "refused_offer"):
                    for cancelled in (False, True):
                        failure = Failure(name, day, kind=kind, cancelled=cancelled)
                        expected = select(register, family, name, kind, cancelled, day)
                        assert entry_for(register, family, failure) is expected
                        checked += expected is not None
    assert checked > 100


def _conditions_with_oddities() -> SanctionConditions:
    """The bundled conditions, each also as a later copy with another text, and one whose
    validity ends before it starts (it never applies)."""
    found = LAW.sanction_conditions
    copies = [attrs.evolve(c, text=c.text + " (copy)",
                           valid_from=c.valid_from + timedelta(days=400))
              for c in found.conditions]
    never = [attrs.evolve(c, text="never", valid_to=c.valid_from - timedelta(days=1))
             for c in found.conditions[:3]]
    return SanctionConditions((*never, *found.conditions, *copies), found.procedures)


@pytest.mark.parametrize("conditions", [LAW.sanction_conditions, _conditions_with_oddities()],
                         ids=["bundled", "with copies"])
def test_a_reason_is_the_text_of_the_condition_the_file_gives_first(
        conditions: SanctionConditions) -> None:
    tests = sorted({c.test for c in conditions.conditions})
    found = 0
    for day in _days_around(conditions.conditions):
        for test in tests:
            for family in FAMILIES:
                for group in GROUPS:
                    condition = conditions.condition(test, family, group, day)
                    got = reason(conditions, test, family, group, day, excuse="x", reason="y",
                                 start=day, until=day, day=day, failure="f", family=family)
                    if condition is None:
                        assert got is None
                    else:
                        found += 1
                        assert got == condition.text.format(
                            excuse="x", reason="y", start=day, until=day, day=day,
                            failure="f", family=family)
    assert found > 100


def test_the_procedure_and_the_rate_table_are_those_the_scans_find() -> None:
    conditions = LAW.sanction_conditions
    for day in _days_around([*conditions.procedures, *LAW.sanction_rates]):
        for family in FAMILIES:
            assert _procedure(conditions, family, day) is conditions.procedure(family, day)
        assert _table_on(LAW.sanction_rates, day) is table_on(LAW.sanction_rates, day)
        assert _table_on(list(LAW.sanction_rates), day) is table_on(LAW.sanction_rates, day)


def _walk(start: date, end: date, mode: str, policies: Policies) -> list[date]:
    if mode == "policy":
        mode = "calendar" if policies.sanction_days is SanctionDays.CALENDAR else "weekdays"
    calendar, days, day = DanishCalendar(), [], start
    while day < end:
        if (mode == "calendar" or (mode == "weekdays" and calendar.is_business_day(day))
                or (mode == "dagpenge_weekdays" and day.weekday() < 5)):
            days.append(day)
        day += timedelta(days=1)
    return days


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.dates(date(2008, 1, 1), date(2026, 12, 31)), st.integers(-5, 90),
       st.sampled_from(["calendar", "weekdays", "dagpenge_weekdays", "policy", "unknown"]),
       st.sampled_from(list(SanctionDays)))
def test_the_days_a_mode_counts_are_those_a_day_by_day_walk_counts(
        start: date, length: int, mode: str, days: SanctionDays) -> None:
    policies = Policies(sanction_days=days)
    end = start + timedelta(days=length)
    assert count(start, end, mode, policies) == _walk(start, end, mode, policies)


@given(st.dates(date(1, 1, 1), date(9999, 12, 31)))
def test_a_month_key_is_the_month_strftime_writes(day: date) -> None:
    assert month_key(day) == day.strftime("%Y-%m")
