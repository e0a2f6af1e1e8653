"""The event-log reader (issue 12, points 1-3, reader side): one typed reader for JSON Lines,
CSV and Parquet; every reader error a located problem of its person; split persons held back
as a whole; rows accounted for."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog import PersonRows, ReadProgress, read_persons
from lab_rules.inputs.row_types import convert_row
from lab_rules.inputs.synth import write_event_log


def _person(pid: str, conversations: int = 2) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"person_id": pid, "type": "person", "birth_date": "1985-03-01", "education": True},
        {"person_id": pid, "type": "first_contact", "date": "2026-07-06"},
        {"person_id": pid, "type": "benefit_started", "date": "2026-07-06",
         "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"}]
    rows += [{"person_id": pid, "type": "conversation_held", "date": f"2026-{8 + n:02d}-03",
              "kind": "jobsamtale"} for n in range(conversations)]
    return rows


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _csv(path: Path, rows: list[dict[str, Any]], *, bom: bool = False) -> Path:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, keys)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _read(path: Path) -> tuple[list[PersonRows], ReadProgress]:
    progress = ReadProgress()
    persons = list(read_persons(path, progress))
    assert progress.rows_read == progress.rows_used + progress.rows_quarantined
    assert progress.rows_read == sum(p.rows for p in persons)
    return persons, progress


def _by_id(persons: list[PersonRows]) -> dict[str, PersonRows]:
    return {p.person_id: p for p in persons}


# --- typed cells ---------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["2", 2, 2.0, " 2 ", "2.0", Decimal("2")])
def test_integers_from_text_floats_and_numbers(cell: object) -> None:
    values, problems = convert_row({"type": "sickness_reported", "category": cell})
    assert problems == []
    assert values["category"] == 2
    assert type(values["category"]) is int


@pytest.mark.parametrize(("cell", "want"), [
    (True, True), ("true", True), ("True", True), ("TRUE", True), (1, True), (1.0, True),
    ("1", True), ("1.0", True), (False, False), ("false", False), ("False", False),
    (0, False), (0.0, False), ("0", False), ("0.0", False)])
def test_booleans_in_every_spelling(cell: object, want: bool) -> None:
    values, problems = convert_row({"type": "written_guidance", "sufficient": cell})
    assert problems == []
    assert values["sufficient"] is want


@pytest.mark.parametrize(("cell", "want"), [
    ("1234.50", Decimal("1234.50")), (Decimal("1234.50"), Decimal("1234.50")),
    (1234.5, Decimal("1234.5")), (12000, Decimal(12000))])
def test_decimals_from_text_and_numbers(cell: object, want: Decimal) -> None:
    values, problems = convert_row({"type": "payment", "amount": cell})
    assert problems == []
    assert values["amount"] == want


def test_dates_from_iso_text_and_arrow_values() -> None:
    from datetime import date, datetime

    for cell in ("2024-03-04", date(2024, 3, 4), datetime(2024, 3, 4),
                 "2024-03-04 00:00:00", "2024-03-04T00:00:00"):
        values, problems = convert_row({"type": "first_contact", "date": cell})
        assert (values, problems) == ({"type": "first_contact", "date": "2024-03-04"}, [])


@pytest.mark.parametrize("cell", [None, "", "  ", float("nan"), Decimal("NaN")])
def test_empty_null_and_nan_are_missing(cell: object) -> None:
    values, problems = convert_row({"type": "written_guidance", "date": "2024-03-04",
                                    "sufficient": cell})
    assert problems == []
    assert "sufficient" not in values


@pytest.mark.parametrize(("field", "cell"), [
    ("category", "two"), ("category", 2.5), ("category", "9" * 4300), ("category", 10 ** 40),
    ("category", True), ("category", "²"), ("date", "2024-02-30"), ("date", "04-03-2024"),
    ("employed", "yes"), ("employed", 2)])
def test_cells_no_spelling_fits_are_named_problems(field: str, cell: object) -> None:
    _, problems = convert_row({"type": "sickness_reported", field: cell})
    assert len(problems) == 1
    assert problems[0].startswith(f"{field}: ")


@pytest.mark.parametrize("cell", [Decimal("1E+999999999"), float("inf"), "1e5", "12.000,00"])
def test_unusable_amounts_are_problems_not_crashes(cell: object) -> None:
    _, problems = convert_row({"type": "payment", "amount": cell})
    assert len(problems) == 1


# --- formats ------------------------------------------------------------------------------

def _synth_rows(tmp_path: Path, persons: int = 25, seed: int = 3) -> list[dict[str, Any]]:
    write_event_log(tmp_path / "synth.jsonl", persons, seed)
    return [json.loads(line) for line in
            (tmp_path / "synth.jsonl").read_text(encoding="utf-8").splitlines()]


def _documents(path: Path) -> list[dict[str, Any] | None]:
    persons, progress = _read(path)
    assert progress.rows_quarantined == 0, [p.problems for p in persons if p.problems][:1]
    return [p.document for p in persons]


def test_pandas_csv_and_parquet_read_like_json_lines(tmp_path: Path) -> None:
    """pandas writes integers with gaps as 2.0, booleans as True/False, its index as an
    unnamed column, NaN for missing cells; the documents are those of the JSON Lines log."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame(_synth_rows(tmp_path))
    assert frame["category"].dtype == "float64"
    frame.to_csv(tmp_path / "pandas.csv")
    frame.to_parquet(tmp_path / "pandas.parquet")
    frame.iloc[::-1].sort_values("person_id", kind="stable").to_parquet(
        tmp_path / "indexed.parquet")
    want = _documents(tmp_path / "synth.jsonl")
    assert _documents(tmp_path / "pandas.csv") == want
    assert _documents(tmp_path / "pandas.parquet") == want
    assert len(_documents(tmp_path / "indexed.parquet")) == len(want)


