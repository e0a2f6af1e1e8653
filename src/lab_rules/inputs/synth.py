"""Synthetic caseloads: realistic two-year timelines across the target groups, deterministic
per seed, for the demo, the tests and the benchmarks.

Each person gets one benefit and target group, a first contact (or registration, or sickness
report), conversations at irregular intervals (some late), maybe a no-show at one of those
meetings (summoned 1-2 weeks before; contact restored up to 3 weeks later and the conversation
held two days after that), an exemption, an offer, monthly payments, and an end within the
two years.
Names and CPR numbers are never generated: ids are ``synthetic-N``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs

from lab_rules.calendar import Duration, Rounding, add
from lab_rules.core.errors import LabRulesError
from lab_rules.core.vocabulary import (
    Benefit,
    ConversationKind,
    ExemptionReason,
    Form,
    Holder,
    OfferKind,
    TargetGroup,
)
from lab_rules.inputs.eventlog_write import write_rows
from lab_rules.inputs.timeline import (
    Assigned,
    AuditSampled,
    BenefitEnded,
    BenefitStarted,
    ContactRestored,
    ConversationHeld,
    Event,
    Exemption,
    FirstContact,
    NoShow,
    OfferStarted,
    Payment,
    Person,
    Registered,
    SicknessReported,
    SummonsSent,
    Timeline,
    WrittenGuidance,
)
from lab_rules.inputs.timeline_fields import LAST_DAY
from lab_rules.inputs.timeline_json import timeline_to_json

KINDS = (
    (Benefit.DAGPENGE, TargetGroup.DAGPENGE),
    (Benefit.KONTANTHJAELP, TargetGroup.JOBPARAT_KONTANTHJAELP),
    (Benefit.KONTANTHJAELP, TargetGroup.AKTIVITETSPARAT_KONTANTHJAELP),
    (Benefit.UDDANNELSESHJAELP, TargetGroup.UDDANNELSESPARAT_UDDANNELSESHJAELP),
    (Benefit.SYGEDAGPENGE, TargetGroup.SYGEDAGPENGE),
    (Benefit.LEDIGHEDSYDELSE, TargetGroup.FLEKSJOBVISITERET),
)
_MONTHLY = {Benefit.DAGPENGE: 19000, Benefit.KONTANTHJAELP: 12000,
            Benefit.UDDANNELSESHJAELP: 7000, Benefit.SYGEDAGPENGE: 18000,
            Benefit.LEDIGHEDSYDELSE: 17000}


FIRST_START = date.fromisoformat("2016-01-04")
"""The default first course start of synthetic data (the first staircase week; not law)."""
LAST_START = FIRST_START + timedelta(days=9 * 365 - 1)
MAX_PERSONS = 10_000_000
"""The most persons ``lab-rules synth`` writes: more than Denmark has inhabitants (about 6
million), so every real caseload fits, while a slip of the keyboard (``--persons 10**20``) is
a usage error instead of a run that fills the disk (10 million persons are some 50 GB of
JSON Lines and about an hour of work)."""

_DRAWN_REASONS = tuple(ExemptionReason(value) for value in (
    "mindre_intensiv_indsats", "barsel", "sygdom", "ferie", "standby", "rimelig_grund",
    "kommunal_vurdering", "andet"))
"""The reasons synthetic timelines draw from, fixed so that a seed gives the same caseload
whatever reasons the vocabulary gains later."""


def synthetic_timeline(rng: random.Random, index: int, first: date = FIRST_START,
                       last: date = LAST_START, years: int = 2) -> tuple[Timeline, date]:
    """One realistic case of *years* years (default two) starting between *first* and *last*,
    and the ``as_of`` that many years after its start. Conversations scale with the length;
    the default draws exactly the two-year cases of earlier releases."""
    span = 365 * years
    benefit, group = rng.choice(KINDS)
    start = first + timedelta(days=rng.randrange(0, (last - first).days + 1))
    events: list[Event] = [BenefitStarted(start, benefit, group), WrittenGuidance(start)]
    if benefit is Benefit.DAGPENGE:
        events.append(Registered(start))
    elif benefit is Benefit.SYGEDAGPENGE:
        events.append(SicknessReported(start + timedelta(days=5), start, rng.choice((1, 2, 3)),
                                       rng.random() < 0.5))
    else:
        events.append(FirstContact(start))
    kind = (ConversationKind.OPFOELGNINGSSAMTALE if benefit is Benefit.SYGEDAGPENGE
            else ConversationKind.JOBSAMTALE)
    day = start
    held: list[ConversationHeld] = []
    for _ in range(rng.randrange(2 * years, 8 * years)):
        day += timedelta(days=rng.randrange(5, 60))
        holder = Holder.A_KASSE if benefit is Benefit.DAGPENGE and rng.random() < 0.3 \
            else Holder.JOBCENTER
        held.append(ConversationHeld(day, kind, rng.choice(list(Form)), holder))
    if rng.random() < 0.3:
        index_missed = rng.randrange(len(held))
        missed = held[index_missed]
        contact = missed.date + timedelta(days=rng.randrange(0, 21))
        events.append(SummonsSent(missed.date - timedelta(days=rng.randrange(7, 15)),
                                  missed.date, kind, held_by=missed.held_by))
        events.append(NoShow(missed.date, kind))
        events.append(ContactRestored(contact))
        held[index_missed] = attrs.evolve(missed, date=contact + timedelta(days=2))
    events.extend(held)
    if rng.random() < 0.3:
        ex_start = start + timedelta(days=rng.randrange(30, 400))
        events.append(Exemption(ex_start, rng.choice(_DRAWN_REASONS),
                                ex_start + timedelta(days=rng.randrange(7, 90))))
    if rng.random() < 0.6:
        events.append(OfferStarted(start + timedelta(days=rng.randrange(20, 300)),
                                   rng.choice(list(OfferKind))))
    end = start + timedelta(days=span)
    if rng.random() < 0.5:
        end = start + timedelta(days=rng.randrange(60, span - 30))
    events.append(BenefitEnded(end, benefit))
    month = start.replace(day=1)
    while month <= end and benefit in _MONTHLY:
        following = add(month, Duration(months=1), Rounding.STRICT)
        first, last = max(month, start), min(following - timedelta(days=1), end)
        share = Decimal((last - first).days + 1) / Decimal((following - month).days)
        events.append(Payment(benefit, first, last,
                              amount=(Decimal(_MONTHLY[benefit]) * share).quantize(Decimal(1))))
        month = following
    if benefit is not Benefit.DAGPENGE and rng.random() < 0.15:
        events.append(AuditSampled(start + timedelta(days=rng.randrange(100, span - 30))))
    events.extend(_assignments(index, start, end))
    prospects = rng.random() < 0.6 if benefit is Benefit.DAGPENGE else None
    person = Person(f"synthetic-{index}", birth_date=date(rng.randrange(1960, 2004), 6, 15),
                    education=rng.random() < 0.7, custody=rng.random() < 0.4,
                    good_job_prospects=prospects)
    return Timeline.of(person, events), start + timedelta(days=span)


_CASEWORKERS = 9
_TEAMS = ("nord", "syd", "vest")


def _assignments(index: int, start: date, end: date) -> list[Assigned]:
    """Who handles case *index*: a caseworker from the start, and for every fifth case a
    second one from a later day. Worked out from the index alone, so the random draws (and
    every other event) of a seed are those of releases before assignments existed."""
    first = index % _CASEWORKERS
    found = [Assigned(start, f"sagsbehandler-{first + 1}", f"team-{_TEAMS[first % 3]}")]
    if index % 5 == 4 and (end - start).days > 60:
        second = (first + 4) % _CASEWORKERS
        day = start + timedelta(days=30 + (index * 37) % ((end - start).days - 59))
        found.append(Assigned(day, f"sagsbehandler-{second + 1}",
                              f"team-{_TEAMS[second % 3]}"))
    return found


def synthetic_reach(years: int) -> timedelta:
    """How far past its start the last event of a synthetic case of *years* years can fall:
    up to ``8 * years - 1`` conversations 59 days apart, one of them moved up to 22 days by a
    no-show (:func:`synthetic_timeline`); every other event falls within ``365 * years``."""
    return timedelta(days=max((8 * years - 1) * 59 + 22, 365 * years))


def synthetic_caseload(persons: int, seed: int, first: date = FIRST_START,
                       last: date = LAST_START, *, years: int = 2) -> Iterator[Timeline]:
    """*persons* synthetic timelines of *years* years starting between *first* and *last*;
    the same seed, window and length give the same caseload. A window whose cases would run
    past the last supported day of a timeline is refused (LabRulesError) before any is drawn."""
    latest = LAST_DAY - synthetic_reach(years)
    if last > latest:
        raise LabRulesError(f"a synthetic case of {years} years runs up to "
                            f"{synthetic_reach(years).days} days past its start, so the latest "
                            f"start is {latest} (the last supported day is {LAST_DAY}), "
                            f"not {last}")
    rng = random.Random(seed)
    for index in range(persons):
        yield synthetic_timeline(rng, index, first, last, years)[0]


def event_rows(persons: int, seed: int, first: date = FIRST_START,
               last: date = LAST_START, *, years: int = 2) -> Iterator[dict[str, object]]:
    """The rows of a synthetic caseload's event log: per person a ``person`` row, then its
    events, each with its ``person_id``."""
    for timeline in synthetic_caseload(persons, seed, first, last, years=years):
        document = timeline_to_json(timeline)
        person = dict(document["person"])  # type: ignore[call-overload]
        person_id = person.pop("id")
        yield {"person_id": person_id, "type": "person", **person}
        for event in document["events"]:  # type: ignore[attr-defined]
            yield {"person_id": person_id, **event}


def write_event_log(path: str | Path, persons: int, seed: int, first: date = FIRST_START,
                    last: date = LAST_START, *, years: int = 2) -> int:
    """Write a synthetic caseload (timelines of *years* years) as an event log (see
    :mod:`lab_rules.inputs.eventlog`) in the format the suffix of *path* names: ``.jsonl``,
    ``.csv`` or ``.parquet`` (the ``parquet`` extra). Returns the number of rows."""
    return write_rows(path, event_rows(persons, seed, first, last, years=years))
