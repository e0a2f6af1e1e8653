"""Every shape a register entry may name, by name (the loader checks the names against
:data:`lab_rules.law.sanctions.SHAPES`). ``strict_month_share`` runs per decision, not per
failure: :mod:`lab_rules.sanctions.strict`."""

from __future__ import annotations

from collections.abc import Callable

from lab_rules.facts.failures import Failure
from lab_rules.law.sanctions import SanctionRule
from lab_rules.sanctions import shapes_dagpenge as dp
from lab_rules.sanctions import shapes_days as days
from lab_rules.sanctions.context import Context
from lab_rules.sanctions.result import Applied

Shape = Callable[[SanctionRule, Failure, Context], Applied]

SHAPE_FUNCTIONS: dict[str, Shape] = {
    "gap": days.gap,
    "punctual": days.punctual,
    "meeting_day": days.meeting_day,
    "days_until_contact": days.days_until_contact,
    "days_of_absence": days.days_of_absence,
    "days_until_booked": days.days_until_booked,
    "days_from_deadline_until_booked": days.days_from_deadline_until_booked,
    "days_until_resolved": days.days_until_resolved,
    "payment_stop": days.payment_stop,
    "ladder": days.ladder,
    "afmelding_after_reminder": dp.afmelding_after_reminder,
    "karantaene_hours": dp.karantaene_hours,
    "joblog_karantaene": dp.joblog_karantaene,
    "sdp_resumption": dp.sdp_resumption,
}
