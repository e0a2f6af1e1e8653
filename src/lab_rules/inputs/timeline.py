"""The citizen's timeline: a person and the dated events of their case, immutable.

Every event is a frozen attrs class with a ``TYPE`` tag (its name in ``timeline/v1`` JSON)
and a :attr:`Event.on` date that orders it. A :class:`Timeline` keeps its events in one
canonical order: by date, then by the event type's place in a day (a benefit starts before
the conversation held that day, and ends after it), then by the event's own content. Two
timelines built from the same events in any input order are therefore equal, which keeps
evaluation independent of how a case system happened to list them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import ClassVar, TypeVar

import attrs

from lab_rules.calendar import merge_periods
from lab_rules.core.privacy import mask_cpr
from lab_rules.core.vocabulary import (
    Benefit,
    CaseStep,
    ConversationKind,
    Excuse,
    ExemptionReason,
    Form,
    Holder,
    OfferKind,
    RateCategory,
    RefusalKind,
    RegistrationKind,
    TargetGroup,
)

SCHEMA_ID = "lab-rules/timeline/v1"


def _masked(value: str | None) -> str:
    return "None" if value is None else repr(mask_cpr(value))


@attrs.frozen
class Person:
    """The citizen. ``id`` is the case system's opaque id; never a name.

    ``cpr`` is optional and is masked in every repr and message. ``education`` is whether
    the person has an erhvervskompetencegivende uddannelse, ``custody`` whether they have
    forsørgerpligt over for hjemmeboende børn: both select age-band rules (LAB § 27 stk. 3).
    """

    id: str = attrs.field(repr=mask_cpr)
    cpr: str | None = attrs.field(default=None, repr=_masked)
    birth_date: dt.date | None = None
    education: bool | None = None
    custody: bool | None = None
    married: bool | None = None
    """Married ("gift"): the 225-hour rule then stops the spouse's hjælp instead of reducing it
    (LAS § 13 f stk. 1-2 against stk. 6-7)."""
    good_job_prospects: bool | None = None
    """The a-kasse's assessment at the CV-samtale that the person has good job prospects and
    needs no early joint conversation; used only by the Danske A-kasser overlay (seed 002)."""

    def age_on(self, day: dt.date) -> int | None:
        """Whole years of age on *day*, or None without a birth date."""
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


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
    matters for løntilskud (LAB § 102 stk. 3)."""

    TYPE: ClassVar[str] = "offer_started"
    offer: OfferKind
    offered_on: dt.date | None = None
    hours_per_week: Decimal | None = None
    reduced_hours_documented: bool | None = None
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
class WrittenGuidance(DatedEvent):
    """Written guidance on the consequences of not complying was given (LAS § 35 stk. 1)."""

    TYPE: ClassVar[str] = "written_guidance"
    sufficient: bool | None = None
    """False when the guidance did not state the concrete consequence (e.g. only that it "kan
    få konsekvenser": Ankestyrelsen 10.7.2013, catalogue TC-18); it then does not count."""
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


EVENT_TYPES: dict[str, type[Event]] = {
    cls.TYPE: cls
    for cls in (
        FirstContact,
        Registered,
        BenefitStarted,
        GroupChanged,
        SicknessReported,
        FollowupRequested,
        TransferredToJobcenter,
        Exemption,
        WrittenGuidance,
        SummonsSent,
        ConversationHeld,
        NoShow,
        Refusal,
        SdpCessation,
        BookingMissed,
        JobSuggestionsMissed,
        RegistrationMissing,
        JoblogMonthEmpty,
        StrictSanction,
        ConditionsMet,
        ContactRestored,
        CaseStepDone,
        AuditSampled,
        OfferStarted,
        OfferAbsence,
        OfferEnded,
        Payment,
        WorkHours,
        HoursRuleWarning,
        Deregistered,
        BenefitEnded,
    )
}
"""Event classes by their JSON ``type``, in the order they sort within one day."""

_DAY_RANK = {name: rank for rank, name in enumerate(EVENT_TYPES)}


def _day_key(event: Event) -> tuple[dt.date, int]:
    return (event.on, _DAY_RANK[event.TYPE])


def _content_key(event: Event) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in attrs.astuple(event, recurse=False))


def _canonical(events: Iterable[Event]) -> tuple[Event, ...]:
    """Events by date, then their place in the day, then their content: the content is only
    compared (it is costly) between events that tie on the first two."""
    keyed = sorted(((_day_key(event), event) for event in events), key=itemgetter(0))
    result: list[Event] = []
    for _, group in groupby(keyed, key=itemgetter(0)):
        tied = [event for _, event in group]
        result.extend(sorted(tied, key=_content_key) if len(tied) > 1 else tied)
    return tuple(result)


E = TypeVar("E", bound=Event)


@attrs.frozen
class Timeline:
    """A person and their events in canonical order. Build it with :meth:`of`."""

    person: Person
    events: tuple[Event, ...]
    _by_type: dict[type[Event], tuple[Event, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        index: dict[type[Event], list[Event]] = {}
        for event in self.events:
            index.setdefault(type(event), []).append(event)
        object.__setattr__(self, "_by_type", {k: tuple(v) for k, v in index.items()})

    @classmethod
    def of(cls, person: Person, events: Iterable[Event]) -> Timeline:
        """Sort *events* canonically; the input order does not matter."""
        return cls(person, _canonical(events))

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def of_type(self, cls: type[E]) -> tuple[E, ...]:
        """The events of one class (exactly that class), in timeline order."""
        return self._by_type.get(cls, ())  # type: ignore[return-value]

    def spans_of(self, benefits: frozenset[Benefit], as_of: dt.date) -> list[
            tuple[dt.date, dt.date]]:
        """The periods (first day, last day) on any of *benefits* up to *as_of*, each benefit's
        from its start to its end (or *as_of*), in start order; overlaps are not merged."""
        running: dict[Benefit, dt.date] = {}
        spans: list[tuple[dt.date, dt.date]] = []
        for event in self.events:
            if isinstance(event, BenefitStarted) and event.benefit in benefits:
                running.setdefault(event.benefit, event.date)
            elif isinstance(event, BenefitEnded) and event.benefit in running:
                spans.append((running.pop(event.benefit), min(event.date, as_of)))
        spans += [(start, as_of) for start in running.values()]
        return sorted(spans)

    def runs_of(self, benefits: frozenset[Benefit], as_of: dt.date) -> list[
            tuple[dt.date, dt.date]]:
        """Uninterrupted runs on any of *benefits* up to *as_of*: :meth:`spans_of` with
        overlapping and adjoining periods joined."""
        return merge_periods(self.spans_of(benefits, as_of))

    def until(self, as_of: dt.date) -> Timeline:
        """The timeline as known on *as_of*: events dated after it are dropped."""
        if not self.events or self.events[-1].on <= as_of:
            return self
        return Timeline(self.person, tuple(e for e in self.events if e.on <= as_of))

    @property
    def first_day(self) -> dt.date | None:
        return self.events[0].on if self.events else None

    @property
    def last_day(self) -> dt.date | None:
        """The latest day any event touches (an exemption's or payment's end included)."""
        days = [e.on for e in self.events]
        days += [e.end for e in self.events
                 if isinstance(e, Exemption | Payment | OfferAbsence) and e.end]
        return max(days) if days else None
