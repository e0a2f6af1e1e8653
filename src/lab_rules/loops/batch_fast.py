"""The columnar fast path in the batch (issue 14): the rules of
:mod:`lab_rules.loops.columnar_rules` evaluated once for the whole caseload, the engine for the
rest, and the same tables as the engine alone.

When the fast path is used (option ``auto``, the default: polars can be imported, the log is
JSON Lines or ``.parquet``, and some rule of the law qualifies), this process evaluates the fast
rules over the whole log, chunk by chunk (:func:`lab_rules.loops.columnar.iter_columnar`),
before any person is read. Eligibility is per person and rule id: each person is then
evaluated by the engine under the law without exactly the rule ids the fast path handled for
them (:class:`~lab_rules.loops.columnar_rules.EngineLaws`, whose coverage stays the whole
law's), and the two sets of obligation rows are merged in the engine's order
(:func:`~lab_rules.loops.columnar_merge.merged_cells`). ``persons.csv`` and the compliance tally
are counted from the merged rows. Sanctions, refunds and quotas never read a fast rule's
obligations (no refund-loss entry names one), so they are the engine's. A person the reader
holds back (unreadable rows, rows in two places of the log) or whose timeline is invalid is
quarantined as always and gets no fast rows; the fast rows carry the same public id (masked or
pseudonymised) as the engine's. If the columnar pass cannot read the log, every person goes
through the engine and ``run.json`` says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import closing
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import attrs

from lab_rules.core.errors import LabRulesError
from lab_rules.core.privacy import mask_cpr
from lab_rules.inputs.eventlog_lines import format_of
from lab_rules.law.bundle import Law
from lab_rules.loops.columnar_rules import fast_rules

__all__ = ["FAST_PATH_OPTIONS", "FastChoice", "FastPath", "FastRow", "choose_fast_path"]

FAST_PATH_OPTIONS = ("auto", "off")

FastRow = tuple[Any, ...]
"""One obligation row of the fast path without its person id: rule id, sequence, group, opens,
due, fulfilled on, status, days late, days overdue, legal basis (typed values, as polars gives
them: text, ``int``, ``date`` or ``None``)."""

_STATUS, _DAYS_LATE, _DAYS_OVERDUE = 6, 7, 8
"""Positions in a :data:`FastRow`."""

_NONE: tuple[frozenset[str], tuple[FastRow, ...]] = (frozenset(), ())


@attrs.frozen
class FastPath:
    """The fast path's result per person id as read: the rule ids it handled for the person
    (one of a handful of sets, kept once each) and its rows of them (none where a rule did not
    apply). A person it did not handle goes through the engine for every rule."""

    sets: tuple[frozenset[str], ...]
    persons: dict[str, tuple[int, tuple[FastRow, ...]]]
    rule_ids: int = 0
    pairs: int = 0
    rows: int = 0

    def of(self, person_id: str) -> tuple[frozenset[str], tuple[FastRow, ...]]:
        found = self.persons.get(person_id)
        if found is None:
            return _NONE
        return self.sets[found[0]], found[1]


def fast_counts(rows: tuple[FastRow, ...]) -> tuple[list[str], int, int]:
    """The statuses, days late and days overdue of fast rows, for the person's summary."""
    return ([r[_STATUS] for r in rows], sum(r[_DAYS_LATE] or 0 for r in rows),
            sum(r[_DAYS_OVERDUE] or 0 for r in rows))


@attrs.frozen
class FastChoice:
    """Whether a run uses the fast path (its result) or not (and why), for ``run.json``."""

    option: str
    path: FastPath | None
    why: str = ""

    def as_dict(self) -> dict[str, object]:
        if self.path is None:
            return {"option": self.option, "used": False, "why": self.why}
        return {"option": self.option, "used": True, "engine": "polars",
                "rule_ids": self.path.rule_ids, "pairs": self.path.pairs,
                "rows": self.path.rows}


def _reason_not(option: str, source: Path, law: Law) -> str | None:
    if option == "off":
        return "turned off"
    if find_spec("polars") is None:
        return "polars is not installed (pip install 'lab-rules[bench]')"
    kind = format_of(source)
    if kind == "csv":
        return "a CSV log is read by the engine only"
    if kind == "parquet" and not str(source).endswith(".parquet"):
        return "a Parquet log is read by the fast path only when its name ends in .parquet"
    if not fast_rules(law):
        return "no rule of the law qualifies"
    return None


def choose_fast_path(option: str, source: Path, law: Law, as_of: date,
                     policies: Mapping[str, str]) -> FastChoice:
    """Run the fast path over *source* if *option* and the circumstances allow (see the
    module's docstring); otherwise say why not."""
    if option not in FAST_PATH_OPTIONS:
        raise LabRulesError(f"fast path {option!r}: expected one of "
                            f"{', '.join(FAST_PATH_OPTIONS)}")
    why = _reason_not(option, source, law)
    if why is not None:
        return FastChoice(option, None, why)
    import polars as pl

    try:
        path = _fast_path(source, law, as_of, policies)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as err:
        # polars parses a log's blocks in parallel: which bad line it names varies run to
        # run, so run.json gives the kind of error alone (the engine locates every line)
        return FastChoice(option, None, f"the columnar pass could not read the log "
                                        f"({type(err).__name__})")
    except OSError as err:
        said = mask_cpr(str(err).strip().splitlines()[0][:200] if str(err).strip() else "")
        return FastChoice(option, None, f"the columnar pass could not read the log "
                                        f"({type(err).__name__}: {said})")
    return FastChoice(option, path)


def _fast_path(source: Path, law: Law, as_of: date, policies: Mapping[str, str]) -> FastPath:
    """The fast path's result for the log, read chunk by chunk (the memory of the columnar
    pass is bounded by a chunk; what is kept is one entry per person)."""
    import polars as pl

    from lab_rules.loops.columnar import iter_columnar

    keys: dict[str, int] = {}
    texts: dict[str, str] = {}
    persons: dict[str, tuple[int, tuple[FastRow, ...]]] = {}
    pairs = rows = 0
    with closing(iter_columnar(source, law, as_of, policies)) as chunks:
        for chunk_rows, chunk_pairs in chunks:
            handled = chunk_pairs.group_by("person_id").agg(
                pl.col("rule_id").unique().sort().str.join("\n").alias("rule_ids"))
            for person, joined in zip(handled.get_column("person_id").to_list(),
                                      handled.get_column("rule_ids").to_list(), strict=True):
                persons[person] = (keys.setdefault(joined, len(keys)), ())
            found: dict[str, list[FastRow]] = {}
            for person, *values in chunk_rows.iter_rows():
                values[0], values[2], values[6], values[9] = (
                    texts.setdefault(v, v) for v in (values[0], values[2], values[6], values[9]))
                found.setdefault(person, []).append(tuple(values))
            for person, own in found.items():
                persons[person] = (persons[person][0], tuple(own))
            pairs += chunk_pairs.height
            rows += chunk_rows.height
    sets = tuple(frozenset(joined.split("\n")) for joined in keys)
    return FastPath(sets, persons, len({r.id for r in fast_rules(law, policies)}), pairs, rows)
