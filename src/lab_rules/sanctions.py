"""Sanctions for the kontanthjælp family: what a failure costs the citizen, and whether it may.

Per failure in the timeline (a no-show at a jobsamtale, absence from an offer, a self-booking
deadline missed) this module says which rule applies (LAS § 37, § 36, § 37 a), whether the
failure is sanctionable and why not (a reasonable excuse, LAS § 13 stk. 7; no written guidance
before it, § 35 stk. 1; an exemption; for aktivitetsparate no record that personal contact was
attempted, § 35 stk. 7), the days, the rate (by the person's monthly hjælp, from a dated rate
table), the amount, the monthly cap (deductions in a month ≤ the month's hjælp, § 35 stk. 4) and
the procedure deadlines (the last month a deduction may be made: 3 whole calendar months after
the month of the failure, § 35 stk. 3; consultation before the decision).

Counting questions the law leaves open are policies: ``sanction_contact_day`` (is the day contact
is restored deducted?) and ``sanction_days`` (calendar days or weekdays). Covered: failures from
2014 (2014-2019 daily rate = monthly hjælp × 12 / 260; 2020 on, the sanktionssats bands).
Dagpenge, sygedagpenge, the 225-hour rule and the older eras are not computed yet.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lab_rules.calendar import DanishCalendar, Duration, Rounding, add
from lab_rules.policies import ContactDay, Policies, SanctionDays
from lab_rules.rules.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.rules.model import Confidence
from lab_rules.timeline import (
    BenefitEnded,
    BenefitStarted,
    BookingMissed,
    ContactRestored,
    Exemption,
    GroupChanged,
    NoShow,
    OfferAbsence,
    Payment,
    Timeline,
    WrittenGuidance,
)
from lab_rules.vocabulary import Benefit, ExemptionReason, TargetGroup

TABLE_KEYS = {"id", "valid_from", "valid_to", "formula", "confidence", "legal_basis", "source",
              "note", "bands"}
BAND_KEYS = {"below", "up_to", "rate"}
_KH_BENEFITS = frozenset({Benefit.KONTANTHJAELP, Benefit.UDDANNELSESHJAELP,
                          Benefit.OVERGANGSYDELSE})
_AKTIVITETSPARAT = frozenset({TargetGroup.AKTIVITETSPARAT_KONTANTHJAELP,
                              TargetGroup.AKTIVITETSPARAT_UDDANNELSESHJAELP})
_EXEMPTING = frozenset({ExemptionReason.MINDRE_INTENSIV_INDSATS, ExemptionReason.BARSEL,
                        ExemptionReason.SYGDOM, ExemptionReason.FERIE,
                        ExemptionReason.RIMELIG_GRUND})
_CALENDAR = DanishCalendar()


@attrs.frozen
class RateBand:
    limit: Decimal | None
    inclusive: bool
    rate: Decimal


@attrs.frozen
class RateTable:
    """Sanction rate per day by monthly hjælp, for failures in a period."""

    id: str
    valid_from: date
    valid_to: date | None
    confidence: Confidence
    legal_basis: str
    note: str
    bands: tuple[RateBand, ...] = ()
    formula: str | None = None

    def rate(self, monthly: Decimal) -> Decimal:
        if self.formula == "annual_per_260":
            return (monthly * 12 / 260).quantize(Decimal(1), ROUND_HALF_UP)
        for band in self.bands:
            if band.limit is None or monthly < band.limit or (
                    band.inclusive and monthly == band.limit):
                return band.rate
        raise ValueError(f"no band for {monthly}")  # pragma: no cover - last band is open


def load_sanction_rates(path: str) -> tuple[RateTable, ...]:
    """Read the dated rate tables; raise :class:`RuleError` with every located problem."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"table"}, "")
    tables = []
    for index, raw in enumerate(document.get("table", [])):
        where = f"table[{index}]"
        reader.check_keys(raw, TABLE_KEYS, where)
        bands = []
        for b_index, band in enumerate(raw.get("bands", [])):
            b_where = f"{where}.bands[{b_index}]"
            reader.check_keys(band, BAND_KEYS, b_where)
            limit = band.get("below", band.get("up_to"))
            bands.append(RateBand(None if limit is None else Decimal(str(limit)),
                                  "up_to" in band, Decimal(str(band.get("rate", "0")))))
        formula = raw.get("formula")
        if formula not in (None, "annual_per_260"):
            reader.problem(f"{where}.formula", f"{formula!r} is not a known formula")
        if not bands and formula is None:
            reader.problem(where, 'a table needs "bands" or a "formula"')
        identifier = reader.text(raw, "id", where)
        start = reader.day(raw, "valid_from", where)
        basis = reader.text(raw, "legal_basis", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where, "confirmed")
        if identifier and start and basis and confidence:
            tables.append(RateTable(identifier, start, reader.day(raw, "valid_to", where),
                                    confidence, basis, str(raw.get("note", "")), tuple(bands),
                                    formula))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(tables)


