"""Masking of Danish CPR numbers in every text that leaves the library, and keyed pseudonyms.

A CPR number (personnummer) is ten digits, DDMMYY-SSSS. People and systems write it in many
ways: with or without the hyphen, with spaces, a no-break, thin or zero-width space, an en or em
dash, a slash, an underscore, a dot or a colon, with dots or dashes inside the date
(``01.01.90-1234``), in the digits of any script (full-width, Arabic-Indic, mathematical). A
separator may also be written as an escape (``\\t``, ``\\n``, ``\\u00a0``, ``\\x00``) when the
text has been through ``json.dumps`` or ``repr`` before it is masked. Messages,
logs, tables and exceptions must never show one unmasked, so everything that formats user data
passes through :func:`mask_cpr`. The birth-date part stays visible (it helps locate a record)
and the four serial digits are replaced: ``010190-****``. Only a day 0-3x and a month 0-1x
count as a CPR date, and no digit may touch the number on either side (the last hex digit of
an escape such as ``\\udcf8`` is not a digit of the number), so ISO dates, amounts and longer
ids are left alone; so are ten digits inside a hex digest (a pseudonym, a content
hash), which masking would break.

:func:`pseudonym` replaces a person id by a keyed hash (HMAC-SHA256) for sharing caseload
results with analysts: the same id and key always give the same pseudonym, and without the
key it cannot be turned back or recomputed from a guessed CPR number.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections.abc import Iterator
from hashlib import sha256

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe63\uff0d"
_INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
              "\u2060-\u2064\u2066-\u2069\u2800\u3164\ue000-\uf8ff\ufe00-\ufe0f\uffa0\ufeff"
              "\U000f0000-\U0010ffff"
              "\x00-\x08\x0e-\x1f\x7f-\x9f")
_ESCAPE = r"\\{1,2}(?:[ntrfbv]|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|U[0-9a-fA-F]{8})"
_MARKUP = r"&(?:amp;)?(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});|%[0-9a-fA-F]{2}"
_ANSI = r"\x1b\[[0-9;?]*[ -/]*[@-~]"
_GAP = f"(?:[\\s{_INVISIBLE}]|{_ESCAPE}|{_MARKUP}|{_ANSI})"
_DATE_MARK = f"./_{_DASHES}\u00b7\u2024\u2027\u2044\u2215\u30fb\uff0e\uff0f\uff3f"
_SERIAL_MARK = f"{_DATE_MARK}:;|+#~'\\\\\uff1a"
_DATE_SEP = f"{_GAP}{{0,8}}(?:[{_DATE_MARK}]{_GAP}{{0,8}}){{0,2}}"
_SERIAL_SEP = f"{_GAP}{{0,8}}(?:[{_SERIAL_MARK}]{_GAP}{{0,8}}){{0,2}}"
_ESCAPED_BEFORE = (r"(?<=\\u[0-9a-fA-F]{4})|(?<=\\x[0-9a-fA-F]{2})|(?<=\\U[0-9a-fA-F]{8})"
                   r"|(?<=%[0-9a-fA-F]{2})")
"""Right after an escape (``\\u00a0``, ``\\udcf8``, ``\\xf8``, ``%20``): its last hex digit is
not a digit of the number, so a CPR number written after an escaped character is found too."""
_CPR = re.compile(
    f"(?:(?<!\\d)|{_ESCAPED_BEFORE})(?P<day>\\d\\d)(?P<sep>{_DATE_SEP})(?P<month>\\d\\d)(?P=sep)"
    f"(?:(?P<century>1[89]|20)(?=\\d\\d{_GAP}{{0,2}}[/{_DASHES}]{_GAP}{{0,2}}\\d))?"
    f"(?P<year>\\d\\d){_SERIAL_SEP}"
    f"(?P<serial>\\d{{4}}|(?<!\\d)\\d\\d[ \u00a0{_DASHES}]\\d\\d)(?!\\d)")


def _ascii(digits: str) -> str:
    return "".join(str(unicodedata.decimal(c)) for c in digits)


_HEX = frozenset("0123456789abcdefABCDEF")
_DIGEST_LENGTHS = (32, 40, 64)


def _inside_digest(match: re.Match[str]) -> bool:
    """True if the ten digits are part of a hex digest (MD5, SHA-1, SHA-256: a pseudonym, a
    law's content hash), which one in 170 SHA-256 digests would otherwise lose to masking."""
    text, start, end = match.string, match.start(), match.end()
    if not (match[0].isascii() and match[0].isdigit()):
        return False
    while start and text[start - 1] in _HEX:
        start -= 1
    while end < len(text) and text[end] in _HEX:
        end += 1
    run = text[start:end]
    return len(run) in _DIGEST_LENGTHS and not run.isdigit()


_YEAR_AFTER = re.compile(f"{_GAP}{{0,2}}[{_DATE_MARK}]{_GAP}{{0,2}}(?:\\d\\d){{1,2}}(?!\\d)")
"""A date mark and a two- or four-digit year: what follows the second date of a range."""


def _is_range(match: re.Match[str]) -> bool:
    """True for a date range such as ``01-06-2024 - 15-06-2024``, which would otherwise read as
    a date and a serial written in pairs (``15-06``): the pairs read as a day and a month and a
    year follows them. (Every Danish worklist title was masked before.)"""
    serial = match["serial"]
    return (len(serial) == 5 and unicodedata.decimal(serial[0]) <= 3
            and unicodedata.decimal(serial[3]) <= 1
            and _YEAR_AFTER.match(match.string, match.end()) is not None)


def _is_cpr(match: re.Match[str]) -> bool:
    """Only a day 0-3x and a month 0-1x make a CPR date (in any script's digits); ten digits
    inside a digest and a range of two dates are not a CPR number."""
    return (unicodedata.decimal(match["day"][0]) <= 3
            and unicodedata.decimal(match["month"][0]) <= 1 and not _inside_digest(match)
            and not _is_range(match))


def _cpr_numbers(text: str) -> Iterator[re.Match[str]]:
    """The CPR numbers of *text*, left to right. A candidate that is not one (a phone number's
    digits, ``77 88 0705``) is passed over by one character, not by its length, so the CPR
    number that starts inside it (``070589-1234``) is still found."""
    at = 0
    while (match := _CPR.search(text, at)) is not None:
        if _is_cpr(match):
            yield match
            at = match.end()
        else:
            at = match.start() + 1


def mask_cpr(text: str) -> str:
    """Replace every CPR-like number in *text*, however spelled, by ``DDMMYY-****``."""
    parts = []
    at = 0
    for match in _cpr_numbers(text):
        parts.append(text[at:match.start()])
        parts.append(f"{_ascii(match['day'])}{_ascii(match['month'])}{_ascii(match['year'])}-****")
        at = match.end()
    if not parts:
        return text
    parts.append(text[at:])
    return "".join(parts)


def looks_like_cpr(text: str) -> bool:
    """True if *text* contains something shaped like a CPR number."""
    return next(_cpr_numbers(text), None) is not None


MIN_KEY_BYTES = 16
"""A pseudonym key shorter than this is refused: it could be guessed."""


def pseudonym(person_id: str, key: bytes) -> str:
    """The keyed hash (HMAC-SHA256, hex) that stands for *person_id* under *key*."""
    return hmac.new(key, person_id.encode("utf-8"), sha256).hexdigest()
