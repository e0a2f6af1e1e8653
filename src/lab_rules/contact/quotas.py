"""The 2026 reform's caseload quotas, per person (``rules/parameters/kvoter-2026.toml``).

For each quota, whether the person belongs to it (their course in one of its groups started
on or after the quota's first day, and its window has ended by ``as_of``) and whether they
reached the count of jobsamtaler in the window. The caseload share is added up by
:class:`lab_rules.loops.caseload_tally.ComplianceTally`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from lab_rules.calendar import Rounding, add
from lab_rules.contact.results import Period
from lab_rules.core.vocabulary import Benefit, ConversationKind, TargetGroup
from lab_rules.facts.clocks import CourseClock
from lab_rules.facts.facts import Facts
from lab_rules.inputs.timeline import ConversationHeld
from lab_rules.law.model import Anchor, Clock
from lab_rules.law.quotas import Quota


def quota_rows(facts: Facts, periods: Sequence[Period], quotas: Sequence[Quota]
               ) -> tuple[tuple[str, str, bool], ...]:
    """(quota id, cohort month, reached) for each quota the person belongs to at *as_of*.

    The cohort is the month the quota's window starts: the course start, or the transfer to
    the jobcentre (a ``transferred_to_jobcenter`` event, else the 1st of the month after the
    transfer hours of the clock entry in force, bek. 1216/2023 § 7 stk. 2). A person whose
    transfer has not happened by *as_of* is not yet in the kommune's quota."""
    rows = []
    as_of = facts.as_of
    held: list[ConversationHeld] | None = None
    transfers: list[tuple[TargetGroup, date]] | None = None
    for quota in quotas:
        if quota.valid_from > as_of:
            continue  # a window starts on or after valid_from and must have ended by as_of
        if quota.anchor is Anchor.TRANSFER_TO_JOBCENTER:
            if transfers is None:
                transfers = _transfers(facts)
            starts = transfers
        else:
            starts = [(p.group, p.course_start) for p in periods]
        for group, start in starts:
            if group not in quota.groups or start < quota.valid_from:
                continue
            end = add(start, quota.window, Rounding.UP) - timedelta(days=1)
            if end > as_of:
                continue
            if held is None:
                held = [c for c in facts.timeline.of_type(ConversationHeld)
                        if c.kind is ConversationKind.JOBSAMTALE]
            count = sum(1 for c in held if start <= c.date <= end
                        and (not quota.holders or c.held_by in quota.holders))
            rows.append((quota.id, start.strftime("%Y-%m"), count >= quota.conversations))
    return tuple(sorted(set(rows)))


def _transfers(facts: Facts) -> list[tuple[TargetGroup, date]]:
    as_of = facts.as_of
    found = []
    for course in facts.courses:
        if course.benefit is not Benefit.DAGPENGE:
            continue
        day = course.transfer
        if day is None:
            day = CourseClock(course, Clock.DAGPENGE_HOURS).transfer_day(course.start, as_of).day
        if day is None or day > as_of:
            continue
        group = next((g.group for g in course.groups if g.start <= day
                      and (g.end is None or day <= g.end)), None)
        if group is not None:
            found.append((group, day))
    return found
