"""The audit report: one person's evaluation as one self-contained, printable HTML file.

What an auditor sampling cases needs (seed 003): the timeline chart, every obligation with
its legal basis, dates, status and explanation, the refund ledger and losses, sanctions and
notes. One page is in one language (``lang``; a second page gives the other, issue 16): every
label comes from the message catalogue (``core/catalogue/report.toml``, codes through
``labels.toml``), the evaluation's own texts are read in the page's language, and dates and
money are written the way its reader writes them (da 05-12-2026 and 2.547,85 kr.). The page
fetches nothing: styles, the script and the chart (inline SVG, when matplotlib is installed) are
in the file, and links to the law are plain links. Each row carries its values in ``data-``
attributes for machine checks, in the machine formats of the ``evaluation/v2`` document (ISO
dates, plain decimals), whatever the page's language.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from html import escape

from lab_rules._version import __version__
from lab_rules.contact.results import Obligation, Status
from lab_rules.core.errors import LabRulesError
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.result import Evaluation
from lab_rules.faces.report_page import Page, money_cell, plain
from lab_rules.faces.report_refund import refund_section
from lab_rules.inputs.timeline import Timeline
from lab_rules.law.model import Confidence
from lab_rules.sanctions.result import Sanction

PAGE_CSS = """
:root { --ink: #212121; --muted: #616161; --line: #e0e0e0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1200px; padding: 24px; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px;
         border-bottom: 2px solid var(--ink); padding-bottom: 8px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px;
         border-bottom: 1px solid var(--line); }
