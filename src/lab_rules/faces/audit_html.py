"""The audit pack (:mod:`lab_rules.faces.audit`) as one printable, self-contained HTML document.

A front page says how the cases were chosen (sample size, seed, the persons evaluated and
quarantined), the law and policies, and sums up every case in one table; then one section per
case, each starting on a new printed page, with per obligation: the summonses and the
meetings they were for, the day it was met and by what, the status and days late under the
policies named, the refund lost for the overrun, and the rule's legal basis with its law text
quoted. Danish with an English toggle, as the case report (:mod:`lab_rules.faces.report`),
whose page styles it reuses. Nothing is fetched: links to the law are
plain links, printed with their address. The same pack gives the same bytes (no clock, no
random ids).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from lab_rules._version import __version__
from lab_rules.contact.results import Status
from lab_rules.core.errors import LabRulesError
from lab_rules.faces.audit import AuditCase, AuditPack, Evidence, Meeting, scrub
from lab_rules.faces.two_languages import CSS, SCRIPT, both, money_pair
from lab_rules.law.model import Confidence
from lab_rules.refund.losses import RefundLoss

AUDIT_CSS = """
@page { size: A4; margin: 14mm 12mm; }
.pseudonym { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px;
             overflow-wrap: anywhere; }
section.case { break-before: page; }
section.case h2 { border-bottom: 2px solid var(--ink); }
table.evidence { table-layout: fixed; }
table.evidence td { overflow-wrap: anywhere; }
table.evidence th.num { white-space: normal; }
table.evidence th:nth-child(1) { width: 3%; } table.evidence th:nth-child(2) { width: 18%; }
table.evidence th:nth-child(3) { width: 10%; } table.evidence th:nth-child(4) { width: 22%; }
table.evidence th:nth-child(5) { width: 12%; } table.evidence th:nth-child(6) { width: 24%; }
table.evidence th:nth-child(7) { width: 11%; }
ul.meetings { margin: 0; padding-left: 14px; }
ul.meetings li.fulfils { font-weight: 600; }
.late { color: #b71c1c; }
.policies-used { font-size: 11px; color: var(--muted); }
tr, blockquote, li { break-inside: avoid; }
dl.basis dt { font-weight: 600; margin-top: 8px; }
dl.basis dd { margin: 0 0 0 12px; }
@media print {
  .policies-used { font-size: 8px; } .badge { font-size: 9px; }
  dl.basis a::after { content: " <" attr(href) ">"; font-size: 9px; color: var(--muted); }
}
"""

_OUTCOMES = {
    "held": ("afholdt", "held"),
    "no_show": ("udeblevet uden rimelig grund", "no-show without a reasonable excuse"),
    "no_show_excused": ("udeblevet med rimelig grund", "no-show with a reasonable excuse"),
    "cancelled": ("meldt afbud", "cancelled by the person"),
    "planned": ("planlagt, efter opgørelsesdagen", "planned, after the as-of date"),
    "not_recorded": ("intet registreret om mødet", "nothing recorded about the meeting"),
}


def _text(value: str) -> str:
    return escape(scrub(value))


def _tag(tag: str, da: str, en: str, attributes: str = "") -> str:
    return f"<{tag}{attributes}>{both(da, en)}</{tag}>"


def _days(n: int, da: str, en: str) -> str:
    return both(f"{n} {'dag' if n == 1 else 'dage'} {da}".strip(),
                 f"{n} {'day' if n == 1 else 'days'} {en}".strip())


def _kroner(amount: Decimal | None) -> str:
    data, da, en = money_pair(None if amount is None else format(amount, "f"))
    return f'<span data-amount="{data}">{both(da + " kr.", en + " kr.")}</span>'


def _meeting(meeting: Meeting) -> str:
    da, en = _OUTCOMES[meeting.outcome]
    if meeting.excuse:
        da, en = f"{da} ({meeting.excuse})", f"{en} ({meeting.excuse})"
    dates = " ".join(d.isoformat() for d in meeting.summoned)
    day = f'<span class="date">{meeting.day}</span>'
    if meeting.summoned:
        sent = ", ".join(f'<span class="date summons">{d}</span>' for d in meeting.summoned)
        head = (both("Indkaldt", "Summoned") + f" {sent} " + both("til møde", "for a meeting on")
                + f" {day}")
    else:
        head = (both("Møde", "Meeting") + f" {day} "
                + both("(ingen indkaldelse registreret)", "(no summons recorded)"))
    extra = ""
    if meeting.after_due:
        extra += " " + f'<span class="late">{both("efter fristen", "after the due date")}</span>'
    if meeting.fulfils:
        extra += " " + both("– opfylder kravet", "– fulfils the obligation")
    return (f'<li class="meeting{" fulfils" if meeting.fulfils else ""}" '
            f'data-meeting="{meeting.day}" data-summoned="{dates}" '
            f'data-outcome="{meeting.outcome}">{head}: {both(da, en)}{extra}</li>')


def _meetings(meetings: tuple[Meeting, ...], conversation: bool) -> str:
    if meetings:
        return f'<ul class="meetings">{"".join(map(_meeting, meetings))}</ul>'
    if conversation:
        return both("Ingen møder registreret", "No meetings recorded")
    return both("Ikke en samtale", "Not a conversation")


def _timeliness(item: Evidence) -> str:
    o = item.obligation
    badge = (f'<span class="badge s-{o.status.value}">'
             f'{both(o.status.label("da"), o.status.label("en"))}</span>')
    late = ""
    if o.status is Status.MET_LATE and o.days_late:
        late = f' <span class="late">{_days(o.days_late, "for sent", "late")}</span>'
    elif o.status is Status.OVERDUE and o.days_overdue:
        late = f' <span class="late">{_days(o.days_overdue, "overskredet", "overdue")}</span>'
    used = " · ".join(f"{escape(k)}={escape(v)}" for k, v in o.policies)
    return (f'{badge}{late}<div class="small"><span lang="da">{_text(o.explanation_da)}</span>'
            f'<span lang="en">{_text(o.explanation_en)}</span></div>'
            f'<div class="policies-used">{both("Politikker: ", "Policies: ")}{used}</div>')


def _lost(item: Evidence) -> str:
    if not item.losses:
        return "–"
    days = sum(loss.days for loss in item.losses)
    amounts = [loss.amount for loss in item.losses]
    total = None if None in amounts else sum((a for a in amounts if a is not None), Decimal(0))
    entries = ", ".join(sorted({escape(loss.entry) for loss in item.losses}))
    return (f"{_kroner(total)}<div class=\"small\">{_days(days, '', '')} · {entries}</div>")


def _evidence_row(number: int, item: Evidence) -> str:
    o = item.obligation
    rule = o.rule
    unconfirmed = "" if rule.confidence is not Confidence.UNCONFIRMED else (
        f'<div class="unconfirmed">{both("ubekræftet regel", "unconfirmed rule")}</div>')
    held = "–" if o.fulfilled_on is None else (
        f'<span class="date held">{o.fulfilled_on}</span>'
        f'<div class="small">{_text(o.fulfilled_by or "")}</div>')
    conversation = rule.fulfilled_by.event.value == "conversation_held"
    return (f'<tr class="obligation" data-rule-id="{escape(rule.id)}" '
            f'data-sequence="{o.sequence}" data-opens="{o.opens}" data-due="{o.due}" '
            f'data-status="{o.status.value}" data-fulfilled-on="{o.fulfilled_on or ""}">'
            f'<td class="num">{number}</td>'
            f'<td>{both(rule.title_da, rule.title_en)}<div class="small">{escape(rule.id)}'
            f'</div><div class="small">{escape(rule.legal_basis.cite())}</div>{unconfirmed}</td>'
            f'<td class="date">{o.opens}<br>– <b class="due">{o.due}</b></td>'
            f'<td>{_meetings(item.meetings, conversation)}</td><td>{held}</td>'
            f'<td>{_timeliness(item)}</td><td class="num">{_lost(item)}</td></tr>')


def _refund(case: AuditCase) -> str:
    evaluation = case.evaluation
    head = _tag("h3", "Refusion: konsekvens af overskridelser",
                "Refund: the consequence of overruns")
    if not evaluation.refund_losses:
        return head + _tag("p", "Ingen refusion mistet for overskridelser.",
                           "No refund lost for overruns.")
    numbered = {id(loss): number for number, item in enumerate(case.evidence, start=1)
                for loss in item.losses}
    rows = "".join(
        f'<tr data-loss-rule="{escape(loss.entry)}"><td>{escape(loss.entry)}<div class="small">'
        f'{escape(loss.loss_rule.legal_basis)}</div></td><td class="small">'
        f'{_cause(loss, numbered.get(id(loss)))}</td><td class="date">{loss.due}</td>'
        f'<td class="date">{loss.start} – {loss.end}</td><td class="num">{loss.days}</td>'
        f'<td class="num">{_kroner(loss.amount)}</td><td class="small">loss_from='
        f'{escape(loss.loss_from)}</td></tr>' for loss in evaluation.refund_losses)
    months = "".join(f'<tr data-month="{m.month}"><td>{m.month}</td>'
                     f'<td class="num">{_kroner(m.refund)}</td></tr>'
                     for m in evaluation.refund_loss_months)
    return (f'{head}<table class="losses"><tr><th>{both("Bortfaldsregel", "Loss rule")}</th>'
            f'<th>{both("Årsag", "Cause")}</th><th>{both("Frist", "Due")}</th>'
            f'<th>{both("Periode uden refusion", "Period without refund")}</th>'
            f'<th class="num">{both("Dage", "Days")}</th><th class="num">'
            f'{both("Beløb", "Amount")}</th><th>{both("Politik", "Policy")}</th></tr>{rows}'
            f'</table><table class="loss-months"><tr><th>{both("Måned", "Month")}</th>'
            f'<th class="num">{both("Mistet", "Lost")}</th></tr>{months}<tr><th>'
            f'{both("I alt", "Total")}</th><th class="num">{_kroner(_lost_total(case))}</th>'
            f'</tr></table>')


def _cause(loss: RefundLoss, number: int | None) -> str:
    """The obligation (its number in the case's table) a loss is for, or its own cause
    (a long spell on benefit, an undocumented step)."""
    if number is None:
        return _text(loss.rule_id)
    return f"#{number}: {escape(loss.rule_id)} nr. {loss.sequence}"


def _lost_total(case: AuditCase) -> Decimal:
    return sum((m.refund for m in case.evaluation.refund_loss_months), Decimal("0.00"))


def _basis(case: AuditCase) -> str:
    """Every rule and loss rule the case's evidence rests on, once, with its law text."""
    entries: dict[str, str] = {}
    for item in case.evidence:
        rule = item.obligation.rule
        cite = rule.legal_basis.cite()
        entries.setdefault(rule.id, (
            f'<dt>{both(rule.title_da, rule.title_en)}: '
            f'<a href="{escape(rule.legal_basis.source)}">'
            f'{escape(cite)}</a> <span class="small">({escape(rule.id)}, '
            f'{escape(rule.confidence.value)})</span></dt>'
            f'<dd><blockquote>{escape(rule.law_text or "")}</blockquote></dd>'))
    for loss in case.evaluation.refund_losses:
        lr = loss.loss_rule
        entries.setdefault(lr.id, (
            f'<dt>{both(lr.title_da, lr.title_en)}: <a href="{escape(lr.source)}">'
            f'{escape(lr.legal_basis)}</a> <span class="small">({escape(lr.id)}, '
            f'{escape(lr.confidence.value)})</span></dt>'
            f'<dd><blockquote>{escape(lr.law_text)}</blockquote></dd>'))
    if not entries:
        return ""
    return (f'<h3>{both("Lovgrundlag og lovtekst", "Legal basis and law text")}</h3>'
            f'<dl class="basis">{"".join(entries.values())}</dl>')


def _case(number: int, case: AuditCase) -> str:
    evaluation = case.evaluation
    periods = "".join(f'<tr><td>{escape(p.group.value)}</td><td>{escape(p.benefit or "")}</td>'
                      f'<td class="date">{p.start}</td><td class="date">{p.end or "–"}</td></tr>'
                      for p in evaluation.periods)
    rows = "".join(_evidence_row(i, item) for i, item in enumerate(case.evidence, start=1))
    table = (f'<table class="evidence"><tr><th class="num">#</th><th>{both("Krav", "Duty")}</th>'
             f'<th>{both("Åbner – frist", "Opens – due")}</th>'
             f'<th>{both("Indkaldelser og møder", "Summonses and meetings")}</th>'
             f'<th>{both("Opfyldt", "Met on")}</th><th>{both("Rettidighed", "Timeliness")}</th>'
             f'<th class="num">{both("Mistet refusion", "Refund lost")}</th></tr>{rows}</table>'
             if rows else f'<p>{both("Ingen forpligtelser.", "No obligations.")}</p>')
    other = ""
    if case.other_summonses:
        other = (f'<h3>{both("Andre indkaldelser", "Other summonses")}</h3><p class="small">'
                 + both("Møder uden for enhver forpligtelses vindue.",
                         "Meetings outside every obligation's window.")
                 + f'</p>{_meetings(case.other_summonses, True)}')
    uncovered = "" if not case.not_covered else (
        _tag("p", f"{case.not_covered} strækning(er) uden regel er ikke listet "
                  "(se lab-rules report).",
             f"{case.not_covered} stretch(es) no rule covers are not listed "
             "(see lab-rules report).", ' class="small"'))
    notes = "".join(f"<li>{_text(n.text)}</li>" for n in evaluation.notes)
    return (f'<section class="case" id="case-{number}" data-pseudonym="{case.pseudonym}">'
            f'<h2>{both("Sag", "Case")} {number}: <span class="pseudonym">{case.pseudonym}'
            f'</span></h2><table class="periods"><tr><th>{both("Målgruppe", "Target group")}'
            f'</th><th>{both("Ydelse", "Benefit")}</th><th>{both("Fra", "From")}</th>'
            f'<th>{both("Til", "To")}</th></tr>{periods}</table>'
            f'<h3>{both("Forpligtelser og dokumentation", "Obligations and evidence")}</h3>'
            f'{table}{uncovered}{other}{_refund(case)}{_basis(case)}'
            f'{_tag("h3", "Bemærkninger", "Notes") + "<ul>" + notes + "</ul>" if notes else ""}'
            f'</section>')


def _short(name: str) -> str:
    """A pseudonym's first 16 digits for the summary table (the case heading has all)."""
    return name if len(name) <= 16 else name[:16] + "…"


def _summary(pack: AuditPack) -> str:
    rows = []
    for number, case in enumerate(pack.cases, start=1):
        statuses = [item.obligation.status for item in case.evidence]
        rows.append(
            f'<tr data-pseudonym="{case.pseudonym}"><td class="num">{number}</td>'
            f'<td><a class="pseudonym" href="#case-{number}">{_short(case.pseudonym)}</a></td>'
            f'<td>{escape(", ".join(case.groups))}</td><td class="num">{len(statuses)}</td>'
            f'<td class="num">{statuses.count(Status.MET_LATE)}</td>'
            f'<td class="num">{statuses.count(Status.OVERDUE)}</td>'
            f'<td class="num">{_kroner(_lost_total(case))}</td></tr>')
    for q in (q for q in pack.quarantined if q.selected):
        rows.append(f'<tr class="quarantined" data-pseudonym="{escape(q.name)}"><td></td>'
                    f'<td class="pseudonym">{escape(_short(q.name))}</td><td colspan="5">'
                    f'{both("i karantæne: kunne ikke evalueres", "quarantined: not evaluated")}'
                    f'</td></tr>')
    total = sum((_lost_total(case) for case in pack.cases), Decimal("0.00"))
    return (f'<table class="cases"><tr><th class="num">#</th><th>Pseudonym</th>'
            f'<th>{both("Målgruppe(r)", "Group(s)")}</th><th class="num">'
            f'{both("Forpligtelser", "Obligations")}</th><th class="num">'
            f'{both("For sent", "Late")}'
            f'</th><th class="num">{both("Overskredet", "Overdue")}</th><th class="num">'
            f'{both("Mistet refusion", "Refund lost")}</th></tr>{"".join(rows)}'
            f'<tr><th colspan="6">{both("I alt", "Total")}</th><th class="num">{_kroner(total)}'
            f'</th></tr></table>')


def _quarantine(pack: AuditPack) -> str:
    if not pack.quarantined:
        return ""
    rows = "".join(f'<tr data-pseudonym="{escape(q.name)}">'
                   f'<td class="pseudonym">{escape(q.name)}</td>'
                   f'<td class="num">{q.line}</td><td><ul class="small">'
                   f'{"".join(f"<li>{_text(r)}</li>" for r in q.reasons)}</ul></td></tr>'
                   for q in pack.quarantined)
    return (f'<h2>{both("I karantæne", "Quarantined")} ({len(pack.quarantined)})</h2><p>'
            + both("Disse personer kunne ikke evalueres og indgår ikke i udtrækket.",
                    "These persons could not be evaluated and are not in the sample.")
            + f'</p><table class="quarantine"><tr><th>Pseudonym</th><th class="num">'
            f'{both("Linje", "Line")}</th><th>{both("Årsager", "Reasons")}</th></tr>{rows}'
            f'</table>')


def _selection(pack: AuditPack) -> str:
    counts = (f"{pack.persons_in} / {pack.evaluated} / {len(pack.quarantined)}")
    if pack.selection == "sample":
        chosen = both(
            f"Stikprøve: {len(pack.cases)} sager ud af {pack.evaluated} evaluerede personer, "
            f"udtrukket med seed {pack.seed} (random.Random(seed).sample over de sorterede "
            f"person-id'er){'' if len(pack.cases) == pack.sample else f'; bedt om {pack.sample}'}.",
            f"Sample: {len(pack.cases)} cases of {pack.evaluated} persons evaluated, drawn with "
            f"seed {pack.seed} (random.Random(seed).sample over the sorted person ids)"
            f"{'' if len(pack.cases) == pack.sample else f'; {pack.sample} asked for'}.")
    else:
        chosen = both("Sagerne er de personer, der blev bedt om ved navn.",
                       "The cases are the persons asked for by name.")
    counted = both("personer i loggen / evalueret / i karantæne",
                    "persons in the log / evaluated / quarantined")
    return (f"<p>{chosen}</p><p>{both('Kilde', 'Source')} <b>{_text(pack.source)}</b> · "
            f"{counted}: <b>{counts}</b></p><p class=\"small\">"
            + both(f"Sagerne er navngivet med et nøglet pseudonym (HMAC-SHA256 af person-id'et); "
                    f"med nøglen kan jobcentret finde sagen, uden den kan ingen. Nøglekontrol: "
                    f"{pack.key_check}. Ingen CPR-numre i dokumentet.",
                    f"Cases are named by a keyed pseudonym (HMAC-SHA256 of the person id); "
                    f"with the key the jobcentre can find the case, without it nobody can. "
                    f"Key check: {pack.key_check}. No CPR numbers in the document.")
            + "</p>")


def render_audit(pack: AuditPack, *, lang: str = "da") -> str:
    """The audit pack as one HTML document (UTF-8 text) that opens in *lang* (da or en)."""
    if lang not in ("da", "en"):
        raise LabRulesError(f"lang must be da or en, not {lang!r}")
    policies = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>"
                       for k, v in pack.policies)
    cases = "".join(_case(i, case) for i, case in enumerate(pack.cases, start=1))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lab-rules {__version__}">
<title>lab-rules: {both("Revisionspakke", "Audit pack")} {pack.as_of}</title>
<style>{CSS}{AUDIT_CSS}</style>
</head>
<body data-lang="{lang}" data-as-of="{pack.as_of}" data-selection="{pack.selection}">
<header>
<div>
<h1>{both("Revisionspakke", "Audit pack")}</h1>
<p class="meta">{both("Opgjort pr.", "As of")} <b>{pack.as_of}</b> ·
{both("Regelsæt", "Rule pack")} <b>{escape(pack.law_name)}</b>
(<span class="small">{escape(pack.law_hash)}</span>) · lab-rules {__version__}</p>
</div>
<button id="lang-toggle" type="button">English</button>
</header>
<section class="front">
<h2>{both("Udtræk", "Selection")}</h2>
{_selection(pack)}
<h2>{both("Sager", "Cases")}</h2>
{_summary(pack)}
{_quarantine(pack)}
<h2>{both("Politikker anvendt", "Policies applied")}</h2>
<table class="policies">{policies}</table>
</section>
{cases}
<p class="small">{both(
    "Beregnet af lab-rules ud fra hændelsesloggen og regelfilerne; dokumentet henter intet "
    "fra nettet.",
    "Computed by lab-rules from the event log and the rule files; the document fetches "
    "nothing.")}</p>
<script>{SCRIPT}</script>
</body>
</html>
"""
