"""Text made safe to print: control characters written as escapes.

A person id, a file name or a value echoed in a message comes from the caller and may hold a
line break, a carriage return, an ANSI escape (``ESC [2J`` clears the screen) or a bidi
override that reorders what a reader sees. Printed raw, such text could forge a line of
output (``other.json: ok``) or hide one. :func:`inert` escapes every control character but
the line break and the tab (a multi-line text keeps its lines); :func:`one_line` escapes
those too, for a name or a message that must stay on its one line.
"""

from __future__ import annotations

import re

_FORMATTING = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_FORMATTING}]")
_CONTROLS_AND_BREAKS = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_FORMATTING}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match[0]
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def inert(text: str) -> str:
    """*text* with its control characters, other than line breaks and tabs, as escapes."""
    return _CONTROLS.sub(_escaped, text)


def one_line(text: str) -> str:
    """*text* with every control character, line breaks and tabs too, as escapes."""
    return _CONTROLS_AND_BREAKS.sub(_escaped, text)
