"""The refund section of the audit report: the refund lost for late steps by month and by
entry, the rate periods before 2016 under their own law, and the staircase (lov 994/2015) only
where it counted a week."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from lab_rules.evaluation.result import Evaluation
from lab_rules.faces.report_page import Page, money_cell
from lab_rules.refund.staircase import RefundLedger

__all__ = ["refund_section"]


def refund_section(page: Page, evaluation: Evaluation) -> str:
    """The refund: what was lost for late steps, the rate periods before 2016 under their own
    law, and the staircase (lov 994/2015) only where it counted a week: a case before 2016
    shows the law of its rate periods, not an empty staircase."""
    ledger = evaluation.refund
    if ledger is None:
        return ""
    parts = [f'<h2>{page.say("refund")}</h2>']
    months = evaluation.refund_loss_months
    if months:
        total = sum((m.refund for m in months), Decimal("0.00"))
        parts.append(f'<h3>{page.say("loss_months")}</h3><table class="loss-months"><tr>'
                     f'<th>{page.say("col.month")}</th><th class="num">{page.say("col.lost")}'
                     f'</th></tr>')
        parts += [f'<tr data-month="{m.month}"><td>{page.month(m.month)}</td>'
                  f'{money_cell(page, m.refund, "lost")}</tr>' for m in months]
        parts.append(f'<tr><th>{page.say("col.total")}</th>'
                     f'{money_cell(page, total, "lost-total")}</tr></table>')
    if evaluation.refund_losses:
        parts.append(f'<table class="losses"><tr><th>{page.say("col.rule")}</th>'
                     f'<th>{page.say("col.period")}</th><th class="num">{page.say("col.days")}'
                     f'</th><th class="num">{page.say("col.amount")}</th>'
                     f'<th>{page.say("col.explanation")}</th></tr>')
        for loss in evaluation.refund_losses:
            rule = loss.loss_rule
            parts.append(f'<tr><td>{escape(rule.id)}<div class="small">'
                         f'{page.words(rule.basis)}</div></td>'
                         f'<td class="date">{page.span(loss.start, loss.end)}</td>'
                         f'<td class="num">{loss.days}</td>{money_cell(page, loss.amount)}'
                         f'<td>{page.words(loss.describe(page.lang))}</td></tr>\n')
        parts.append("</table>")
    periods = evaluation.refund_periods
    if periods:
        laws = "; ".join(dict.fromkeys(page.words(p.basis or p.legal_basis) for p in periods))
        parts.append(f'<h3>{page.say("rate_periods")}</h3>'
                     f'<p class="small">{page.say("rate_periods_law")} {laws}</p>'
                     f'<table class="periods"><tr><th>{page.say("col.benefit")}</th>'
                     f'<th>{page.say("col.period")}</th><th class="num">{page.say("col.rate")}'
                     f'</th><th class="num">{page.say("col.cost")}</th><th class="num">'
                     f'{page.say("col.refund")}</th><th>{page.say("col.basis")}</th></tr>')
        parts += [f'<tr data-rate="{format(p.rate, "f")}"><td>'
                  f'{page.label("benefit", p.benefit.value)}'
                  f'{" (" + page.say("active") + ")" if p.active else ""}</td>'
                  f'<td class="date">{page.span(p.start, p.end)}</td>'
                  f'<td class="num">{page.rate(p.rate)}</td>'
                  f'{money_cell(page, p.cost, "cost")}{money_cell(page, p.refund, "refund")}'
                  f'<td class="small">{page.words(p.basis or p.legal_basis)}</td></tr>\n'
                  for p in periods]
        parts.append("</table>")
    counted = any(week.lines for week in ledger.weeks)
    if counted:
        parts.append(staircase(page, ledger))
    if not (months or periods or counted):
        parts.append(f'<p>{page.say("no_refund")}</p>')
    return "".join(parts)


def staircase(page: Page, ledger: RefundLedger) -> str:
    """The staircase by month, then its weekly ledger folded: week, the week on the staircase,
    and each line."""
    parts = [f'<h3>{page.say("staircase")}</h3><p class="small"><a href="'
             f'{escape(ledger.source)}">{escape(ledger.act)}</a></p><table class="months"><tr>'
             f'<th>{page.say("col.month")}</th><th class="num">{page.say("col.refund")}</th>'
             f'<th class="num">{page.say("col.cofinancing")}</th></tr>']
    parts += [f'<tr data-month="{m.month}"><td>{page.month(m.month)}</td>'
              f'{money_cell(page, m.refund, "refund")}'
              f'{money_cell(page, m.cofinancing, "cofinancing")}</tr>' for m in ledger.months]
    parts.append("</table>")
    rows = []
    for week in ledger.weeks:
        for line in week.lines:
            rows.append(
                f'<tr><td class="date">{page.day(week.monday)}</td><td class="num">'
                f'{week.number}</td><td class="num">{week.rate_number}</td>'
                f'<td>{page.label("benefit", line.benefit.value)}</td>'
                f'<td class="num">{line.days}</td><td class="num" '
                f'data-rate="{format(line.rate, "f")}">{page.rate(line.rate)}</td>'
                f'{money_cell(page, line.amount, "week-amount")}'
                f'<td class="small">{escape(line.legal_basis)}</td></tr>\n')
    parts.append(
        f'<details><summary>{page.say("weeks", n=len(ledger.weeks))}</summary>'
        f'<table class="weeks"><tr><th>{page.say("col.monday")}</th><th class="num">'
        f'{page.say("col.week")}</th><th class="num">{page.say("col.step")}</th>'
        f'<th>{page.say("col.benefit")}</th><th class="num">{page.say("col.days")}</th>'
        f'<th class="num">{page.say("col.rate")}</th><th class="num">{page.say("col.refund")}'
        f'</th><th>{page.say("col.basis")}</th></tr>{"".join(rows)}</table></details>')
    return "".join(parts)
