"""Privacy of caseload outputs (issue 12, point 7): CPR numbers masked in every spelling, other
numbers left alone, and person ids pseudonymised with a keyed hash on request."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from lab_rules.core.privacy import looks_like_cpr, mask_cpr, pseudonym
from lab_rules.faces.cli import main
from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.batch import evaluate_caseload

AS_OF = date(2026, 1, 1)
KEY = b"a key of sixteen bytes or more"


@pytest.mark.parametrize("text", [
    "0101901234", "010190-1234", "010190 1234", "010190\u20131234", "010190\u20141234",
    "010190\u00a01234", "010190\u202f1234", "010190/1234", "01.01.90-1234", "01-01-90-1234",
    "01/01/90 1234", "010190 - 1234", "010190\u200b1234",
    "\uff10\uff11\uff10\uff11\uff19\uff10\uff0d\uff11\uff12\uff13\uff14",
    "010190_1234", "01.01.90.1234", "010190:1234", "010190   1234", "010190\u200b\u200b1234",
    "01\u00a001\u00a090-1234", "\u0660\u0661\u0660\u0661\u0669\u0660\u0661\u0662\u0663\u0664",
    "\U0001d7ce\U0001d7cf\U0001d7ce\U0001d7cf\U0001d7d7\U0001d7ce\U0001d7cf\U0001d7d0"
    "\U0001d7d1\U0001d7d2",
    "010190\\t1234", "010190\\n1234", "010190\\u00a01234", "010190\\x001234",
    "01.01.1990-1234", "01-01-1990-1234", "010190 12 34", "010190-12 34", "01-01-90-12-34",
    "010190--1234", "01..01..90..1234", "010190 - - 1234", "010190\\\\t1234",
    "010190&#45;1234", "010190&nbsp;1234", "010190&#x2D;1234", "010190&amp;nbsp;1234",
    "010190%2D1234", "010190%E2%80%8F1234", "010190+1234", "010190\u200e1234",
    "010190\u202e1234", "010190\x1b[0m1234", "010190\x001234", "010190|1234",
    "010190\u00b71234", "010190\u034f1234", "010190\u28001234",
])
def test_every_spelling_of_a_cpr_number_is_masked(text: str) -> None:
    assert mask_cpr(f"id {text}.jsonl") == "id 010190-****.jsonl"
    assert looks_like_cpr(text)


@pytest.mark.parametrize("text", [
    "2024-03-04", "20240304", "04.03.2024", "2024-01-01 12:34", "12345678901", "P-0001",
    "amount 12571.00", "1234567.89", "991390-1234", "019390-1234",
    "synthetic-1234", "45 12 34 56 78", "line-1234", "0101901",
    "10:01:05.1234", "Mon Jan 12 10:01:05 2024", "05-12-2026 12 kr", "05-12-2026  2547,85 kr.",
    "05-12-2026 1234", "2026-12-06T21:00:00+00:00",
    "01-06-2024 - 15-06-2024", "01-06-2024 \u2013 15-06-2024", "01-06-2024-15-06-2024",
    "01-06-24 - 15-06-24", "Arbejdsliste 01-06-2024 - 15-06-2024 (14 dage)",
])
def test_dates_amounts_and_ids_that_are_not_cpr_numbers_stay(text: str) -> None:
    assert mask_cpr(text) == text


@pytest.mark.parametrize("before", [
    "45 67 89 ", "ab 12 34 56 ", "tlf 55 66 77 88 ", "99-99-99 ", "31 12 99 ",
    "01-06-2024 - ",
])
def test_a_cpr_number_after_digits_that_are_not_one_is_masked(before: str) -> None:
    """Digits before the number that look like a CPR number's start but are not one (a
    phone number: ``77 88 0705`` would be day 77) do not hide the number that starts inside
    them."""
    assert mask_cpr(f"{before}070589-1234 x") == f"{before}070589-**** x"
    assert looks_like_cpr(f"{before}070589-1234")


def test_pseudonyms_are_keyed_and_stable() -> None:
    assert pseudonym("p1", KEY) == pseudonym("p1", KEY)
    assert pseudonym("p1", KEY) != pseudonym("p2", KEY)
    assert pseudonym("p1", KEY) != pseudonym("p1", KEY + b"!")
    assert len(pseudonym("p1", KEY)) == 64


def _cpr_log(path: Path) -> None:
    """A synthetic log whose person ids are CPR numbers in several spellings, one of them
    broken so that it is quarantined."""
    write_event_log(path, 6, 3)
    spellings = ["0101901234", "020290-2345", "03.03.90-3456", "040490\u20134567",
                 "050590 5678", "060690/6789"]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        number = int(row["person_id"].rsplit("-", 1)[1])
        row["person_id"] = spellings[number]
        if number == 5 and row["type"] == "benefit_started":
            row["date"] = "2024-02-30"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def _outputs(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())
                   if p.suffix in (".csv", ".json", ".jsonl"))


def test_no_output_holds_a_cpr_number(tmp_path: Path) -> None:
    source = tmp_path / "0101901234.jsonl"
    _cpr_log(source)
    summary = evaluate_caseload(source, tmp_path / "out", as_of=AS_OF, workers=1)
    assert summary.quarantined == 1
    text = _outputs(tmp_path / "out")
    assert not looks_like_cpr(text.replace("-****", "")), text[:400]
    assert "010190-****" in text
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["source"].endswith("010190-****.jsonl")


@pytest.mark.parametrize("workers", [1, 2])
def test_pseudonymised_outputs_hold_only_keyed_hashes(tmp_path: Path, workers: int) -> None:
    source = tmp_path / "events.jsonl"
    _cpr_log(source)
    out = tmp_path / "out"
    evaluate_caseload(source, out, as_of=AS_OF, workers=workers, pseudonymise_key=KEY)
    text = _outputs(out)
    assert "010190" not in text
    assert "****" not in text
    assert KEY.decode() not in text
    assert pseudonym("0101901234", KEY) in (out / "persons.csv").read_text(encoding="utf-8")
    quarantined = (out / "quarantine.jsonl").read_text(encoding="utf-8")
    assert pseudonym("060690/6789", KEY) in quarantined
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["person_ids"] == "pseudonymised (HMAC-SHA256, keyed)"


def test_cli_pseudonymises_with_a_key_from_a_file_or_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "events.jsonl"
    _cpr_log(source)
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY + b"\n")
    args = ["batch", str(source), "--as-of", "2026-01-01", "--workers", "1",
            "--allow-quarantine", "--pseudonymise"]
    assert main([*args, "--out", str(tmp_path / "a"), "--pseudonym-key-file",
                 str(key_file)]) == 0
    monkeypatch.setenv("LAB_RULES_PSEUDONYM_KEY", KEY.decode())
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    assert (tmp_path / "a" / "persons.csv").read_bytes() == \
        (tmp_path / "b" / "persons.csv").read_bytes()
    monkeypatch.delenv("LAB_RULES_PSEUDONYM_KEY")
    assert main([*args, "--out", str(tmp_path / "c")]) == 2
    key_file.write_bytes(b"short")
    assert main([*args, "--out", str(tmp_path / "c"), "--pseudonym-key-file",
                 str(key_file)]) == 2
    assert not (tmp_path / "c").exists()
