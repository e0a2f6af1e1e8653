"""A JSON Lines log with lines that are not objects (``null`` first of all, which pyarrow 26's
``read_json`` cannot survive) reads with the Arrow reader as with the Python reader: the lines
are located problems, never the end of the process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

_ROWS = [
    {"person_id": "p-1", "type": "person", "birth_date": "1980-01-01"},
    {"person_id": "p-1", "type": "benefit_started", "date": "2024-01-01",
     "benefit": "kontanthjaelp"},
    {"person_id": "p-2", "type": "benefit_started", "date": "2024-02-01",
     "benefit": "dagpenge"},
]
_READ = """
import sys
from pathlib import Path
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.eventlog_arrow import read_persons_arrow
from lab_rules.inputs.row_types import ReadProgress
path = Path(sys.argv[1])
python = [(r.person_id, r.first_line, r.document, r.problems, r.rows)
          for r in read_persons(path, ReadProgress())]
arrow = [(r.person_id, r.first_line, r.document, r.problems, r.rows)
         for r in read_persons_arrow(path, ReadProgress(), events=True)]
assert python == arrow, (python, arrow)
print(len(arrow), sum(bool(r[3]) for r in arrow))
"""


@pytest.mark.parametrize("first", ["null", "1", "[]", '"text"', "true"])
@pytest.mark.parametrize("where", ["first", "middle", "alone"])
def test_lines_that_are_not_objects_read_as_with_the_python_reader(
        tmp_path: Path, first: str, where: str) -> None:
    rows = [json.dumps(row) for row in _ROWS]
    lines = ([first] if where == "alone" else [first, *rows] if where == "first"
             else [rows[0], first, *rows[1:]])
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _READ, str(log)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
