"""Masking of Danish CPR numbers in every text that leaves the library.

A CPR number (personnummer) is ten digits, DDMMYY-SSSS, written with or without the
hyphen. Messages, logs and exceptions must never show one unmasked, so everything that
formats user data for humans passes through :func:`mask_cpr`. The birth-date part stays
visible (it helps locate a record) and the four serial digits are replaced: ``010190-****``.
"""

from __future__ import annotations

import re

_CPR = re.compile(r"(?<![0-9])([0-3][0-9][01][0-9][0-9]{2})[- ]?([0-9]{4})(?![0-9])")


def mask_cpr(text: str) -> str:
    """Replace every CPR-like number in *text* by its masked form ``DDMMYY-****``."""
    return _CPR.sub(r"\1-****", text)


def looks_like_cpr(text: str) -> bool:
    """True if *text* contains something shaped like a CPR number."""
    return _CPR.search(text) is not None
