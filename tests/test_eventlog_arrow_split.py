"""The Arrow reader parses a JSON Lines block one event type at a time
(:func:`~lab_rules.inputs.eventlog_arrow_split.by_type`): each line's type is guessed from its
text, each type's lines are parsed alone, and the rows come back in the block's line order
with their line numbers. A guess that is wrong, a line whose type cannot be guessed or is
unknown, a part pyarrow refuses and columns typed otherwise than the whole block would type
them all send the block to the whole-block parse, so a log reads the same either way and the
same as with the Python reader."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyarrow")

from lab_rules.inputs import eventlog_arrow_split, eventlog_arrow_text
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.eventlog_arrow import read_persons_arrow
from lab_rules.inputs.eventlog_arrow_split import (
    TypedTables,
    by_type,
    person_ids,
    sorted_by_type,
)
from lab_rules.inputs.eventlog_arrow_text import _count, _parse
from lab_rules.inputs.row_types import ReadProgress

_PERSON = '{"person_id": "%s", "type": "person", "birth_date": "1980-05-01"}'
_CONTACT = '{"person_id": "%s", "type": "first_contact", "date": "2024-01-%02d"}'
_PAYMENT = ('{"person_id": "%s", "type": "payment", "benefit": "kontanthjaelp", '
            '"start": "2024-02-01", "end": "2024-02-29", "amount": "%d"}')


def _mixed(persons: int = 4) -> bytes:
    lines = []
    for number in range(persons):
        person = f"p{number}"
        lines += [_PERSON % person, _CONTACT % (person, number + 1), _PAYMENT % (person, 100),
                  _CONTACT % (person, number + 2), _PAYMENT % (person, 200 + number)]
    return ("\n".join(lines) + "\n").encode()


def _rows_by_line(tables: TypedTables) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for _, numbers, table in tables.parts:
        for number, row in zip(numbers, table.to_pylist(), strict=True):
            rows[number] = {k: v for k, v in row.items() if v is not None}
    return rows


def test_each_line_lands_in_its_own_types_part_once() -> None:
    block = _mixed()
    tables = by_type(block, _count(block))
    assert tables is not None
    numbers = sorted(n for _, part, _ in tables.parts for n in part)
    assert numbers == list(range(_count(block)))
    lines = block.decode().splitlines()
    for kind, part, table in tables.parts:
        assert part == sorted(part)
        assert all(json.loads(lines[n])["type"] == kind for n in part)
        assert table.column("type").to_pylist() == [kind] * len(part)


def test_the_parts_come_in_the_order_of_each_types_first_line() -> None:
    tables = by_type(_mixed(), _count(_mixed()))
    assert tables is not None
    assert [kind for kind, _, _ in tables.parts] == ["person", "first_contact", "payment"]


def test_the_rows_are_the_lines_in_line_order() -> None:
    block = _mixed()
    tables = by_type(block, _count(block))
    assert tables is not None
    rows = _rows_by_line(tables)
    assert [rows[n] for n in range(len(rows))] == [json.loads(line)
                                                   for line in block.splitlines()]


def test_the_people_are_the_whole_parses_in_line_order() -> None:
    block = _mixed()
    tables = by_type(block, _count(block))
    assert tables is not None
    assert tables.people() == person_ids(_parse(block, None).column("person_id"))


@pytest.mark.parametrize("end", [1, 2, 7, 13, 20])
def test_the_first_rows_in_order_of_type_are_the_whole_parses(end: int) -> None:
    """:meth:`TypedTables.upto` gives rows ``0..end-1`` as sorting the whole parse by type
    does: the same positions, the same types where they begin, the same rows."""
    block = _mixed()
    tables = by_type(block, _count(block))
    assert tables is not None
    split = tables.upto(end)
    whole = sorted_by_type(_parse(block, None).slice(0, end))
    assert whole is not None
    assert split.positions == whole.positions
    assert ([(kind, first) for kind, first, _ in split.parts]
            == [(kind, first) for kind, first, _ in whole.parts])
    for (_, _, mine), (_, _, theirs) in zip(split.parts, whole.parts, strict=True):
        assert ([{k: v for k, v in row.items() if v is not None} for row in mine.to_pylist()]
                == [{k: v for k, v in row.items() if v is not None}
                    for row in theirs.to_pylist()])
    assert tables.upto(0).positions == []


def test_a_type_written_another_way_is_still_guessed() -> None:
    block = (b'{"type": "person", "person_id": "a", "birth_date": "1980-05-01"}\n'
             b'{"person_id":"a","date":"2024-01-02","type":"first_contact"}\n'
             b'{"person_id": "a", "type" : "first_contact", "date": "2024-01-03"}\n')
    tables = by_type(block, 3)
    assert tables is not None
    assert [(kind, numbers) for kind, numbers, _ in tables.parts] == [
        ("person", [0]), ("first_contact", [1, 2])]


@pytest.mark.parametrize("swap", [(0, 1), (1, 2), (0, 3)])
def test_a_wrong_guess_sends_the_block_to_the_whole_parse(
        monkeypatch: pytest.MonkeyPatch, swap: tuple[int, int]) -> None:
    """The guess is checked against the parsed type of every row (here types with the same
    fields, so each part parses whatever lines it is given)."""
    block = (b'{"person_id": "a", "type": "first_contact", "date": "2024-01-02"}\n'
             b'{"person_id": "a", "type": "registered", "date": "2024-01-03"}\n'
             b'{"person_id": "a", "type": "first_contact", "date": "2024-01-04"}\n'
             b'{"person_id": "a", "type": "registered", "date": "2024-01-05"}\n')
    assert by_type(block, 4) is not None
    guesses = [json.loads(line)["type"].encode() for line in block.splitlines()]
    first, second = swap
    guesses[first], guesses[second] = guesses[second], guesses[first]
    monkeypatch.setattr(eventlog_arrow_split, "_guesses", lambda _block, _count: guesses)
    assert by_type(block, 4) is None


@pytest.mark.parametrize("line", [
    b'{"person_id": "a", "type": "bogus", "date": "2024-01-02"}',
    b'{"person_id": "a", "type": 5, "date": "2024-01-02"}',
    b'{"person_id": "a", "date": "2024-01-02"}',
    b'{"person_id": "a", "ty\\u0070e": "first_contact", "date": "2024-01-02"}',
    b'{"person_id": "a", "type": "first_contact", "date": "2024-01-02", "type": "payment"}',
    b'{"person_id": "a", "type": "first_contact", "type": "first_contact"}',
    b'{"person_id": "a", "type": "first_contact", "date": "2024-01-02", "x": {"type": "p"}}',
    b'{"person_id": "a", "meta": {"type": "first_contact"}, "date": "2024-01-02"}',
    b'{"person_id": "a", "type": "first_contact", "date": "2024-01-02", "amount": 1.5}',
    b'{"person_id": "a", "type": "first_contact", "date": "2024-01-02", "note": NaN}',
    b'{"person_id": "a\\ud800", "type": "first_contact", "date": "2024-01-02"}',
    b'{"person_id": "a\xff", "type": "first_contact", "date": "2024-01-02"}',
    b'{"person_id": "a", "type": "person", "birth_date": "1980-05-01", "date": 5}',
    b'{"person_id": "a", "type": "person", "birth_date": "1980-05-01", "date": "2024-01-02"}',
    b'{"person_id": "a", "type": "person", "birth_date": "1980-05-01", "amount": 5}',
    b'{"person_id": 7, "type": "first_contact", "date": "2024-01-02"}',
    b'{"person_id": "a", "type": "first_contact", "date": "2024-01-02"}{"x": 1}',
    b'  {"person_id": "a", "type": "first_contact", "date": "2024-01-02"}',
    b'null',
    b'[1, 2]',
])
def test_a_line_in_doubt_sends_the_block_to_the_whole_parse(line: bytes) -> None:
    """An unknown, missing, escaped, repeated, nested or non-text type; a part pyarrow
    refuses or types as a float; a date field given a number or (in a type without it) a
    date pyarrow would read as a timestamp; a column typed one way in one part and another
    in another (``amount``, ``person_id``); a line that does not start a row."""
    block = _mixed(2) + line + b"\n" + _mixed(1)
    assert by_type(block, _count(block)) is None


def test_a_block_whose_line_does_not_start_a_row_never_reaches_pyarrow(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """pyarrow 26's ``read_json`` ends the process on a block whose first line is ``null``;
    no part is given to it unless every line of it starts a row."""
    def refuse(block: bytes, dates: tuple[str, ...]) -> Any:
        raise AssertionError(block)

    monkeypatch.setattr(eventlog_arrow_split, "read_json", refuse)
    for block in (b'null\n' + _mixed(1), _mixed(1) + b'null\n', b' ' + _mixed(1)):
        assert by_type(block, _count(block)) is None


def _log(chance: random.Random) -> bytes:
    odd = [b'{"person_id": "p1", "type": "bogus"}', b'null', b'{"person_id": "p1"}',
           b'{"person_id": "p1", "type": "first_contact", "date": 5}',
           b'{"person_id":"p1","type":"first_contact","date":"2024-01-09"}',
           b'{"person_id": "p1", "type": "first_contact", "date": "2024-02-30"}',
           b'{"person_id": "p1", "type": "payment", "amount": 7}']
    lines = [line for number in range(chance.randint(2, 9))
             for line in _mixed(1).replace(b"p0", f"p{number}".encode()).splitlines()]
    for _ in range(chance.randint(0, 3)):
        lines.insert(chance.randint(0, len(lines)), chance.choice(odd))
    return b"\n".join(lines) + chance.choice([b"", b"\n"])


@pytest.mark.parametrize("seed", range(30))
def test_a_log_read_by_type_reads_as_parsed_whole_and_as_the_python_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    chance = random.Random(seed)
    log = tmp_path / "log.jsonl"
    log.write_bytes(_log(chance))
    monkeypatch.setattr(eventlog_arrow_text, "BLOCK", chance.choice([100, 400, 1 << 23]))
    python = list(read_persons(log, ReadProgress()))
    split = list(read_persons_arrow(log, ReadProgress(), events=True))
    monkeypatch.setattr(eventlog_arrow_text, "by_type", lambda _block, _count: None)
    assert split == list(read_persons_arrow(log, ReadProgress(), events=True)) == python


def test_a_clean_log_is_read_by_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every block of a log as the log writers write it is parsed by type (the reader's
    speed rests on it)."""
    log = tmp_path / "log.jsonl"
    log.write_bytes(_mixed(30))
    monkeypatch.setattr(eventlog_arrow_text, "BLOCK", 700)
    found: list[bool] = []

    def counted(block: bytes, count: int) -> TypedTables | None:
        tables = by_type(block, count)
        found.append(tables is not None)
        return tables

    monkeypatch.setattr(eventlog_arrow_text, "by_type", counted)
    assert list(read_persons_arrow(log, events=True)) == list(read_persons(log))
    assert len(found) > 5
    assert all(found)
