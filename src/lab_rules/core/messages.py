"""The message catalogue: every sentence lab-rules writes for people, in Danish and English.

A sentence is looked up by key in the TOML files of ``core/catalogue/`` (one file per area:
``contact.toml``, ``sanctions.toml``, ...). Each entry holds a ``da`` and an ``en`` template
with the same named fields (``{due}``), and may hold ``da_one``/``en_one`` for a count
``n == 1`` ("1 dag", "2 dage"). The catalogue is package data, not law: the law's own words
(rule titles, notes) live in the rule files with their ``_da``/``_en`` pairs (:class:`Said`).

Results keep a :class:`Message` (a key and its values) and are put into words only when read,
in the reader's language: one output, one language. Values are formatted per language here,
so a date or an amount reads the same way in every sentence of an output:

* dates: ``da`` 05-12-2026, ``en`` 2026-12-05 (ISO);
* money: ``da`` 2.547,85 kr., ``en`` DKK 2,547.85;
* rates: ``da`` 35 %, ``en`` 35%.

Machine formats (JSON, CSV, Parquet) do not come through here: they keep ISO dates and plain
decimals.
"""

from __future__ import annotations

import enum
import string
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib.resources import files
from typing import Literal, Protocol

import attrs

Lang = Literal["da", "en"]
LANGS: tuple[Lang, Lang] = ("da", "en")


class CatalogueError(ValueError):
    """The catalogue is broken: a missing language, a field one language lacks, a key twice."""


@attrs.frozen(slots=True)
class Entry:
    """One catalogue entry: the templates of a sentence in both languages."""

    key: str
    source: str
    da: str
    en: str
    da_one: str | None = None
    en_one: str | None = None

    def template(self, lang: str, one: bool = False) -> str:
        if lang == "da":
            return (self.da_one if one and self.da_one is not None else self.da)
        return (self.en_one if one and self.en_one is not None else self.en)

    def templates(self, lang: str) -> tuple[str, ...]:
        one = self.da_one if lang == "da" else self.en_one
        return (self.template(lang),) + ((one,) if one is not None else ())


def _fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template)
                     if name is not None)


def _entries(table: Mapping[str, object], prefix: str, source: str) -> Iterator[Entry]:
    if "da" in table or "en" in table:
        texts = {k: v for k, v in table.items()}
        for lang in LANGS:
            if not isinstance(texts.get(lang), str) or not texts[lang]:
                raise CatalogueError(f"{source}: [{prefix}] has no {lang!r} text")
        unknown = set(texts) - {"da", "en", "da_one", "en_one"}
        if unknown:
            raise CatalogueError(f"{source}: [{prefix}] has unknown keys {sorted(unknown)}")
        entry = Entry(prefix, source, str(texts["da"]), str(texts["en"]),
                      texts.get("da_one"), texts.get("en_one"))  # type: ignore[arg-type]
        wanted = _fields(entry.da)
        for template in (entry.en, entry.da_one, entry.en_one):
            if template is not None and _fields(template) != wanted:
                raise CatalogueError(
                    f"{source}: [{prefix}] the languages name different fields: "
                    f"{sorted(wanted)} and {sorted(_fields(template))}")
        yield entry
        return
    for name, value in table.items():
        if not isinstance(value, dict):
            raise CatalogueError(f"{source}: [{prefix}] {name} is not a table of texts")
        yield from _entries(value, f"{prefix}.{name}" if prefix else name, source)


@cache
def catalogue() -> Mapping[str, Entry]:
    """Every entry of the bundled catalogue by key (read once; the files are package data)."""
    found: dict[str, Entry] = {}
    folder = files("lab_rules.core").joinpath("catalogue")
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if not item.name.endswith(".toml"):
            continue
        data = tomllib.loads(item.read_text(encoding="utf-8"))
        for entry in _entries(data, "", item.name):
            if entry.key in found:
                raise CatalogueError(f"{item.name}: [{entry.key}] is also in "
                                     f"{found[entry.key].source}")
            found[entry.key] = entry
    return found


class Wordable(Protocol):
    def describe(self, lang: str = ...) -> str: ...


@attrs.frozen(slots=True)
class Said:
    """A text the rule files give in both languages (``note_da``/``note``): the law's own
    words, read in the output's language."""

    da: str
    en: str

    def describe(self, lang: str = "en") -> str:
        return self.da if lang == "da" else self.en

    def __str__(self) -> str:
        return self.en


@attrs.frozen(slots=True)
class Money:
    """An amount of kroner to put into words (formatted per language, two decimals)."""

    amount: Decimal


