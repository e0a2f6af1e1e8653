"""What a sanction computation returns: :class:`Sanction`, one failure and what follows from
it, and :class:`Applied`, what a shape made of a failure before amounts and conditions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs


@attrs.frozen
class Applied:
    """A register entry's shape applied to a failure: what it costs and from when."""

    rule: str
    legal_basis: str
    dates: tuple[date, ...] = ()
    resumes: date | None = None
    notes: tuple[str, ...] = ()
    effective: date | None = None
    hours: int | None = None
    lapses: date | None = None
    outcome: str | None = None
    """The named outcome within the shape (``stop``, ``repeat``, ``documented``, ...)."""


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
    last_deduction_month: str | None
    last_deduction_day: date | None
    consultation: str
    policies: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    benefit: str | None = None
    dates: tuple[date, ...] = ()
    """The days the failure costs (deducted, or without dagpenge)."""
    resumes: date | None = None
    """The day payment resumes (dagpenge after contact; sygedagpenge under SDPL § 21 stk. 4)."""
    rule_era: str | None = None
    """The era of the register entry that computed the failure (``rules/parameters/
    sanktionsregler.toml``); None when no entry covered its date (then a reason says so)."""
    rule_confidence: str | None = None
    rule_source: str | None = None
    effective: date | None = None
    """Dagpenge karantæne, a ladder step or an afmelding: the day it takes effect."""
    hours: int | None = None
    """Dagpenge karantæne: its length in hours (SFL § 24)."""
    lapses: date | None = None
    """A karantæne or a ladder step: the day it lapses if not served."""
    entry: str | None = None
    """The id of the register entry that produced this result."""
    shape: str | None = None
    """The entry's shape (``days_until_contact``, ``ladder``, ``punctual``, ...)."""
    outcome: str | None = None
    """The named outcome within the shape, where it has several."""
    rate_basis: str | None = None
    """What the band and the monthly cap were read from: ``rate_table`` (the person's rate of
    hjælp, LAS § 35, stk. 4), ``rate_fact`` (the rate the case system supplied on the payment)
    or ``payments`` (the month's payments, when the rate is
    unknown); None when no amount was computed."""
    monthly: Decimal | None = None
    """The month's hjælp the band was chosen by."""
    by_month: tuple[tuple[str, Decimal, Decimal | None], ...] = ()
    """Per calendar month the deduction falls in: the month, the amount and what was deducted
    after the month's cap (LAS § 35, stk. 4)."""

    def explain(self, lang: str = "en") -> str:
        head = f"{self.failure} {self.day} ({self.legal_basis})"
        da = lang == "da"
        if not self.sanctionable:
            return (head + (": kan ikke sanktioneres: " if da else ": not sanctionable: ")
                    + "; ".join(self.reasons) + ".")
        amount = f", {self.deducted} kr." if self.deducted is not None else ""
        if self.shape == "sdp_resumption":
            if self.resumes is None:
                return head + (": sygedagpenge genoptages ikke." if da
                               else ": sygedagpenge do not resume.")
            return head + (f": sygedagpenge genoptages {self.resumes}." if da
                           else f": sygedagpenge resume on {self.resumes}.")
        if self.outcome == "stop":
            return head + (": hjælpen ophører, og sagen lukkes." if da
                           else ": the hjælp stops and the case is closed.")
        if self.shape in ("karantaene_hours", "joblog_karantaene"):
            if self.hours is None or self.effective is None:
                return head + ": " + "; ".join(self.notes)
            return head + (f": karantæne {self.hours} timer fra {self.effective}; bortfalder "
                           f"{self.lapses} hvis den ikke er afviklet." if da
                           else f": karantæne of {self.hours} hours from {self.effective}; "
                           f"lapses on {self.lapses} if not served.")
        if self.benefit == "dagpenge":
            again = (f"; igen fra {self.resumes}" if da else f"; again from {self.resumes}"
                     ) if self.resumes else ""
            return head + (f": ingen dagpenge for {self.days} dage{again}." if da
                           else f": no dagpenge for {self.days} days{again}.")
        if self.shape == "punctual":
            return head + (f": nedsættelse{amount}; senest i {self.last_deduction_month}." if da
                           else f": reduction{amount}; at the latest in "
                           f"{self.last_deduction_month}.")
        return head + (f": fradrag for {self.days} dage{amount}; senest i "
                       f"{self.last_deduction_month}." if da
                       else f": deduction for {self.days} days{amount}; at the latest in "
                       f"{self.last_deduction_month}.")
