"""The audit pack (``lab-rules audit``, issue 15 point 3): a seeded sample of the bundled
caseload as one printable HTML document, checked in a real headless Chromium (Debian's
``chromium``; with ``LAB_RULES_REQUIRE_BROWSER`` set, a missing browser fails the test)."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from collections.abc import Sequence
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chromium import browser, rendered_dom
from conftest import ROOT
from lab_rules.core.privacy import looks_like_cpr, pseudonym
from lab_rules.faces.cli import audit as audit_cli

CASELOAD = ROOT / "examples" / "caseload" / "caseload.jsonl"
AS_OF = "2026-01-01"
KEY = b"audit-test-key-0123456789"
SEED = 7
"""Draws synthetic-291, whose summons of 2011-03-11 is for the no-show of 2011-03-25 in its
second dagpenge jobsamtale every three months (met late on 2011-04-10)."""


def _audit(*argv: str) -> int:
    """Run ``lab-rules audit`` through this module's own parser."""
    parser = argparse.ArgumentParser(prog="lab-rules")
    audit_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["audit", *argv])
    code: int = args.run(args)
    return code


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "pseudonym.key"
    path.write_bytes(KEY + b"\n")
    return path


def _sample(tmp_path: Path, key_file: Path, seed: int = SEED, name: str = "pack.html",
            *extra: str) -> Path:
    out = tmp_path / name
    assert _audit(str(CASELOAD), "--as-of", AS_OF, "--sample", "20", "--seed", str(seed),
                  "--out", str(out), "--pseudonym-key", str(key_file), *extra) == 0
    return out


class _Meetings(HTMLParser):
    """Each case section's meeting items: the obligation row they sit in (None for the
    case's other summonses), their data attributes and their text."""

    def __init__(self) -> None:
        super().__init__()
        self.cases: list[str] = []
        self.items: list[tuple[str, dict[str, str] | None, dict[str, str], str]] = []
        self._row: dict[str, str] | None = None
        self._item: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        if tag == "section" and "case" in classes:
            self.cases.append(values["data-pseudonym"])
        elif tag == "tr" and "obligation" in classes:
            self._row = values
        elif tag == "li" and "meeting" in classes:
            self._item, self._text = values, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        elif tag == "li" and self._item is not None:
            self.items.append((self.cases[-1], self._row, self._item, "".join(self._text)))
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self._text.append(data)


def _summonses(persons: Sequence[str]) -> dict[str, list[dict[str, str]]]:
    """The summons rows of *persons* in the bundled log, by person."""
    found: dict[str, list[dict[str, str]]] = {}
    with CASELOAD.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["type"] == "summons_sent" and row["person_id"] in persons:
                found.setdefault(row["person_id"], []).append(row)
    return found


def _sampled_ids(seed: int) -> list[str]:
    with CASELOAD.open(encoding="utf-8") as handle:
        ids = sorted({json.loads(line)["person_id"] for line in handle})
    return random.Random(seed).sample(ids, 20)


def test_sample_of_20_shows_every_summons_date_in_chromium(tmp_path: Path,
                                                           key_file: Path) -> None:
    dom = rendered_dom(_sample(tmp_path, key_file))
    parsed = _Meetings()
    parsed.feed(dom)
    sampled = _sampled_ids(SEED)
    assert sorted(parsed.cases) == sorted(pseudonym(pid, KEY) for pid in sampled)
    shown = {(case, item["data-meeting"], date) for case, _, item, text in parsed.items
             for date in item["data-summoned"].split() if date in text}
    expected = {(pseudonym(pid, KEY), row["meeting_date"], row["date"])
                for pid, rows in _summonses(sampled).items() for row in rows}
    assert len(expected) >= 5
    assert expected <= shown


def test_a_known_summons_is_shown_next_to_its_obligation(tmp_path: Path,
                                                         key_file: Path) -> None:
    dom = rendered_dom(_sample(tmp_path, key_file))
    parsed = _Meetings()
    parsed.feed(dom)
    case = pseudonym("synthetic-291", KEY)
    rows = [(row, item, text) for name, row, item, text in parsed.items
            if name == case and item["data-summoned"] == "2011-03-11"]
    assert len(rows) == 1
    row, item, text = rows[0]
    assert row is not None
    assert (row["data-rule-id"], row["data-sequence"]) == (
        "dk.lab.2008.dagpenge.every_three_months", "2")
    assert (row["data-status"], row["data-fulfilled-on"]) == ("met_late", "2011-04-10")
    assert item["data-meeting"] == "2011-03-25"
    assert item["data-outcome"] == "no_show"
    assert "2011-03-11" in text
    assert "2011-03-25" in text


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path, key_file: Path) -> None:
    first = _sample(tmp_path, key_file, SEED, "one.html").read_bytes()
    second = _sample(tmp_path, key_file, SEED, "two.html").read_bytes()
    other = _sample(tmp_path, key_file, SEED + 1, "three.html").read_bytes()
    assert first == second
    assert first != other


