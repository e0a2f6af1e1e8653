"""Named policies: the explicit choices where the law is ambiguous (``semantics.md`` §5, §8).

Every result records the policies it was computed under, and a what-if can swap them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from lab_rules.core.errors import LabRulesError


class NoShowPolicy(enum.Enum):
    """How an unexcused no-show after a timely summons counts for timeliness (seed 003)."""

    LATE_UNTIL_HELD = "late_until_held"
    """Only a held conversation fulfils; lateness runs to the day it is held."""
    TIMELY_SUMMONS_COUNTS = "timely_summons_counts"
    """A summons for a meeting on or before the due date, followed by an unexcused no-show,
    fulfils the obligation on the meeting day."""
    RESTART_FROM_CONTACT = "restart_from_contact"
    """The no-show suspends the course; the pending obligations are computed anew from the
    day contact is restored (Rødovre's proposal: "genoptages fra henvendelsesdagen")."""


_NO_SHOW_ITEMS = {id(member): (("no_show", member.value),) for member in NoShowPolicy}


def no_show_items(no_show: NoShowPolicy) -> tuple[tuple[str, str], ...]:
    """The no-show policy as an obligation records it: one tuple per policy (enum members live
    as long as the process), so that caches keyed on its identity hit."""
    return _NO_SHOW_ITEMS[id(no_show)]


class VersionSelector(enum.Enum):
    """Which date picks the rule version that governs an obligation (``semantics.md`` §8)."""

    OPENS = "opens"
    """The version in force on the day the obligation's period opens (default)."""
    DUE = "due"
    """The version in force on the due date."""
    COURSE_START = "course_start"
    """The version in force when the benefit course started: old courses keep old law."""


class LossFrom(enum.Enum):
    """The first day of a refund loss for a late step (``semantics.md`` §6)."""

    DUE = "due"
    """The due day itself: "fra den dato, hvor sagsbehandlingsskridtet skulle være foretaget"
    (BEK 1002/2010 § 5), the literal reading (catalogue T-19)."""
    DAY_AFTER_DUE = "day_after_due"
    """The day after the due day: a step "senest" on day X is on time all of day X."""


class ContactDay(enum.Enum):
    """Is the day contact is restored deducted after a no-show (LAS § 37 "indtil")?"""

    EXCLUSIVE = "exclusive"
    """Not deducted: "indtil kontakten er genoprettet" (the catalogue's default)."""
    INCLUSIVE = "inclusive"


class SanctionDays(enum.Enum):
    """Which days a per-day sanction counts."""

    CALENDAR = "calendar"
    """Every day ("pr. dag", 2020 on: the catalogue's default)."""
    WEEKDAYS = "weekdays"
    """Business days only (the 2014-2019 rate was built on a 5-day week)."""


class StaircaseRestart(enum.Enum):
    """When the staircase count starts again (lov 994/2015 § 6, stk. 1: "starter forfra, når
    personen efter den første uge med ydelser på ny har haft sammenlagt 52 hele kalenderuger
    med selvforsørgelse inden for de seneste 3 år"; BEK 1772/2015 § 22, stk. 2)."""

    ON_LAST_WEEK = "on_last_week"
    """As soon as the 52nd self-support week within 3 years is complete (the default)."""
    AT_NEXT_BENEFIT_WEEK = "at_next_benefit_week"
    """At the next benefit week, if 52 self-support weeks lie within the 3 years before it
    (the reading before issue 11)."""


class MonthSplit(enum.Enum):
    """How a week's refund is shared between two months ("deles ... forholdsmæssigt mellem
    månederne", BEK 1772/2015 § 26, stk. 2)."""

    WEEK_DAYS = "week_days"
    """By the number of the week's days in each month (the default)."""
    PAID_DAYS = "paid_days"
    """Each paid day's cost to its own month (the reading before issue 11)."""


class SanctionDeadline(enum.Enum):
    """How "inden for 3 hele kalendermåneder efter hændelsestidspunktet" (LAS § 35, stk. 3,
    2. pkt.) counts the last month a kontanthjælp deduction may be made (catalogue
    sanctions.md TC-09, § 7 item 4: the convention is UNCONFIRMED)."""

    WHOLE_MONTHS_AFTER = "whole_months_after"
    """The whole calendar months after the failure's month: a failure on 15.1 may be
    deducted until 30.4 (February, March, April; TC-09, the default)."""
    FROM_FAILURE_DAY = "from_failure_day"
    """The months counted from the day of the failure: a failure on 15.1 until 15.4."""


class SanctionCap(enum.Enum):
    """What "den beregnede hjælp ... for samme måned" caps a month's deductions at (LAS § 35,
    stk. 4, 3. pkt.; research point6.md § 1: not defined further, INFERRED)."""

    RATE = "rate"
    """The person's rate of hjælp for the month (the issue's reading, the default); the
    month's payments when no rate entry fits."""
    PAID = "paid"
    """The hjælp computed for the month after income deductions: what was paid."""


class OfferDuration(enum.Enum):
    """How the longest length of an offer ("op til 4 uger", "6 måneder") is counted: the law
    and its orders say nothing (research issue16-offers.md § 1.7), so this is a named reading.
    Months are always counted day to day."""

    CALENDAR_INCLUSIVE = "calendar_inclusive"
    """The start day counts and a week is 7 days: the last allowed day is the start + the
    length − 1 day (a 4-week praktik from Monday 4 March ends Sunday 31 March; the rule's
    reading ``within``, the default)."""
    CALENDAR_WEEKS = "calendar_weeks"
    """A length in weeks ends on the Sunday of the n-th Monday-Sunday week, counting the week
    the offer starts in."""


class PolicyError(LabRulesError, ValueError):
    """An unknown policy name or value."""


@attrs.frozen
class Policies:
    """The policy set an evaluation runs under."""

    no_show: NoShowPolicy = NoShowPolicy.LATE_UNTIL_HELD
    version_selector: VersionSelector | None = None
    """None: each rule's own ``selector`` (default ``opens``); a value overrides them all."""
    loss_from: LossFrom = LossFrom.DUE
    sanction_contact_day: ContactDay = ContactDay.EXCLUSIVE
    sanction_days: SanctionDays = SanctionDays.CALENDAR
    sanction_deadline: SanctionDeadline = SanctionDeadline.WHOLE_MONTHS_AFTER
    sanction_cap: SanctionCap = SanctionCap.RATE
    staircase_restart: StaircaseRestart = StaircaseRestart.ON_LAST_WEEK
    month_split: MonthSplit = MonthSplit.WEEK_DAYS
    offer_duration: OfferDuration = OfferDuration.CALENDAR_INCLUSIVE
    """Every offer-length obligation names it among its policies; the evaluation's own list
    names it only when it is not the default, so results without offers keep their form."""

    def as_dict(self) -> dict[str, str]:
        selector = self.version_selector.value if self.version_selector else "per_rule"
        found = {"no_show": self.no_show.value, "version_selector": selector,
                 "loss_from": self.loss_from.value,
                 "sanction_contact_day": self.sanction_contact_day.value,
                 "sanction_days": self.sanction_days.value,
                 "sanction_deadline": self.sanction_deadline.value,
                 "sanction_cap": self.sanction_cap.value,
                 "staircase_restart": self.staircase_restart.value,
                 "month_split": self.month_split.value}
        if self.offer_duration is not OfferDuration.CALENDAR_INCLUSIVE:
            found["offer_duration"] = self.offer_duration.value
        return found

    @classmethod
    def parse(cls, assignments: Iterable[str] | Mapping[str, str] | None,
              defaults: Iterable[tuple[str, str]] = ()) -> Policies:
        """Build from ``["no_show=restart_from_contact"]`` or a mapping of names to values,
        on top of *defaults* (the policies a rule pack's overlays set)."""
        pairs: dict[str, str] = dict(defaults)
        if assignments is None:
            pass
        elif isinstance(assignments, Mapping):
            pairs.update(assignments)
        else:
            for item in assignments:
                name, sep, value = item.partition("=")
                if not sep:
                    raise PolicyError(f"policy {item!r} must look like name=value")
                pairs[name.strip()] = value.strip()
        fields: dict[str, type[enum.Enum]] = {"no_show": NoShowPolicy,
                                              "version_selector": VersionSelector,
                                              "loss_from": LossFrom,
                                              "sanction_contact_day": ContactDay,
                                              "sanction_days": SanctionDays,
                                              "sanction_deadline": SanctionDeadline,
                                              "sanction_cap": SanctionCap,
                                              "staircase_restart": StaircaseRestart,
                                              "month_split": MonthSplit,
                                              "offer_duration": OfferDuration}
        values: dict[str, enum.Enum | None] = {}
        for name, value in pairs.items():
            if name == "version_selector" and value == "per_rule":
                values[name] = None
                continue
            kind = fields.get(name)
            if kind is None:
                raise PolicyError(f"unknown policy {name!r}; known: {', '.join(fields)}")
            try:
                values[name] = kind(value)
            except ValueError:
                allowed = ", ".join(m.value for m in kind)
                raise PolicyError(f"policy {name} has no value {value!r}; choose one of: "
                                  f"{allowed}") from None
        return attrs.evolve(cls(), **values)  # type: ignore[arg-type]
