"""Pictures of a case and of a caseload (the ``plot`` extra: matplotlib).

:func:`timeline` draws one evaluation: the membership periods, exemptions, one lane per rule
with each obligation's window (opens to due) coloured by status, the overrun of late and
overdue ones, the day each was met, and a lane of events (conversations held, no-shows,
sanctions), with ``as_of`` marked. :func:`caseload` draws a comparison month by month: the
share of decided obligations not met on time, and the refund lost, baseline against variants.

Figures are built without pyplot, so nothing global changes and no display is needed; save
them with ``fig.savefig(...)``. Serialisers only: nothing here computes law. A figure is in
one language: titles, legends and labels come from the message catalogue
(``report.chart.*``, codes through ``labels.toml``) and the date axis names the months in that
language without touching the locale (issue 16: a Danish chart said "May").
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lab_rules.contact.results import Obligation, Status
from lab_rules.core.errors import LabRulesError
from lab_rules.core.messages import catalogue, number_text, percent_text, text
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.result import Evaluation
from lab_rules.inputs.timeline import ConversationHeld, Exemption, NoShow, Timeline

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from lab_rules.loops.whatif import Comparison

STATUS_COLOURS = {
    Status.MET: "#2e7d32",
    Status.MET_LATE: "#ef6c00",
    Status.OVERDUE: "#c62828",
    Status.OPEN: "#1565c0",
    Status.WAIVED: "#9e9e9e",
    Status.LAPSED: "#bdbdbd",
    Status.NOT_COVERED: "#f9a825",
}
VARIANT_COLOURS = ("#37474f", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#1565c0")
GROUP_COLOURS = ("#5c6bc0", "#26a69a", "#8d6e63", "#ab47bc", "#78909c", "#d4e157")


def _figure_class() -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as err:
        raise LabRulesError("plots need matplotlib: pip install 'lab-rules[plot]'") from err
    return Figure


def _say(key: str, lang: str, **fields: object) -> str:
    return text(f"report.chart.{key}", lang, **fields)


def _code_label(kind: str, code: str, lang: str) -> str:
    """The label of *code* (``label.<kind>.<code>``), or the code where there is none."""
    key = f"label.{kind}.{code}"
    return text(key, lang) if key in catalogue() else code


def _label(obligation: Obligation, lang: str) -> str:
    rule = obligation.rule
    title = rule.title_da if lang == "da" else rule.title_en
    if len(title) > 58:
        title = title[:57].rstrip() + "…"
    return f"{title}\n{rule.legal_basis.cite()}"


def timeline(evaluation: Evaluation, source: Timeline | None = None, *, lang: str = "da",
             width: float = 12.0) -> Figure:
    """One person's evaluation as a chart. With *source* (the timeline evaluated) the
    exemptions, held conversations and no-shows are drawn too."""
    figure_class = _figure_class()
    rules: dict[str, list[Obligation]] = {}
    for obligation in evaluation.obligations:
        rules.setdefault(obligation.rule.id, []).append(obligation)
    lanes = len(rules) + 3
    figure: Figure = figure_class(figsize=(width, 1.6 + 0.55 * lanes), layout="constrained")
    ax: Any = figure.add_subplot()
    as_of = evaluation.as_of
    starts = [p.start for p in evaluation.periods] + [o.opens for o in evaluation.obligations]
    left = min(starts, default=as_of - timedelta(days=365)) - timedelta(days=14)
    right = as_of + timedelta(days=45)

    def clip(day: date | None) -> date:
        return right if day is None or day > right else max(day, left)

    labels: list[str] = []
    y = 0
    labels.append(_say("periods", lang))
    for index, period in enumerate(evaluation.periods):
        colour = GROUP_COLOURS[index % len(GROUP_COLOURS)]
        end = clip(period.end or as_of)
        ax.barh(y, (end - period.start).days, left=period.start, height=0.5, color=colour,
                alpha=0.8)
        ax.text(period.start, y, f" {_code_label('group', period.group.value, lang)}",
                va="center", ha="left",
                fontsize=8, color="white", clip_on=True)
    y += 1
    labels.append(_say("exemptions", lang))
    for exemption in (source.of_type(Exemption) if source is not None else ()):
        end = clip(exemption.end or right)
        ax.barh(y, max((end - exemption.start).days, 1), left=exemption.start, height=0.5,
                color="#eeeeee", edgecolor="#616161", hatch="///")
        ax.text(exemption.start, y - 0.3, exemption.reason.label(lang),
                fontsize=7, va="bottom", color="#424242", clip_on=True)
    for obligations in rules.values():
        y += 1
        labels.append(_label(obligations[0], lang))
        windows: dict[tuple[date, date], list[Obligation]] = {}
        for obligation in obligations:
            windows.setdefault((obligation.opens, obligation.due), []).append(obligation)
        for same in windows.values():
            height = 0.5 / len(same)
            for index, obligation in enumerate(same):
                row = y + (index - (len(same) - 1) / 2) * 0.6 / len(same)
                _obligation(ax, obligation, row, height, clip, as_of)
    y += 1
    labels.append(_say("events", lang))
    if source is not None:
        held = [c.date for c in source.until(as_of).of_type(ConversationHeld)]
        ax.plot(held, [y] * len(held), linestyle="none", marker="|", markersize=14,
                color="#212121", label=_say("conversation_held", lang))
        missed = [n.date for n in source.until(as_of).of_type(NoShow)]
        ax.plot(missed, [y] * len(missed), linestyle="none", marker="X", markersize=9,
                color="#c62828", label=_say("no_show", lang))
    sanctioned = [s.day for s in evaluation.sanctions if s.sanctionable]
    ax.plot(sanctioned, [y + 0.3] * len(sanctioned), linestyle="none", marker="v",
            markersize=8, color="#6a1b9a", label=_say("sanction", lang))
    ax.axvline(as_of, color="#000000", linestyle="--", linewidth=1)
    ax.text(as_of, -0.7, " " + _say("as_of", lang, day=as_of), fontsize=8, va="center")
    for status, colour in STATUS_COLOURS.items():
        ax.barh([0], [0], color=colour, alpha=0.6,
                label=_code_label("status", status.value, lang))
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_ylim(len(labels) - 0.4, -1.1)
    ax.set_xlim(left, right)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    _date_axis(ax, lang)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=9, fontsize=8,
              frameon=False, handlelength=1.2, columnspacing=1.2)
    title = _say("title", lang, person=mask_cpr(evaluation.person_id),
                 n=len(evaluation.obligations), pack=evaluation.rule_pack)
    ax.set_title(title, fontsize=10, loc="left")
    return figure


def _date_axis(ax: Any, lang: str) -> None:
    """Ticks where matplotlib puts them, written in *lang* by the catalogue's month names (no
    locale): the year at January and on the first tick, the month's name on the first of a
    month, the day and month on other days (da ``5. maj``, en ``May 5``)."""
    from matplotlib.dates import AutoDateLocator, num2date

    names = _say("months", lang).split()
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]

    def tick(value: float, position: int | None) -> str:
        day = num2date(value).date()  # type: ignore[no-untyped-call]
        name = names[day.month - 1]
        if day.day != 1:
            shown = _say("day_of_month", lang, day=day.day, month=name)
        else:
            shown = str(day.year) if day.month == 1 else name
        if position == 0 and str(day.year) not in shown:
            shown += f"\n{day.year}"
        return shown

    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(tick)


def _obligation(ax: Any, obligation: Obligation, y: float, height: float,
                clip: Any, as_of: date) -> None:
    colour = STATUS_COLOURS[obligation.status]
    opens, due = clip(obligation.opens), clip(obligation.due)
    thick = max(1.5, 7 * height)
    ax.barh(y, max((due - opens).days, 1), left=opens, height=height * 0.85, color=colour,
            alpha=0.25, edgecolor=colour, linewidth=0.8,
            hatch="//" if obligation.status is Status.NOT_COVERED else None)
    if obligation.status is Status.NOT_COVERED:
        return
    ax.plot([due, due], [y - height / 2, y + height / 2], color=colour, linewidth=1.5)
    if obligation.status is Status.OVERDUE:
        ax.plot([due, clip(as_of)], [y, y], color=colour, linewidth=thick,
                solid_capstyle="butt")
    if obligation.status is Status.MET_LATE and obligation.fulfilled_on:
        ax.plot([due, clip(obligation.fulfilled_on)], [y, y], color=colour, linewidth=thick,
                solid_capstyle="butt")
    if obligation.fulfilled_on is not None:
        ax.plot([clip(obligation.fulfilled_on)], [y], marker="o",
                markersize=max(3.5, 12 * height), color=colour, markeredgecolor="white")


def _month_rows(results: Comparison | Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """The comparison's month rows with ``month`` as ``YYYY-MM`` (typed frames hold the first
    day of the month as a date)."""
    if isinstance(results, Mapping):
        months = results["months"]
        if hasattr(months, "to_dicts"):
            rows = list(months.to_dicts())
        elif hasattr(months, "to_dict"):
            rows = list(months.to_dict("records"))
        else:
            rows = list(months)
    else:
        rows = list(results.months)
    return [{**row, "month": row["month"].strftime("%Y-%m")}
            if isinstance(row["month"], date) else row for row in rows]


def _quarter(month: str) -> str:
    year, number = month.split("-")
    return f"{year}-{(int(number) - 1) // 3 * 3 + 1:02d}"


def caseload(results: Comparison | Mapping[str, Any], *, lang: str = "da",
             since: str | None = None, by: str = "quarter", width: float = 12.0) -> Figure:
    """A comparison (:func:`lab_rules.loops.whatif.compare_caseload`, or the DataFrames of
    :func:`lab_rules.loops.whatif.compare`) over time, one line per variant: the share of decided
    obligations not met on time, the refund lost, and each variant's refund difference to the
    baseline (the first variant). ``by`` is ``quarter`` (default: monthly shares of a small
    caseload are noise) or ``month``; *since* (``YYYY-MM``) hides earlier months."""
    figure_class = _figure_class()
    if by not in ("month", "quarter"):
        raise LabRulesError(f"by must be month or quarter, not {by!r}")
    totals: dict[tuple[str, str], list[float]] = {}
    for row in _month_rows(results):
        if since is not None and row["month"] < since:
            continue
        key = (row["variant"], _quarter(row["month"]) if by == "quarter" else row["month"])
        total = totals.setdefault(key, [0.0, 0.0, 0.0])
        total[0] += float(row["decided"])
        total[1] += float(row["not_on_time"])
        total[2] += float(row["refund_loss"])
    variants = list(dict.fromkeys(name for name, _ in totals))
    periods = sorted({period for _, period in totals})
    days = [date.fromisoformat(period + "-01") for period in periods]
    figure: Figure = figure_class(figsize=(width, 8), layout="constrained")
    axes: Any = figure.subplots(3, 1, sharex=True,
                                height_ratios=(1.2, 1, 0.8))
    share_ax, loss_ax, diff_ax = axes
    base = [totals.get((variants[0], p), [0.0, 0.0, 0.0])[2] for p in periods] \
        if variants else []
    for index, name in enumerate(variants):
        values = [totals.get((name, p), [0.0, 0.0, 0.0]) for p in periods]
        shares = [v[1] / v[0] if v[0] else float("nan") for v in values]
        losses = [v[2] for v in values]
        style = {"linewidth": 2.4 if index == 0 else 1.5,
                 "color": VARIANT_COLOURS[index % len(VARIANT_COLOURS)],
                 "linestyle": "-" if index == 0 else ("--", ":", "-.")[(index - 1) % 3],
                 "label": name, "drawstyle": "steps-post"}
        share_ax.plot(days, shares, **style)
        loss_ax.plot(days, losses, **style)
        if index:
            diff_ax.plot(days, [a - b for a, b in zip(losses, base, strict=True)], **style)
    diff_ax.axhline(0, color="#616161", linewidth=0.8)
    share_ax.set_ylabel(_say("share_not_on_time", lang))
    share_ax.set_ylim(0, 1)
    share_ax.yaxis.set_major_formatter(
        lambda v, _pos: percent_text(Decimal(str(round(v, 2))), lang))
    loss_ax.set_ylabel(_say("refund_lost", lang))
    diff_ax.set_ylabel(_say("refund_lost_vs_baseline", lang))
    for ax in (loss_ax, diff_ax):
        ax.yaxis.set_major_formatter(
            lambda v, _pos: number_text(Decimal(round(v)), lang, places=0))
    for ax in (share_ax, loss_ax, diff_ax):
        ax.grid(color="#e0e0e0", linewidth=0.6)
        ax.legend(fontsize=8, frameon=False, loc="upper right")
    share_ax.set_title(_say(f"due_per_{by}", lang), fontsize=10, loc="left")
    _date_axis(diff_ax, lang)
    return figure


SUFFIXES = ("png", "svg", "pdf")
"""The picture formats :func:`save` writes, by file suffix."""
_CREATOR = "lab-rules"
_METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": _CREATOR},
    "svg": {"Date": None, "Creator": _CREATOR},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": _CREATOR, "Producer": _CREATOR},
}


def save(figure: Figure, target: Any, *, format: str, dpi: float | None = None) -> None:
    """Write *figure* as PNG, SVG or PDF to *target* (a path or a binary/text stream), the same
    bytes for the same figure: no creation date, no version stamp, no random ids (the SVG ids
    are salted with a fixed text, under a local ``rc_context`` so no global state changes).
    Every text of the figure is CPR-masked first: a rule title or a rules folder's name drawn
    in it is as much output as the person id. A path is drawn in memory and then written in
    one go, so a write that fails (a full disk) raises its OSError: matplotlib's PDF writer,
    failing mid-way, raised ``zlib.error`` from its cleanup instead."""
    if format not in _METADATA:
        raise LabRulesError(f"a picture is one of {', '.join(SUFFIXES)}, not {format!r}")
    if isinstance(target, str | os.PathLike):
        drawn = io.BytesIO()
        save(figure, drawn, format=format, dpi=dpi)
        with open(target, "wb") as handle:
            handle.write(drawn.getbuffer())
        return
    from matplotlib import rc_context
    from matplotlib.text import Text

    for label in figure.findobj(Text):
        label.set_text(mask_cpr(label.get_text()))
    with rc_context({"svg.hashsalt": _CREATOR, "svg.fonttype": "none"}):
        figure.savefig(target, format=format, dpi=dpi, metadata=_METADATA[format])