@functools.lru_cache(maxsize=1)
def bundled_sanction_rates() -> tuple[RateTable, ...]:
    return load_sanction_rates(str(bundled_rules_dir() / "parameters" / "sanktionssatser.toml"))


@attrs.frozen
class Sanction:
    """One failure and what follows from it."""

    failure: str
    day: date
    rule: str
    legal_basis: str
    sanctionable: bool
    reasons: tuple[str, ...]
    days: int
    rate: Decimal | None
    rate_table: str | None
    rate_confidence: str | None
    amount: Decimal | None
    deducted: Decimal | None
    last_deduction_month: str
    last_deduction_day: date
    consultation: str
    policies: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()

    def explain(self, lang: str = "en") -> str:
        if lang == "da":
            if not self.sanctionable:
                return (f"{self.failure} {self.day} ({self.legal_basis}): kan ikke sanktioneres: "
                        + "; ".join(self.reasons) + ".")
            amount = f", {self.deducted} kr." if self.deducted is not None else ""
            return (f"{self.failure} {self.day} ({self.legal_basis}): fradrag for {self.days} "
                    f"dage{amount}; senest i {self.last_deduction_month}.")
        if not self.sanctionable:
            return (f"{self.failure} {self.day} ({self.legal_basis}): not sanctionable: "
                    + "; ".join(self.reasons) + ".")
        amount = f", {self.deducted} kr." if self.deducted is not None else ""
        return (f"{self.failure} {self.day} ({self.legal_basis}): deduction for {self.days} "
                f"days{amount}; at the latest in {self.last_deduction_month}.")


def _group_on(timeline: Timeline, day: date) -> tuple[Benefit, TargetGroup | None] | None:
    """The kontanthjælp-family benefit running on *day*, and the target group then."""
    running: dict[Benefit, date] = {}
    for event in timeline.events:
        if event.on > day:
            break
        if isinstance(event, BenefitStarted):
            running[event.benefit] = event.date
        elif isinstance(event, BenefitEnded) and event.date < day:
            running.pop(event.benefit, None)
    benefit = next((b for b in running if b in _KH_BENEFITS), None)
    if benefit is None:
        return None
    group = None
    for event in timeline.events:
        if event.on > day:
            break
        if isinstance(event, GroupChanged) or (
                isinstance(event, BenefitStarted) and event.benefit is benefit):
            group = event.group or group
    return benefit, group


def _monthly(timeline: Timeline, day: date) -> Decimal | None:
    """The month's hjælp from the payments for *day*'s month (for the band and the cap)."""
    first = day.replace(day=1)
    following = add(first, Duration(months=1), Rounding.STRICT)
    total, covered = Decimal(0), 0
    for payment in timeline.of_type(Payment):
        if payment.benefit not in _KH_BENEFITS or payment.amount is None:
            continue
        start, end = max(payment.start, first), min(payment.end, following - timedelta(days=1))
        if start > end:
            continue
        days = (payment.end - payment.start).days + 1
        overlap = (end - start).days + 1
        total += payment.amount * overlap / days
        covered += overlap
    return total if covered else None


def _count(start: date, end_exclusive: date, policy: SanctionDays) -> list[date]:
    days = []
    day = start
    while day < end_exclusive:
        if policy is SanctionDays.CALENDAR or _CALENDAR.is_business_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _table(tables: Sequence[RateTable], day: date) -> RateTable | None:
    return next((t for t in tables if t.valid_from <= day
                 and (t.valid_to is None or day <= t.valid_to)), None)


@attrs.frozen
class _Failure:
    failure: str
    day: date
    rule: str
    legal_basis: str
    days: tuple[date, ...]
    excuse: str | None
    contact_attempted: bool | None


