"""What one rule needs about one membership span, and the draft obligations it becomes.

The evaluation builds a :class:`RuleSpan` per rule and span of a target group: the rule, its
clock and anchor, the policies, and the events that may fulfil it (:class:`Candidate`) or
suspend it (:class:`Incident`). The contact course turns it into :class:`Draft` obligations,
mutable only while they are generated (:mod:`lab_rules.contact.shapes`), adjusted
(:mod:`lab_rules.contact.adjustments`) and fulfilled (:mod:`lab_rules.contact.fulfilment`),
before :mod:`lab_rules.contact.obligations` freezes each into an ``Obligation``.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import attrs

from lab_rules.contact.results import Describable, TraceStep
from lab_rules.core.messages import Message, date_text, text
from lab_rules.core.vocabulary import TargetGroup
from lab_rules.facts.clocks import Course, CourseClock, Point
from lab_rules.facts.offers import OfferRun
from lab_rules.inputs.events import (
    CaseStepDone,
    ConversationHeld,
    Event,
    Exemption,
    OfferEnded,
    OfferStarted,
    SummonsSent,
)
from lab_rules.inputs.sanction_events import ContactRestored, NoShow
from lab_rules.inputs.timeline import Timeline
from lab_rules.law.model import Rule
from lab_rules.law.policies import Policies, VersionSelector

__all__ = ["Candidate", "Draft", "Incident", "RuleSpan", "incidents_of"]


class Candidate(NamedTuple):
    """An event that may fulfil obligations of a rule (or, under ``timely_summons_counts``, a
    summons followed by a no-show, described by ``summons``). A named tuple: thousands are
    made per second, and it is immutable."""

    day: date
    event: Event | None = None
    summons: Message | None = None

    @property
    def by_summons(self) -> bool:
        return self.summons is not None

    @property
    def offer(self) -> OfferStarted | None:
        return self.event if isinstance(self.event, OfferStarted) else None

    @property
    def label(self) -> str:
        """Words for the result in English (the JSON's ``fulfilled_by``), built only for
        candidates that fulfil something."""
        return self.describe("en")

    def describe(self, lang: str = "en") -> str:
        """What fulfilled the obligation, in *lang*."""
        event = self.event
        if isinstance(event, ConversationHeld):
            return text("contact.fulfilled.conversation", lang, kind=event.kind.value,
                        form=event.form.value, held_by=event.held_by.value, day=event.date)
        if isinstance(event, OfferStarted):
            return text("contact.fulfilled.offer_started", lang, offer=event.offer.value,
                        day=event.date)
        if isinstance(event, CaseStepDone):
            return text("contact.fulfilled.case_step", lang, step=event.step.value,
                        day=event.date)
        if isinstance(event, OfferEnded):
            return text("contact.fulfilled.offer_ended", lang, offer=event.offer.value,
                        day=event.date)
        return self.summons.describe(lang) if self.summons else date_text(self.day, lang)


@attrs.frozen
class Incident:
    """An unexcused no-show after a summons, and when contact was restored (if it was)."""

    no_show: date
    summons_sent: date
    contact: date | None


def incidents_of(timeline: Timeline) -> tuple[Incident, ...]:
    """Unexcused no-shows that follow a summons for that meeting, with restored contact."""
    summonses = timeline.of_type(SummonsSent)
    contacts = [c.date for c in timeline.of_type(ContactRestored)]
    found = []
    for no_show in timeline.of_type(NoShow):
        if no_show.excuse is not None:
            continue
        summons = [s for s in summonses
                   if s.meeting_date == no_show.date and s.date <= no_show.date]
        if not summons:
            continue
        contact = next((d for d in contacts if d >= no_show.date), None)
        found.append(Incident(no_show.date, max(s.date for s in summons), contact))
    return tuple(found)


@attrs.define
class RuleSpan:
    """Everything one rule needs about one membership span (internal, not mutated)."""

    rule: Rule
    course: Course
    group: TargetGroup
    start: date
    end: date | None
    anchor: date
    anchor_text: str | Describable
    as_of: date
    policies: Policies
    candidates: tuple[Candidate, ...]
    exemptions: tuple[Exemption, ...]
    incidents: tuple[Incident, ...]
    clock: CourseClock
    opens_at: date | None = None
    policy_items: tuple[tuple[str, str], ...] = ()
    selector: VersionSelector = VersionSelector.OPENS
    offers: tuple[OfferRun, ...] = ()
    """The person's offers (repeat offers run from the end of the one that met the last)."""
    limited: tuple[tuple[OfferRun, Describable | None], ...] = ()
    """``offer_limit``: the offers the rule limits in this span, each with what was assumed
    to apply it (an exception whose fact is unknown), or None."""
    floor: Point | None = None
    """The earliest due date of the first repeat offer (the rule's ``floor``)."""
    horizon: date = attrs.field(init=False)
    """The last day the span is judged on: ``as_of``, or the span's end if earlier."""

    def __attrs_post_init__(self) -> None:
        self.horizon = self.as_of if self.end is None else min(self.as_of, self.end)


@attrs.define
class Draft:
    """One obligation while it is computed: its window, trace, waiver and fulfilment (internal,
    mutated in place until it is frozen into an ``Obligation``)."""

    sequence: int
    opens: date
    due: date
    trace: list[TraceStep]
    waived_by: str | None = None
    policy_notes: tuple[tuple[str, str], ...] = ()
    fulfilled: Candidate | None = None
