"""The refund ledger of one timeline as plain text in one language: the law that applied, the
staircase weeks, month totals, rate periods before the staircase and the refund lost.

Every sentence comes from the catalogue (``core/catalogue/refund.toml``); amounts, rates and
dates are written the reader's way (da ``1.301.308,32``, ``35 %``, ``05-12-2026``). The table
columns carry the unit in their heading, so their figures are plain numbers. A case before the
staircase (lov 994/2015 applies from 4 January 2016) opens with the rate periods' law and says
in words that the staircase did not apply instead of printing an empty week table.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from lab_rules.core.messages import Message, Money, date_text, number_text, percent_text, text
from lab_rules.core.privacy import mask_cpr
from lab_rules.core.vocabulary import Benefit
from lab_rules.faces.text_table import clip
from lab_rules.law.refund import Note
from lab_rules.refund.losses import RefundLoss
from lab_rules.refund.months import MonthTotal
from lab_rules.refund.rates_before_2016 import RatePeriod
from lab_rules.refund.staircase import RefundLedger

_WEEK_COLUMNS = ("week", "number", "benefit", "days", "share", "rate", "cost", "amount")
_WEEK_WIDTHS = (13, 5, 36, 5, 16, 6, 14, 14)
_WEEK_FIGURES = frozenset({1, 3, 6, 7})
_MONTH_WIDTHS = (8, 16, 22)
_INDENT = "  "


def _row(values: Iterable[str], widths: Iterable[int], right: frozenset[int] = frozenset()
         ) -> str:
    cells = (clip(v, w).rjust(w) if i in right else clip(v, w).ljust(w)
             for i, (v, w) in enumerate(zip(values, widths, strict=True)))
    return "  ".join(cells).rstrip()


def benefit_words(benefit: Benefit, lang: str) -> str:
    """A benefit's name in *lang* (``kontanthjaelp``: da kontanthjælp)."""
    return text(f"refund.benefit.{benefit.value}", lang)


def month_words(month: str, lang: str) -> str:
    """A month key ``YYYY-MM`` the reader's way: da ``01-2018`` (as dates are), en ``2018-01``."""
    return f"{month[5:]}-{month[:4]}" if lang == "da" else month


def _figure(amount: Decimal | None, lang: str) -> str:
    return "" if amount is None else number_text(amount, lang)


def _bases(periods: tuple[RatePeriod, ...], lang: str) -> str:
    """The legal bases of the rate periods, each once, in order."""
    return "; ".join(dict.fromkeys(p.legal_basis if p.basis is None else p.basis.describe(lang)
                                   for p in periods))


def _weeks(ledger: RefundLedger, lang: str) -> list[str]:
    lines = [_row((text(f"refund.column.{c}", lang) for c in _WEEK_COLUMNS), _WEEK_WIDTHS),
             "  ".join("-" * w for w in _WEEK_WIDTHS)]
    for week in ledger.weeks:
        for line in week.lines:
            lines.append(_row(
                (date_text(week.monday, lang), str(week.number),
                 benefit_words(line.benefit, lang), str(line.days),
                 text(f"refund.share.{line.share}", lang), percent_text(line.rate, lang),
                 _figure(line.cost, lang), _figure(line.amount, lang)),
                _WEEK_WIDTHS, _WEEK_FIGURES))
    return lines


def _months(ledger: RefundLedger, lang: str) -> list[str]:
    right = frozenset({1, 2})
    lines = [_row((text(f"refund.column.{c}", lang) for c in ("month", "refund", "cofinancing")),
                  _MONTH_WIDTHS, right)]
    for month in ledger.months:
        lines.append(_row((month_words(month.month, lang), _figure(month.refund, lang),
                           _figure(month.cofinancing, lang)), _MONTH_WIDTHS, right))
    lines.append(_row((text("refund.column.total", lang), _figure(ledger.total_refund, lang),
                       _figure(ledger.total_cofinancing, lang)), _MONTH_WIDTHS, right))
    return lines


def _periods(periods: tuple[RatePeriod, ...], lang: str) -> list[str]:
    lines = [text("refund.periods.title", lang)]
    for period in periods:
        lines.append(_INDENT + text(
            "refund.periods.period", lang, start=period.start, end=period.end,
            benefit=benefit_words(period.benefit, lang), rate=percent_text(period.rate, lang),
            active=Message("refund.periods.active") if period.active else "",
            basis=period.legal_basis if period.basis is None else period.basis,
            refund="" if period.refund is None else Money(period.refund)).rstrip())
    known = [p.refund for p in periods if p.refund is not None]
    if known:
        lines.append(_INDENT + text("refund.periods.total", lang,
                                    amount=Money(sum(known, Decimal(0)))))
    return lines


def _losses(losses: tuple[RefundLoss, ...], loss_months: tuple[MonthTotal, ...], lang: str
            ) -> list[str]:
    if not losses:
        return [text("refund.losses.none", lang)]
    lines = [text("refund.losses.title", lang)]
    for loss in losses:
        lines.append(_INDENT + loss.describe(lang))
        if loss.amount is not None:
            lines.append(_INDENT * 2 + text("refund.losses.amount", lang,
                                            amount=Money(loss.amount)))
    widths = _MONTH_WIDTHS[:2]
    right = frozenset({1})
    lines.append(_INDENT + _row((text("refund.column.month", lang),
                                 text("refund.column.refund", lang)), widths, right))
    for month in loss_months:
        lines.append(_INDENT + _row((month_words(month.month, lang),
                                     _figure(month.refund, lang)), widths, right))
    total = sum((m.refund for m in loss_months), Decimal("0.00"))
    lines.append(_INDENT + _row((text("refund.column.total", lang), _figure(total, lang)),
                                widths, right))
    return lines


def _notes(ledger: RefundLedger) -> tuple[Note, ...]:
    """The ledger's notes; without staircase weeks only those of old cases kept off it (the
    staircase's counting notes say nothing about a case it did not reach)."""
    if ledger.weeks:
        return ledger.notes
    return tuple(n for n in ledger.notes
                 if isinstance(n, Message) and n.key == "refund.note.old_case")


def render_refund(ledger: RefundLedger, lang: str = "da", losses: tuple[RefundLoss, ...] = (),
                  loss_months: tuple[MonthTotal, ...] = (),
                  policies: tuple[tuple[str, str], ...] = (),
                  periods: tuple[RatePeriod, ...] = ()) -> str:
    """The ledger in *lang*: the law that applied, the staircase weeks (Monday, number,
    benefit, days, share, rate, cost, amount) or why there are none, month totals, rate
    periods before the staircase, the refund lost, the policies and the notes."""
    lines = []
    if periods:
        lines.append(text("refund.head.before", lang, bases=_bases(periods, lang)))
    if ledger.weeks:
        lines += [text("refund.head.staircase", lang, act=ledger.act, source=ledger.source),
                  "", *_weeks(ledger, lang)]
    else:
        lines.append(text("refund.head.not_applied", lang, act=ledger.act,
                          start=ledger.valid_from or ""))
    if ledger.months:
        lines += ["", *_months(ledger, lang)]
    if periods:
        lines += ["", *_periods(periods, lang)]
    lines += ["", *_losses(losses, loss_months, lang)]
    if policies:
        lines.append(text("word.policies", lang,
                          policies=", ".join(f"{k}={v}" for k, v in policies)))
    for restart in ledger.restarts:
        lines.append(text("refund.restart", lang, day=restart))
    for note in _notes(ledger):
        lines.append(text("word.note", lang, note=note))
    return mask_cpr("\n".join(lines) + "\n")