th { background: #f5f5f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px;
         color: #fff; white-space: nowrap; }
.s-met { background: #2e7d32; } .s-met_late { background: #ef6c00; }
.s-overdue { background: #c62828; } .s-open { background: #1565c0; }
.s-waived { background: #757575; } .s-lapsed { background: #9e9e9e; }
.s-not_covered { background: #f9a825; }
.summary { display: flex; flex-wrap: wrap; gap: 10px; }
.summary div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px;
               min-width: 140px; }
.summary b { display: block; font-size: 20px; }
.small { font-size: 12px; color: var(--muted); }
details summary { cursor: pointer; color: var(--muted); font-size: 12px; }
blockquote { margin: 4px 0; padding-left: 8px; border-left: 3px solid var(--line);
             font-size: 12px; }
figure { margin: 0; } figure svg { width: 100%; height: auto; }
.unconfirmed { color: #b71c1c; font-weight: 600; }
table.obligations { table-layout: fixed; }
table.obligations td { overflow-wrap: anywhere; }
table.obligations th:nth-child(1) { width: 3%; } table.obligations th:nth-child(2) { width: 19%; }
table.obligations th:nth-child(3) { width: 11%; } table.obligations th:nth-child(4),
table.obligations th:nth-child(5), table.obligations th:nth-child(7) { width: 9.5%; }
table.obligations th:nth-child(6) { width: 9%; } table.obligations th:nth-child(8) { width: 5%; }
table.obligations th:nth-child(9) { width: 24.5%; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  table { font-size: 10px; } blockquote, .small, details summary { font-size: 9px; }
  h2 { break-after: avoid; }
}
"""

PAGE_SCRIPT = """
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
});
"""

_CARD_STATUSES = (Status.MET, Status.MET_LATE, Status.OVERDUE, Status.OPEN, Status.WAIVED,
                  Status.LAPSED)
"""The statuses an obligation ends in: one card each, so the cards add up to the obligations
(``not covered`` stretches are no deadlines and get a card of their own)."""


def _chart(page: Page, evaluation: Evaluation, timeline: Timeline | None) -> str:
    try:
        from lab_rules.faces.plot import save
        from lab_rules.faces.plot import timeline as plot_timeline

        figure = plot_timeline(evaluation, timeline, lang=page.lang)
        buffer = io.StringIO()
        save(figure, buffer, format="svg")
        picture = buffer.getvalue()
        return f"<figure>{picture[picture.index('<svg'):]}</figure>"
    except LabRulesError:
        return f'<p class="small">{page.say("no_chart")}</p>'


def _obligation_rows(page: Page, obligations: Iterable[Obligation]) -> str:
    rows = []
    for number, item in enumerate(obligations, start=1):
        rule = item.rule
        basis = rule.legal_basis
        status = item.status.value
        late = item.days_late if item.status is Status.MET_LATE else item.days_overdue
        confidence = "" if rule.confidence is Confidence.CONFIRMED else (
            f'<div class="unconfirmed">{page.label("confidence", rule.confidence.value)}</div>')
        trace = "".join(f"<li>{page.label('step', step.step)} {page.day(step.day)}: "
                        f"{page.words(step.detail)}</li>" for step in item.trace)
        title = rule.title_da if page.lang == "da" else rule.title_en
        explanation = item.explanation_da if page.lang == "da" else item.explanation_en
        fulfilled = item.fulfilled_on.isoformat() if item.fulfilled_on else ""
        rows.append(
            f'<tr data-rule-id="{escape(rule.id)}" data-sequence="{item.sequence}" '
            f'data-opens="{item.opens.isoformat()}" data-due="{item.due.isoformat()}" '
            f'data-status="{status}" data-fulfilled-on="{fulfilled}">'
            f'<td class="num">{number}</td>'
            f'<td>{escape(title)}<div class="small">{escape(rule.id)}</div>{confidence}</td>'
            f'<td><a href="{escape(basis.source)}">{escape(basis.cite())}</a></td>'
            f'<td class="date">{page.day(item.opens)}</td>'
            f'<td class="date due">{page.day(item.due)}</td>'
            f'<td><span class="badge s-{status}">{page.label("status", status)}</span></td>'
            f'<td class="date">{page.day(item.fulfilled_on)}</td>'
            f'<td class="num">{"" if late is None else late}</td>'
            f'<td>{escape(explanation)}'
            f'<details><summary>{page.say("law_and_computation")}</summary>'
            f'<blockquote lang="da">{escape(rule.law_text or "")}</blockquote>'
            f'<ol class="small">{trace}</ol></details></td></tr>')
    return "\n".join(rows)


def _sanction_section(page: Page, sanctions: Iterable[Sanction]) -> str:
    """Every failure, and whether it may be sanctioned: failures and sanctions are counted
    apart (issue 16: one vocabulary across commands)."""
    found = tuple(sanctions)
    head = f'<h2>{page.say("sanctions")}</h2>'
    if not found:
        return head + f'<p>{page.say("no_failures")}</p>'
    sanctionable = sum(1 for s in found if s.sanctionable)
    rows = [head, f'<p>{page.say("failures_counted", n=len(found), sanctions=sanctionable)}</p>',
            f'<table class="sanctions"><tr><th>{page.say("col.date")}</th>'
            f'<th>{page.say("col.failure")}</th><th>{page.say("col.rule")}</th>'
            f'<th>{page.say("col.sanctionable")}</th><th class="num">{page.say("col.days")}'
            f'</th><th class="num">{page.say("col.deducted")}</th>'
            f'<th>{page.say("col.explanation")}</th></tr>']
    for item in found:
        verdict = page.say("yes") if item.sanctionable else page.say("no")
        reasons = "".join(f"<li>{page.words(r)}</li>" for r in item.reasons)
        rows.append(
            f'<tr data-date="{item.day.isoformat()}" data-rule="{escape(item.rule)}" '
            f'data-failure="{escape(item.failure)}" '
            f'data-sanctionable="{"true" if item.sanctionable else "false"}">'
            f'<td class="date">{page.day(item.day)}</td>'
            f'<td>{page.label("failure", item.failure)}</td>'
            f'<td>{escape(item.rule)}<div class="small">{escape(item.legal_basis)}</div>'
            f'</td><td>{verdict}</td><td class="num">{item.days}</td>'
            f'{money_cell(page, item.deducted, "deducted")}'
            f'<td>{page.words(item.explain(page.lang))}'
            f'{"<ul class=small>" + reasons + "</ul>" if reasons else ""}</td></tr>')
    rows.append("</table>")
    return "\n".join(rows)


def _policy_rows(page: Page, policies: Iterable[tuple[str, str]]) -> str:
    """Each policy by its label and its value's, with the code a what-if swaps by."""
    return "".join(
        f'<tr data-policy="{escape(name)}" data-value="{escape(value)}">'
        f'<td>{page.label("policy", name)}</td>'
        f'<td>{page.label("policy_value", f"{name}.{value}")}</td>'
        f'<td class="small"><code>{escape(name)}={escape(value)}</code></td></tr>'
        for name, value in sorted(policies))


def _cards(page: Page, evaluation: Evaluation) -> str:
    """The summary cards: the obligations, one card per status they are in (adding up to the
    obligations), days late and overdue, not covered stretches, the refund lost and the
    sanctions, each with its figure in a ``data-value`` attribute."""
    statuses = Counter(o.status for o in evaluation.obligations)
    uncovered = statuses[Status.NOT_COVERED]
    cards: list[tuple[str, str, str, str]] = [
        ("obligations", page.say("card.obligations"),
         str(len(evaluation.obligations) - uncovered), "")]
    cards += [(status.value, page.label("status", status.value), str(statuses[status]), "")
              for status in _CARD_STATUSES]
    late = sum(o.days_late or 0 for o in evaluation.obligations)
    cards += [("days_late", page.say("card.days_late"), str(late), ""),
              ("days_overdue", page.say("card.days_overdue"),
               str(evaluation.total_days_overdue), "")]
    if uncovered:
        cards.append(("not_covered", page.label("status", Status.NOT_COVERED.value),
                      str(uncovered), ""))
    if evaluation.refund is not None:
        lost = sum((m.refund for m in evaluation.refund_loss_months), Decimal("0.00"))
        cards.append(("lost", page.say("card.lost"), plain(lost), page.money(lost)))
    deducted = sum((s.deducted for s in evaluation.sanctions if s.deducted is not None),
                   Decimal(0))
    cards += [("failures", page.say("card.failures"), str(len(evaluation.sanctions)), ""),
              ("sanctions", page.say("card.sanctions"),
               str(sum(1 for s in evaluation.sanctions if s.sanctionable)), ""),
              ("deducted", page.say("card.deducted"), plain(deducted), page.money(deducted))]
    return "".join(f'<div data-tile="{key}" data-value="{value}">{label}<b>{shown or value}'
                   f'</b></div>' for key, label, value, shown in cards)


def render_report(evaluation: Evaluation, timeline: Timeline | None = None, *,
                  lang: str = "da") -> str:
    """The report as one HTML document (UTF-8 text) in *lang* (``da`` or ``en``). *timeline*
    adds exemptions, conversations and no-shows to the chart."""
    if lang not in ("da", "en"):
        raise LabRulesError(f"lang must be da or en, not {lang!r}")
    page = Page(lang)
    person = escape(mask_cpr(evaluation.person_id))
    as_of = evaluation.as_of.isoformat()
    periods = "".join(
        f'<tr data-group="{p.group.value}"><td>{page.label("group", p.group.value)}'
        f'{" (" + page.say("assumed_group") + ")" if p.assumed_group else ""}</td>'
        f'<td>{page.label("benefit", p.benefit)}</td>'
        f'<td class="date">{page.day(p.start)}</td><td class="date">{page.day(p.end)}</td></tr>'
        for p in evaluation.periods)
    notes = "".join(f"<li>{page.words(n.message)}</li>\n" for n in evaluation.notes)
    hours = evaluation.hours_rule
    hours_html = "" if hours is None else (
        f'<h2>{page.say("hours_rule")}</h2><p>{page.words(hours.explain(lang))}</p>')
    unconfirmed = sorted({o.rule.id for o in evaluation.obligations
                          if o.rule.confidence is Confidence.UNCONFIRMED})
    warning = "" if not unconfirmed else (
        f'<p class="unconfirmed">{page.say("unconfirmed_used", rules=", ".join(unconfirmed))}'
        f'</p>')
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lab-rules {__version__}">
<title>lab-rules: {person} {as_of}</title>
<style>{PAGE_CSS}</style>
</head>
<body data-lang="{lang}" data-person="{person}" data-as-of="{as_of}">
<header>
<div>
<h1>{page.say("title", person=mask_cpr(evaluation.person_id))}</h1>
<p class="meta">{page.say("as_of")} <b>{page.day(evaluation.as_of)}</b> ·
{page.say("rule_pack")} <b>{escape(evaluation.rule_pack)}</b> ·
lab-rules {__version__}</p>
</div>
</header>
{warning}
<h2>{page.say("summary")}</h2>
<div class="summary">{_cards(page, evaluation)}</div>
<h2>{page.say("timeline")}</h2>
{_chart(page, evaluation, timeline)}
<h2>{page.say("periods")}</h2>
<table class="periods"><tr><th>{page.say("col.group")}</th>
<th>{page.say("col.benefit")}</th><th>{page.say("col.from")}</th>
<th>{page.say("col.to")}</th></tr>{periods}</table>
<h2>{page.say("obligations")}</h2>
<table class="obligations">
<tr><th class="num">#</th><th>{page.say("col.duty")}</th>
<th>{page.say("col.legal_basis")}</th><th>{page.say("col.opens")}</th>
<th>{page.say("col.due")}</th><th>{page.say("col.status")}</th>
<th>{page.say("col.met_on")}</th><th class="num">{page.say("col.days")}</th>
<th>{page.say("col.explanation")}</th></tr>
{_obligation_rows(page, evaluation.obligations)}
</table>
{refund_section(page, evaluation)}
{_sanction_section(page, evaluation.sanctions)}
{hours_html}
<h2>{page.say("policies")}</h2>
<table class="policies">{_policy_rows(page, evaluation.policies)}</table>
{"<h2>" + page.say("notes") + "</h2><ul>" + notes + "</ul>" if notes else ""}
<p class="small">{page.say("footer")}</p>
<script>{PAGE_SCRIPT}</script>
</body>
</html>
"""
