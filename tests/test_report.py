"""The audit report (lab_rules.faces.report) and the charts (lab_rules.faces.plot), checked in
a real
headless Chromium where one is installed (Debian's ``chromium``)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT
from lab_rules import evaluate
from lab_rules.core.messages import date_text
from lab_rules.faces.cli import main
from lab_rules.faces.evaluation_json import evaluation_to_json
from lab_rules.inputs.timeline_json import load_timeline, parse_timeline

pytest.importorskip("matplotlib")

from chromium import rendered_dom
from lab_rules.faces import plot
from lab_rules.faces.report import render_report
from language_outputs import visible_text

ROEDOVRE = ROOT / "examples" / "roedovre" / "roedovre-2008.json"
CASES = [(ROEDOVRE, date(2009, 1, 1)),
         (EXAMPLES / "dagpenge-2023-2025.json", date(2025, 6, 1)),
         (EXAMPLES / "jobparat-kontanthjaelp-noshow.json", date(2025, 6, 1))]


class _Rows(HTMLParser):
    """The data attributes of the obligation rows, and the text of their due cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.body: dict[str, str] = {}
        self._in_due = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "body":
            self.body = values
        if tag == "tr" and "data-rule-id" in values:
            self.rows.append(values)
        if tag == "td" and "due" in values.get("class", "").split():
            self._in_due = True

    def handle_data(self, data: str) -> None:
        if self._in_due and data.strip():
            self.rows[-1]["shown_due"] = data.strip()
            self._in_due = False


def _report(tmp_path: Path, source: Path, as_of: date,
            lang: str = "da") -> tuple[Path, dict[str, Any]]:
    page = tmp_path / "case.html"
    assert main(["report", str(source), "--as-of", as_of.isoformat(), "-o", str(page),
                 "--lang", lang]) == 0
    evaluation = evaluate(load_timeline(source), as_of=as_of)
    return page, evaluation_to_json(evaluation)


@pytest.mark.parametrize(("source", "as_of"), CASES, ids=[c[0].stem for c in CASES])
def test_report_in_chromium_shows_the_due_dates_of_evaluate(tmp_path: Path, source: Path,
                                                            as_of: date) -> None:
    page, document = _report(tmp_path, source, as_of)
    parser = _Rows()
    parser.feed(rendered_dom(page))
    want = [(o["rule_id"], str(o["sequence"]), o["due"], o["status"])
            for o in document["obligations"]]
    assert [(r["data-rule-id"], r["data-sequence"], r["data-due"], r["data-status"])
            for r in parser.rows] == want
    assert [r["shown_due"] for r in parser.rows] == [
        date_text(date.fromisoformat(o["due"]), "da") for o in document["obligations"]]
    assert parser.body["data-lang"] == "da"


def test_an_english_report_in_chromium_shows_iso_due_dates(tmp_path: Path) -> None:
    page, document = _report(tmp_path, ROEDOVRE, date(2009, 1, 1), lang="en")
    parser = _Rows()
    parser.feed(rendered_dom(page))
    assert parser.body["data-lang"] == "en"
    assert [r["shown_due"] for r in parser.rows] == [o["due"] for o in document["obligations"]]


def _visible(page: str) -> str:
    return re.sub(r"\s+", " ", visible_text(page))


def test_a_report_is_in_one_language_without_a_toggle() -> None:
    timeline = load_timeline(ROEDOVRE)
    evaluation = evaluate(timeline, as_of=date(2009, 1, 1))
    danish = render_report(evaluation, timeline, lang="da")
    english = render_report(evaluation, timeline, lang="en")
    for page in (danish, english):
        assert "lang-toggle" not in page
        assert "<span lang=" not in page
    assert "Revisionsrapport" in _visible(danish)
    assert "Audit report" not in _visible(danish)
    assert "Audit report" in _visible(english)
    assert "Revisionsrapport" not in _visible(english)


def test_report_cards_add_up_to_the_obligations() -> None:
    """Issue 16: 16 obligations and cards for 12; one card per status now."""
    for source, as_of in CASES:
        evaluation = evaluate(load_timeline(source), as_of=as_of)
        page = render_report(evaluation, lang="en")
        cards = dict(re.findall(r'data-tile="(\w+)" data-value="([\d.]+)"', page))
        statuses = ("met", "met_late", "overdue", "open", "waived", "lapsed")
        assert sum(int(cards[s]) for s in statuses) == int(cards["obligations"])
        assert int(cards["obligations"]) == sum(
            1 for o in evaluation.obligations if o.status.value != "not_covered")


