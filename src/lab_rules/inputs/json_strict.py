"""JSON as RFC 8259 has it, where Python's ``json`` module is lenient: a key given twice in one
object (Python keeps the last value without a word) and the bare words ``NaN``, ``Infinity``
and ``-Infinity`` (not JSON at all; Python reads them as floats, which the readers would then
take for a missing value) are refused, each a problem located by its JSON Pointer.

Refusing a constant costs nothing on good input: :func:`refuse_constant` (a decoder's
``parse_constant``) is only called on those words. :func:`unique_object` (an
``object_pairs_hook``) checks every object; a reader that decodes millions of small rows
rules out a repeated key more cheaply (:func:`lab_rules.inputs.eventlog_lines.json_row`
counts the row's colons). Either way, :func:`strictness_problems` decodes the text again to
say where a key is repeated or a constant stands.
"""

from __future__ import annotations

import json
from typing import NoReturn

from lab_rules.inputs.timeline_checks import echo, pointer_part

__all__ = ["NotStrictJsonError", "refuse_constant", "strictness_problems",
           "unique_object"]

_SHOWN = 10
"""At most this many problems of one text are listed (a line may repeat a key 100,000
times); the rest are counted."""


class NotStrictJsonError(ValueError):
    """Raised while decoding: a key is repeated in an object, or a bare ``NaN``,
    ``Infinity`` or ``-Infinity`` stands for a number. :func:`strictness_problems` locates
    it; this error does not know where it is. A ``ValueError`` like the error of text that
    is not JSON, so catch it first."""


def refuse_constant(name: str) -> NoReturn:
    """A ``parse_constant`` for ``json``: the bare words ``NaN``, ``Infinity`` and
    ``-Infinity`` are not JSON."""
    raise NotStrictJsonError(f"{name} is not a JSON number")


def unique_object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """An ``object_pairs_hook`` for ``json``: the object as a dict, refused when a key is
    given twice."""
    found = dict(pairs)
    if len(found) != len(pairs):
        raise NotStrictJsonError("a key is given twice in one object")
    return found


class _Pairs(list[tuple[str, object]]):
    """An object as decoded for locating: its members in order, repeated keys kept."""


class _Constant:
    """A bare ``NaN``, ``Infinity`` or ``-Infinity`` as decoded for locating."""

    def __init__(self, name: str) -> None:
        self.name = name


def _ignored(text: str) -> None:
    """Numbers are not needed for locating (and a huge one must not be converted)."""


def strictness_problems(text: str | bytes) -> list[tuple[str, str]]:
    """Every repeated key and bare constant of the JSON *text*, in document order (an
    object's repeated keys before what its members hold), as (JSON Pointer, message): the
    pointer of a repeated key is the member's, of a constant its value's. At most
    :data:`_SHOWN` are listed, then how many more there are. The text must be JSON that
    decodes (with those leniencies)."""
    document = json.loads(text, object_pairs_hook=_Pairs, parse_constant=_Constant,
                          parse_float=_ignored, parse_int=_ignored)
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, object]] = [("", document)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, _Constant):
            found.append((pointer, f"{value.name} is not a JSON number (JSON has no NaN or "
                                   "infinity: leave the field out, or give a number)"))
        elif isinstance(value, _Pairs):
            seen: set[str] = set()
            children = []
            for key, item in value:
                where = f"{pointer}/{pointer_part(key)}"
                if key in seen:
                    found.append((where, f"the key {echo(key)} is given twice in one object "
                                         "(JSON keys are unique: which value is meant cannot "
                                         "be told)"))
                seen.add(key)
                children.append((where, item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{pointer}/{index}", item)
                                   for index, item in enumerate(value)]))
    if len(found) > _SHOWN:
        more = len(found) - _SHOWN
        found = [*found[:_SHOWN], (found[_SHOWN][0], f"and {more} more such problem"
                                                     f"{'' if more == 1 else 's'}")]
    return found
