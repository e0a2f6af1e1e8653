"""What a sanction computation returns: :class:`Sanction`, one failure and what follows from
it, and :class:`Applied`, what a shape made of a failure before amounts and conditions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from lab_rules.core.messages import Message, Money, words
from lab_rules.law.params import kept
from lab_rules.law.rule_texts import Month, Worded
from lab_rules.law.sanctions import SanctionRule

Words = Worded | Message
"""A note or a reason: a text in both languages, read in the output's language (``str()``
is the English that JSON keeps)."""


@attrs.frozen
class Applied:
    """A register entry's shape applied to a failure: what it costs and from when."""

    rule: str
    legal_basis: str
    dates: tuple[date, ...] = ()
    resumes: date | None = None
    notes: tuple[Words, ...] = ()
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
    reasons: tuple[Words, ...]
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
    notes: tuple[Words, ...] = ()
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
        """The failure and what follows from it, in one sentence of *lang* (an amount that
        ends it, "4.800,00 kr.", ends the sentence too)."""
        said = self.sentence().describe(lang)
        return said[:-1] if said.endswith("..") else said

    def sentence(self) -> Message:
        """:meth:`explain` as a sentence of the catalogue (``sanctions.*``)."""
        head = Message("sanctions.head", failure=Message(f"sanctions.failure.{self.failure}"),
                       day=self.day, basis=self.legal_basis)
        if not self.sanctionable:
            return Message("sanctions.not_sanctionable", head=head,
                           reasons=_Joined(self.reasons))
        return Message("sanctions.line", head=head, what=self._consequence())

    def _consequence(self) -> Message | _Joined:
        days = Message("unit.days", n=self.days)
        if self.shape == "sdp_resumption":
            return (Message("sanctions.sdp_no_resume") if self.resumes is None
                    else Message("sanctions.sdp_resume", day=self.resumes))
        if self.outcome == "stop":
            return Message("sanctions.stop")
        if self.outcome == "checked":
            return Message("sanctions.no_consequence")
        if self.shape in ("karantaene_hours", "joblog_karantaene"):
            if self.hours is None:
                return _Joined(self.notes)
            hours = Message("unit.hours", n=self.hours)
            if self.effective is None or self.lapses is None:
                return Message("sanctions.karantaene_open", hours=hours)
            return Message("sanctions.karantaene", hours=hours, effective=self.effective,
                           lapses=self.lapses)
        if self.benefit == "dagpenge":
            return (Message("sanctions.no_dagpenge_again", days=days, day=self.resumes)
                    if self.resumes else Message("sanctions.no_dagpenge", days=days))
        what = (Message("sanctions.reduction") if self.shape == "punctual"
                else Message("sanctions.strict_share", days=days)
                if self.failure == "strict_sanction"
                else Message("sanctions.deduction", days=days))
        if self.deducted is not None:
            what = Message("sanctions.amount", what=what, amount=Money(self.deducted))
        if self.last_deduction_day is not None:
            what = Message("sanctions.latest", what=what,
                           month=Month(self.last_deduction_day.replace(day=1)))
        return what


def confidence_words(confidence: str | None) -> Message | str:
    """A rule file's confidence (``inferred``, ``unconfirmed``) as words."""
    return Message(f"sanctions.confidence.{confidence}") if confidence else ""


@kept
def unconfirmed(entry: SanctionRule) -> Message:
    """The note on a register entry that is not confirmed."""
    return Message("sanctions.note.rule_confidence", rule=entry.id, era=entry.era,
                   confidence=confidence_words(entry.confidence.value),
                   summary=entry.said_summary)


class _Joined:
    """Reasons or notes read one after another ("; ") in the reader's language."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[Words, ...]) -> None:
        self.parts = parts

    def describe(self, lang: str = "en") -> str:
        return "; ".join(words(part, lang) for part in self.parts)


__all__ = ["Applied", "Sanction", "Words", "confidence_words", "unconfirmed"]
