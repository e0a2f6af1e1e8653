"""Texts of the rule files in Danish and English with the values they name (``note_da``
beside ``note``), put into words in the reader's language when read (:class:`Worded`); the
reader of a Danish twin (:func:`pair`), which must name the same ``{fields}`` as its English;
and the values such texts name in their own forms (:class:`Figure`, :class:`Month`)."""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from lab_rules.core.messages import Sentence, number_text, text, words

__all__ = ["Figure", "Month", "Worded", "fields", "named", "note_pair", "pair", "template"]


def fields(template: str) -> frozenset[str] | None:
    """The values a text template names (``{name}``), or None when it is not a template a rule
    file may write: a lone brace, or a field that is more than a plain name (``{0}``,
    ``{x.attr}``, ``{x[0]}``, ``{x!r}``, ``{x:>9}``: a rule file's text reaches no attribute,
    item or conversion of the values it is filled with)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    names = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            return None
        names.add(name)
    return frozenset(names)


def named(template: str) -> frozenset[str]:
    """The values a text template names (none, when it is not one: the loader refuses it)."""
    return fields(template) or frozenset()


_NOT_A_TEMPLATE = ("is not a text template: name a value as {name} (letters, digits and _) "
                   "and write a brace itself as {{ or }}")


def template(reader: Any, text: str | None, where: str) -> str | None:
    """*text* read at *where*, when it is a text template (:func:`fields`); else None, with
    the problem."""
    if text is not None and fields(text) is None:
        reader.problem(where, _NOT_A_TEMPLATE)
        return None
    return text


class Worded(Sentence):
    """A text of the rule files in Danish and English (``note_da`` beside ``note``) with the
    values it names, put into words in the reader's language when read: one output, one
    language. ``str()`` is the English text (JSON notes and reasons keep English)."""

    __slots__ = ("da", "en", "values")

    def __init__(self, da: str, en: str, /, **values: object) -> None:
        self.da, self.en, self.values = da, en, values

    def describe(self, lang: str = "en") -> str:
        template = self.da if lang == "da" else self.en
        return template.format_map({name: _value_words(self.values.get(name), lang)
                                    for name in named(template)})

    def parts(self) -> tuple[object, ...]:
        return self.da, self.en, self.values

    def __repr__(self) -> str:
        return f"Worded({self.en!r}, {self.values!r})"


def _value_words(value: object, lang: str) -> str:
    """A value in a rule file's text: a value the case does not give is said to be unknown
    (never ``None``)."""
    return text("sanctions.unknown", lang) if value is None else words(value, lang)


@attrs.frozen(slots=True)
class Figure:
    """An amount of kroner inside a rule file's text that writes the unit itself ("{monthly}
    kr."): da ``4.800,00``, en ``4800.00`` (the English notes are kept in JSON as they were)."""

    amount: Decimal

    def describe(self, lang: str = "en") -> str:
        return number_text(self.amount, "da") if lang == "da" else f"{self.amount:.2f}"


@attrs.frozen(slots=True)
class Month:
    """A calendar month (its first day): da ``09-2025``, en ``2025-09`` (as dates are)."""

    first: date

    def describe(self, lang: str = "en") -> str:
        if lang == "da":
            return f"{self.first.month:02d}-{self.first.year:04d}"
        return f"{self.first.year:04d}-{self.first.month:02d}"


def pair(reader: Any, en: str, da: object, where: str) -> str:
    """The Danish twin *da* of the English text *en* read at *where*: the English when the
    file gives none; a twin that names other ``{fields}`` is a problem."""
    if da is None:
        return en
    if not isinstance(da, str) or not da.strip():
        reader.problem(where, "must be a non-empty string")
        return en
    if fields(da) is None:
        reader.problem(where, _NOT_A_TEMPLATE)
        return en
    if named(da) != named(en):
        reader.problem(where, f"names {sorted(named(da))}, the English {sorted(named(en))}")
    return da


def note_pair(reader: Any, table: Mapping[str, Any], where: str) -> tuple[str, str]:
    """``note`` and its Danish twin ``note_da``: a note reaches a text in the reader's language,
    so one without the other is a problem of the file."""
    note = reader.text(table, "note", where, required=False) or ""
    note_da = reader.text(table, "note_da", where, required=False) or ""
    if bool(note) != bool(note_da):
        reader.problem(where, '"note" and "note_da" go together (the note in English and Danish)')
    return note, note_da
