"""Where a person stands under the hours rule (:class:`HoursRuleStatus`), and its explanation
put into words from the catalogue (``core/catalogue/entitlements.toml``) in the reader's
language: the era's name, the overgangsdato or bortfaldsdato, the notice order and the
consequence, with figures and months written the reader's way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from lab_rules.core.messages import Message, MonthOf, Said, number_text
from lab_rules.entitlements.hours_exempt import ExemptSpan
from lab_rules.law.model import Confidence

__all__ = ["HoursRuleStatus", "figure"]


@attrs.frozen
class HoursRuleStatus:
    """Where a person stands under the hours rule on ``as_of``."""

    as_of: date
    married: bool | None
    help_days: int
    """Days of help counted up to ``as_of`` (since the last restart)."""
    overgangsdato: date | None
    hours_last_12_months: Decimal
    """Hours within the era's window ending with ``as_of``'s month (12 months for 225)."""
    first_unmet_month: str | None
    bortfaldsdato: date | None
    warning_by: date | None
    consultation_by: date | None
    warning_sent: date | None
    earliest_reduction: date | None
    consequence: str | None
    reduction_full_rate: Decimal | None
    reduction_other_rate: Decimal | None
    level: str | None
    """The reduction level entry's id."""
    regained_in: str | None
    legal_basis: str
    notes: tuple[str, ...]
    era: str | None = None
    """The era entry's id (``225-timer``, ``450-timer``, ``300-timer``)."""
    confidence: str = Confidence.INFERRED.value
    """The weakest confidence of the era, the level and the conventions used."""
    exempt: ExemptSpan | None = None
    """The exemption that leaves ``as_of``'s month untested (LAS § 13 f, stk. 9), if any."""
    restarted: tuple[date, str] | None = None
    """The day the counts start afresh after a long exemption, and its legal basis."""
    said_consequence: Message | None = None
    """:attr:`consequence` in words for either language."""
    notice_order: bool = True
    """Whether the era has a notice order (warning letter and consultation deadlines)."""
    required: Decimal | None = None
    """The era's hours, which name the rule ("225-timersreglen"); None: named generically."""
    uncovered: Message | None = None
    """Why an unmarried person is outside the era in force (married couples only, or not
    yet), or None."""

    def explain(self, lang: str = "en") -> str:
        """The status in one paragraph of the catalogue's sentences in *lang*."""
        return " ".join(m.describe(lang) for m in self.sentences())

    def sentences(self) -> tuple[Message, ...]:
        """The explanation's sentences, put into words when read."""
        said: list[Message] = []
        rule = (Message("entitlements.hours.name", hours=figure(self.required))
                if self.required is not None else Message("entitlements.hours.generic"))
        if self.bortfaldsdato is not None:
            said.append(Message("entitlements.hours.unmet", rule=rule,
                                bortfald=self.bortfaldsdato, consequence=self._consequence(),
                                notices=self._notices(), regained=self._regained()))
        elif self.first_unmet_month is not None:
            said.append(Message("entitlements.hours.abolished", rule=rule,
                                month=_month_words(self.first_unmet_month)))
        elif self.uncovered is not None:
            said.append(self.uncovered)
        elif self.exempt is not None:
            pass
        elif self.overgangsdato is None:
            said.append(Message("entitlements.hours.not_reached", rule=rule,
                                days=Message("unit.days", n=self.help_days)))
        else:
            said.append(Message("entitlements.hours.met", rule=rule,
                                overgang=self.overgangsdato,
                                hours=Message("unit.hours",
                                              n=figure(self.hours_last_12_months))))
        if self.exempt is not None:
            if said:
                said.append(Message("entitlements.hours.exempt_after",
                                    period=self.exempt.period(), what=self.exempt.rule.said,
                                    basis=self.exempt.rule.legal_basis))
            else:
                said.append(Message("entitlements.hours.exempt", rule=rule,
                                    period=self.exempt.period(), what=self.exempt.rule.said,
                                    basis=self.exempt.rule.legal_basis))
        if self.restarted is not None:
            said.append(Message("entitlements.hours.restarted", day=self.restarted[0],
                                basis=self.restarted[1]))
        return tuple(said)

    def _consequence(self) -> object:
        if self.said_consequence is not None:
            return self.said_consequence
        return self.consequence or ""

    def _notices(self) -> Message | str:
        if not self.notice_order:
            return Message("entitlements.hours.no_notices", earliest=self.earliest_reduction)
        if self.earliest_reduction is None:
            return Message("entitlements.hours.notices_no_letter", warning_by=self.warning_by,
                           consultation_by=self.consultation_by)
        return Message("entitlements.hours.notices", warning_by=self.warning_by,
                       consultation_by=self.consultation_by, earliest=self.earliest_reduction)

    def _regained(self) -> Message | str:
        if self.regained_in is None:
            return ""
        return Message("entitlements.hours.regained", month=_month_words(self.regained_in))


def figure(value: Decimal) -> Said:
    """A number of hours as each language writes it, without needless decimals."""
    places = 0 if value == value.to_integral() else 2
    return Said(number_text(value, "da", places), number_text(value, "en", places))


def _month_words(month: str) -> MonthOf:
    """``YYYY-MM`` as a month and year in words ("marts 2018", "March 2018")."""
    year, number = month.split("-")
    return MonthOf(int(year), int(number))
