"""The pure evaluator: ``evaluate(timeline, as_of=..., law=..., policies=...)``.

No I/O, no clock, no global state: the result depends only on the arguments (the bundled
rule pack is read once and is immutable). Events after ``as_of`` are ignored, so an earlier
``as_of`` sees a prefix of the later history.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any

from lab_rules.contact.coverage import not_covered
from lab_rules.contact.obligations import build_obligations
from lab_rules.contact.quotas import quota_rows
from lab_rules.contact.results import Note, Obligation, Period, period
from lab_rules.contact.rule_span import Candidate, Incident, RuleSpan, incidents_of
from lab_rules.core.messages import Message
from lab_rules.core.slots import new_tuple
from lab_rules.core.vocabulary import ConversationKind, OfferKind
from lab_rules.entitlements.hours_rule import hours_rule_status
from lab_rules.evaluation.anchors import anchor_of, holds
from lab_rules.evaluation.offers import OfferContext
from lab_rules.evaluation.result import Evaluation, evaluation
from lab_rules.evaluation.versions import rules_for
from lab_rules.facts.clocks import Course, CourseClock, GroupSpan
from lab_rules.facts.facts import facts_of
from lab_rules.inputs.timeline import (
    CaseStepDone,
    ConversationHeld,
    DatedEvent,
    Exemption,
    NoShow,
    OfferStarted,
    Timeline,
)
from lab_rules.law.bundle import Law, bundled_law
from lab_rules.law.model import (
    Anchor,
    FulfilledBy,
    Fulfilment,
    IntervalFrom,
    Rule,
    RulePack,
    Shape,
)
from lab_rules.law.policies import NoShowPolicy, Policies, VersionSelector, no_show_items
from lab_rules.refund.cofinancing import CofinancingWeek, compute_cofinancing
from lab_rules.refund.losses import RefundLoss, compute_losses
from lab_rules.refund.months import MonthTotal
from lab_rules.refund.rates_before_2016 import RatePeriod, compute_rate_periods
from lab_rules.refund.staircase import compute_refund
from lab_rules.sanctions.compute import compute_sanctions

__all__ = ["evaluate"]


_ACTIVATION_OFFERS = frozenset(OfferKind) - {OfferKind.LAERINGSFORLOEB}
"""Offers that meet ret og pligt when a rule names none: not the § 93 courses (§ 102 stk. 5)."""

# Enum members the per-rule loop compares with, bound once: on Python 3.11 reading a member off
# its class (``Shape.OFFER_LIMIT``) goes through ``EnumType.__getattr__``'s lookup hook and
# costs about as much as a short function call, a hundred times per person.
_OFFER_LIMIT = Shape.OFFER_LIMIT
_OFFER_ENDED = Anchor.OFFER_ENDED
_FIRST_FOLLOWUP = Anchor.FIRST_FOLLOWUP
_COURSE_START = VersionSelector.COURSE_START
_FULFILMENT_END = IntervalFrom.FULFILMENT_END
_TIMELY_SUMMONS_COUNTS = NoShowPolicy.TIMELY_SUMMONS_COUNTS
_CONVERSATION_HELD = FulfilledBy.CONVERSATION_HELD
_OFFER_STARTED = FulfilledBy.OFFER_STARTED
_QUIET_ANCHORS = (Anchor.FIRST_FOLLOWUP, Anchor.FOLLOWUP_REQUESTED,
                  Anchor.SICKNESS_KNOWN, Anchor.OFFER_ENDED)
"""Anchors a timeline may lack without a note: the event has simply not happened yet."""
_ORDER = attrgetter("due", "opens", "rule.id", "sequence")
"""The order of the obligations: by due date, then opening, rule and sequence."""


def evaluate(
    timeline: Timeline,
    *,
    as_of: date,
    law: Law | None = None,
    policies: Policies | Mapping[str, str] | Iterable[str] | None = None,
    refund: bool = True,
    sanctions: bool = True,
    rules: RulePack | None = None,
    hours_rule: bool | None = None,
) -> Evaluation:
    """Evaluate all of *law* (default: the bundled national law) over *timeline* as known on
    *as_of*.

    With ``refund`` (default) the refund ledgers, losses and co-financing are included; with
    ``sanctions`` the sanctions and the 225-hour rule, which ``hours_rule`` may include or
    leave out on its own (the batch, which has no column for it, leaves it out). Policies set
    by the law's overlays apply unless *policies* names them too; a :class:`Policies` object
    is taken as it is.
    ``rules=`` (a contact-course pack alone) is deprecated: pass ``law=`` (for a pack,
    ``bundled_law().with_rules(pack)``)."""
    if rules is not None:
        warnings.warn("evaluate(rules=...) is deprecated and goes in the next release; pass "
                      "law=bundled_law().with_rules(pack)", DeprecationWarning, stacklevel=2)
        law = (law or bundled_law()).with_rules(rules)
    law = law if law is not None else bundled_law()
    pack = law.rules
    if policies is None:
        policy, policy_items = _overlay_policies(pack.policies)
    elif isinstance(policies, Policies):
        policy, policy_items = policies, _policy_items(policies)
    else:
        policy, policy_items = _chosen_policies(policies, pack.policies)
    facts = facts_of(timeline, as_of, law, paid=refund)
    known = facts.timeline
    courses = facts.courses
    incidents = incidents_of(known)
    index = _Index(known, incidents, policy, pack.fulfilment_of)
    offers = OfferContext(known, pack)
    obligations: list[Obligation] = []
    notes: dict[tuple[str, str | None], Note] = {
        (str(text), None): Note("exemption_not_covered", text) for text in facts.notes}
    exemptions = facts.contact_exemptions
    periods: list[Period] = []
    for course in courses:
        groups = course.groups
        # One group: every rule's one span is the group's (rules_for chose the rules by it).
        single = [(groups[0].start, groups[0].end, groups[0])] if len(groups) == 1 else None
        for gs in groups:
            periods.append(period(gs.group, course.benefit.value if course.benefit else None,
                                  gs.start, gs.end, course.start, gs.assumed))
            if gs.assumed:
                benefit: str | Message = (course.benefit.value if course.benefit
                                          else Message("evaluation.note.the_period"))
                note = Note("assumed_group", Message(
                    "evaluation.note.assumed_group", benefit=benefit, start=gs.start,
                    group=gs.group.value))
                notes[(note.text, None)] = note
            rows, gap_notes = not_covered(law.coverage, gs, course.start, as_of)
            obligations.extend(rows)
            notes.update(((n.text, n.rule_id), n) for n in gap_notes)
        for rule in rules_for(pack, course, as_of, policy):
            limits = rule.shape is _OFFER_LIMIT
            if limits and not offers.runs:
                continue  # a length rule limits offers: without one it has no obligation
            for start, end, group in (single if single is not None else _spans(course, rule)):
                if limits:
                    obligations.extend(offers.limit_obligations(
                        rule, course, start, end, group, as_of, policy, exemptions, notes))
                    continue
                rs = _rule_span(rule, course, start, end, group, index, as_of, policy,
                                exemptions, notes, offers)
                if rs is not None:
                    obligations.extend(build_obligations(rs))
    obligations.sort(key=_ORDER)
    ledger = None
    losses: tuple[RefundLoss, ...] = ()
    loss_months: tuple[MonthTotal, ...] = ()
    periods_ab: tuple[RatePeriod, ...] = ()
    period_months: tuple[MonthTotal, ...] = ()
    cofinancing: tuple[CofinancingWeek, ...] = ()
    cofinancing_months: tuple[MonthTotal, ...] = ()
    if refund:
        ledger = compute_refund(facts, law.staircase, policy)
        losses, loss_months = compute_losses(facts, obligations, law.losses, policy)
        periods_ab, period_months = compute_rate_periods(facts, law.losses)
        cofinancing, cofinancing_months = compute_cofinancing(facts, obligations,
                                                              law.cofinancing)
    found_sanctions = (compute_sanctions(facts, law, policy,
                                         dict(pack.withdrawn_sanctions))
                       if sanctions else ())
    hours = (hours_rule_status(facts, law.hours_eras, law.hours_levels)
             if (sanctions if hours_rule is None else hours_rule) else None)
    return evaluation(
        timeline.person.id, as_of, pack.name, policy_items, tuple(periods), tuple(obligations),
        tuple(notes.values()), ledger, losses, loss_months, periods_ab, period_months,
        cofinancing, cofinancing_months, found_sanctions, hours,
        quota_rows(facts, periods, law.quotas), law.content_hash, law.overlays)


@lru_cache(maxsize=64)
def _overlay_policies(defaults: tuple[tuple[str, str], ...]
                      ) -> tuple[Policies, tuple[tuple[str, str], ...]]:
    """The policies a rule pack's overlays set and their sorted items (worked out once per
    pack: they are immutable)."""
    policy = Policies.parse(None, defaults)
    return policy, _policy_items(policy)


def _chosen_policies(policies: Mapping[str, str] | Iterable[str],
                     defaults: tuple[tuple[str, str], ...]
                     ) -> tuple[Policies, tuple[tuple[str, str], ...]]:
    """The policies a caller names on top of *defaults*, and their sorted items. A batch
    passes the same mapping for every person: it is parsed once per distinct mapping, not
    per person (a mapping that cannot be a key, or a list of assignments, each time)."""
    if isinstance(policies, Mapping):
        try:
            return _mapped_policies(tuple(policies.items()), defaults)
        except TypeError:
            pass
    policy = Policies.parse(policies, defaults)
    return policy, _policy_items(policy)


@lru_cache(maxsize=64)
def _mapped_policies(items: tuple[tuple[str, str], ...], defaults: tuple[tuple[str, str], ...]
                     ) -> tuple[Policies, tuple[tuple[str, str], ...]]:
    policy = Policies.parse(dict(items), defaults)
    return policy, _policy_items(policy)


def _policy_items(policy: Policies) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(policy.as_dict().items()))


def _spans(course: Course, rule: Rule) -> list[tuple[date, date | None, GroupSpan]]:
    """Stretches of the course in the rule's groups, adjacent parts merged."""
    if len(course.groups) == 1:  # the rule was chosen by this group (rules_for)
        gs = course.groups[0]
        return [(gs.start, gs.end, gs)]
    spans: list[tuple[date, date | None, GroupSpan]] = []
    for gs in course.groups:
        if gs.group not in rule.groups:
            continue
        if spans and spans[-1][1] is not None and spans[-1][1] + timedelta(days=1) == gs.start:
            first = spans[-1]
            spans[-1] = (first[0], gs.end, first[2])
        else:
            spans.append((gs.start, gs.end, gs))
    return spans


