"""The Arrow reader gives what the Python reader gives: the same persons, documents, located
problems, quarantine entries and row counts, on every log of the reader's test corpus (the
fuzz, error and property tests are collected again here with ``read_persons`` reading both
ways and comparing) and on the batch tests run with the Python reader, which the batch no
longer picks by default when pyarrow is installed."""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterator
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyarrow")

import test_batch
import test_eventlog
import test_eventlog_errors
import test_eventlog_fuzz
import test_eventlog_properties
from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog import PersonRows, ReadProgress, person_starts, read_persons
from lab_rules.inputs.eventlog_arrow import read_persons_arrow, reader_name
from lab_rules.inputs.synth import write_event_log
from lab_rules.loops import batch
from lab_rules.loops.batch import evaluate_caseload
from test_eventlog_arrow_events import _check

READER_MODULES = (test_eventlog, test_eventlog_errors, test_eventlog_fuzz,
                  test_eventlog_properties)
AS_OF = test_batch.AS_OF


def _read(reader: Any, path: Any, kwargs: dict[str, Any]
          ) -> tuple[list[PersonRows] | str, ReadProgress]:
    progress = ReadProgress()
    try:
        return list(reader(path, progress, **kwargs)), progress
    except LabRulesError as err:
        return f"error: {err}", progress


def both_readers(path: Any, progress: ReadProgress | None = None,
                 **kwargs: Any) -> Iterator[PersonRows]:
    """``read_persons`` that reads both ways, checks they agree, and gives the result."""
    python, python_progress = _read(read_persons, path, kwargs)
    arrow, arrow_progress = _read(read_persons_arrow, path, kwargs)
    assert arrow == python, f"the readers differ on {path}"
    assert arrow_progress == python_progress
    with_events, _ = _read(partial(read_persons_arrow, events=True), path, kwargs)
    assert with_events == python
    if isinstance(with_events, list):
        _check(with_events)
    if isinstance(python, str):
        raise LabRulesError(python.removeprefix("error: "))
    if progress is not None:
        for name in ("read", "total", "rows_read", "rows_used", "rows_quarantined"):
            setattr(progress, name, getattr(python_progress, name))
    return iter(python)


@pytest.fixture(autouse=True)
def _compare_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in READER_MODULES:
        monkeypatch.setattr(module, "read_persons", both_readers)


