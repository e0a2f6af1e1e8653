"""Offer rules in an evaluation: which offers a length rule limits, and where repeat offers
start counting.

An ``offer_limit`` rule limits an offer of its kinds that starts inside the rule's span of the
target group, when its conditions hold on the offer's first day (age and the person's facts
then, the employer's sector from the offer). A condition whose fact is unknown gives a note,
never a guess. Where the rule ``yields_to`` an exception (a longer limit of the same module,
"dog 8 uger for ..."), the exception takes its place for the offers it applies to; when the
exception's fact is unknown, the rule applies and its obligation says so (the stricter limit,
assumed). Repeat offers count from the end of the first offer of the span (the
``offer_ended`` anchor), not before the rule's ``floor``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from lab_rules.contact.offers import offer_limit_obligations
from lab_rules.contact.results import Listed, Note, Obligation
from lab_rules.contact.rule_span import Candidate, RuleSpan
from lab_rules.core.messages import Message
from lab_rules.evaluation.anchors import anchor_of, holds
from lab_rules.facts.clocks import Course, CourseClock, GroupSpan, Point
from lab_rules.facts.offers import OfferRun, offer_runs
from lab_rules.facts.points import Describable
from lab_rules.inputs.timeline import Exemption, Person, Timeline
from lab_rules.law.model import Conditions, Rule, RulePack
from lab_rules.law.policies import Policies, VersionSelector, no_show_items

__all__ = ["OfferContext"]

_FACTS = ("birth_date", "education", "custody", "hard_to_place", "dimittend")

# Enum members read per person, bound once: on Python 3.11 reading a member off its class
# goes through ``EnumType.__getattr__``'s lookup hook, as dear as a short function call.
_COURSE_START, _OPENS = VersionSelector.COURSE_START, VersionSelector.OPENS


def _missing(conditions: Sequence[Conditions | None], person: Person, run: OfferRun
             ) -> Listed:
    """The unknown facts *conditions* depend on, by name."""
    wanted: list[str | Message] = []
    for found in conditions:
        if found is None or found.empty:
            continue
        if (found.age_min is not None or found.age_max is not None) and person.birth_date is None:
            wanted.append("birth_date")
        wanted += [name for name in _FACTS[1:]
                   if getattr(found, name) is not None and getattr(person, name) is None]
        if found.employer_sector is not None and run.started.employer_sector is None:
            wanted.append(Message("evaluation.note.employer_sector"))
    return Listed(tuple(dict.fromkeys(wanted)) or (Message("evaluation.note.missing_fact"),))


class OfferContext:
    """One evaluation's offers (worked out when a rule first asks) and the rule versions an
    offer rule yields to."""

    __slots__ = ("_pack", "_runs", "_timeline")

    def __init__(self, timeline: Timeline, pack: RulePack) -> None:
        self._timeline = timeline
        self._pack = pack
        self._runs: tuple[OfferRun, ...] | None = None

    @property
    def runs(self) -> tuple[OfferRun, ...]:
        runs = self._runs
        if runs is None:
            runs = self._runs = offer_runs(self._timeline)
        return runs

    def _exceptions(self, rule: Rule) -> tuple[Rule, ...]:
        versions = self._pack.by_id
        return tuple(v for name in rule.yields_to for v in versions.get(name, ()))

    def _applies(self, rule: Rule, run: OfferRun, course: Course) -> bool | None:
        person = self._timeline.person
        verdict: bool | None = True
        for conditions, wanted in ((rule.when, True), (rule.unless, False)):
            if conditions is None or conditions.empty:
                continue
            found = holds(conditions, person, course, run.start, run.started)
            if found is None:
                verdict = None
            elif found is not wanted:
                return False
        return verdict

    def _limited(self, rule: Rule, run: OfferRun, gs: GroupSpan, course: Course,
                 notes: dict[tuple[str, str | None], Note]) -> tuple[bool, Listed | None]:
        """Whether *rule* limits *run*, and what was assumed to apply it."""
        verdict = self._applies(rule, run, course)
        person = self._timeline.person
        if verdict is None:
            note = Note("undetermined", Message(
                "evaluation.note.offer_undetermined", rule=rule.id, offer=run,
                missing=_missing((rule.when, rule.unless), person, run)), rule.id)
            notes[(note.text, rule.id)] = note
        if not verdict:
            return False, None
        assumed: list[str | Message] = []
        for exception in self._exceptions(rule):
            if (gs.group not in exception.groups or run.kind not in exception.offers
                    or not exception.valid_on(run.start)):
                continue
            found = self._applies(exception, run, course)
            if found:
                return False, None
            if found is None:
                missing = _missing((exception.when, exception.unless), person, run)
                assumed.append(Message("contact.offer.assumed", rule=exception.id,
                                       cite=exception.legal_basis.cite(), missing=missing))
        return True, Listed(tuple(assumed), "; ") if assumed else None

    def limit_obligations(self, rule: Rule, course: Course, start: date, end: date | None,
                          gs: GroupSpan, as_of: date, policy: Policies,
                          exemptions: tuple[Exemption, ...],
                          notes: dict[tuple[str, str | None], Note]) -> list[Obligation]:
        """The obligations of an ``offer_limit`` rule on one span of its groups."""
        runs = self.runs
        if not runs:
            return []
        selector = policy.version_selector or rule.selector
        if selector is _COURSE_START and not rule.valid_on(course.start):
            return []
        horizon = as_of if end is None else min(as_of, end)
        limited: list[tuple[OfferRun, Describable | None]] = []
        for run in runs:
            if (run.kind not in rule.offers or not start <= run.start <= horizon
                    or (selector is _OPENS and not rule.valid_on(run.start))):
                continue
            applies, assumed = self._limited(rule, run, gs, course, notes)
            if applies:
                limited.append((run, assumed))
        if not limited:
            return []
        clock = CourseClock(course, rule.clock, rule.excluded_periods)
        rs = RuleSpan(rule, course, gs.group, start, end, start,
                      Message("contact.anchor.offers_from", day=start), as_of, policy, (),
                      exemptions, (), clock,
                      policy_items=no_show_items(policy.no_show), selector=selector,
                      limited=tuple(limited))
        return offer_limit_obligations(rs)

    def first_end(self, candidates: Sequence[Candidate], start: date
                  ) -> tuple[date | None, Message]:
        """The last day of the first offer of the span (among *candidates*, the rule's
        offers), the anchor of repeat offers; None while it runs."""
        first = next((c for c in candidates if c.day >= start and c.event is not None), None)
        if first is None:
            return None, Message("contact.anchor.no_offer")
        run = next((r for r in self.runs if r.started is first.event), None)
        if run is None or run.end is None:
            return None, Message("contact.anchor.first_offer_running", day=first.day)
        return run.end, Message("contact.anchor.first_offer_end", offer=run, day=run.end)

    def floor(self, rule: Rule, course: Course, start: date, clock: CourseClock,
              candidates: Sequence[Candidate], as_of: date) -> Point | None:
        """The earliest due date of the first repeat offer (the rule's ``floor``), if any."""
        if rule.floor is None:
            return None
        anchor, text = anchor_of(rule, rule.floor.anchor, course, start, clock, candidates, as_of)
        if anchor is None:
            return None
        point = clock.point(anchor, rule.floor.duration, rule.reading, rule.rounding, rule.roll)
        if point.day is None:
            return None
        return Point(point.day, Message("contact.anchor.floor", day=point.day,
                                        span=rule.floor.duration, anchor=text,
                                        how=point.detail))