def _rule_span(rule: Rule, course: Course, start: date, end: date | None, gs: GroupSpan,
               index: _Index, as_of: date, policy: Policies,
               exemptions: tuple[Exemption, ...],
               notes: dict[tuple[str, str | None], Note], offers: OfferContext
               ) -> RuleSpan | None:
    anchor_kind = rule.anchor
    if rule.valid_from > as_of or (anchor_kind is _OFFER_ENDED and not offers.runs):
        return None
    selector = policy.version_selector or rule.selector
    if selector is _COURSE_START and not rule.valid_on(course.start):
        return None
    when, unless = rule.when, rule.unless
    if not when.empty or (unless is not None and not unless.empty):
        person = index.timeline.person
        for conditions, wanted in ((when, True), (unless, False)):
            if conditions is None or conditions.empty:
                continue
            verdict = holds(conditions, person, course, start)
            if verdict is None:
                note = Note("undetermined", Message("evaluation.note.undetermined",
                                                    rule=rule.id, start=start), rule.id)
                notes[(note.text, rule.id)] = note
                return None
            if verdict is not wanted:
                return None
    clock = index.clock(course, rule)
    window_end = end if end is not None else as_of
    window_start = start
    if start == course.start:
        for day in (course.first_contact, course.registered):
            if day is not None and day < window_start:
                window_start = day
    candidates: tuple[Candidate, ...] = ()
    early = anchor_kind is _FIRST_FOLLOWUP or anchor_kind is _OFFER_ENDED
    if early:
        candidates = index.candidates(rule, window_start, window_end, policy)
    anchor, anchor_text = (offers.first_end(candidates, start)
                           if anchor_kind is _OFFER_ENDED else
                           anchor_of(rule, anchor_kind, course, start, clock, candidates, as_of))
    if anchor is None:
        if anchor_kind not in _QUIET_ANCHORS:
            note = Note("missing_anchor", Message("evaluation.note.missing_anchor",
                                                  rule=rule.id, start=start, why=anchor_text),
                        rule.id)
            notes[(note.text, rule.id)] = note
        return None
    if rule.valid_to is not None and rule.valid_to < anchor:
        return None  # every obligation opens on or after the anchor: none can be in force
    if not early:
        candidates = index.candidates(rule, window_start, window_end, policy)
    if rule.opens_anchor is not None:
        opens_at, opens_text = anchor_of(rule, rule.opens_anchor, course, start, clock,
                                       candidates, as_of)
        if opens_at is None:
            note = Note("missing_anchor", Message("evaluation.note.missing_anchor",
                                                  rule=rule.id, start=start, why=opens_text),
                        rule.id)
            notes[(note.text, rule.id)] = note
            return None
        anchor_text = Message("contact.anchor.window_opens", anchor=anchor_text,
                              opens=opens_text)
    else:
        opens_at = None
    relevant = tuple(i for i in index.incidents if index.incident_for(rule, i)
                     and start <= i.no_show and (end is None or i.no_show <= end)
                     ) if index.incidents else ()
    from_end = rule.interval_from is _FULFILMENT_END
    return RuleSpan(rule, course, gs.group, start, end, anchor, anchor_text, as_of, policy,
                    candidates, exemptions, relevant, clock, opens_at, index.policy_items,
                    selector, offers.runs if from_end else (),
                    floor=(None if rule.floor is None else
                           offers.floor(rule, course, start, clock, candidates, as_of)))


