"""The columnar fast path read chunk by chunk (:mod:`lab_rules.loops.columnar_chunks`) gives the
rows and pairs of the whole caseload at once, whatever the chunk size, the order of the log's
rows, its format or the rules asked for; a chunk holds every row of its persons and no more
persons than asked."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pl = pytest.importorskip("polars")

from lab_rules.inputs.eventlog_write import write_rows  # noqa: E402
from lab_rules.inputs.synth import event_rows  # noqa: E402
from lab_rules.law.bundle import Law, bundled_law  # noqa: E402
from lab_rules.loops import columnar_chunks  # noqa: E402
from lab_rules.loops.columnar import (  # noqa: E402
    ROW_COLUMNS,
    evaluate_columnar,
    iter_columnar,
    scan_events,
)
from lab_rules.loops.columnar_chunks import person_chunks  # noqa: E402
from lab_rules.loops.columnar_rules import fast_rules  # noqa: E402
from test_columnar import VARIANTS, _edge_rows, _overlaid  # noqa: E402


def _rows() -> Iterator[dict[str, Any]]:
    yield from event_rows(500, 24)
    for row in event_rows(200, 25, date(2008, 1, 7), date(2016, 12, 31)):
        yield {**row, "person_id": f"early-{row['person_id']}"}
    yield from _edge_rows(400, 26)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same caseload as JSON Lines with each person's rows together, as JSON Lines with
    every row in a random place, and as Parquet."""
    folder = tmp_path_factory.mktemp("chunks")
    rows = list(_rows())
    paths = {"sorted": folder / "sorted.jsonl", "shuffled": folder / "shuffled.jsonl",
             "parquet": folder / "log.parquet"}
    write_rows(paths["sorted"], rows)
    write_rows(paths["parquet"], rows)
    random.Random(3).shuffle(rows)
    write_rows(paths["shuffled"], rows)
    return paths


def _law(policies: dict[str, str] | None) -> Law:
    return _overlaid() if policies is None else bundled_law()


def _same(found: tuple[Any, set[tuple[str, str]]],
          expected: tuple[Any, set[tuple[str, str]]]) -> None:
    assert found[0].columns == list(ROW_COLUMNS)
    assert found[0].to_dicts() == expected[0].to_dicts()
    assert found[1] == expected[1]


@pytest.mark.parametrize(("as_of", "variant"), [VARIANTS[0], VARIANTS[2], VARIANTS[5]],
                         ids=["national", "selector_due", "overlay_restart"])
@pytest.mark.parametrize("chunk_persons", [61, 400, None, 10**6])
def test_rows_are_those_of_the_whole_caseload_whatever_the_chunk_size(
        logs: dict[str, Path], as_of: date, variant: tuple[str, dict[str, str] | None],
        chunk_persons: int | None) -> None:
    _, policies = variant
    law = _law(policies)
    whole = evaluate_columnar(scan_events(logs["sorted"]), law, as_of, policies)
    assert whole[0].height > 200
    chunked = evaluate_columnar(logs["sorted"], law, as_of, policies,
                                chunk_persons=chunk_persons)
    _same(chunked, whole)


@pytest.mark.parametrize("chunk_persons", [157, 10**6])
def test_a_log_whose_persons_rows_are_spread_gives_the_same_rows(
        logs: dict[str, Path], chunk_persons: int) -> None:
    law = bundled_law()
    as_of = date(2019, 12, 31)
    whole = evaluate_columnar(scan_events(logs["sorted"]), law, as_of, {})
    _same(evaluate_columnar(logs["shuffled"], law, as_of, {}, chunk_persons=chunk_persons),
          whole)


@pytest.mark.parametrize("source", ["parquet", "frame", "lazy frame"])
def test_parquet_and_frames_give_the_rows_of_json_lines(logs: dict[str, Path],
                                                        source: str) -> None:
    law = bundled_law()
    as_of = date(2026, 12, 31)
    whole = evaluate_columnar(scan_events(logs["sorted"]), law, as_of, {})
    lazy = scan_events(logs["shuffled"])
    given = (logs["parquet"] if source == "parquet"
             else lazy.collect() if source == "frame" else lazy)
    _same(evaluate_columnar(given, law, as_of, {}, chunk_persons=120), whole)


