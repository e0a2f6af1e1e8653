"""Masking of Danish CPR numbers in every text that leaves the library, and keyed pseudonyms.

A CPR number (personnummer) is ten digits, DDMMYY-SSSS. People and systems write it in many
ways: with or without the hyphen, with a space, a no-break or thin space, an en or em dash, a
slash, with dots or dashes inside the date (``01.01.90-1234``), in full-width digits. Messages,
logs, tables and exceptions must never show one unmasked, so everything that formats user data
passes through :func:`mask_cpr`. The birth-date part stays visible (it helps locate a record)
and the four serial digits are replaced: ``010190-****``. Only a day 0-3x and a month 0-1x
count as a CPR date, and no digit may touch the number on either side, so ISO dates, amounts
and longer ids are left alone.

:func:`pseudonym` replaces a person id by a keyed hash (HMAC-SHA256) for sharing caseload
results with analysts: the same id and key always give the same pseudonym, and without the
key it cannot be turned back or recomputed from a guessed CPR number.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from hashlib import sha256

_DIGIT = r"\d"
_DAY_TENS = "[0-3\uff10-\uff13]"
_MONTH_TENS = "[01\uff10\uff11]"
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_DATE_SEP = f"[./ {_DASHES}]"
_SERIAL_SEP = (f"(?:[\\s{_INVISIBLE}]{{0,2}}[/{_DASHES}][\\s{_INVISIBLE}]{{0,2}}"
               f"|[\\s{_INVISIBLE}]{{1,2}})?")
_CPR = re.compile(
    f"(?<!{_DIGIT})(?P<day>{_DAY_TENS}{_DIGIT})(?P<sep>{_DATE_SEP}?)"
    f"(?P<month>{_MONTH_TENS}{_DIGIT})(?P=sep)(?P<year>{_DIGIT}{_DIGIT})"
    f"{_SERIAL_SEP}(?P<serial>{_DIGIT}{{4}})(?!{_DIGIT})")


def _ascii(digits: str) -> str:
    return "".join(str(unicodedata.digit(c)) for c in digits)


def _masked(match: re.Match[str]) -> str:
    return f"{_ascii(match['day'])}{_ascii(match['month'])}{_ascii(match['year'])}-****"


def mask_cpr(text: str) -> str:
    """Replace every CPR-like number in *text*, however spelled, by ``DDMMYY-****``."""
    return _CPR.sub(_masked, text)


def looks_like_cpr(text: str) -> bool:
    """True if *text* contains something shaped like a CPR number."""
    return _CPR.search(text) is not None


MIN_KEY_BYTES = 16
"""A pseudonym key shorter than this is refused: it could be guessed."""


def pseudonym(person_id: str, key: bytes) -> str:
    """The keyed hash (HMAC-SHA256, hex) that stands for *person_id* under *key*."""
    return hmac.new(key, person_id.encode("utf-8"), sha256).hexdigest()