def test_report_writes_money_dates_and_rates_per_language() -> None:
    timeline = load_timeline(ROEDOVRE)
    evaluation = evaluate(timeline, as_of=date(2009, 1, 1))
    danish = _visible(render_report(evaluation, timeline, lang="da"))
    english = _visible(render_report(evaluation, timeline, lang="en"))
    assert "Mistet refusion 2.547,85 kr." in danish
    assert "Refund lost DKK 2,547.85" in english
    assert "14-04-2008" in danish
    assert "2008-04-14" in english
    assert "35 %" in danish
    assert "35%" in english
    assert "0.35" not in danish
    assert "0.35" not in english
    assert "april 2008" in danish
    assert "April 2008" in english


def test_report_shows_labels_not_codes() -> None:
    """Issue 16: groups, failures, statuses and policies by name, not
    ``aktivitetsparat_kontanthjaelp`` or ``no_show``; the codes stay in data attributes and,
    for policies, beside the label as what a what-if swaps by."""
    timeline = load_timeline(ROEDOVRE)
    evaluation = evaluate(timeline, as_of=date(2009, 1, 1))
    page = render_report(evaluation, timeline, lang="da")
    shown = _visible(page)
    assert "aktivitetsparat kontanthjælpsmodtager" in shown
    assert "aktivitetsparat_kontanthjaelp" not in shown
    assert 'data-group="aktivitetsparat_kontanthjaelp"' in page
    assert "udeblivelse fra jobsamtale" in shown
    assert 'data-failure="no_show"' in page
    assert "for sent indtil samtalen er holdt no_show=late_until_held" in shown


def test_a_2008_refund_shows_2008_law_not_the_2015_staircase() -> None:
    """Issue 16: the Rødovre 2008 case's refund began with lov 994/2015 and an empty staircase
    table; it shows the rate periods' law (LAS lbk 1460/2007 § 100) instead."""
    timeline = load_timeline(ROEDOVRE)
    evaluation = evaluate(timeline, as_of=date(2009, 1, 1))
    for lang in ("da", "en"):
        page = render_report(evaluation, timeline, lang=lang)
        assert "994" not in _visible(page)
        assert 'class="months"' not in page
        assert "LAS lbk 1460/2007 § 100, stk. 1" in _visible(page)


def test_a_staircase_case_shows_the_staircase_law() -> None:
    source = EXAMPLES / "jobparat-kontanthjaelp-noshow.json"
    evaluation = evaluate(load_timeline(source), as_of=date(2024, 10, 1))
    page = render_report(evaluation, lang="da")
    assert 'class="months"' in page
    assert "lov nr. 994 af 30.8.2015" in _visible(page)


def test_report_money_equals_the_json(tmp_path: Path) -> None:
    """The Rødovre case's refund lost per month and in total, as in ``lab-rules evaluate``."""
    page, document = _report(tmp_path, ROEDOVRE, date(2009, 1, 1))
    html = page.read_text(encoding="utf-8")
    months = re.findall(r'<tr data-month="([\d-]+)"><td>[^<]+</td><td class="num" '
                        r'data-lost="([\d.]+)"', html)
    assert months == [(m["month"], m["lost_refund"]) for m in document["refund"]["loss_months"]]
    assert months == [("2008-04", "1983.33"), ("2008-05", "564.52")]
    total = re.search(r'data-tile="lost" data-value="([\d.]+)"', html)
    assert total is not None
    assert total.group(1) == document["refund"]["totals"]["lost_refund"] == "2547.85"
    for loss in document["refund"]["losses"]:
        shown = Decimal(loss["amount"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert f'data-amount="{shown}"' in html


def test_report_is_self_contained(tmp_path: Path) -> None:
    page, _ = _report(tmp_path, EXAMPLES / "dagpenge-2023-2025.json", date(2025, 6, 1))
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html
    assert not re.search(r'<(script|img|link|iframe)[^>]+(src|href)=', html)
    assert "@import" not in html
    assert "url(http" not in html


def test_report_masks_a_cpr_number_used_as_person_id(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "dagpenge-2023-2025.json").read_text(encoding="utf-8"))
    document["person"]["id"] = "0101901234"
    html = render_report(evaluate(parse_timeline(document), as_of=date(2025, 6, 1)))
    assert "0101901234" not in html
    assert "010190-****" in html or "010190****" in html


def test_report_is_deterministic() -> None:
    timeline = load_timeline(ROEDOVRE)
    evaluation = evaluate(timeline, as_of=date(2009, 1, 1))
    assert render_report(evaluation, timeline) == render_report(evaluation, timeline)


def test_timeline_chart_has_a_lane_per_rule_with_its_legal_basis() -> None:
    timeline = load_timeline(EXAMPLES / "dagpenge-2023-2025.json")
    evaluation = evaluate(timeline, as_of=date(2025, 6, 1))
    figure = plot.timeline(evaluation, timeline, lang="en")
    (ax,) = figure.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    rules = {o.rule.id for o in evaluation.obligations}
    assert len(labels) == len(rules) + 3
    assert labels[0] == "Periods"
    assert labels[-1] == "Events"
    assert all("§" in label for label in labels[2:-1])


def _tick_labels(figure: Any) -> list[str]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure).draw()
    return [t.get_text() for t in figure.axes[-1].get_xticklabels()]