class _Index:
    """Per-evaluation lookups: the events that can fulfil each kind of rule, by date."""

    def __init__(self, timeline: Timeline, incidents: tuple[Incident, ...],
                 policy: Policies, shared: Mapping[int, Fulfilment]) -> None:
        self.timeline = timeline
        self._shared = shared
        self.incidents = incidents
        self.policy_items = no_show_items(policy.no_show)
        self._no_show_kinds: dict[date, set[ConversationKind]] = {}
        for no_show in timeline.of_type(NoShow):
            self._no_show_kinds.setdefault(no_show.date, set()).add(no_show.kind)
        self._by_spec: dict[int, tuple[list[date], tuple[Candidate, ...]]] = {}
        self._clocks: dict[tuple[int, int, tuple[tuple[date, date], ...]], CourseClock] = {}

    def clock(self, course: Course, rule: Rule) -> CourseClock:
        key = (id(course), id(rule.clock), rule.excluded_periods)
        clock = self._clocks.get(key)
        if clock is None:
            clock = self._clocks[key] = CourseClock(course, rule.clock, rule.excluded_periods)
        return clock

    def incident_for(self, rule: Rule, incident: Incident) -> bool:
        if rule.fulfilled_by.event is not _CONVERSATION_HELD:
            return False
        return bool(self._no_show_kinds.get(incident.no_show, set()) & rule.fulfilled_by.kinds)

    def _all(self, spec: Fulfilment) -> tuple[list[date], tuple[Candidate, ...]]:
        spec = self._shared.get(id(spec), spec)
        found = self._by_spec.get(id(spec))  # the law's specs outlive the evaluation
        if found is None:
            chosen = _fulfilling(spec, self.timeline.of_type(_EVENT_TYPES[spec.event]))
            found = ([event.date for event in chosen],
                     tuple([new_tuple(Candidate, (event.date, event, None))
                          for event in chosen]))
            self._by_spec[id(spec)] = found
        return found

    def candidates(self, rule: Rule, start: date, end: date,
                   policy: Policies) -> tuple[Candidate, ...]:
        days, candidates = self._all(rule.fulfilled_by)
        chosen = candidates[bisect_left(days, start):bisect_right(days, end)]
        if policy.no_show is _TIMELY_SUMMONS_COUNTS:
            extra = [Candidate(i.no_show, summons=Message("contact.fulfilled.summons",
                                                          sent=i.summons_sent, day=i.no_show))
                     for i in self.incidents
                     if start <= i.no_show <= end and self.incident_for(rule, i)]
            if extra:
                chosen = tuple(sorted((*chosen, *extra), key=lambda c: (c.day, c.by_summons)))
        return chosen


_EVENT_TYPES: dict[FulfilledBy, type[DatedEvent]] = {
    FulfilledBy.CONVERSATION_HELD: ConversationHeld,
    FulfilledBy.OFFER_STARTED: OfferStarted,
    FulfilledBy.CASE_STEP: CaseStepDone,
}


def _fulfilling(spec: Fulfilment, events: tuple[Any, ...]) -> list[Any]:
    """The events of *spec*'s event type (exactly that class) that meet it, in timeline
    order."""
    if spec.event is _CONVERSATION_HELD:
        kinds, held_by, forms = spec.kinds, spec.held_by, spec.forms
        if spec.form_exceptions:
            return [e for e in events if e.kind in kinds
                    and (not held_by or e.held_by in held_by)
                    and spec.form_counts(e.form, e.form_exception)]
        return [e for e in events if e.kind in kinds
                and (not held_by or e.held_by in held_by)
                and (not forms or e.form in forms)]
    if spec.event is _OFFER_STARTED:
        allowed = spec.offers or _ACTIVATION_OFFERS
        return [e for e in events if e.offer in allowed]
    steps = spec.steps
    return [e for e in events if not steps or e.step in steps]
