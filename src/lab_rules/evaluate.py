"""The pure evaluator: ``evaluate(timeline, as_of=..., rules=..., policies=...)``.

No I/O, no clock, no global state: the result depends only on the arguments (the bundled
rule pack is read once and is immutable). Events after ``as_of`` are ignored, so an earlier
``as_of`` sees a prefix of the later history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from lab_rules.clocks import Course, CourseClock, GroupSpan, build_courses
from lab_rules.obligations import Candidate, Incident, RuleSpan, build_obligations
from lab_rules.policies import NoShowPolicy, Policies
from lab_rules.results import Evaluation, Note, Obligation, Period
from lab_rules.rules.loader import bundled_pack
from lab_rules.rules.model import Anchor, Conditions, FulfilledBy, Rule, RulePack
from lab_rules.timeline import (
    CaseStepDone,
    ContactRestored,
    ConversationHeld,
    Event,
    Exemption,
    NoShow,
    OfferStarted,
    Person,
    SummonsSent,
    Timeline,
)
from lab_rules.vocabulary import OfferKind

__all__ = ["evaluate"]


_NOT_ACTIVATION = {OfferKind.LAERINGSFORLOEB}
"""LAB § 102 stk. 5: courses the person has a right to under § 93 do not meet ret og pligt."""


def evaluate(
    timeline: Timeline,
    *,
    as_of: date,
    rules: RulePack | None = None,
    policies: Policies | Mapping[str, str] | Iterable[str] | None = None,
) -> Evaluation:
    """Evaluate every rule of *rules* (default: the bundled national pack) over *timeline*."""
    pack = rules if rules is not None else bundled_pack()
    policy = policies if isinstance(policies, Policies) else Policies.parse(policies)
    known = timeline.until(as_of)
    courses = build_courses(known)
    exemptions = known.of_type(Exemption)
    incidents = _incidents(known)
    obligations: list[Obligation] = []
    notes: dict[tuple[str, str | None], Note] = {}
    periods: list[Period] = []
    for course in courses:
        for gs in course.groups:
            periods.append(Period(gs.group, course.benefit.value if course.benefit else None,
                                  gs.start, gs.end, course.start, gs.assumed))
            if gs.assumed:
                benefit = course.benefit.value if course.benefit else "the period"
                note = Note("assumed_group", f"no target group given for {benefit} from "
                            f"{gs.start}; assumed {gs.group.value}")
                notes[(note.text, None)] = note
        for rule in _rules_for(pack, course):
            for start, end, group in _spans(course, rule):
                rs = _rule_span(rule, course, start, end, group, known, as_of, policy,
                                exemptions, incidents, notes)
                if rs is not None:
                    obligations.extend(build_obligations(rs))
    obligations.sort(key=lambda o: (o.due, o.opens, o.rule.id, o.sequence))
    return Evaluation(
        person_id=timeline.person.id, as_of=as_of, rule_pack=pack.name,
        policies=tuple(sorted(policy.as_dict().items())), periods=tuple(periods),
        obligations=tuple(obligations), notes=tuple(notes.values()),
    )


def _rules_for(pack: RulePack, course: Course) -> list[Rule]:
    seen: dict[int, Rule] = {}
    for gs in course.groups:
        for rule in pack.by_group.get(gs.group, ()):
            seen.setdefault(id(rule), rule)
    return sorted(seen.values(), key=lambda r: (r.id, r.valid_from))


def _spans(course: Course, rule: Rule) -> list[tuple[date, date | None, GroupSpan]]:
    """Stretches of the course in the rule's groups, adjacent parts merged."""
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


def _holds(conditions: Conditions, person: Person, course: Course, day: date) -> bool | None:
    """True, False, or None when a fact the condition needs is unknown."""
    checks: list[bool | None] = []
    if conditions.age_min is not None or conditions.age_max is not None:
        age = person.age_on(day)
        checks.append(None if age is None else (
            (conditions.age_min is None or age >= conditions.age_min)
            and (conditions.age_max is None or age <= conditions.age_max)))
    for name in ("education", "custody"):
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
    if any(c is False for c in checks):
        return False
    if any(c is None for c in checks):
        return None
    return True


def _anchor(rule: Rule, anchor: Anchor, course: Course, start: date, clock: CourseClock,
            candidates: Sequence[Candidate], as_of: date) -> tuple[date | None, str]:
    if anchor is Anchor.COURSE_START:
        return course.start, f"course start {course.start}"
    if anchor is Anchor.GROUP_ENTRY:
        return start, f"entry into the target group {start}"
    if anchor is Anchor.FIRST_CONTACT:
        if course.first_contact is not None:
            return course.first_contact, f"første henvendelse {course.first_contact}"
        if course.follows_other_course:
            return course.start, (f"new period at the benefit change {course.start} "
                                  "(LAB § 9 stk. 2 nr. 2)")
        return course.start, (f"no first_contact event before the benefit started; the benefit "
                              f"start {course.start} is used")
    if anchor is Anchor.REGISTERED:
        if course.registered is None:
            return None, "no registered event for this course"
        return course.registered, f"tilmelding som jobsøgende {course.registered}"
    if anchor is Anchor.FIRST_ABSENCE_DAY:
        if course.sickness is not None:
            day = course.sickness.first_absence_day
            return day, f"første fraværsdag {day}"
        return course.start, f"no sickness_reported event; sygedagpenge start {course.start} used"
    if anchor is Anchor.TRANSFER_TO_JOBCENTER:
        if course.transfer is not None:
            return course.transfer, f"transferred to the jobcentre {course.transfer} (event)"
        point = clock.transfer_day(course.start, as_of)
        return point.day, point.text
    first = next((c.day for c in candidates if c.day >= start and not c.by_summons), None)
    return first, (f"first qualifying follow-up {first}" if first else "no follow-up held yet")


