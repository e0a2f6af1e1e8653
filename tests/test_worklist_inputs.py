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


@pytest.mark.parametrize("spelling", ["same", "dot", "symlink", "hardlink"])
def test_the_same_file_given_twice_is_a_usage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        spelling: str) -> None:
    """The same log twice, by any name, is refused before anything is read (exit 2, both
    names said), instead of listing every person and obligation twice."""
    monkeypatch.chdir(tmp_path)
    _log(tmp_path / "log.jsonl", _person("p-1"))
    other = {"same": "log.jsonl", "dot": "./log.jsonl", "symlink": "link.jsonl",
             "hardlink": "hard.jsonl"}[spelling]
    if spelling == "symlink":
        (tmp_path / other).symlink_to("log.jsonl")
    if spelling == "hardlink":
        os.link(tmp_path / "log.jsonl", tmp_path / other)
    code = main(["worklist", "log.jsonl", other, "--as-of", AS_OF])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert (f"log.jsonl and {other} (inputs 1 and 2) are the same file: give each input once"
            in captured.err)


def test_a_person_whose_rows_lie_in_two_inputs_is_held_back_once_and_counted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A person with rows in two logs is not evaluated once per log from a part of its rows:
    it is held back once, naming both files and lines, and the persons add up to the persons
    in (evaluated + held back) in the text, JSON, CSV and HTML lists."""
    monkeypatch.chdir(tmp_path)
    split = _person("p-1", "bo")
    _log(tmp_path / "a.jsonl", [*_person("p-2"), *split[:2]])
    _log(tmp_path / "b.jsonl", [*split[2:], *_person("p-3")])
    argv = ["worklist", "a.jsonl", "b.jsonl", "--as-of", AS_OF]
    code, document, err = _json(capsys, argv[:3])
    assert code == 1
    assert document["persons"] == 3
    assert [h["person_id"] for h in document["held"]] == ["p-1"]
    assert document["held"][0]["reasons"][0].startswith(
        "a.jsonl line 4, b.jsonl line 1: the rows of p-1 lie in 2 inputs; the person is held "
        "back as a whole")
    items = [i for g in document["groups"] for i in g["items"]]
    assert document["items"] == len(items) > 0
    assert {i["person_id"] for i in items} == {"p-2", "p-3"}
    assert "bo" not in {g["name"] for g in document["groups"]}
    assert "held back: p-1: a.jsonl line 4, b.jsonl line 1:" in err
    assert main(argv) == 1
    text = capsys.readouterr().out
    assert f"{len(items)} opgaver, 3 personer" in text
    assert main([*argv, "--format", "csv"]) == 1
    rows = capsys.readouterr().out.splitlines()[1:]
    assert len(rows) == len(items)
    assert not [r for r in rows if ",p-1," in r]
    assert main([*argv, "--format", "html", "--out", "pages"]) == 1
    index = (tmp_path / "pages" / "index.html").read_text(encoding="utf-8")
    assert f"{len(items)} opgaver, 3 personer" in index
    assert "<li>p-1: a.jsonl line 4, b.jsonl line 1:" in index


def test_a_person_in_two_inputs_keeps_the_problems_each_input_has_with_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A person held back for lying in two inputs is one record, with what each input has
    against it besides (a bad row), never a second record of the same person; a timeline file
    is one of the inputs it may lie in."""
    monkeypatch.chdir(tmp_path)
    log = _log(tmp_path / "a.jsonl", _person("p-1"))
    log.write_text(log.read_text(encoding="utf-8") + '{"person_id": "p-1", "date"\n',
                   encoding="utf-8")
    timeline = {"schema": "lab-rules/timeline/v1", "person": {"id": "p-1"},
                "events": [{"type": "benefit_started", "date": "2016-08-01",
                            "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"}]}
    (tmp_path / "p-1.json").write_text(json.dumps(timeline), encoding="utf-8")
    code, document, _ = _json(capsys, ["worklist", "a.jsonl", "p-1.json"])
    assert code == 1
    assert document["persons"] == 1
    assert document["items"] == 0
    [held] = document["held"]
    assert held["person_id"] == "p-1"
    assert held["reasons"][0].startswith("a.jsonl line 1, p-1.json: the rows of p-1 lie in 2 "
                                         "inputs")
    assert held["reasons"][1].startswith("a.jsonl: line 4: not JSON")


