"""What the rule-file tests write: a parsed TOML document back as TOML (the standard library
reads TOML but does not write it), one value of it swapped, and a copy of the bundled law with
one file changed."""

from __future__ import annotations

import json
import math
import re
import shutil
import tomllib
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from conftest import ROOT

RULES = ROOT / "rules"

Step = str | int
"""A key of a table or an index of an array."""


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def toml_value(value: object) -> str:
    """*value* as an inline TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict), value
    return "{" + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def _is_tables(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table(prefix: str, table: dict[str, Any]) -> Iterator[str]:
    """*table* as TOML lines: its plain values, then its tables and arrays of tables under
    headers (the layout of the rule files, so that the loader's line index works)."""
    for key, value in table.items():
        if not isinstance(value, dict) and not _is_tables(value):
            yield f"{_key(key)} = {toml_value(value)}"
    for key, value in table.items():
        name = f"{prefix}.{_key(key)}" if prefix else _key(key)
        if isinstance(value, dict):
            yield f"[{name}]"
            yield from _table(name, value)
        elif _is_tables(value):
            for item in value:
                yield f"[[{name}]]"
                yield from _table(name, item)


def toml_text(document: dict[str, Any]) -> str:
    """A parsed TOML document written back as TOML (comments are not kept)."""
    return "\n".join(_table("", document)) + "\n"


def nodes(value: object, path: tuple[Step, ...] = ()) -> Iterator[tuple[Step, ...]]:
    """The path of every value below *value* (tables and arrays too)."""
    if path:
        yield path
    items: list[tuple[Step, object]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, item in items:
        yield from nodes(item, (*path, key))


DROP = object()
"""A value for :func:`swapped` that takes the key out."""


def swapped(relative: str | Path, path: tuple[Step, ...], new: object) -> str:
    """The text of the bundled file *relative* with the value at *path* swapped for *new*
    (:data:`DROP`: the key taken out)."""
    document = tomllib.loads((RULES / relative).read_text(encoding="utf-8"))
    target: Any = document
    for step in path[:-1]:
        target = target[step]
    if new is DROP:
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return toml_text(document)


def law_with(folder: Path, relative: str | Path, text: str) -> Path:
    """A copy of the bundled law in *folder* with the file *relative* holding *text*."""
    target = folder / "rules"
    shutil.copytree(RULES, target)
    (target / relative).write_text(text, encoding="utf-8")
    return target
