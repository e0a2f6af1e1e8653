"""One language per output (issue 16, point 3): every case file's evaluation table, sanctions
text, refund ledger and HTML report, rendered in Danish and in English, holds no sentence of
the other language and no ``None``.

What counts as the other language is defined in ``language_outputs.py``: the literal pieces of
the catalogue's templates that only the other language uses, and (for Danish) English function
words, which catch prose that bypassed the catalogue.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from language_outputs import case_files, foreign, outputs

CASE_FILES = case_files()


def test_every_kind_of_case_file_is_rendered() -> None:
    folders = {p.parent.name for p in CASE_FILES}
    assert {"contact_course", "sanctions", "refund", "hours_rule"} <= folders
    assert len(CASE_FILES) >= 200


@pytest.mark.parametrize("path", CASE_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in CASE_FILES])
def test_each_output_of_a_case_file_is_in_one_language(path: Path) -> None:
    problems = []
    kinds = set()
    for kind, lang, text in outputs(path):
        kinds.add(kind)
        assert text.strip(), f"{kind} {lang} is empty"
        problems += [f"{kind} {lang}: {line.strip()}" for line in foreign(text, lang)]
    assert {"evaluate", "sanctions", "report"} <= kinds
    assert not problems, "\n".join(problems[:20])


def test_the_check_finds_english_in_a_danish_line() -> None:
    assert foreign("frist 05-12-2026: the timeline lacks a fact", "da")
    assert foreign("tidligst fra None", "da")
    assert not foreign("frist 05-12-2026, opfyldt 01-12-2026 (LAB § 31, stk. 1)", "da")
