"""What each sanction shape and amount reads from its register entry: the parameters, each of
one kind (a duration or a whole number), and the text templates by name.

The mechanisms (:mod:`lab_rules.sanctions`) ask an entry for ``window`` as a duration or for
the ``reminder`` text when a failure meets it; a register that lacks one, or gives a number
where a duration is read, would fail only then, in the middle of an evaluation. So the loader
checks every entry against these lists, and an entry that passes has what its shape and amount
will ask for.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from lab_rules.calendar import Duration

__all__ = ["AMOUNT_PARAMETERS", "AMOUNT_TEXTS", "DAY_DURATIONS", "DURATIONS", "PER_MONTH_TEXTS",
           "SHAPE_TEXTS", "WHOLE_NUMBERS", "missing_texts", "parameter_kind"]

DURATIONS = frozenset({"window", "lapse_after", "effective_after", "talk_within", "within",
                       "reminder", "default_length"})
"""Parameters read as durations (ISO strings, ``"P12M"``)."""
DAY_DURATIONS = frozenset({"effective_after", "reminder"})
"""Durations a shape counts in days only (``P7D``, ``P2W``): months in them would count as none."""
WHOLE_NUMBERS = frozenset({"hours_full_time", "hours_part_time", "lapse_hours_full_time",
                           "lapse_hours_part_time", "misses_without_reminder", "multiple",
                           "per_month"})
"""Parameters read as whole numbers (``per_month``: present or not, one sanction a month)."""
AMOUNT_PARAMETERS: Mapping[str, frozenset[str]] = {"rate_multiple": frozenset({"multiple"})}
"""The parameters an amount reads besides its shape's."""

SHAPE_TEXTS: Mapping[str, frozenset[str]] = {
    "afmelding_after_reminder": frozenset({"no_reminder", "reminder", "checked", "afmeldt"}),
    "karantaene_hours": frozenset({"regain_full_time", "regain_part_time", "repeat",
                                   "karantaene"}),
    "joblog_karantaene": frozenset({"talk", "documented", "karantaene"}),
    "sdp_resumption": frozenset({"not_resumed", "too_late", "again"}),
    "strict_month_share": frozenset({"no_record", "stop", "spouse", "share", "unknown"}),
}
"""The texts each shape writes (by name, in ``texts``)."""
AMOUNT_TEXTS: Mapping[str, frozenset[str]] = {
    "month_share": frozenset({"share"}),
    "fixed_reduction": frozenset({"no_category", "fixed"}),
}
"""The texts each amount writes."""
PER_MONTH_TEXTS = frozenset({"already"})
"""The text an entry with ``per_month`` writes for a second failure in a month."""


def parameter_kind(name: str) -> type | None:
    """The kind a parameter of this name is read as (``Duration`` or ``int``), or None for a
    name no shape reads."""
    if name in DURATIONS:
        return Duration
    return int if name in WHOLE_NUMBERS else None


def missing_texts(shape: str, amount: str, parameters: Collection[str],
                  texts: Collection[str]) -> list[str]:
    """The texts an entry of *shape* and *amount* (with *parameters*) will write but does not
    have, sorted."""
    wanted = SHAPE_TEXTS.get(shape, frozenset()) | AMOUNT_TEXTS.get(amount, frozenset())
    if "per_month" in parameters:
        wanted |= PER_MONTH_TEXTS
    return sorted(wanted - set(texts))
