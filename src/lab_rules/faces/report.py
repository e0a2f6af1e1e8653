"""The audit report: one person's evaluation as one self-contained, printable HTML file.

What an auditor sampling cases needs (seed 003): the timeline chart, every obligation with
its legal basis, dates, status and explanation, the refund ledger and losses, sanctions and
notes, in Danish with an English toggle. The page fetches nothing: styles, the script and the
chart (inline SVG, when matplotlib is installed) are in the file, and links to the law are
plain links. Every figure comes from the ``evaluation/v2`` document
(:func:`lab_rules.faces.evaluation_json.evaluation_to_json`), so the page says what the JSON says;
each row carries its values in ``data-`` attributes for machine checks.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from lab_rules._version import __version__
from lab_rules.contact.results import Status
from lab_rules.core.errors import LabRulesError
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.result import Evaluation
from lab_rules.faces.evaluation_json import evaluation_to_json
from lab_rules.inputs.timeline import Timeline

CSS = """
:root { --ink: #212121; --muted: #616161; --line: #e0e0e0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1200px; padding: 24px; }
body[data-lang="da"] [lang="en"], body[data-lang="en"] [lang="da"] { display: none; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px;
         border-bottom: 2px solid var(--ink); padding-bottom: 8px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: 0; }
button#lang-toggle { font: inherit; padding: 4px 12px; border: 1px solid var(--ink);
                     background: #fff; border-radius: 4px; cursor: pointer; }
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
  button#lang-toggle { display: none; }
  body { max-width: none; padding: 0; font-size: 11px; }
  table { font-size: 10px; } blockquote, .small, details summary { font-size: 9px; }
  h2 { break-after: avoid; }
}
"""

SCRIPT = """
(function () {
  var body = document.body;
  function set(lang) {
    body.setAttribute("data-lang", lang);
    document.documentElement.setAttribute("lang", lang);
    document.getElementById("lang-toggle").textContent = lang === "da" ? "English" : "Dansk";
  }
  var wanted = window.location.search.match(/[?&]lang=(da|en)/);
  set(wanted ? wanted[1] : body.getAttribute("data-lang"));
  document.getElementById("lang-toggle").addEventListener("click", function () {
    set(body.getAttribute("data-lang") === "da" ? "en" : "da");
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
"""


def _both(da: str, en: str) -> str:
    return f'<span lang="da">{escape(da)}</span><span lang="en">{escape(en)}</span>'


def _money(value: str | None) -> tuple[str, str, str]:
    """(data value, Danish text, English text) of a JSON money string, rounded to øre."""
    if value is None:
        return "", "–", "–"
    amount = Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    english = f"{amount:,.2f}"
    danish = english.replace(",", "X").replace(".", ",").replace("X", ".")
    return str(amount), danish, english


def _money_cell(value: str | None, key: str = "amount") -> str:
    data, da, en = _money(value)
    return f'<td class="num" data-{key}="{escape(data)}">{_both(da + " kr.", en + " kr.")}</td>'


def _chart(evaluation: Evaluation, timeline: Timeline | None) -> str:
    try:
        from lab_rules.faces.plot import save
        from lab_rules.faces.plot import timeline as plot_timeline

        svgs = []
        for lang in ("da", "en"):
            figure = plot_timeline(evaluation, timeline, lang=lang)
            buffer = io.StringIO()
            save(figure, buffer, format="svg")
            text = buffer.getvalue()
            svgs.append(f'<figure lang="{lang}">{text[text.index("<svg"):]}</figure>')
        return "".join(svgs)
    except LabRulesError:
        return ('<p class="small">' + _both(
            "Tidslinjediagrammet kræver matplotlib: pip install 'lab-rules[plot]'.",
            "The timeline chart needs matplotlib: pip install 'lab-rules[plot]'.") + "</p>")


def _obligation_rows(document: dict[str, Any]) -> str:
    rows = []
    for number, item in enumerate(document["obligations"], start=1):
        basis = item["legal_basis"]
        status = Status(item["status"])
        status_da, status_en = status.label("da"), status.label("en")
        late = item["days_late"] if item["status"] == "met_late" else item["days_overdue"]
        confidence = "" if item["confidence"] == "confirmed" else (
            f'<div class="unconfirmed">{escape(item["confidence"])}</div>')
        trace = "".join(f"<li>{escape(step['step'])} {escape(step['date'] or '')}: "
                        f"{escape(step['text'])}</li>" for step in item["trace"])
        rows.append(
            f'<tr data-rule-id="{escape(item["rule_id"])}" data-sequence="{item["sequence"]}" '
            f'data-opens="{item["opens"]}" data-due="{item["due"]}" '
            f'data-status="{item["status"]}" data-fulfilled-on="{item["fulfilled_on"] or ""}">'
            f'<td class="num">{number}</td>'
            f'<td>{_both(item["title"]["da"], item["title"]["en"])}'
            f'<div class="small">{escape(item["rule_id"])}</div>{confidence}</td>'
            f'<td><a href="{escape(basis["source"])}">{escape(basis["citation"])}</a></td>'
            f'<td class="date">{item["opens"]}</td><td class="date due">{item["due"]}</td>'
            f'<td><span class="badge s-{item["status"]}">{_both(status_da, status_en)}</span></td>'
            f'<td class="date">{item["fulfilled_on"] or "–"}</td>'
            f'<td class="num">{"" if late is None else late}</td>'
            f'<td>{_both(item["explanation"]["da"], item["explanation"]["en"])}'
            f'<details><summary>{_both("Lovtekst og beregning", "Law text and computation")}'
            f'</summary><blockquote>{escape(item["law_text"] or "")}</blockquote>'
            f'<ol class="small">{trace}</ol></details></td></tr>')
    return "".join(rows)


def _refund_section(refund: dict[str, Any] | None) -> str:
    if refund is None:
        return ""
    parts = [f'<h2>{_both("Refusion", "Refund")}</h2>']
    if refund["loss_months"]:
        parts.append(f'<h3>{_both("Mistet refusion pr. måned", "Refund lost per month")}</h3>'
                     f'<table class="loss-months"><tr><th>{_both("Måned", "Month")}</th>'
                     f'<th class="num">{_both("Mistet", "Lost")}</th></tr>')
        parts += [f'<tr data-month="{m["month"]}"><td>{m["month"]}</td>'
                  f'{_money_cell(m["lost_refund"], "lost")}</tr>' for m in refund["loss_months"]]
        total = refund["totals"]["lost_refund"]
        parts.append(f'<tr><th>{_both("I alt", "Total")}</th>'
                     f'{_money_cell(total, "lost-total")}</tr></table>')
    if refund["losses"]:
        parts.append(f'<table class="losses"><tr><th>{_both("Regel", "Rule")}</th>'
                     f'<th>{_both("Periode", "Period")}</th><th class="num">'
                     f'{_both("Dage", "Days")}</th><th class="num">{_both("Beløb", "Amount")}'
                     f'</th><th>{_both("Forklaring", "Explanation")}</th></tr>')
        for loss in refund["losses"]:
            parts.append(f'<tr><td>{escape(loss["loss_rule"])}<div class="small">'
                         f'{escape(loss["legal_basis"])}</div></td>'
                         f'<td class="date">{loss["start"]} – {loss["end"]}</td>'
                         f'<td class="num">{loss["days"]}</td>{_money_cell(loss["amount"])}'
                         f'<td>{_both(loss["explanation"]["da"], loss["explanation"]["en"])}'
                         f'</td></tr>')
        parts.append("</table>")
    if refund["periods"]:
        parts.append(f'<h3>{_both("Refusionsperioder (før 2016)", "Refund periods (before 2016)")}'
                     f'</h3><table class="periods"><tr><th>{_both("Ydelse", "Benefit")}</th>'
                     f'<th>{_both("Periode", "Period")}</th><th class="num">Sats</th>'
                     f'<th class="num">{_both("Udgift", "Cost")}</th><th class="num">'
                     f'{_both("Refusion", "Refund")}</th><th>{_both("Grundlag", "Basis")}</th>'
                     f'</tr>')
        parts += [f'<tr><td>{escape(p["benefit"])}</td><td class="date">{p["start"]} – '
                  f'{p["end"]}</td><td class="num">{escape(p["rate"])}</td>'
                  f'{_money_cell(p["cost"], "cost")}{_money_cell(p["refund"], "refund")}'
                  f'<td class="small">{escape(p["legal_basis"])}</td></tr>'
                  for p in refund["periods"]]
        parts.append("</table>")
    if refund["months"]:
        parts.append(f'<h3>{_both("Refusionstrappen pr. måned", "Refund staircase by month")}'
                     f'</h3><p class="small">{escape(refund["scheme"])}: '
                     f'{escape(refund["act"])}</p><table class="months"><tr>'
                     f'<th>{_both("Måned", "Month")}</th>'
                     f'<th class="num">{_both("Refusion", "Refund")}</th><th class="num">'
                     f'{_both("Medfinansiering", "Co-financing")}</th></tr>')
        parts += [f'<tr data-month="{m["month"]}"><td>{m["month"]}</td>'
                  f'{_money_cell(m["refund"], "refund")}'
                  f'{_money_cell(m["cofinancing"], "cofinancing")}</tr>'
                  for m in refund["months"]]
        parts.append("</table>")
        parts.append(_weeks(refund["weeks"]))
    if not (refund["loss_months"] or refund["periods"] or refund["months"]):
        parts.append(f'<p>{_both("Ingen refusionsposter.", "No refund entries.")}</p>')
    return "".join(parts)


def _weeks(weeks: list[dict[str, Any]]) -> str:
    """The weekly refund ledger, folded: week, the week on the staircase, and each line."""
    rows = []
    for week in weeks:
        for line in week["lines"]:
            rows.append(
                f'<tr><td class="date">{week["monday"]}</td><td class="num">'
                f'{week["week_number"]}</td><td class="num">{week["rate_week_number"]}</td>'
                f'<td>{escape(line["benefit"])}</td><td class="num">{line["days"]}</td>'
                f'<td class="num">{escape(line["rate"])}</td>'
                f'{_money_cell(line["amount"], "week-amount")}'
                f'<td class="small">{escape(line["legal_basis"])}</td></tr>')
    if not rows:
        return ""
    return (f'<details><summary>{_both("Refusion uge for uge", "Refund week by week")} '
            f'({len(weeks)})</summary><table class="weeks"><tr>'
            f'<th>{_both("Mandag", "Monday")}</th><th class="num">{_both("Uge", "Week")}</th>'
            f'<th class="num">{_both("Trin", "Step")}</th><th>{_both("Ydelse", "Benefit")}</th>'
            f'<th class="num">{_both("Dage", "Days")}</th><th class="num">Sats</th>'
            f'<th class="num">{_both("Refusion", "Refund")}</th>'
            f'<th>{_both("Grundlag", "Basis")}</th></tr>{"".join(rows)}</table></details>')


def _sanction_section(sanctions: list[dict[str, Any]]) -> str:
    head = f'<h2>{_both("Sanktioner", "Sanctions")}</h2>'
    if not sanctions:
        return head + f'<p>{_both("Ingen forsømmelser registreret.", "No failures recorded.")}</p>'
    rows = [head, f'<table class="sanctions"><tr><th>{_both("Dato", "Date")}</th>'
            f'<th>{_both("Forsømmelse", "Failure")}</th><th>{_both("Regel", "Rule")}</th>'
            f'<th>{_both("Sanktion", "Sanction")}</th><th class="num">{_both("Dage", "Days")}'
            f'</th><th class="num">{_both("Fradrag", "Deducted")}</th>'
            f'<th>{_both("Forklaring", "Explanation")}</th></tr>']
    for item in sanctions:
        verdict = _both("ja", "yes") if item["sanctionable"] else _both("nej", "no")
        reasons = "".join(f"<li>{escape(r)}</li>" for r in item["reasons"])
        rows.append(
            f'<tr data-date="{item["date"]}" data-rule="{escape(item["rule"])}">'
            f'<td class="date">{item["date"]}</td><td>{escape(item["failure"])}</td>'
            f'<td>{escape(item["rule"])}<div class="small">{escape(item["legal_basis"])}</div>'
            f'</td><td>{verdict}</td><td class="num">{item["days"]}</td>'
            f'{_money_cell(item["deducted"], "deducted")}'
            f'<td>{_both(item["explanation"]["da"], item["explanation"]["en"])}'
            f'{"<ul class=small>" + reasons + "</ul>" if reasons else ""}</td></tr>')
    rows.append("</table>")
    return "".join(rows)


def render_report(evaluation: Evaluation, timeline: Timeline | None = None, *,
                  lang: str = "da") -> str:
    """The report as one HTML document (UTF-8 text). *timeline* adds exemptions,
    conversations and no-shows to the chart; *lang* is the language it opens in."""
    if lang not in ("da", "en"):
        raise LabRulesError(f"lang must be da or en, not {lang!r}")
    document = evaluation_to_json(evaluation)
    person = mask_cpr(document["person_id"])
    summary = document["summary"]
    by_status = summary["by_status"]
    lost = document["refund"]["totals"]["lost_refund"] if document["refund"] else None
    deducted = sum((Decimal(s["deducted"]) for s in document["sanctions"]
                    if s["deducted"] is not None), Decimal(0))
    tiles = [
        (_both("Forpligtelser", "Obligations"), str(summary["obligations"]), "obligations"),
        (_both("Overholdt", "Met on time"), str(by_status["met"]), "met"),
        (_both("For sent", "Met late"), str(by_status["met_late"]), "met_late"),
        (_both("Overskredet", "Overdue"), str(by_status["overdue"]), "overdue"),
        (_both("Dage for sent", "Days late"), str(summary["days_late"]), "days_late"),
        (_both("Dage overskredet", "Days overdue"), str(summary["days_overdue"]),
         "days_overdue"),
    ]
    if summary["not_covered"]:
        tiles.append((_both("Ikke dækket af reglerne", "Not covered by the rules"),
                      str(summary["not_covered"]), "not_covered"))
    money_tiles = [(_both("Mistet refusion", "Refund lost"), lost, "lost"),
                   (_both("Sanktionsfradrag", "Sanctions deducted"), str(deducted), "deducted")]
    tile_html = "".join(f'<div data-tile="{key}">{label}<b>{escape(value)}</b></div>'
                        for label, value, key in tiles)
    for label, value, key in money_tiles:
        data, da, en = _money(value)
        tile_html += (f'<div data-tile="{key}" data-value="{data}">{label}'
                      f'<b>{_both(da + " kr.", en + " kr.")}</b></div>')
    policies = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>"
                       for k, v in sorted(document["policies"].items()))
    periods = "".join(f'<tr><td>{escape(p["group"])}</td><td>{escape(p["benefit"] or "")}</td>'
                      f'<td class="date">{p["start"]}</td><td class="date">{p["end"] or "–"}'
                      f'</td></tr>' for p in document["periods"])
    notes = "".join(f"<li>{escape(n['text'])}</li>" for n in document["notes"])
    hours = document["hours_rule"]
    hours_html = "" if hours is None else (
        f'<h2>{_both("225-timersreglen", "The 225-hour rule")}</h2>'
        f'<p>{_both(hours["explanation"]["da"], hours["explanation"]["en"])}</p>')
    unconfirmed = summary["unconfirmed_rules"]
    warning = "" if not unconfirmed else (
        f'<p class="unconfirmed">'
        f'{_both("Ubekræftede regler anvendt: ", "Unconfirmed rules used: ")}'
        f'{escape(", ".join(unconfirmed))}</p>')
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lab-rules {__version__}">
<title>lab-rules: {escape(person)} {document["as_of"]}</title>
<style>{CSS}</style>
</head>
<body data-lang="{lang}" data-person="{escape(person)}" data-as-of="{document["as_of"]}">
<header>
<div>
<h1>{_both("Revisionsrapport", "Audit report")}: {escape(person)}</h1>
<p class="meta">{_both("Opgjort pr.", "As of")} <b>{document["as_of"]}</b> ·
{_both("Regelsæt", "Rule pack")} <b>{escape(document["rule_pack"])}</b> ·
lab-rules {__version__}</p>
</div>
<button id="lang-toggle" type="button">English</button>
</header>
{warning}
<h2>{_both("Overblik", "Summary")}</h2>
<div class="summary">{tile_html}</div>
<h2>{_both("Tidslinje", "Timeline")}</h2>
{_chart(evaluation, timeline)}
<h2>{_both("Forløb", "Periods")}</h2>
<table class="periods"><tr><th>{_both("Målgruppe", "Target group")}</th>
<th>{_both("Ydelse", "Benefit")}</th><th>{_both("Fra", "From")}</th>
<th>{_both("Til", "To")}</th></tr>{periods}</table>
<h2>{_both("Forpligtelser", "Obligations")}</h2>
<table class="obligations">
<tr><th class="num">#</th><th>{_both("Krav", "Duty")}</th>
<th>{_both("Lovgrundlag", "Legal basis")}</th><th>{_both("Åbner", "Opens")}</th>
<th>{_both("Frist", "Due")}</th><th>Status</th><th>{_both("Opfyldt", "Met on")}</th>
<th class="num">{_both("Dage", "Days")}</th><th>{_both("Forklaring", "Explanation")}</th></tr>
{_obligation_rows(document)}
</table>
{_refund_section(document["refund"])}
{_sanction_section(document["sanctions"])}
{hours_html}
<h2>{_both("Politikker anvendt", "Policies applied")}</h2>
<table class="policies">{policies}</table>
{"<h2>" + _both("Bemærkninger", "Notes") + "</h2><ul>" + notes + "</ul>" if notes else ""}
<p class="small">{_both(
    "Beregnet af lab-rules ud fra tidslinjen og regelfilerne; siden henter intet fra nettet.",
    "Computed by lab-rules from the timeline and the rule files; the page fetches nothing.")}</p>
<script>{SCRIPT}</script>
</body>
</html>
"""
