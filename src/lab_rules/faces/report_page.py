"""The words of one HTML page in its language (:class:`Page`): catalogue sentences, labels of
codes, dates, money and rates, escaped for HTML; and money cells that carry their plain value
in a ``data-`` attribute for machine checks (the report and its refund section)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape

import attrs

from lab_rules.core.messages import (
    MonthOf,
    Percent,
    catalogue,
    date_text,
    money_text,
    text,
    words,
)

__all__ = ["Page", "money_cell", "plain"]


@attrs.frozen(slots=True)
class Page:
    """The words of one page in its language: catalogue sentences, labels of codes, dates and
    money, escaped for HTML."""

    lang: str

    def say(self, key: str, **fields: object) -> str:
        return escape(text(f"report.{key}", self.lang, **fields))

    def label(self, kind: str, code: str | None) -> str:
        """The label of *code* (``label.<kind>.<code>``), or the code where the catalogue has
        none (a code added to the rule files before its label)."""
        if code is None:
            return "–"
        key = f"label.{kind}.{code}"
        return escape(text(key, self.lang) if key in catalogue() else code)

    def words(self, value: object) -> str:
        return escape(words(value, self.lang))

    def day(self, value: date | None) -> str:
        return "–" if value is None else escape(date_text(value, self.lang))

    def span(self, start: date, end: date | None) -> str:
        return f"{self.day(start)} – {self.day(end)}"

    def money(self, amount: Decimal | None) -> str:
        return "–" if amount is None else escape(money_text(amount, self.lang))

    def rate(self, share: Decimal) -> str:
        return self.words(Percent(share))

    def month(self, month: str) -> str:
        """``YYYY-MM`` as the month's name and year (da ``april 2008``, en ``April 2008``)."""
        year, number = month.split("-")
        return self.words(MonthOf(int(year), int(number)))


def plain(amount: Decimal | None) -> str:
    """A money figure for a ``data-`` attribute: a plain decimal rounded to øre, as the
    ``evaluation/v2`` document rounds its totals."""
    if amount is None:
        return ""
    return str(amount.quantize(Decimal("0.01"), ROUND_HALF_UP))


def money_cell(page: Page, amount: Decimal | None, key: str = "amount") -> str:
    return f'<td class="num" data-{key}="{plain(amount)}">{page.money(amount)}</td>'
