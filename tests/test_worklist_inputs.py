"""A worklist made from several inputs: every person held back is located in its file, a file
given twice is a usage error, and a person whose rows lie in two inputs is held back as a
whole and counted once, in every format."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from lab_rules.faces.cli import main

AS_OF = "2016-09-01"


def _person(person_id: str, caseworker: str = "anna") -> list[dict[str, Any]]:
    """The rows of a person on kontanthjælp from 2016-08-01, assigned to *caseworker*."""
    return [
        {"person_id": person_id, "type": "person", "birth_date": "1980-01-01"},
        {"person_id": person_id, "type": "benefit_started", "date": "2016-08-01",
         "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"},
        {"person_id": person_id, "type": "assigned", "date": "2016-08-01",
         "caseworker": caseworker},
    ]


def _log(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, dict[str, Any],
                                                                         str]:
    code = main([*argv, "--as-of", AS_OF, "--format", "json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_every_held_back_reason_names_its_input_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """With several inputs, each held-back reason starts with the file it comes from, as
    given: an unreadable first line (a record of no person), a bad row among a person's rows,
    a timeline that does not validate."""
    monkeypatch.chdir(tmp_path)
    _log(tmp_path / "good.jsonl", _person("p-1"))
    (tmp_path / "binary.jsonl").write_bytes(b"\xff\xfe not text\n")
    bad_row = _log(tmp_path / "bad-row.jsonl", _person("p-2"))
    bad_row.write_text(bad_row.read_text(encoding="utf-8") + '{"person_id": "p-2", "date"\n',
                       encoding="utf-8")
    rows = _person("p-3")
    rows[1]["group"] = "no_such_group"
    _log(tmp_path / "bad-group.jsonl", rows)
    code, document, err = _json(capsys, ["worklist", "good.jsonl", "binary.jsonl",
                                         "bad-row.jsonl", "bad-group.jsonl"])
    assert code == 1
    reasons = {h["person_id"]: h["reasons"] for h in document["held"]}
    assert set(reasons) == {"line-1", "p-2", "p-3"}
    assert reasons["line-1"][0].startswith("binary.jsonl: line 1: not UTF-8 text")
    assert reasons["p-2"][0].startswith("bad-row.jsonl: line 4: not JSON")
    assert all(r.startswith("bad-group.jsonl: person p-3: ") for r in reasons["p-3"])
    assert "held back: line-1: binary.jsonl: line 1: not UTF-8 text" in err
    assert "held back: p-2: bad-row.jsonl: line 4:" in err


def test_an_input_name_that_is_not_utf8_is_escaped_in_a_written_list(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A held-back reason names a file whose name is not UTF-8 with the byte escaped: the
    JSON file and the HTML pages are written (exit 1, not an internal error)."""
    name = os.fsdecode(b"bad\xffname.jsonl")
    (tmp_path / name).write_bytes(b"\xff\xfe not text\n")
    out = tmp_path / "list.json"
    code = main(["worklist", str(tmp_path / name), "--as-of", AS_OF, "--format", "json",
                 "--out", str(out)])
    assert code == 1, capsys.readouterr().err
    held = json.loads(out.read_text(encoding="utf-8"))["held"]
    assert held[0]["reasons"][0].startswith(str(tmp_path / "bad\\udcffname.jsonl") + ": ")
    code = main(["worklist", str(tmp_path / name), "--as-of", AS_OF, "--format", "html",
                 "--out", str(tmp_path / "pages")])
    assert code == 1
    assert "bad\\udcffname.jsonl" in (tmp_path / "pages" / "index.html").read_text(
        encoding="utf-8")
    assert "internal error" not in capsys.readouterr().err
