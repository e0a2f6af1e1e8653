"""Date arithmetic: the Catala vectors, the three deadline readings, durations."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from conftest import CASES
from lab_rules.calendar import (
    Duration,
    Reading,
    Roll,
    Rounding,
    add,
    add_explained,
    after,
    anchored_schedule,
    chained_schedule,
    deadline,
    end_of_week,
    within,
)
from lab_rules.core.errors import (
    AmbiguousDateError,
    DurationFormatError,
    IncomparableDurationsError,
)


def _vectors() -> list[tuple[str, date, Duration, str, str, str]]:
    with (CASES / "catala_date_vectors.csv").open() as handle:
        rows = [r for r in csv.reader(handle) if r and not r[0].startswith("#")]
    return [
        (r[0], date.fromisoformat(r[1]), Duration(int(r[2]), int(r[3]), int(r[4])),
         r[5], r[6], r[7])
        for r in rows
    ]


VECTORS = _vectors()


def test_vector_file_holds_every_catala_vector() -> None:
    assert len(VECTORS) == 30


@pytest.mark.parametrize(("vid", "start", "duration", "up", "down", "strict"), VECTORS,
                         ids=[v[0] for v in VECTORS])
def test_catala_vector(vid: str, start: date, duration: Duration, up: str, down: str,
                       strict: str) -> None:
    assert add(start, duration, Rounding.UP) == date.fromisoformat(up)
    assert add(start, duration, Rounding.DOWN) == date.fromisoformat(down)
    if strict == "error":
        with pytest.raises(AmbiguousDateError):
            add(start, duration, Rounding.STRICT)
    else:
        assert add(start, duration, Rounding.STRICT) == date.fromisoformat(strict)


def test_issue_acceptance_31_january_plus_one_month() -> None:
    p1m = Duration.parse("P1M")
    with pytest.raises(AmbiguousDateError, match=r"2012-01-31 \+ P1M"):
        add(date(2012, 1, 31), p1m, Rounding.STRICT)
    assert add(date(2012, 1, 31), p1m, Rounding.DOWN) == date(2012, 2, 29)
    assert add(date(2012, 1, 31), p1m, Rounding.UP) == date(2012, 3, 1)


def test_ambiguous_date_error_names_date_and_duration() -> None:
    with pytest.raises(AmbiguousDateError) as caught:
        add(date(2013, 1, 31), Duration.parse("P1M"), Rounding.STRICT)
    assert caught.value.start == date(2013, 1, 31)
    assert caught.value.duration == Duration(months=1)
    assert "2013-02-31" in str(caught.value)


def test_months_are_added_before_days_and_rounded_once() -> None:
    # 31 Jan + 1 month 1 day: Feb 29 (rounded down) + 1 day = Mar 1; up: Mar 1 + 1 = Mar 2.
    duration = Duration(months=1, days=1)
    assert add(date(2012, 1, 31), duration, Rounding.DOWN) == date(2012, 3, 1)
    assert add(date(2012, 1, 31), duration, Rounding.UP) == date(2012, 3, 2)


def test_add_explained_records_rounding() -> None:
    step = add_explained(date(2024, 8, 31), Duration(months=1), Rounding.DOWN)
    assert step.result == date(2024, 9, 30)
    assert step.rounded
    assert not add_explained(date(2024, 8, 30), Duration(months=1), Rounding.DOWN).rounded


def test_negative_months_round_the_same_way() -> None:
    assert add(date(2012, 3, 31), Duration.parse("-P1M"), Rounding.DOWN) == date(2012, 2, 29)
    assert add(date(2012, 3, 31), Duration.parse("-P1M"), Rounding.UP) == date(2012, 3, 1)


def test_after_reading_first_contact_plus_one_week() -> None:
    # semantics.md §1: "senest 1 uge fra første henvendelse", Mon 4 Mar 2024 -> Mon 11 Mar.
    assert after(date(2024, 3, 4), Duration.parse("P1W")) == date(2024, 3, 11)


def test_within_reading_counts_the_anchor_day() -> None:
    assert within(date(2024, 3, 4), Duration.parse("P6M")) == date(2024, 9, 3)


def test_within_reading_keeps_the_last_day_of_a_short_february() -> None:
    # From 29 Aug 2024: 28 Feb 2025; rounding down first would give 27 Feb.
    assert within(date(2024, 8, 29), Duration.parse("P6M")) == date(2025, 2, 28)
    assert within(date(2024, 8, 29), Duration.parse("P6M"), Rounding.DOWN) == date(2025, 2, 27)


def test_end_of_week_reading_counts_seven_day_blocks_from_the_anchor() -> None:
    # sdp § 13 b: first absence Wed 10 Jan 2024 -> end of week 8 is Tue 5 Mar 2024 (D-02).
    assert end_of_week(date(2024, 1, 10), 8) == date(2024, 3, 5)


def test_end_of_week_calendar_reading_ends_on_a_sunday() -> None:
    assert end_of_week(date(2024, 1, 10), 8, calendar_weeks=True) == date(2024, 3, 3)


def test_end_of_week_rejects_week_zero() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        end_of_week(date(2024, 1, 10), 0)


def test_deadline_records_every_step() -> None:
    computed = deadline(date(2024, 8, 29), Duration.parse("P6M"), Reading.WITHIN, Rounding.UP)
    assert computed.result == date(2025, 2, 28)
    assert computed.rounded
    expected = "2024-08-29 + 6 months (within, rounding up, rounded) = 2025-02-28"
    assert computed.describe() == expected
    assert "6 måneder" in computed.describe("da")


def test_deadline_rolls_a_closed_day_forward_and_says_so() -> None:
    # 4 Mar 2024 + 5 days = Sat 9 Mar; forward to Mon 11 Mar.
    computed = deadline(date(2024, 3, 4), Duration(days=5), Reading.AFTER, Rounding.STRICT,
                        Roll.FORWARD)
    assert (computed.unrolled, computed.result) == (date(2024, 3, 9), date(2024, 3, 11))
    assert "rolled to 2024-03-11 (forward)" in computed.describe()


def test_deadline_end_of_week_needs_whole_weeks() -> None:
    with pytest.raises(ValueError, match=r"whole|weeks"):
        deadline(date(2024, 1, 10), Duration(months=2), Reading.END_OF_WEEK, Rounding.STRICT)
    computed = deadline(date(2024, 1, 10), Duration.parse("P8W"), Reading.END_OF_CALENDAR_WEEK,
                        Rounding.STRICT)
    assert computed.result == date(2024, 3, 3)


def test_anchored_schedule_does_not_drift_after_a_clamp() -> None:
    # date-arithmetic.md: from 31 Jan 2024, monthly.
    month = Duration(months=1)
    assert anchored_schedule(date(2024, 1, 31), month, 6, Rounding.DOWN) == (
        date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30),
        date(2024, 5, 31), date(2024, 6, 30), date(2024, 7, 31),
    )
    assert chained_schedule(date(2024, 1, 31), month, 6, Rounding.DOWN) == (
        date(2024, 2, 29), date(2024, 3, 29), date(2024, 4, 29),
        date(2024, 5, 29), date(2024, 6, 29), date(2024, 7, 29),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P1M", Duration(months=1)),
        ("P2W", Duration(days=14)),
        ("P1Y2M3D", Duration(1, 2, 3)),
        ("P10D", Duration(days=10)),
        ("-P1M", Duration(months=-1)),
        ("P-3D", Duration(days=-3)),
        ("P2W3D", Duration(days=17)),
        ("P0D", Duration()),
    ],
)
def test_duration_parses_iso_8601(text: str, expected: Duration) -> None:
    assert Duration.parse(text) == expected


@pytest.mark.parametrize("text", ["", "P", "1M", "P1.5M", "PT1H", "P1M1Y", "P1H", "month"])
def test_duration_rejects_malformed_text(text: str) -> None:
    with pytest.raises(DurationFormatError):
        Duration.parse(text)


def test_duration_with_a_time_part_gets_a_hint() -> None:
    with pytest.raises(DurationFormatError, match="no time part"):
        Duration.parse("P1DT2H")


@pytest.mark.parametrize("text", ["P1M", "P2W", "P1Y2M3D", "-P1M", "P10D", "P0D", "-P2W"])
def test_duration_prints_as_written(text: str) -> None:
    assert str(Duration.parse(text)) == text


def test_duration_is_never_normalised() -> None:
    assert Duration.parse("P12M") == Duration.parse("P1Y")  # one unit family: 1 year = 12 months
    assert Duration.parse("P30D") != Duration.parse("P1M")
    assert Duration.parse("P2W") == Duration.parse("P14D")
    assert Duration.parse("P14D").weeks == 2
    assert Duration.parse("P1M").weeks is None


def test_durations_of_the_same_unit_compare() -> None:
    assert Duration.parse("P1W") < Duration.parse("P8D")
    assert Duration.parse("P1M") < Duration.parse("P1Y")
    assert Duration.parse("P6M") >= Duration.parse("P6M")


def test_comparing_months_with_days_raises() -> None:
    with pytest.raises(IncomparableDurationsError, match="month has no fixed number of days"):
        _ = Duration.parse("P1M") < Duration.parse("P30D")
    with pytest.raises(IncomparableDurationsError):
        _ = Duration.parse("P1M2D") > Duration.parse("P1M")


def test_duration_arithmetic() -> None:
    assert Duration.parse("P1M") * 3 == Duration(months=3)
    assert 2 * Duration.parse("P2W") == Duration(days=28)
    assert Duration.parse("P1M") + Duration.parse("P1D") == Duration(months=1, days=1)
    assert -Duration.parse("P1M") == Duration(months=-1)
    assert Duration.parse("P1M") - Duration.parse("P1M") == Duration()


def test_duration_rejects_non_integer_parts() -> None:
    with pytest.raises(TypeError):
        Duration(months=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Duration(days=True)


@pytest.mark.parametrize(
    ("text", "lang", "words"),
    [
        ("P6M", "da", "6 måneder"),
        ("P1M", "da", "1 måned"),
        ("P2W", "da", "2 uger"),
        ("P8W", "en", "8 weeks"),
        ("P1Y2M3D", "en", "1 year, 2 months and 3 days"),
        ("P1D", "da", "1 dag"),
    ],
)
def test_duration_describes_itself(text: str, lang: str, words: str) -> None:
    assert Duration.parse(text).describe(lang) == words