def test_two_copies_of_a_log_hold_back_every_person_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two files with the same rows (a copy, not the same file) are two inputs: every person
    lies in both and is held back once; the persons are counted once."""
    first = _log(tmp_path / "log.jsonl", [*_person("p-1"), *_person("p-2")])
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(first.read_bytes())
    code, document, _ = _json(capsys, ["worklist", str(first), str(copy)])
    assert code == 1
    assert (document["persons"], document["items"]) == (2, 0)
    assert [h["person_id"] for h in document["held"]] == ["p-1", "p-2"]


def test_a_pseudonymised_list_never_names_a_held_back_person_by_its_id(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Under --pseudonymise a person held back is named by its pseudonym, also when it is a
    timeline file named after its person (the file name says the id: it is pseudonymised
    too), and in every format and on standard error, whatever held it back."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAB_RULES_PSEUDONYM_KEY", "a key of at least 16 bytes")
    ids = ("olsen-timeline", "jensen-split", "hansen-group", "berg-row")
    split = _person("jensen-split")
    grouped = _person("hansen-group")
    grouped[1]["group"] = "no_such_group"
    log = _log(tmp_path / "log.jsonl", [*split[:1], *_person("p-ok"), *split[1:], *grouped,
                                        *_person("berg-row")])
    log.write_text(log.read_text(encoding="utf-8") + '{"person_id": "berg-row", "date"\n',
                   encoding="utf-8")
    timeline = {"schema": "lab-rules/timeline/v1", "person": {"id": "olsen-timeline"},
                "events": [{"type": "no_such_event", "date": "2016-08-01"}]}
    (tmp_path / "olsen-timeline.json").write_text(json.dumps(timeline), encoding="utf-8")
    argv = ["worklist", "log.jsonl", "olsen-timeline.json", "--as-of", AS_OF, "--pseudonymise"]
    written = []
    for form in ("text", "json", "csv"):
        assert main([*argv, "--format", form]) == 1
        captured = capsys.readouterr()
        written += [captured.out, captured.err]
    assert main([*argv, "--format", "html", "--out", "pages"]) == 1
    written += [p.read_text(encoding="utf-8") for p in (tmp_path / "pages").iterdir()]
    written.append(capsys.readouterr().err)
    for person in ids:
        assert not [w for w in written if person in w], person
    document = json.loads(written[2])
    assert len(document["held"]) == 4
    assert document["persons"] == 5
    assert all(len(h["person_id"]) == 64 for h in document["held"])
    assert [h for h in document["held"] if h["reasons"][0].startswith(
        'input 2: /events/0/type: unknown event type "no_such_event"')]


def test_a_pseudonymised_list_names_its_inputs_by_their_place_not_their_file_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A log named after one person (here ``hansen-group``) must not show that name in another
    person's reasons: under --pseudonymise every input is named by its place on the command
    line, in every reason and on standard error."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAB_RULES_PSEUDONYM_KEY", "a key of at least 16 bytes")
    log = _log(tmp_path / "hansen-group.jsonl", [*_person("hansen-group"), *_person("p-ok")])
    log.write_text(log.read_text(encoding="utf-8") + '{"person_id": "berg-row", "date"\n',
                   encoding="utf-8")
    (tmp_path / "jensen.json").write_text("{", encoding="utf-8")
    argv = ["worklist", "hansen-group.jsonl", "jensen.json", "--as-of", AS_OF,
            "--pseudonymise", "--format", "json"]
    assert main(argv) == 1
    captured = capsys.readouterr()
    for name in ("hansen-group", "berg-row", "jensen"):
        assert name not in captured.out + captured.err, name
    reasons = [r for h in json.loads(captured.out)["held"] for r in h["reasons"]]
    assert [r for r in reasons if r.startswith("input 1: ")]
    assert [r for r in reasons if r.startswith("input 2:1: invalid JSON")]
    assert "input 2" in [h["person_id"] for h in json.loads(captured.out)["held"]]


def test_a_timeline_file_held_back_is_named_by_its_person_and_located_by_its_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A timeline file that does not validate is held back under its person id, as a person
    of a log is, its reasons naming the file; a file with no id to read, under its name."""
    monkeypatch.chdir(tmp_path)
    timeline = {"schema": "lab-rules/timeline/v1", "person": {"id": "p-1"},
                "events": "not a list"}
    (tmp_path / "case.json").write_text(json.dumps(timeline), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    code, document, err = _json(capsys, ["worklist", "case.json", "broken.json"])
    assert code == 1
    assert [h["person_id"] for h in document["held"]] == ["p-1", "broken.json"]
    assert document["held"][0]["reasons"][0].startswith("case.json: /events: ")
    assert "held back: p-1: case.json: /events: " in err
