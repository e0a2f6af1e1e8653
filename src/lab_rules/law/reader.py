"""Reading TOML data files strictly: a problem collector that knows each key's line.

Every rule and parameter file is read with the standard library's ``tomllib`` (never
executed) and checked through a :class:`_Reader`, which collects every problem with its file,
key path (``rule[3].fulfilled_by.kinds``) and line, and suggests the key meant.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from lab_rules.calendar import Duration
from lab_rules.core.errors import DurationFormatError, Problem
from lab_rules.law.bounds import (
    FIRST_RULE_DAY,
    LAST_RULE_DAY,
    MAX_DURATION_DAYS,
    MAX_WHOLE,
    OPEN_END,
    duration_days,
)
from lab_rules.law.toml_files import RuleError, read_toml

__all__ = ["RuleError", "described", "open_toml"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.]+)\s*\]\]?")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_]+)\s*=")

E = TypeVar("E", bound=enum.Enum)


def _line_index(text: str) -> dict[str, int]:
    """Map key paths (``rule[2].shape``, ``module.id``) to their 1-based line numbers."""
    index: dict[str, int] = {}
    counters: dict[str, int] = {}
    prefix = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            brackets, name = header.groups()
            if brackets == "[[":
                counters[name] = counters.get(name, -1) + 1
                prefix = f"{name}[{counters[name]}]"
            else:
                head, _, rest = name.partition(".")
                prefix = f"{head}[{counters[head]}]" if head in counters else head
                if rest:
                    prefix += "." + rest
            index.setdefault(prefix, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            index.setdefault(f"{prefix}.{assign.group(1)}" if prefix else assign.group(1), number)
    return index


class _Reader:
    """Reads one module's values, collecting located problems instead of raising."""

    def __init__(self, source: str, lines: dict[str, int]) -> None:
        self.source = source
        self.lines = lines
        self.problems: list[Problem] = []

    def line_of(self, path: str) -> int | None:
        probe = path
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            last = probe.rpartition(".")[2]
            if last.endswith("]") and "[" in last and probe[: probe.rindex("[")] in self.lines:
                return self.lines[probe[: probe.rindex("[")]]
            probe = probe.rpartition(".")[0]
        return None

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, self.source, self.line_of(path)))

    def check_keys(self, table: Mapping[str, Any], allowed: set[str], path: str) -> None:
        if not isinstance(table, Mapping):  # the caller has said what it must be
            return
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f'; did you mean "{close[0]}"?' if close else (
                    "; allowed keys: " + ", ".join(sorted(allowed)))
                self.problem(_at(path, key), f"unknown key{hint}")

    def text(self, table: Mapping[str, Any], key: str, path: str, *, required: bool = True,
             default: str | None = None) -> str | None:
        value = table.get(key, default)
        if value is None:
            if required:
                self.problem(path, f'missing required key "{key}"')
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(_at(path, key), f"must be a non-empty string, got {described(value)}")
            return None
        return value.strip()

    def integer(self, table: Mapping[str, Any], key: str, path: str, default: int | None,
                minimum: int = 0, maximum: int = MAX_WHOLE) -> int | None:
        """A whole number from *minimum* to *maximum* (never true or false, which Python
        counts as 1 and 0)."""
        value = table.get(key, default)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(_at(path, key), f"must be a whole number from {minimum} to {maximum}, "
                         f"got {described(value)}")
            return default
        if not minimum <= value <= maximum:
            self.problem(_at(path, key), f"must be a whole number from {minimum} to {maximum}, "
                         f"got {value}")
            return default
        return value

    def boolean(self, table: Mapping[str, Any], key: str, path: str) -> bool | None:
        value = table.get(key)
        if value is not None and not isinstance(value, bool):
            self.problem(_at(path, key), f"must be true or false, got {described(value)}")
            return None
        return value

    def day(self, table: Mapping[str, Any], key: str, path: str, *,
            default: date | None = None) -> date | None:
        """A TOML date (``2024-01-01``, no quotes) from :data:`FIRST_RULE_DAY` to
        :data:`LAST_RULE_DAY`, or ``9999-12-31`` (no end) as a ``valid_to``. Without the key,
        *default* when it is such a date (a default read elsewhere, a module's validity, is
        checked where it is written)."""
        if key not in table:
            return default if _in_range(default, key) else None
        value = table[key]
        if not isinstance(value, date) or isinstance(value, datetime):
            self.problem(_at(path, key), f"must be a TOML date like 2024-01-01 (without "
                         f"quotes), got {described(value)}")
            return None
        if not _in_range(value, key):
            self.problem(_at(path, key), f"must be a date from {FIRST_RULE_DAY} to "
                         f"{LAST_RULE_DAY}{' (or 9999-12-31: no end)' if key == 'valid_to' else ''}"
                         f", got {value}")
            return None
        return value

    def duration(self, table: Mapping[str, Any], key: str, path: str, *,
                 positive: bool = False) -> Duration | None:
        """An ISO-8601 duration of non-negative parts, at most 100 years (a month counted as
        31 days, :data:`MAX_DURATION_DAYS`); longer than zero where *positive* (an interval
        that steps)."""
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(_at(path, key), f"must be an ISO-8601 duration as a string, like "
                         f'"P1M", got {described(value)}')
            return None
        try:
            found = Duration.parse(value)
        except DurationFormatError as err:
            self.problem(_at(path, key), str(err))
            return None
        except ValueError:  # a part of more digits than int() converts
            self.problem(_at(path, key), "is longer than 100 years (P100Y)")
            return None
        if min(found.years, found.months, found.days) < 0:
            self.problem(_at(path, key), f"{value!r} counts back: a duration of a rule file "
                         "is not negative")
        elif duration_days(found.total_months, found.days) > MAX_DURATION_DAYS:
            self.problem(_at(path, key), f"{value!r} is longer than 100 years (P100Y, a "
                         "month counted as 31 days)")
        elif positive and found.unit == "zero":
            self.problem(_at(path, key), f"{value!r} is no time at all: {key} must be longer "
                         "than zero")
        else:
            return found
        return None

    def choice(self, enum_cls: type[E], value: object, path: str) -> E | None:
        for member in enum_cls:
            if member.value == value:
                return member
        allowed = [str(m.value) for m in enum_cls]
        close = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f'did you mean "{close[0]}"?' if close else "expected one of: " + ", ".join(allowed)
        self.problem(path, f"{value!r} is not a known {_label(enum_cls)}; {hint}")
        return None

    def enum_of(self, enum_cls: type[E], table: Mapping[str, Any], key: str, path: str,
                default: object = None) -> E | None:
        value = table.get(key, default)
        if value is None:
            return None
        if isinstance(value, enum_cls):
            return value
        return self.choice(enum_cls, value, _at(path, key))

    def enum_set(self, enum_cls: type[E], table: Mapping[str, Any], key: str,
                 path: str, default: object = None) -> frozenset[E]:
        values = table.get(key, default)
        if values is None:
            return frozenset()
        if not isinstance(values, list):
            self.problem(_at(path, key), f"must be a list, got {described(values)}")
            return frozenset()
        found = (self.choice(enum_cls, v, f"{_at(path, key)}[{i}]") for i, v in enumerate(values))
        return frozenset(m for m in found if m is not None)

    def table(self, parent: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = parent.get(key, {})
        if not isinstance(value, dict):
            self.problem(_at(path, key), f"must be a table, got "
                         f"{described(value)}")
            return {}
        return value

    def tables(self, parent: Mapping[str, Any], key: str, path: str
               ) -> list[tuple[str, Mapping[str, Any]]]:
        """Each table of the array of tables ``[[key]]`` with its key path; a value that is
        not an array, or an item that is not a table, is a problem."""
        where = _at(path, key)
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.problem(where, f"must be an array of tables ([[{key}]]), got "
                         f"{described(value)}")
            return []
        found: list[tuple[str, Mapping[str, Any]]] = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((f"{where}[{index}]", item))
            else:
                self.problem(f"{where}[{index}]", f"must be a table, got {described(item)}")
        return found

    def strings(self, table: Mapping[str, Any], key: str, path: str
                ) -> tuple[str, ...]:
        """A list of non-empty strings (ids, names); absent, none."""
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            self.problem(_at(path, key), f"must be a list of non-empty strings, got "
                         f"{described(value)}")
            return ()
        return tuple(value)


def _at(path: str, key: str) -> str:
    """The key path of *key* in the table at *path* (the document's top: the key alone)."""
    return f"{path}.{key}" if path else key


def described(value: object) -> str:
    """*value* as a message names it: its TOML type, then itself (shortened)."""
    kind = next((name for types, name in _TYPES if isinstance(value, types)), "a value")
    shown = repr(value)
    return f"{kind} {shown if len(shown) <= 60 else shown[:57] + '...'}"


_TYPES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "true or false:"), (int, "a whole number:"), (float, "a float:"),
    (str, "a string:"), (datetime, "a date-time:"), (date, "a date:"), (time, "a time:"),
    (list, "an array:"), (dict, "a table:"))


def _in_range(value: object, key: str) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime) and (
        FIRST_RULE_DAY <= value <= LAST_RULE_DAY or (key == "valid_to" and value == OPEN_END))


def _label(enum_cls: type[enum.Enum]) -> str:
    words = re.sub(r"(?<!^)([A-Z])", r" \1", enum_cls.__name__).lower()
    return {"target group": "target group (LAB § 6)", "exemption reason": "exemption reason"}.get(
        words, words)


def open_toml(path: str | Path) -> tuple[dict[str, Any], _Reader]:
    """Read a TOML data file and a problem collector that knows its lines; a file that is not
    a TOML document (:func:`~lab_rules.law.toml_files.read_toml`) raises :class:`RuleError`
    with the line, where it can be told."""
    document, text = read_toml(path)
    document.pop("kind", None)
    return document, _Reader(str(path), _line_index(text))


