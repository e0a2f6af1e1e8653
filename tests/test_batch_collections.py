"""A batch run collects the collector's youngest generation less often while it lasts (see
``lab_rules.loops.collector.fewer_young_collections``) and gives the thresholds back when it
ends, however it ends, and when runs overlap, when the last ends; a collector switched off by
a threshold of 0 stays off."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from lab_rules.inputs.synth import write_event_log
from lab_rules.loops import batch
from lab_rules.loops.batch import evaluate_caseload
from lab_rules.loops.collector import YOUNG_OBJECTS, fewer_young_collections


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        yield gc.get_threshold()
    finally:
        gc.set_threshold(*before)


def test_fewer_collections_for_the_block_and_back(thresholds: tuple[int, int, int]) -> None:
    with fewer_young_collections():
        assert gc.get_threshold() == (YOUNG_OBJECTS, 10, 10)
    assert gc.get_threshold() == thresholds
    with pytest.raises(ValueError, match="boom"), fewer_young_collections():
        raise ValueError("boom")
    assert gc.get_threshold() == thresholds


def test_overlapping_runs_give_the_thresholds_back_when_the_last_ends(
        thresholds: tuple[int, int, int]) -> None:
    """Two runs in two threads overlap: the first to end must not undo the change under the
    second, and the last must give back the thresholds from before the first (not the
    changed ones it found when it began)."""
    first, second = fewer_young_collections(), fewer_young_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == (YOUNG_OBJECTS, 10, 10)
    second.__exit__(None, None, None)
    assert gc.get_threshold() == thresholds


def test_a_higher_threshold_or_a_collector_switched_off_is_kept(
        thresholds: tuple[int, int, int]) -> None:
    for kept in ((YOUNG_OBJECTS * 2, 5, 5), (0, 10, 10)):
        gc.set_threshold(*kept)
        with fewer_young_collections():
            assert gc.get_threshold()[0] == kept[0]
        assert gc.get_threshold() == kept


def test_a_batch_runs_with_fewer_collections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             thresholds: tuple[int, int, int]) -> None:
    seen: list[tuple[int, int, int]] = []
    run = batch._run

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        return run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "_run", spy)
    log = tmp_path / "log.jsonl"
    write_event_log(log, 3, seed=1)
    evaluate_caseload(log, tmp_path / "out", as_of=date(2026, 1, 1), workers=1)
    assert seen == [(YOUNG_OBJECTS, 10, 10)]
    assert gc.get_threshold() == thresholds