@pytest.fixture
def python_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch reads with the Python reader (it picks Arrow when pyarrow is installed)."""
    monkeypatch.setattr(batch, "reader_name", lambda name: "python")


def _is_fixture(value: object) -> bool:
    return (type(value).__name__ == "FixtureFunctionDefinition"
            or hasattr(value, "_pytestfixturefunction"))


def _copy(test: Any) -> Any:
    """A copy of the test function *test*, to mark without marking the original (which its
    own module also collects)."""
    copy = types.FunctionType(test.__code__, test.__globals__, test.__name__, test.__defaults__,
                              test.__closure__)
    copy.__dict__.update(test.__dict__)
    copy.__kwdefaults__ = test.__kwdefaults__
    copy.__annotations__ = dict(test.__annotations__)
    return copy


def _again(module: Any, mark: pytest.MarkDecorator | None = None) -> dict[str, Any]:
    """The tests of *module* under new names, and its fixtures, to collect here."""
    found = {}
    for name in dir(module):
        value = getattr(module, name)
        if name.startswith("test_") and callable(value):
            found[f"{name}__{module.__name__.removeprefix('test_')}"] = (
                mark(_copy(value)) if mark is not None else value)
        elif _is_fixture(value) and not name.startswith("_"):
            found[name] = value
    return found


for _module in READER_MODULES:
    globals().update(_again(_module))
globals().update(_again(test_batch, pytest.mark.usefixtures("python_reader")))


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_the_readers_agree_on_a_synthetic_caseload(tmp_path: Path, suffix: str) -> None:
    log = tmp_path / f"caseload{suffix}"
    write_event_log(log, 300, 7)
    python, python_progress = _read(read_persons, log, {})
    arrow, arrow_progress = _read(read_persons_arrow, log, {})
    assert isinstance(python, list)
    assert len(python) == 300
    assert arrow == python
    assert arrow_progress == python_progress


def test_pieces_read_through_arrow_as_through_python(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 120, 3)
    cuts = [*person_starts(log, 5), None]
    for start, end in pairwise(cuts):
        kwargs = {"start": start, "end": end}
        assert _read(read_persons_arrow, log, kwargs) == _read(read_persons, log, kwargs)


def test_unclean_rows_of_a_clean_block_go_the_python_way(tmp_path: Path) -> None:
    rows = [{"person_id": "a", "type": "person", "birth_date": "1990-01-01"},
            {"person_id": "a", "type": "first_contact", "date": "2024-02-30"},
            {"person_id": "b", "type": "first_contact", "date": "2024-02-01", "colour": "red"},
            {"person_id": "c", "type": "person", "education": "maybe"},
            {"person_id": "c", "type": "person", "education": True},
            {"person_id": "d", "type": "no_such_event", "date": "2024-02-01"},
            {"person_id": "e", "type": "first_contact", "date": "2024-02-01"},
            {"person_id": "e", "type": "registered", "date": "2024-02-03"}]
    log = tmp_path / "mixed.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    arrow, _ = _read(read_persons_arrow, log, {})
    assert arrow == _read(read_persons, log, {})[0]
    assert isinstance(arrow, list)
    assert [p.person_id for p in arrow if p.document is None] == ["a", "c"]


def test_the_batch_names_its_reader(tmp_path: Path) -> None:
    log = tmp_path / "caseload.csv"
    write_event_log(log, 40, 2)
    for reader in ("python", "arrow"):
        evaluate_caseload(log, tmp_path / reader, as_of=AS_OF, workers=1, reader=reader)
        run = json.loads((tmp_path / reader / "run.json").read_text(encoding="utf-8"))
        assert run["reader"] == reader
    for table in ("obligations.csv", "sanctions.csv", "persons.csv", "refund.csv",
                  "quarantine.jsonl", "compliance.csv", "quotas.csv"):
        assert ((tmp_path / "python" / table).read_bytes()
                == (tmp_path / "arrow" / table).read_bytes())


def test_an_unknown_reader_is_refused() -> None:
    with pytest.raises(LabRulesError, match="reader 'fast'"):
        reader_name("fast")
    assert reader_name("auto") == "arrow"


TABLES = ("obligations.csv", "sanctions.csv", "persons.csv", "refund.csv", "quarantine.jsonl",
          "compliance.csv", "quotas.csv")


def _batch_both(log: Path, tmp_path: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The batch's tables for *log* read by each reader, checked byte for byte alike (the
    quarantine entries too), and the accounting of run.json, checked alike and balanced."""
    found: dict[str, dict[str, bytes]] = {}
    accounting: dict[str, Any] = {}
    for reader in ("python", "arrow"):
        out = tmp_path / f"out-{reader}"
        evaluate_caseload(log, out, as_of=AS_OF, workers=1, reader=reader)
        found[reader] = {name: (out / name).read_bytes() for name in TABLES}
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        accounting[reader] = run["accounting"]
    assert found["arrow"] == found["python"]
    assert accounting["arrow"] == accounting["python"]
    assert accounting["python"]["persons"]["balanced"]
    assert accounting["python"]["rows"]["balanced"]
    return found["python"], accounting["python"]


def _persons_of(tables: dict[str, bytes]) -> list[str]:
    return [line.split(",")[0] for line in tables["persons.csv"].decode().splitlines()[1:]]


