"""A Parquet log read in pieces (issue 14: 2 workers on Parquet): cut where a new person
starts, its pieces give exactly the persons, row numbers, problems and row counts of one pass,
through either reader, and a batch with two workers writes the tables of one worker."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lab_rules.inputs.eventlog import PersonRows, ReadProgress, person_starts, read_persons
from lab_rules.inputs.eventlog_arrow import read_persons_arrow
from lab_rules.inputs.eventlog_parquet import PieceUnreadableError
from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.batch import evaluate_caseload

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

AS_OF = date(2026, 1, 1)
TABLES = ("obligations.csv", "sanctions.csv", "persons.csv", "refund.csv", "quarantine.jsonl",
          "compliance.csv", "quotas.csv")
Reader = Callable[..., Iterator[PersonRows]]


def _rewrite(path: Path, rows: list[dict[str, Any]], schema: Any, group: int) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, row_group_size=group)


def _messy_parquet(path: Path, seed: int, group: int, persons: int = 40) -> None:
    """A sorted synthetic Parquet log with rows without a person_id and rows of an unknown
    event type, at random places, in row groups of *group* rows."""
    write_event_log(path, persons, seed)
    table = pq.read_table(path)
    rows = table.to_pylist()
    rng = random.Random(seed)
    blank = dict.fromkeys(table.schema.names)
    for _ in range(5):
        rows.insert(rng.randrange(len(rows) + 1), {**blank, "type": "no_show"})
    for _ in range(3):
        at = rng.randrange(len(rows))
        rows[at] = {**rows[at], "type": "no_such_event"}
    _rewrite(path, rows, table.schema, group)


def _counts(progress: ReadProgress) -> dict[str, int]:
    return {name: getattr(progress, name) for name in ("rows_read", "rows_used",
                                                        "rows_quarantined")}


@pytest.mark.parametrize("reader", [read_persons, read_persons_arrow])
@pytest.mark.parametrize(("seed", "group"), [(1, 37), (2, 1000), (3, 100_000)])
def test_parquet_pieces_read_like_one_pass(tmp_path: Path, reader: Reader, seed: int,
                                           group: int) -> None:
    log = tmp_path / "messy.parquet"
    _messy_parquet(log, seed, group)
    whole_progress = ReadProgress()
    whole = list(reader(log, whole_progress))
    assert any(p.document is None for p in whole)
    for parts in (1, 2, 3, 5, 8, 13, 40):
        cuts = person_starts(log, parts)
        assert cuts[0] == 0
        assert cuts == sorted(set(cuts))
        assert len(cuts) <= parts
        pieces: list[PersonRows] = []
        counts = dict.fromkeys(("rows_read", "rows_used", "rows_quarantined"), 0)
        for start, end in zip(cuts, [*cuts[1:], None], strict=True):
            progress = ReadProgress()
            pieces += list(reader(log, progress, start=start, end=end))
            for name in counts:
                counts[name] += getattr(progress, name)
        assert pieces == whole, parts
        assert counts == _counts(whole_progress), parts
    assert len(person_starts(log, 8)) > 1


def test_a_parquet_cut_never_parts_a_person_from_its_rows(tmp_path: Path) -> None:
    """Each cut lies on a row whose person differs from the last person before it."""
    log = tmp_path / "messy.parquet"
    _messy_parquet(log, 5, 11)
    ids = pq.read_table(log, columns=["person_id"]).column(0).to_pylist()
    for cut in person_starts(log, 40)[1:]:
        before = next(p for p in reversed(ids[:cut]) if p is not None)
        assert ids[cut] is not None
        assert ids[cut] != before


def _damaged(path: Path) -> None:
    """A synthetic log whose second row group's date column is garbled."""
    write_event_log(path, 40, 6)
    table = pq.read_table(path)
    _rewrite(path, table.to_pylist(), table.schema, 200)
    middle = pq.ParquetFile(path).metadata.row_group(1)
    column = middle.column(next(i for i in range(middle.num_columns)
                                if middle.column(i).path_in_schema == "date"))
    start = column.dictionary_page_offset or column.data_page_offset
    data = bytearray(path.read_bytes())
    for offset in range(start, start + column.total_compressed_size):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("reader", [read_persons, read_persons_arrow])
def test_a_piece_with_an_unreadable_row_group_says_so(tmp_path: Path, reader: Reader) -> None:
    """One pass reports a damaged row group as its persons' problem; a piece cannot (the
    persons around it may lie in the next piece), so it stops with an error the batch
    answers by reading in one pass."""
    log = tmp_path / "damaged.parquet"
    _damaged(log)
    assert any(p.document is None for p in reader(log))
    cuts = person_starts(log, 4)
    assert len(cuts) == 4
    start = max(cut for cut in cuts if cut <= 300)
    end = next((cut for cut in cuts if cut > 300), None)
    with pytest.raises(PieceUnreadableError):
        list(reader(log, start=start, end=end))
    assert cuts[-1] >= 400
    last = list(reader(log, start=cuts[-1]))
    assert all(p.document is not None for p in last)


def _same_tables(one: Path, two: Path) -> None:
    for table in TABLES:
        assert (one / table).read_bytes() == (two / table).read_bytes(), table


def _reading(out: Path) -> str:
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return str(run["reading"])