def test_python_csv_and_a_bom_read_like_json_lines(tmp_path: Path) -> None:
    rows = _synth_rows(tmp_path)
    want = _documents(tmp_path / "synth.jsonl")
    assert _documents(_csv(tmp_path / "plain.csv", rows)) == want
    assert _documents(_csv(tmp_path / "bom.csv", rows, bom=True)) == want


def test_semicolon_separated_csv_is_read(tmp_path: Path) -> None:
    log = tmp_path / "excel.csv"
    log.write_text("person_id;type;date\r\np1;first_contact;2024-01-02\r\n", encoding="utf-8")
    (person,), _ = _read(log)
    assert person.document is not None
    assert person.document["events"] == [{"type": "first_contact", "date": "2024-01-02"}]


def test_numeric_json_amounts_are_decimals(tmp_path: Path) -> None:
    log = tmp_path / "amount.jsonl"
    log.write_text('{"person_id": "p", "type": "payment", "benefit": "kontanthjaelp", '
                   '"start": "2024-01-01", "end": "2024-01-31", "amount": 1234.50}\n',
                   encoding="utf-8")
    (person,), _ = _read(log)
    assert person.document is not None
    assert person.document["events"][0]["amount"] == Decimal("1234.50")


@pytest.mark.parametrize(("name", "content", "says"), [
    ("events.csv", b'{"person_id": "p", "type": "first_contact"}\n', "holds JSON Lines"),
    ("events.jsonl", b"person_id,type,date\np,first_contact,2024-01-02\n", "holds CSV"),
    ("events.parquet", b'{"person_id": "p"}\n', "not a Parquet file"),
    ("events.csv", b"PAR1\x00\x00", "holds Parquet"),
    ("events.parquet", b"", "empty"),
    ("events.txt", b"", "unknown event-log format"),
    ("events.jsonl", b"\x1f\x8b\x08\x00rest", "gzip"),
    ("events.csv", b"PK\x03\x04rest", "zip"),
    ("events.csv", "person_id,type\n".encode("utf-16"), "UTF-16"),
])
def test_a_format_that_does_not_match_the_suffix_is_one_error(
        tmp_path: Path, name: str, content: bytes, says: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(LabRulesError, match=says):
        list(read_persons(tmp_path / name))


def test_a_csv_without_a_person_id_column_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("id,type\n1,person\n", encoding="utf-8")
    with pytest.raises(LabRulesError, match="no person_id column"):
        list(read_persons(tmp_path / "x.csv"))


def test_a_missing_file_is_one_error(tmp_path: Path) -> None:
    with pytest.raises((LabRulesError, OSError)):
        list(read_persons(tmp_path / "absent.jsonl"))


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_synth_writes_the_format_its_suffix_names(tmp_path: Path, suffix: str) -> None:
    """synth --out events.csv writes CSV (not JSON Lines), .parquet typed Parquet; each reads
    back to the documents of the JSON Lines log."""
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    write_event_log(tmp_path / "events.jsonl", 20, 7)
    rows = write_event_log(tmp_path / f"events{suffix}", 20, 7)
    assert rows == len((tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines())
    head = (tmp_path / f"events{suffix}").read_bytes()[:4]
    assert head == (b"PAR1" if suffix == ".parquet" else b"pers")
    assert _documents(tmp_path / f"events{suffix}") == _documents(tmp_path / "events.jsonl")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_synth_to_an_unknown_suffix_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(LabRulesError, match="unknown event-log format"):
        write_event_log(tmp_path / "events.txt", 3, 1)
    assert list(tmp_path.iterdir()) == []


def test_readme_synth_then_batch_works_for_every_format(tmp_path: Path) -> None:
    """The README's synth -> batch example for .jsonl, .csv and .parquet, and for a CSV and a
    Parquet file pandas wrote from the same rows: the same tables, nobody quarantined."""
    from lab_rules.faces.cli import main

    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    logs = [tmp_path / f"events{suffix}" for suffix in (".jsonl", ".csv", ".parquet")]
    for log in logs:
        assert main(["synth", "--persons", "30", "--seed", "7", "--out", str(log)]) == 0
    frame = pd.read_json(logs[0], lines=True, dtype=False)
    frame.to_csv(tmp_path / "pandas.csv", index=False)
    frame.to_parquet(tmp_path / "pandas.parquet")
    logs += [tmp_path / "pandas.csv", tmp_path / "pandas.parquet"]
    tables = []
    for index, log in enumerate(logs):
        out = tmp_path / f"out{index}"
        assert main(["batch", str(log), "--as-of", "2026-01-01", "--out", str(out),
                     "--workers", "1"]) == 0, log
        tables.append([(out / name).read_bytes() for name in
                       ("persons.csv", "obligations.csv", "sanctions.csv")])
    assert all(t == tables[0] for t in tables)


def test_cli_synth_to_a_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    from lab_rules.faces.cli import main

    assert main(["synth", "--persons", "2", "--out", str(tmp_path / "no" / "x.csv")]) == 2
    assert main(["synth", "--persons", "2", "--out", str(tmp_path / "x.xlsx")]) == 2


def test_parquet_without_pyarrow_is_a_clear_message(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    (tmp_path / "in.parquet").write_bytes(b"PAR1" + b"\x00" * 16 + b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(LabRulesError, match=r"lab-rules\[parquet\]"):
        write_event_log(tmp_path / "out.parquet", 2, 1)
    with pytest.raises(LabRulesError, match=r"lab-rules\[parquet\]"):
        list(read_persons(tmp_path / "in.parquet"))
    assert not (tmp_path / "out.parquet").exists()