def _quarantined(tables: dict[str, bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in tables["quarantine.jsonl"].decode().splitlines()]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_a_csv_cell_with_a_line_break_reads_alike_in_the_batch(tmp_path: Path,
                                                               newline: bytes) -> None:
    log = tmp_path / "events.csv"
    log.write_bytes(newline.join([
        b"person_id,type,date,benefit,group,ref",
        b'p1,first_contact,2024-01-02,,,"line one' + newline + b'line two"',
        b"p1,benefit_started,2024-01-02,kontanthjaelp,jobparat_kontanthjaelp,",
        b"p2,first_contact,2024-01-02,,,"]) + newline)
    tables, accounting = _batch_both(log, tmp_path)
    assert _quarantined(tables) == []
    assert _persons_of(tables) == ["p1", "p2"]
    assert accounting["rows"]["in"] == 3


@pytest.mark.parametrize(("edit", "says"), [
    ('"amount": NaN', "/amount: NaN is not a JSON number"),
    ('"amount": -Infinity', "/amount: -Infinity is not a JSON number"),
    ('"amount": "12000", "amount": "1"', '/amount: the key "amount" is given twice'),
])
def test_a_json_lines_row_refused_as_json_quarantines_its_person_alike(
        tmp_path: Path, edit: str, says: str) -> None:
    """A bare NaN or infinity, or a key given twice, in one payment row: the person is
    quarantined with the row's line and pointer by either reader, the others are evaluated,
    and the counts add up (before, the amount was read as absent, or the last one taken)."""
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 30, 5)
    lines = log.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if '"type": "payment"' in line)
    person = json.loads(lines[at])["person_id"]
    lines[at] = re.sub(r'"amount": "[0-9.]+"', edit, lines[at])
    assert edit in lines[at]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables, accounting = _batch_both(log, tmp_path)
    (entry,) = _quarantined(tables)
    assert entry["person_id"] == person
    assert any(reason.startswith(f"line {at + 1}: {says}") for reason in entry["reasons"])
    assert len(_persons_of(tables)) == 29
    assert accounting["persons"] == {"in": 30, "evaluated": 29, "quarantined": 1,
                                     "held_back_split": 0, "balanced": True}


def test_a_second_person_row_quarantines_its_person_alike_in_the_batch(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 12, 4)
    lines = log.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert first["type"] == "person"
    again = json.dumps({"person_id": first["person_id"], "type": "person", "married": True})
    log.write_text("\n".join([lines[0], lines[1], again, *lines[2:]]) + "\n", encoding="utf-8")
    tables, accounting = _batch_both(log, tmp_path)
    (entry,) = _quarantined(tables)
    assert entry["person_id"] == first["person_id"]
    assert entry["reasons"][0].startswith("line 3: a second person row of this person (the "
                                          "first is line 1)")
    assert accounting["persons"]["evaluated"] == 11


def test_a_person_id_with_a_lone_surrogate_is_quarantined_alone_in_the_batch(
        tmp_path: Path) -> None:
    """b's id holds a lone surrogate escape: b is quarantined under its id with the escape
    written out, a is evaluated, and two persons came in (before, b's rows were taken for
    rows of a without an id, and a was quarantined)."""
    rows = [{"person_id": pid, "type": "person", "birth_date": "1990-01-01"}
            for pid in ("a", "b\ud800")]
    log = tmp_path / "log.jsonl"
    log.write_text("".join(
        json.dumps(r) + "\n" for person in rows for r in (
            person, {"person_id": person["person_id"], "type": "first_contact",
                     "date": "2024-01-02"})), encoding="utf-8")
    assert "\\ud800" in log.read_text(encoding="utf-8")
    tables, accounting = _batch_both(log, tmp_path)
    (entry,) = _quarantined(tables)
    assert entry["person_id"] == "b\\ud800"
    assert entry["reasons"] == [
        "line 3: the person_id holds a lone surrogate escape (such as \\ud800), which is not "
        "text (a row among this person's rows, so the person is held back rather than "
        "evaluated without it)",
        "line 4: the person_id holds a lone surrogate escape (such as \\ud800), which is not "
        "text (a row among this person's rows, so the person is held back rather than "
        "evaluated without it)"]
    assert _persons_of(tables) == ["a"]
    assert accounting["persons"] == {"in": 2, "evaluated": 1, "quarantined": 1,
                                     "held_back_split": 0, "balanced": True}
    assert accounting["rows"] == {"in": 4, "used": 2, "quarantined": 2, "balanced": True}
