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
from lab_rules.contact.results import Note, Obligation, Words
from lab_rules.contact.rule_span import Candidate, RuleSpan
from lab_rules.evaluation.anchors import anchor_of, holds
from lab_rules.facts.clocks import Course, CourseClock, GroupSpan, Point
from lab_rules.facts.offers import OfferRun, offer_runs
from lab_rules.inputs.timeline import Exemption, Person, Timeline
from lab_rules.law.model import Conditions, Rule, RulePack
from lab_rules.law.policies import Policies, VersionSelector

__all__ = ["OfferContext"]

_FACTS = ("birth_date", "education", "custody", "hard_to_place", "dimittend")


def _missing(conditions: Sequence[Conditions | None], person: Person, run: OfferRun) -> str:
    """The unknown facts *conditions* depend on, by name."""
    wanted: list[str] = []
    for found in conditions:
        if found is None or found.empty:
            continue
        if (found.age_min is not None or found.age_max is not None) and person.birth_date is None:
            wanted.append("birth_date")
        wanted += [name for name in _FACTS[1:]
                   if getattr(found, name) is not None and getattr(person, name) is None]
        if found.employer_sector is not None and run.started.employer_sector is None:
            wanted.append("the offer's employer_sector")
    return ", ".join(dict.fromkeys(wanted)) or "a fact it depends on"


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
                 notes: dict[tuple[str, str | None], Note]) -> tuple[bool, str | None]:
        """Whether *rule* limits *run*, and what was assumed to apply it."""
        verdict = self._applies(rule, run, course)
        person = self._timeline.person
        if verdict is None:
            text = (f"cannot decide whether {rule.id} limits the offer {run.describe()}: the "
                    f"timeline lacks {_missing((rule.when, rule.unless), person, run)}")
            notes[(text, rule.id)] = Note("undetermined", text, rule.id)
        if not verdict:
            return False, None
        assumed = []
        for exception in self._exceptions(rule):
            if (gs.group not in exception.groups or run.kind not in exception.offers
                    or not exception.valid_on(run.start)):
                continue
            found = self._applies(exception, run, course)
            if found:
                return False, None
            if found is None:
                missing = _missing((exception.when, exception.unless), person, run)
                assumed.append(f"the longer limit {exception.id} ({exception.legal_basis.cite()})"
                               f" may apply instead, but the timeline lacks {missing}: this "
                               "limit is applied")
        return True, "; ".join(assumed) or None

    def limit_obligations(self, rule: Rule, course: Course, start: date, end: date | None,
                          gs: GroupSpan, as_of: date, policy: Policies,
                          exemptions: tuple[Exemption, ...],
                          notes: dict[tuple[str, str | None], Note]) -> list[Obligation]:
        """The obligations of an ``offer_limit`` rule on one span of its groups."""
        if not self.runs:
            return []
        selector = policy.version_selector or rule.selector
        if selector is VersionSelector.COURSE_START and not rule.valid_on(course.start):
            return []
        horizon = as_of if end is None else min(as_of, end)
        limited: list[tuple[OfferRun, str | None]] = []
        for run in self.runs:
            if (run.kind not in rule.offers or not start <= run.start <= horizon
                    or (selector is VersionSelector.OPENS and not rule.valid_on(run.start))):
                continue
            applies, assumed = self._limited(rule, run, gs, course, notes)
            if applies:
                limited.append((run, assumed))
        if not limited:
            return []
        clock = CourseClock(course, rule.clock, rule.excluded_periods)
        rs = RuleSpan(rule, course, gs.group, start, end, start, Words("offers from {}", start),
                      as_of, policy, (), exemptions, (), clock,
                      policy_items=(("no_show", policy.no_show.value),), selector=selector,
                      limited=tuple(limited))
        return offer_limit_obligations(rs)

    def first_end(self, candidates: Sequence[Candidate], start: date
                  ) -> tuple[date | None, str | Words]:
        """The last day of the first offer of the span (among *candidates*, the rule's
        offers), the anchor of repeat offers; None while it runs."""
        first = next((c for c in candidates if c.day >= start and c.event is not None), None)
        if first is None:
            return None, "no offer started yet"
        run = next((r for r in self.runs if r.started is first.event), None)
        if run is None or run.end is None:
            return None, Words("the first offer, started {}, has not ended", first.day)
        return run.end, Words("end of the first offer, {} (ended {})", run.describe(), run.end)

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
        return Point(point.day, Words("not before {}: {} from {} (the rule's floor; {})",
                                      point.day, rule.floor.duration.describe("en"), text,
                                      point.text))
