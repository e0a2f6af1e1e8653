"""The short cuts of the hours rule find what a plain month-by-month reading finds: the entry
in force on a day, the runs of help, the window's extension and the first month that fails
the requirement (which skips the months where nothing can happen)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.core.vocabulary import Benefit, ExemptionReason
from lab_rules.entitlements.hours_rule import HELP, _first_unmet, _ordered
from lab_rules.entitlements.hours_window import (
    EraCounts,
    Hours,
    help_runs,
    hours_of,
    month_end,
    months_between,
    overgangsdato,
    window,
)
from lab_rules.inputs.timeline import (
    BenefitEnded,
    BenefitStarted,
    Exemption,
    Person,
    Timeline,
    WorkHours,
)
from lab_rules.law.hours import HoursEra, bundled_hours_eras
from lab_rules.law.params import InForce, in_force

BASE = date(2007, 1, 1)
SPAN = (date(2027, 1, 1) - BASE).days


@attrs.frozen
class _Dated:
    valid_from: date
    valid_to: date | None


dated = st.builds(lambda start, length: _Dated(
    BASE + timedelta(days=start), None if length is None else
    date.max if length < 0 else BASE + timedelta(days=start + length)),
    st.integers(0, 400), st.one_of(st.none(), st.integers(-1, 400)))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(dated, max_size=8), st.lists(st.integers(-3, 900), min_size=1, max_size=20))
def test_the_in_force_index_answers_as_the_scan_on_every_day(entries: list[_Dated],
                                                             offsets: list[int]) -> None:
    index = InForce.of(tuple(entries))
    for offset in offsets:
        day = BASE + timedelta(days=offset)
        assert index.on(day) is in_force(entries, day)
        assert index.all_on(day) == tuple(e for e in entries if e.valid_from <= day and (
            e.valid_to is None or day <= e.valid_to))


BENEFITS = [Benefit.KONTANTHJAELP, Benefit.UDDANNELSESHJAELP, Benefit.DAGPENGE,
            Benefit.OVERGANGSYDELSE]
spells = st.lists(st.tuples(st.integers(0, SPAN - 1), st.one_of(st.none(), st.integers(0, 900)),
                            st.sampled_from(BENEFITS)), max_size=6)


def _timeline(raw: list[tuple[int, int | None, Benefit]], work: list[tuple[int, int, int]],
              sick: list[tuple[int, int]], married: bool | None) -> Timeline:
    events: list[object] = []
    for start, length, benefit in raw:
        events.append(BenefitStarted(BASE + timedelta(days=start), benefit))
        if length is not None:
            events.append(BenefitEnded(BASE + timedelta(days=start + length), benefit))
    for start, length, hours in work:
        first = BASE + timedelta(days=start)
        events.append(WorkHours(first, first + timedelta(days=length), Decimal(hours) / 7))
    for start, length in sick:
        first = BASE + timedelta(days=start)
        events.append(Exemption(first, ExemptionReason.SYGDOM, first + timedelta(days=length)))
    return Timeline.of(Person("p", married=married), events)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(spells, st.integers(0, SPAN))
def test_the_runs_of_help_are_the_timeline_runs_of_help(
        raw: list[tuple[int, int | None, Benefit]], as_of: int) -> None:
    timeline = _timeline(raw, [], [], None)
    day = BASE + timedelta(days=as_of)
    assert help_runs(timeline, day) == timeline.runs_of(HELP, day)


def _window_walk(hours: Hours, month: date, era: HoursEra) -> tuple[Decimal, int]:
    """The window as the rule reads it: extended back by the extending days inside it until
    that adds no more, never beyond the cap."""
    def back(months: int) -> date:
        number = month.year * 12 + month.month - months
        return date(number // 12, number % 12 + 1, 1)
    end, base, floor = month_end(month), back(era.window.total_months), \
        back(era.window_cap.total_months)
    extended = 0
    while True:
        start = max(base - timedelta(days=extended), floor)
        covered = sum(max((min(last, end) - max(first, start)).days + 1, 0)
                      for first, last in hours.extending)
        if covered <= extended or start == floor:
            break
        extended = covered
    total = sum((h for d, h in hours.by_day.items() if start <= d <= end), Decimal(0))
    return total, (base - start).days


def _month_walk(days: list[tuple[date, date]], eras: tuple[HoursEra, ...],
                married: bool | None, timeline: Timeline, as_of: date
                ) -> tuple[date | None, HoursEra | None]:
    """The first failing month, every month from the first help to *as_of* read in turn."""
    work, exemptions = timeline.of_type(WorkHours), timeline.of_type(Exemption)
    reachable = {e.id for e in eras
                 if (e.valid_to is None or e.valid_to >= days[0][0]) and e.valid_from <= as_of}
    reached: dict[str, date | None] = {}
    for month in months_between(days[0][0], as_of):
        end = month_end(month)
        if not any(start <= end and last >= month for start, last in days):
            continue
        era = in_force(eras, month)
        if era is None or (not married and (era.unmarried_from is None
                                            or month < era.unmarried_from)):
            continue
        if era.id not in reachable:
            continue
        if era.id not in reached:
            reached[era.id] = overgangsdato(days, era)[0]
        day = reached[era.id]
        if day is None or day > end:
            continue
        if _window_walk(hours_of(work, exemptions, era, as_of), month, era)[0] < era.hours:
            return month, era
    return None, None


def _split_eras() -> tuple[HoursEra, ...]:
    """The bundled eras with the 225-hour era cut in two on a day inside a month (the second
    part asking for less help) and a gap of a few weeks before the 450-hour era: the era in
    force then changes within months and between them."""
    eras = sorted(bundled_hours_eras(), key=lambda e: e.valid_from)
    out = []
    for era in eras:
        if era.id == "225-timer":
            cut = date(2019, 3, 17)
            out.append(attrs.evolve(era, valid_to=cut - timedelta(days=1)))
            out.append(attrs.evolve(era, id="225-b", valid_from=cut, help_days=200,
                                    unmarried_from=date(2020, 2, 12)))
        elif era.id == "450-timer":
            out.append(attrs.evolve(era, valid_from=era.valid_from + timedelta(days=20)))
        else:
            out.append(era)
    return tuple(out)


ERA_SETS = [tuple(bundled_hours_eras()), _split_eras()]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(spells, st.lists(st.tuples(st.integers(0, SPAN - 1), st.integers(0, 120),
                                  st.integers(0, 3000)), max_size=4),
       st.lists(st.tuples(st.integers(0, SPAN - 1), st.integers(0, 200)), max_size=2),
       st.sampled_from([True, False, None]), st.integers(0, SPAN), st.sampled_from([0, 1]))
def test_the_first_failing_month_is_the_one_a_month_by_month_walk_finds(
        raw: list[tuple[int, int | None, Benefit]], work: list[tuple[int, int, int]],
        sick: list[tuple[int, int]], married: bool | None, as_of: int, eras: int) -> None:
    timeline = _timeline(raw, work, sick, married)
    day = BASE + timedelta(days=as_of)
    days = timeline.runs_of(HELP, day)
    if not days:
        return
    ordered = _ordered(ERA_SETS[eras])
    counts = EraCounts(days, timeline.of_type(WorkHours), timeline.of_type(Exemption), day)
    assert _first_unmet(days, ordered, married, counts, day) == _month_walk(
        days, ordered, married, timeline, day)
    for month in months_between(days[0][0], day)[-3:]:
        era = in_force(ordered, month)
        if era is not None:
            hours = counts.hours(era)
            assert window(hours, month, era) == _window_walk(hours, month, era)


def test_a_change_of_era_inside_a_month_before_the_help_is_reached_is_not_skipped() -> None:
    eras = _ordered(ERA_SETS[1])
    timeline = _timeline([(date(2018, 11, 5).toordinal() - BASE.toordinal(), None,
                           Benefit.KONTANTHJAELP)], [], [], False)
    day = date(2021, 6, 30)
    days = timeline.runs_of(HELP, day)
    counts = EraCounts(days, (), (), day)
    found = _first_unmet(days, eras, False, counts, day)
    assert found == _month_walk(days, eras, False, timeline, day)
    assert found[1] is not None
    assert found[1].id == "225-b"
