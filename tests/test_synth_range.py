"""Synthetic caseloads stay inside the supported range of timeline dates: a start window
whose cases would run past the last day is refused, and one that ends at the latest start
gives cases the batch evaluates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from lab_rules.core.errors import LabRulesError
from lab_rules.faces.cli import main
from lab_rules.inputs.synth import synthetic_caseload, synthetic_reach
from lab_rules.inputs.timeline_fields import LAST_DAY


def _last_day(years: int, start: date) -> date:
    found = start
    for timeline in synthetic_caseload(300, 7, start, start, years=years):
        for event in timeline.events:
            for name in ("date", "start", "end", "meeting_date"):
                value = getattr(event, name, None)
                if isinstance(value, date):
                    found = max(found, value)
    return found


@pytest.mark.parametrize("years", [2, 5, 10])
def test_every_event_of_a_synthetic_case_falls_within_its_reach(years: int) -> None:
    start = date(2020, 1, 1)
    assert _last_day(years, start) <= start + synthetic_reach(years)


def test_a_start_window_running_past_the_last_day_is_refused() -> None:
    latest = LAST_DAY - synthetic_reach(2)
    assert _last_day(2, latest) <= LAST_DAY
    with pytest.raises(LabRulesError, match="latest start"):
        next(synthetic_caseload(1, 1, latest, latest + timedelta(days=1)))


def test_synth_refuses_the_window_with_the_usage_code_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.jsonl"
    assert main(["synth", "--persons", "3", "--start-from", "2100-12-31", "--start-to",
                 "2100-12-31", "--out", str(out)]) == 2
    assert "latest start" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