def test_persons_file_gives_those_cases_in_its_order(tmp_path: Path, key_file: Path) -> None:
    listed = tmp_path / "persons.txt"
    listed.write_text("# drawn by the auditor\nsynthetic-98\n\nsynthetic-0\n", encoding="utf-8")
    out = tmp_path / "listed.html"
    assert _audit(str(CASELOAD), "--as-of", AS_OF, "--persons", str(listed), "--out", str(out),
                  "--pseudonym-key", str(key_file), "--lang", "en") == 0
    parsed = _Meetings()
    parsed.feed(out.read_text(encoding="utf-8"))
    assert parsed.cases == [pseudonym("synthetic-98", KEY), pseudonym("synthetic-0", KEY)]
    assert '<body data-lang="en"' in out.read_text(encoding="utf-8")


def test_an_unknown_person_is_a_located_error_and_nothing_is_written(
        tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = tmp_path / "persons.txt"
    listed.write_text("synthetic-0\nsynthetic-9999\n", encoding="utf-8")
    out = tmp_path / "pack.html"
    assert _audit(str(CASELOAD), "--as-of", AS_OF, "--persons", str(listed), "--out", str(out),
                  "--pseudonym-key", str(key_file)) == 1
    assert f"{listed}:2: synthetic-9999: no such person" in capsys.readouterr().err
    assert not out.exists()


def _cpr_log(tmp_path: Path) -> Path:
    """One evaluable person and one quarantined, both with CPR numbers for ids."""
    rows = [line.replace('"synthetic-0"', '"010190-1234"')
            for line in CASELOAD.read_text(encoding="utf-8").splitlines()
            if '"synthetic-0"' in line]
    rows += [json.dumps({"person_id": "0101901234", "type": "person",
                         "birth_date": "1990-01-01", "cpr": "010190 1234"}),
             json.dumps({"person_id": "0101901234", "type": "conversation_held",
                         "date": "2024-02-30", "kind": "jobsamtale"})]
    path = tmp_path / "0101901234.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_no_cpr_number_appears_in_the_pack(tmp_path: Path, key_file: Path) -> None:
    listed = tmp_path / "persons.txt"
    listed.write_text("010190-1234\n0101901234\n", encoding="utf-8")
    out = tmp_path / "pack.html"
    assert _audit(str(_cpr_log(tmp_path)), "--as-of", AS_OF, "--persons", str(listed),
                  "--out", str(out), "--pseudonym-key", str(key_file)) == 1
    text = out.read_text(encoding="utf-8")
    names = [pseudonym(pid, KEY) for pid in ("010190-1234", "0101901234")]
    assert all(name in text for name in names)
    assert 'class="quarantined"' in text
    without_names = re.sub(r"(?<![0-9a-f])[0-9a-f]{12,64}(?![0-9a-f])", "", text)
    assert "0101901234" not in text
    assert not looks_like_cpr(without_names)
    assert "010190" not in without_names
    assert "1234" not in without_names


def test_a_log_whose_file_name_is_not_utf8_is_named_escaped_and_without_its_cpr(
        tmp_path: Path, key_file: Path) -> None:
    """A byte that is not UTF-8 (a Latin-1 ``ø``) in the log's name, right before a CPR
    number: the pack is written, the byte shown as an escape and the number scrubbed."""
    log = tmp_path / os.fsdecode(b"sag-\xf80101901234.jsonl")
    log.write_bytes(CASELOAD.read_bytes())
    out = tmp_path / "pack.html"
    assert _audit(str(log), "--as-of", AS_OF, "--sample", "2", "--seed", "1",
                  "--out", str(out), "--pseudonym-key", str(key_file)) == 0
    text = out.read_text(encoding="utf-8")
    assert "sag-\\udcf8******-****.jsonl" in text
    assert "0101901234" not in text


def test_quarantined_persons_are_listed_and_a_large_sample_takes_everyone_else(
        tmp_path: Path, key_file: Path) -> None:
    out = tmp_path / "pack.html"
    log = _cpr_log(tmp_path)
    base = [str(log), "--as-of", AS_OF, "--sample", "5", "--seed", "1", "--out", str(out),
            "--pseudonym-key", str(key_file)]
    assert _audit(*base) == 1
    text = out.read_text(encoding="utf-8")
    assert f'<tr data-pseudonym="{pseudonym("0101901234", KEY)}">' in text
    assert "is not a valid date" in text
    assert text.count('<section class="case"') == 1
    assert "5 asked for" in text
    assert _audit(*base, "--allow-quarantine") == 0


def test_the_pack_fetches_nothing(tmp_path: Path, key_file: Path) -> None:
    text = _sample(tmp_path, key_file).read_text(encoding="utf-8")
    assert not re.search(r"<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\(", text)
    assert text.count('<section class="case"') == 20
    assert "break-before: page" in text


def test_a_key_is_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("LAB_RULES_PSEUDONYM_KEY", raising=False)
    out = tmp_path / "pack.html"
    assert _audit(str(CASELOAD), "--as-of", AS_OF, "--sample", "2", "--seed", "1",
                  "--out", str(out)) == 2
    assert "--pseudonym-key FILE" in capsys.readouterr().err
    assert not out.exists()


def test_a_sample_without_a_seed_is_a_usage_error(tmp_path: Path, key_file: Path) -> None:
    assert _audit(str(CASELOAD), "--as-of", AS_OF, "--sample", "2", "--out",
                  str(tmp_path / "pack.html"), "--pseudonym-key", str(key_file)) == 2


@pytest.mark.parametrize("content", ["", "# drawn later\n\n   \n", None])
def test_a_persons_file_that_names_no_person_is_a_usage_error(
        tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str],
        content: str | None) -> None:
    """An empty ``--persons`` file, one of comments and blank lines, or /dev/null is a usage
    error naming the file (exit 2), and no pack is written: a pack of no case proves nothing
    (it was written with 0 cases, exit 0)."""
    listed = tmp_path / "persons.txt"
    if content is not None:
        listed.write_text(content, encoding="utf-8")
    name = str(listed) if content is not None else "/dev/null"
    out = tmp_path / "pack.html"
    assert _audit(str(CASELOAD), "--as-of", AS_OF, "--persons", name, "--out", str(out),
                  "--pseudonym-key", str(key_file)) == 2
    assert f"{name}: names no person" in capsys.readouterr().err
    assert not out.exists()