def _failures(timeline: Timeline, as_of: date, policies: Policies) -> list[_Failure]:
    contacts = sorted(c.date for c in timeline.of_type(ContactRestored))
    found = []
    for no_show in timeline.of_type(NoShow):
        contact = next((c for c in contacts if c >= no_show.date), None)
        end = contact if contact is not None else as_of + timedelta(days=1)
        if contact is not None and policies.sanction_contact_day is ContactDay.INCLUSIVE:
            end = contact + timedelta(days=1)
        days = _count(no_show.date, max(end, no_show.date + timedelta(days=1)),
                      policies.sanction_days)
        if no_show.date not in days:
            days.insert(0, no_show.date)  # the meeting day is always deducted (§ 37 stk. 1)
        found.append(_Failure("no_show", no_show.date, "R-LAS-37", "LAS § 37 stk. 1",
                              tuple(days), no_show.excuse.value if no_show.excuse else None,
                              no_show.contact_attempted))
    for absence in timeline.of_type(OfferAbsence):
        days = _count(absence.start, absence.end + timedelta(days=1), SanctionDays.WEEKDAYS)
        found.append(_Failure("offer_absence", absence.start, "R-LAS-36", "LAS § 36 stk. 2",
                              tuple(days), None, None))
    for missed in timeline.of_type(BookingMissed):
        booked = missed.booked_on or as_of + timedelta(days=1)
        days = _count(missed.date, max(booked, missed.date + timedelta(days=1)),
                      policies.sanction_days) or [missed.date]
        found.append(_Failure("booking_missed", missed.date, "R-LAS-37a", "LAS § 37 a stk. 1",
                              tuple(days), missed.excuse.value if missed.excuse else None,
                              None))
    return sorted(found, key=lambda f: (f.day, f.failure))


def _why_not(failure: _Failure, timeline: Timeline, guidance: list[date],
             exemptions: Sequence[Exemption]) -> list[str]:
    """The reasons a failure may not be sanctioned (empty: it may)."""
    reasons = []
    if failure.excuse:
        reasons.append(f"rimelig grund: {failure.excuse} (LAS § 13 stk. 7)")
    situation = _group_on(timeline, failure.day)
    if situation is None:
        reasons.append("not on a kontanthjælp-family benefit that day (dagpenge and "
                       "sygedagpenge sanctions are not computed yet)")
    elif situation[1] in _AKTIVITETSPARAT and failure.contact_attempted is not True:
        reasons.append("aktivitetsparat: no record that all reasonable ways of personal "
                       "contact were tried (LAS § 35 stk. 7)")
    if not any(g <= failure.day for g in guidance):
        reasons.append("no written guidance on the consequences before the failure "
                       "(LAS § 35 stk. 1)")
    cover = next((e for e in exemptions if e.covers(failure.day) and e.reason in _EXEMPTING),
                 None)
    if cover is not None:
        reasons.append(f"fritaget: {cover.reason.value} from {cover.start}")
    return reasons


def compute_sanctions(timeline: Timeline, as_of: date, policies: Policies,
                      tables: Sequence[RateTable]) -> tuple[Sanction, ...]:
    """Every kontanthjælp-family failure up to *as_of* and its sanction."""
    known = timeline.until(as_of)
    guidance = [g.date for g in known.of_type(WrittenGuidance)]
    exemptions = known.of_type(Exemption)
    used_by_month: dict[str, Decimal] = defaultdict(Decimal)
    applied = (("sanction_contact_day", policies.sanction_contact_day.value),
               ("sanction_days", policies.sanction_days.value))
    results = []
    for failure in _failures(known, as_of, policies):
        reasons = _why_not(failure, known, guidance, exemptions)
        sanctionable = not reasons
        table = _table(tables, failure.day)
        monthly = _monthly(known, failure.day)
        notes = []
        if table is None:
            notes.append("no rate table for the date: the amount is a gap, not a guess")
        elif monthly is None:
            notes.append("the month's hjælp is unknown (no payment): the rate band cannot be "
                         "chosen")
        elif table.confidence is not Confidence.CONFIRMED:
            notes.append(f"rate table {table.id}: {table.note}")
        rate = table.rate(monthly) if table is not None and monthly is not None else None
        days = len(failure.days) if sanctionable else 0
        amount = rate * days if rate is not None and sanctionable else None
        deducted = None
        if amount is not None and monthly is not None:
            month = failure.day.strftime("%Y-%m")
            room = max(monthly - used_by_month[month], Decimal(0))
            deducted = min(amount, room).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if deducted < amount:
                notes.append(f"capped at the month's hjælp, {monthly:.2f} kr. (LAS § 35 stk. 4)")
            used_by_month[month] += deducted
        last_month = add(failure.day.replace(day=1), Duration(months=3), Rounding.STRICT)
        last_day = add(last_month, Duration(months=1), Rounding.STRICT) - timedelta(days=1)
        results.append(Sanction(
            failure.failure, failure.day, failure.rule, failure.legal_basis, sanctionable,
            tuple(reasons), days, rate, table.id if table else None,
            table.confidence.value if table else None, amount, deducted,
            last_month.strftime("%Y-%m"), last_day,
            "consultation (partshøring) before the decision, with the monthly statement "
            "(LAS § 35 stk. 3; forvaltningsloven § 19)", applied, tuple(notes)))
    return tuple(results)
