"""The citizen's timeline: a person and the dated events of their case, immutable.

The events are frozen attrs classes, each with a ``TYPE`` tag (its name in ``timeline/v1``
JSON) and an :attr:`Event.on` date that orders it; they live in :mod:`lab_rules.inputs.events`
and :mod:`lab_rules.inputs.sanction_events`. This module gives each its place in a day
(:data:`EVENT_TYPES`) and re-exports them, so ``from lab_rules.inputs.timeline import NoShow``
keeps working for the many callers that read events. A :class:`Timeline` keeps its events in
one canonical order: by date, then by the event type's place in a day (a benefit starts
before the conversation held that day, and ends after it), then by the event's own content.
Two timelines built from the same events in any input order are therefore equal, which keeps
evaluation independent of how a case system happened to list them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import TypeVar

import attrs

from lab_rules.calendar import merge_periods
from lab_rules.core.privacy import mask_cpr
from lab_rules.core.vocabulary import Benefit
from lab_rules.inputs.events import (
    Assigned,
    AuditSampled,
    BenefitEnded,
    BenefitStarted,
    CaseStepDone,
    ConversationHeld,
    DatedEvent,
    Deregistered,
    Event,
    Exemption,
    FirstContact,
    FollowupRequested,
    GroupChanged,
    HoursRuleWarning,
    OfferAbsence,
    OfferEnded,
    OfferExtended,
    OfferStarted,
    Payment,
    Registered,
    SicknessReported,
    SummonsSent,
    TransferredToJobcenter,
    WorkHours,
)
from lab_rules.inputs.sanction_events import (
    BookingMissed,
    ConditionsMet,
    ContactRestored,
    JoblogMonthEmpty,
    JobSuggestionsMissed,
    NoShow,
    Refusal,
    RegistrationMissing,
    SdpCessation,
    StrictSanction,
    WrittenGuidance,
)

__all__ = [
    "EVENT_TYPES",
    "READABLE_SCHEMAS",
    "SCHEMA_ID",
    "Assigned",
    "AuditSampled",
    "BenefitEnded",
    "BenefitStarted",
    "BookingMissed",
    "CaseStepDone",
    "ConditionsMet",
    "ContactRestored",
    "ConversationHeld",
    "DatedEvent",
    "Deregistered",
    "Event",
    "Exemption",
    "FirstContact",
    "FollowupRequested",
    "GroupChanged",
    "HoursRuleWarning",
    "JobSuggestionsMissed",
    "JoblogMonthEmpty",
    "NoShow",
    "OfferAbsence",
    "OfferEnded",
    "OfferExtended",
    "OfferStarted",
    "Payment",
    "Person",
    "Refusal",
    "Registered",
    "RegistrationMissing",
    "SdpCessation",
    "SicknessReported",
    "StrictSanction",
    "SummonsSent",
    "Timeline",
    "TransferredToJobcenter",
    "WorkHours",
    "WrittenGuidance",
]

SCHEMA_ID = "lab-rules/timeline/v2"
"""The document identifier lab-rules writes (``timeline/v2``: the ranges of revision 2)."""
READABLE_SCHEMAS = ("lab-rules/timeline/v1", SCHEMA_ID)
"""Identifiers lab-rules reads: a v1 document is read under the same rules as v2 (v2 only
narrows what v1 allowed to what can be evaluated)."""


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
    hard_to_place: bool | None = None
    """The jobcentre's finding that the person "ikke har erhvervserfaring, har langvarig
    ledighed eller i øvrigt har vanskeligt ved at opnå beskæftigelse med løntilskud" (LAB
    2008-2019 § 44, stk. 1, nr. 3): a jobparat person's virksomhedspraktik may then last 13
    weeks instead of 4."""
    dimittend: bool | None = None
    """The person receives dagpenge as a graduate (dimittendvilkår, ALF § 54), has at least a
    short higher education and has had no ordinary job since (LAB 2015-2019 § 44, stk. 1,
    nr. 1): virksomhedspraktik may then last 8 weeks instead of 4."""

    def age_on(self, day: dt.date) -> int | None:
        """Whole years of age on *day*, or None without a birth date."""
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


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
        Assigned,
        OfferStarted,
        OfferExtended,
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
    events = list(events)
    keys = [(event.on, _DAY_RANK[event.TYPE]) for event in events]
    order = sorted(range(len(events)), key=keys.__getitem__)
    if len(set(keys)) == len(keys):  # no ties: no content to compare
        return tuple(map(events.__getitem__, order))
    result: list[Event] = []
    for _, group in groupby(order, key=keys.__getitem__):
        tied = [events[index] for index in group]
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

    def of_types(self, *classes: type[Event]) -> list[Event]:
        """The events of these classes (exactly), in timeline order: the classes' own lists
        joined and put in day order again (a stable sort; events that tie on the day and its
        place in it are of one class, so keep their timeline order)."""
        found: list[Event] = []
        for cls in classes:
            found.extend(self._by_type.get(cls, ()))
        if len(classes) > 1:
            found.sort(key=_day_key)
        return found

    def has_any(self, classes: frozenset[type[Event]]) -> bool:
        """Whether the timeline has an event of one of *classes* (exactly)."""
        return not classes.isdisjoint(self._by_type)

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
