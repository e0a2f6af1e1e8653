"""The facts stage: what every computation needs from one person's timeline, derived once.

:func:`facts_of` cuts the timeline at ``as_of`` and derives the courses with their target-group
spans, the paid intervals of every benefit and the exemptions that hold in law. The contact
course, refund, sanctions and the 225-hour rule read these instead of deriving them again, so
two computations can never disagree about when a person was on a benefit.
"""

from __future__ import annotations

from datetime import date

import attrs

from lab_rules.core.messages import Message
from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.clocks import Course, build_courses
from lab_rules.facts.exemptions import lawful_exemptions
from lab_rules.facts.failures import Failure, failures_of
from lab_rules.facts.paid import Interval, paid_intervals
from lab_rules.inputs.timeline import Exemption, Timeline
from lab_rules.law.bundle import Law, bundled_law

_ALL_BENEFITS = frozenset(Benefit)


@attrs.frozen
class Facts:
    """One person's facts as known on ``as_of`` (events after it are not in ``timeline``)."""

    timeline: Timeline
    as_of: date
    courses: tuple[Course, ...]
    paid: tuple[Interval, ...] | None
    """Paid days of every benefit, in the order :func:`paid_intervals` gives them; None when
    the caller asked for no money figures (``facts_of(..., paid=False)``)."""
    exemptions: tuple[Exemption, ...]
    """The exemptions as recorded; the contact course checks LAB § 106's conditions."""
    failures: tuple[Failure, ...] = ()
    """The failures the sanction rules judge (:func:`~lab_rules.facts.failures.failures_of`)."""
    contact_exemptions: tuple[Exemption, ...] = ()
    """The exemptions that hold for the contact course (:mod:`lab_rules.facts.exemptions`)."""
    notes: tuple[Message, ...] = ()
    """What the facts stage set aside, and why (an exemption whose start is too late), as
    sentences read in the output's language."""
    _paid_by: dict[frozenset[Benefit], list[Interval]] = attrs.field(
        init=False, factory=dict, eq=False, repr=False)
    """The answers of :meth:`paid_of` so far: each money stage asks for the same sets."""
    _paid_whole: tuple[frozenset[Benefit], list[Interval]] | None = attrs.field(
        init=False, default=None, eq=False, repr=False)
    """The benefits of ``paid`` and all of it as a list, found at the first :meth:`paid_of`:
    a person is mostly on one benefit, which every money stage's set names or leaves out."""

    def paid_of(self, benefits: frozenset[Benefit]) -> list[Interval]:
        """The paid intervals of *benefits* (never silently empty: facts derived without
        them raise). The list is shared between callers: read it, do not change it."""
        found = self._paid_by.get(benefits)
        if found is None:
            if self.paid is None:
                raise ValueError("these facts were derived without paid intervals "
                                 "(paid=False)")
            whole = self._paid_whole
            if whole is None:
                whole = (frozenset([i.benefit for i in self.paid]), list(self.paid))
                object.__setattr__(self, "_paid_whole", whole)
            present, every = whole
            if present <= benefits:
                found = every
            elif present.isdisjoint(benefits):
                found = []
            else:
                found = [i for i in self.paid if i.benefit in benefits]
            self._paid_by[benefits] = found
        return found


def facts_of(timeline: Timeline, as_of: date, law: Law | None = None, *,
             paid: bool = True) -> Facts:
    """Derive the facts of *timeline* up to and including *as_of* under *law* (default: the
    bundled national law); with ``paid=False`` (deadlines only) the paid intervals, which
    only the money computations read, are not derived."""
    known = timeline.until(as_of)
    recorded = known.of_type(Exemption)
    law = law if law is not None else bundled_law()
    lawful, notes = lawful_exemptions(recorded, law.exemption_rules)
    return Facts(known, as_of, build_courses(known, law.clock_hours),
                 tuple(paid_intervals(known, as_of, _ALL_BENEFITS)) if paid else None,
                 recorded, failures_of(known), lawful, notes)
