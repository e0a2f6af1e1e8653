"""The Danish business calendar: holidays, Store Bededag, closed days, business-day math."""

from __future__ import annotations

from datetime import date

import pytest

from lab_rules.calendar import ClosedDay, DanishCalendar, Roll

CAL = DanishCalendar()


def test_store_bededag_2024_is_a_business_day() -> None:
    # Store Bededag was abolished from 2024 (it would have been Fri 26 Apr 2024).
    assert CAL.is_business_day(date(2024, 4, 26))


def test_store_bededag_2023_is_closed() -> None:
    assert not CAL.is_business_day(date(2023, 5, 5))
    assert CAL.holiday_name(date(2023, 5, 5)) is not None


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 1, 1), date(2024, 3, 28), date(2024, 3, 29), date(2024, 4, 1),
        date(2024, 5, 9), date(2024, 5, 20), date(2024, 12, 25), date(2024, 12, 26),
    ],
)
def test_public_holidays_2024_are_closed(day: date) -> None:
    assert not CAL.is_business_day(day)


def test_weekends_are_closed() -> None:
    assert not CAL.is_business_day(date(2024, 3, 9))
    assert not CAL.is_business_day(date(2024, 3, 10))
    assert CAL.is_business_day(date(2024, 3, 11))


def test_grundlovsdag_and_christmas_eve_are_open_unless_configured() -> None:
    for day in (date(2024, 6, 5), date(2024, 12, 24), date(2024, 12, 31)):
        assert CAL.is_business_day(day)
    closed = DanishCalendar(closed_days={ClosedDay.GRUNDLOVSDAG, ClosedDay.JULEAFTENSDAG,
                                         ClosedDay.NYTAARSAFTENSDAG})
    for day in (date(2024, 6, 5), date(2024, 12, 24), date(2024, 12, 31)):
        assert not closed.is_business_day(day)
    assert closed.holiday_name(date(2024, 6, 5)) == "Grundlovsdag"


def test_extra_closed_days() -> None:
    cal = DanishCalendar(extra_closed={date(2024, 3, 12)})
    assert not cal.is_business_day(date(2024, 3, 12))
    assert cal.roll(date(2024, 3, 12), Roll.FORWARD) == date(2024, 3, 13)


def test_roll_over_easter() -> None:
    # Maundy Thursday 28 Mar 2024 to Easter Monday 1 Apr are closed.
    assert CAL.roll(date(2024, 3, 28), Roll.FORWARD) == date(2024, 4, 2)
    assert CAL.roll(date(2024, 3, 28), Roll.BACKWARD) == date(2024, 3, 27)
    assert CAL.roll(date(2024, 3, 28), Roll.NONE) == date(2024, 3, 28)


def test_add_business_days_skips_weekends_and_holidays() -> None:
    assert CAL.add_business_days(date(2024, 3, 27), 1) == date(2024, 4, 2)
    assert CAL.add_business_days(date(2024, 4, 2), -1) == date(2024, 3, 27)
    assert CAL.add_business_days(date(2024, 3, 9), 0) == date(2024, 3, 9)
    # O-12: contact within 5 hverdage from Thu 19 Dec 2024 -> Mon 30 Dec (24 Dec is open).
    assert CAL.add_business_days(date(2024, 12, 19), 5) == date(2024, 12, 30)


def test_business_days_between_counts_after_start_up_to_end() -> None:
    assert CAL.business_days_between(date(2024, 3, 4), date(2024, 3, 11)) == 5
    assert CAL.business_days_between(date(2024, 3, 11), date(2024, 3, 4)) == -5
    assert CAL.business_days_between(date(2024, 3, 25), date(2024, 4, 2)) == 3  # Easter
    assert CAL.business_days_between(date(2024, 3, 4), date(2024, 3, 4)) == 0


def test_calendar_is_immutable_and_hashable() -> None:
    assert DanishCalendar() == DanishCalendar()
    assert hash(DanishCalendar(closed_days={ClosedDay.GRUNDLOVSDAG})) == hash(
        DanishCalendar(closed_days=[ClosedDay.GRUNDLOVSDAG]))
