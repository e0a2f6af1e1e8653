"""The 225-hour rule's law as data: the monthly reduction levels of LAS § 13 g
(``rules/parameters/225-timersreglen.toml``)."""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Confidence

LEVEL_KEYS = {"id", "valid_from", "valid_to", "full", "other", "confidence", "legal_basis",
              "source", "note"}

@attrs.frozen
class ReductionLevel:
    """The monthly reduction for an unmarried person in one period (LAS § 13 g stk. 1)."""

    id: str
    valid_from: date
    valid_to: date | None
    full: Decimal
    other: Decimal
    confidence: Confidence
    legal_basis: str


def load_reduction_levels(path: str | Path) -> tuple[ReductionLevel, ...]:
    """Read the reduction levels; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"level"}, "")
    levels = []
    for index, raw in enumerate(document.get("level", [])):
        where = f"level[{index}]"
        reader.check_keys(raw, LEVEL_KEYS, where)
        ident = reader.text(raw, "id", where)
        start = reader.day(raw, "valid_from", where)
        end = reader.day(raw, "valid_to", where)
        basis = reader.text(raw, "legal_basis", where)
        reader.text(raw, "source", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where)
        amounts = []
        for key in ("full", "other"):
            value = raw.get(key)
            if not isinstance(value, str) or not value.isdigit():
                reader.problem(f"{where}.{key}", f"must be whole kroner as a string, got {value!r}")
                value = "0"
            amounts.append(Decimal(value))
        if ident and start and basis and confidence is not None:
            levels.append(ReductionLevel(ident, start, end, amounts[0], amounts[1], confidence,
                                         basis))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(levels)


@functools.lru_cache(maxsize=1)
def bundled_reduction_levels() -> tuple[ReductionLevel, ...]:
    return load_reduction_levels(bundled_rules_dir() / "parameters" / "225-timersreglen.toml")


