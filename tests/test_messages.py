"""The message catalogue: every entry in both languages with the same fields, values put into
words per language (da: ``2.547,85 kr.``), and no sentence built from a missing value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lab_rules.core.messages import (
    CatalogueError,
    Message,
    Money,
    MonthOf,
    Percent,
    Said,
    _entries,
    catalogue,
    date_text,
    money_text,
    number_text,
    percent_text,
    text,
)


def test_every_entry_has_both_languages_with_the_same_fields() -> None:
    entries = catalogue()
    assert entries, "the catalogue is empty"
    for entry in entries.values():
        assert entry.da.strip(), entry.key
        assert entry.en.strip(), entry.key


def test_an_entry_without_english_is_refused() -> None:
    with pytest.raises(CatalogueError, match="no 'en' text"):
        list(_entries({"a": {"b": {"da": "kun dansk"}}}, "", "x.toml"))


def test_languages_naming_different_fields_are_refused() -> None:
    with pytest.raises(CatalogueError, match="different fields"):
        list(_entries({"a": {"da": "{due}", "en": "{date}"}}, "", "x.toml"))


def test_danish_money_groups_thousands_with_dots_and_uses_a_decimal_comma() -> None:
    assert money_text(Decimal("2547.85"), "da") == "2.547,85 kr."
    assert money_text(Decimal("1301308.324"), "da") == "1.301.308,32 kr."
    assert money_text(Decimal("2400"), "en") == "DKK 2,400.00"
    assert money_text(Decimal("-0.005"), "da") == "-0,01 kr."


def test_numbers_round_half_up_only_at_the_edge() -> None:
    assert number_text(Decimal("0.125"), "en") == "0.13"
    assert number_text(1234, "da", places=0) == "1.234"


def test_dates_read_day_first_in_danish_and_iso_in_english() -> None:
    assert date_text(date(2026, 3, 5), "da") == "05-03-2026"
    assert date_text(date(2026, 3, 5), "en") == "2026-03-05"


def test_rates_are_percentages() -> None:
    assert percent_text(Decimal("0.35"), "da") == "35 %"
    assert percent_text(Decimal("0.375"), "en") == "37.5%"
    assert percent_text(Decimal("1"), "en") == "100%"


def test_counts_of_one_take_the_singular() -> None:
    assert text("unit.days", "da", n=1) == "1 dag"
    assert text("unit.days", "da", n=2) == "2 dage"
    assert text("unit.weeks", "en", n=1) == "1 week"


def test_a_message_is_put_into_words_in_the_language_it_is_read_in() -> None:
    inner = Message("unit.days", n=3)
    note = Message("word.note", note=inner)
    assert note.describe("da") == "bemærk: 3 dage"
    assert note.describe("en") == "note: 3 days"
    assert str(note) == "note: 3 days"
    said = Said(da="afmeldt", en="deregistered")
    assert Message("word.note", note=said).describe("da") == "bemærk: afmeldt"


def test_values_are_formatted_per_language_inside_sentences() -> None:
    assert (Message("word.note", note=Money(Decimal("2547.85"))).describe("da")
            == "bemærk: 2.547,85 kr.")
    assert Message("word.note", note=Percent(Decimal("0.5"))).describe("en") == "note: 50%"
    assert Message("word.note", note=date(2024, 1, 2)).describe("da") == "bemærk: 02-01-2024"


def test_a_missing_value_is_an_error_not_the_word_none() -> None:
    with pytest.raises(CatalogueError, match="None"):
        text("word.note", "da", note=None)


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(CatalogueError, match="no catalogue entry"):
        text("no.such.key", "da")


def test_a_month_reads_by_its_name_in_each_language() -> None:
    assert MonthOf(2018, 3).describe("da") == "marts 2018"
    assert MonthOf(2018, 3).describe("en") == "March 2018"
    assert Message("word.note", note=MonthOf(2024, 12)).describe("da") == "bemærk: december 2024"


def test_a_message_sent_to_another_process_forgets_its_kept_hash() -> None:
    """A string's hash differs between processes, so the hash a message keeps is not pickled."""
    import pickle

    message = Message("contact.anchor.offers_from", day=date(2024, 3, 1))
    hash(message)
    copy = pickle.loads(pickle.dumps(message))
    assert copy.__getstate__() == message.__getstate__()
    assert copy._hash is None
    assert copy == message
    assert {message: 1}[copy] == 1


def test_a_message_hashes_as_its_english_sentence() -> None:
    message = Message("contact.anchor.offers_from", day=date(2024, 3, 1))
    assert hash(message) == hash(str(message)) == hash(message)