def test_a_chunk_holds_every_row_of_at_most_chunk_persons_persons(
        logs: dict[str, Path]) -> None:
    whole = scan_events(logs["shuffled"]).collect()
    seen: list[str] = []
    counted = 0
    for chunk in person_chunks(logs["shuffled"], 150):
        persons = chunk.get_column("person_id").unique().to_list()
        assert len(persons) <= 150
        seen += persons
        counted += chunk.height
    assert sorted(seen) == sorted(set(seen))
    assert set(seen) == set(whole.get_column("person_id").to_list())
    read = whole.filter(pl.col("type").is_in(["person", "exemption", "benefit_started",
                                              "benefit_ended", "first_contact", "registered",
                                              "group_changed", "conversation_held",
                                              "no_show"]))
    assert counted == read.height


@pytest.mark.parametrize("log", ["sorted", "shuffled"])
def test_segments_kept_in_parts_and_a_log_read_in_small_blocks_give_the_same_chunks(
        logs: dict[str, Path], log: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A closed segment is kept in files of a few rows each and the log is read a few lines at
    a time (both bound the memory of a read, issue 14): the same rows, and for a log whose
    persons' rows are together the same chunks (where they are spread, a segment closes on a
    count of persons that depends on where the blocks are cut)."""
    expected = list(person_chunks(logs[log], 150))
    assert len(expected) > 3
    monkeypatch.setattr(columnar_chunks, "_PART_ROWS", 97)
    monkeypatch.setattr(columnar_chunks, "BLOCK_BYTES", 4096)
    found = list(person_chunks(logs[log], 150))
    if log == "sorted":
        assert [c.height for c in found] == [c.height for c in expected]
    columns = found[0].columns
    assert pl.concat(found).sort(columns, nulls_last=True).equals(
        pl.concat(expected).sort(columns, nulls_last=True))


def test_the_rules_asked_for_read_only_their_fields_and_give_their_rows(
        logs: dict[str, Path]) -> None:
    law = bundled_law()
    as_of = date(2026, 12, 31)
    whole = evaluate_columnar(scan_events(logs["sorted"]), law, as_of, {})
    for ids in ({"dk.lab.2026.kontanthjaelp.first_jobsamtale"},
                {r.id for r in fast_rules(law) if "dagpenge" in r.id}):
        parts = list(iter_columnar(logs["sorted"], law, as_of, {}, only=ids,
                                   chunk_persons=300))
        rows = pl.concat([r for r, _ in parts]).sort("person_id", maintain_order=True)
        pairs = {p for _, frame in parts for p in frame.iter_rows()}
        assert rows.height > 0
        assert rows.to_dicts() == whole[0].filter(pl.col("rule_id").is_in(ids)).to_dicts()
        assert pairs == {p for p in whole[1] if p[1] in ids}


def test_an_empty_log_gives_one_empty_chunk(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    parts = list(iter_columnar(path, bundled_law(), date(2026, 12, 31)))
    assert len(parts) == 1
    assert parts[0][0].height == parts[0][1].height == 0
    rows, pairs = evaluate_columnar(path, bundled_law(), date(2026, 12, 31))
    assert rows.columns == list(ROW_COLUMNS)
    assert not pairs


def test_a_chunk_of_no_persons_is_refused(logs: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="chunk_persons"):
        next(person_chunks(logs["sorted"], 0))


def test_a_signal_while_the_chunks_folder_is_removed_waits_for_the_removal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing the chunks (an interrupted batch) removes their scratch folder whole; a signal
    that comes meanwhile is raised after, where the caller closes them, not inside the
    generator's clean-up (where Python would only print it)."""
    import os
    import shutil
    import signal

    from lab_rules.loops.interrupts import interruptible

    log = tmp_path / "caseload.jsonl"
    write_rows(log, event_rows(40, 3))
    removed: list[str] = []
    remove = shutil.rmtree

    def interrupted_removal(path: str, ignore_errors: bool = False) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        remove(path, ignore_errors=ignore_errors)
        removed.append(path)

    monkeypatch.setattr(shutil, "rmtree", interrupted_removal)
    with interruptible():
        chunks = person_chunks(log, 5)
        next(chunks)
        with pytest.raises(KeyboardInterrupt):
            chunks.close()
    assert len(removed) == 1
    assert not Path(removed[0]).exists()
