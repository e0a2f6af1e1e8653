"""Fulfilment: which event meets which obligation, and the obligation's status at ``as_of``.

An obligation is met by the earliest qualifying unused candidate at or after the day it
opens; one event meets at most one obligation of a rule, taken in order of opening. A timely
summons followed by a no-show only counts on or before the due date. The status then follows
from the fulfilment day, a waiver, the end of the span and ``as_of`` (``semantics.md`` §3).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from operator import attrgetter

from lab_rules.contact.results import Status
from lab_rules.contact.rule_span import Draft, RuleSpan

__all__ = ["fulfilled_before", "match", "status_of", "take"]

_DAY = attrgetter("day")
_OPENING = attrgetter("opens", "due", "sequence")

# Enum members read per person, bound once: on Python 3.11 reading a member off its class
# goes through ``EnumType.__getattr__``'s lookup hook, as dear as a short function call.
_MET, _MET_LATE, _WAIVED = Status.MET, Status.MET_LATE, Status.WAIVED
_LAPSED, _OVERDUE, _OPEN = Status.LAPSED, Status.OVERDUE, Status.OPEN


def take(rs: RuleSpan, draft: Draft, used: set[int], last_day: date,
         after_opens: bool = False) -> None:
    """Give *draft* the earliest unused candidate at (or, with *after_opens*, after) its
    opening day; a summons-and-no-show only counts on or before the due date."""
    draft.fulfilled = None
    candidates = rs.candidates
    opens = draft.opens
    # Candidates are in date order: those before the opening day are skipped by bisection.
    for index in range(bisect_left(candidates, opens, key=_DAY), len(candidates)):
        candidate = candidates[index]
        day = candidate.day
        if day > last_day:
            break
        if index in used or (after_opens and day == opens) or (
                candidate.summons is not None and day > draft.due):
            continue
        draft.fulfilled = candidate
        used.add(index)
        break


def match(rs: RuleSpan, drafts: Sequence[Draft], until: date | None = None) -> None:
    """Fulfil drafts in order of opening: one event meets at most one obligation of a rule."""
    used: set[int] = set()
    last_day = rs.horizon if until is None else until
    if len(drafts) > 1:
        drafts = sorted(drafts, key=_OPENING)
    for draft in drafts:
        take(rs, draft, used, last_day)


def fulfilled_before(rs: RuleSpan, draft: Draft, used: set[int], day: date) -> bool:
    return any(i not in used and draft.opens <= c.day < day
               for i, c in enumerate(rs.candidates))


def status_of(rs: RuleSpan, draft: Draft) -> tuple[Status, int | None, int | None]:
    fulfilled = draft.fulfilled.day if draft.fulfilled else None
    if fulfilled is not None and fulfilled <= draft.due:
        return _MET, None, None
    if draft.waived_by is not None:
        return _WAIVED, None, None
    if fulfilled is not None:
        return _MET_LATE, (fulfilled - draft.due).days, None
    last_in_group = rs.horizon
    if rs.end is not None and rs.end <= draft.due:
        return _LAPSED, None, None
    if rs.as_of > draft.due:
        return _OVERDUE, None, (last_in_group - draft.due).days
    return _OPEN, None, None
