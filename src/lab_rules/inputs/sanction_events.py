"""The events of breached duties and of the sanctions that follow, as attrs classes.

A sanction turns on what the person failed to do (a no-show, a refusal, a missing
registration, booking, job-suggestion check or joblog month, or non-cooperation on
sygedagpenge), on whether written guidance came first, and on what ended the breach (contact
restored, a later booking or check). A skærpet sanktion runs by its own events. Like every
event they are frozen, carry their ``timeline/v1`` ``TYPE`` and are ordered by
:mod:`lab_rules.inputs.timeline`; the course's other events are in
:mod:`lab_rules.inputs.events`.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from lab_rules.core.vocabulary import ConversationKind, Excuse, RefusalKind, RegistrationKind
from lab_rules.inputs.events import DatedEvent, Event

__all__ = [
    "BookingMissed",
    "ConditionsMet",
    "ContactRestored",
    "JobSuggestionsMissed",
    "JoblogMonthEmpty",
    "NoShow",
    "Refusal",
    "RegistrationMissing",
    "SdpCessation",
    "StrictSanction",
    "WrittenGuidance",
]


@attrs.frozen
class NoShow(DatedEvent):
    """The person did not attend a meeting on ``date`` ("udeblivelse").

    ``excuse`` is the reasonable excuse ("rimelig grund") if one was accepted.
    """

    TYPE: ClassVar[str] = "no_show"
    kind: ConversationKind
    excuse: Excuse | None = None
    contact_attempted: bool | None = None
    """For aktivitetsparate: the kommune tried all reasonable ways of personal contact before
    a sanction (LAS § 35 stk. 7)."""
    promotes_availability: bool | None = None
    """For aktivitetsparate from July 2025: the kommune assessed that a sanction will promote
    the person's availability (LAS-2025 § 13 stk. 8; without it, no sanction)."""
    cancelled: bool = False
    """The person cancelled ("meldte afbud") before the meeting without a lawful absence: for
    dagpenge only the meeting day is lost (RÅD-DP-2023 § 18 stk. 4)."""
    ref: str | None = None


@attrs.frozen
class Refusal(DatedEvent):
    """The person refused or left work, an offer or a duty on ``date`` (LAS § 39 stk. 1): a
    nedsættelse of 3 × the sanktionssats, at most one per calendar month (§ 40)."""

    TYPE: ClassVar[str] = "refusal"
    kind: RefusalKind
    excuse: Excuse | None = None
    contact_attempted: bool | None = None
    """For aktivitetsparate: personal contact was attempted (LAS § 35 stk. 7)."""
    promotes_availability: bool | None = None
    """For aktivitetsparate from July 2025: a sanction promotes availability (§ 13 stk. 8)."""
    ended_on: dt.date | None = None
    """Before 2020, refusing a tilbud stopped the hjælp as long as it lasted (LAS § 41): the day
    the person accepted the tilbud again."""
    ref: str | None = None


@attrs.frozen
class RegistrationMissing(DatedEvent):
    """From ``date`` the person was not registered as jobsøgende, or had no CV on Jobnet,
    through their own fault, until ``resolved_on`` (LAS § 38; § 8 a, § 13 a stk. 2)."""

    TYPE: ClassVar[str] = "registration_missing"
    kind: RegistrationKind
    resolved_on: dt.date | None = None
    ref: str | None = None


@attrs.frozen
class SdpCessation(DatedEvent):
    """The person was notified on ``date`` that sygedagpenge lapse for not cooperating (SDPL
    § 21 stk. 1); ``resumed_on`` is the day cooperation resumed, if it did."""

    TYPE: ClassVar[str] = "sdp_cessation"
    resumed_on: dt.date | None = None
    excuse: Excuse | None = None
    ref: str | None = None


@attrs.frozen
class BookingMissed(DatedEvent):
    """A jobsamtale was not self-booked by the deadline ``date``; ``booked_on`` when it was
    booked or contact restored (LAS § 37 a)."""

    TYPE: ClassVar[str] = "booking_missed"
    booked_on: dt.date | None = None
    excuse: Excuse | None = None
    contact_attempted: bool | None = None
    """For aktivitetsparate: personal contact was attempted (LAS § 35 stk. 7)."""
    promotes_availability: bool | None = None
    """For aktivitetsparate from July 2025: a sanction promotes availability (§ 13 stk. 8)."""
    ref: str | None = None


@attrs.frozen
class JobSuggestionsMissed(DatedEvent):
    """A dagpenge recipient did not check the jobforslag on Jobnet by the deadline ``date``
    (mid-2015 - 2019, LAB-2015 § 11; RÅD-DP-2017 § 6); ``checked_on`` when they did, or
    re-registered."""

    TYPE: ClassVar[str] = "job_suggestions_missed"
    checked_on: dt.date | None = None
    ref: str | None = None


@attrs.frozen
class JoblogMonthEmpty(DatedEvent):
    """No job search was registered in the joblog in the calendar month of ``date`` (1.4.2022 -
    31.12.2023: LAS § 13 a stk. 4; RÅD-DP-2021 § 42 a); ``documented_on`` is the day job search
    for that month was documented after all, at the follow-up conversation."""

    TYPE: ClassVar[str] = "joblog_month_empty"
    documented_on: dt.date | None = None
    ref: str | None = None


@attrs.frozen
class StrictSanction(DatedEvent):
    """A skærpet rådighedssanktion (LAS § 40 a) takes effect on ``date``, up to ``end`` (at
    most 3 months): hjælp only for the days the person meets the conditions."""

    TYPE: ClassVar[str] = "strict_sanction"
    end: dt.date | None = None
    ref: str | None = None


@attrs.frozen
class ConditionsMet(Event):
    """Under a § 40 a sanction: on ``days`` of the calendar days ``start`` to ``end`` the person
    attended the activities (the monthly statement, LAS § 40 a stk. 5)."""

    TYPE: ClassVar[str] = "conditions_met"
    start: dt.date
    end: dt.date
    days: int
    ref: str | None = None

    @property
    def on(self) -> dt.date:
        return self.start


@attrs.frozen
class ContactRestored(DatedEvent):
    """The person contacted the jobcentre again after a no-show ("genoprettet kontakt")."""

    TYPE: ClassVar[str] = "contact_restored"
    ref: str | None = None


@attrs.frozen
class WrittenGuidance(DatedEvent):
    """Written guidance on the consequences of not complying was given (LAS § 35 stk. 1)."""

    TYPE: ClassVar[str] = "written_guidance"
    sufficient: bool | None = None
    """False when the guidance did not state the concrete consequence (e.g. only that it "kan
    få konsekvenser": Ankestyrelsen 10.7.2013, catalogue TC-18); it then does not count."""
    ref: str | None = None
