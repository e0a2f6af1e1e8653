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
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from lab_rules.calendar import Duration
from lab_rules.core.errors import DurationFormatError, Problem
from lab_rules.law.toml_files import RuleError, read_toml

__all__ = ["RuleError", "open_toml"]

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
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f'; did you mean "{close[0]}"?' if close else (
                    "; allowed keys: " + ", ".join(sorted(allowed)))
                self.problem(f"{path}.{key}", f"unknown key{hint}")

    def text(self, table: Mapping[str, Any], key: str, path: str, *, required: bool = True,
             default: str | None = None) -> str | None:
        value = table.get(key, default)
        if value is None:
            if required:
                self.problem(path, f'missing required key "{key}"')
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{path}.{key}", f"must be a non-empty string, got {value!r}")
            return None
        return value.strip()

    def integer(self, table: Mapping[str, Any], key: str, path: str, default: int | None,
                minimum: int = 0) -> int | None:
        value = table.get(key, default)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.problem(f"{path}.{key}", f"must be a whole number ≥ {minimum}, got {value!r}")
            return default
        return value

    def boolean(self, table: Mapping[str, Any], key: str, path: str) -> bool | None:
        value = table.get(key)
        if value is not None and not isinstance(value, bool):
            self.problem(f"{path}.{key}", f"must be true or false, got {value!r}")
            return None
        return value

    def day(self, table: Mapping[str, Any], key: str, path: str, *,
            default: date | None = None) -> date | None:
        value = table.get(key, default)
        if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
            return value
        self.problem(f"{path}.{key}", f"must be a TOML date like 2024-01-01, got {value!r}")
        return default

    def duration(self, table: Mapping[str, Any], key: str, path: str) -> Duration | None:
        value = table.get(key)
        if value is None:
            return None
        try:
            return Duration.parse(value)
        except DurationFormatError as err:
            self.problem(f"{path}.{key}", str(err))
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
        return self.choice(enum_cls, value, f"{path}.{key}")

    def enum_set(self, enum_cls: type[E], table: Mapping[str, Any], key: str,
                 path: str, default: object = None) -> frozenset[E]:
        values = table.get(key, default)
        if values is None:
            return frozenset()
        if not isinstance(values, list):
            self.problem(f"{path}.{key}", f"must be a list, got {values!r}")
            return frozenset()
        found = (self.choice(enum_cls, v, f"{path}.{key}[{i}]") for i, v in enumerate(values))
        return frozenset(m for m in found if m is not None)

    def table(self, parent: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = parent.get(key, {})
        if not isinstance(value, dict):
            self.problem(f"{path}.{key}", f"must be a table, got {value!r}")
            return {}
        return value


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


