"""What the language test reads: every case file's outputs for people (the evaluation's text
table, the sanctions text, the refund ledger, the HTML report) in Danish and in English, and
the fragments that give a sentence of the other language away.

A fragment is a literal piece of a catalogue template (the text between its fields) that
only the other language uses; English function words are caught too, for text that does
not come from the catalogue at all (the rule files' notes).
"""

from __future__ import annotations

import html
import json
import re
import string
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

from lab_rules import evaluate
from lab_rules.core.messages import LANGS, catalogue
from lab_rules.faces.refund_table import render_refund
from lab_rules.faces.report import render_report
from lab_rules.faces.sanctions_text import sanctions_lines
from lab_rules.faces.text_table import render_text
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law import bundled_law

CASES = Path(__file__).parent / "cases"

KINDS = ("evaluate", "sanctions", "refund", "report")


def case_files() -> list[Path]:
    """Every case file with a timeline (rule-file cases have none)."""
    return sorted(p for p in CASES.rglob("*.json")
                  if "timeline" in json.loads(p.read_text(encoding="utf-8")))


def outputs(path: Path) -> Iterator[tuple[str, str, str]]:
    """(kind, lang, text) of every output of one case file; the report without its markup,
    scripts and pictures."""
    case = json.loads(path.read_text(encoding="utf-8"))
    timeline = parse_timeline(case["timeline"], source=path.name)
    evaluation = evaluate(timeline, as_of=date.fromisoformat(case["as_of"]), law=bundled_law(),
                          policies=case.get("policies"))
    for lang in LANGS:
        yield "evaluate", lang, render_text(evaluation, lang)
        yield "sanctions", lang, "\n".join(sanctions_lines(evaluation, lang))
        if evaluation.refund is not None:
            yield "refund", lang, render_refund(
                evaluation.refund, lang, evaluation.refund_losses, evaluation.refund_loss_months,
                evaluation.policies, evaluation.refund_periods)
        yield "report", lang, visible_text(render_report(evaluation, timeline, lang=lang), lang)


_HIDDEN = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def visible_text(page: str, lang: str | None = None) -> str:
    """The words a reader of an HTML page in *lang* sees (no markup, scripts, styles or
    charts), without the passages marked as another language (``<blockquote lang="da">``: the
    law's own words quoted in an English page)."""
    shown = _HIDDEN.sub(" ", page)
    if lang is not None:
        quoted = re.compile(rf'<(\w+)[^>]*\slang="(?!{lang}")[a-z]+"[^>]*>.*?</\1>', re.S)
        shown = quoted.sub(" ", shown)
    return html.unescape(_TAG.sub(" ", shown))


def _pieces(template: str) -> Iterator[str]:
    for literal, _, _, _ in string.Formatter().parse(template):
        for piece in re.split(r"[():;,.\[\]]", literal):
            piece = piece.strip()
            if len(piece) >= 8 and " " in piece:
                yield piece


@cache
def foreign_fragments(lang: str) -> frozenset[str]:
    """Pieces of the other language's templates that no template of *lang* contains."""
    other = "en" if lang == "da" else "da"
    own = "\n".join(t for e in catalogue().values() for t in e.templates(lang))
    return frozenset(p for e in catalogue().values() for t in e.templates(other)
                     for p in _pieces(t) if p not in own)


ENGLISH_WORDS = re.compile(
    r"(?<![\w.\-/=])(the|of|is|are|was|not|with|whether|which|cannot|before|after|from|until"
    r"|unknown|assumed|given|policies|note|rounded|monthly|none|None|and|or|per day|days"
    r"|weeks|months|applies|could|would|lacks|inferred|UNCONFIRMED)(?![\w\-/=])")
"""English words that no Danish sentence needs (``for`` and ``i`` are Danish words too)."""


def foreign(text: str, lang: str) -> list[str]:
    """The lines of *text* (an output in *lang*) that hold the other language or ``None``."""
    found = []
    fragments = foreign_fragments(lang)
    for line in text.splitlines():
        if (re.search(r"\bNone\b", line) or any(f in line for f in fragments)
                or (lang == "da" and ENGLISH_WORDS.search(line))):
            found.append(line)
    return found