def test_audit_pack_refuses_an_empty_list_and_an_empty_sample() -> None:
    """From Python too, no persons listed or a sample of 0 is an error, not an empty pack."""
    from lab_rules.core.errors import LabRulesError
    from lab_rules.faces.audit import audit_pack

    with pytest.raises(LabRulesError, match=r"listed\.txt: names no person"):
        audit_pack(CASELOAD, as_of=date(2026, 1, 1), key=KEY, persons=[],
                   persons_source="listed.txt")
    with pytest.raises(LabRulesError, match="a sample of 0"):
        audit_pack(CASELOAD, as_of=date(2026, 1, 1), key=KEY, sample=0, seed=1)


def test_a_persons_file_that_cannot_be_read_is_named_on_one_line(
        tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --persons name holding a line break is said escaped, on the one line of its error."""
    name = str(tmp_path / "no\nsuch.txt")
    assert _audit(str(CASELOAD), "--as-of", AS_OF, "--persons", name, "--out",
                  str(tmp_path / "pack.html"), "--pseudonym-key", str(key_file)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no\\nsuch.txt: cannot read: No such file or directory" in err


def test_pdf_is_printed_with_chromium(tmp_path: Path, key_file: Path) -> None:
    if browser() is None:
        pytest.skip("no headless Chromium (apt-get install chromium)")
    pdf = tmp_path / "pack.pdf"
    _sample(tmp_path, key_file, SEED, "pack.html", "--pdf", str(pdf))
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) >= 21
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_pdf_without_a_browser_writes_the_html_and_says_so(
        tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(audit_cli, "browser", lambda: None)
    out, pdf = tmp_path / "pack.html", tmp_path / "pack.pdf"
    assert _audit(str(CASELOAD), "--as-of", AS_OF, "--sample", "2", "--seed", "1", "--out",
                  str(out), "--pdf", str(pdf), "--pseudonym-key", str(key_file)) == 2
    assert out.exists()
    assert not pdf.exists()
    assert "needs headless Chromium" in capsys.readouterr().err
