"""The failures in a timeline, before any benefit's sanction rule is applied to them.

A failure is what the person did not do (a no-show, absence from an offer, a missed booking,
a refusal, a missing registration, unchecked job suggestions, an empty joblog month, or the
lapse of sygedagpenge) with what the case system recorded about it: an excuse, whether
personal contact was attempted, the day it was put right. The sanction rules read these
(:mod:`lab_rules.sanctions`); they never read the raw events again.
"""

from __future__ import annotations

from bisect import bisect_left
from calendar import monthrange
from datetime import date

import attrs

from lab_rules.inputs.timeline import (
    BookingMissed,
    ContactRestored,
    Event,
    JoblogMonthEmpty,
    JobSuggestionsMissed,
    NoShow,
    OfferAbsence,
    Refusal,
    RegistrationMissing,
    SdpCessation,
    Timeline,
)


@attrs.frozen
class Failure:
    """A failure as the timeline records it."""

    failure: str
    """``no_show``, ``offer_absence``, ``booking_missed``, ``refusal``,
    ``registration_missing``, ``job_suggestions_missed``, ``joblog_month_empty`` or
    ``sdp_cessation``."""
    day: date
    excuse: str | None = None
    contact_attempted: bool | None = None
    until: date | None = None
    """Contact restored, booking made, registration resolved, or cooperation resumed."""
    end: date | None = None
    """The last day of an absence."""
    cancelled: bool = False
    kind: str | None = None
    """The refusal's or the missing registration's kind."""
    promotes_availability: bool | None = None


_FAILURE_EVENTS: frozenset[type[Event]] = frozenset({
    NoShow, OfferAbsence, BookingMissed, Refusal, RegistrationMissing, JobSuggestionsMissed,
    JoblogMonthEmpty, SdpCessation})


def failures_of(timeline: Timeline) -> tuple[Failure, ...]:
    """Every failure in *timeline*, by day then name. A no-show lasts until the first contact
    restored on or after it; an empty joblog month counts from its last day."""
    if not timeline.has_any(_FAILURE_EVENTS):
        return ()
    contacts = sorted(c.date for c in timeline.of_type(ContactRestored))
    found = []
    for no_show in timeline.of_type(NoShow):
        at = bisect_left(contacts, no_show.date)
        contact = contacts[at] if at < len(contacts) else None
        found.append(Failure("no_show", no_show.date,
                             no_show.excuse.value if no_show.excuse else None,
                             no_show.contact_attempted, contact, cancelled=no_show.cancelled,
                             promotes_availability=no_show.promotes_availability))
    for absence in timeline.of_type(OfferAbsence):
        found.append(Failure("offer_absence", absence.start, None, absence.contact_attempted,
                             end=absence.end,
                             promotes_availability=absence.promotes_availability))
    for missed in timeline.of_type(BookingMissed):
        found.append(Failure("booking_missed", missed.date,
                             missed.excuse.value if missed.excuse else None,
                             missed.contact_attempted, until=missed.booked_on,
                             promotes_availability=missed.promotes_availability))
    for refusal in timeline.of_type(Refusal):
        found.append(Failure("refusal", refusal.date,
                             refusal.excuse.value if refusal.excuse else None,
                             refusal.contact_attempted, until=refusal.ended_on,
                             kind=refusal.kind.value,
                             promotes_availability=refusal.promotes_availability))
    for missing in timeline.of_type(RegistrationMissing):
        found.append(Failure("registration_missing", missing.date, until=missing.resolved_on,
                             kind=missing.kind.value))
    for missed_check in timeline.of_type(JobSuggestionsMissed):
        found.append(Failure("job_suggestions_missed", missed_check.date,
                             until=missed_check.checked_on))
    for empty in timeline.of_type(JoblogMonthEmpty):
        month_end = empty.date.replace(day=monthrange(empty.date.year, empty.date.month)[1])
        found.append(Failure("joblog_month_empty", month_end, until=empty.documented_on))
    for cessation in timeline.of_type(SdpCessation):
        found.append(Failure("sdp_cessation", cessation.date,
                             cessation.excuse.value if cessation.excuse else None,
                             until=cessation.resumed_on))
    return tuple(sorted(found, key=lambda f: (f.day, f.failure)))
