"""Coverage of the law bundle: for every target group and date, the rules in force or the
not-covered entry that says why there are none (issue 13: no silent gaps).

A day of a group is *covered* when some contact-course rule of the group is valid on it (the
longest length of an offer, ``offer_limit``, is no contact course and covers nothing). Every
other day is a gap: one of the dated entries of ``rules/coverage/`` (no duty in law, out of
scope, not encoded) or, where a law folder has neither, ``undeclared``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import attrs

from lab_rules.core.terminal import one_line
from lab_rules.core.vocabulary import TargetGroup
from lab_rules.law.coverage_gaps import CoverageGap, GapReason
from lab_rules.law.model import Confidence, RulePack, Shape

__all__ = ["CoverageIndex", "Uncovered", "render_coverage"]

_ONE_DAY = timedelta(days=1)


@attrs.frozen
class Uncovered:
    """Days ``start`` to ``end`` (inclusive) of ``group`` that no rule covers; ``gap`` is the
    entry that says why, None where the law has none (reason ``undeclared``)."""

    group: TargetGroup
    start: date
    end: date
    gap: CoverageGap | None

    @property
    def reason(self) -> GapReason:
        return self.gap.reason if self.gap is not None else GapReason.UNDECLARED


def _merged(spans: Iterable[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    merged: list[tuple[date, date]] = []
    for start, end in sorted(spans):
        if merged and (merged[-1][1] == date.max or start <= merged[-1][1] + _ONE_DAY):
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def _holes(covered: Sequence[tuple[date, date]], start: date, end: date
           ) -> list[tuple[date, date]]:
    holes = []
    cursor = start
    for a, b in covered:
        if b < cursor:
            continue
        if a > end:
            break
        if a > cursor:
            holes.append((cursor, a - _ONE_DAY))
        cursor = max(cursor, b + _ONE_DAY) if b < date.max else date.max
        if cursor > end or b == date.max:
            return holes
    holes.append((cursor, end))
    return holes


class CoverageIndex:
    """Per group, the merged validity of its rules and its not-covered entries."""

    __slots__ = ("_covered", "_gaps")

    def __init__(self, pack: RulePack, gaps: Iterable[CoverageGap]) -> None:
        spans: dict[TargetGroup, list[tuple[date, date]]] = {}
        for rule in pack.rules:
            if rule.shape is Shape.OFFER_LIMIT:
                continue
            for group in rule.groups:
                spans.setdefault(group, []).append((rule.valid_from, rule.valid_to or date.max))
        self._covered = {group: _merged(found) for group, found in spans.items()}
        by_group: dict[TargetGroup, list[CoverageGap]] = {}
        for gap in gaps:
            for group in gap.groups:
                by_group.setdefault(group, []).append(gap)
        self._gaps = {g: tuple(sorted(found, key=lambda x: (x.valid_from, x.id)))
                      for g, found in by_group.items()}

    def covered(self, group: TargetGroup) -> tuple[tuple[date, date], ...]:
        """The merged spans in which some rule of *group* is valid (open end: ``date.max``)."""
        return self._covered.get(group, ())

    def gaps(self, group: TargetGroup) -> tuple[CoverageGap, ...]:
        return self._gaps.get(group, ())

    def uncovered(self, group: TargetGroup, start: date, end: date) -> list[Uncovered]:
        """The stretches of ``start``-``end`` that no rule of *group* covers, each with the
        entry that explains it (split where entries change)."""
        found: list[Uncovered] = []
        for a, b in _holes(self.covered(group), start, end):
            cursor = a
            for gap in self.gaps(group):
                gap_end = gap.valid_to or date.max
                if gap_end < cursor or gap.valid_from > b:
                    continue
                if gap.valid_from > cursor:
                    found.append(Uncovered(group, cursor, gap.valid_from - _ONE_DAY, None))
                piece_end = min(b, gap_end)
                found.append(Uncovered(group, max(cursor, gap.valid_from), piece_end, gap))
                if piece_end >= b:
                    cursor = b + _ONE_DAY if b < date.max else b
                    break
                cursor = piece_end + _ONE_DAY
            else:
                if cursor <= b:
                    found.append(Uncovered(group, cursor, b, None))
        return found

    def overlaps(self) -> list[tuple[CoverageGap, TargetGroup, date, date]]:
        """Entries that claim a gap where a rule of the group is valid (a contradiction)."""
        clashes = []
        for group, gaps in self._gaps.items():
            for gap in gaps:
                for a, b in self.covered(group):
                    if gap.overlaps(a, None if b == date.max else b):
                        clashes.append((gap, group, max(a, gap.valid_from),
                                        min(b, gap.valid_to or date.max)))
        return clashes


QUARTER_MARKS = {
    "R": "rules in force on every day of the quarter",
    "r": "rules in force on every day, some of them unconfirmed in the law text",
    "+": "rules on some days, a not-covered entry (no duty / out of scope) on the others",
    "-": "no duty in law",
    "o": "out of scope",
    "n": "duties exist, not encoded",
    "?": "neither a rule nor a not-covered entry (undeclared)",
}


def _quarters(first: int, last: int) -> list[tuple[date, date]]:
    out = []
    for year in range(first, last + 1):
        for month in (1, 4, 7, 10):
            start = date(year, month, 1)
            after = date(year + (month == 10), 1 if month == 10 else month + 3, 1)
            out.append((start, after - _ONE_DAY))
    return out


def _mark(index: CoverageIndex, pack: RulePack, group: TargetGroup, start: date,
          end: date) -> str:
    pieces = index.uncovered(group, start, end)
    reasons = {p.reason for p in pieces}
    for reason, mark in ((GapReason.UNDECLARED, "?"), (GapReason.NOT_ENCODED, "n")):
        if reason in reasons:
            return mark
    if not pieces:
        shaky = any(r.confidence is Confidence.UNCONFIRMED and r.valid_from <= end
                    and (r.valid_to is None or r.valid_to >= start)
                    for r in pack.by_group.get(group, ()))
        return "r" if shaky else "R"
    if sum((p.end - p.start).days + 1 for p in pieces) < (end - start).days + 1:
        return "+"
    return "o" if reasons == {GapReason.OUT_OF_SCOPE} else "-"


def quarter_map(index: CoverageIndex, pack: RulePack, first: int, last: int
                ) -> dict[TargetGroup, str]:
    """One mark per quarter from *first* to *last* year for every group (see QUARTER_MARKS)."""
    quarters = _quarters(first, last)
    return {group: "".join(_mark(index, pack, group, a, b) for a, b in quarters)
            for group in TargetGroup}


def gap_list(index: CoverageIndex, first: int, last: int) -> list[Uncovered]:
    """Every uncovered stretch from 1 January *first* to 31 December *last*, by group."""
    return [piece for group in TargetGroup
            for piece in index.uncovered(group, date(first, 1, 1), date(last, 12, 31))]


def render_gaps(index: CoverageIndex, first: int, last: int) -> str:
    """The uncovered stretches with their reasons, one line each (Markdown list items)."""
    lines = []
    for piece in gap_list(index, first, last):
        gap = piece.gap
        why = (f"{gap.text_en} ({gap.legal_basis.cite()}; {gap.id})" if gap is not None
               else "no rule and no not-covered entry")
        lines.append(f"- {piece.group.value} {piece.start} to {piece.end}: "
                     f"{piece.reason.label('en')}. {why}")
    return "\n".join(lines) + "\n"


def render_coverage(pack: RulePack, index: CoverageIndex | None = None, *,
                    first: int = 2008, last: int = 2026) -> str:
    """The coverage of the law as text: rules per group and era, then one mark per group and
    quarter from *first* to *last*, then every gap with its reason. The pack's name (a rules
    folder's path) keeps to its line: a line break in it is written as an escape."""
    lines = [f"{len(pack.modules)} modules, {len(pack.rules)} rules in {one_line(pack.name)}",
             ""]
    if index is None:
        index = CoverageIndex(pack, ())
    width = max(len(g.value) for g in TargetGroup) + 4
    years = "".join(str(year)[2:].ljust(4) for year in range(first, last + 1))
    lines.append("target group".ljust(width) + years)
    for group, marks in quarter_map(index, pack, first, last).items():
        lines.append(group.value.ljust(width) + marks)
    lines += ["", "one mark per quarter: " + "; ".join(
        f"{mark} {meaning}" for mark, meaning in QUARTER_MARKS.items()), "",
        f"Not covered, {first}-{last}:", render_gaps(index, first, last).rstrip("\n")]
    return "\n".join(lines) + "\n"