def test_a_danish_chart_names_the_months_in_danish() -> None:
    """Issue 16: the Danish chart's axis said "May"; no locale is changed to say "maj"."""
    timeline = load_timeline(ROEDOVRE)
    evaluation = evaluate(timeline, as_of=date(2009, 1, 1))
    danish = _tick_labels(plot.timeline(evaluation, timeline, lang="da"))
    english = _tick_labels(plot.timeline(evaluation, timeline, lang="en"))
    assert "maj" in danish
    assert "May" not in danish
    assert "May" in english
    (ax,) = plot.timeline(evaluation, timeline, lang="da").axes
    assert ax.get_yticklabels()[0].get_text() == "Forløb"
    assert "forpligtelser" in ax.get_title(loc="left")


def test_caseload_chart_draws_every_variant_in_each_panel() -> None:
    from lab_rules.loops.whatif import compare_caseload

    timelines = [load_timeline(p) for p in sorted(EXAMPLES.glob("*.json"))]
    comparison = compare_caseload(timelines, "national", "no_show=restart_from_contact",
                                  "law:2016-01-01", as_of=date(2025, 6, 1))
    figure = plot.caseload(comparison, lang="en", by="month")
    share, loss, difference = figure.axes
    assert [line.get_label() for line in share.get_lines()] == [
        "national", "no_show=restart_from_contact", "law:2016-01-01"]
    assert len(loss.get_lines()) == 3
    assert [line.get_label() for line in difference.get_lines()
            if not line.get_label().startswith("_")] == ["no_show=restart_from_contact",
                                                          "law:2016-01-01"]


def test_cli_plot_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "case.png"
    assert main(["plot", str(ROEDOVRE), "--as-of", "2009-01-01", "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["plot", str(ROEDOVRE), "--as-of", "2009-01-01", "-o", str(out),
                 "--variant", "roedovre-genstart"]) == 0


def test_report_lists_the_weekly_refund_ledger(tmp_path: Path) -> None:
    source = EXAMPLES / "jobparat-kontanthjaelp-noshow.json"
    page, document = _report(tmp_path, source, date(2024, 10, 1))
    html = page.read_text(encoding="utf-8")
    shown = re.findall(r'data-week-amount="([\d.]*)"', html)
    want = [str(Decimal(line["amount"]).quantize(Decimal("0.01"), ROUND_HALF_UP))
            for week in document["refund"]["weeks"] for line in week["lines"]]
    assert shown == want
    assert len(shown) == 26


@pytest.mark.parametrize("suffix", ["svg", "pdf", "png"])
def test_the_same_case_gives_the_same_picture_bytes(tmp_path: Path, suffix: str) -> None:
    """No creation date, version stamp or random id: two runs in two processes (the SVG id
    salt is per process unless set) write the same bytes."""
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.{suffix}"
        result = subprocess.run(
            [sys.executable, "-m", "lab_rules.faces.cli", "plot", str(ROEDOVRE), "--as-of",
             "2009-01-01", "-o", str(out)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"CreationDate" not in outputs[0]
    assert b"<dc:date>" not in outputs[0]


def test_saving_a_picture_leaves_matplotlib_settings_alone() -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    timeline = parse_timeline(json.loads(ROEDOVRE.read_text(encoding="utf-8")))
    figure = plot.timeline(evaluate(timeline, as_of=date(2009, 1, 1)), timeline)
    plot.save(figure, io.BytesIO(), format="svg")
    assert dict(matplotlib.rcParams) == before


def test_plot_at_the_edges_of_the_supported_range(tmp_path: Path) -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        for as_of in ("1990-01-01", "2100-12-31"):
            out = tmp_path / "case.svg"
            assert main(["plot", str(path), "--as-of", as_of, "-o", str(out)]) == 0
            assert main(["report", str(path), "--as-of", as_of, "-o",
                         str(tmp_path / "case.html")]) == 0