@attrs.frozen(slots=True)
class Percent:
    """A share (0.35) to put into words as a percentage (35 %)."""

    share: Decimal


@attrs.frozen(slots=True)
class MonthOf:
    """A calendar month in words, by the catalogue's month names (``word.months``): da
    ``marts 2018``, en ``March 2018``."""

    year: int
    month: int

    def describe(self, lang: str = "en") -> str:
        return f"{text('word.months', lang).split()[self.month - 1]} {self.year}"


class Sentence:
    """A sentence kept as its parts and put into words when read (:meth:`describe`).
    ``str()`` is the English sentence (logs and JSON notes keep one language); two sentences
    are equal when their parts are, and a sentence equals the English text it reads as."""

    __slots__ = ()

    def describe(self, lang: str = "en") -> str:
        raise NotImplementedError

    def parts(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.describe("en")

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self.parts() == other.parts()
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


class Message(Sentence):
    """A sentence of the catalogue kept as its key and values, put into words when read.

    Values may be dates, :class:`Money`, :class:`Percent`, enums with a ``label(lang)``,
    texts in both languages (:class:`Said`) or other messages; they are formatted in the
    language the sentence is read in. ``str()`` gives the English sentence (for logs and
    JSON notes, which keep one language)."""

    __slots__ = ("_hash", "fields", "key")

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields
        self._hash: int | None = None

    def __hash__(self) -> int:
        """The English sentence's hash, worked out once: the law's notes are the same objects
        for every person, and deduplicating them would otherwise put them into words each
        time."""
        found = self._hash
        if found is None:
            found = self._hash = hash(str(self))
        return found

    def __getstate__(self) -> tuple[str, dict[str, object]]:
        """Key and values only: a string's hash differs between processes."""
        return self.key, self.fields

    def __setstate__(self, state: tuple[str, dict[str, object]]) -> None:
        self.key, self.fields = state
        self._hash = None

    def describe(self, lang: str = "en") -> str:
        return text(self.key, lang, **self.fields)

    def parts(self) -> tuple[object, ...]:
        return self.key, self.fields

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.fields!r})"


def words(value: object, lang: str) -> str:
    """*value* as text in *lang*: the one place where values become words."""
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return date_text(value, lang)
    if isinstance(value, Money):
        return money_text(value.amount, lang)
    if isinstance(value, Percent):
        return percent_text(value.share, lang)
    if isinstance(value, (Sentence, Said)):
        return value.describe(lang)
    if isinstance(value, enum.Enum):
        label = getattr(value, "label", None)
        return str(label(lang)) if callable(label) else str(value.value)
    describe = getattr(value, "describe", None)
    if callable(describe):
        return str(describe(lang))
    if value is None:
        raise CatalogueError("None cannot be put into words: the sentence needs a value")
    return str(value)


def text(key: str, lang: str, /, **fields: object) -> str:
    """The catalogue's sentence *key* in *lang* with *fields* put into words.

    A field ``n`` that is 1 picks the entry's singular form where it has one."""
    entry = catalogue().get(key)
    if entry is None:
        raise CatalogueError(f"no catalogue entry {key!r}")
    template = entry.template(lang, one=fields.get("n") == 1)
    return template.format_map({name: words(value, lang) for name, value in fields.items()})


def date_text(day: date | None, lang: str) -> str:
    """A date as a reader of *lang* writes it: da ``05-12-2026``, en ``2026-12-05``."""
    if day is None:
        return ""
    if lang == "da":
        return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"
    return day.isoformat()


_CENTS = Decimal("0.01")


def number_text(value: Decimal | int, lang: str, places: int = 2) -> str:
    """A number with thousands grouped the way *lang* writes it: da ``1.234,50``, en
    ``1,234.50``. Rounded half up to *places* only here, at the edge."""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    english = f"{rounded:,.{places}f}"
    if lang != "da":
        return english
    return english.replace(",", "\0").replace(".", ",").replace("\0", ".")


def money_text(amount: Decimal | None, lang: str) -> str:
    """An amount of kroner: da ``2.547,85 kr.``, en ``DKK 2,547.85``."""
    if amount is None:
        return ""
    figure = number_text(amount, lang)
    return f"{figure} kr." if lang == "da" else f"DKK {figure}"


def percent_text(share: Decimal | float, lang: str) -> str:
    """A share as a percentage without needless decimals: da ``35 %``, en ``35%``."""
    value = (Decimal(str(share)) * 100).normalize()
    figure = format(value.quantize(Decimal(1)) if value == value.to_integral() else value, "f")
    if lang == "da":
        return f"{figure.replace('.', ',')} %"
    return f"{figure}%"