@pytest.mark.parametrize("reader", ["python", "arrow"])
def test_a_batch_reads_a_parquet_log_in_pieces_like_one_worker(tmp_path: Path,
                                                               reader: str) -> None:
    log = tmp_path / "messy.parquet"
    _messy_parquet(log, 7, 53, persons=60)
    one = evaluate_caseload(log, tmp_path / "one", as_of=AS_OF, workers=1, reader=reader)
    two = evaluate_caseload(log, tmp_path / "two", as_of=AS_OF, workers=2, reader=reader)
    assert _reading(tmp_path / "two") == "pieces"
    assert one.quarantined == two.quarantined > 0
    assert one.persons == two.persons
    _same_tables(tmp_path / "one", tmp_path / "two")


def test_an_unsorted_parquet_log_is_read_in_one_pass(tmp_path: Path) -> None:
    log = tmp_path / "caseload.parquet"
    write_event_log(log, 60, 5)
    table = pq.read_table(log)
    rows = table.to_pylist()
    moved = [r for r in rows if r["person_id"] == "synthetic-2"][:2]
    rows = [r for r in rows if r not in moved] + moved
    _rewrite(log, rows, table.schema, 100)
    evaluate_caseload(log, tmp_path / "one", as_of=AS_OF, workers=1)
    two = evaluate_caseload(log, tmp_path / "two", as_of=AS_OF, workers=2)
    assert two.quarantined == 1
    assert _reading(tmp_path / "two") == "one pass (persons split across pieces)"
    _same_tables(tmp_path / "one", tmp_path / "two")


def test_a_damaged_parquet_log_is_read_in_one_pass(tmp_path: Path) -> None:
    log = tmp_path / "damaged.parquet"
    _damaged(log)
    one = evaluate_caseload(log, tmp_path / "one", as_of=AS_OF, workers=1)
    two = evaluate_caseload(log, tmp_path / "two", as_of=AS_OF, workers=2)
    assert one.quarantined == two.quarantined > 0
    assert _reading(tmp_path / "two") == "one pass (rows that cannot be read apart)"
    _same_tables(tmp_path / "one", tmp_path / "two")


@pytest.mark.parametrize("content", ["json", "empty", "truncated", "no_person_id", "folder",
                                     "column_twice"])
def test_a_bad_parquet_file_gets_the_same_error_with_two_workers(
        tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Cutting the log into pieces reads it first; its errors are those of one pass."""
    from lab_rules.faces.cli import main

    log = tmp_path / "caseload.parquet"
    if content == "json":
        log.write_text('{"person_id": "a", "type": "first_contact", "date": "2024-01-02"}\n',
                       encoding="utf-8")
    elif content == "empty":
        log.write_bytes(b"")
    elif content == "folder":
        log.mkdir()
    elif content == "column_twice":
        pq.write_table(pa.Table.from_arrays(
            [pa.array(["a"]), pa.array(["first_contact"]), pa.array(["2024-01-02"]),
             pa.array(["2024-01-03"])], names=["person_id", "type", "date", "date"]), log)
    elif content == "truncated":
        write_event_log(log, 5, 1)
        log.write_bytes(log.read_bytes()[: log.stat().st_size // 2])
    else:
        pq.write_table(pa.table({"type": ["first_contact"], "date": ["2024-01-02"]}), log)
    said = []
    for workers in ("1", "2"):
        code = main(["batch", str(log), "--as-of", "2026-01-01", "--workers", workers,
                     "--out", str(tmp_path / f"out-{workers}")])
        said.append((code, capsys.readouterr().err))
    assert said[0] == said[1]
    assert said[0][0] == 2
    assert str(log) in said[0][1]


@pytest.mark.parametrize("reader", [read_persons, read_persons_arrow])
def test_a_parquet_column_named_twice_is_one_error_in_both_readers(tmp_path: Path,
                                                                    reader: Reader) -> None:
    """As a CSV header may not name a column twice: one of the two values would be lost."""
    from lab_rules.core.errors import LabRulesError

    log = tmp_path / "twice.parquet"
    pq.write_table(pa.Table.from_arrays(
        [pa.array(["a"]), pa.array(["first_contact"]), pa.array(["2024-01-02"]),
         pa.array(["2024-01-03"])], names=["person_id", "type", "date", "date"]), log)
    with pytest.raises(LabRulesError, match="named twice: date"):
        list(reader(log))


def test_a_person_id_that_is_not_text_near_a_cut_changes_no_table(tmp_path: Path) -> None:
    """A cell that cannot be read where a cut is sought only leaves that cut out."""
    log = tmp_path / "caseload.parquet"
    write_event_log(log, 60, 9)
    table = pq.read_table(log)
    ids = [v.encode() for v in table.column("person_id").to_pylist()]
    ids[len(ids) // 2] = ids[len(ids) // 2][:-1] + b"\xff"
    column = pa.array(ids, pa.binary()).view(pa.string())
    table = table.set_column(table.schema.get_field_index("person_id"), "person_id", column)
    pq.write_table(table, log, row_group_size=50)
    one = evaluate_caseload(log, tmp_path / "one", as_of=AS_OF, workers=1)
    two = evaluate_caseload(log, tmp_path / "two", as_of=AS_OF, workers=2)
    assert one.quarantined == two.quarantined > 0
    _same_tables(tmp_path / "one", tmp_path / "two")
