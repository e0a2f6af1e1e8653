"""The evaluation's sentences in the catalogue (``core/catalogue/contact.toml``): every key the
code names is there, and every entry of the file is used by some code."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from lab_rules.calendar import Reading, Roll, Rounding
from lab_rules.contact.results import Status
from lab_rules.core.messages import catalogue, text
from lab_rules.law.coverage_gaps import GapReason

SRC = Path(__file__).parent.parent / "src" / "lab_rules"
_KEY = re.compile(r"""["']((?:contact|evaluation)\.[a-z_.]+[a-z_])["']""")
_BUILT = re.compile(r"""f["']((?:contact|evaluation)\.[a-z_.]+\.)\{""")


def _named_in_code() -> set[str]:
    return {key for path in SRC.rglob("*.py")
            for key in _KEY.findall(path.read_text(encoding="utf-8"))}


def _prefixes_in_code() -> set[str]:
    """The fixed beginnings of keys the code builds (``f"contact.status.{self.value}"``)."""
    return {prefix for path in SRC.rglob("*.py")
            for prefix in _BUILT.findall(path.read_text(encoding="utf-8"))}


def _of_the_file() -> set[str]:
    return {key for key, entry in catalogue().items() if entry.source == "contact.toml"}


def test_every_key_the_evaluation_names_is_in_the_catalogue() -> None:
    assert _named_in_code() - set(catalogue()) == set()


def test_every_status_and_gap_reason_has_words_in_both_languages() -> None:
    for value in (*Status, *GapReason):
        assert value.label("da")
        assert value.label("en")
        assert value.label("da") != value.label("en") or value is Status.OPEN


def test_no_entry_of_the_evaluation_s_catalogue_is_left_unused() -> None:
    named = _named_in_code()
    prefixes = tuple(_prefixes_in_code())
    unused = {key for key in _of_the_file() - named if not key.startswith(prefixes)}
    assert unused == set()


def test_the_header_names_the_person_and_the_day_in_the_reader_s_form() -> None:
    day = date(2026, 12, 5)
    assert text("evaluation.header", "da", person="p", as_of=day, policies="x=y") == (
        "Vurdering: p  pr. 05-12-2026  (x=y)")
    assert text("evaluation.header", "en", person="p", as_of=day, policies="x=y") == (
        "Evaluation: p  as of 2026-12-05  (x=y)")


def test_every_reading_rounding_and_roll_has_words_in_both_languages() -> None:
    for value in (*Reading, *Rounding, *Roll):
        key = {Reading: "reading", Rounding: "rounding", Roll: "roll"}[type(value)]
        assert text(f"contact.{key}.{value.value}", "en") == value.value
        assert text(f"contact.{key}.{value.value}", "da")