def _rule_span(rule: Rule, course: Course, start: date, end: date | None, gs: GroupSpan,
               timeline: Timeline, as_of: date, policy: Policies,
               exemptions: tuple[Exemption, ...], incidents: Sequence[Incident],
               notes: dict[tuple[str, str | None], Note]) -> RuleSpan | None:
    if rule.valid_from > as_of:
        return None
    person = timeline.person
    for conditions, wanted in ((rule.when, True), (rule.unless, False)):
        if conditions is None or conditions.empty:
            continue
        holds = _holds(conditions, person, course, start)
        if holds is None:
            text = (f"cannot decide whether {rule.id} applies from {start}: the timeline lacks a "
                    "fact it depends on (birth_date, education, custody or sickness category)")
            notes[(text, rule.id)] = Note("undetermined", text, rule.id)
            return None
        if holds is not wanted:
            return None
    clock = CourseClock(course, rule.clock, rule.excluded_periods)
    window_end = end if end is not None else as_of
    window_start = start
    if start == course.start:
        window_start = min(d for d in (start, course.first_contact, course.registered) if d)
    candidates = _candidates(rule, timeline, window_start, window_end, incidents, policy)
    anchor, anchor_text = _anchor(rule, rule.anchor, course, start, clock, candidates, as_of)
    if anchor is None:
        if rule.anchor is not Anchor.FIRST_FOLLOWUP:
            text = f"{rule.id} from {start}: {anchor_text}; the rule could not be evaluated"
            notes[(text, rule.id)] = Note("missing_anchor", text, rule.id)
        return None
    if rule.opens_anchor is not None:
        opens_at, opens_text = _anchor(rule, rule.opens_anchor, course, start, clock,
                                       candidates, as_of)
        if opens_at is None:
            text = f"{rule.id} from {start}: {opens_text}; the rule could not be evaluated"
            notes[(text, rule.id)] = Note("missing_anchor", text, rule.id)
            return None
        anchor_text += f"; the window opens at {opens_text}"
    else:
        opens_at = None
    relevant = tuple(i for i in incidents if _incident_for(rule, i, timeline)
                     and start <= i.no_show and (end is None or i.no_show <= end))
    return RuleSpan(rule, course, gs.group, start, end, anchor, anchor_text, as_of, policy,
                    candidates, exemptions, relevant, clock, opens_at)


def _incident_for(rule: Rule, incident: Incident, timeline: Timeline) -> bool:
    if rule.fulfilled_by.event is not FulfilledBy.CONVERSATION_HELD:
        return False
    kinds = {e.kind for e in timeline.of_type(NoShow) if e.date == incident.no_show}
    return bool(kinds & rule.fulfilled_by.kinds)


def _candidates(rule: Rule, timeline: Timeline, start: date, end: date,
                incidents: Sequence[Incident], policy: Policies) -> tuple[Candidate, ...]:
    spec = rule.fulfilled_by
    found: list[Candidate] = []
    for event in timeline.events:
        day = event.on
        if day < start or day > end:
            continue
        candidate = _candidate(spec_event=spec.event, event=event, rule=rule)
        if candidate is not None:
            found.append(candidate)
    if policy.no_show is NoShowPolicy.TIMELY_SUMMONS_COUNTS:
        for incident in incidents:
            if start <= incident.no_show <= end and _incident_for(rule, incident, timeline):
                found.append(Candidate(incident.no_show, (
                    f"summons {incident.summons_sent} for {incident.no_show}, unexcused no-show"),
                    by_summons=True))
    found.sort(key=lambda c: (c.day, c.by_summons, c.label))
    return tuple(found)


def _candidate(spec_event: FulfilledBy, event: Event, rule: Rule) -> Candidate | None:
    spec = rule.fulfilled_by
    if spec_event is FulfilledBy.CONVERSATION_HELD and isinstance(event, ConversationHeld):
        if (event.kind in spec.kinds and (not spec.held_by or event.held_by in spec.held_by)
                and (not spec.forms or event.form in spec.forms)):
            return Candidate(event.date, f"{event.kind.value} ({event.form.value}, "
                             f"{event.held_by.value}) {event.date}")
    elif spec_event is FulfilledBy.OFFER_STARTED and isinstance(event, OfferStarted):
        allowed = spec.offers or (frozenset(OfferKind) - _NOT_ACTIVATION)
        if event.offer in allowed:
            return Candidate(event.date, f"{event.offer.value} started {event.date}",
                             offer=event)
    elif (spec_event is FulfilledBy.CASE_STEP and isinstance(event, CaseStepDone)
          and (not spec.steps or event.step in spec.steps)):
        return Candidate(event.date, f"{event.step.value} {event.date}")
    return None


def _incidents(timeline: Timeline) -> tuple[Incident, ...]:
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
