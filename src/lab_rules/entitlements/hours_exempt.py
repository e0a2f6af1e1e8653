"""The exemptions that take a person outside the hours rule (LAS § 13 f, stk. 9): which months
they leave untested under each era's ``[[era.exempt]]`` entries (and its ``partial_month``
policy), and where the counts start afresh after an exemption of the era's ``restart_after``
(stk. 9, 2. pkt.)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import attrs

from lab_rules.calendar import Duration, Rounding, add, merge_periods
from lab_rules.core.messages import Message
from lab_rules.entitlements.hours_window import month_end
from lab_rules.inputs.timeline import Exemption
from lab_rules.law.hours import HoursEra, HoursExempt, PartialMonth

__all__ = ["ExemptSpan", "Outside", "Restart"]


@attrs.frozen
class ExemptSpan:
    """A recorded exemption that takes the person outside the requirement, with the era's
    entry for its reason."""

    rule: HoursExempt
    start: date
    end: date | None

    def period(self) -> Message:
        if self.end is None:
            return Message("entitlements.hours.period_open", start=self.start)
        return Message("entitlements.hours.period", start=self.start, end=self.end)


@attrs.frozen
class Outside:
    """The recorded exemptions that take the person outside the requirement, per era."""

    spans: tuple[tuple[HoursEra, ExemptSpan], ...]

    @classmethod
    def of(cls, eras: tuple[HoursEra, ...], exemptions: Sequence[Exemption], as_of: date
           ) -> Outside:
        if not exemptions or not any(era.exempt for era in eras):
            return cls(())
        found = []
        for era in eras:
            rules = {rule.reason: rule for rule in era.exempt}
            for exemption in exemptions:
                rule = rules.get(exemption.reason)
                if rule is not None and exemption.start <= as_of:
                    found.append((era, ExemptSpan(rule, exemption.start, exemption.end)))
        return cls(tuple(found))

    def on_month(self, era: HoursEra, month: date) -> ExemptSpan | None:
        """The exemption under *era* that leaves *month* untested, if any."""
        end = month_end(month)
        for owner, span in self.spans:
            if owner is not era:
                continue
            last = span.end or date.max
            if span.rule.partial_month is PartialMonth.NOT_TESTED:
                if span.start <= end and last >= month:
                    return span
            elif span.start <= month and last >= end:
                return span
        return None

    def restart(self, as_of: date) -> Restart | None:
        """The restart after the last ended exemption that lasted its era's
        ``restart_after`` (stk. 9, 2. pkt.), under the era in force on its last day;
        adjoining exemptions count as one."""
        found: Restart | None = None
        merged = merge_periods([(s.start, s.end) for _, s in self.spans
                                if s.end is not None and s.end < as_of])
        for start, end in merged:
            for era, span in self.spans:
                after, basis = span.rule.restart_after, span.rule.restart_basis
                if (after is None or basis is None or span.end is None
                        or not start <= span.end <= end
                        or not era.valid_from <= end <= (era.valid_to or date.max)):
                    continue
                day = end + timedelta(days=1)
                if add(start, after, Rounding.UP) <= day and (found is None or day > found.day):
                    found = Restart(day, start, end, after, basis)
        return found


@attrs.frozen
class Restart:
    """The counts start afresh on ``day`` after the exemption ``start``..``end``."""

    day: date
    start: date
    end: date
    after: Duration
    basis: str
