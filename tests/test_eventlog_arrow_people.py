"""The Arrow reader's first pass finds a block's persons by pattern; where every line is
written as ``{"person_id": "...", ...`` a faster pattern is tried first. Whichever is used, the
persons are those the Python reader's first reading gives, line by line."""

from __future__ import annotations

from itertools import groupby

import pytest

pytest.importorskip("pyarrow")

from lab_rules.inputs.eventlog_arrow_text import _json_people, _lines
from lab_rules.inputs.eventlog_lines import json_person

CANONICAL = [b'{"person_id": "a", "type": "first_contact", "date": "2024-02-01"}',
             b'{"person_id": "a", "type": "registered", "date": "2024-02-03"}',
             b'{"person_id": "b", "type": "first_contact", "date": "2024-02-01"}',
             b'{"person_id": "a"}',
             b'{"person_id": "c"  , "type": "registered"}']
ODD = [b'{ "person_id" : "a", "type": "registered"}',
       b'{"person_id":"b","type":"registered"}',
       b'{"person_id": "c"x, "type": "registered"}',
       b'{"person_id": "", "type": "registered"}',
       b'{"person_id": "   ", "type": "registered"}',
       b'{"person_id": "\xff", "type": "registered"}',
       b'{"type": "registered", "person_id": "d"}',
       b'{"person_id": "e", "person_id": "f"}',
       b'{"person_id": 7, "type": "registered"}']


def _line_by_line(block: bytes) -> list[str | None]:
    return [person for person, _ in groupby(json_person(raw)[1] for raw in _lines(block))]


@pytest.mark.parametrize("odd", [None, *ODD])
@pytest.mark.parametrize("place", [0, 2, 5])
def test_first_pass_persons_are_the_line_by_line_persons(odd: bytes | None, place: int
                                                         ) -> None:
    lines = list(CANONICAL)
    if odd is not None:
        lines.insert(place, odd)
    for ending in (b"\n", b""):
        block = b"\n".join(lines) + ending
        assert _json_people(block, _lines(block)) == _line_by_line(block), (odd, place)


def test_first_pass_canonical_block_gives_every_run() -> None:
    block = b"\n".join(CANONICAL) + b"\n"
    assert _json_people(block, _lines(block)) == ["a", "b", "a", "c"]
