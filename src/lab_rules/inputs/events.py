"""The events of a case's course: the attrs classes a timeline is made of.

Every event is a frozen attrs class with a ``TYPE`` tag (its name in ``timeline/v1`` JSON)
and an :attr:`Event.on` date that orders it. This module holds the base classes and the
events of the course itself: contact and registration, benefits and target groups, sickness,
conversations and summonses, exemptions, offers, payments, work hours and case steps. The
breaches of duty and the events around a sanction are in
:mod:`lab_rules.inputs.sanction_events`; :mod:`lab_rules.inputs.timeline` orders them all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

import attrs

from lab_rules.core.vocabulary import (
    Benefit,
    CaseStep,
    ConversationKind,
    EmployerSector,
    ExemptionReason,
    ExtensionBasis,
    Form,
    FormException,
    Holder,
    OfferKind,
    RateCategory,
    TargetGroup,
)

__all__ = [
    "Assigned",
    "AuditSampled",
    "BenefitEnded",
    "BenefitStarted",
    "CaseStepDone",
    "ConversationHeld",
    "DatedEvent",
    "Deregistered",
    "Event",
    "Exemption",
    "FirstContact",
    "FollowupRequested",
    "GroupChanged",
    "HoursRuleWarning",
    "OfferAbsence",
    "OfferEnded",
    "OfferExtended",
    "OfferStarted",
    "Payment",
    "Registered",
    "SicknessReported",
    "SummonsSent",
    "TransferredToJobcenter",
    "WorkHours",
]


@attrs.frozen
class Event:
    """Base of every timeline event. ``ref`` is an optional id from the case system."""

    TYPE: ClassVar[str] = ""

    @property
    def on(self) -> dt.date:
        """The date that orders the event in its timeline."""
        raise NotImplementedError


@attrs.frozen
class DatedEvent(Event):
    """An event that happens on one day."""

    date: dt.date

    @property
    def on(self) -> dt.date:
        return self.date


@attrs.frozen
class FirstContact(DatedEvent):
    """The person first asked the municipality for help ("første henvendelse", LAB § 9)."""

    TYPE: ClassVar[str] = "first_contact"
    ref: str | None = None


@attrs.frozen
class Registered(DatedEvent):
    """Registered as a jobseeker ("tilmelding som jobsøgende")."""

    TYPE: ClassVar[str] = "registered"
    ref: str | None = None


@attrs.frozen
class Deregistered(DatedEvent):
    """De-registered as a jobseeker ("afmelding")."""

    TYPE: ClassVar[str] = "deregistered"
    ref: str | None = None


@attrs.frozen
class BenefitStarted(DatedEvent):
    """A benefit starts; ``group`` places the person in a target group from that day.

    For dagpenge the date of the first start is the indplacering i dagpengeperiode (LAB § 9
    stk. 2 nr. 1). A later dagpenge start continues the same cumulative period
    ("sammenlagt ledighed") unless ``new_period`` is true (a new indplacering) or no dagpenge
    was received in the 5 years before (§ 9 stk. 7). Contiguous benefits ignore it.
    """

    TYPE: ClassVar[str] = "benefit_started"
    benefit: Benefit
    group: TargetGroup | None = None
    new_period: bool | None = None
    part_time: bool | None = None
    """Dagpenge: the person is deltidsforsikret (karantæne 90 hours instead of 111, SFL § 24)."""
    ref: str | None = None


@attrs.frozen
class BenefitEnded(DatedEvent):
    """A benefit ends; ``date`` is the last day the benefit was received."""

    TYPE: ClassVar[str] = "benefit_ended"
    benefit: Benefit
    ref: str | None = None


@attrs.frozen
class GroupChanged(DatedEvent):
    """The person is visited to another target group (jobparat → aktivitetsparat, say)."""

    TYPE: ClassVar[str] = "group_changed"
    group: TargetGroup
    ref: str | None = None


@attrs.frozen
class SicknessReported(DatedEvent):
    """A sickness is reported; the follow-up clock runs from ``first_absence_day``.

    ``category`` is the visitation category (1-3, only 1-2 from 2025); ``employed`` whether
    the person is in an ansættelsesforhold (sdp § 13 f).
    """

    TYPE: ClassVar[str] = "sickness_reported"
    first_absence_day: dt.date
    category: int | None = None
    employed: bool | None = None
    ref: str | None = None


@attrs.frozen
class FollowupRequested(DatedEvent):
    """The employer or the sick person asked for early follow-up ("tidlig opfølgning",
    sygedagpengeloven §§ 7 c, 7 e; § 13 b stk. 2)."""

    TYPE: ClassVar[str] = "followup_requested"
    requested_by: Holder | None = None
    ref: str | None = None


@attrs.frozen
class ConversationHeld(DatedEvent):
    """A conversation took place."""

    TYPE: ClassVar[str] = "conversation_held"
    kind: ConversationKind
    form: Form = Form.PERSONLIGT
    held_by: Holder = Holder.JOBCENTER
    ref: str | None = None
    form_exception: FormException | None = None
    """Why a conversation the law wants in person was held by phone or video (the
    caseworker's record; a rule accepts the reasons its provision lists)."""


@attrs.frozen
class SummonsSent(DatedEvent):
    """A summons ("indkaldelse") was sent on ``date`` for a meeting on ``meeting_date``."""

    TYPE: ClassVar[str] = "summons_sent"
    meeting_date: dt.date
    kind: ConversationKind
    form: Form | None = None
    held_by: Holder | None = None
    ref: str | None = None


@attrs.frozen
class Exemption(Event):
    """Duties are paused or waived from ``start`` to ``end`` inclusive (open if None)."""

    TYPE: ClassVar[str] = "exemption"
    start: dt.date
    reason: ExemptionReason
    end: dt.date | None = None
    documented_start: dt.date | None = None
    """For ``mindre_intensiv_indsats``: the documented first day of the full-time job, fleksjob,
    barsel or pension. LAB § 106 stk. 1 nr. 1 covers it only when that day is within 6 weeks of
    ``start`` (the day it was documented); the exemption then ends the day before."""
    ref: str | None = None

    @property
    def on(self) -> dt.date:
        return self.start

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen
class OfferStarted(DatedEvent):
    """An activation offer starts. ``offered_on`` is when it was given ("afgivet"), which
    matters for løntilskud (LAB § 102 stk. 3); ``employer_sector`` whether the employer of a
    løntilskud (or praktik) is public or private, which sets the longest løntilskud from 2014
    (LAB § 53; 2019 § 68). ``ref`` ties it to its ``offer_extended`` and ``offer_ended``."""

    TYPE: ClassVar[str] = "offer_started"
    offer: OfferKind
    offered_on: dt.date | None = None
    hours_per_week: Decimal | None = None
    reduced_hours_documented: bool | None = None
    employer_sector: EmployerSector | None = None
    ref: str | None = None


@attrs.frozen
class OfferExtended(DatedEvent):
    """A running offer was extended beyond its limit by the jobcentre's decision on ``date``.

    ``until`` is the new last day agreed (optional: without it, the longest the law allows),
    ``basis`` the assessment made (LAB 2008-2019 § 44, stk. 2; 2019 § 61, stk. 2, § 68, nr. 2).
    It belongs to the offer with the same ``ref``, else to the latest running offer of its
    kind."""

    TYPE: ClassVar[str] = "offer_extended"
    offer: OfferKind
    basis: ExtensionBasis | None = None
    until: dt.date | None = None
    ref: str | None = None


@attrs.frozen
class OfferAbsence(Event):
    """The person was absent from an offer from ``start`` to ``end`` inclusive (for the
    refund rule: more than 14 days' continuous absence in a payment period loses the active
    rate, BEK 1281/2007 § 3, BEK 14/2011 § 3 stk. 5)."""

    TYPE: ClassVar[str] = "offer_absence"
    start: dt.date
    end: dt.date
    contact_attempted: bool | None = None
    """For aktivitetsparate: personal contact was attempted (LAS § 35 stk. 7)."""
    promotes_availability: bool | None = None
    """For aktivitetsparate from July 2025: a sanction promotes availability (§ 13 stk. 8)."""
    ref: str | None = None

    @property
    def on(self) -> dt.date:
        return self.start


@attrs.frozen
class OfferEnded(DatedEvent):
    """An activation offer ends; ``date`` is its last day."""

    TYPE: ClassVar[str] = "offer_ended"
    offer: OfferKind
    ref: str | None = None


@attrs.frozen
class Payment(Event):
    """A benefit paid for the days ``start`` to ``end`` inclusive.

    ``amount`` in kroner (Decimal); ``hours`` are dagpenge hours where the clock counts
    hours (bek. 1216/2023 § 7).
    """

    TYPE: ClassVar[str] = "payment"
    benefit: Benefit
    start: dt.date
    end: dt.date
    amount: Decimal | None = None
    hours: Decimal | None = None
    rate_category: RateCategory | None = None
    """Kontanthjælp: the rate the amount is computed on (the 2009-2013 fixed nedsættelse)."""
    ref: str | None = None
    rate: Decimal | None = None
    """Kontanthjælp family: the monthly rate of hjælp the case system computed for the
    payment's month(s), before deductions for income (LAS § 35, stk. 4, 2. pkt.); it decides
    the sanktionssats band and the monthly cap over the rate tables."""

    @property
    def on(self) -> dt.date:
        return self.start


@attrs.frozen
class WorkHours(Event):
    """Documented ordinary, unsupported work ("ordinært og ustøttet arbejde") from ``start`` to
    ``end`` inclusive, in hours (LAS § 13 f stk. 1, 6 and 14; for work without fixed hours, the
    income / 119,08 kr. 2016-level, stk. 15, converted by the caller)."""

    TYPE: ClassVar[str] = "work_hours"
    start: dt.date
    end: dt.date
    hours: Decimal
    ref: str | None = None

    @property
    def on(self) -> dt.date:
        return self.start


@attrs.frozen
class HoursRuleWarning(DatedEvent):
    """The 225-hour rule's warning letter ("varslingsbrev") was sent on ``date`` (BEK 1625/2024
    § 4 stk. 2; a late letter moves the earliest reduction, § 7)."""

    TYPE: ClassVar[str] = "hours_rule_warning"
    ref: str | None = None


@attrs.frozen
class TransferredToJobcenter(DatedEvent):
    """The dagpenge course passes from the a-kasse to the jobcentre (bek. 1216/2023 § 7
    stk. 2): needed when the 410-hour fact is not derivable from payments."""

    TYPE: ClassVar[str] = "transferred_to_jobcenter"
    ref: str | None = None


@attrs.frozen
class Assigned(DatedEvent):
    """The case is handled by this caseworker (and team) from ``date`` on.

    Until the next assignment, the worklist shows the person's obligations to them. A fact
    about the jobcentre's organisation, never about the law: no deadline or status depends
    on it."""

    TYPE: ClassVar[str] = "assigned"
    caseworker: str
    team: str | None = None
    ref: str | None = None


@attrs.frozen
class AuditSampled(DatedEvent):
    """The case was drawn in the state's sample audit ("stikprøve", visitationstilsyn): the
    condition for the jobsamtale refund loss of BEK 1002/2010 (and BEK 1714/2006)."""

    TYPE: ClassVar[str] = "audit_sampled"
    ref: str | None = None


@attrs.frozen
class CaseStepDone(DatedEvent):
    """A case step was taken (rehabiliteringsteam, afklaring, revurdering, ...)."""

    TYPE: ClassVar[str] = "case_step"
    step: CaseStep
    documented: bool | None = None
    """For a fleksjob visitation or revurdering: whether the documented basis LAB 2008 § 70 a /
    LAS § 74 c require was made (false triggers the 36-month refund loss of LAS § 104 a)."""
    ref: str | None = None
