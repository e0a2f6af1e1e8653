"""Hypothesis properties of the evaluator (issue 3): determinism, order independence,
monotonicity in held conversations, consistency across as_of, and exemptions."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_rules import Person, Status, Timeline, dumps_evaluation, evaluate
from lab_rules.contact.results import Obligation
from lab_rules.core.vocabulary import (
    Benefit,
    ConversationKind,
    ExemptionReason,
    Form,
    Holder,
    OfferKind,
    TargetGroup,
)
from lab_rules.evaluation.result import Evaluation
from lab_rules.inputs.timeline import (
    BenefitEnded,
    BenefitStarted,
    ConversationHeld,
    Event,
    Exemption,
    FirstContact,
    OfferStarted,
    Registered,
    SicknessReported,
)
from lab_rules.law.model import IntervalFrom, Shape

FAMILIES = ("dagpenge", "kontanthjaelp", "sygedagpenge", "ledighedsydelse")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw: st.DrawFn, *, since: date = date(2016, 1, 4)) -> tuple[Timeline, date, str]:
    family = draw(st.sampled_from(FAMILIES))
    start = since + timedelta(days=draw(st.integers(0, (date(2025, 12, 31) - since).days)))
    events: list[Event] = []
    kind = ConversationKind.JOBSAMTALE
    if family == "dagpenge":
        events += [Registered(start), BenefitStarted(start, Benefit.DAGPENGE, TargetGroup.DAGPENGE)]
    elif family == "kontanthjaelp":
        events += [FirstContact(start), BenefitStarted(
            start, Benefit.KONTANTHJAELP, TargetGroup.JOBPARAT_KONTANTHJAELP)]
    elif family == "sygedagpenge":
        kind = ConversationKind.OPFOELGNINGSSAMTALE
        events += [BenefitStarted(start, Benefit.SYGEDAGPENGE, TargetGroup.SYGEDAGPENGE),
                   SicknessReported(start + timedelta(days=3), start, draw(st.sampled_from([2, 3])),
                                    draw(st.booleans()))]
    else:
        events += [BenefitStarted(start, Benefit.LEDIGHEDSYDELSE, TargetGroup.FLEKSJOBVISITERET)]
    for offset in draw(st.lists(st.integers(0, 700), max_size=14)):
        holder = draw(st.sampled_from([Holder.JOBCENTER, Holder.A_KASSE]))
        joint = draw(st.booleans()) and family == "dagpenge"
        events.append(ConversationHeld(start + timedelta(days=offset),
                                       ConversationKind.FAELLESSAMTALE if joint else kind,
                                       Form.PERSONLIGT, holder))
    if draw(st.booleans()):
        events.append(OfferStarted(start + timedelta(days=draw(st.integers(0, 400))),
                                   draw(st.sampled_from(list(OfferKind)))))
    if draw(st.booleans()):
        ex_start = start + timedelta(days=draw(st.integers(0, 500)))
        events.append(Exemption(ex_start, draw(st.sampled_from(list(ExemptionReason))),
                                ex_start + timedelta(days=draw(st.integers(0, 120)))))
    if draw(st.booleans()):
        benefit = next(e.benefit for e in events if isinstance(e, BenefitStarted))
        events.append(BenefitEnded(start + timedelta(days=draw(st.integers(30, 700))), benefit))
    person = Person("prop", birth_date=date(draw(st.integers(1960, 2002)), 3, 1),
                    education=draw(st.booleans()), custody=draw(st.booleans()))
    return Timeline.of(person, events), start + timedelta(days=730), family


def _key(o: Obligation) -> tuple[str, int, date, date]:
    return (o.rule.id, o.sequence, o.course_start, o.opens)


def _index(evaluation: Evaluation) -> dict[tuple[str, int, date, date], Obligation]:
    return {_key(o): o for o in evaluation.obligations}


@FAST
@given(cases())
def test_same_inputs_give_byte_identical_json(case: tuple[Timeline, date, str]) -> None:
    timeline, as_of, _ = case
    assert dumps_evaluation(evaluate(timeline, as_of=as_of)) == dumps_evaluation(
        evaluate(timeline, as_of=as_of))


@FAST
@given(cases(), st.randoms(use_true_random=False))
def test_input_event_order_does_not_matter(case: tuple[Timeline, date, str],
                                           rng: random.Random) -> None:
    timeline, as_of, _ = case
    shuffled = list(timeline.events)
    rng.shuffle(shuffled)
    again = Timeline.of(timeline.person, shuffled)
    assert dumps_evaluation(evaluate(again, as_of=as_of)) == dumps_evaluation(
        evaluate(timeline, as_of=as_of))


def _anchored_overdue(evaluation: Evaluation) -> int:
    """Days overdue of rules whose due dates do not move with the events that meet them."""
    return sum(o.days_overdue or 0 for o in evaluation.obligations
               if o.rule.interval_from is not IntervalFrom.LAST_FULFILMENT)


@FAST
@given(cases(), st.integers(0, 700), st.booleans())
def test_adding_a_conversation_never_unmeets_and_never_adds_overdue_days(
    case: tuple[Timeline, date, str], offset: int, joint: bool
) -> None:
    """Holds for every rule whose schedule is anchored. A rule counted from the last
    follow-up ("hver gang der er gået 2½ år fra seneste opfølgning", sygedagpenge "herefter
    mindst hver 4. uge") moves its next deadline earlier when a conversation is added, so it
    may gain overdue days: that is the statute, pinned by the test below."""
    timeline, as_of, family = case
    start = timeline.events[0].on
    kind = (ConversationKind.OPFOELGNINGSSAMTALE if family == "sygedagpenge"
            else ConversationKind.FAELLESSAMTALE if joint else ConversationKind.JOBSAMTALE)
    extra = ConversationHeld(start + timedelta(days=offset), kind, Form.PERSONLIGT,
                             Holder.JOBCENTER)
    before = evaluate(timeline, as_of=as_of)
    after = evaluate(Timeline.of(timeline.person, (*timeline.events, extra)), as_of=as_of)
    later = _index(after)
    for key, obligation in _index(before).items():
        if obligation.status is Status.MET and key in later:
            assert later[key].status is Status.MET, (key, later[key].status)
    assert _anchored_overdue(after) <= _anchored_overdue(before)


def test_rolling_from_last_follow_up_moves_the_next_deadline_earlier() -> None:
    person = Person("rolling")
    base = [BenefitStarted(date(2018, 1, 8), Benefit.SYGEDAGPENGE, TargetGroup.SYGEDAGPENGE),
            SicknessReported(date(2018, 1, 9), date(2018, 1, 8), 2, False),
            ConversationHeld(date(2018, 2, 27), ConversationKind.OPFOELGNINGSSAMTALE)]
    extra = ConversationHeld(date(2018, 2, 13), ConversationKind.OPFOELGNINGSSAMTALE)
    rule = "dk.sygedagpenge.2015.every_four_weeks"
    late = evaluate(Timeline.of(person, base), as_of=date(2018, 6, 1)).by_rule(rule)
    early = evaluate(Timeline.of(person, [*base, extra]), as_of=date(2018, 6, 1)).by_rule(rule)
    assert late[0].due == date(2018, 3, 27)
    assert early[0].due == date(2018, 3, 13)


@FAST
@given(cases(), st.integers(1, 729))
def test_an_earlier_as_of_is_consistent_with_the_later_one(
    case: tuple[Timeline, date, str], back: int
) -> None:
    timeline, as_of, _ = case
    earlier = as_of - timedelta(days=back)
    early, late = evaluate(timeline, as_of=earlier), _index(evaluate(timeline, as_of=as_of))
    for obligation in early.obligations:
        if obligation.status in (Status.MET, Status.MET_LATE):
            same = late.get(_key(obligation))
            assert same is not None, _key(obligation)
            assert (same.status, same.fulfilled_on) == (obligation.status, obligation.fulfilled_on)
            if same.due != obligation.due:
                # Only an exemption that became known after the earlier day may move it.
                assert any(step.step in ("extended", "after_exemption", "waived")
                           for step in same.trace), same.trace
        if obligation.status is Status.OVERDUE:
            same = late.get(_key(obligation))
            assert same is not None
            assert same.status in (Status.OVERDUE, Status.MET_LATE, Status.LAPSED)


@FAST
@given(cases(since=date(2020, 1, 6)))
def test_an_exemption_covering_the_whole_period_leaves_nothing_overdue(
    case: tuple[Timeline, date, str],
) -> None:
    timeline, as_of, family = case
    reason = (ExemptionReason.STANDBY if family == "sygedagpenge"
              else ExemptionReason.MINDRE_INTENSIV_INDSATS)
    start = timeline.events[0].on
    cover = Exemption(start - timedelta(days=60), reason, as_of + timedelta(days=3000))
    events = [e for e in timeline.events if not isinstance(e, Exemption)] + [cover]
    evaluation = evaluate(Timeline.of(timeline.person, events), as_of=as_of)
    # An exemption does not lengthen an offer (no text says so; research issue16-offers.md
    # § 4.2): the longest length of an offer may still be overrun.
    overdue = [o.rule.id for o in evaluation.obligations if o.status is Status.OVERDUE
               and o.rule.shape is not Shape.OFFER_LIMIT]
    assert not overdue
