"""The Arrow reader looks at a block of lines without cutting it into lines where it can: it
counts the lines, finds where the last person's lines start from the end, checks for a line
too long to read by looking for a line end in stretches of the block, and takes the first
pass's word that every line starts a row. Each of these gives what the lines cut one by one
give, and a log read in many small blocks (a blank line, a long line, a last line without a
line end, in any block) reads as the Python reader reads it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from lab_rules.inputs import eventlog_arrow_text
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.eventlog_arrow import read_persons_arrow
from lab_rules.inputs.eventlog_arrow_text import (
    _STRETCH,
    _count,
    _json_runs,
    _line_start,
    _lines,
    _plain,
    _shorter,
    first_pass,
)
from lab_rules.inputs.row_types import ReadProgress

BLOCKS = [b"", b"\n", b"\n\n", b"a", b"a\n", b"a\nbb", b"a\nbb\n", b"\na\n\nbb\n\n", b"a\n\n",
          b"{}\n{}\n{}", b" \n{}\n"]


@pytest.mark.parametrize("block", BLOCKS)
def test_counted_lines_are_the_cut_lines(block: bytes) -> None:
    assert _count(block) == len(_lines(block))


@pytest.mark.parametrize("block", BLOCKS)
def test_a_line_starts_where_the_lines_before_it_end(block: bytes) -> None:
    lines = _lines(block)
    for number in range(len(lines) + 2):
        expected = min(sum(map(len, lines[:number])) + number, len(block))
        assert _line_start(block, len(lines), number) == expected, number


@pytest.mark.parametrize("seed", range(40))
def test_a_long_line_is_found_without_cutting_the_block(seed: int) -> None:
    chance = random.Random(seed)
    limit = chance.choice([2 * _STRETCH, 2 * _STRETCH + 1, 3 * _STRETCH + 7, _STRETCH // 2])
    lengths = [chance.choice([0, 1, limit // 3, limit - 2, limit - 1, limit, limit + 1])
               for _ in range(chance.randint(1, 6))]
    block = b"\n".join(b"x" * length for length in lengths) + chance.choice([b"", b"\n"])
    assert _shorter(block, limit) == (max(map(len, _lines(block)), default=0) < limit)


@pytest.mark.parametrize("lines", [
    [b'{"person_id": "a", "type": "registered"}', b'{"person_id": "b"}'],
    [b'{"person_id": "a"}', b"", b'{"person_id": "b"}'],
    [b'{"person_id": "a"}', b"   ", b'{"person_id": "b"}'],
    [b'{ "person_id" : "a"}', b'{"person_id": "b"}'],
    [b'{ "person_id" : "a"}', b"", b'{"person_id": "b"}'],
    [b'  {"person_id": "a"}', b'{"person_id": "b"}'],
    [b'{"person_id": "a", "note": "\\\\"}', b'{"person_id": "b"}'],
])
@pytest.mark.parametrize("ending", [b"", b"\n"])
def test_a_block_is_called_plain_only_when_every_line_starts_a_row(lines: list[bytes],
                                                                   ending: bytes) -> None:
    block = b"\n".join(lines) + ending
    _, plain = _json_runs(block, _count(block))
    assert not plain or _plain(block, len(_lines(block)))


def _row(chance: random.Random, person: str) -> dict[str, object]:
    kind = chance.choice(["first_contact", "registered", "payment"])
    if kind == "payment":
        return {"person_id": person, "type": kind, "benefit": "kontanthjaelp",
                "start": "2024-02-01", "end": "2024-02-29",
                "amount": chance.choice(["12000.50", "3", "x", "1e999"])}
    return {"person_id": person, "type": kind,
            "date": chance.choice(["2024-02-01", "2024-02-30", "2024-03-04"])}


def _log(chance: random.Random) -> bytes:
    lines: list[bytes] = []
    for number in range(chance.randint(1, 12)):
        person = chance.choice([f"p{number}", "again", "1111111118"])
        lines.append(json.dumps({"person_id": person, "type": "person",
                                 "birth_date": "1980-05-01"}).encode())
        for _ in range(chance.randint(0, 5)):
            lines.append(json.dumps(_row(chance, person)).encode())
            if chance.random() < 0.08:
                lines.append(chance.choice([b"", b"  ", b"{", b'{"person_id": 7}',
                                            b'{"type": "registered"}']))
    return b"\n".join(lines) + chance.choice([b"", b"\n"])


@pytest.mark.parametrize("seed", range(30))
def test_a_log_read_in_small_blocks_reads_as_the_python_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    chance = random.Random(seed)
    log = tmp_path / "log.jsonl"
    log.write_bytes(_log(chance))
    monkeypatch.setattr(eventlog_arrow_text, "BLOCK", chance.choice([64, 200, 1000]))
    python_progress, arrow_progress, events_progress = ReadProgress(), ReadProgress(), \
        ReadProgress()
    python = list(read_persons(log, python_progress))
    assert list(read_persons_arrow(log, arrow_progress)) == python
    assert list(read_persons_arrow(log, events_progress, events=True)) == python
    assert arrow_progress == python_progress == events_progress


def test_the_first_pass_says_plain_only_for_a_log_without_blank_lines(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eventlog_arrow_text, "BLOCK", 64)
    rows = [json.dumps({"person_id": f"p{n}", "type": "registered", "date": "2024-02-01"})
            for n in range(20)]
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    found = first_pass(log, 0, None, None)
    assert found is not None
    assert found.plain
    log.write_text("\n".join(rows[:15]) + "\n\n" + "\n".join(rows[15:]) + "\n",
                   encoding="utf-8")
    found = first_pass(log, 0, None, None)
    assert found is not None
    assert not found.plain


@pytest.mark.parametrize("row", [
    b'{"person_id": "a", "type": "no_show", "date": "2024-01-03", "date": "2024-02-01"}',
    b'{"person_id": "a", "type": "no_show", "kind": "x", "kind": "y"}',
    b'{"person_id": "a", "person_id": "b", "type": "no_show"}',
    b'{"person_id": "a", "type": "payment", "amount": NaN}',
    b'{"person_id": "a", "type": "payment", "amount": -Infinity}',
    b'{"person_id": "a\\ud800", "type": "no_show"}'])
def test_pyarrow_gives_no_table_for_a_block_json_does_not_allow(row: bytes) -> None:
    """The Arrow reader counts on pyarrow refusing (or typing as a float, which it does not
    take) a key given twice, a bare NaN or infinity and a lone surrogate escape: such a
    block is read row by row the Python way, which locates each."""
    from lab_rules.inputs.eventlog_arrow_text import _parse

    fine = b'{"person_id": "a", "type": "no_show", "date": "2024-01-03"}\n'
    assert _parse(fine, None) is not None
    assert _parse(fine + row + b"\n" + fine, None) is None
