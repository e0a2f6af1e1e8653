"""Reading a TOML file into plain data, at the one boundary where a file's text becomes a
document: whatever the text holds, the answer is the document or a :class:`RuleError` that
names the file (and the line, where it can be told).

``tomllib`` is the only parser (rule files are data, never executed); what it cannot take
besides a syntax error is caught here too: text that is not UTF-8, values nested so deep that
the parser runs out of stack (``RecursionError``), a number of more digits than Python converts
(``ValueError``). A document whose values nest deeper than :data:`MAX_NESTING` (the bundled
files nest three deep) is refused as well, so that nothing that walks a document afterwards
can run out of stack either.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, NoReturn

from lab_rules.core.errors import InputError, Problem
from lab_rules.core.privacy import looks_like_cpr

__all__ = ["MAX_NESTING", "Read", "RuleError", "parse_toml", "read_toml"]

MAX_NESTING = 32
"""The deepest a value of a rule file may nest (tables in arrays in tables ...): the bundled
files need 3; the bound keeps every walk of a document well inside Python's stack."""

_LINE = re.compile(r"line (\d+)")
_OPENING = {"[": 1, "{": 1, "]": -1, "}": -1}


class RuleError(InputError):
    """One or more rule files are invalid; ``problems`` locates each."""


Read = tuple[dict[str, Any], str]
"""A TOML file's document and its text, as :func:`read_toml` gives them."""


def read_toml(path: str | Path) -> Read:
    """The document of the TOML file *path* and its text. A file that cannot be read raises
    ``OSError``; one that is not a TOML document :class:`RuleError`."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise RuleError([Problem("", f"not UTF-8 text: {err.reason} at byte {err.start}",
                                 str(path), raw[:err.start].count(b"\n") + 1)],
                        subject=str(path)) from None
    return parse_toml(text, str(path)), text


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """The document of a TOML *text* read from *source*; raise :class:`RuleError` with the
    located problem when it is not one lab-rules can read."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        match = _LINE.search(str(err))
        _refuse(source, f"invalid TOML: {err}", int(match.group(1)) if match else None)
    except RecursionError:
        _refuse(source, f"values nested too deeply to read (at most {MAX_NESTING} levels)",
                _deep_line(text))
    except ValueError as err:  # a number of more digits than int() converts
        _refuse(source, f"invalid TOML: {err}", _long_number_line(text))
    deep = _too_deep(document)
    if deep is not None:
        _refuse(source, f"{deep}: values nested more than {MAX_NESTING} levels deep",
                _deep_line(text))
    personal = _cpr_shaped(document)
    if personal is not None:
        _refuse(source, f"{personal}: holds what looks like a CPR number; a rule file is law "
                        "and holds no personal data (its texts reach every output)",
                next((n for n, line in enumerate(text.splitlines(), start=1)
                      if looks_like_cpr(line.partition("#")[0])), None))
    return document


def _refuse(source: str, message: str, line: int | None) -> NoReturn:
    raise RuleError([Problem("", message, source, line)], subject=source) from None


def _too_deep(document: dict[str, Any]) -> str | None:
    """The key path of the first value deeper than :data:`MAX_NESTING`, if any (walked with a
    stack of its own, not Python's)."""
    pending: list[tuple[object, str, int]] = [(document, "", 0)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_NESTING:
            return path.partition(".")[0].partition("[")[0] or path
        if isinstance(value, dict):
            pending.extend((item, f"{path}.{key}" if path else str(key), depth + 1)
                           for key, item in value.items())
        elif isinstance(value, list):
            pending.extend((item, f"{path}[{index}]", depth + 1)
                           for index, item in enumerate(value))
    return None


def _cpr_shaped(document: dict[str, Any]) -> str | None:
    """The key path of the first key or text that looks like a CPR number, if any."""
    pending: list[tuple[object, str]] = [(document, "")]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str) and looks_like_cpr(value):
            return path or "(the document)"
        if isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else str(key)
                if looks_like_cpr(str(key)):
                    return where
                pending.append((item, where))
        elif isinstance(value, list):
            pending.extend((item, f"{path}[{index}]") for index, item in enumerate(value))
    return None


def _deep_line(text: str) -> int | None:
    """The first line where brackets outside strings and comments open more than
    :data:`MAX_NESTING` deep, or that has more dotted parts than that (a best guess for the
    message: the parser could not say)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        quote, escaped = "", False
        for char in line:
            if escaped:
                escaped = False
            elif quote:
                escaped = quote == '"' and char == "\\"
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            else:
                depth += _OPENING.get(char, 0)
                if depth > MAX_NESTING:
                    return number
        if line.split("=")[0].count(".") > MAX_NESTING:
            return number
    return None


def _long_number_line(text: str) -> int | None:
    match = re.search(r"\d{1000}", text)
    return text.count("\n", 0, match.start()) + 1 if match else None
