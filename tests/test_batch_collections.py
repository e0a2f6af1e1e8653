"""A batch run collects the collector's youngest generation less often while it lasts (see
``lab_rules.loops.batch._fewer_collections``) and gives the thresholds back when it ends,
however it ends; a collector switched off by a threshold of 0 stays off."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from lab_rules.inputs.synth import write_event_log
from lab_rules.loops import batch
from lab_rules.loops.batch import YOUNG_OBJECTS, _fewer_collections, evaluate_caseload


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        yield gc.get_threshold()
    finally:
        gc.set_threshold(*before)


def test_fewer_collections_for_the_block_and_back(thresholds: tuple[int, int, int]) -> None:
    with _fewer_collections():
        assert gc.get_threshold() == (YOUNG_OBJECTS, 10, 10)
    assert gc.get_threshold() == thresholds
    with pytest.raises(ValueError, match="boom"), _fewer_collections():
        raise ValueError("boom")
    assert gc.get_threshold() == thresholds


def test_a_higher_threshold_or_a_collector_switched_off_is_kept(
        thresholds: tuple[int, int, int]) -> None:
    for kept in ((YOUNG_OBJECTS * 2, 5, 5), (0, 10, 10)):
        gc.set_threshold(*kept)
        with _fewer_collections():
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
