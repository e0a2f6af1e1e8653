"""A plain-text table of an evaluation that a caseworker can read in a terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from lab_rules.contact.results import Status
from lab_rules.core.messages import date_text, text
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.result import Evaluation

_COLUMNS = ("due", "status", "days", "met_on", "requirement", "legal_basis")


WIDTHS = (10, 11, 5, 10, 58, 34)
"""The default widths of the columns; the requirement and the legal basis wrap within theirs,
so nothing is cut (issue 16: "§ 31, stk. 1, 1. pkt." and "2. pkt." must stay apart)."""


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrapped(text: str, width: int) -> list[str]:
    """*text* in lines of at most *width* characters, broken at spaces where it can be (a
    longer word is broken where it must: nothing is dropped)."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def table(rows: Sequence[tuple[str, ...]], widths: tuple[int, ...] | None = None
          ) -> list[str]:
    """Rows (the first is the header) under fixed *widths*, each cell wrapping onto
    continuation lines; with None (``--wide``) every column is as wide as its widest cell,
    one line per row. Cells are CPR-masked before they wrap: a number broken over two lines
    could not be found afterwards."""
    rows = [tuple(mask_cpr(v) for v in row) for row in rows]
    if widths is None:
        widths = tuple(max(len(r[c]) for r in rows) for c in range(len(rows[0])))
        cells = [[[v] for v in row] for row in rows]
    else:
        cells = [[_wrapped(v, w) for v, w in zip(row, widths, strict=True)] for row in rows]
    lines = []
    for index, row in enumerate(cells):
        for depth in range(max(len(c) for c in row)):
            lines.append("  ".join((c[depth] if depth < len(c) else "").ljust(w)
                                   for c, w in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def render_text(evaluation: Evaluation, lang: str = "da", wide: bool = False) -> str:
    """Columns: due, status, days late/overdue, met on, requirement, legal basis. The
    requirement and the legal basis wrap within their columns (never cut); *wide* gives each
    column the width of its widest cell instead, one line per obligation."""
    policy_text = ", ".join(f"{k}={v}" for k, v in evaluation.policies)
    lines = [text("evaluation.header", lang, person=evaluation.person_id,
                  as_of=evaluation.as_of, policies=policy_text), ""]
    rows: list[tuple[str, ...]] = [tuple(text(f"evaluation.column.{c}", lang)
                                         for c in _COLUMNS)]
    for o in evaluation.obligations:
        days = o.days_late if o.days_late is not None else o.days_overdue
        title_text = o.rule.title_da if lang == "da" else o.rule.title_en
        if o.status is Status.NOT_COVERED:
            title_text = text("evaluation.not_covered_title", lang, opens=o.opens, due=o.due,
                              title=title_text)
        elif o.rule.count > 1 or o.sequence > 1:
            title_text = f"{title_text} [{o.sequence}]"
        if o.rule.confidence.value == "unconfirmed":
            title_text = "(?) " + title_text
        rows.append((date_text(o.due, lang), o.status.label(lang),
                     "" if days is None else str(days), date_text(o.fulfilled_on, lang),
                     title_text, o.rule.legal_basis.cite()))
    lines.extend(table(rows, None if wide else WIDTHS))
    if any(o.rule.confidence.value == "unconfirmed" for o in evaluation.obligations):
        lines.append("")
        lines.append(text("evaluation.unconfirmed_legend", lang))
    for note in evaluation.notes:
        lines.append(text("word.note", lang, note=note.describe(lang)))
    return mask_cpr("\n".join(lines) + "\n")
