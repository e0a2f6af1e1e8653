"""Where a rule's clock starts and whether its conditions hold for a person: the anchor
dates of a course (første henvendelse, tilmelding, første fraværsdag, ...) with the words that
explain them, and the facts a rule's ``when``/``unless`` conditions need."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from lab_rules.contact.rule_span import Candidate
from lab_rules.core.messages import Message, Said
from lab_rules.facts.clocks import Course, CourseClock
from lab_rules.facts.points import Describable
from lab_rules.inputs.timeline import OfferStarted, Person
from lab_rules.law.model import Anchor, Conditions, Rule

__all__ = ["anchor_of", "holds"]

# The anchors, bound once: on Python 3.11 reading a member off its class goes through
# ``EnumType.__getattr__``'s lookup hook, and :func:`anchor_of` compares with several per rule.
_COURSE_START, _GROUP_ENTRY = Anchor.COURSE_START, Anchor.GROUP_ENTRY
_FIRST_CONTACT, _REGISTERED = Anchor.FIRST_CONTACT, Anchor.REGISTERED
_FIRST_ABSENCE_DAY, _SICKNESS_KNOWN = Anchor.FIRST_ABSENCE_DAY, Anchor.SICKNESS_KNOWN
_FOLLOWUP_REQUESTED = Anchor.FOLLOWUP_REQUESTED
_TRANSFER_TO_JOBCENTER = Anchor.TRANSFER_TO_JOBCENTER

def holds(conditions: Conditions, person: Person, course: Course, day: date,
          offer: OfferStarted | None = None) -> bool | None:
    """True, False, or None when a fact the condition needs is unknown (the employer's sector
    is a fact of *offer*)."""
    checks: list[bool | None] = []
    if conditions.age_min is not None or conditions.age_max is not None:
        age = person.age_on(day)
        checks.append(None if age is None else (
            (conditions.age_min is None or age >= conditions.age_min)
            and (conditions.age_max is None or age <= conditions.age_max)))
    for name in ("education", "custody", "good_job_prospects", "hard_to_place", "dimittend"):
        wanted = getattr(conditions, name)
        if wanted is not None:
            value = getattr(person, name)
            checks.append(None if value is None else value == wanted)
    sickness = course.sickness
    if conditions.categories:
        category = sickness.category if sickness else None
        checks.append(None if category is None else category in conditions.categories)
    if conditions.employed is not None:
        employed = sickness.employed if sickness else None
        checks.append(None if employed is None else employed == conditions.employed)
    if conditions.employer_sector is not None:
        sector = offer.employer_sector if offer is not None else None
        checks.append(None if sector is None else sector is conditions.employer_sector)
    if any(c is False for c in checks):
        return False
    if any(c is None for c in checks):
        return None
    return True


def anchor_of(rule: Rule, anchor: Anchor, course: Course, start: date, clock: CourseClock,
              candidates: Sequence[Candidate], as_of: date
              ) -> tuple[date | None, Message | Describable]:
    """The day *anchor* names for the course (None when the timeline lacks it) and how it
    was found, in words read in the output's language."""
    if anchor is _COURSE_START:
        return course.start, Message("contact.anchor.course_start", day=course.start)
    if anchor is _GROUP_ENTRY:
        return start, Message("contact.anchor.group_entry", day=start)
    if anchor is _FIRST_CONTACT:
        if course.first_contact is not None:
            return course.first_contact, Message("contact.anchor.first_contact",
                                                 day=course.first_contact)
        if course.follows_other_course:
            return course.start, Message("contact.anchor.follows_other_course",
                                         day=course.start)
        return course.start, Message("contact.anchor.no_first_contact", day=course.start)
    if anchor is _REGISTERED:
        if course.registered is None:
            return None, Message("contact.anchor.no_registered")
        return course.registered, Message("contact.anchor.registered", day=course.registered)
    if anchor is _FIRST_ABSENCE_DAY:
        if course.sickness is not None:
            day = course.sickness.first_absence_day
            return day, Message("contact.anchor.first_absence_day", day=day)
        return course.start, Message("contact.anchor.no_sickness_reported", day=course.start)
    if anchor is _SICKNESS_KNOWN:
        known = course.sickness_known
        return known, (Message("contact.anchor.sickness_known", day=known) if known
                       else Message("contact.anchor.no_sickness"))
    if anchor is _FOLLOWUP_REQUESTED:
        requested = course.followup_requested
        return requested, (Message("contact.anchor.followup_requested", day=requested)
                           if requested else Message("contact.anchor.no_request"))
    if anchor is _TRANSFER_TO_JOBCENTER:
        if course.transfer is not None:
            return course.transfer, Message("contact.anchor.transferred", day=course.transfer)
        point = clock.transfer_day(course.start, as_of)
        return point.day, _described(point.detail)
    first = next((c.day for c in candidates if c.day >= start and not c.by_summons), None)
    return first, (Message("contact.anchor.first_followup", day=first) if first
                   else Message("contact.anchor.no_followup"))


def _described(detail: str | Describable) -> Message | Describable:
    return Said(detail, detail) if isinstance(detail, str) else detail
